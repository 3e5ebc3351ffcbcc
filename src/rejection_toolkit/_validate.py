"""Checks that run when an exercise or a plan is built.

They find duplicate ids, references to unknown or later steps, conditions that
do not fit the answer they test, and conditions that no answer could ever
satisfy (steps that could never be reached). Each problem names its path.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._answers import (
    SKIPPED,
    AnswerKind,
    Info,
    MultipleChoice,
    Scale,
    Selection,
    SingleChoice,
    YesNo,
)
from ._conditions import (
    ABSENT,
    UNKNOWN,
    Compare,
    Condition,
    Equals,
    Includes,
    OneOf,
    Predicates,
    _OnRef,
    _Unknown,
)
from .exceptions import Problem

if TYPE_CHECKING:
    from ._model import Exercise, Plan, Prompt, Stage

MAX_ASSIGNMENTS = 100_000


@attrs.frozen
class Target:
    """A step that a reference can point to."""

    prompt: Prompt
    guarded: bool
    """True when the step may be left out by a condition."""


def check_exercise(exercise: Exercise) -> list[Problem]:
    problems: list[Problem] = []
    if not exercise.steps:
        return [Problem(("steps",), "empty", "An exercise needs at least one step.")]
    earlier: dict[str, Target] = {}
    every = {s.id for s in exercise.steps}
    for n, step in enumerate(exercise.steps, 1):
        where = (f"step {n} {step.id!r}",)
        if step.id in earlier:
            problems.append(
                Problem(where, "duplicate_id", f"Another step already has the id {step.id!r}.")
            )
        if step.when is not None:
            for ref in step.when.refs():
                if "." in ref:
                    problems.append(
                        Problem(
                            (*where, "when"),
                            "invalid_ref",
                            f"{ref!r}: a step's condition refers to earlier steps of the same "
                            "exercise by id alone; put conditions on other exercises in the plan.",
                        )
                    )
            problems.extend(check_condition(step.when, earlier, every, (*where, "when")))
        for ref in step.prompt.shows:
            if "." not in ref:
                problems.extend(_check_shown(ref, earlier, every, (*where, "text")))
        earlier[step.id] = Target(step.prompt, guarded=step.when is not None)
    return problems


def check_plan(plan: Plan) -> list[Problem]:
    from ._model import MAX_STEPS, Repeat

    problems: list[Problem] = []
    keys: set[str] = set()
    every: set[str] = {f"{s.key}.{step.id}" for s in plan.stages for step in s.exercise.steps}
    earlier: dict[str, Target] = {}
    total = 0
    for n, item in enumerate(plan.items, 1):
        if isinstance(item, Repeat):
            where: tuple[str, ...] = (f"item {n}", f"repeat {item.key!r}")
            if item.key in keys:
                problems.append(
                    Problem(where, "duplicate_id", f"The key {item.key!r} is used twice.")
                )
            keys.add(item.key)
            if item.when is not None:
                problems.extend(_check_plan_condition(item.when, earlier, every, (*where, "when")))
            for m, stage in enumerate(item.stages, 1):
                problems.extend(
                    _check_stage(
                        stage, keys, earlier, every, (*where, f"stage {m}"), item.when is not None
                    )
                )
            total += item.times * sum(len(s.exercise.steps) for s in item.stages)
        else:
            problems.extend(_check_stage(item, keys, earlier, every, (f"item {n}",), False))
            total += len(item.exercise.steps)
    if total > MAX_STEPS:
        problems.append(
            Problem(
                ("items",),
                "too_large",
                f"The plan unrolls to {total} steps; the limit is {MAX_STEPS}.",
            )
        )
    return problems


def _check_stage(
    stage: Stage,
    keys: set[str],
    earlier: dict[str, Target],
    every: set[str],
    where: tuple[str, ...],
    guarded: bool,
) -> list[Problem]:
    problems: list[Problem] = []
    where = (*where, f"exercise {stage.exercise.id!r}")
    if stage.key in keys:
        problems.append(
            Problem(
                where,
                "duplicate_id",
                f"The key {stage.key!r} is used twice; give one of the stages another key.",
            )
        )
    keys.add(stage.key)
    if stage.when is not None:
        problems.extend(_check_plan_condition(stage.when, earlier, every, (*where, "when")))
    guarded = guarded or stage.when is not None
    stage_keys = {ref.split(".")[0] for ref in every}
    for n, step in enumerate(stage.exercise.steps, 1):
        for ref in step.prompt.shows:
            if "." in ref and ref.split(".")[0] in stage_keys:
                problems.extend(
                    _check_shown(ref, earlier, every, (*where, f"step {n} {step.id!r}", "text"))
                )
        earlier[f"{stage.key}.{step.id}"] = Target(
            step.prompt, guarded=guarded or step.when is not None
        )
    return problems


def _check_plan_condition(
    condition: Condition, earlier: Mapping[str, Target], every: set[str], where: tuple[str, ...]
) -> list[Problem]:
    for ref in condition.refs():
        if "." not in ref:
            return [
                Problem(
                    where,
                    "invalid_ref",
                    f"{ref!r}: in a plan, refer to a step as 'exercise.step'.",
                )
            ]
    return check_condition(condition, earlier, every, where)


def _check_shown(
    ref: str, earlier: Mapping[str, Target], every: set[str], where: tuple[str, ...]
) -> list[Problem]:
    problem = _ref_problem(ref, earlier, every, where)
    if problem:
        return [problem]
    if isinstance(earlier[ref].prompt.answer, Info):
        return [
            Problem(where, "invalid_ref", f"{ref!r} is an info step; it has no answer to show.")
        ]
    return []


def _ref_problem(
    ref: str, earlier: Mapping[str, Target], every: set[str], where: tuple[str, ...]
) -> Problem | None:
    if ref in earlier:
        return None
    if ref in every:
        return Problem(
            where,
            "later_ref",
            f"{ref!r} comes later; a step can only depend on answers given before it.",
        )
    known = ", ".join(sorted(earlier)) or "none"
    return Problem(
        where,
        "unknown_ref",
        f"{ref!r} is not a step here; the earlier steps are: {known}.",
    )


def check_condition(
    condition: Condition, earlier: Mapping[str, Target], every: set[str], where: tuple[str, ...]
) -> list[Problem]:
    """Check refs and types in ``condition``, then that some answers satisfy it."""
    problems: list[Problem] = []
    for atom in condition.walk():
        if not isinstance(atom, _OnRef):
            continue
        problem = _ref_problem(atom.ref, earlier, every, where)
        if problem is None:
            problem = _type_problem(atom, earlier[atom.ref].prompt.answer, where)
        if problem is not None:
            problems.append(problem)
    if not problems and not _satisfiable(condition, earlier):
        problems.append(
            Problem(
                where,
                "unreachable",
                "No combination of answers makes this condition hold, so this part could "
                "never be reached.",
            )
        )
    return problems


def valid_value(kind: AnswerKind, value: object) -> bool:
    if isinstance(kind, SingleChoice):
        return isinstance(value, str) and value in {o.value for o in kind.options}
    if isinstance(kind, YesNo):
        return isinstance(value, bool)
    if isinstance(kind, Scale):
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and kind.min <= value <= kind.max
            and (value - kind.min) % kind.step == 0
        )
    return False


def _type_problem(atom: _OnRef, kind: AnswerKind, where: tuple[str, ...]) -> Problem | None:
    ref = atom.ref
    if isinstance(kind, Info):
        return Problem(where, "invalid_ref", f"{ref!r} is an info step; it has no answer to test.")
    if isinstance(atom, Equals | OneOf):
        if not isinstance(kind, SingleChoice | YesNo | Scale):
            return Problem(
                where,
                "wrong_kind",
                f"'{atom.kind}' tests single-choice, yes/no and scale answers; {ref!r} is "
                f"{kind.kind}. Use 'includes' for multiple choice, 'answered' for text.",
            )
        values = (atom.value,) if isinstance(atom, Equals) else atom.values
        bad = [v for v in values if not valid_value(kind, v)]
        if bad:
            return Problem(
                where,
                "impossible_value",
                f"{bad[0]!r} is not a possible answer to {ref!r} ({kind.kind}).",
            )
    elif isinstance(atom, Includes):
        if not isinstance(kind, MultipleChoice):
            return Problem(
                where,
                "wrong_kind",
                f"'includes' tests multiple-choice answers; {ref!r} is {kind.kind}.",
            )
        if atom.value not in {o.value for o in kind.options}:
            return Problem(
                where, "impossible_value", f"{atom.value!r} is not an option of {ref!r}."
            )
    elif isinstance(atom, Compare) and not isinstance(kind, Scale):
        return Problem(
            where, "wrong_kind", f"'compare' tests scale answers; {ref!r} is {kind.kind}."
        )
    return None


def _domain(target: Target, includes: set[str]) -> list[Any]:
    kind = target.prompt.answer
    values: list[Any]
    if isinstance(kind, SingleChoice):
        values = [o.value for o in kind.options]
    elif isinstance(kind, YesNo):
        values = [True, False]
    elif isinstance(kind, Scale):
        values = list(range(kind.min, kind.max + 1, kind.step))
    elif isinstance(kind, MultipleChoice):
        chosen = sorted(includes)
        values = [
            Selection(values=combo)
            for r in range(len(chosen) + 1)
            for combo in itertools.combinations(chosen, r)
        ]
    else:
        values = ["text"]
    if not target.prompt.required:
        values.append(SKIPPED)
    if target.guarded:
        values.append(ABSENT)
    return values


@attrs.frozen
class _Assignment:
    values: Mapping[str, Any]

    def value(self, ref: str) -> Any:
        return self.values[ref]

    def mapping(self) -> _Unknown:
        return UNKNOWN


def _satisfiable(condition: Condition, earlier: Mapping[str, Target]) -> bool:
    refs = sorted(set(condition.refs()))
    includes: dict[str, set[str]] = {r: set() for r in refs}
    for atom in condition.walk():
        if isinstance(atom, Includes):
            includes[atom.ref].add(atom.value)
    domains = [_domain(earlier[r], includes[r]) for r in refs]
    size = 1
    for d in domains:
        size *= len(d)
    if size > MAX_ASSIGNMENTS:
        return True
    for combo in itertools.product(*domains):
        if (
            condition.evaluate(_Assignment(dict(zip(refs, combo, strict=True))), _NO_PREDICATES)
            is not False
        ):
            return True
    return False


_NO_PREDICATES = Predicates()
