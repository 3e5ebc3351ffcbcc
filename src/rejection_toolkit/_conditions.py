"""Conditions: when a step or an exercise is shown, written as data.

A condition is a small tree of frozen objects that serialises to JSON. It is
never a string of code, and nothing here calls `eval`. For logic that data
cannot express, `Predicate` names a Python function that the host passes to
the session in a `Predicates` registry, so a plan stays serialisable.

Build conditions with `answer`.

Examples:
    >>> from rejection_toolkit import answer
    >>> cond = answer("check-the-reason.holds").equals("yes") & ~answer("distress").at_least(8)
    >>> cond.to_dict()["kind"]
    'all'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Literal, Protocol, TypeAlias

import attrs

from ._answers import SKIPPED
from .exceptions import DefinitionError

__all__ = [
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Equals",
    "Includes",
    "Not",
    "OneOf",
    "Predicate",
    "Predicates",
    "Ref",
    "WasAnswered",
    "WasSkipped",
    "answer",
]

Value: TypeAlias = "str | int | bool"
CompareOp: TypeAlias = Literal["<", "<=", ">", ">="]


class _Unknown:
    """The answer has not been reached yet (used when estimating progress)."""

    __slots__ = ()


class _Absent:
    """The step was not answered on the path taken (info, branched around)."""

    __slots__ = ()


UNKNOWN = _Unknown()
ABSENT = _Absent()


class Lookup(Protocol):
    """Where conditions read answers from while a session is walked."""

    def value(self, ref: str) -> Any:
        """Return the answer for ``ref``: a value, `SKIPPED`, `ABSENT` or `UNKNOWN`."""

    def mapping(self) -> Mapping[str, Any] | _Unknown:
        """Return the active answers keyed by ``"exercise.step"``, or `UNKNOWN`."""


class Condition:
    """Base of all conditions. Combine them with ``&``, ``|`` and ``~``."""

    __slots__ = ()

    kind: ClassVar[str]

    def __and__(self, other: Condition) -> AllOf:
        return AllOf((self, other))

    def __or__(self, other: Condition) -> AnyOf:
        return AnyOf((self, other))

    def __invert__(self) -> Not:
        return Not(self)

    def evaluate(self, lookup: Lookup, predicates: Predicates) -> bool | None:
        """Return whether the condition holds; None when it cannot be known yet."""
        raise NotImplementedError

    def refs(self) -> Iterator[str]:
        """Yield every answer reference in the condition."""
        raise NotImplementedError

    def walk(self) -> Iterator[Condition]:
        """Yield this condition and every condition inside it."""
        yield self

    def to_dict(self) -> dict[str, Any]:
        """Return the condition as plain data."""
        raise NotImplementedError


def _check_ref(ref: str) -> None:
    parts = ref.split(".")
    if len(parts) > 2 or not all(parts):
        raise DefinitionError.single(
            "invalid_ref",
            f"The reference {ref!r} should be 'step' or 'exercise.step'.",
            "ref",
        )


@attrs.frozen
class _OnRef(Condition):
    ref: str = attrs.field()

    @ref.validator
    def _valid(self, _: object, value: str) -> None:
        _check_ref(value)

    def refs(self) -> Iterator[str]:
        yield self.ref

    def evaluate(self, lookup: Lookup, predicates: Predicates) -> bool | None:
        value = lookup.value(self.ref)
        if value is UNKNOWN:
            return None
        return self._test(value)

    def _test(self, value: Any) -> bool:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **attrs.asdict(self)}


def _is_value(value: Any) -> bool:
    return value is not ABSENT and value is not SKIPPED


@attrs.frozen
class Equals(_OnRef):
    """Holds when the answer equals ``value`` (a choice value, a number or a bool)."""

    kind: ClassVar[str] = "equals"
    value: Value

    def _test(self, value: Any) -> bool:
        return _is_value(value) and type(value) is type(self.value) and value == self.value


def _to_values(values: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(values)


@attrs.frozen
class OneOf(_OnRef):
    """Holds when the answer is one of ``values``."""

    kind: ClassVar[str] = "one_of"
    values: tuple[Value, ...] = attrs.field(converter=_to_values)

    def _test(self, value: Any) -> bool:
        return _is_value(value) and any(type(value) is type(v) and value == v for v in self.values)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ref": self.ref, "values": list(self.values)}


@attrs.frozen
class Includes(_OnRef):
    """Holds when a multiple-choice answer includes the option ``value``."""

    kind: ClassVar[str] = "includes"
    value: str

    def _test(self, value: Any) -> bool:
        return _is_value(value) and self.value in getattr(value, "values", ())


_OPS: Mapping[str, Callable[[int, int], bool]] = {
    "<": int.__lt__,
    "<=": int.__le__,
    ">": int.__gt__,
    ">=": int.__ge__,
}


@attrs.frozen
class Compare(_OnRef):
    """Holds when a scale answer compares to ``value`` with ``op``."""

    kind: ClassVar[str] = "compare"
    op: CompareOp = attrs.field(validator=attrs.validators.in_(tuple(_OPS)))
    value: int = attrs.field()

    def _test(self, value: Any) -> bool:
        return (
            _is_value(value)
            and isinstance(value, int)
            and not isinstance(value, bool)
            and _OPS[self.op](value, self.value)
        )


@attrs.frozen
class WasAnswered(_OnRef):
    """Holds when the step was answered (not skipped, not left out by a branch)."""

    kind: ClassVar[str] = "answered"

    def _test(self, value: Any) -> bool:
        return _is_value(value)


@attrs.frozen
class WasSkipped(_OnRef):
    """Holds when the person chose to skip the step."""

    kind: ClassVar[str] = "skipped"

    def _test(self, value: Any) -> bool:
        return value is SKIPPED


def _to_conditions(items: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(items)


def kleene(values: Iterable[bool | None], decisive: bool) -> bool | None:
    """Three-valued 'all' (``decisive=False``) or 'any' (``decisive=True``).

    The first ``decisive`` value settles it; otherwise any unknown (None) makes
    the result unknown.
    """
    result: bool | None = not decisive
    for value in values:
        if value is decisive:
            return decisive
        if value is None:
            result = None
    return result


@attrs.frozen
class _Group(Condition):
    """Conditions combined; ``decisive`` is the value that settles the group."""

    decisive: ClassVar[bool]
    conditions: tuple[Condition, ...] = attrs.field(converter=_to_conditions)

    def __attrs_post_init__(self) -> None:
        if not self.conditions:
            raise DefinitionError.single(
                "empty_condition", f"'{self.kind}' needs at least one condition."
            )

    def evaluate(self, lookup: Lookup, predicates: Predicates) -> bool | None:
        return kleene((c.evaluate(lookup, predicates) for c in self.conditions), self.decisive)

    def refs(self) -> Iterator[str]:
        for c in self.conditions:
            yield from c.refs()

    def walk(self) -> Iterator[Condition]:
        yield self
        for c in self.conditions:
            yield from c.walk()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "conditions": [c.to_dict() for c in self.conditions]}


@attrs.frozen
class AllOf(_Group):
    """Holds when every condition inside holds."""

    kind: ClassVar[str] = "all"
    decisive: ClassVar[bool] = False

    def __and__(self, other: Condition) -> AllOf:
        return AllOf((*self.conditions, other))


@attrs.frozen
class AnyOf(_Group):
    """Holds when at least one condition inside holds."""

    kind: ClassVar[str] = "any"
    decisive: ClassVar[bool] = True

    def __or__(self, other: Condition) -> AnyOf:
        return AnyOf((*self.conditions, other))


@attrs.frozen
class Not(Condition):
    """Holds when the condition inside does not."""

    kind: ClassVar[str] = "not"
    condition: Condition

    def evaluate(self, lookup: Lookup, predicates: Predicates) -> bool | None:
        value = self.condition.evaluate(lookup, predicates)
        return None if value is None else not value

    def refs(self) -> Iterator[str]:
        return self.condition.refs()

    def walk(self) -> Iterator[Condition]:
        yield self
        yield from self.condition.walk()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "condition": self.condition.to_dict()}


@attrs.frozen
class Predicate(Condition):
    """Holds when the host's Python function registered under ``name`` says so.

    The function gets a read-only mapping of the active answers, keyed by
    ``"exercise.step"``, and returns a bool. Register it in a `Predicates`
    registry and pass that to the session.
    """

    kind: ClassVar[str] = "predicate"
    name: str

    def evaluate(self, lookup: Lookup, predicates: Predicates) -> bool | None:
        view = lookup.mapping()
        if isinstance(view, _Unknown):
            return None
        return bool(predicates.call(self.name, view))

    def refs(self) -> Iterator[str]:
        return iter(())

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name}


PredicateFunction: TypeAlias = Callable[[Mapping[str, Any]], bool]


def _sorted_functions(
    functions: Mapping[str, PredicateFunction],
) -> dict[str, PredicateFunction]:
    return dict(sorted(functions.items()))


@attrs.frozen
class Predicates:
    """A registry of named Python predicates, passed to a session.

    It is an immutable value: `with_predicate` returns a new registry, so no
    global state is involved.

    Examples:
        >>> from rejection_toolkit import Predicates
        >>> preds = Predicates().with_predicate("late", lambda answers: False)
        >>> preds.names
        ('late',)
    """

    functions: Mapping[str, PredicateFunction] = attrs.field(
        factory=dict, converter=_sorted_functions
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The registered names, sorted."""
        return tuple(self.functions)

    def with_predicate(self, name: str, function: PredicateFunction) -> Predicates:
        """Return a registry with ``function`` registered under ``name``."""
        return Predicates({**self.functions, name: function})

    def call(self, name: str, answers: Mapping[str, Any]) -> bool:
        """Run the predicate ``name`` on ``answers``."""
        try:
            function = self.functions[name]
        except KeyError:
            raise DefinitionError.single(
                "unknown_predicate",
                f"No predicate named {name!r} was registered; pass it to the session in "
                "Predicates.",
            ) from None
        return function(answers)


