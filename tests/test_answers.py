"""Each answer kind parses raw input into a typed value, or explains the problem."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_toolkit import (
    Choice,
    Info,
    ItemList,
    LongText,
    MultipleChoice,
    Scale,
    Selection,
    ShortText,
    SingleChoice,
    YesNo,
)
from rejection_toolkit.exceptions import AnswerError, DefinitionError

from .strategies import answer_kinds, raw_answers

FEELINGS = MultipleChoice(
    [("worried", "Worried"), ("afraid", "Afraid"), ("nervous", "Nervous")],
    min_selected=0,
    max_selected=2,
    other=True,
)


def error_code(kind: Any, raw: object) -> str:
    with pytest.raises(AnswerError) as info:
        kind.parse(raw)
    return info.value.code


class TestText:
    def test_strips_surrounding_space_and_keeps_line_breaks(self) -> None:
        """Long text keeps inner line breaks and drops only outer whitespace."""
        assert LongText().parse("  first line\nsecond line \n") == "first line\nsecond line"

    @pytest.mark.parametrize(
        ("raw", "code"),
        [(None, "wrong_type"), (3, "wrong_type"), ("   ", "empty"), ("x" * 201, "too_long")],
    )
    def test_rejections(self, raw: object, code: str) -> None:
        """Wrong types, blank text and text over the limit have their own codes."""
        assert error_code(ShortText(), raw) == code

    def test_too_short_reports_the_bound(self) -> None:
        """The error carries the bound and the length, not the text."""
        with pytest.raises(AnswerError) as info:
            ShortText(min_length=5).parse("abc")
        assert info.value.code == "too_short"
        assert info.value.params == {"min_length": 5, "length": 3}
        assert "abc" not in str(info.value)

    def test_invalid_bounds_are_a_definition_error(self) -> None:
        """A max below the min cannot be built."""
        with pytest.raises(DefinitionError, match="max_length"):
            ShortText(min_length=10, max_length=5)


class TestSingleChoice:
    kind = SingleChoice([("yes", "Yes"), ("no", "No"), ("unsure", "I can't tell")])

    def test_takes_the_value_and_displays_the_label(self) -> None:
        """The stored value is the option's value; display gives its label."""
        assert self.kind.parse("unsure") == "unsure"
        assert self.kind.display("unsure") == "I can't tell"

    def test_unknown_value_lists_the_allowed_ones(self) -> None:
        """An unknown value is rejected with the allowed values as params."""
        with pytest.raises(AnswerError) as info:
            self.kind.parse("maybe")
        assert info.value.code == "unknown_choice"
        assert info.value.params["allowed"] == ["yes", "no", "unsure"]

    def test_wrong_type(self) -> None:
        """A list is not one choice."""
        assert error_code(self.kind, ["yes"]) == "wrong_type"

    def test_empty_and_duplicate_options_are_rejected(self) -> None:
        """No options, or the same value twice, cannot be built."""
        with pytest.raises(DefinitionError, match="at least one option"):
            SingleChoice([])
        with pytest.raises(DefinitionError, match="listed twice"):
            SingleChoice([("a", "A"), ("a", "Also A")])

    def test_tuples_become_choices(self) -> None:
        """(value, label) pairs are converted to Choice objects."""
        assert self.kind.options[0] == Choice("yes", "Yes")


class TestMultipleChoice:
    def test_list_and_mapping_forms(self) -> None:
        """A list of values, or a mapping with 'other', both parse."""
        assert FEELINGS.parse(["nervous", "worried"]) == Selection(("worried", "nervous"))
        parsed = FEELINGS.parse({"selected": ["afraid"], "other": " restless "})
        assert parsed == Selection(("afraid",), "restless")
        assert FEELINGS.display(parsed) == ("Afraid", "restless")

    def test_none_allowed_when_min_is_zero(self) -> None:
        """With min_selected=0, an empty selection is a valid answer ("none")."""
        assert FEELINGS.parse([]) == Selection(())

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("worried", "wrong_type"),
            (["angry"], "unknown_choice"),
            (["worried", "worried"], "duplicate_choice"),
            (["worried", "afraid", "nervous"], "too_many"),
            ({"selected": ["worried"], "oops": 1}, "wrong_type"),
            ({"selected": ["worried"], "other": ""}, "empty"),
        ],
    )
    def test_rejections(self, raw: object, code: str) -> None:
        """Each kind of bad selection has its own code."""
        assert error_code(FEELINGS, raw) == code

    def test_too_few_and_other_not_allowed(self) -> None:
        """min_selected is enforced, and 'other' only where it is offered."""
        kind = MultipleChoice([("a", "A"), ("b", "B")], min_selected=1)
        assert error_code(kind, []) == "too_few"
        assert error_code(kind, {"selected": ["a"], "other": "x"}) == "other_not_allowed"

    def test_json_round_trip(self) -> None:
        """to_json_value gives data that parse accepts back."""
        for raw in (["worried"], {"selected": [], "other": "flat"}):
            value = FEELINGS.parse(raw)
            assert FEELINGS.parse(FEELINGS.to_json_value(value)) == value

    def test_selection_repr_hides_the_answer(self) -> None:
        """A Selection's repr never shows what was chosen or written."""
        assert "secret" not in repr(Selection(("a",), "secret"))

    def test_invalid_bounds(self) -> None:
        """max_selected must fit the options."""
        with pytest.raises(DefinitionError, match="max_selected"):
            MultipleChoice([("a", "A")], max_selected=3)
        with pytest.raises(DefinitionError, match="min_selected"):
            MultipleChoice([("a", "A")], min_selected=2)
        with pytest.raises(DefinitionError, match="negative"):
            MultipleChoice([("a", "A")], min_selected=-1)


