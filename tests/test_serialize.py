"""Definitions round-trip through dicts, JSON and TOML, and load with clear errors."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given

from rejection_toolkit import (
    AllOf,
    AnyOf,
    Exercise,
    Not,
    Plan,
    Predicate,
    Prompt,
    Scale,
    answer,
    condition_from_dict,
    definition_from_dict,
    definition_from_json,
    definition_from_toml,
    json_schema,
    prompt_from_dict,
)
from rejection_toolkit.exceptions import DefinitionError

from .strategies import exercises, plans


def problems(data: Any, **kwargs: Any) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as info:
        definition_from_dict(data, **kwargs)
    return [(p.where, p.code) for p in info.value.problems]


class TestRoundTrips:
    @given(exercises())
    def test_exercise_dict_and_json(self, exercise: Exercise) -> None:
        """Any exercise survives to_dict -> JSON -> definition_from_json."""
        data = exercise.to_dict()
        assert definition_from_dict(data) == exercise
        assert definition_from_json(json.dumps(data)) == exercise
        jsonschema.validate(data, json_schema("definition"))

    @given(plans())
    def test_plan_dict_and_json(self, plan: Plan) -> None:
        """Any plan survives a round trip, and keeps its fingerprint."""
        data = plan.to_dict()
        loaded = definition_from_json(json.dumps(data))
        assert loaded == plan
        assert isinstance(loaded, Plan)
        assert loaded.fingerprint == plan.fingerprint
        jsonschema.validate(data, json_schema("definition"))

    def test_conditions(self) -> None:
        """Every condition kind round-trips through its dict form."""
        conditions = [
            answer("a.b").equals("x"),
            answer("a.b").is_in("x", "y"),
            answer("a.b").includes("x"),
            answer("a.b").at_least(3) | answer("a.b").below(2),
            AllOf([answer("a.b").answered(), Not(answer("a.c").skipped())]) & Predicate("late"),
            AnyOf([answer("a.b").above(1), answer("a.b").at_most(9)]),
        ]
        for condition in conditions:
            assert condition_from_dict(condition.to_dict()) == condition

    def test_prompt(self) -> None:
        """A prompt round-trips, help and examples included."""
        prompt = Prompt(
            "hurt",
            "How much?",
            Scale(0, 10, min_label="none"),
            help="Go with your gut.",
            examples=["4"],
            required=True,
        )
        assert prompt_from_dict(prompt.to_dict()) == prompt


class TestLoaderErrors:
    def test_every_problem_is_reported_with_its_path(self) -> None:
        """Several problems in one file are all reported, each with its path."""
        data = {
            "type": "exercise",
            "id": "x",
            "title": "X",
            "colour": "blue",
            "steps": [
                {
                    "prompt": {
                        "id": "a",
                        "text": "A?",
                        "answer": {"kind": "scale", "min": 5, "max": 1},
                    }
                },
                {"prompt": {"id": "b", "text": "B?", "answer": {"kind": "dance"}}},
                {"prompt": {"id": "c", "text": 3}},
                {"use": "missing"},
            ],
        }
        assert problems(data) == [
            ("exercise 'x' > step 1 'a' > prompt 'a' > answer", "invalid_scale"),
            ("exercise 'x' > step 2 'b' > prompt 'b' > answer > kind", "unknown_kind"),
            ("exercise 'x' > step 3 'c' > prompt 'c' > text", "wrong_type"),
            ("exercise 'x' > step 4 'missing' > use", "unknown_prompt"),
            ("exercise 'x' > colour", "unknown_field"),
        ]

    def test_condition_problems(self) -> None:
        """A bad condition is reported at its 'when'."""
        data = {
            "type": "exercise",
            "id": "x",
            "title": "X",
            "steps": [
                {"prompt": {"id": "a", "text": "A?", "answer": {"kind": "yes_no"}}},
                {
                    "prompt": {"id": "b", "text": "B?"},
                    "when": {"kind": "equals", "ref": "a", "value": "yes"},
                },
                {"prompt": {"id": "c", "text": "C?"}, "when": {"kind": "guess"}},
                {
                    "prompt": {"id": "d", "text": "D?"},
                    "when": {
                        "kind": "all",
                        "conditions": [{"kind": "compare", "ref": "a", "op": "~", "value": 1}],
                    },
                },
            ],
        }
        found = problems(data)
        assert ("exercise 'x' > step 3 'c' > when > kind", "unknown_kind") in found
        assert ("exercise 'x' > step 4 'd' > when > conditions[0]", "wrong_type") in found
        assert problems(
            json.loads(
                json.dumps(data).replace('"guess"', '"answered", "ref": "a"').replace('"~"', '">"')
            )
        ) == [
            ("exercise 'x' > step 2 'b' > when", "impossible_value"),
            ("exercise 'x' > step 4 'd' > when", "wrong_kind"),
        ]

    def test_plan_problems(self) -> None:
        """Unknown exercises suggest close matches; nested repeats are refused."""
        data = {
            "type": "plan",
            "id": "p",
            "title": "P",
            "items": [
                {"exercise": "acknowlege"},
                {
                    "repeat": "week",
                    "times": 2,
                    "stages": [{"repeat": "inner", "times": 1, "stages": []}],
                },
                {"exercise": "acknowledge", "only": ["nope"]},
                {},
            ],
        }
        ack = Exercise("acknowledge", "Acknowledge", [Prompt("what", "What happened?")])
        found = problems(data, exercises={"acknowledge": ack})
        assert found == [
            ("plan 'p' > item 1 > exercise", "unknown_exercise"),
            ("plan 'p' > item 2 > repeat 'week' > stage 1", "nested_repeat"),
            ("plan 'p' > item 3 > exercise 'acknowledge' > only", "unknown_step"),
            ("plan 'p' > item 4 > exercise", "missing_field"),
        ]
        with pytest.raises(DefinitionError, match="Did you mean 'acknowledge'"):
            definition_from_dict(data, exercises={"acknowledge": ack})

    def test_exercise_level_checks_keep_the_path(self) -> None:
        """Problems found after reading (like a later ref) keep the full path."""
        data = {
            "type": "plan",
            "id": "p",
            "title": "P",
            "items": [
                {
                    "exercise": {
                        "type": "exercise",
                        "id": "e",
                        "title": "E",
                        "steps": [
                            {"prompt": {"id": "a", "text": "A?"}},
                            {"prompt": {"id": "a", "text": "A again?"}},
                        ],
                    }
                },
            ],
        }
        assert problems(data) == [("plan 'p' > item 1 > exercise 'e' > step 2 'a'", "duplicate_id")]

    def test_not_a_definition(self) -> None:
        """A definition needs a type; JSON and TOML syntax errors are clear."""
        with pytest.raises(DefinitionError, match='"type"'):
            definition_from_dict({"id": "x"})
        with pytest.raises(DefinitionError, match="not valid JSON"):
            definition_from_json("{")
        with pytest.raises(DefinitionError, match="not valid TOML"):
            definition_from_toml("= nope")
        with pytest.raises(DefinitionError, match="object"):
            definition_from_dict({"type": "exercise", "id": "x", "title": "X", "steps": ["a"]})
        with pytest.raises(DefinitionError, match="prompt"):
            prompt_from_dict({"id": "x"})
        with pytest.raises(DefinitionError, match="kind"):
            condition_from_dict({"ref": "a"})

    def test_use_and_prompt_together(self) -> None:
        """A step gives a prompt or uses a shared one, not both."""
        shared = {"hurt": Prompt("hurt", "How much?", Scale(0, 10))}
        data = {
            "type": "exercise",
            "id": "x",
            "title": "X",
            "steps": [{"use": "hurt", "prompt": {"id": "a", "text": "A"}}],
        }
        assert problems(data, prompts=shared) == [("exercise 'x' > step 1 'hurt'", "conflict")]


class TestToml:
    def test_a_user_definition_in_toml(self) -> None:
        """A TOML exercise with a shared check-in and a branch loads as expected."""
        text = """
type = "exercise"
id = "evening"
title = "An evening check"
kinds = ["social"]
approaches = ["mindfulness"]
minutes = 4

[[steps]]
use = "hurt"
id = "hurt-before"

[[steps]]
prompt = { id = "alone", text = "Do you feel alone tonight?", answer = { kind = "yes_no" }, required = true }

[[steps]]
prompt = { id = "who", text = "Who could you message, even just to say hello?", answer = { kind = "short_text" } }
when = { kind = "equals", ref = "alone", value = true }

[[steps]]
use = "hurt"
id = "hurt-after"
"""
        hurt = Prompt("hurt", "How intense is the hurt right now?", Scale(0, 10))
        exercise = definition_from_toml(text, prompts={"hurt": hurt})
        assert isinstance(exercise, Exercise)
        assert [s.id for s in exercise.steps] == ["hurt-before", "alone", "who", "hurt-after"]
        assert exercise.steps[0].prompt is hurt
        assert exercise.steps[2].when == answer("alone").equals(True)
        # and the inlined form round-trips without the shared prompt
        assert definition_from_dict(exercise.to_dict()) == exercise
