"""Safety: screening free text, flags that never go down, and help to offer."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_toolkit import (
    Category,
    Contact,
    CrisisResource,
    CrisisResources,
    Exercise,
    MultipleChoice,
    NoScreening,
    PatternScreener,
    Prompt,
    SafetyMessages,
    SafetyRule,
    Screener,
    Screening,
    Session,
    SingleChoice,
    Tier,
    YesNo,
    catalog,
    combine,
    crisis_resources,
    help_for,
    json_schema,
)
from rejection_toolkit.exceptions import DefinitionError, StateError

from .conftest import NOW

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from screening_eval import evaluate

SCREENER = PatternScreener()
DIARY = Exercise(
    "diary",
    "Diary",
    [Prompt("one", "How are you?"), Prompt("two", "And now?"), Prompt("three", "Anything else?")],
)
calm = st.sampled_from(
    [
        "I went for a walk.",
        "Dinner with Sam helped",
        "I feel a bit better today.",
        "Work was long",
        "The rain stopped.",
    ]
)
worrying = st.sampled_from(
    [
        "I want to die.",
        "I feel like a burden to everyone.",
        "My friend said she wants to kill herself.",
        "I've been cutting myself again.",
    ]
)


class TestPatternScreener:
    @pytest.mark.parametrize(
        ("text", "tier", "category"),
        [
            ("I want to kill myself", Tier.URGENT, Category.SUICIDAL_IDEATION),
            ("i wanna d1e", Tier.URGENT, Category.SUICIDAL_IDEATION),
            ("Everyone would be better off without me.", Tier.CONCERN, Category.SUICIDAL_IDEATION),
            ("I've been cutting myself again", Tier.URGENT, Category.SELF_HARM),
            ("I want to hurt him", Tier.URGENT, Category.HARM_TO_OTHERS),
            ("My brother is suicidal", Tier.URGENT, Category.SOMEONE_ELSE_AT_RISK),
        ],
    )
    def test_flags(self, text: str, tier: Tier, category: Category) -> None:
        """Direct and indirect statements get their tier and category."""
        result = SCREENER.screen(text)
        assert result.tier == tier
        assert category in result.categories

    @pytest.mark.parametrize(
        "text",
        [
            "This job is killing me.",
            "I could die of embarrassment.",
            "I ran 5 kms today.",
            "I watched a documentary about suicide prevention.",
            "I'd kill for a coffee.",
        ],
    )
    def test_figures_of_speech_and_other_topics(self, text: str) -> None:
        """Common figures of speech and mentions of other topics are left alone."""
        assert SCREENER.screen(text) == Screening()

    def test_result_holds_no_text(self) -> None:
        """A screening result has a tier and categories, and nothing else."""
        import attrs

        assert [f.name for f in attrs.fields(Screening)] == ["tier", "categories"]
        assert "CANARY" not in repr(SCREENER.screen("CANARY I want to die"))

    @given(st.lists(calm | worrying, min_size=1, max_size=4), st.lists(calm | worrying, max_size=4))
    def test_more_sentences_never_lower_the_tier(self, first: list[str], more: list[str]) -> None:
        """Adding sentences before or after never lowers the tier."""
        text = " ".join(first)
        tier = SCREENER.screen(text).tier
        assert SCREENER.screen(" ".join([text, *more])).tier >= tier
        assert SCREENER.screen(" ".join([*more, text])).tier >= tier

    @given(st.text(max_size=80), st.text(max_size=80), worrying)
    def test_any_text_around_a_flagged_sentence(
        self, before: str, after: str, flagged: str
    ) -> None:
        """Whatever text surrounds a flagged sentence, as separate sentences, it stays flagged."""
        tier = SCREENER.screen(flagged).tier
        assert SCREENER.screen(f"{before}. {flagged} {after}").tier >= tier

    @given(worrying | calm, st.data())
    def test_case_spacing_and_quotes_do_not_matter(self, text: str, data: st.DataObject) -> None:
        """Upper or lower case, extra spaces and curly quotes give the same result."""
        variant = text.upper() if data.draw(st.booleans()) else text.lower()
        variant = variant.replace(" ", data.draw(st.sampled_from([" ", "  ", "\t", " \u00a0"])))
        variant = variant.replace("'", data.draw(st.sampled_from(["'", "\u2019", "`"])))
        assert SCREENER.screen(variant) == SCREENER.screen(text)

    def test_evaluation_meets_the_targets(self) -> None:
        """On the labelled set: recall >= 0.95, no direct statement missed, FPR <= 0.15."""
        report = evaluate()
        assert report.recall >= 0.95
        assert report.direct_caught == report.direct
        assert report.false_positive_rate <= 0.15
        assert report.positives >= 150
        assert report.negatives >= 150

    def test_held_out_set_is_reported(self) -> None:
        """The held-out set is evaluated too (reported, not tuned on: no targets here)."""
        from screening_eval import HELD_OUT

        held = evaluate(HELD_OUT)
        assert held.positives >= 20
        assert held.negatives >= 20


class Raising:
    def screen(self, text: str) -> Screening:
        raise RuntimeError("the model is down")


class Keyword:
    """A host's own classifier, flagging one word the patterns do not know."""

    def screen(self, text: str) -> Screening:
        if "hopeless" in text.lower():
            return Screening(Tier.CONCERN, {Category.LASTING_DISTRESS})
        return Screening()


