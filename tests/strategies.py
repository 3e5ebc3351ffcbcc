"""Hypothesis strategies for definitions, answers and sessions."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from rejection_toolkit import (
    AnswerKind,
    Choice,
    Exercise,
    Info,
    ItemList,
    LongText,
    MultipleChoice,
    Plan,
    Prompt,
    Repeat,
    Scale,
    ShortText,
    SingleChoice,
    Stage,
    Step,
    YesNo,
    answer,
)

ids = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
words = st.text(alphabet=string.ascii_letters + " ,.'", min_size=1, max_size=30).filter(
    lambda s: s.strip()
)

# Text a person might type: any Unicode except surrogates, never blank.
any_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda s: s.strip())

times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@st.composite
def choices(draw: st.DrawFn, min_size: int = 1) -> list[Choice]:
    values = draw(st.lists(ids, min_size=min_size, max_size=5, unique=True))
    return [Choice(v, draw(words)) for v in values]


@st.composite
def answer_kinds(draw: st.DrawFn) -> AnswerKind:
    kind = draw(
        st.sampled_from(["short", "long", "single", "multi", "scale", "list", "yes_no", "info"])
    )
    if kind == "short":
        return ShortText(max_length=draw(st.integers(5, 200)))
    if kind == "long":
        return LongText()
    if kind == "single":
        return SingleChoice(draw(choices()))
    if kind == "multi":
        options = draw(choices())
        other = draw(st.booleans())
        limit = len(options) + other
        low = draw(st.integers(0, limit))
        high = draw(st.none() | st.integers(max(low, 1), limit))
        return MultipleChoice(options, min_selected=low, max_selected=high, other=other)
    if kind == "scale":
        low = draw(st.integers(-5, 5))
        step = draw(st.integers(1, 3))
        return Scale(low, low + step * draw(st.integers(1, 6)), step)
    if kind == "list":
        low = draw(st.integers(1, 3))
        return ItemList(min_items=low, max_items=low + draw(st.integers(0, 3)))
    if kind == "yes_no":
        return YesNo()
    return Info(seconds=draw(st.none() | st.integers(1, 120)))


@st.composite
def prompts(draw: st.DrawFn, prompt_id: str | None = None) -> Prompt:
    return Prompt(
        prompt_id or draw(ids),
        draw(words),
        draw(answer_kinds()),
        required=draw(st.booleans()),
        help=draw(st.none() | words),
        examples=draw(st.lists(words, max_size=2)),
    )


def raw_answers(kind: AnswerKind) -> st.SearchStrategy[Any]:
    """Raw input that ``kind`` accepts."""
    if isinstance(kind, ShortText):
        return any_text.filter(lambda s: len(s.strip()) <= kind.max_length)
    if isinstance(kind, LongText):
        return any_text
    if isinstance(kind, SingleChoice):
        return st.sampled_from([o.value for o in kind.options])
    if isinstance(kind, MultipleChoice):
        return _selections(kind)
    if isinstance(kind, Scale):
        return st.sampled_from(list(range(kind.min, kind.max + 1, kind.step)))
    if isinstance(kind, ItemList):
        return st.lists(any_text, min_size=kind.min_items, max_size=kind.max_items)
    if isinstance(kind, YesNo):
        return st.booleans()
    return st.none()


@st.composite
def _selections(draw: st.DrawFn, kind: MultipleChoice) -> Any:
    values = [o.value for o in kind.options]
    limit = kind.max_selected if kind.max_selected is not None else len(values) + kind.other

    def bounds(other: int) -> tuple[int, int]:
        return max(kind.min_selected - other, 0), min(limit - other, len(values))

    feasible = [o for o in (0, 1) if (o == 0 or kind.other) and bounds(o)[0] <= bounds(o)[1]]
    with_other = draw(st.sampled_from(feasible))
    low, high = bounds(with_other)
    chosen = draw(st.lists(st.sampled_from(values), min_size=low, max_size=high, unique=True))
    if with_other:
        return {"selected": chosen, "other": draw(any_text.filter(lambda s: len(s.strip()) <= 200))}
    return chosen


@st.composite
def exercises(draw: st.DrawFn, exercise_id: str | None = None) -> Exercise:
    step_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    steps: list[Step] = []
    for step_id in step_ids:
        prompt = draw(prompts(step_id))
        when = None
        branchable = [
            s for s in steps if isinstance(s.prompt.answer, SingleChoice | YesNo) and s.when is None
        ]
        if branchable and draw(st.booleans()):
            target = draw(st.sampled_from(branchable))
            kind = target.prompt.answer
            value: Any = (
                draw(st.sampled_from([o.value for o in kind.options]))
                if isinstance(kind, SingleChoice)
                else draw(st.booleans())
            )
            when = answer(target.id).equals(value)
        steps.append(Step(prompt, when=when))
    return Exercise(
        exercise_id or draw(ids),
        draw(words),
        steps,
        version=draw(st.integers(1, 3)),
        summary=draw(words),
        rationale=draw(words),
        sources=draw(st.lists(words, max_size=2)),
        kinds=draw(
            st.lists(st.sampled_from(["romantic", "social", "any"]), min_size=1, max_size=2)
        ),
        minutes=draw(st.integers(1, 30)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    keys = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    items: list[Stage | Repeat] = []
    earlier: list[tuple[str, Step]] = []
    for key in keys:
        exercise = draw(exercises(key))
        when = None
        yes_no = [(k, s) for k, s in earlier if isinstance(s.prompt.answer, YesNo)]
        if yes_no and draw(st.booleans()):
            stage_key, step = draw(st.sampled_from(yes_no))
            when = answer(f"{stage_key}.{step.id}").equals(draw(st.booleans()))
        stage = Stage(exercise, when=when)
        if draw(st.integers(0, 4)) == 0:
            every = draw(st.none() | st.integers(0, 3).map(lambda d: timedelta(days=d)))
            items.append(Repeat(f"{key}-r", [stage], times=draw(st.integers(1, 3)), every=every))
        else:
            items.append(stage)
            earlier.extend((key, s) for s in exercise.steps)
    return Plan(draw(ids), draw(words), items, version=draw(st.integers(1, 3)))
