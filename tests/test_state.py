"""Saved state: a small JSON document, loaded strictly, migrated and recovered."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_toolkit import (
    SKIPPED,
    Exercise,
    ItemList,
    Plan,
    Prompt,
    Scale,
    Session,
    ShortText,
    SingleChoice,
    Step,
    YesNo,
    answer,
    definition_from_json,
    json_schema,
)
from rejection_toolkit.exceptions import NewerFormatError, PlanMismatchError, StateError

from .conftest import NOW, at
from .strategies import plans, raw_answers

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = definition_from_json((FIXTURES / "golden-plan.json").read_text())
assert isinstance(GOLDEN, Plan)


def golden_session() -> Session:
    s = Session.start(GOLDEN, now=NOW)
    for value in ("They said I was too quiet.", "yes", True, None, ["kind", "curious", "steady"]):
        s = s.answer(value, now=NOW + timedelta(minutes=1))
    return s


def document(session: Session) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(session.to_json())
    return data


class TestRoundTrip:
    def test_save_and_load(self) -> None:
        """A session loads back equal, at the same step, with nothing reported."""
        s = golden_session()
        loaded = Session.from_json(GOLDEN, s.to_json())
        assert loaded == s
        assert at(loaded) == "heal/hurt"
        assert loaded.unplaced == ()

    def test_document_shape(self) -> None:
        """The document is small and names its format, plan and fingerprint."""
        data = document(golden_session())
        assert data["format"] == "rejection-toolkit/session"
        assert data["version"] == 2
        assert data["plan"] == {"id": "golden", "version": 1, "fingerprint": GOLDEN.fingerprint}
        assert data["started_at"] == "2026-03-02T09:30:00Z"
        assert data["path"][0] == ["check/reason", 60, "They said I was too quiet."]
        assert data["path"][3] == ["heal/pause", 60]  # an info step has no value

    def test_kept_and_skipped_round_trip(self) -> None:
        """Inactive answers and skips survive a save."""
        s = golden_session().back().back().back().back()  # back to 'holds'
        s = s.answer("no", now=NOW).answer(now=NOW).skip(now=NOW)
        loaded = Session.from_json(GOLDEN, s.to_json())
        assert loaded == s
        assert loaded.get("heal.qualities").value is SKIPPED  # type: ignore[union-attr]
        assert {a.address for a in loaded.inactive} == {"check/change"}

    def test_bytes_and_dicts(self) -> None:
        """from_json takes bytes; from_dict takes the parsed document."""
        s = golden_session()
        assert Session.from_json(GOLDEN, s.to_json().encode()) == s
        assert Session.from_dict(GOLDEN, s.to_dict()) == s

    def test_matches_the_json_schema(self) -> None:
        """Saved documents validate against the shipped schema."""
        s = golden_session().back().back().answer(now=NOW).skip(now=NOW)
        jsonschema.validate(s.to_dict(), json_schema("session"))

    @given(plans(), st.data())
    def test_any_point_of_any_walk(self, plan: Plan, data: st.DataObject) -> None:
        """Saving and loading at any point of a walk gives back an equal session."""
        s = Session.start(plan, now=NOW)
        for _ in range(data.draw(st.integers(0, 30))):
            if s.current is None:
                break
            move = data.draw(st.sampled_from(["answer", "answer", "skip", "back"]))
            if move == "back" and s.records:
                s = s.back()
            elif move == "skip" and s.current.can_skip:
                s = s.skip(now=NOW)
            else:
                s = s.answer(data.draw(raw_answers(s.current.prompt.answer)), now=NOW)
        text = s.to_json()
        loaded = Session.from_json(plan, text)
        assert loaded == s
        assert loaded.unplaced == ()
        assert loaded.to_json() == text
        jsonschema.validate(json.loads(text), json_schema("session"))


class TestStrictLoading:
    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("{not json", "malformed_json"),
            ('{"format": "rejection-toolkit/session", "version": NaN}', "invalid_number"),
            ('{"a": 1, "a": 2}', "duplicate_key"),
            ("[1, 2]", "wrong_type"),
            ('{"format": "something-else"}', "not_a_session"),
            ('{"format": "rejection-toolkit/session", "version": "2"}', "wrong_type"),
            ('{"format": "rejection-toolkit/session", "version": 0}', "unknown_version"),
            ("[" * 100_000 + "]" * 100_000, "too_deep"),
            ('{"n": 1' + "0" * 5000 + "}", "malformed_json"),
        ],
    )
    def test_malformed_documents(self, text: str, code: str) -> None:
        """Each kind of broken document raises StateError with its own code."""
        with pytest.raises(StateError) as info:
            Session.from_json(GOLDEN, text, max_bytes=10_000_000)
        assert info.value.code == code

    def test_too_large(self) -> None:
        """Input over the size bound is refused before parsing."""
        with pytest.raises(StateError) as info:
            Session.from_json(GOLDEN, " " * 2000, max_bytes=1000)
        assert info.value.code == "too_large"
        with pytest.raises(StateError):
            Session.from_json(GOLDEN, b" " * 2000, max_bytes=1000)

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are refused."""
        with pytest.raises(StateError) as info:
            Session.from_json(GOLDEN, b"\xff\xfe")
        assert info.value.code == "not_utf8"

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            (lambda d: d.pop("plan"), "missing_field"),
            (lambda d: d.update(extra=1), "unknown_field"),
            (lambda d: d.update(path="nope"), "wrong_type"),
            (lambda d: d["path"].append(["a"]), "wrong_type"),
            (lambda d: d["path"].append([1, 2]), "wrong_type"),
            (lambda d: d["path"].append(["a", True]), "wrong_type"),
            (lambda d: d["path"].append(["a", 10**11]), "wrong_type"),
            (lambda d: d.update(started_at="yesterday"), "invalid_time"),
            (lambda d: d.update(started_at="2026-01-01T00:00:00"), "invalid_time"),
            (lambda d: d["plan"].update(colour="blue"), "unknown_field"),
            (lambda d: d.update(unplaced=[{"entry": ["a", 1], "reason": "whim"}]), "wrong_type"),
            (lambda d: d.update(unplaced=[1]), "wrong_type"),
            (lambda d: d.update(unplaced={}), "wrong_type"),
        ],
    )
    def test_wrong_structure(self, change: Any, code: str) -> None:
        """Missing, unknown and mistyped fields each have a code; nothing half-loads."""
        data = document(golden_session())
        change(data)
        with pytest.raises(StateError) as info:
            Session.from_dict(GOLDEN, data)
        assert info.value.code == code

    def test_newer_format(self) -> None:
        """A document from a newer version says to upgrade."""
        data = document(golden_session()) | {"version": 99}
        with pytest.raises(NewerFormatError, match="Upgrade"):
            Session.from_dict(GOLDEN, data)

    def test_other_plan(self) -> None:
        """A document for another plan is refused with both ids named."""
        other = Plan.of(Exercise("other", "Other", [Prompt("a", "?")]))
        with pytest.raises(PlanMismatchError, match="'golden', not 'other'"):
            Session.from_json(other, golden_session().to_json())

    def test_errors_never_contain_answers(self) -> None:
        """Error messages about a document do not quote its contents."""
        data = document(golden_session())
        data["path"][0][2] = "CANARY"
        data["CANARY"] = 1
        with pytest.raises(StateError) as info:
            Session.from_dict(GOLDEN, data)
        assert "CANARY" in str(info.value)  # the unknown *key* is named: keys are structure
        data.pop("CANARY")
        text = json.dumps(data).replace('"format"', '"CANARY": 1, "format"', 1)
        text = text.replace('"CANARY": 1', '"CANARY": 1, "CANARY": 2', 1)
        with pytest.raises(StateError) as info:
            Session.from_json(GOLDEN, text)
        assert "CANARY" not in str(info.value)


