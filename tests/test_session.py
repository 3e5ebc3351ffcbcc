"""Walking a plan: answers, skips, back, branches, repeats, progress and piping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from rejection_toolkit import (
    SKIPPED,
    Exercise,
    Info,
    ItemList,
    MultipleChoice,
    Plan,
    Predicate,
    Predicates,
    Prompt,
    Repeat,
    Scale,
    Selection,
    Session,
    ShortText,
    SingleChoice,
    Stage,
    Step,
    YesNo,
    answer,
)
from rejection_toolkit.exceptions import AnswerError, DefinitionError, SessionError

from .conftest import NOW, at

HOLDS = Prompt(
    "holds",
    "Does the reason hold up?",
    SingleChoice([("yes", "Yes"), ("no", "No"), ("unsure", "I can't tell")]),
    required=True,
)
CHANGE = Prompt("change", "Do you want to change this, for yourself?", YesNo(), required=True)
CHECK = Exercise(
    "check",
    "Check the reason",
    [
        Prompt("reason", "What reason were you given?", ShortText()),
        HOLDS,
        Step(CHANGE, when=answer("holds").equals("yes")),
    ],
)
GROW = Exercise("grow", "Grow", [Prompt("goal", "One goal?", ShortText())])
FEELINGS = Exercise(
    "feel",
    "Name the feeling",
    [
        Prompt(
            "sadness",
            "Which of these fit?",
            MultipleChoice([("hurt", "Hurt"), ("lonely", "Lonely")], min_selected=0, other=True),
        ),
    ],
)
HEAL = Exercise(
    "heal",
    "Heal",
    [
        Prompt("pause", "Take a slow breath.", Info(seconds=20)),
        Prompt(
            "kind",
            "Earlier you felt {feel.sadness}. What is one kind thing you can do today?",
            ShortText(),
            fallback_text="What is one kind thing you can do today?",
        ),
    ],
)
PLAN = Plan(
    "reason-check",
    "Reason check",
    [
        CHECK,
        FEELINGS,
        Stage(GROW, when=answer("check.change").equals(True)),
        HEAL,
    ],
)


def walk(session: Session, *answers: object, now: datetime = NOW) -> Session:
    for value in answers:
        session = session.answer(value, now=now)
    return session


class TestWalking:
    def test_start(self) -> None:
        """A new session waits on the first step and knows the plan's size."""
        s = Session.start(PLAN, now=NOW)
        assert s.current is not None
        assert s.current.address == "check/reason"
        assert s.current.text == "What reason were you given?"
        assert s.current.can_skip is True
        assert s.progress.done == 0
        assert (s.progress.remaining_min, s.progress.remaining_max) == (5, 7)

    def test_branch_grow_when_reason_holds_and_change_wanted(self) -> None:
        """yes + yes leads through grow; the branch shows in progress."""
        s = walk(Session.start(PLAN, now=NOW), "too quiet", "yes", True, ["hurt"])
        assert at(s) == "grow/goal"
        assert s.progress.remaining_min == s.progress.remaining_max == 3

    def test_branch_straight_to_heal(self) -> None:
        """Any other answer skips the change question and grow."""
        s = walk(Session.start(PLAN, now=NOW), "too quiet", "unsure", [])
        assert at(s) == "heal/pause"
        assert s.progress.remaining_max == 2

    def test_complete_and_results(self) -> None:
        """A finished session has results by exercise and step, with labels."""
        s = walk(
            Session.start(PLAN, now=NOW),
            "too quiet",
            "yes",
            True,
            {"selected": ["lonely"], "other": "flat"},
            "speak up once a week",
            None,
            "a walk",
        )
        assert s.is_complete
        assert s.current is None
        assert s.progress.fraction == 1.0
        results = s.results
        assert list(results) == ["check", "feel", "grow", "heal"]
        assert results["check"]["holds"].value == "yes"
        assert results["check"]["holds"].display == "Yes"
        assert results["feel"]["sadness"].display == ("Lonely", "flat")
        assert results["feel"]["sadness"].text == "Lonely, flat"
        assert "pause" not in results["heal"]  # info steps are not answers
        assert s.get("grow.goal").value == "speak up once a week"  # type: ignore[union-attr]
        with pytest.raises(SessionError) as info:
            s.answer("more", now=NOW)
        assert info.value.code == "complete"

    def test_piping_shows_labels_or_falls_back(self) -> None:
        """Earlier answers appear as labels; missing ones use the fallback text."""
        s = walk(Session.start(PLAN, now=NOW), "x", "no", ["hurt", "lonely"], None)
        assert s.current is not None
        assert s.current.text.startswith("Earlier you felt Hurt, Lonely.")
        s = walk(Session.start(PLAN, now=NOW), "x", "no")
        s = s.skip(now=NOW).answer(now=NOW)
        assert s.current is not None
        assert s.current.text == "What is one kind thing you can do today?"

    def test_answer_text_is_not_reparsed_in_piping(self) -> None:
        """An answer that looks like a placeholder is shown literally."""
        ex = Exercise(
            "e",
            "E",
            [
                Prompt("a", "A?", ShortText()),
                Prompt("b", "You said {a} ({a|value}).", fallback_text="B?"),
            ],
        )
        s = walk(Session.start(ex, now=NOW), "{a} {{ }}")
        assert s.current is not None
        assert s.current.text == "You said {a} {{ }} ({a} {{ }})."

    def test_pipe_values(self) -> None:
        """{ref|value} shows stored values: choice values, numbers, yes/no, items."""
        ex = Exercise(
            "e",
            "E",
            [
                HOLDS,
                Prompt("n", "N?", Scale(0, 10)),
                Prompt("ok", "Ok?", YesNo()),
                Prompt("items", "Items?", ItemList()),
                Prompt("m", "M?", MultipleChoice([("a", "A")], min_selected=0, other=True)),
                Prompt(
                    "show",
                    "{holds|value} {n|value} {ok|value} {items|value} {m|value}",
                    fallback_text="-",
                ),
            ],
        )
        s = walk(
            Session.start(ex, now=NOW),
            "unsure",
            4,
            False,
            ["x", "y"],
            {"selected": ["a"], "other": "z"},
        )
        assert s.current is not None
        assert s.current.text == "unsure 4 false x, y a, z"

    def test_exercise_runs_as_its_own_plan(self) -> None:
        """Session.start accepts a single exercise."""
        s = Session.start(GROW, now=NOW)
        assert s.plan.id == "grow"
        assert walk(s, "rest").is_complete


