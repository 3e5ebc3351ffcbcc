"""A chat-style loop: a session fed one typed line at a time.

Run it with ``python examples/chat.py`` and type your replies, or pipe lines
in: ``printf '6\\nIt was my birthday\\n' | python examples/chat.py``. A chatbot
would call ``Chat.reply`` with each incoming message and send back what it
returns; between messages it would keep ``chat.session.to_json()``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from rejection_toolkit import (
    Info,
    ItemList,
    MultipleChoice,
    Scale,
    Session,
    SingleChoice,
    Tier,
    catalog,
    help_for,
)
from rejection_toolkit.exceptions import AnswerError


class Chat:
    """Turns a session into messages, and messages into answers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.items: list[str] = []
        self.shown = Tier.NONE

    def question(self) -> list[str]:
        step = self.session.current
        if step is None:
            return ["That's the end. Thank you for taking this time for yourself."]
        kind = step.prompt.answer
        lines = [step.text]
        if isinstance(kind, SingleChoice | MultipleChoice):
            lines += [f"{n}. {o.label}" for n, o in enumerate(kind.options, 1)]
        if isinstance(kind, Scale):
            lines.append(f"(a number from {kind.min} to {kind.max})")
        if isinstance(kind, ItemList):
            lines.append("(one per message; send 'done' when you've finished)")
        if isinstance(kind, Info):
            lines.append("(send anything when you're ready)")
        return lines

    def reply(self, text: str) -> list[str]:
        step = self.session.current
        if step is None:
            return self.question()
        now = datetime.now(UTC)
        kind = step.prompt.answer
        if text.strip().lower() == "skip" and step.can_skip:
            self.session = self.session.skip(now=now)
            return self.after()
        if isinstance(kind, ItemList) and text.strip().lower() != "done":
            self.items.append(text)
            return ["Got it. Anything else? (or 'done')"]
        value: object = text
        if isinstance(kind, Info):
            value = None
        elif isinstance(kind, ItemList):
            value, self.items = self.items, []
        elif isinstance(kind, SingleChoice | MultipleChoice):
            picks = [p.strip() for p in text.split(",") if p.strip()]
            values = [
                kind.options[int(p) - 1].value
                if p.isdigit() and 0 < int(p) <= len(kind.options)
                else p
                for p in picks
            ]
            value = values[0] if isinstance(kind, SingleChoice) and values else values
        try:
            self.session = self.session.answer(value, now=now)
        except AnswerError as error:
            return [error.message]
        return self.after()

    def after(self) -> list[str]:
        lines: list[str] = []
        if self.session.safety.tier > self.shown:
            self.shown = self.session.safety.tier
            offer = help_for(self.shown)
            if offer is not None:
                lines.append(offer.message)
                lines += [f"{r.name}: {r.contacts[0].value}" for r in offer.resources]
                lines.append(offer.emergency_advice)
        return lines + self.question()


def main() -> None:
    chat = Chat(Session.start(catalog().plan("five-minutes"), now=datetime.now(UTC)))
    for line in chat.question():
        print(f"bot: {line}")
    for message in sys.stdin:
        print(f"you: {message.rstrip()}")
        for line in chat.reply(message.rstrip("\n")):
            print(f"bot: {line}")
        if chat.session.is_complete:
            break


if __name__ == "__main__":
    main()
