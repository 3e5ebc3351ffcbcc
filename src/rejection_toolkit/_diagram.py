"""Plans as Mermaid flowcharts, and conditions in words."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import TYPE_CHECKING

from ._conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
    Predicate,
    WasAnswered,
    WasSkipped,
)

if TYPE_CHECKING:
    from ._model import Plan, Stage


def describe(condition: Condition) -> str:
    """Say a condition in words, such as ``check-the-reason.change is yes``."""
    if isinstance(condition, Equals):
        return f"{condition.ref} is {_value(condition.value)}"
    if isinstance(condition, OneOf):
        return f"{condition.ref} is one of {', '.join(_value(v) for v in condition.values)}"
    if isinstance(condition, Includes):
        return f"{condition.ref} includes {condition.value}"
    if isinstance(condition, Compare):
        return f"{condition.ref} {condition.op} {condition.value}"
    if isinstance(condition, WasAnswered):
        return f"{condition.ref} answered"
    if isinstance(condition, WasSkipped):
        return f"{condition.ref} skipped"
    if isinstance(condition, AllOf):
        return " and ".join(_grouped(c) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return " or ".join(_grouped(c) for c in condition.conditions)
    if isinstance(condition, Not):
        return f"not {_grouped(condition.condition)}"
    if isinstance(condition, Predicate):
        return f"predicate {condition.name}"
    raise TypeError(f"Unknown condition {type(condition).__name__}")


def _grouped(condition: Condition) -> str:
    text = describe(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


def _every(every: timedelta | None) -> str:
    if every is None:
        return ""
    days, seconds = every.days, every.seconds
    if days and not seconds:
        return ", every day" if days == 1 else f", every {days} days"
    hours = every.total_seconds() / 3600
    return f", every {hours:g} hours"


def to_mermaid(plan: Plan) -> str:
    """Return the plan as a Mermaid flowchart: its exercises, branches and repeats."""
    from ._model import Repeat

    lines = ["flowchart TD", f"    start([{_label(plan.title)}])"]
    counter = 0

    def node(stage: Stage) -> str:
        nonlocal counter
        counter += 1
        name = f"s{counter}"
        inner = " · branches inside" if any(s.when for s in stage.exercise.steps) else ""
        text = f"{stage.exercise.title} ({stage.exercise.minutes} min{inner})"
        lines.append(f"    {name}[{_label(text)}]")
        return name

    previous = ["start"]
    pending_label: list[str | None] = [None]
    for item in plan.items:
        if isinstance(item, Repeat):
            counter += 1
            group = f"r{counter}"
            lines.append(
                f"    subgraph {group}[{_label(f'{item.times} times{_every(item.every)}')}]"
            )
            names = [node(stage) for stage in item.stages]
            for first, second in itertools.pairwise(names):
                lines.append(f"    {first} --> {second}")
            lines.append("    end")
            entry, exit_ = names[0], names[-1]
            lines.append(f"    {exit_} -.->|next round| {entry}")
            guard = item.when
        else:
            entry = exit_ = node(item)
            guard = item.when
        for source, label in zip(previous, pending_label, strict=False):
            edge_label = describe(guard) if guard is not None else label
            arrow = f"-->|{_label(edge_label)}|" if edge_label else "-->"
            lines.append(f"    {source} {arrow} {entry}")
        if guard is not None:
            previous = [*previous, exit_]
            pending_label = [*(["otherwise"] * (len(previous) - 1)), None]
        else:
            previous, pending_label = [exit_], [None]
    lines.append("    done([Done])")
    for source, label in zip(previous, pending_label, strict=False):
        arrow = f"-->|{_label(label)}|" if label else "-->"
        lines.append(f"    {source} {arrow} done")
    return "\n".join(lines) + "\n"
