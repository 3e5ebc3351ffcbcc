"""Answer kinds: what a prompt asks for, and how raw input becomes a typed value.

Each kind parses what a user interface hands over (a string from a form, a
number or a list from a JSON body) into one typed value, or raises
`AnswerError` with a code, a kind message and its parameters. Messages never
repeat the answer.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeAlias, cast

import attrs

from ._ids import check_id
from .exceptions import AnswerError, DefinitionError

__all__ = [
    "SKIPPED",
    "AnswerKind",
    "Choice",
    "Info",
    "ItemList",
    "LongText",
    "MultipleChoice",
    "Scale",
    "Selection",
    "ShortText",
    "SingleChoice",
    "Skipped",
    "YesNo",
]

JSON: TypeAlias = Any
Display: TypeAlias = "str | tuple[str, ...]"


class Skipped(enum.Enum):
    """The type of `SKIPPED`, the value stored when a person skips a step."""

    SKIPPED = "skipped"

    def __repr__(self) -> str:
        return "SKIPPED"


SKIPPED = Skipped.SKIPPED
"""Stored in place of a value when a person chose to skip a step."""


def _hidden(_: object) -> str:
    return "<hidden>"


@attrs.frozen
class Selection:
    """The answer to a `MultipleChoice` prompt.

    Attributes:
        values: The chosen option values, in the order the options are listed.
        other: The free text given for "something else", if any.
    """

    values: tuple[str, ...] = attrs.field(repr=_hidden)
    other: str | None = attrs.field(default=None, repr=_hidden)


class AnswerKind:
    """What a prompt asks for. Use one of the concrete kinds below."""

    __slots__ = ()

    kind: ClassVar[str]
    """The name of the kind in definitions, e.g. ``"short_text"``."""

    takes_answer: ClassVar[bool] = True
    """False only for `Info`, which is read rather than answered."""

    def parse(self, raw: object) -> Any:
        """Turn raw input into this kind's value, or raise `AnswerError`."""
        raise NotImplementedError

    def display(self, value: Any) -> str | tuple[str, ...]:
        """Return how a parsed value reads to a person (labels for choices)."""
        return str(value)

    def to_json_value(self, value: Any) -> JSON:
        """Return a parsed value as plain JSON data that `parse` accepts back."""
        return value

    def free_text(self, value: Any) -> tuple[str, ...]:
        """Return the parts of a value that the person wrote in their own words."""
        return ()

    def to_dict(self) -> dict[str, Any]:
        """Return the definition of this kind as plain data."""
        fields: dict[str, Any] = attrs.asdict(cast(Any, self), recurse=False)
        if "options" in fields:
            fields["options"] = [{"value": o.value, "label": o.label} for o in fields["options"]]
        return {"kind": self.kind, **fields}

    def structure(self) -> dict[str, Any]:
        """Return the parts that saved answers depend on (no display text)."""
        return self.to_dict()


def _problem(code: str, message: str) -> DefinitionError:
    return DefinitionError.single(code, message, "answer")


def _check_text(raw: object, min_length: int, max_length: int) -> str:
    if not isinstance(raw, str):
        raise AnswerError("wrong_type", "This step expects text.", expected="text")
    text = raw.strip()
    if not text:
        raise AnswerError(
            "empty", "This answer is empty. Write a few words, or skip it if you can."
        )
    if len(text) < min_length:
        raise AnswerError(
            "too_short",
            f"Please write at least {min_length} characters.",
            min_length=min_length,
            length=len(text),
        )
    if len(text) > max_length:
        raise AnswerError(
            "too_long",
            f"Please keep this to {max_length} characters or fewer.",
            max_length=max_length,
            length=len(text),
        )
    return text


def _check_lengths(min_length: int, max_length: int) -> None:
    if min_length < 1:
        raise _problem("invalid_length", "min_length must be at least 1.")
    if max_length < min_length:
        raise _problem("invalid_length", "max_length must not be below min_length.")


class _Text(AnswerKind):
    """Behaviour shared by the free-text kinds; each subclass sets its limits."""

    __slots__ = ()
    min_length: int
    max_length: int

    def __attrs_post_init__(self) -> None:
        _check_lengths(self.min_length, self.max_length)

    def parse(self, raw: object) -> str:
        return _check_text(raw, self.min_length, self.max_length)

    def free_text(self, value: Any) -> tuple[str, ...]:
        return (value,)


@attrs.frozen
class ShortText(_Text):
    """A line or two of text, such as a name or a short phrase."""

    kind: ClassVar[str] = "short_text"
    min_length: int = 1
    max_length: int = 200


@attrs.frozen
class LongText(_Text):
    """Free writing of any length up to a generous limit; line breaks are kept."""

    kind: ClassVar[str] = "long_text"
    min_length: int = 1
    max_length: int = 10_000


@attrs.frozen
class Choice:
    """One option of a choice prompt.

    Attributes:
        value: The stable value stored in answers and used in conditions.
        label: What the person sees.
    """

    value: str
    label: str

    def __attrs_post_init__(self) -> None:
        check_id(self.value, "choice")
        if not self.label.strip():
            raise DefinitionError.single("empty_label", "A choice needs a label.", "label")


