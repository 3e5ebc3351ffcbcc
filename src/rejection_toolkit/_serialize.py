"""Definitions from plain data: dicts, JSON and TOML.

The same loader reads the built-in catalog and a user's own definitions. It
collects every problem it finds, each with its path, before raising, so that
an author sees them all at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar, cast

from ._answers import ANSWER_KINDS, AnswerKind, Choice
from ._conditions import CONDITION_KINDS, AllOf, AnyOf, Condition, Not, Predicate
from ._model import Exercise, Plan, Prompt, Repeat, Stage, Step
from ._screening import SafetyRule
from .exceptions import DefinitionError, Problem, StateError

__all__ = [
    "condition_from_dict",
    "definition_from_dict",
    "definition_from_json",
    "definition_from_toml",
    "prompt_from_dict",
]

T = TypeVar("T")
_REQUIRED: Any = object()
_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


class _Reader:
    """Reads fields of one object, recording problems instead of stopping."""

    def __init__(self, data: object, path: tuple[str, ...], problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.ok = isinstance(data, Mapping)
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        if not self.ok:
            self.problem("wrong_type", "This should be an object (a table).")

    def problem(self, code: str, message: str, *where: str) -> None:
        self.problems.append(Problem((*self.path, *where), code, message))

    def get(self, key: str, kind: type, default: Any = _REQUIRED) -> Any:
        """Return the field, or ``default`` (None if required) after recording a problem."""
        if key not in self.data:
            if default is _REQUIRED:
                self.problem("missing_field", f"{key!r} is required.", key)
                return None
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(
                "wrong_type", f"{key!r} should be {_TYPE_NAMES.get(kind, kind.__name__)}.", key
            )
            return default if default is not _REQUIRED else None
        return value

    def strings(self, key: str) -> list[str]:
        values = self.get(key, list, [])
        if values is None or not all(isinstance(v, str) for v in values):
            self.problem("wrong_type", f"{key!r} should be a list of text.", key)
            return []
        return list(values)

    def finish(self, allowed: set[str]) -> None:
        for key in sorted(set(self.data) - allowed):
            self.problem("unknown_field", f"{key!r} is not a known field here.", str(key))


def _build(problems: list[Problem], path: tuple[str, ...], make: Callable[[], T]) -> T | None:
    try:
        return make()
    except DefinitionError as error:
        problems.extend(error.within(*path).problems)
    except (TypeError, ValueError) as error:  # a wrongly typed field reached a constructor
        problems.append(Problem(path, "wrong_type", str(error)))
    return None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise DefinitionError(problems)


# -- answers and conditions -------------------------------------------------------


def _answer(data: object, path: tuple[str, ...], problems: list[Problem]) -> AnswerKind | None:
    reader = _Reader(data, path, problems)
    kind_name = reader.get("kind", str)
    if not reader.ok or kind_name is None:
        return None
    cls = ANSWER_KINDS.get(kind_name)
    if cls is None:
        reader.problem(
            "unknown_kind",
            f"{kind_name!r} is not an answer kind; use one of {', '.join(sorted(ANSWER_KINDS))}.",
            "kind",
        )
        return None
    import attrs

    fields = {f.name: f for f in attrs.fields(cast(Any, cls))}
    kwargs: dict[str, Any] = {}
    for name in fields:
        if name == "options":
            options = []
            for i, item in enumerate(reader.get("options", list, [])):
                opt = _Reader(item, (*path, f"options[{i}]"), problems)
                value, label = opt.get("value", str), opt.get("label", str)
                opt.finish({"value", "label"})
                made = _build(
                    problems, (*path, f"options[{i}]"), functools.partial(Choice, value, label)
                )
                if made is not None:
                    options.append(made)
            kwargs["options"] = options
        elif name in reader.data:
            expected: type = str if name.endswith("_label") else bool if name == "other" else int
            if reader.data[name] is None:
                kwargs[name] = None
            else:
                kwargs[name] = reader.get(name, expected)
    reader.finish({"kind", *fields})
    if any(p.path[: len(path)] == path for p in problems):
        return None
    return _build(problems, path[:-1], lambda: cls(**kwargs))


def condition_from_dict(data: object) -> Condition:
    """Build a condition from its plain-data form (see `Condition.to_dict`)."""
    problems: list[Problem] = []
    made = _condition(data, (), problems)
    _raise(problems)
    assert made is not None
    return made


def _condition(data: object, path: tuple[str, ...], problems: list[Problem]) -> Condition | None:
    reader = _Reader(data, path, problems)
    kind_name = reader.get("kind", str)
    if not reader.ok or kind_name is None:
        return None
    cls = CONDITION_KINDS.get(kind_name)
    if cls is None:
        reader.problem(
            "unknown_kind",
            f"{kind_name!r} is not a condition; use one of {', '.join(sorted(CONDITION_KINDS))}.",
            "kind",
        )
        return None
    if cls in (AllOf, AnyOf):
        inner = [
            _condition(c, (*path, f"conditions[{i}]"), problems)
            for i, c in enumerate(reader.get("conditions", list, []))
        ]
        reader.finish({"kind", "conditions"})
        conditions = [c for c in inner if c is not None]
        if len(conditions) < len(inner):
            return None
        return _build(problems, path, functools.partial(cls, conditions))
    if cls is Not:
        inner_one = _condition(reader.data.get("condition"), (*path, "condition"), problems)
        reader.finish({"kind", "condition"})
        return None if inner_one is None else Not(inner_one)
    if cls is Predicate:
        name = reader.get("name", str)
        reader.finish({"kind", "name"})
        return None if name is None else Predicate(name)
    ref = reader.get("ref", str)
    kwargs: dict[str, Any] = {"ref": ref}
    allowed = {"kind", "ref"}
    if kind_name in ("equals", "includes"):
        kwargs["value"] = reader.get("value", object)
        allowed.add("value")
    elif kind_name == "one_of":
        kwargs["values"] = reader.get("values", list, [])
        allowed.add("values")
    elif kind_name == "compare":
        kwargs["op"] = reader.get("op", str)
        kwargs["value"] = reader.get("value", int)
        allowed |= {"op", "value"}
    reader.finish(allowed)
    if any(v is None for v in kwargs.values()):
        return None
    return _build(problems, path, lambda: cls(**kwargs))


def _when(reader: _Reader) -> Condition | None:
    if "when" not in reader.data:
        return None
    return _condition(reader.data["when"], (*reader.path, "when"), reader.problems)


# -- prompts and exercises -----------------------------------------------------------


def prompt_from_dict(data: object) -> Prompt:
    """Build a prompt from its plain-data form (see `Prompt.to_dict`)."""
    problems: list[Problem] = []
    made = _prompt(data, (), problems)
    _raise(problems)
    assert made is not None
    return made


def _prompt(data: object, path: tuple[str, ...], problems: list[Problem]) -> Prompt | None:
    reader = _Reader(data, path, problems)
    if not reader.ok:
        return None
    before = len(problems)
    prompt_id = reader.get("id", str)
    where = (*path, f"prompt {prompt_id!r}") if prompt_id else path
    reader.path = where
    text = reader.get("text", str)
    answer = (
        _answer(reader.data["answer"], (*where, "answer"), problems)
        if "answer" in reader.data
        else None
    )
    kwargs: dict[str, Any] = {
        "id": prompt_id,
        "text": text,
        "required": reader.get("required", bool, False),
        "help": reader.get("help", str, None),
        "examples": reader.strings("examples"),
        "fallback_text": reader.get("fallback_text", str, None),
        "safety": _safety_rules(reader),
    }
    if answer is not None:
        kwargs["answer"] = answer
    reader.finish(
        {"id", "text", "answer", "required", "help", "examples", "fallback_text", "safety"}
    )
    if len(problems) > before:
        return None
    return _build(problems, path, lambda: Prompt(**kwargs))


def _safety_rules(reader: _Reader) -> list[SafetyRule]:
    rules = []
    for n, item in enumerate(reader.get("safety", list, [])):
        where = (*reader.path, f"safety[{n}]")
        rule_reader = _Reader(item, where, reader.problems)
        value = rule_reader.get("value", object)
        tier = rule_reader.get("tier", str)
        category = rule_reader.get("category", str)
        rule_reader.finish({"value", "tier", "category"})
        if None in (value, tier, category):
            continue
        made = _build(reader.problems, where, functools.partial(SafetyRule, value, tier, category))
        if made is not None:
            rules.append(made)
    return rules


def _step(
    data: object,
    path: tuple[str, ...],
    problems: list[Problem],
    prompts: Mapping[str, Prompt],
) -> Step | None:
    reader = _Reader(data, path, problems)
    if not reader.ok:
        return None
    before = len(problems)
    prompt: Prompt | None = None
    if "use" in reader.data:
        name = reader.get("use", str)
        if name is not None:
            prompt = prompts.get(name)
            if prompt is None:
                known = ", ".join(sorted(prompts)) or "none were given"
                reader.problem(
                    "unknown_prompt",
                    f"There is no shared prompt {name!r} to use; the shared prompts are: {known}.",
                    "use",
                )
        if "prompt" in reader.data:
            reader.problem("conflict", "Give either 'use' or 'prompt', not both.")
    else:
        prompt = _prompt(reader.data.get("prompt"), path, problems)
    step_id = reader.get("id", str, None)
    when = _when(reader)
    reader.finish({"use", "prompt", "id", "when"})
    if len(problems) > before or prompt is None:
        return None
    kwargs: dict[str, Any] = {"prompt": prompt, "when": when}
    if step_id is not None:
        kwargs["id"] = step_id
    return _build(problems, path, lambda: Step(**kwargs))


_EXERCISE_FIELDS = {
    "type",
    "id",
    "version",
    "title",
    "summary",
    "rationale",
    "sources",
    "kinds",
    "approaches",
    "minutes",
    "steps",
}


def _exercise(
    data: object,
    path: tuple[str, ...],
    problems: list[Problem],
    prompts: Mapping[str, Prompt],
) -> Exercise | None:
    reader = _Reader(data, path, problems)
    if not reader.ok:
        return None
    before = len(problems)
    exercise_id = reader.get("id", str)
    reader.path = (*path, f"exercise {exercise_id!r}")
    steps = [
        _step(s, (*reader.path, f"step {i} {_peek_id(s)!r}"), problems, prompts)
        for i, s in enumerate(reader.get("steps", list, []), 1)
    ]
    kwargs: dict[str, Any] = {
        "id": exercise_id,
        "title": reader.get("title", str),
        "version": reader.get("version", int, 1),
        "summary": reader.get("summary", str, ""),
        "rationale": reader.get("rationale", str, ""),
        "sources": reader.strings("sources"),
        "kinds": reader.strings("kinds") or ["any"],
        "approaches": reader.strings("approaches"),
        "minutes": reader.get("minutes", int, 5),
        "steps": steps,
    }
    reader.finish(_EXERCISE_FIELDS)
    if len(problems) > before:
        return None
    return _build(problems, path, lambda: Exercise(**kwargs))


def _peek_id(data: object) -> str:
    if isinstance(data, Mapping):
        inner = data.get("prompt")
        for candidate in (
            data.get("id"),
            data.get("use"),
            inner.get("id") if isinstance(inner, Mapping) else None,
        ):
            if isinstance(candidate, str):
                return candidate
    return "?"


# -- plans ---------------------------------------------------------------------------


def _stage(
    data: object,
    path: tuple[str, ...],
    problems: list[Problem],
    exercises: Mapping[str, Exercise],
    prompts: Mapping[str, Prompt],
) -> Stage | None:
    reader = _Reader(data, path, problems)
    if not reader.ok:
        return None
    before = len(problems)
    raw = reader.data.get("exercise")
    exercise: Exercise | None = None
    if isinstance(raw, str):
        exercise = exercises.get(raw)
        if exercise is None:
            from difflib import get_close_matches

            close = get_close_matches(raw, list(exercises), n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            reader.problem("unknown_exercise", f"There is no exercise {raw!r}.{hint}", "exercise")
    elif raw is None:
        reader.problem("missing_field", "'exercise' is required: an id or a table.", "exercise")
    else:
        exercise = _exercise(raw, path, problems, prompts)
    only = reader.strings("only")
    without = reader.strings("without")
    minutes = reader.get("minutes", int, None)
    key = reader.get("key", str, None)
    when = _when(reader)
    reader.finish({"exercise", "key", "when", "only", "without", "minutes"})
    if len(problems) > before or exercise is None:
        return None
    if only and without:
        reader.problem("conflict", "Give either 'only' or 'without', not both.")
        return None
    if only or without or minutes is not None:
        trim = exercise.only if only else exercise.without
        make = functools.partial(trim, *(only or without), minutes=minutes)
        trimmed = _build(problems, path, make)
        if trimmed is None:
            return None
        exercise = trimmed
    kwargs: dict[str, Any] = {"exercise": exercise, "when": when}
    if key is not None:
        kwargs["key"] = key
    return _build(problems, path, lambda: Stage(**kwargs))


def _plan(
    data: object,
    problems: list[Problem],
    exercises: Mapping[str, Exercise],
    prompts: Mapping[str, Prompt],
) -> Plan | None:
    reader = _Reader(data, (), problems)
    plan_id = reader.get("id", str)
    reader.path = (f"plan {plan_id!r}",)
    items: list[Stage | Repeat] = []
    before = len(problems)
    for i, item in enumerate(reader.get("items", list, []), 1):
        where = (*reader.path, f"item {i}")
        made: Stage | Repeat | None
        if isinstance(item, Mapping) and "repeat" in item:
            made = _repeat(item, where, problems, exercises, prompts)
        else:
            made = _stage(item, where, problems, exercises, prompts)
        if made is not None:
            items.append(made)
    kwargs: dict[str, Any] = {
        "id": plan_id,
        "title": reader.get("title", str),
        "version": reader.get("version", int, 1),
        "summary": reader.get("summary", str, ""),
        "kinds": reader.strings("kinds") or ["any"],
        "items": items,
    }
    reader.finish({"type", "id", "version", "title", "summary", "kinds", "items"})
    if len(problems) > before:
        return None
    return _build(problems, (), lambda: Plan(**kwargs))


def _repeat(
    data: Mapping[str, Any],
    path: tuple[str, ...],
    problems: list[Problem],
    exercises: Mapping[str, Exercise],
    prompts: Mapping[str, Prompt],
) -> Repeat | None:
    reader = _Reader(data, path, problems)
    before = len(problems)
    key = reader.get("repeat", str)
    reader.path = (*path, f"repeat {key!r}")
    stages = []
    for i, item in enumerate(reader.get("stages", list, []), 1):
        if isinstance(item, Mapping) and "repeat" in item:
            reader.problem("nested_repeat", "A repeat cannot hold another repeat.", f"stage {i}")
            continue
        stages.append(_stage(item, (*reader.path, f"stage {i}"), problems, exercises, prompts))
    times = reader.get("times", int)
    every = reader.get("every_seconds", int, None)
    when = _when(reader)
    reader.finish({"repeat", "stages", "times", "every_seconds", "when"})
    if len(problems) > before or key is None or times is None:
        return None
    return _build(
        problems,
        path,
        lambda: Repeat(
            key=key,
            stages=[s for s in stages if s is not None],
            times=times,
            every=timedelta(seconds=every) if every is not None else None,
            when=when,
        ),
    )


# -- entry points --------------------------------------------------------------------


def definition_from_dict(
    data: object,
    *,
    exercises: Mapping[str, Exercise] | None = None,
    prompts: Mapping[str, Prompt] | None = None,
) -> Exercise | Plan:
    """Build an exercise or a plan from plain data (``"type"`` says which).

    Args:
        data: The definition, as `Exercise.to_dict` or `Plan.to_dict` return it.
        exercises: Exercises a plan may name by id instead of inlining them,
            e.g. ``catalog.exercises_by_id()``.
        prompts: Shared prompts a step may ``use`` by name.

    Raises:
        DefinitionError: With every problem found, each with its path.
    """
    problems: list[Problem] = []
    kind = data.get("type") if isinstance(data, Mapping) else None
    made: Exercise | Plan | None
    if kind == "exercise":
        made = _exercise(data, (), problems, prompts or {})
    elif kind == "plan":
        made = _plan(data, problems, exercises or {}, prompts or {})
    else:
        raise DefinitionError.single(
            "unknown_type", 'A definition needs "type": "exercise" or "plan".', "type"
        )
    _raise(problems)
    assert made is not None
    return made


def definition_from_json(
    text: str | bytes,
    *,
    exercises: Mapping[str, Exercise] | None = None,
    prompts: Mapping[str, Prompt] | None = None,
    max_bytes: int = 5_000_000,
) -> Exercise | Plan:
    """Build an exercise or a plan from JSON text; see `definition_from_dict`."""
    from ._state import strict_loads

    try:
        data = strict_loads(text, max_bytes, what="definition")
    except StateError as error:
        raise DefinitionError.single(error.code, str(error)) from None
    return definition_from_dict(data, exercises=exercises, prompts=prompts)


def definition_from_toml(
    text: str,
    *,
    exercises: Mapping[str, Exercise] | None = None,
    prompts: Mapping[str, Prompt] | None = None,
) -> Exercise | Plan:
    """Build an exercise or a plan from TOML text; see `definition_from_dict`."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError.single(
            "malformed_toml", f"The definition is not valid TOML: {error}"
        ) from None
    return definition_from_dict(data, exercises=exercises, prompts=prompts)