class TestMigration:
    def test_golden_v1_fixture(self) -> None:
        """The format-1 fixture, kept forever, loads through the migration chain."""
        s = Session.from_json(GOLDEN, (FIXTURES / "session-v1.json").read_text())
        assert s.unplaced == ()
        assert s.started_at == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        assert s.get("check.reason").at == datetime(2026, 1, 5, 9, 1, tzinfo=UTC)  # type: ignore[union-attr]
        assert s.get("check.holds").value == "no"  # type: ignore[union-attr]
        assert s.get("heal.qualities").value is SKIPPED  # type: ignore[union-attr]
        assert [a.address for a in s.inactive] == ["check/change"]
        assert at(s) == "heal/hurt"
        assert document(s)["version"] == 2

    def test_v1_with_a_broken_answer(self) -> None:
        """A v1 path naming an address with no answer is a clear error."""
        data = json.loads((FIXTURES / "session-v1.json").read_text())
        data["path"].append("heal/hurt")
        with pytest.raises(StateError, match="missing"):
            Session.from_dict(GOLDEN, data)


def changed_golden(**replace: Any) -> Plan:
    data = json.loads((FIXTURES / "golden-plan.json").read_text())
    for dotted, value in replace.items():
        target = data
        *parts, last = dotted.split("__")
        for part in parts:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    plan = definition_from_json(json.dumps(data))
    assert isinstance(plan, Plan)
    return plan