def _to_choices(options: Iterable[Choice | tuple[str, str]]) -> tuple[Choice, ...]:
    return tuple(o if isinstance(o, Choice) else Choice(*o) for o in options)


def _check_options(options: tuple[Choice, ...]) -> None:
    if not options:
        raise _problem("no_choices", "A choice prompt needs at least one option.")
    seen: set[str] = set()
    for option in options:
        if option.value in seen:
            raise _problem(
                "duplicate_choice", f"The choice value {option.value!r} is listed twice."
            )
        seen.add(option.value)


def _choice_error(values: Iterable[str]) -> AnswerError:
    return AnswerError(
        "unknown_choice", "Please pick one of the options shown.", allowed=list(values)
    )


@attrs.frozen
class SingleChoice(AnswerKind):
    """Pick exactly one of the options. The answer is the option's value."""

    kind: ClassVar[str] = "single_choice"
    options: tuple[Choice, ...] = attrs.field(converter=_to_choices)

    def __attrs_post_init__(self) -> None:
        _check_options(self.options)

    @property
    def _labels(self) -> Mapping[str, str]:
        return {o.value: o.label for o in self.options}

    def parse(self, raw: object) -> str:
        if not isinstance(raw, str):
            raise AnswerError(
                "wrong_type", "This step expects one of the options.", expected="choice"
            )
        if raw not in self._labels:
            raise _choice_error(self._labels)
        return raw

    def display(self, value: Any) -> str:
        return self._labels[value]

    def structure(self) -> dict[str, Any]:
        return {"kind": self.kind, "options": [o.value for o in self.options]}


@attrs.frozen
class MultipleChoice(AnswerKind):
    """Pick any number of options, optionally with "something else" in free text.

    Raw input is a list of option values, or a mapping
    ``{"selected": [...], "other": "free text"}`` when ``other`` is allowed.
    The answer is a `Selection`.
    """

    kind: ClassVar[str] = "multiple_choice"
    options: tuple[Choice, ...] = attrs.field(converter=_to_choices)
    min_selected: int = 1
    max_selected: int | None = None
    other: bool = False
    other_label: str = "Something else"
    other_max_length: int = 200

    def __attrs_post_init__(self) -> None:
        _check_options(self.options)
        if self.min_selected < 0:
            raise _problem("invalid_bounds", "min_selected must not be negative.")
        limit = len(self.options) + (1 if self.other else 0)
        if self.max_selected is not None and not (
            max(self.min_selected, 1) <= self.max_selected <= limit
        ):
            raise _problem(
                "invalid_bounds",
                "max_selected must be at least min_selected and at most the number of options.",
            )
        if self.min_selected > limit:
            raise _problem("invalid_bounds", "min_selected is more than the options offered.")

    def parse(self, raw: object) -> Selection:
        other: str | None = None
        if isinstance(raw, Selection):
            raw = {"selected": list(raw.values), "other": raw.other}
        if isinstance(raw, Mapping):
            unknown = set(raw) - {"selected", "other"}
            if unknown:
                raise AnswerError(
                    "wrong_type",
                    "A selection has only 'selected' and 'other'.",
                    unknown=sorted(map(str, unknown)),
                )
            raw_other = raw.get("other")
            if raw_other is not None:
                if not self.other:
                    raise AnswerError(
                        "other_not_allowed", "This step has no 'something else' option."
                    )
                other = _check_text(raw_other, 1, self.other_max_length)
            raw = raw.get("selected", [])
        if isinstance(raw, str) or not isinstance(raw, Iterable):
            raise AnswerError(
                "wrong_type", "This step expects a list of options.", expected="choices"
            )
        chosen = list(raw)
        labels = {o.value for o in self.options}
        if any(not isinstance(c, str) or c not in labels for c in chosen):
            raise _choice_error(o.value for o in self.options)
        if len(set(chosen)) != len(chosen):
            raise AnswerError("duplicate_choice", "Each option can be picked only once.")
        count = len(chosen) + (1 if other is not None else 0)
        if count < self.min_selected:
            raise AnswerError(
                "too_few",
                f"Please pick at least {self.min_selected}.",
                min_selected=self.min_selected,
                count=count,
            )
        if self.max_selected is not None and count > self.max_selected:
            raise AnswerError(
                "too_many",
                f"Please pick no more than {self.max_selected}.",
                max_selected=self.max_selected,
                count=count,
            )
        order = {o.value: i for i, o in enumerate(self.options)}
        return Selection(values=tuple(sorted(chosen, key=order.__getitem__)), other=other)

    def display(self, value: Any) -> tuple[str, ...]:
        labels = {o.value: o.label for o in self.options}
        shown = tuple(labels[v] for v in value.values)
        return shown + ((value.other,) if value.other is not None else ())

    def to_json_value(self, value: Any) -> JSON:
        if value.other is None:
            return list(value.values)
        return {"selected": list(value.values), "other": value.other}

    def free_text(self, value: Any) -> tuple[str, ...]:
        return (value.other,) if value.other is not None else ()

    def structure(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "options": [o.value for o in self.options],
            "min_selected": self.min_selected,
            "max_selected": self.max_selected,
            "other": self.other,
            "other_max_length": self.other_max_length,
        }