class TestSessions:
    def walk(self, *answers: str, screener: Screener | None = None) -> Session:
        session = Session.start(DIARY, now=NOW, screener=screener)
        for n, text in enumerate(answers):
            session = session.answer(text, now=NOW + timedelta(minutes=n))
        return session

    def test_screened_by_default(self) -> None:
        """Free-text answers are screened without the host asking."""
        session = self.walk("I want to die")
        assert session.safety.tier is Tier.URGENT
        assert session.safety.needs_attention
        assert session.safety.flags[0].address == "diary/one"
        assert session.get("diary.one").value == "I want to die"  # stored, not blocked

    def test_a_later_calm_answer_never_lowers_it(self) -> None:
        """The highest tier so far stays, whatever comes next."""
        session = self.walk("I feel like a burden", "I want to die", "Actually I'm fine")
        assert session.safety.tier is Tier.URGENT
        assert session.safety.categories == {Category.SUICIDAL_IDEATION}

    def test_going_back_and_changing_keeps_the_flag(self) -> None:
        """Changing or withdrawing the answer does not clear the flag."""
        session = self.walk("I want to die").back().answer("Never mind", now=NOW)
        assert session.safety.tier is Tier.URGENT
        assert (
            Session.start(DIARY, now=NOW).answer("I want to die", now=NOW).back().safety.tier
            is Tier.URGENT
        )

    def test_same_answer_again_adds_no_duplicate(self) -> None:
        """Back then the same answer gives the same session, flags included."""
        session = self.walk("I want to die")
        assert session.back().answer("I want to die", now=NOW + timedelta(hours=1)) == session

    def test_skips_are_not_screened(self) -> None:
        """A skip has no text, so it raises nothing."""
        assert Session.start(DIARY, now=NOW).skip(now=NOW).safety.flags == ()

    def test_explicit_opt_out(self) -> None:
        """Only an explicit NoScreening turns screening off."""
        assert self.walk("I want to die", screener=NoScreening()).safety.tier is Tier.NONE

    def test_host_classifier_can_raise_the_tier(self) -> None:
        """Combined with the built-in one, either screener can raise the tier."""
        both = combine(PatternScreener(), Keyword())
        assert self.walk("I feel hopeless", screener=both).safety.tier is Tier.CONCERN
        assert self.walk("I want to die", screener=both).safety.tier is Tier.URGENT
        assert self.walk("I feel hopeless").safety.tier is Tier.NONE
        assert isinstance(Keyword(), Screener)

    def test_a_loaded_session_keeps_the_hosts_screener(self) -> None:
        """A session loaded with the host's screener goes on using it."""
        both = combine(PatternScreener(), Keyword())
        saved = self.walk("fine", screener=both).to_json()
        loaded = Session.from_json(DIARY, saved, screener=both)
        assert loaded.answer("I feel hopeless", now=NOW).safety.tier is Tier.CONCERN
        default = Session.from_json(DIARY, saved)
        assert default.answer("I feel hopeless", now=NOW).safety.tier is Tier.NONE

    def test_a_failing_screener_never_blocks_the_answer(self) -> None:
        """If a screener raises, the answer is stored and the gap is counted."""
        session = self.walk("anything", screener=combine(Raising()))
        assert session.get("diary.one") is not None
        assert session.safety.unscreened == 1
        assert session.safety.tier is Tier.NONE

    def test_other_text_in_a_selection_is_screened(self) -> None:
        """The free text of 'something else' is screened like any other text."""
        ex = Exercise(
            "e",
            "E",
            [Prompt("f", "Which?", MultipleChoice([("sad", "Sad")], min_selected=0, other=True))],
        )
        session = Session.start(ex, now=NOW).answer(
            {"selected": [], "other": "I want to die"}, now=NOW
        )
        assert session.safety.tier is Tier.URGENT

    def test_flags_are_saved_and_loaded(self) -> None:
        """Flags survive a save, validate against the schema, and hold no text."""
        session = self.walk(
            "CANARY I want to die", "fine", screener=combine(PatternScreener(), Raising())
        )
        data = session.to_dict()
        assert "CANARY" not in json.dumps(data["flags"])
        jsonschema.validate(data, json_schema("session"))
        loaded = Session.from_json(DIARY, session.to_json())
        assert loaded == session
        assert loaded.safety == session.safety

    @pytest.mark.parametrize(
        "flags",
        [
            {},
            [["a", 0, "urgent", []]],
            [["a", 0, "dire", [], "text"]],
            [["a", 0, "urgent", ["x"], "text"]],
            [[1, 0, "urgent", [], "text"]],
            [["a", True, "urgent", [], "text"]],
            [["a", 0, "urgent", "x", "text"]],
        ],
    )
    def test_malformed_flags(self, flags: object) -> None:
        """Broken flags in a saved document are refused."""
        data = self.walk("I want to die").to_dict() | {"flags": flags}
        with pytest.raises(StateError):
            Session.from_dict(DIARY, data)


