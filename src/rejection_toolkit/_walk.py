"""The walking rule shared by live sessions and by loading saved ones.

Given the answers on the path so far, the next step is the first step after
the last one answered whose conditions all hold. Conditions only read answers
given before the step, so the rule is deterministic and replayable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from ._answers import Info
from ._conditions import ABSENT, UNKNOWN, Predicates, _Unknown, kleene
from ._layout import Layout, Slot


class Record(NamedTuple):
    """One entry of the path, or one kept (inactive) answer.

    A named tuple rather than an attrs class: a session makes one per answer on
    every load, so construction cost matters.
    """

    slot: Slot
    value: Any
    """The parsed value, `SKIPPED`, or None for an info step."""
    offset: int
    """Seconds after the session's start."""


class AnswersView(Mapping[str, Any]):
    """Read-only view of the active answers keyed by ``"exercise.step"``.

    This is what named predicates receive. Repeated exercises show their latest
    occurrence.
    """

    __slots__ = ("_latest",)

    def __init__(self, latest: Mapping[str, Record]) -> None:
        self._latest = latest

    def __getitem__(self, key: str) -> Any:
        record = self._latest[key.replace(".", "/", 1)]
        if isinstance(record.slot.prompt.answer, Info):
            raise KeyError(key)
        return record.value

    def __iter__(self) -> Iterator[str]:
        for key, record in self._latest.items():
            if not isinstance(record.slot.prompt.answer, Info):
                yield key.replace("/", ".", 1)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"AnswersView(<{len(self)} answers hidden>)"


_NO_INDEX: Mapping[str, int] = MappingProxyType({})


@attrs.define
class Lookup:
    """Reads answers for the conditions of one slot."""

    slot: Slot
    active: Mapping[str, Record]
    latest: Mapping[str, Record]
    view: Mapping[str, Any] | _Unknown
    future_from: int | None = None
    """When estimating progress: steps at or after this index are not reached yet."""
    last_index: Mapping[str, int] = attrs.field(default=_NO_INDEX)

    def value(self, ref: str) -> Any:
        kind, key = self.slot.targets[ref]
        record = (self.active if kind == "address" else self.latest).get(key)
        if record is not None:
            return record.value
        if self.future_from is not None and self._may_come(kind, key):
            return UNKNOWN
        return ABSENT

    def _may_come(self, kind: str, key: str) -> bool:
        assert self.future_from is not None
        if kind == "address":
            return self.last_index.get("@" + key, -1) >= self.future_from
        return self.last_index.get(key, -1) >= self.future_from

    def mapping(self) -> Mapping[str, Any] | _Unknown:
        return self.view


def holds(slot: Slot, lookup: Lookup, predicates: Predicates) -> bool | None:
    """Whether every condition of ``slot`` holds (None: not known yet)."""
    return kleene((guard.evaluate(lookup, predicates) for guard in slot.guards), decisive=False)


def next_slot(
    layout: Layout,
    after: int,
    active: Mapping[str, Record],
    latest: Mapping[str, Record],
    predicates: Predicates,
) -> Slot | None:
    """Return the first slot after index ``after`` whose conditions hold."""
    slots = layout.slots
    view: AnswersView | None = None
    for index in range(after + 1, len(slots)):
        slot = slots[index]
        if not slot.guards:
            return slot
        if view is None:
            view = AnswersView(latest)
        if holds(slot, Lookup(slot, active, latest, view), predicates):
            return slot
    return None


def remaining(
    layout: Layout,
    current: Slot,
    active: Mapping[str, Record],
    latest: Mapping[str, Record],
    predicates: Predicates,
) -> tuple[int, int]:
    """Bounds on the steps left, the current one included: (at least, at most)."""
    low = high = 0
    slots = layout.slots
    for index in range(current.index, len(slots)):
        slot = slots[index]
        if slot is current:
            verdict: bool | None = True
        elif not slot.guards:
            verdict = True
        else:
            lookup = Lookup(
                slot,
                active,
                latest,
                UNKNOWN,
                future_from=current.index,
                last_index=layout.last_index,
            )
            verdict = holds(slot, lookup, predicates)
        if verdict is not False:
            high += 1
            low += verdict is True
    return low, high
