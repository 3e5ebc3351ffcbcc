"""Every Python example in the README and the docs runs, and prints what it shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def examples(page: Path) -> list[tuple[str, str | None]]:
    """The page's Python blocks, each with the text block that follows it, if any."""
    blocks = FENCE.findall(page.read_text(encoding="utf-8"))
    found = []
    for n, (lang, body) in enumerate(blocks):
        if lang == "python":
            shown = blocks[n + 1][1] if n + 1 < len(blocks) and blocks[n + 1][0] == "text" else None
            found.append((body, shown))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(page: Path) -> None:
    """Blocks on a page run in order in one namespace; shown output must match."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for code, shown in examples(page):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(page), "exec"), namespace)
        if shown is not None:
            assert out.getvalue().strip() == shown.strip()


def test_there_are_examples() -> None:
    """The README and the docs do hold examples (so the test above means something)."""
    assert sum(len(examples(p)) for p in PAGES) >= 4


def test_catalog_pages_are_current() -> None:
    """docs/catalog/ is exactly what scripts/catalog_docs.py writes today."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalog_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