class TestSafetyRules:
    def test_when_to_get_help_produces_urgent(self) -> None:
        """A yes to thoughts that life isn't worth living raises the urgent tier."""
        session = Session.start(catalog().exercise("when-to-get-help"), now=NOW).answer(now=NOW)
        for value in (False, False, False, False, True):
            session = session.answer(value, now=NOW)
        assert session.safety.tier is Tier.URGENT
        assert session.safety.categories == {Category.SUICIDAL_IDEATION}
        assert session.safety.flags[0].source == "answer"
        assert session.current is not None
        assert session.current.step_id == "crisis"

    def test_lasting_pain_is_a_concern(self) -> None:
        """A yes to weeks of pain raises a concern, not an emergency."""
        session = Session.start(catalog().exercise("when-to-get-help"), now=NOW).answer(now=NOW)
        session = session.answer(True, now=NOW)
        assert session.safety.tier is Tier.CONCERN
        assert session.safety.categories == {Category.LASTING_DISTRESS}

    def test_rules_on_choices(self) -> None:
        """A rule on a choice matches its value; on multiple choice, inclusion."""
        single = Prompt(
            "s",
            "S?",
            SingleChoice([("a", "A"), ("b", "B")]),
            safety=[SafetyRule("b", "concern", "self-harm")],
        )
        multi = Prompt(
            "m",
            "M?",
            MultipleChoice([("a", "A"), ("b", "B")]),
            safety=[SafetyRule("a", Tier.URGENT, Category.HARM_TO_OTHERS)],
        )
        session = Session.start(Exercise("e", "E", [single, multi]), now=NOW)
        session = session.answer("a", now=NOW).answer(["a", "b"], now=NOW)
        assert session.safety.tier is Tier.URGENT
        assert session.safety.categories == {Category.HARM_TO_OTHERS}

    @pytest.mark.parametrize(
        ("prompt", "message"),
        [
            (lambda r: Prompt("x", "X?", safety=[r]), "free text is screened"),
            (
                lambda r: Prompt(
                    "x", "X?", YesNo(), safety=[SafetyRule("yes", "urgent", "self-harm")]
                ),
                "not a possible answer",
            ),
            (
                lambda r: Prompt(
                    "x",
                    "X?",
                    MultipleChoice([("a", "A")]),
                    safety=[SafetyRule("z", "urgent", "self-harm")],
                ),
                "not a possible answer",
            ),
        ],
    )
    def test_invalid_rules(self, prompt: object, message: str) -> None:
        """Rules only go where an answer can match them."""
        with pytest.raises(DefinitionError, match=message):
            prompt(SafetyRule(True, "urgent", "self-harm"))  # type: ignore[operator]

    def test_bad_tier_name(self) -> None:
        """An unknown tier name is refused clearly."""
        with pytest.raises(ValueError, match="not a tier"):
            SafetyRule(True, "dire", "self-harm")


