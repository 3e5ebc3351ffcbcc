"""The model: what a prompt, an exercise and a plan are.

Everything here is an immutable value that checks itself when built. A
definition that is not valid never exists: building it raises
`DefinitionError` with every problem and its path.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from . import _piping
from ._answers import AnswerKind, LongText, MultipleChoice, Scale, SingleChoice, YesNo
from ._conditions import Condition
from ._ids import check_id
from ._screening import SafetyRule
from .exceptions import DefinitionError, Problem

if TYPE_CHECKING:
    from ._layout import Layout

__all__ = [
    "Approach",
    "Exercise",
    "Kind",
    "Plan",
    "Prompt",
    "Repeat",
    "Stage",
    "Step",
]

MAX_REPEATS = 366
MAX_STEPS = 100_000


class Kind(enum.StrEnum):
    """A kind of rejection that an exercise or plan is written for."""

    ROMANTIC = "romantic"
    """Unreturned feelings, ghosting, a breakup."""
    SOCIAL = "social"
    """Left out, ignored, unfriended, excluded from a group."""
    PROFESSIONAL = "professional"
    """Not hired, passed over, harsh feedback, a job loss."""
    FAMILIAL = "familial"
    """Dismissal or neglect by family, exclusion from a family event."""
    ANY = "any"
    """Fits every kind of rejection."""


class Approach(enum.StrEnum):
    """The kind of help an exercise offers."""

    ACKNOWLEDGEMENT = "acknowledgement"
    SOCIAL_SUPPORT = "social-support"
    MINDFULNESS = "mindfulness"
    SELF_COMPASSION = "self-compassion"
    COGNITIVE = "cognitive"
    PROBLEM_SOLVING = "problem-solving"
    BEHAVIOURAL = "behavioural"
    COMMUNICATION = "communication"


def _to_enums(cls: type[enum.StrEnum], what: str, values: Iterable[str]) -> tuple[Any, ...]:
    if isinstance(values, str):
        values = (values,)
    out = []
    for value in values:
        try:
            out.append(cls(value))
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise DefinitionError.single(
                f"unknown_{what}", f"{value!r} is not a known {what}; use one of {allowed}.", what
            ) from None
    return tuple(dict.fromkeys(out))


def _to_kinds(values: Iterable[str]) -> tuple[Kind, ...]:
    return _to_enums(Kind, "kind", values)


def _to_approaches(values: Iterable[str]) -> tuple[Approach, ...]:
    return _to_enums(Approach, "approach", values)


def _nonempty(value: str, field: str, what: str) -> None:
    if not value.strip():
        raise DefinitionError.single("empty_text", f"The {what} needs a {field}.", field)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(values)


def _to_rules(rules: Iterable[SafetyRule]) -> tuple[SafetyRule, ...]:
    return tuple(rules)


def _check_rule(answer: AnswerKind, rule: SafetyRule, n: int) -> None:
    from ._validate import valid_value

    where = f"safety[{n}]"
    if not isinstance(answer, SingleChoice | MultipleChoice | YesNo | Scale):
        raise DefinitionError.single(
            "wrong_kind",
            "Safety rules go on choice, yes/no and scale prompts; free text is screened "
            "by the session's screener.",
            where,
        )
    if isinstance(answer, MultipleChoice):
        possible = rule.value in {o.value for o in answer.options}
    else:
        possible = valid_value(answer, rule.value)
    if not possible:
        raise DefinitionError.single(
            "impossible_value", f"{rule.value!r} is not a possible answer here.", where
        )


@attrs.frozen
class Prompt:
    """One question or instruction, reusable in any number of exercises.

    Attributes:
        id: A stable id, unique within the exercise that uses it.
        text: What the person reads. It may show earlier answers with
            ``{step}`` or ``{exercise.step}`` (see *Write your own exercise*).
        answer: What kind of answer it takes; free writing by default.
        required: Whether the person must answer it. Optional prompts can be
            skipped, which stores `SKIPPED`.
        help: A line of extra guidance shown beside the text.
        examples: Example answers, to show what fits.
        fallback_text: The text shown when a piped answer is missing. It is
            required whenever ``text`` shows an earlier answer.
        safety: Answers that raise a safety flag (choice, yes/no and scale
            prompts only; free text is screened by the session).

    Examples:
        >>> from rejection_toolkit import Prompt, Scale
        >>> hurt = Prompt("hurt", "How intense is the hurt right now?",
        ...               Scale(0, 10, min_label="none", max_label="the worst you can imagine"))
        >>> hurt.parse("7")
        7
    """

    id: str
    text: str
    answer: AnswerKind = attrs.field(factory=LongText)
    required: bool = False
    help: str | None = None
    examples: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    fallback_text: str | None = None
    safety: tuple[SafetyRule, ...] = attrs.field(default=(), converter=_to_rules)

    def __attrs_post_init__(self) -> None:
        problems = _collect(
            lambda: check_id(self.id, "prompt"),
            lambda: _nonempty(self.text, "text", "prompt"),
            lambda: self._check_piping(),
            *(lambda n=n, r=r: _check_rule(self.answer, r, n) for n, r in enumerate(self.safety)),
            *(lambda e=e: _nonempty(e, "examples", "example") for e in self.examples),
        )
        if problems:
            raise DefinitionError(problems).within(f"prompt {self.id!r}")

    def _check_piping(self) -> None:
        shown = _piping.refs(self.text)
        if self.fallback_text is not None:
            _nonempty(self.fallback_text, "fallback_text", "prompt")
            if _piping.refs(self.fallback_text):
                raise DefinitionError.single(
                    "invalid_fallback",
                    "fallback_text is shown when an answer is missing, so it cannot show answers.",
                    "fallback_text",
                )
        elif shown:
            raise DefinitionError.single(
                "missing_fallback",
                "This text shows an earlier answer; add fallback_text for when that answer "
                "is missing.",
                "fallback_text",
            )

    @property
    def shows(self) -> tuple[str, ...]:
        """The refs of the earlier answers that the text shows."""
        return _piping.refs(self.text)

    def parse(self, raw: object) -> Any:
        """Turn raw input into this prompt's typed value, or raise `AnswerError`."""
        return self.answer.parse(raw)

    def to_dict(self) -> dict[str, Any]:
        """Return the prompt as plain data (see `prompt_from_dict`)."""
        data: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "answer": self.answer.to_dict(),
            "required": self.required,
        }
        if self.help is not None:
            data["help"] = self.help
        if self.examples:
            data["examples"] = list(self.examples)
        if self.fallback_text is not None:
            data["fallback_text"] = self.fallback_text
        if self.safety:
            data["safety"] = [rule.to_dict() for rule in self.safety]
        return data

    def structure(self) -> dict[str, Any]:
        """The parts of the prompt that saved answers depend on."""
        return {"answer": self.answer.structure(), "required": self.required}


