"""Write the catalog pages of the documentation from the library's own catalog.

Run ``python scripts/catalog_docs.py`` after changing the catalog; the test
suite fails while ``docs/catalog/`` is out of date (``--check`` does the same
from the command line).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rejection_toolkit import Exercise, Plan, Repeat, catalog
from rejection_toolkit._cli import _answer_line
from rejection_toolkit._diagram import describe

FOLDER = Path(__file__).parent.parent / "docs" / "catalog"


def _tags(item: Exercise | Plan) -> str:
    kinds = ", ".join(str(k) for k in item.kinds)
    approaches = ", ".join(str(a) for a in item.approaches)
    return f"*About {item.minutes} minutes · for {kinds} rejection · {approaches}*"


def exercise_page(exercise: Exercise) -> str:
    lines = [
        f"# {exercise.title}",
        "",
        f"`{exercise.id}` · {_tags(exercise)}",
        "",
        exercise.summary,
        "",
    ]
    lines += ["## Why it helps", "", exercise.rationale, "", "## Steps", ""]
    for n, step in enumerate(exercise.steps, 1):
        when = f" *(only if {describe(step.when)})*" if step.when else ""
        lines.append(f"{n}. {step.prompt.text}{when}  ")
        detail = _answer_line(step.prompt)
        if step.prompt.required:
            detail += "; needs an answer"
        lines.append(f"   <small>{detail}</small>")
    lines += ["", "## Sources", ""]
    lines += [f"- {source}" for source in exercise.sources]
    return "\n".join(lines) + "\n"


def plan_page(plan: Plan) -> str:
    lines = [f"# {plan.title}", "", f"`{plan.id}` · plan · {_tags(plan)}", "", plan.summary, ""]
    lines += ["```mermaid", plan.to_mermaid().rstrip(), "```", "", "## Exercises", ""]
    for n, item in enumerate(plan.items, 1):
        if isinstance(item, Repeat):
            names = ", ".join(f"[{s.exercise.title}]({s.exercise.id}.md)" for s in item.stages)
            lines.append(f"{n}. {item.times} times: {names}")
            continue
        when = f" *(only if {describe(item.when)})*" if item.when else ""
        steps = len(item.exercise.steps)
        lines.append(f"{n}. [{item.exercise.title}]({item.exercise.id}.md), {steps} steps{when}")
    return "\n".join(lines) + "\n"


def index_page() -> str:
    cat = catalog()
    lines = [
        "# The catalog",
        "",
        f"The library ships {len(cat.exercises)} exercises and {len(cat.plans)} plans, written for",
        "people going through rejection. Each exercise says why it helps and where the idea",
        "comes from. These pages are generated from the catalog itself.",
        "",
        f'!!! note "{cat.help_note.title}"',
    ]
    for paragraph in cat.help_note.text.split("\n\n"):
        lines += [f"    {paragraph}", ""]
    lines += ["## Plans", ""]
    lines += [f"- [{p.title}]({p.id}.md), about {p.minutes} minutes" for p in cat.plans]
    lines += ["", "## Exercises", ""]
    lines += [f"- [{e.title}]({e.id}.md), about {e.minutes} minutes" for e in cat.exercises]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    cat = catalog()
    result = {"index.md": index_page()}
    result.update({f"{p.id}.md": plan_page(p) for p in cat.plans})
    result.update({f"{e.id}.md": exercise_page(e) for e in cat.exercises})
    return result


def main(argv: list[str]) -> int:
    wanted = pages()
    if "--check" in argv:
        present = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.md")}
        if present != wanted:
            print("docs/catalog is out of date; run: python scripts/catalog_docs.py")
            return 1
        print("docs/catalog is current")
        return 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} pages to {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