class TestResources:
    def test_the_built_in_table(self) -> None:
        """988, Samaritans and an international directory are there, each dated."""
        table = crisis_resources()
        us = table.for_country("us")
        assert us[0].name == "988 Suicide & Crisis Lifeline"
        assert Contact("call", "988") in us[0].contacts
        assert Contact("text", "988") in us[0].contacts
        gb = table.for_country("GB")
        assert gb[0].name == "Samaritans"
        assert gb[0].contacts[0].value == "116 123"
        assert table.for_country("IE")[0].contacts[0].value == "116 123"
        assert table.for_country("ZZ") == table.for_country(None)
        assert [r.name for r in table.for_country(None)] == ["Find A Helpline"]
        assert all(isinstance(r.checked, date) for r in table.resources)
        assert "emergency number" in table.emergency_advice
        assert table.countries == ("AU", "CA", "GB", "IE", "US")

    def test_hosts_can_extend_or_replace(self) -> None:
        """Add a local service, or build a table of your own."""
        local = CrisisResource(
            "NZ", "Need to talk? 1737", [Contact("call", "1737")], date(2026, 1, 1)
        )
        extended = crisis_resources().with_resources(local)
        assert extended.for_country("NZ")[0] is local
        own = CrisisResources([local], emergency_advice="Call 111 in an emergency.")
        offer = help_for(Tier.URGENT, country="NZ", resources=own)
        assert offer is not None
        assert offer.resources == (local,)
        assert offer.emergency_advice == "Call 111 in an emergency."

    def test_messages(self) -> None:
        """Each tier has a calm message; hosts can replace them."""
        for tier in (Tier.CONCERN, Tier.URGENT):
            offer = help_for(tier, country="GB")
            assert offer is not None
            assert offer.tier is tier
            text = offer.message.lower()
            for unsafe in ("pill", "rope", "overdose", "jump", "method", "weak", "selfish"):
                assert unsafe not in text
        assert "emergency number" in help_for(Tier.URGENT).message  # type: ignore[union-attr]
        assert help_for(Tier.NONE) is None
        own = SafetyMessages(urgent="We're here. Please call someone now.")
        assert help_for(Tier.URGENT, messages=own).message == own.urgent  # type: ignore[union-attr]

    def test_showing_help_in_a_few_lines(self) -> None:
        """The usual host code: answer, check the tier, show the offer."""
        session = Session.start(DIARY, now=NOW).answer("I don't want to wake up", now=NOW)
        offer = help_for(session.safety.tier, country="US")
        assert offer is not None
        assert offer.tier is Tier.CONCERN
        assert offer.resources[0].contacts[0].value == "988"
