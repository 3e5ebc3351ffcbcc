"""A minimal web app: a plan in the browser, sessions kept in SQLite.

Run it with ``python examples/web_app.py [PORT] [DATABASE]`` and open
http://127.0.0.1:8000. It uses only the standard library: ``http.server`` for
the web, ``sqlite3`` for storage. Each step is one HTML form; the session is
loaded from SQLite at the start of every request and saved at the end; help
appears as soon as an answer raises a safety flag; the letters are linked at
the end. Everything shown is escaped.
"""

from __future__ import annotations

import html
import json
import sqlite3
import sys
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from rejection_toolkit import (
    LETTERS,
    Info,
    ItemList,
    MultipleChoice,
    Scale,
    Session,
    SingleChoice,
    YesNo,
    catalog,
    help_for,
    render_letter,
)
from rejection_toolkit.exceptions import AnswerError, SessionError

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
.help { background: #fff4e5; border-left: 4px solid #e69500; padding: .75rem 1rem; }
.error { color: #a40000; } .muted { color: #666; } label { display: block; margin: .25rem 0; }
textarea, input[type=text] { width: 100%; } button { margin-top: 1rem; margin-right: .5rem; }
"""


def page(title: str, body: str) -> bytes:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    ).encode()


class Store:
    """Sessions as JSON text in SQLite, one row each."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.lock = threading.Lock()
        with self.lock:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, plan TEXT, state TEXT)"
            )

    def save(self, session_id: str, session: Session) -> None:
        with self.lock, self.db:
            self.db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET state = excluded.state",
                (session_id, session.plan.id, session.to_json()),
            )

    def load(self, session_id: str) -> Session | None:
        with self.lock:
            row = self.db.execute(
                "SELECT plan, state FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if row is None:
            return None
        return Session.from_json(catalog().plan(row[0]), row[1])


def field(step: Any) -> str:
    """The form controls for one step."""
    kind = step.prompt.answer
    previous = (
        step.previous.value if step.previous is not None and not step.previous.skipped else None
    )
    if isinstance(kind, Info):
        return ""
    if isinstance(kind, SingleChoice | YesNo):
        options = (
            [(o.value, o.label) for o in kind.options]
            if isinstance(kind, SingleChoice)
            else [("yes", kind.yes_label), ("no", kind.no_label)]
        )
        return "".join(
            f"<label><input type='radio' name='value' value='{html.escape(v)}'> {html.escape(label)}</label>"
            for v, label in options
        )
    if isinstance(kind, MultipleChoice):
        boxes = "".join(
            f"<label><input type='checkbox' name='value' value='{html.escape(o.value)}'> "
            f"{html.escape(o.label)}</label>"
            for o in kind.options
        )
        if kind.other:
            boxes += (
                f"<label>{html.escape(kind.other_label)}: <input type='text' name='other'></label>"
            )
        return boxes
    if isinstance(kind, Scale):
        low = html.escape(kind.min_label or str(kind.min))
        high = html.escape(kind.max_label or str(kind.max))
        return (
            f"<input type='number' name='value' min='{kind.min}' max='{kind.max}' step='{kind.step}'> "
            f"<span class='muted'>{kind.min} = {low}, {kind.max} = {high}</span>"
        )
    if isinstance(kind, ItemList):
        return "<textarea name='value' rows='4' placeholder='One per line'></textarea>"
    value = html.escape(previous) if isinstance(previous, str) else ""
    return f"<textarea name='value' rows='3'>{value}</textarea>"


def raw_answer(step: Any, form: dict[str, list[str]]) -> Any:
    """Turn the submitted form into the raw input the prompt parses."""
    kind = step.prompt.answer
    values = form.get("value", [])
    if isinstance(kind, Info):
        return None
    if isinstance(kind, MultipleChoice):
        other = (form.get("other") or [""])[0].strip()
        return {"selected": values, "other": other} if other else values
    if isinstance(kind, ItemList):
        return (values or [""])[0].splitlines()
    return values[0] if values else ""


class App(BaseHTTPRequestHandler):
    store: Store
    country: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        """Keep requests out of the console: URLs hold session ids."""

    def send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, where: str) -> None:
        self.send_response(303)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def form(self) -> dict[str, list[str]]:
        length = min(int(self.headers.get("Content-Length") or 0), 200_000)
        return parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)

    def do_GET(self) -> None:
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if not parts:
            items = "".join(
                f"<form method='post' action='/start'><input type='hidden' name='plan' "
                f"value='{p.id}'><button>{html.escape(p.title)}</button> "
                f"<span class='muted'>about {p.minutes} minutes</span></form>"
                for p in catalog().plans
            )
            return self.send(200, page("Coping with rejection", f"<h1>Choose a plan</h1>{items}"))
        session = self.store.load(parts[1]) if len(parts) > 1 and parts[0] == "s" else None
        if session is None:
            return self.send(404, page("Not found", "<p>There is no such session.</p>"))
        if len(parts) == 4 and parts[2] == "letters" and parts[3].removesuffix(".html") in LETTERS:
            letter = render_letter(parts[3].removesuffix(".html"), session, "html")
            return self.send(200, letter.encode())
        if len(parts) == 3 and parts[2] == "export":
            return self.send(200, json.dumps(session.export()).encode(), "application/json")
        return self.send(200, self.step_page(parts[1], session))

    def do_POST(self) -> None:
        parts = [p for p in self.path.split("/") if p]
        form = self.form()
        now = datetime.now(UTC)
        if parts == ["start"]:
            session_id = str(uuid.uuid4())
            self.store.save(session_id, Session.start(catalog().plan(form["plan"][0]), now=now))
            return self.redirect(f"/s/{session_id}")
        session = self.store.load(parts[1]) if len(parts) == 2 and parts[0] == "s" else None
        if session is None or session.current is None:
            return self.send(404, page("Not found", "<p>There is no such step.</p>"))
        action = (form.get("action") or ["answer"])[0]
        try:
            if action == "back":
                session = session.back()
            elif action == "skip":
                session = session.skip(now=now)
            else:
                session = session.answer(raw_answer(session.current, form), now=now)
        except (AnswerError, SessionError) as error:
            message = error.message if isinstance(error, AnswerError) else str(error)
            return self.send(422, self.step_page(parts[1], session, message))
        self.store.save(parts[1], session)
        return self.redirect(f"/s/{parts[1]}")

    def step_page(self, session_id: str, session: Session, error: str = "") -> bytes:
        offer = help_for(session.safety.tier, country=self.country)
        help_box = ""
        if offer is not None:
            lines = "".join(
                f"<li>{html.escape(r.name)}: "
                + "; ".join(html.escape(f"{c.kind} {c.value}") for c in r.contacts)
                + "</li>"
                for r in offer.resources
            )
            help_box = (
                f"<div class='help' role='alert'><p>{html.escape(offer.message)}</p>"
                f"<ul>{lines}</ul><p>{html.escape(offer.emergency_advice)}</p></div>"
            )
        step = session.current
        if step is None:
            links = "".join(
                f"<li><a href='/s/{session_id}/letters/{letter_id}.html'>"
                f"{html.escape(LETTERS[letter_id].title)}</a></li>"
                for letter_id, letter in LETTERS.items()
                if letter.ready_in(session)
            )
            body = (
                f"<h1>{html.escape(session.plan.title)}</h1>{help_box}"
                "<p>You've finished. Thank you for taking this time for yourself.</p>"
                f"<h2>Your letters</h2><ul>{links}</ul>"
            )
            return page("Finished", body)
        progress = session.progress
        total = progress.done + progress.remaining_max
        helper = f"<p class='muted'>{html.escape(step.prompt.help)}</p>" if step.prompt.help else ""
        problem = f"<p class='error'>{html.escape(error)}</p>" if error else ""
        skip = "<button name='action' value='skip'>Skip</button>" if step.can_skip else ""
        back = "<button name='action' value='back'>Back</button>" if session.records else ""
        body = (
            f"<p class='muted'>{html.escape(session.plan.title)} · step {progress.done + 1} of "
            f"{total}</p>{help_box}<form method='post'><h1>{html.escape(step.text)}</h1>"
            f"{helper}{problem}{field(step)}<div><button name='action' value='answer'>Continue"
            f"</button>{skip}{back}</div></form>"
        )
        return page(step.exercise.title, body)


class Server(ThreadingHTTPServer):
    """The HTTP server, closing the database when it closes."""

    store: Store

    def server_close(self) -> None:
        super().server_close()
        self.store.db.close()


def make_server(
    port: int = 8000, database: str = "sessions.db", country: str | None = None
) -> Server:
    """Build the server (port 0 picks a free port); call serve_forever() to run it."""
    store = Store(database)
    handler = type("BoundApp", (App,), {"store": store, "country": country})
    server = Server(("127.0.0.1", port), handler)
    server.store = store
    return server


if __name__ == "__main__":
    server = make_server(
        int(sys.argv[1]) if len(sys.argv) > 1 else 8000,
        sys.argv[2] if len(sys.argv) > 2 else "sessions.db",
    )
    print(f"Open http://127.0.0.1:{server.server_address[1]} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()
