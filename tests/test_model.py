"""Definitions validate when built, and every problem names its path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rejection_toolkit import (
    Approach,
    Exercise,
    Info,
    Kind,
    LongText,
    MultipleChoice,
    Plan,
    Prompt,
    Repeat,
    Scale,
    SingleChoice,
    Stage,
    Step,
    YesNo,
    answer,
)
from rejection_toolkit.exceptions import DefinitionError, Problem

HOLDS = Prompt(
    "holds",
    "Does the reason hold up?",
    SingleChoice([("yes", "Yes"), ("no", "No"), ("unsure", "I can't tell")]),
    required=True,
)
CHANGE = Prompt("change", "Do you want to change this, for yourself?", YesNo(), required=True)
HURT = Prompt("hurt", "How intense is the hurt right now?", Scale(0, 10))


def check_reason() -> Exercise:
    return Exercise(
        "check-the-reason",
        "Is there anything true in the reason?",
        [
            Prompt("reason", "What reason were you given?"),
            HOLDS,
            Step(CHANGE, when=answer("holds").equals("yes")),
        ],
    )


GROW = Exercise("grow", "Grow", [Prompt("goal", "One goal you would like to reach?")])
HEAL = Exercise("heal", "Heal", [Prompt("kind", "One kind thing for today?")])


def problem_paths(error: DefinitionError) -> list[str]:
    return [p.where for p in error.problems]


class TestPrompt:
    def test_defaults(self) -> None:
        """A prompt takes free writing and is optional unless told otherwise."""
        prompt = Prompt("note", "Anything else?")
        assert prompt.answer == LongText()
        assert prompt.required is False

    def test_reports_every_problem_with_its_path(self) -> None:
        """A bad id and empty text are both reported, under the prompt."""
        with pytest.raises(DefinitionError) as info:
            Prompt("Bad Id", "  ")
        assert [p.code for p in info.value.problems] == ["invalid_id", "empty_text"]
        assert info.value.problems[0].path[0] == "prompt 'Bad Id'"

    def test_piping_needs_a_fallback(self) -> None:
        """Text that shows an answer must say what to show when it is missing."""
        with pytest.raises(DefinitionError, match="fallback_text"):
            Prompt("letter", "You named {feelings}.")
        prompt = Prompt("letter", "You named {feelings}.", fallback_text="What do you feel?")
        assert prompt.shows == ("feelings",)

    def test_fallback_cannot_pipe(self) -> None:
        """The fallback is used when answers are missing, so it cannot show any."""
        with pytest.raises(DefinitionError, match="cannot show answers"):
            Prompt("x", "Hi {a}", fallback_text="Hi {b}")

    @pytest.mark.parametrize("text", ["A { brace", "Close } brace", "{Bad Ref}", "{a.b.c}"])
    def test_bad_placeholders(self, text: str) -> None:
        """Lone braces and malformed references are definition errors."""
        with pytest.raises(DefinitionError):
            Prompt("x", text, fallback_text="x")

    def test_literal_braces(self) -> None:
        """Doubled braces are literal text, not placeholders."""
        assert Prompt("x", "Use {{ and }} freely").shows == ()


class TestExercise:
    def test_prompts_become_steps_and_can_be_reused(self) -> None:
        """One prompt can appear twice under different step ids."""
        ex = Exercise(
            "pair",
            "Pair",
            [Step(HURT, id="hurt-before"), Prompt("what", "What?"), Step(HURT, id="hurt-after")],
        )
        assert [s.id for s in ex.steps] == ["hurt-before", "what", "hurt-after"]
        assert ex.steps[0].prompt is ex.steps[2].prompt

    def test_duplicate_step_ids(self) -> None:
        """Two steps with one id are rejected with the step's path."""
        with pytest.raises(DefinitionError) as info:
            Exercise("dup", "Dup", [HURT, HURT])
        assert problem_paths(info.value) == ["exercise 'dup' > step 2 'hurt'"]
        assert info.value.problems[0].code == "duplicate_id"

    def test_condition_on_a_later_step(self) -> None:
        """A condition may only read answers given before its step."""
        with pytest.raises(DefinitionError) as info:
            Exercise("x", "X", [Step(CHANGE, when=answer("holds").equals("yes")), HOLDS])
        problem = info.value.problems[0]
        assert problem.code == "later_ref"
        assert problem.where == "exercise 'x' > step 1 'change' > when"

    def test_unknown_ref_lists_the_earlier_steps(self) -> None:
        """An unknown reference says which steps exist."""
        with pytest.raises(DefinitionError, match="earlier steps are: holds"):
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=answer("nope").equals("yes"))])

    def test_impossible_value_and_wrong_kind(self) -> None:
        """A value that is not an option, or a test that does not fit, is rejected."""
        with pytest.raises(DefinitionError, match="not a possible answer") as info:
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=answer("holds").equals("maybe"))])
        assert info.value.problems[0].code == "impossible_value"
        with pytest.raises(DefinitionError) as info:
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=answer("holds").at_least(3))])
        assert info.value.problems[0].code == "wrong_kind"

    def test_unreachable_step(self) -> None:
        """A condition no answer can satisfy makes the step unreachable."""
        never = answer("holds").equals("yes") & answer("holds").equals("no")
        with pytest.raises(DefinitionError) as info:
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=never)])
        assert info.value.problems[0].code == "unreachable"

    def test_skipped_on_required_is_unreachable(self) -> None:
        """A required step can never be skipped, so 'skipped' on it never holds."""
        with pytest.raises(DefinitionError, match="never be reached"):
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=answer("holds").skipped())])

    def test_qualified_refs_belong_in_plans(self) -> None:
        """Inside an exercise, conditions name its own steps by id alone."""
        with pytest.raises(DefinitionError, match="same exercise"):
            Exercise("x", "X", [HOLDS, Step(CHANGE, when=answer("other.holds").equals("yes"))])

    def test_info_steps_cannot_be_tested_or_shown(self) -> None:
        """An info step has no answer to test or to show."""
        info_prompt = Prompt("read", "Read this.", Info())
        with pytest.raises(DefinitionError, match="info step"):
            Exercise("x", "X", [info_prompt, Step(CHANGE, when=answer("read").answered())])
        with pytest.raises(DefinitionError, match="info step"):
            Exercise("x", "X", [info_prompt, Prompt("y", "About {read}", fallback_text="y")])

    def test_tags_accept_strings_and_reject_unknown(self) -> None:
        """Kinds and approaches are enums; strings convert, unknown names fail."""
        ex = Exercise("x", "X", [HURT], kinds=["romantic", "social"], approaches="mindfulness")
        assert ex.kinds == (Kind.ROMANTIC, Kind.SOCIAL)
        assert ex.approaches == (Approach.MINDFULNESS,)
        with pytest.raises(DefinitionError, match="not a known kind"):
            Exercise("x", "X", [HURT], kinds=["cosmic"])

    def test_numbers_and_empty_steps(self) -> None:
        """minutes and version are positive; an exercise has steps."""
        with pytest.raises(DefinitionError) as info:
            Exercise("x", "X", [], minutes=0, version=0)
        assert {p.code for p in info.value.problems} == {"invalid_number", "empty"}

    def test_extend_and_only(self) -> None:
        """Composition: add a step at the end, or keep just some steps."""
        longer = check_reason().extend(Prompt("note", "Anything to add?"))
        assert longer.steps[-1].id == "note"
        assert longer.id == "check-the-reason"
        assert [s.id for s in longer.only("reason", "note").steps] == ["reason", "note"]
        with pytest.raises(DefinitionError, match="no step 'nope'"):
            longer.only("nope")
        assert longer.without("reason", "note").steps == longer.only("holds", "change").steps

    def test_trimming_conditions_and_minutes(self) -> None:
        """Kept steps lose conditions on left-out steps; minutes scale down."""
        ex = Exercise(
            "x",
            "X",
            [HOLDS, Step(CHANGE, when=answer("holds").equals("yes")), Prompt("note", "Note?")],
            minutes=6,
        )
        trimmed = ex.only("change", "note")
        assert trimmed.steps[0].when is None
        assert trimmed.minutes == 4
        assert ex.only("note", minutes=1).minutes == 1
        both = answer("holds").equals("yes") & answer("note").answered()
        mixed = Exercise("x", "X", [HOLDS, Prompt("note", "Note?"), Step(CHANGE, when=both)])
        with pytest.raises(DefinitionError, match="would be left out") as info:
            mixed.only("note", "change")
        assert info.value.problems[0].where == "exercise 'x' > step 3 'change' > when"

    def test_multiple_choice_includes(self) -> None:
        """'includes' works on multiple choice and checks the option exists."""
        feelings = Prompt(
            "feelings", "Which?", MultipleChoice([("sad", "Sad"), ("angry", "Angry")])
        )
        Exercise("x", "X", [feelings, Step(HURT, when=answer("feelings").includes("sad"))])
        with pytest.raises(DefinitionError, match="not an option"):
            Exercise("x", "X", [feelings, Step(HURT, when=answer("feelings").includes("calm"))])


