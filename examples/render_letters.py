"""Render every letter, in every format, from one realistic coping-plan session.

Run ``python examples/render_letters.py OUT_DIR`` to write the 18 files into
OUT_DIR (a temporary folder when none is given), or ``--docs FILE`` to write
the Markdown page of samples that the documentation shows.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coping_plan import ANSWERS

from rejection_toolkit import LETTERS, Info, Letters, Session, catalog

# The same person as in coping_plan.py, who this time chooses to repair things
# with Dana rather than look for new openings.
SAMPLE = {
    **{k: v for k, v in ANSWERS.items() if not k.startswith("choose-a-path/new")},
    "choose-a-path/path": "repair",
    "choose-a-path/repair-who": "Dana",
    "choose-a-path/repair-value": "You made the flat feel like home, and you always made me laugh.",
    "choose-a-path/repair-ask": "Can we talk about what changed for you over the last few months?",
    "choose-a-path/repair-differently": "Say what I need sooner, instead of going quiet",
}
FORMATS = {"text": "txt", "md": "md", "html": "html"}


def sample_session() -> Session:
    """Walk the coping plan with the sample answers, skipping what they leave out."""
    now = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    session = Session.start(catalog().plan("coping-plan"), now=now)
    while (step := session.current) is not None:
        now += timedelta(minutes=1)
        if isinstance(step.prompt.answer, Info):
            session = session.answer(now=now)
        elif step.address in SAMPLE:
            session = session.answer(SAMPLE[step.address], now=now)
        else:
            session = session.skip(now=now)
    return session


def render_all(folder: Path) -> list[Path]:
    session = sample_session()
    letters = Letters(context={"date": "2 March 2026"})
    written = []
    for letter_id in LETTERS:
        for fmt, ext in FORMATS.items():
            path = folder / f"{letter_id}.{ext}"
            path.write_text(letters.render(letter_id, session, fmt), encoding="utf-8")  # type: ignore[arg-type]
            written.append(path)
    return written


def docs_page() -> str:
    session = sample_session()
    letters = Letters()
    parts = [
        "# Sample letters",
        "",
        "Every letter below was rendered by `examples/render_letters.py` from one sample",
        "coping-plan session: a person whose partner of two years has just moved out.",
        "They are shown in plain text; the same letters come in Markdown and as",
        "printable HTML pages. Sections a person leaves empty simply drop out.",
    ]
    for letter_id, letter in LETTERS.items():
        parts += [
            "",
            f"## {letter.title}",
            "",
            "```text",
            letters.render(letter_id, session).rstrip(),
            "```",
        ]
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--docs":
        Path(argv[1]).write_text(docs_page(), encoding="utf-8")
        print(f"wrote {argv[1]}")
        return
    if argv:
        folder = Path(argv[0])
        folder.mkdir(parents=True, exist_ok=True)
        paths = render_all(folder)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            paths = render_all(Path(tmp))
            print((Path(tmp) / "self-compassion-letter.txt").read_text(encoding="utf-8"))
    print(f"rendered {len(paths)} files: {', '.join(sorted(p.name for p in paths))}")


if __name__ == "__main__":
    main(sys.argv[1:])