class TestPlanChanged:
    def test_text_only_change_loads_silently(self) -> None:
        """Fixing a typo in the plan loads the session with no report."""
        fixed = changed_golden(
            items__0__exercise__steps__0__prompt__text="Which reason did they give?"
        )
        assert fixed.fingerprint == GOLDEN.fingerprint
        loaded = Session.from_json(fixed, golden_session().to_json())
        assert loaded.unplaced == ()
        assert at(loaded) == "heal/hurt"

    def test_choice_value_gone(self) -> None:
        """When a saved choice is no longer offered, the session resumes before it."""
        fewer = changed_golden(
            items__0__exercise__steps__1__prompt__answer__options=[
                {"value": "no", "label": "No"},
                {"value": "unsure", "label": "Unsure"},
            ],
            items__0__exercise__steps__2__when={"kind": "equals", "ref": "holds", "value": "no"},
        )
        loaded = Session.from_json(fewer, golden_session().to_json())
        assert at(loaded) == "check/holds"
        assert [(u.address, u.reason) for u in loaded.unplaced] == [
            ("check/holds", "invalid_value")
        ]
        assert loaded.unplaced[0].raw == "yes"
        # later answers that still fit are kept for when the person gets there
        assert {a.address for a in loaded.inactive} >= {"heal/qualities"}

    def test_kind_changed_and_step_removed(self) -> None:
        """A changed kind and a removed step are both reported, never dropped."""
        data = json.loads((FIXTURES / "golden-plan.json").read_text())
        steps = data["items"][1]["exercise"]["steps"]
        steps[1]["prompt"]["answer"] = {"kind": "scale", "min": 0, "max": 10}
        del data["items"][0]["exercise"]["steps"][2]
        plan = definition_from_json(json.dumps(data))
        assert isinstance(plan, Plan)
        loaded = Session.from_json(plan, golden_session().to_json())
        assert sorted((u.address, u.reason) for u in loaded.unplaced) == [
            ("check/change", "unknown_step"),
            ("heal/qualities", "invalid_value"),
        ]
        assert at(loaded) == "heal/pause"
        assert loaded.get("check.holds").value == "yes"  # type: ignore[union-attr]

    def test_unplaced_survive_saving_until_discarded(self) -> None:
        """Unplaced answers are saved again until the host discards them."""
        fewer = changed_golden(
            items__1__exercise__steps=[
                {"prompt": {"id": "pause", "text": "Breathe.", "answer": {"kind": "info"}}}
            ]
        )
        loaded = Session.from_json(fewer, golden_session().to_json())
        assert len(loaded.unplaced) == 1
        again = Session.from_json(fewer, loaded.to_json())
        assert again.unplaced == loaded.unplaced
        jsonschema.validate(again.to_dict(), json_schema("session"))
        assert Session.from_json(fewer, again.discard_unplaced().to_json()).unplaced == ()
        assert "They said" not in repr(loaded.unplaced)

    def test_skipped_step_became_required(self) -> None:
        """A skip saved before a step became required is reported as such."""
        required = changed_golden(items__1__exercise__steps__1__prompt__required=True)
        s = golden_session().back().skip(now=NOW)
        loaded = Session.from_json(required, s.to_json())
        assert [(u.address, u.reason) for u in loaded.unplaced] == [
            ("heal/qualities", "not_skippable")
        ]
        assert at(loaded) == "heal/qualities"


def test_value_kinds_in_documents() -> None:
    """Every value kind is stored as plain JSON in the document."""
    ex = Exercise(
        "e",
        "E",
        [
            Prompt("n", "?", Scale(0, 10)),
            Prompt("y", "?", YesNo()),
            Prompt("l", "?", ItemList()),
            Prompt("s", "?", ShortText()),
            Prompt("c", "?", SingleChoice([("a", "A")])),
            Step(Prompt("z", "?"), when=answer("y").equals(True)),
        ],
    )
    s = Session.start(ex, now=NOW)
    for value in (3, "yes", ["x"], "s", "a", "z"):
        s = s.answer(value, now=NOW)
    assert [entry[2] for entry in document(s)["path"]] == [3, True, ["x"], "s", "a", "z"]