@attrs.frozen
class Step:
    """A prompt placed in an exercise, with an optional id and condition.

    Use a `Step` to reuse a prompt twice in one exercise (under another id),
    or to show it only when an earlier answer calls for it.

    Attributes:
        prompt: The prompt to show.
        id: The step's id within the exercise; the prompt's id by default.
        when: Show the step only when this holds; refs name earlier steps of
            the same exercise.
    """

    prompt: Prompt
    id: str = attrs.field(default=attrs.Factory(lambda self: self.prompt.id, takes_self=True))
    when: Condition | None = None

    def __attrs_post_init__(self) -> None:
        check_id(self.id, "step")

    def to_dict(self) -> dict[str, Any]:
        """Return the step as plain data."""
        data: dict[str, Any] = {"prompt": self.prompt.to_dict()}
        if self.id != self.prompt.id:
            data["id"] = self.id
        if self.when is not None:
            data["when"] = self.when.to_dict()
        return data


def _to_steps(items: Iterable[Prompt | Step]) -> tuple[Step, ...]:
    return tuple(i if isinstance(i, Step) else Step(i) for i in items)


@attrs.frozen
class Exercise:
    """A structured exercise: ordered steps with a title, a rationale and sources.

    Attributes:
        id: A stable id; keep it once released.
        title: A short title.
        steps: The steps in order; a `Prompt` is wrapped in a `Step`.
        version: Raise it when the steps change in a way saved answers notice.
        summary: One paragraph: what the exercise is.
        rationale: One paragraph: why it helps.
        sources: Where the idea comes from.
        kinds: The kinds of rejection it fits.
        approaches: The kinds of help it offers.
        minutes: A fair estimate of the time it takes.

    Examples:
        >>> from rejection_toolkit import Exercise, Prompt, ShortText
        >>> word = Prompt("word", "One word for today?", ShortText())
        >>> ex = Exercise("tiny", "A tiny exercise", [word])
        >>> [step.id for step in ex.steps]
        ['word']
    """

    id: str
    title: str
    steps: tuple[Step, ...] = attrs.field(converter=_to_steps)
    version: int = 1
    summary: str = ""
    rationale: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    kinds: tuple[Kind, ...] = attrs.field(default=(Kind.ANY,), converter=_to_kinds)
    approaches: tuple[Approach, ...] = attrs.field(default=(), converter=_to_approaches)
    minutes: int = 5

    def __attrs_post_init__(self) -> None:
        from ._validate import check_exercise

        problems = _collect(
            lambda: check_id(self.id, "exercise"),
            lambda: _nonempty(self.title, "title", "exercise"),
            lambda: _positive(self.version, "version"),
            lambda: _positive(self.minutes, "minutes"),
        )
        problems.extend(check_exercise(self))
        if problems:
            raise DefinitionError(problems).within(f"exercise {self.id!r}")

    def step(self, step_id: str) -> Step:
        """Return the step with id ``step_id``."""
        for step in self.steps:
            if step.id == step_id:
                return step
        known = ", ".join(s.id for s in self.steps)
        raise KeyError(f"Exercise {self.id!r} has no step {step_id!r}; its steps are {known}.")

    def extend(self, *steps: Prompt | Step) -> Exercise:
        """Return a copy with ``steps`` added at the end."""
        return attrs.evolve(self, steps=(*self.steps, *steps))

    def _check_known(self, step_ids: Iterable[str], field: str) -> None:
        known = [s.id for s in self.steps]
        unknown = [i for i in step_ids if i not in known]
        if unknown:
            raise DefinitionError.single(
                "unknown_step",
                f"There is no step {unknown[0]!r}; the steps are {', '.join(known)}.",
                f"exercise {self.id!r}",
                field,
            )

    def only(self, *step_ids: str, minutes: int | None = None) -> Exercise:
        """Return a shorter copy that keeps just the named steps, in their order.

        A kept step whose condition reads only steps that were left out is
        shown unconditionally: choosing it is choosing to show it. A condition
        that reads both kept and left-out steps cannot be trimmed safely and
        raises `DefinitionError`.

        Args:
            step_ids: The steps to keep.
            minutes: The new estimate; by default the old one scaled by the
                share of steps kept, and at least 1.
        """
        self._check_known(step_ids, "only")
        kept = set(step_ids)
        steps = []
        for n, step in enumerate(self.steps, 1):
            if step.id not in kept:
                continue
            if step.when is not None:
                refs = set(step.when.refs())
                if not refs & kept:
                    step = attrs.evolve(step, when=None)
                elif refs - kept:
                    raise DefinitionError.single(
                        "cannot_trim",
                        f"The condition reads {', '.join(sorted(refs - kept))}, which would be "
                        "left out; keep those steps too.",
                        f"exercise {self.id!r}",
                        f"step {n} {step.id!r}",
                        "when",
                    )
            steps.append(step)
        if minutes is None:
            minutes = max(1, round(self.minutes * len(steps) / len(self.steps)))
        return attrs.evolve(self, steps=steps, minutes=minutes)

    def without(self, *step_ids: str, minutes: int | None = None) -> Exercise:
        """Return a copy without the named steps; see `only` for the rules."""
        self._check_known(step_ids, "without")
        return self.only(*(s.id for s in self.steps if s.id not in step_ids), minutes=minutes)

    def to_dict(self) -> dict[str, Any]:
        """Return the exercise as plain data (see `definition_from_dict`)."""
        return {
            "type": "exercise",
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "summary": self.summary,
            "rationale": self.rationale,
            "sources": list(self.sources),
            "kinds": [str(k) for k in self.kinds],
            "approaches": [str(a) for a in self.approaches],
            "minutes": self.minutes,
            "steps": [s.to_dict() for s in self.steps],
        }

    def structure(self) -> dict[str, Any]:
        """The parts of the exercise that saved answers depend on."""
        return {
            "id": self.id,
            "steps": [
                {
                    "id": s.id,
                    **s.prompt.structure(),
                    "when": s.when.to_dict() if s.when else None,
                }
                for s in self.steps
            ],
        }