@attrs.frozen
class Scale(AnswerKind):
    """A whole number on a scale, such as 0 to 10, with labels for the two ends."""

    kind: ClassVar[str] = "scale"
    min: int = 0
    max: int = 10
    step: int = 1
    min_label: str | None = None
    max_label: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.min >= self.max:
            raise _problem("invalid_scale", "A scale's min must be below its max.")
        if self.step < 1 or (self.max - self.min) % self.step:
            raise _problem(
                "invalid_scale", "A scale's step must be positive and divide max - min evenly."
            )

    def parse(self, raw: object) -> int:
        number: int
        if isinstance(raw, bool):
            raise AnswerError("wrong_type", "This step expects a number.", expected="number")
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
            number = int(raw)
        elif isinstance(raw, str) and raw.strip().lstrip("+-").isdigit() and len(raw) < 20:
            number = int(raw.strip())
        else:
            raise AnswerError("wrong_type", "This step expects a whole number.", expected="number")
        if not self.min <= number <= self.max:
            raise AnswerError(
                "out_of_range",
                f"Please pick a number from {self.min} to {self.max}.",
                min=self.min,
                max=self.max,
            )
        if (number - self.min) % self.step:
            raise AnswerError(
                "off_step",
                f"Please pick a number in steps of {self.step}, starting at {self.min}.",
                step=self.step,
                min=self.min,
            )
        return number

    def structure(self) -> dict[str, Any]:
        return {"kind": self.kind, "min": self.min, "max": self.max, "step": self.step}


@attrs.frozen
class ItemList(AnswerKind):
    """A list of short items, such as people you trust or options to consider.

    Raw input is a list of strings; blank items are dropped.
    """

    kind: ClassVar[str] = "item_list"
    min_items: int = 1
    max_items: int = 20
    max_length: int = 200

    def __attrs_post_init__(self) -> None:
        if self.min_items < 1 or self.max_items < self.min_items:
            raise _problem(
                "invalid_bounds", "min_items must be at least 1 and max_items at least min_items."
            )
        _check_lengths(1, self.max_length)

    def parse(self, raw: object) -> tuple[str, ...]:
        if isinstance(raw, str) or not isinstance(raw, Iterable):
            raise AnswerError("wrong_type", "This step expects a list.", expected="list")
        items = []
        for item in raw:
            if not isinstance(item, str):
                raise AnswerError("wrong_type", "Each item should be text.", expected="text")
            if item.strip():
                items.append(_check_text(item, 1, self.max_length))
        if len(items) < self.min_items:
            raise AnswerError(
                "too_few",
                f"Please add at least {self.min_items}.",
                min_items=self.min_items,
                count=len(items),
            )
        if len(items) > self.max_items:
            raise AnswerError(
                "too_many",
                f"Please keep it to {self.max_items} or fewer.",
                max_items=self.max_items,
                count=len(items),
            )
        return tuple(items)

    def display(self, value: Any) -> tuple[str, ...]:
        return tuple(value)

    def to_json_value(self, value: Any) -> JSON:
        return list(value)

    def free_text(self, value: Any) -> tuple[str, ...]:
        return tuple(value)


_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


@attrs.frozen
class YesNo(AnswerKind):
    """Yes or no. Raw input is a bool, or the words yes/no (y/n, true/false)."""

    kind: ClassVar[str] = "yes_no"
    yes_label: str = "Yes"
    no_label: str = "No"

    def parse(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in _YES:
                return True
            if word in _NO:
                return False
        raise AnswerError("wrong_type", "Please answer yes or no.", expected="yes_no")

    def display(self, value: Any) -> str:
        return self.yes_label if value else self.no_label

    def structure(self) -> dict[str, Any]:
        return {"kind": self.kind}


@attrs.frozen
class Info(AnswerKind):
    """Something to read or do, with nothing to answer.

    Attributes:
        seconds: A suggested time to spend on it, if any.
    """

    kind: ClassVar[str] = "info"
    takes_answer: ClassVar[bool] = False
    seconds: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.seconds is not None and self.seconds < 1:
            raise _problem("invalid_duration", "seconds must be a positive whole number.")

    def parse(self, raw: object) -> None:
        if raw is None or raw == "":
            return
        raise AnswerError("not_answerable", "This step has nothing to answer; just continue.")

    def structure(self) -> dict[str, Any]:
        return {"kind": self.kind}


ANSWER_KINDS: Mapping[str, type[AnswerKind]] = {
    cls.kind: cls
    for cls in (ShortText, LongText, SingleChoice, MultipleChoice, Scale, ItemList, YesNo, Info)
}
