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
from ._help import (
    Contact,
    CrisisResource,
    CrisisResources,
    HelpOffer,
    SafetyMessages,
    crisis_resources,
    help_for,
)
from ._letters import LETTERS, Field, Letter, Letters, render_letter
from ._model import Approach, Exercise, Kind, Plan, Prompt, Repeat, Stage, Step
from ._schema import json_schema
from ._screening import (
    Category,
    NoScreening,
    PatternScreener,
    SafetyRule,
    Screener,
    Screening,
    Tier,
    combine,
)
from ._serialize import (
    condition_from_dict,
    definition_from_dict,
    definition_from_json,
    definition_from_toml,
    prompt_from_dict,
)
from ._session import (
    Answer,
    CurrentStep,
    Flag,
    Progress,
    SafetyStatus,
    Session,
    UnplacedAnswer,
)

__all__ = [
    "AllOf",
    "Answer",
    "AnswerKind",
    "AnyOf",
    "Approach",
    "Catalog",
    "Category",
    "Choice",
    "Compare",
    "Condition",
    "Contact",
    "CrisisResource",
    "CrisisResources",
    "CurrentStep",
    "Equals",
    "Exercise",
    "Field",
    "Flag",
    "HelpOffer",
    "Includes",
    "Info",
    "ItemList",
    "Kind",
    "LETTERS",
    "Letter",
    "Letters",
    "LongText",
    "MultipleChoice",
    "NoScreening",
    "Not",
    "Note",
    "OneOf",
    "PatternScreener",
    "Plan",
    "Predicate",
    "Predicates",
    "Progress",
    "Prompt",
    "Recommendation",
    "Ref",
    "Repeat",
    "SKIPPED",
    "SafetyMessages",
    "SafetyRule",
    "SafetyStatus",
    "Scale",
    "Screener",
    "Screening",
    "Selection",
    "Session",
    "ShortText",
    "SingleChoice",
    "Skipped",
    "Stage",
    "Step",
    "Tier",
    "UnplacedAnswer",
    "Want",
    "WasAnswered",
    "WasSkipped",
    "YesNo",
    "answer",
    "catalog",
    "combine",
    "condition_from_dict",
    "crisis_resources",
    "definition_from_dict",
    "definition_from_json",
    "definition_from_toml",
    "exceptions",
    "help_for",
    "json_schema",
    "prompt_from_dict",
    "render_letter",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("rejection-toolkit")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
