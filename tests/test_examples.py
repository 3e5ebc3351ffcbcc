"""Every script in examples/ runs and prints what it promises."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(name: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=EXAMPLES,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_example_is_tested() -> None:
    """Each example script has a test below."""
    tested = {
        "chat.py",
        "coping_plan.py",
        "quickstart.py",
        "render_letters.py",
        "resume_in_new_process.py",
        "web_app.py",
    }
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_coping_plan() -> None:
    """The main example walks the whole coping plan, branch and summary included."""
    out = run("coping_plan.py")
    assert out.startswith("Your rejection coping plan")
    assert "Earlier you said your strongest feeling was: Lonely." in out
    assert "-> Romantic: unreturned feelings, being ghosted, or a breakup" in out
    assert "Hurt before: 7/10, after: 5/10" in out
    assert "Path chosen: New openings: grow closer to people already around me" in out
    assert "Repair" not in out.split("Which path fits this situation best?")[1]


def test_quickstart() -> None:
    """The quick start walks the branch through 'grow' and prints the results."""
    out = run("quickstart.py")
    assert "Saved half-way" in out
    assert "You named this reason: I was told I interrupt people." in out
    assert "grow.goal: Let others finish first this week" in out
    assert out.rstrip().endswith("heal.hurt-after: 3")


@pytest.mark.skipif(sys.platform == "win32", reason="uses a subprocess with a temp file")
def test_resume_in_new_process() -> None:
    """The second process resumes where the first saved, and completes."""
    out = run("resume_in_new_process.py")
    assert "first process: saved at step 3" in out
    assert "second process: resumed at 'Looking at it calmly, does the reason hold up?'" in out
    assert "second process: complete=True, answers=5" in out


def test_render_letters(tmp_path: Path) -> None:
    """Every letter is written in every format, and the self-compassion letter reads well."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "render_letters.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=EXAMPLES,
    )
    assert "rendered 18 files" in result.stdout
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 18
    letter = (tmp_path / "self-compassion-letter.txt").read_text(encoding="utf-8")
    assert letter.startswith("2 March 2026\n\nDear Alex,")
    page = (tmp_path / "my-coping-plan.html").read_text(encoding="utf-8")
    assert "<h2>Words to remember</h2>" in page
    assert "rendered 18 files" in run("render_letters.py")


def test_chat_loop() -> None:
    """Typed lines drive the session; a worrying message brings help at once."""
    lines = "6\nI don't want to be alive anymore\nok\n1, 2\nhurt\n7\nskip\n4\n"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "chat.py")],
        input=lines,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=EXAMPLES,
    )
    out = result.stdout
    assert out.startswith("bot: How intense is the hurt right now?")
    assert "bot: It sounds like things are very heavy right now" in out
    assert out.index("heavy right now") < out.index("Take twenty seconds")
    assert out.rstrip().endswith(
        "bot: That's the end. Thank you for taking this time for yourself."
    )


class TestWebApp:
    """The minimal web app, tested with real HTTP requests against the running server."""

    @pytest.fixture
    def server(self, tmp_path: Path) -> Iterator[tuple[str, Path]]:
        sys.path.insert(0, str(EXAMPLES))
        try:
            import web_app
        finally:
            sys.path.remove(str(EXAMPLES))
        database = tmp_path / "sessions.db"
        server = web_app.make_server(0, str(database), country="GB")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}", database
        server.shutdown()
        server.server_close()

    @staticmethod
    def post(url: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, url, error.read().decode()

    def test_a_whole_plan_in_the_browser(self, server: tuple[str, Path]) -> None:
        """Start, answer every kind of step, go back, finish, read a letter and the export."""
        base, database = server
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert "Five minutes" in response.read().decode()
        status, url, body = self.post(base + "/start", [("plan", "five-minutes")])
        assert status == 200
        assert "How intense is the hurt right now?" in body
        steps = [
            [("value", "6")],
            [("value", "<b>Jo</b> ghosted me")],
            [("action", "answer")],
            [("value", "chest"), ("value", "throat"), ("other", "jaw")],
            [("action", "back")],
            [("value", "chest")],
            [("value", "Lonely")],
            [("value", "8")],
            [("action", "skip")],
            [("value", "5")],
        ]
        for fields in steps:
            status, url, body = self.post(url, fields)
            assert status == 200
        assert "You've finished." in body
        assert "My coping plan" in body
        with urllib.request.urlopen(url + "/letters/my-coping-plan.html", timeout=10) as response:
            letter = response.read().decode()
        assert "&lt;b&gt;Jo&lt;/b&gt; ghosted me" in letter
        with urllib.request.urlopen(url + "/export", timeout=10) as response:
            export = json.loads(response.read())
        assert export["complete"] is True
        connection = sqlite3.connect(database)
        rows = connection.execute("SELECT plan, state FROM sessions").fetchall()
        connection.close()
        assert rows[0][0] == "five-minutes"
        assert json.loads(rows[0][1])["path"][-1][2] == 5

    def test_errors_and_help(self, server: tuple[str, Path]) -> None:
        """A bad answer re-asks with the message; a worrying one shows help at once."""
        base, _ = server
        _, url, _ = self.post(base + "/start", [("plan", "five-minutes")])
        status, _, body = self.post(url, [("value", "eleven")])
        assert status == 422
        assert "This step expects a whole number." in body
        self.post(url, [("value", "7")])
        status, _, body = self.post(url, [("value", "I want to kill myself")])
        assert status == 200
        assert "role='alert'" in body
        assert "Samaritans: call 116 123" in body
        for missing in ("/s/nope", "/s/nope/export"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(base + missing, timeout=10)
            assert info.value.code == 404
            info.value.close()