class TestScale:
    hurt = Scale(0, 10, min_label="none", max_label="the worst you can imagine")
    percent = Scale(0, 100, step=10)

    @pytest.mark.parametrize(("raw", "value"), [(7, 7), ("7", 7), (" 3 ", 3), (4.0, 4)])
    def test_accepts_numbers_and_numeric_strings(self, raw: object, value: int) -> None:
        """Integers, integral floats and digit strings parse to int."""
        assert self.hurt.parse(raw) == value

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            (True, "wrong_type"),
            (2.5, "wrong_type"),
            ("seven", "wrong_type"),
            (float("nan"), "wrong_type"),
            (11, "out_of_range"),
            (-1, "out_of_range"),
        ],
    )
    def test_rejections(self, raw: object, code: str) -> None:
        """Bools, fractions, words, NaN and out-of-range numbers are rejected."""
        assert error_code(self.hurt, raw) == code

    def test_step(self) -> None:
        """Values must sit on the step grid."""
        assert self.percent.parse(40) == 40
        assert error_code(self.percent, 45) == "off_step"

    def test_min_must_be_below_max(self) -> None:
        """A scale whose min is not below its max cannot be built."""
        with pytest.raises(DefinitionError, match="min must be below"):
            Scale(5, 5)
        with pytest.raises(DefinitionError, match="step"):
            Scale(0, 10, step=3)


class TestItemList:
    kind = ItemList(min_items=3, max_items=4, max_length=20)

    def test_drops_blank_items(self) -> None:
        """Blank entries (an empty extra field in a form) are dropped."""
        assert self.kind.parse(["a", " ", "b ", "c"]) == ("a", "b", "c")

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("a, b, c", "wrong_type"),
            (["a", 2, "c"], "wrong_type"),
            (["a", "b"], "too_few"),
            (["a"] * 5, "too_many"),
            (["a", "b", "x" * 21], "too_long"),
        ],
    )
    def test_rejections(self, raw: object, code: str) -> None:
        """A plain string, non-text items and wrong counts are rejected."""
        assert error_code(self.kind, raw) == code

    def test_invalid_bounds(self) -> None:
        """max_items must not be below min_items."""
        with pytest.raises(DefinitionError):
            ItemList(min_items=3, max_items=2)


class TestYesNo:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [(True, True), ("yes", True), (" Y ", True), ("no", False), ("false", False)],
    )
    def test_words_and_bools(self, raw: object, value: bool) -> None:
        """Bools and the usual words parse."""
        assert YesNo().parse(raw) is value

    @pytest.mark.parametrize("raw", ["maybe", 1, None])
    def test_rejections(self, raw: object) -> None:
        """Anything else is rejected; 1 is not True."""
        assert error_code(YesNo(), raw) == "wrong_type"

    def test_labels(self) -> None:
        """Display uses the labels."""
        assert YesNo().display(False) == "No"


class TestInfo:
    def test_takes_nothing(self) -> None:
        """Info steps accept no answer (None or an empty string)."""
        assert Info(seconds=20).parse(None) is None
        assert Info().parse("") is None
        assert error_code(Info(), "hello") == "not_answerable"

    def test_seconds_must_be_positive(self) -> None:
        """A suggested duration must be positive."""
        with pytest.raises(DefinitionError):
            Info(seconds=0)


class TestProperties:
    @given(st.data())
    def test_parse_is_idempotent_through_json(self, data: st.DataObject) -> None:
        """For any kind and valid input: parse(to_json(parse(x))) == parse(x)."""
        kind = data.draw(answer_kinds())
        value = kind.parse(data.draw(raw_answers(kind)))
        assert kind.parse(kind.to_json_value(value)) == value

    @given(st.data())
    def test_errors_never_contain_the_answer(self, data: st.DataObject) -> None:
        """Whatever is typed, a rejection's message and params never repeat it."""
        kind = data.draw(answer_kinds())
        canary = "CANARY-" + data.draw(st.text(alphabet="xyz", min_size=3, max_size=8))
        for raw in (
            canary,
            [canary],
            {"selected": [canary]},
            {"selected": [], "other": canary * 50},
        ):
            message = ""
            try:
                kind.parse(raw)
            except AnswerError as error:
                message = f"{error} {error.message} {error.params!r}"
            assert canary not in message