class TestRejectedInput:
    def test_bad_answer_changes_nothing(self) -> None:
        """A rejected answer raises and the session is exactly as it was."""
        s = walk(Session.start(PLAN, now=NOW), "x")
        before = s.to_json()
        with pytest.raises(AnswerError) as info:
            s.answer("perhaps", now=NOW)
        assert info.value.code == "unknown_choice"
        assert s.to_json() == before
        assert at(s) == "check/holds"

    def test_required_steps_cannot_be_skipped(self) -> None:
        """Skipping a required step is refused with a clear code."""
        s = walk(Session.start(PLAN, now=NOW), "x")
        with pytest.raises(SessionError) as info:
            s.skip(now=NOW)
        assert info.value.code == "not_skippable"

    def test_info_steps_are_continued_not_skipped(self) -> None:
        """An info step is passed with answer(); skip() explains that."""
        s = walk(Session.start(PLAN, now=NOW), "x", "no", [])
        assert s.current is not None
        assert s.current.prompt.answer == Info(seconds=20)
        assert s.current.can_skip is False
        with pytest.raises(SessionError, match="call answer"):
            s.skip(now=NOW)

    def test_back_at_start(self) -> None:
        """Going back from the first step is refused."""
        with pytest.raises(SessionError) as info:
            Session.start(PLAN, now=NOW).back()
        assert info.value.code == "at_start"

    @pytest.mark.parametrize("bad", [datetime(2026, 1, 1), "2026-01-01", None])
    def test_time_must_be_aware(self, bad: object) -> None:
        """Naive datetimes and non-datetimes are refused; no hidden clock is read."""
        with pytest.raises(SessionError) as info:
            Session.start(PLAN, now=bad)  # type: ignore[arg-type]
        assert info.value.code == "invalid_time"


class TestSkipAndBack:
    def test_skip_stores_an_explicit_marker(self) -> None:
        """A skipped step stores SKIPPED, not None, and shows in results."""
        s = Session.start(PLAN, now=NOW).skip(now=NOW)
        answer_ = s.results["check"]["reason"]
        assert answer_.value is SKIPPED
        assert answer_.skipped
        assert answer_.display is None
        assert answer_.text is None

    def test_back_keeps_the_answer_for_prefill(self) -> None:
        """After back, the step's earlier answer is offered as `previous`."""
        s = walk(Session.start(PLAN, now=NOW), "too quiet")
        back = s.back()
        assert at(back) == "check/reason"
        assert back.current.previous is not None
        assert back.current.previous.value == "too quiet"
        assert back.results == {}

    def test_abandoned_branch_is_inactive_and_comes_back(self) -> None:
        """Answers on a branch left behind are kept but inactive, and return."""
        later = NOW + timedelta(minutes=5)
        s = walk(Session.start(PLAN, now=NOW), "x", "yes", True, ["hurt"], "goal one")
        # back to 'holds' and take the other branch
        s2 = s.back().back().back().back()
        assert at(s2) == "check/holds"
        s3 = walk(s2, "no", ["hurt"], now=later)
        assert s3.get("grow.goal") is None
        assert s3.get("check.change") is None
        assert {a.address for a in s3.inactive} == {"check/change", "grow/goal"}
        # and back again to 'yes': the old answers come back for the same steps
        s4 = s3.back().back().answer("yes", now=later)
        assert s4.current is not None
        assert s4.current.previous is not None
        assert s4.current.previous.value is True
        s5 = walk(s4, True, ["hurt"], "goal one", now=later)
        assert s5.get("grow.goal").at == NOW  # type: ignore[union-attr]  # same answer keeps its time

    def test_back_then_same_answer_gives_the_same_session(self) -> None:
        """Back then forward with the same answer returns an equal session."""
        s = walk(Session.start(PLAN, now=NOW), "x", "yes")
        assert s.back().answer("yes", now=NOW + timedelta(hours=1)) == s

    def test_changed_answer_takes_the_new_time(self) -> None:
        """A different answer is a new answer, with the new time."""
        later = NOW + timedelta(hours=1)
        s = walk(Session.start(PLAN, now=NOW), "x").back().answer("y", now=later)
        assert s.get("check.reason").at == later  # type: ignore[union-attr]

    def test_immutability(self) -> None:
        """Every operation returns a new session and leaves the old one alone."""
        s = Session.start(PLAN, now=NOW)
        s2 = s.answer("x", now=NOW)
        assert at(s) == "check/reason"
        assert s2 is not s
        assert s.progress.done == 0


