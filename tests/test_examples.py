"""Every script in examples/ runs and prints what it promises."""

from __future__ import annotations

import subprocess
import sys
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
    tested = {"coping_plan.py", "quickstart.py", "render_letters.py", "resume_in_new_process.py"}
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