class TestPlan:
    def test_branching_plan(self) -> None:
        """A plan with a branch on an earlier exercise's answer builds."""
        plan = Plan(
            "reason-check",
            "Reason check",
            [
                check_reason(),
                Stage(GROW, when=answer("check-the-reason.change").equals(True)),
                HEAL,
            ],
        )
        assert [s.key for s in plan.stages] == ["check-the-reason", "grow", "heal"]
        assert plan.minutes == 15

    def test_plan_refs_must_be_qualified_and_earlier(self) -> None:
        """Stage conditions name 'exercise.step', and only earlier ones."""
        with pytest.raises(DefinitionError) as info:
            Plan("p", "P", [Stage(GROW, when=answer("change").equals(True)), check_reason()])
        assert info.value.problems[0].where == "plan 'p' > item 1 > exercise 'grow' > when"
        with pytest.raises(DefinitionError) as info:
            Plan(
                "p",
                "P",
                [Stage(GROW, when=answer("check-the-reason.change").equals(True)), check_reason()],
            )
        assert info.value.problems[0].code == "later_ref"

    def test_duplicate_stage_keys_and_the_fix(self) -> None:
        """The same exercise twice needs a second key."""
        with pytest.raises(DefinitionError, match="used twice"):
            Plan("p", "P", [HEAL, HEAL])
        plan = Plan("p", "P", [HEAL, Stage(HEAL, key="heal-again")])
        assert [s.key for s in plan.stages] == ["heal", "heal-again"]

    def test_repeat_validation(self) -> None:
        """A repeat has exercises, 1 to 366 rounds and no negative spacing."""
        with pytest.raises(DefinitionError) as info:
            Repeat("week", [], times=0, every=timedelta(days=-1))
        assert {p.code for p in info.value.problems} == {"empty", "invalid_times", "invalid_every"}

    def test_empty_plan(self) -> None:
        """A plan needs at least one exercise."""
        with pytest.raises(DefinitionError, match="at least one exercise"):
            Plan("p", "P", [])

    def test_too_large(self) -> None:
        """A plan that unrolls past the step limit is refused."""
        big = Exercise("big", "Big", [Prompt(f"s{i}", "?") for i in range(300)])
        with pytest.raises(DefinitionError, match="unrolls to 109800 steps"):
            Plan("p", "P", [Repeat("r", [big], times=366)])

    def test_then_and_of(self) -> None:
        """Composition: add your own exercise to a plan; run one exercise as a plan."""
        mine = Exercise("mine", "Mine", [Prompt("thought", "What would help now?")])
        plan = Plan("p", "P", [HEAL]).then(mine)
        assert [s.key for s in plan.stages] == ["heal", "mine"]
        assert Plan.of(mine).stages[0].exercise is mine

    def test_fingerprint_ignores_display_text(self) -> None:
        """Fixing a typo keeps the fingerprint; changing a choice value does not."""
        base = Plan("p", "P", [check_reason()])
        retitled = Plan(
            "p",
            "P (fixed)",
            [
                Exercise(
                    "check-the-reason",
                    "Another title",
                    [
                        Prompt("reason", "Which reason were you given?"),
                        HOLDS,
                        Step(CHANGE, when=answer("holds").equals("yes")),
                    ],
                )
            ],
        )
        assert retitled.fingerprint == base.fingerprint
        changed_holds = Prompt(
            "holds", "?", SingleChoice([("yes", "Yes"), ("no", "No")]), required=True
        )
        changed = Plan(
            "p",
            "P",
            [
                Exercise(
                    "check-the-reason",
                    "X",
                    [
                        Prompt("reason", "?"),
                        changed_holds,
                        Step(CHANGE, when=answer("holds").equals("yes")),
                    ],
                )
            ],
        )
        assert changed.fingerprint != base.fingerprint

    def test_layout_is_computed_once(self) -> None:
        """The flattened plan is cached on the plan object."""
        plan = Plan("p", "P", [HEAL])
        assert plan.layout is plan.layout


def test_problem_str() -> None:
    """A problem reads as its path and message."""
    assert str(Problem(("plan 'x'", "item 1"), "c", "Bad.")) == "plan 'x' > item 1: Bad."
    assert Problem((), "c", "Bad.").where == "(top level)"