class TestRepeats:
    def test_occurrences_and_due_times(self) -> None:
        """Each round is keyed by occurrence, due at start + (n - 1) * every."""
        letter = Exercise("letter", "Letter", [Prompt("words", "Write a few kind words.")])
        plan = Plan("week", "Week", [Repeat("day", [letter], times=3, every=timedelta(days=1))])
        s = Session.start(plan, now=NOW)
        dues = []
        for n in range(3):
            assert s.current is not None
            assert s.current.occurrence == n + 1
            dues.append(s.current.due_at)
            s = s.answer(f"day {n + 1}", now=NOW + timedelta(days=n))
        assert dues == [NOW, NOW + timedelta(days=1), NOW + timedelta(days=2)]
        assert list(s.results) == ["day#1/letter", "day#2/letter", "day#3/letter"]
        assert s.get("letter.words").value == "day 3"  # type: ignore[union-attr]  # latest round

    def test_conditions_inside_a_round_read_that_round(self) -> None:
        """A condition in a repeat reads the same round's earlier answers."""
        check = Exercise("check", "Check", [Prompt("ok", "Did it help?", YesNo())])
        more = Exercise("more", "More", [Prompt("why", "What would help more?")])
        plan = Plan(
            "p",
            "P",
            [Repeat("day", [check, Stage(more, when=answer("check.ok").equals(False))], times=2)],
        )
        s = walk(Session.start(plan, now=NOW), False, "rest", True)
        assert s.is_complete
        assert list(s.results) == ["day#1/check", "day#1/more", "day#2/check"]


class TestPredicates:
    def test_named_predicate(self) -> None:
        """A named predicate gets the active answers and decides a branch."""
        plan = Plan("p", "P", [CHECK, Stage(GROW, when=Predicate("reason-given"))])
        preds = Predicates().with_predicate(
            "reason-given", lambda answers: answers.get("check.reason") not in (None, SKIPPED)
        )
        s = walk(Session.start(plan, now=NOW, predicates=preds), "x", "no")
        assert at(s) == "grow/goal"
        s = Session.start(plan, now=NOW, predicates=preds).skip(now=NOW).answer("no", now=NOW)
        assert s.is_complete

    def test_predicates_see_a_read_only_view(self) -> None:
        """The view maps 'exercise.step' to values and hides its contents in repr."""
        seen = {}

        def spy(answers: object) -> bool:
            seen["keys"] = list(answers)  # type: ignore[call-overload]
            seen["repr"] = repr(answers)
            return True

        plan = Plan("p", "P", [CHECK, Stage(GROW, when=Predicate("spy"))])
        s = walk(Session.start(plan, now=NOW, predicates=Predicates({"spy": spy})), "secret", "no")
        assert at(s) == "grow/goal"
        assert seen["keys"] == ["check.reason", "check.holds"]
        assert "secret" not in seen["repr"]

    def test_missing_predicate_is_reported_at_start(self) -> None:
        """A plan that needs a predicate cannot start without it."""
        plan = Plan("p", "P", [CHECK, Stage(GROW, when=Predicate("nope"))])
        with pytest.raises(DefinitionError, match="nope"):
            Session.start(plan, now=NOW)


class TestPrivacy:
    def test_reprs_hide_answers(self) -> None:
        """Session, Answer and CurrentStep reprs never show what was written."""
        s = walk(Session.start(PLAN, now=NOW), "CANARY words")
        back = s.back()
        for text in (repr(s), repr(s.answers), repr(s.results), repr(back.current), str(s)):
            assert "CANARY" not in text

    def test_times_are_utc_to_the_second(self) -> None:
        """Times are stored in UTC, to the second, whatever zone they came in."""
        local = datetime(2026, 3, 2, 10, 30, 15, 999, tzinfo=timezone(timedelta(hours=1)))
        s = Session.start(GROW, now=local)
        assert s.started_at == datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)


def test_selection_value_type() -> None:
    """Multiple-choice answers are Selection values."""
    s = walk(Session.start(FEELINGS, now=NOW), ["hurt"])
    assert s.get("feel.sadness").value == Selection(("hurt",))  # type: ignore[union-attr]
