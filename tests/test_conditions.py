"""Conditions are data: they evaluate in three-valued logic and serialise."""

from __future__ import annotations

from typing import Any

import pytest

from rejection_toolkit import (
    SKIPPED,
    AllOf,
    AnyOf,
    Exercise,
    MultipleChoice,
    Not,
    Plan,
    Predicate,
    Predicates,
    Prompt,
    Repeat,
    Scale,
    Selection,
    ShortText,
    SingleChoice,
    Stage,
    Step,
    YesNo,
    answer,
)
from rejection_toolkit._conditions import ABSENT, UNKNOWN
from rejection_toolkit.exceptions import DefinitionError


class Answers:
    """A stand-in for the session's look-up: a plain mapping of refs to values."""

    def __init__(self, **values: Any) -> None:
        self.values = {k.replace("_", "."): v for k, v in values.items()}

    def value(self, ref: str) -> Any:
        return self.values.get(ref, ABSENT)

    def mapping(self) -> Any:
        return self.values


NONE = Predicates()


class TestAtoms:
    def test_equals_checks_type_and_value(self) -> None:
        """1 is not True, and a missing or skipped answer never equals anything."""
        assert answer("a.b").equals(1).evaluate(Answers(a_b=1), NONE) is True
        assert answer("a.b").equals(True).evaluate(Answers(a_b=1), NONE) is False
        assert answer("a.b").equals("x").evaluate(Answers(), NONE) is False
        assert answer("a.b").equals("x").evaluate(Answers(a_b=SKIPPED), NONE) is False

    def test_one_of(self) -> None:
        """Membership respects types too."""
        cond = answer("a.b").is_in("x", 2)
        assert cond.evaluate(Answers(a_b="x"), NONE) is True
        assert cond.evaluate(Answers(a_b=2.0), NONE) is False
        assert cond.evaluate(Answers(a_b="y"), NONE) is False

    def test_includes(self) -> None:
        """'includes' looks inside a selection."""
        cond = answer("a.b").includes("sad")
        assert cond.evaluate(Answers(a_b=Selection(("sad", "tired"))), NONE) is True
        assert cond.evaluate(Answers(a_b=Selection(())), NONE) is False

    @pytest.mark.parametrize(
        ("method", "value", "expected"),
        [("at_least", 7, True), ("at_most", 6, False), ("above", 7, False), ("below", 8, True)],
    )
    def test_compare(self, method: str, value: int, expected: bool) -> None:
        """Comparisons read naturally and never treat bools as numbers."""
        cond = getattr(answer("a.b"), method)(value)
        assert cond.evaluate(Answers(a_b=7), NONE) is expected
        assert cond.evaluate(Answers(a_b=True), NONE) is False

    def test_answered_and_skipped(self) -> None:
        """Answered excludes skips and absences; skipped is only an explicit skip."""
        assert answer("a.b").answered().evaluate(Answers(a_b="x"), NONE) is True
        assert answer("a.b").answered().evaluate(Answers(a_b=SKIPPED), NONE) is False
        assert answer("a.b").skipped().evaluate(Answers(a_b=SKIPPED), NONE) is True
        assert answer("a.b").skipped().evaluate(Answers(), NONE) is False

    def test_unknown_propagates(self) -> None:
        """An answer not reached yet makes a condition unknown, per Kleene logic."""
        unknown = Answers(a_b=UNKNOWN, a_c=1)
        known_true = answer("a.c").equals(1)
        maybe = answer("a.b").equals(1)
        assert maybe.evaluate(unknown, NONE) is None
        assert (maybe & known_true).evaluate(unknown, NONE) is None
        assert (maybe & ~known_true).evaluate(unknown, NONE) is False
        assert (maybe | known_true).evaluate(unknown, NONE) is True
        assert (maybe | ~known_true).evaluate(unknown, NONE) is None
        assert Not(maybe).evaluate(unknown, NONE) is None

    def test_bad_refs(self) -> None:
        """A ref is 'step' or 'exercise.step'."""
        for bad in ("a.b.c", "", ".b"):
            with pytest.raises(DefinitionError):
                answer(bad)

    def test_empty_groups(self) -> None:
        """'all' and 'any' need at least one condition."""
        with pytest.raises(DefinitionError):
            AllOf([])
        with pytest.raises(DefinitionError):
            AnyOf([])


class TestCombinators:
    def test_chaining_flattens(self) -> None:
        """a & b & c is one AllOf of three; a | b | c one AnyOf of three."""
        a, b, c = (answer(x).answered() for x in "abc")
        assert (a & b & c) == AllOf([a, b, c])
        assert (a | b | c) == AnyOf([a, b, c])

    def test_refs_and_walk(self) -> None:
        """refs() lists every ref; walk() every node."""
        cond = ~(answer("a").answered() | answer("b").skipped()) & Predicate("p")
        assert list(cond.refs()) == ["a", "b"]
        assert [c.kind for c in cond.walk()] == [
            "all",
            "not",
            "any",
            "answered",
            "skipped",
            "predicate",
        ]


