"""Plans as Mermaid flowcharts, and conditions in words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rejection_toolkit import (
    Exercise,
    MultipleChoice,
    Plan,
    Predicate,
    Prompt,
    Repeat,
    Scale,
    SingleChoice,
    Stage,
    YesNo,
    answer,
    catalog,
)
from rejection_toolkit._diagram import describe

PICK = Prompt("pick", "Pick?", SingleChoice([("a", "A"), ("b", "B")]))
MANY = Prompt("many", "Many?", MultipleChoice([("x", "X")], min_selected=0))
HURT = Prompt("hurt", "Hurt?", Scale(0, 10))
OK = Prompt("ok", "OK?", YesNo())
FIRST = Exercise("first", "First", [PICK, MANY, HURT, OK])


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (answer("first.pick").equals("a"), "first.pick is a"),
        (answer("first.ok").equals(False), "first.ok is no"),
        (answer("first.pick").is_in("a", "b"), "first.pick is one of a, b"),
        (answer("first.many").includes("x"), "first.many includes x"),
        (answer("first.hurt").at_least(7), "first.hurt >= 7"),
        (answer("first.pick").answered(), "first.pick answered"),
        (answer("first.pick").skipped(), "first.pick skipped"),
        (
            answer("first.hurt").below(3)
            | (answer("first.ok").equals(True) & ~answer("first.pick").skipped()),
            "first.hurt < 3 or (first.ok is yes and not first.pick skipped)",
        ),
        (Predicate("late"), "predicate late"),
    ],
)
def test_describe(condition: object, words: str) -> None:
    """Every kind of condition reads as a short phrase."""
    assert describe(condition) == words  # type: ignore[arg-type]


def test_branches_and_repeats() -> None:
    """A branch gets a labelled edge and an 'otherwise' edge; a repeat a subgraph."""
    second = Exercise("second", 'Second "quoted"', [Prompt("s", "S?")])
    third = Exercise("third", "Third", [Prompt("t", "T?")])
    plan = Plan(
        "p",
        "A (plan)",
        [
            FIRST,
            Stage(second, when=answer("first.ok").equals(True)),
            Repeat("twice", [third, Stage(third, key="again")], times=2, every=timedelta(hours=12)),
            Repeat("weekly", [Stage(third, key="third-weekly")], times=3, every=timedelta(days=7)),
        ],
    )
    chart = plan.to_mermaid()
    assert chart.startswith('flowchart TD\n    start(["A (plan)"])')
    assert '-->|"first.ok is yes"| s2' in chart
    assert '-->|"otherwise"|' in chart
    assert "Second #quot;quoted#quot;" in chart
    assert 'subgraph r3["2 times, every 12 hours"]' in chart
    assert '"3 times, every 7 days"' in chart
    assert "-.->|next round|" in chart
    assert chart.rstrip().endswith("--> done")


@pytest.mark.parametrize("plan", catalog().plans, ids=lambda p: p.id)
def test_every_catalog_plan_draws(plan: Plan) -> None:
    """Every built-in plan draws, with one node per exercise and an end."""
    chart = plan.to_mermaid()
    assert chart.count('["') >= len(plan.items) + 1
    assert "done([Done])" in chart
    if plan.id == "letter-week":
        assert '"7 times, every day"' in chart
    if plan.id == "coping-plan":
        assert "branches inside" in chart
