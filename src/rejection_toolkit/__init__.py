"""Structured, evidence-informed exercises for coping with rejection.

Build or load exercises and plans, walk them step by step with an immutable
`Session`, and save the session as a small JSON document between requests.
"""

from __future__ import annotations

from typing import Any

from . import exceptions
from ._answers import (
    SKIPPED,
    AnswerKind,
    Choice,
    Info,
    ItemList,
    LongText,
    MultipleChoice,
    Scale,
    Selection,
    ShortText,
    SingleChoice,
    Skipped,
    YesNo,
)
from ._catalog import Catalog, Note, Recommendation, Want, catalog
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
    Predicates,
    Ref,
    WasAnswered,
    WasSkipped,
    answer,
)
from ._model import Approach, Exercise, Kind, Plan, Prompt, Repeat, Stage, Step
from ._schema import json_schema
from ._serialize import (
    condition_from_dict,
    definition_from_dict,
    definition_from_json,
    definition_from_toml,
    prompt_from_dict,
)
from ._session import Answer, CurrentStep, Progress, Session, UnplacedAnswer

__all__ = [
    "AllOf",
    "Answer",
    "AnswerKind",
    "AnyOf",
    "Approach",
    "Catalog",
    "Choice",
    "Compare",
    "Condition",
    "CurrentStep",
    "Equals",
    "Exercise",
    "Includes",
    "Info",
    "ItemList",
    "Kind",
    "LongText",
    "MultipleChoice",
    "Not",
    "Note",
    "OneOf",
    "Plan",
    "Predicate",
    "Predicates",
    "Progress",
    "Prompt",
    "Recommendation",
    "Ref",
    "Repeat",
    "SKIPPED",
    "Scale",
    "Selection",
    "Session",
    "ShortText",
    "SingleChoice",
    "Skipped",
    "Stage",
    "Step",
    "UnplacedAnswer",
    "Want",
    "WasAnswered",
    "WasSkipped",
    "YesNo",
    "answer",
    "catalog",
    "condition_from_dict",
    "definition_from_dict",
    "definition_from_json",
    "definition_from_toml",
    "exceptions",
    "json_schema",
    "prompt_from_dict",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("rejection-toolkit")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
