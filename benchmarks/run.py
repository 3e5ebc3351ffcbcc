"""Measure what rejection_toolkit adds to its host, each figure against a baseline.

Run it with ``python benchmarks/run.py`` (``--quick`` for a fast smoke run
that checks the script works but enforces no target). It prints a table of
absolute medians and ratios, and exits non-zero when a target is missed:

1. Import: ``import rejection_toolkit`` vs ``import attrs, jinja2``, fresh
   processes, interleaved. Target: ratio <= 1.2.
2. A web-style request cycle (load a saved session from JSON, answer the
   current step, save to JSON) at step 5 of a 10-step plan and at step 500 of
   a 1,000-step plan. Targets: per answered step, the 1,000-step cycle costs at
   most 3x the 10-step one (no quadratic behaviour); the 10-step cycle of the
   session state costs at most 5x ``json.loads`` + ``json.dumps`` of the same
   document. The same cycle with the default crisis-language screening of the
   answer is reported beside it.
3. Rendering the self-compassion letter as HTML from a completed session vs
   ``jinja2`` rendering the same template from a prepared dict. Target <= 1.5.
4. The catalog: the first ``catalog()`` call in a fresh process, and a
   repeated look-up, which must not touch the disk.
5. Saved-state size: the JSON of a completed coping-plan session vs
   ``json.dumps`` of its answers alone. Target <= 2.0.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))

QUICK = "--quick" in sys.argv
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def median_time(fn: Callable[[], object], repeat: int, number: int) -> float:
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    times = []
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times.append((time.perf_counter() - start) / number)
    finally:
        gc.enable()
    return statistics.median(times)


def fresh_process(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def bench_import(code: str, runs: int) -> tuple[float, float]:
    ours, base = [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        ours.append(fresh_process(code))
        base.append(fresh_process("import attrs, jinja2"))
    return statistics.median(ours), statistics.median(base)


def linear_plan(steps: int) -> Any:
    from rejection_toolkit import Exercise, Plan, Prompt, ShortText

    exercises = [
        Exercise(
            f"e{n}",
            f"Exercise {n}",
            [Prompt(f"p{i}", f"Question {i}?", ShortText()) for i in range(10)],
        )
        for n in range(steps // 10)
    ]
    return Plan(f"plan-{steps}", "Linear", exercises)


def session_at(plan: Any, answered: int) -> Any:
    from rejection_toolkit import Session

    session = Session.start(plan, now=NOW)
    for n in range(answered):
        session = session.answer(f"An answer of ordinary length, number {n}", now=NOW)
    return session


def bench_cycle(
    steps: int, at: int, repeat: int, number: int, *, screened: bool
) -> tuple[float, float, int]:
    from rejection_toolkit import NoScreening, Session

    plan = linear_plan(steps)
    document = session_at(plan, at).to_json()
    plan.layout  # noqa: B018 - a server keeps its plan objects; the layout is built once
    screener = None if screened else NoScreening()

    def cycle() -> None:
        session = Session.from_json(plan, document, screener=screener)
        session.answer("Another answer of ordinary length", now=NOW).to_json()

    def baseline() -> None:
        json.dumps(json.loads(document))

    return median_time(cycle, repeat, number), median_time(baseline, repeat, number), at


def bench_letter(repeat: int, number: int) -> tuple[float, float]:
    import jinja2
    from render_letters import sample_session

    from rejection_toolkit import LETTERS, Letters
    from rejection_toolkit._letters import clause, end_sentence, lowerfirst

    session = sample_session()
    letters = Letters()
    letters.render("self-compassion-letter", session, "html")  # warm

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rejection_toolkit", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(end_sentence=end_sentence, clause=clause, lowerfirst=lowerfirst)
    template = env.get_template("self-compassion-letter.html")
    prepared = LETTERS["self-compassion-letter"].values_from(session)
    assert (
        template.render(prepared).strip()
        == letters.render("self-compassion-letter", session, "html").strip()
    )

    def ours() -> None:
        letters.render("self-compassion-letter", session, "html")

    def raw() -> None:
        template.render(prepared)

    return median_time(ours, repeat, number), median_time(raw, repeat, number)


def bench_catalog(runs: int) -> tuple[float, float, int]:
    first = statistics.median(_first_load_seconds() for _ in range(runs))
    from rejection_toolkit import catalog

    catalog()
    opened: list[str] = []
    sys.addaudithook(lambda event, args: opened.append(event) if event == "open" else None)
    repeated = median_time(lambda: catalog().plan("coping-plan"), 7, 10_000)
    return first, repeated, len(opened)


def _first_load_seconds() -> float:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; from rejection_toolkit import catalog; t = time.perf_counter(); "
            "catalog(); print(time.perf_counter() - t)",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout)


def state_size() -> tuple[int, int]:
    from render_letters import sample_session

    session = sample_session()
    saved = len(session.to_json().encode())
    answers = {
        a.address: (None if a.skipped else a.prompt.answer.to_json_value(a.value))
        for a in session.answers
    }
    alone = len(json.dumps(answers, ensure_ascii=False, separators=(",", ":")).encode())
    return saved, alone


@dataclass
class Row:
    name: str
    ours: str
    baseline: str
    ratio: float | None = None
    target: float | None = None

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio is None or self.ratio <= self.target


def main() -> int:
    repeat, number = (3, 20) if QUICK else (9, 200)
    rows: list[Row] = []

    ours, base = bench_import("import rejection_toolkit", 3 if QUICK else 15)
    rows.append(Row("import", ms(ours), f"{ms(base)} (attrs+jinja2)", ours / base, 1.2))
    core, base = bench_import(
        "from rejection_toolkit import Exercise, Plan, Prompt, Session", 3 if QUICK else 15
    )
    rows.append(Row("  import + core names", ms(core), f"{ms(base)} (attrs+jinja2)", core / base))

    state, small_json, _at = bench_cycle(10, 5, repeat, number, screened=False)
    rows.append(
        Row(
            "cycle, 10 steps (state)",
            us(state),
            f"{us(small_json)} (json)",
            state / small_json,
            5.0,
        )
    )
    small, _, small_at = bench_cycle(10, 5, repeat, number, screened=True)
    rows.append(
        Row("cycle, 10 steps (screened)", us(small), f"{us(small_json)} (json)", small / small_json)
    )
    large, _, large_at = bench_cycle(1000, 500, repeat, max(number // 20, 5), screened=True)
    rows.append(Row("cycle, 1,000 steps", us(large), f"{us(small)} (10 steps)", large / small))
    per_step = (large / large_at) / (small / small_at)
    rows.append(
        Row("  per answered step", us(large / large_at), us(small / small_at), per_step, 3.0)
    )

    letter, raw = bench_letter(repeat, number // 2)
    rows.append(Row("letter (HTML)", us(letter), f"{us(raw)} (jinja2)", letter / raw, 1.5))

    first, repeated, opened = bench_catalog(2 if QUICK else 5)
    rows.append(Row("catalog, first load", ms(first), "-"))
    rows.append(
        Row("catalog, repeated look-up", f"{repeated * 1e9:.0f} ns", f"{opened} files opened")
    )

    saved, alone = state_size()
    rows.append(
        Row("saved state (coping plan)", f"{saved} B", f"{alone} B (answers)", saved / alone, 2.0)
    )

    print(f"{'figure':28} {'ours':>10} {'baseline':>26} {'ratio':>6} {'target':>7}  result")
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        target = "" if row.target is None else f"<= {row.target}"
        result = "" if row.target is None else ("ok" if row.ok else "MISSED")
        print(f"{row.name:28} {row.ours:>10} {row.baseline:>26} {ratio:>6} {target:>7}  {result}")
    missed = [row.name.strip() for row in rows if not row.ok]
    if opened:
        missed.append("repeated catalog look-ups opened files")
    if QUICK:
        print("quick mode: targets not enforced")
        return 0
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


if __name__ == "__main__":
    sys.exit(main())