@attrs.frozen
class Stage:
    """An exercise placed in a plan, with an optional key and condition.

    Attributes:
        exercise: The exercise.
        key: Its key in the plan, used in refs (``"key.step"``) and results;
            the exercise id by default. Give another key to use the same
            exercise twice.
        when: Run the exercise only when this holds; refs name steps of
            earlier exercises as ``"key.step"``.
    """

    exercise: Exercise
    key: str = attrs.field(default=attrs.Factory(lambda self: self.exercise.id, takes_self=True))
    when: Condition | None = None

    def __attrs_post_init__(self) -> None:
        check_id(self.key, "stage")

    def to_dict(self) -> dict[str, Any]:
        """Return the stage as plain data."""
        data: dict[str, Any] = {"exercise": self.exercise.to_dict()}
        if self.key != self.exercise.id:
            data["key"] = self.key
        if self.when is not None:
            data["when"] = self.when.to_dict()
        return data


def _to_stages(items: Iterable[Exercise | Stage]) -> tuple[Stage, ...]:
    return tuple(i if isinstance(i, Stage) else Stage(i) for i in items)


@attrs.frozen
class Repeat:
    """Exercises done again and again, such as a letter once a day for a week.

    Each round is an occurrence, numbered from 1. Its answers are kept apart
    under ``"key#n/..."``, and when ``every`` is set, occurrence ``n`` is due
    at the session's start plus ``(n - 1) * every``.

    Attributes:
        key: The repeat's key in the plan.
        stages: The exercises of one round.
        times: How many rounds, from 1 to 366.
        every: The time between rounds, if they are spaced out.
        when: Run the repeat only when this holds.
    """

    key: str
    stages: tuple[Stage, ...] = attrs.field(converter=_to_stages)
    times: int
    every: timedelta | None = None
    when: Condition | None = None

    def __attrs_post_init__(self) -> None:
        problems = _collect(lambda: check_id(self.key, "repeat"))
        if not self.stages:
            problems.append(Problem(("stages",), "empty", "A repeat needs at least one exercise."))
        if not 1 <= self.times <= MAX_REPEATS:
            problems.append(
                Problem(("times",), "invalid_times", f"times must be from 1 to {MAX_REPEATS}.")
            )
        if self.every is not None and self.every < timedelta(0):
            problems.append(Problem(("every",), "invalid_every", "every must not be negative."))
        if problems:
            raise DefinitionError(problems).within(f"repeat {self.key!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the repeat as plain data."""
        data: dict[str, Any] = {
            "repeat": self.key,
            "times": self.times,
            "stages": [s.to_dict() for s in self.stages],
        }
        if self.every is not None:
            data["every_seconds"] = int(self.every.total_seconds())
        if self.when is not None:
            data["when"] = self.when.to_dict()
        return data


def _to_items(items: Iterable[Exercise | Stage | Repeat]) -> tuple[Stage | Repeat, ...]:
    return tuple(Stage(i) if isinstance(i, Exercise) else i for i in items)


@attrs.frozen(cache_hash=True)
class Plan:
    """Exercises in sequence, with branches (conditions) and repeats.

    Attributes:
        id: A stable id; keep it once released.
        title: A short title.
        items: The exercises in order; an `Exercise` is wrapped in a `Stage`.
        version: Raise it when the plan changes.
        summary: One paragraph: what the plan is for.
        kinds: The kinds of rejection it fits.

    Examples:
        >>> from rejection_toolkit import Exercise, Plan, Prompt
        >>> first = Exercise("first", "First", [Prompt("a", "What happened?")])
        >>> second = Exercise("second", "Second", [Prompt("b", "What do you need now?")])
        >>> plan = Plan("mine", "My plan", [first, second])
        >>> [stage.key for stage in plan.stages]
        ['first', 'second']
    """

    id: str
    title: str
    items: tuple[Stage | Repeat, ...] = attrs.field(converter=_to_items)
    version: int = 1
    summary: str = ""
    kinds: tuple[Kind, ...] = attrs.field(default=(Kind.ANY,), converter=_to_kinds)

    def __attrs_post_init__(self) -> None:
        from ._validate import check_plan

        problems = _collect(
            lambda: check_id(self.id, "plan"),
            lambda: _nonempty(self.title, "title", "plan"),
            lambda: _positive(self.version, "version"),
        )
        if not self.items:
            problems.append(Problem(("items",), "empty", "A plan needs at least one exercise."))
        else:
            problems.extend(check_plan(self))
        if problems:
            raise DefinitionError(problems).within(f"plan {self.id!r}")

    @classmethod
    def of(cls, exercise: Exercise) -> Plan:
        """Return a plan that runs just ``exercise``, with the same id and title."""
        return cls(
            exercise.id,
            exercise.title,
            [exercise],
            version=exercise.version,
            summary=exercise.summary,
            kinds=exercise.kinds,
        )

    def then(self, *items: Exercise | Stage | Repeat) -> Plan:
        """Return a copy with ``items`` added at the end."""
        return attrs.evolve(self, items=(*self.items, *items))

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Every stage, including those inside repeats, in order."""
        return tuple(self._iter_stages())

    def _iter_stages(self) -> Iterator[Stage]:
        for item in self.items:
            if isinstance(item, Repeat):
                yield from item.stages
            else:
                yield item

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """The distinct exercises of the plan, in order of first use."""
        return tuple({s.exercise.id: s.exercise for s in self.stages}.values())

    @property
    def approaches(self) -> tuple[Approach, ...]:
        """The approaches of its exercises, in order of first use."""
        return tuple(dict.fromkeys(a for e in self.exercises for a in e.approaches))

    @property
    def minutes(self) -> int:
        """An estimate of one sitting: every exercise once, a repeat's round once."""
        return sum(s.exercise.minutes for s in self.stages)

    @functools.cached_property
    def layout(self) -> Layout:
        """The plan flattened into the steps a session walks (computed once)."""
        from ._layout import Layout

        return Layout.build(self)

    @property
    def fingerprint(self) -> str:
        """A hash of the plan's structure: ids, kinds, choice values, conditions.

        Display text is left out, so fixing a typo keeps saved sessions valid.
        """
        return self.layout.fingerprint

    def to_mermaid(self) -> str:
        """Return the plan as a Mermaid flowchart of its exercises, branches and repeats.

        Examples:
            >>> from rejection_toolkit import catalog
            >>> print(catalog().plan("five-minutes").to_mermaid().splitlines()[0])
            flowchart TD
        """
        from ._diagram import to_mermaid

        return to_mermaid(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as plain data, with its exercises inlined."""
        return {
            "type": "plan",
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "summary": self.summary,
            "kinds": [str(k) for k in self.kinds],
            "items": [i.to_dict() for i in self.items],
        }


def _positive(value: int, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DefinitionError.single(
            "invalid_number", f"{field} must be a whole number of 1 or more.", field
        )


def _collect(*checks: Any) -> list[Problem]:
    problems: list[Problem] = []
    for check in checks:
        try:
            check()
        except DefinitionError as error:
            problems.extend(error.problems)
    return problems