class TestPredicates:
    def test_registry_is_an_immutable_value(self) -> None:
        """with_predicate returns a new registry; the old one is unchanged."""
        empty = Predicates()
        one = empty.with_predicate("p", lambda answers: True)
        assert empty.names == ()
        assert one.names == ("p",)

    def test_predicate_gets_the_mapping(self) -> None:
        """A predicate reads the answers mapping it is given."""
        preds = Predicates({"big": lambda answers: answers.get("a.b", 0) > 5})
        assert Predicate("big").evaluate(Answers(a_b=9), preds) is True
        assert Predicate("big").evaluate(Answers(a_b=1), preds) is False

    def test_unknown_predicate(self) -> None:
        """Calling an unregistered predicate is a clear error."""
        with pytest.raises(DefinitionError, match="No predicate named 'nope'"):
            Predicate("nope").evaluate(Answers(), NONE)


class TestStaticChecks:
    """Conditions are checked against the answers they test, when the plan is built."""

    hurt = Prompt("hurt", "How much?", Scale(0, 10), required=True)
    word = Prompt("word", "A word?", ShortText())
    feel = Prompt("feel", "Which?", MultipleChoice([("sad", "Sad")], min_selected=0))
    ok = Prompt("ok", "OK?", YesNo(), required=True)
    pick = Prompt("pick", "Pick", SingleChoice([("a", "A"), ("b", "B")]))

    def build(self, when: Any) -> Exercise:
        return Exercise(
            "x",
            "X",
            [
                self.hurt,
                self.word,
                self.feel,
                self.ok,
                self.pick,
                Step(Prompt("then", "Then?"), when=when),
            ],
        )

    @pytest.mark.parametrize(
        "when",
        [
            answer("hurt").at_least(7),
            answer("hurt").equals(3) | answer("hurt").is_in(4, 6),
            answer("word").answered() & ~answer("word").skipped(),
            answer("feel").includes("sad"),
            answer("ok").equals(False),
            answer("pick").skipped() | answer("pick").equals("b"),
        ],
    )
    def test_possible_conditions_build(self, when: Any) -> None:
        """Conditions some answers can satisfy are accepted."""
        self.build(when)

    @pytest.mark.parametrize(
        ("when", "code"),
        [
            (answer("hurt").equals(11), "impossible_value"),
            (answer("hurt").equals(True), "impossible_value"),
            (answer("ok").equals("yes"), "impossible_value"),
            (answer("word").equals("hi"), "wrong_kind"),
            (answer("feel").equals("sad"), "wrong_kind"),
            (answer("word").includes("sad"), "wrong_kind"),
            (answer("word").at_least(1), "wrong_kind"),
            (answer("hurt").above(10), "unreachable"),
            (answer("hurt").below(3) & answer("hurt").above(5), "unreachable"),
            (answer("ok").skipped(), "unreachable"),
            (~answer("hurt").answered(), "unreachable"),
        ],
    )
    def test_impossible_conditions_fail(self, when: Any, code: str) -> None:
        """Conditions that do not fit, or can never hold, are refused with a code."""
        with pytest.raises(DefinitionError) as info:
            self.build(when)
        assert info.value.problems[0].code == code

    def test_predicates_are_assumed_possible(self) -> None:
        """A named predicate could say anything, so it never counts as unreachable."""
        self.build(answer("hurt").above(3) & Predicate("anything"))

    def test_plan_level_checks(self) -> None:
        """Repeats' and stages' conditions are checked in the plan, with paths."""
        first = Exercise("first", "First", [self.ok])
        second = Exercise("second", "Second", [self.word])
        with pytest.raises(DefinitionError) as info:
            Plan(
                "p", "P", [first, Repeat("r", [second], times=2, when=answer("first.ok").equals(1))]
            )
        assert info.value.problems[0].where == "plan 'p' > item 2 > repeat 'r' > when"
        with pytest.raises(DefinitionError, match="used twice"):
            Plan("p", "P", [Repeat("first", [second], times=1), first])
        Plan("p", "P", [first, Stage(second, when=answer("first.ok").equals(False))])

    def test_piping_into_a_later_exercise_is_checked(self) -> None:
        """A prompt showing an answer from a later exercise of the plan is refused."""
        shows = Exercise(
            "shows", "Shows", [Prompt("q", "You said {second.word}.", fallback_text="What now?")]
        )
        second = Exercise("second", "Second", [self.word])
        with pytest.raises(DefinitionError) as info:
            Plan("p", "P", [shows, second])
        assert info.value.problems[0].code == "later_ref"
        Plan("p", "P", [second, shows])
        Plan.of(shows)  # outside a plan that has 'second', the fallback is used
