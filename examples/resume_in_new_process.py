"""Save a session to a file, then finish it in a fresh Python process.

Run it with ``python examples/resume_in_new_process.py``. The first process
answers two steps and writes the session to a JSON file; a second process
loads that file and answers the rest.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from quickstart import plan

from rejection_toolkit import Session

NOW = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def first_half(path: Path) -> None:
    session = Session.start(plan, now=NOW)
    session = session.answer(6, now=NOW).answer("They said I was not a team player", now=NOW)
    path.write_text(session.to_json(), encoding="utf-8")
    print(f"first process: saved at step {session.progress.done + 1}")


def second_half(path: Path) -> None:
    session = Session.from_json(plan, path.read_text(encoding="utf-8"))
    assert session.current is not None
    print(f"second process: resumed at {session.current.text!r}")
    for value in ("no", "A long walk after work", 4):
        session = session.answer(value, now=NOW)
    print(f"second process: complete={session.is_complete}, answers={len(session.answers)}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--finish":
        second_half(Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            state = Path(folder) / "session.json"
            first_half(state)
            subprocess.run([sys.executable, __file__, "--finish", str(state)], check=True)
