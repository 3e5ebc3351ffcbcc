"""Structured, evidence-informed exercises for coping with rejection.

Build or load exercises and plans, walk them step by step with an immutable
`Session`, and save the session as a small JSON document between requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import exceptions

if TYPE_CHECKING:
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
    from ._session import Answer, CurrentStep, Flag, Progress, SafetyStatus, Session, UnplacedAnswer


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

# Public names are imported from their private modules on first use, so that
# ``import rejection_toolkit`` stays light (no templates, no catalog, no regexes).
_LAZY: dict[str, str] = {
    "AllOf": "_conditions",
    "Answer": "_session",
    "AnswerKind": "_answers",
    "AnyOf": "_conditions",
    "Approach": "_model",
    "Catalog": "_catalog",
    "Category": "_screening",
    "Choice": "_answers",
    "Compare": "_conditions",
    "Condition": "_conditions",
    "Contact": "_help",
    "CrisisResource": "_help",
    "CrisisResources": "_help",
    "CurrentStep": "_session",
    "Equals": "_conditions",
    "Exercise": "_model",
    "Field": "_letters",
    "Flag": "_session",
    "HelpOffer": "_help",
    "Includes": "_conditions",
    "Info": "_answers",
    "ItemList": "_answers",
    "Kind": "_model",
    "LETTERS": "_letters",
    "Letter": "_letters",
    "Letters": "_letters",
    "LongText": "_answers",
    "MultipleChoice": "_answers",
    "NoScreening": "_screening",
    "Not": "_conditions",
    "Note": "_catalog",
    "OneOf": "_conditions",
    "PatternScreener": "_screening",
    "Plan": "_model",
    "Predicate": "_conditions",
    "Predicates": "_conditions",
    "Progress": "_session",
    "Prompt": "_model",
    "Recommendation": "_catalog",
    "Ref": "_conditions",
    "Repeat": "_model",
    "SKIPPED": "_answers",
    "SafetyMessages": "_help",
    "SafetyRule": "_screening",
    "SafetyStatus": "_session",
    "Scale": "_answers",
    "Screener": "_screening",
    "Screening": "_screening",
    "Selection": "_answers",
    "Session": "_session",
    "ShortText": "_answers",
    "SingleChoice": "_answers",
    "Skipped": "_answers",
    "Stage": "_model",
    "Step": "_model",
    "Tier": "_screening",
    "UnplacedAnswer": "_session",
    "Want": "_catalog",
    "WasAnswered": "_conditions",
    "WasSkipped": "_conditions",
    "YesNo": "_answers",
    "answer": "_conditions",
    "catalog": "_catalog",
    "combine": "_screening",
    "condition_from_dict": "_serialize",
    "crisis_resources": "_help",
    "definition_from_dict": "_serialize",
    "definition_from_json": "_serialize",
    "definition_from_toml": "_serialize",
    "help_for": "_help",
    "json_schema": "_schema",
    "prompt_from_dict": "_serialize",
    "render_letter": "_letters",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("rejection-toolkit")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
