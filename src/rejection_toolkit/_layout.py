"""A plan flattened into the list of steps that a session walks.

Repeats are unrolled into occurrences and every reference is resolved to the
key under which its answer will be found, so that walking a session only does
dictionary look-ups.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal

import attrs

from ._conditions import Predicate
from ._model import Plan, Prompt, Repeat, Stage, Step

Target = tuple[Literal["address", "latest"], str]
"""Where an answer is looked up: an exact address, or the latest ``stage/step``."""


@attrs.frozen
class Slot:
    """One step of one exercise (of one occurrence) in a plan."""

    index: int
    address: str
    unit: str
    stage: Stage
    step: Step
    repeat: Repeat | None
    occurrence: int | None
    guards: tuple[Any, ...]
    targets: Mapping[str, Target] = attrs.field(eq=False, repr=False)
    prompt: Prompt = attrs.field(eq=False, repr=False)
    """The step's prompt (kept here: it is read on every step)."""
    latest_key: str = attrs.field(eq=False, repr=False)
    """``stage/step``: where the latest round's answer is found."""

    @property
    def due_after(self) -> timedelta | None:
        if self.repeat is None or self.repeat.every is None or self.occurrence is None:
            return None
        return self.repeat.every * (self.occurrence - 1)


@attrs.frozen
class Layout:
    """The flattened plan."""

    slots: tuple[Slot, ...]
    by_address: Mapping[str, Slot] = attrs.field(eq=False, repr=False)
    last_index: Mapping[str, int] = attrs.field(eq=False, repr=False)
    """The last index of each ``stage/step`` key, and of each ``@address``."""
    fingerprint: str
    predicate_names: frozenset[str] = attrs.field(eq=False, repr=False)
    """The names of the named predicates the plan's conditions use."""

    @classmethod
    def build(cls, plan: Plan) -> Layout:
        repeat_of = {
            s.key: item for item in plan.items if isinstance(item, Repeat) for s in item.stages
        }
        slots: list[Slot] = []

        def add(stage: Stage, repeat: Repeat | None, occurrence: int | None) -> None:
            prefix = f"{repeat.key}#{occurrence}/" if repeat else ""
            unit = f"{prefix}{stage.key}"
            for step in stage.exercise.steps:
                guards = tuple(
                    g
                    for g in (repeat.when if repeat else None, stage.when, step.when)
                    if g is not None
                )
                targets: dict[str, Target] = {}
                refs = [r for g in guards for r in g.refs()] + list(step.prompt.shows)
                for ref in refs:
                    if "." not in ref:
                        targets[ref] = ("address", f"{unit}/{ref}")
                        continue
                    key, step_id = ref.split(".")
                    if repeat is not None and repeat_of.get(key) is repeat:
                        targets[ref] = ("address", f"{prefix}{key}/{step_id}")
                    else:
                        targets[ref] = ("latest", f"{key}/{step_id}")
                slots.append(
                    Slot(
                        index=len(slots),
                        address=f"{unit}/{step.id}",
                        unit=unit,
                        stage=stage,
                        step=step,
                        repeat=repeat,
                        occurrence=occurrence,
                        guards=guards,
                        targets=targets,
                        prompt=step.prompt,
                        latest_key=f"{stage.key}/{step.id}",
                    )
                )

        for item in plan.items:
            if isinstance(item, Repeat):
                for n in range(1, item.times + 1):
                    for stage in item.stages:
                        add(stage, item, n)
            else:
                add(item, None, None)
        last_index: dict[str, int] = {}
        for slot in slots:
            last_index[slot.latest_key] = slot.index
            last_index["@" + slot.address] = slot.index
        predicate_names = frozenset(
            c.name
            for slot in slots
            for guard in slot.guards
            for c in guard.walk()
            if isinstance(c, Predicate)
        )
        return cls(
            predicate_names=predicate_names,
            slots=tuple(slots),
            by_address={s.address: s for s in slots},
            last_index=last_index,
            fingerprint=_fingerprint(plan),
        )


def _when(condition: Any) -> Any:
    return condition.to_dict() if condition is not None else None


def _structure(plan: Plan) -> dict[str, Any]:
    def stage(s: Stage) -> dict[str, Any]:
        return {"key": s.key, "when": _when(s.when), "exercise": s.exercise.structure()}

    items: list[dict[str, Any]] = []
    for item in plan.items:
        if isinstance(item, Repeat):
            items.append(
                {
                    "repeat": item.key,
                    "times": item.times,
                    "every": item.every.total_seconds() if item.every else None,
                    "when": _when(item.when),
                    "stages": [stage(s) for s in item.stages],
                }
            )
        else:
            items.append(stage(item))
    return {"id": plan.id, "items": items}


def _fingerprint(plan: Plan) -> str:
    canonical = json.dumps(_structure(plan), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