@attrs.frozen
class Ref:
    """A reference to an answer, for building conditions; see `answer`."""

    ref: str = attrs.field()

    @ref.validator
    def _valid(self, _: object, value: str) -> None:
        _check_ref(value)

    def equals(self, value: Value) -> Equals:
        """The answer equals ``value``."""
        return Equals(self.ref, value)

    def is_in(self, *values: Value) -> OneOf:
        """The answer is one of ``values``."""
        return OneOf(self.ref, values)

    def includes(self, value: str) -> Includes:
        """A multiple-choice answer includes ``value``."""
        return Includes(self.ref, value)

    def at_least(self, value: int) -> Compare:
        """A scale answer is ``value`` or more."""
        return Compare(self.ref, ">=", value)

    def at_most(self, value: int) -> Compare:
        """A scale answer is ``value`` or less."""
        return Compare(self.ref, "<=", value)

    def above(self, value: int) -> Compare:
        """A scale answer is more than ``value``."""
        return Compare(self.ref, ">", value)

    def below(self, value: int) -> Compare:
        """A scale answer is less than ``value``."""
        return Compare(self.ref, "<", value)

    def answered(self) -> WasAnswered:
        """The step was answered."""
        return WasAnswered(self.ref)

    def skipped(self) -> WasSkipped:
        """The step was skipped."""
        return WasSkipped(self.ref)


def answer(ref: str) -> Ref:
    """Refer to an answer, to build a condition.

    Args:
        ref: ``"step"`` for a step of the same exercise, or
            ``"exercise.step"`` for a step of an earlier exercise in a plan.

    Examples:
        >>> answer("holds").equals("yes").to_dict()
        {'kind': 'equals', 'ref': 'holds', 'value': 'yes'}
    """
    return Ref(ref)


CONDITION_KINDS: Mapping[str, type[Condition]] = {
    cls.kind: cls
    for cls in (
        Equals,
        OneOf,
        Includes,
        Compare,
        WasAnswered,
        WasSkipped,
        AllOf,
        AnyOf,
        Not,
        Predicate,
    )
}
