"""The built-in catalog: complete, walkable, kind, and loaded like user data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rejection_toolkit import (
    SKIPPED,
    Catalog,
    Exercise,
    Info,
    ItemList,
    LongText,
    MultipleChoice,
    Plan,
    Prompt,
    Scale,
    Session,
    ShortText,
    SingleChoice,
    Want,
    YesNo,
    catalog,
    definition_from_dict,
    json_schema,
)
from rejection_toolkit.exceptions import DefinitionError, UnknownIdError

from .conftest import NOW, at
from .strategies import raw_answers

FIXTURES = Path(__file__).parent / "fixtures"
CONTENT_IDS = [
    tuple(line.split())
    for line in (FIXTURES / "content-ids.txt").read_text().splitlines()
    if line and not line.startswith("#")
]
CATALOG = catalog()
PLAN_IDS = [i for kind, i in CONTENT_IDS if kind == "plan"]
EXERCISE_IDS = [i for kind, i in CONTENT_IDS if kind == "exercise"]


def all_prompts() -> Iterator[tuple[str, Prompt]]:
    for exercise in CATALOG.exercises:
        for step in exercise.steps:
            yield f"{exercise.id}/{step.id}", step.prompt


class TestCompleteness:
    @pytest.mark.parametrize(("kind", "item_id"), CONTENT_IDS)
    def test_every_content_id_exists(self, kind: str, item_id: str) -> None:
        """Every exercise and plan that CONTENT.md lists is in the catalog."""
        found = CATALOG.exercise(item_id) if kind == "exercise" else CATALOG.plan(item_id)
        assert found.id == item_id

    def test_nothing_extra(self) -> None:
        """The catalog holds exactly the listed items, so none goes unreviewed."""
        assert sorted(e.id for e in CATALOG.exercises) == sorted(EXERCISE_IDS)
        assert sorted(p.id for p in CATALOG.plans) == sorted(PLAN_IDS)

    @pytest.mark.parametrize("exercise", CATALOG.exercises, ids=lambda e: e.id)
    def test_rationale_sources_summary_tags(self, exercise: Exercise) -> None:
        """Each exercise says what it is, why it helps and where it comes from."""
        assert len(exercise.summary) > 60
        assert len(exercise.rationale) > 150
        assert exercise.sources
        assert all(re.search(r"\(\d{4}\)|GoodTherapy|Nezu", s) for s in exercise.sources)
        assert exercise.kinds
        assert exercise.approaches

    def test_shared_check_in(self) -> None:
        """The distress check-in is one shared prompt, used before and after."""
        distress = CATALOG.prompts["distress"]
        assert distress.answer == Scale(
            0, 10, min_label="No hurt at all", max_label="The worst you can imagine"
        )
        users = [e for e in CATALOG.exercises if any(s.prompt is distress for s in e.steps)]
        assert len(users) >= 18
        for exercise in users:
            ids = [s.id for s in exercise.steps]
            assert ids[0] == "distress-before"
            assert ids[-1] == "distress-after"
            assert not distress.required

    def test_help_note(self) -> None:
        """The catalog carries a calm note about when to get help."""
        note = CATALOG.help_note
        assert note.title == "When to get help"
        assert "crisis line" in note.text
        assert "emergency number" in note.text
        assert "doctor, counsellor or therapist" in note.text


class TestTextQuality:
    PLACEHOLDER = re.compile(r"TODO|TBD|FIXME|lorem|xxx|\.\.\.|placeholder|<[a-z]|\{\{", re.I)
    BLAME = re.compile(
        r"\byour fault\b|\bshould have\b|\bover-?reacting\b|\bdisorder\b|\bdiagnos", re.I
    )

    @pytest.mark.parametrize(
        ("where", "prompt"), list(all_prompts()), ids=lambda x: x if isinstance(x, str) else ""
    )
    def test_prompt_text(self, where: str, prompt: Prompt) -> None:
        """Prompts are real sentences: no placeholders, one question, no blame."""
        for text in (prompt.text, prompt.help or "", *prompt.examples):
            assert not self.PLACEHOLDER.search(text), where
            assert not self.BLAME.search(text), where
        assert prompt.text[0].isupper() or prompt.text[0] in "\"'", where
        assert prompt.text.count("?") <= 1, where
        if prompt.answer.takes_answer and not isinstance(prompt.answer, Info):
            assert prompt.text.rstrip().endswith(("?", ".", '\u2026"')), where

    def test_second_person(self) -> None:
        """Prompts talk to the reader as 'you', never about them as 'the user'."""
        prompts = {id(p): p for _, p in all_prompts()}.values()
        with_you = [p for p in prompts if re.search(r"\byou(r|rself)?\b", p.text, re.I)]
        assert len(with_you) / len(prompts) > 0.5
        third_person = re.compile(r"\bthe (user|client|patient)\b", re.I)
        assert not [p.id for p in prompts if third_person.search(p.text)]

    @pytest.mark.parametrize("exercise", CATALOG.exercises, ids=lambda e: e.id)
    def test_minutes_follow_the_steps(self, exercise: Exercise) -> None:
        """Declared minutes are within a factor of two of an estimate from the steps.

        The rule: a scale, yes/no or single choice takes 15 seconds; a multiple
        choice 30 seconds; a short text 1 minute; a list 1.5 minutes; a long
        text 2 minutes; an info step its suggested seconds, or 30 seconds.
        Every step counts, branches included, so the estimate is an upper
        bound of one walk.
        """
        weights = {
            "scale": 0.25,
            "yes_no": 0.25,
            "single_choice": 0.25,
            "multiple_choice": 0.5,
            "short_text": 1,
            "item_list": 1.5,
            "long_text": 2,
        }
        estimate = 0.0
        for step in exercise.steps:
            answer = step.prompt.answer
            if isinstance(answer, Info):
                estimate += answer.seconds / 60 if answer.seconds else 0.5
            else:
                estimate += weights[answer.kind]
        assert estimate / 2 <= exercise.minutes <= max(estimate * 2, 1)


def realistic(prompt: Prompt) -> Any:
    """An answer a person might really give."""
    kind = prompt.answer
    if isinstance(kind, Info):
        return None
    if prompt.examples and isinstance(kind, ShortText | LongText):
        return prompt.examples[0]
    if prompt.examples and isinstance(kind, ItemList):
        return (
            list(prompt.examples)[: kind.max_items]
            + ["Being patient", "Making soup"][: max(0, kind.min_items - len(prompt.examples))]
        )
    if isinstance(kind, ShortText):
        return "Go for a walk with Sam"
    if isinstance(kind, LongText):
        return "It felt like the floor dropped away, but I'm a little steadier now."
    if isinstance(kind, ItemList):
        return ["Kind", "Curious", "Steady"][: max(kind.min_items, 1)] * 1
    if isinstance(kind, SingleChoice):
        return kind.options[0].value
    if isinstance(kind, MultipleChoice):
        return [o.value for o in kind.options[: max(kind.min_selected, 1)]]
    if isinstance(kind, Scale):
        return (kind.min + kind.max) // 2 // kind.step * kind.step
    if isinstance(kind, YesNo):
        return False
    raise AssertionError(kind)


class TestWalking:
    @pytest.mark.parametrize("plan_id", PLAN_IDS)
    def test_walk_with_real_looking_answers(self, plan_id: str) -> None:
        """Every plan walks from its first prompt to the end with realistic answers."""
        plan = CATALOG.plan(plan_id)
        session = Session.start(plan, now=NOW)
        steps = 0
        while session.current is not None:
            session = session.answer(realistic(session.current.prompt), now=NOW)
            steps += 1
        assert session.is_complete
        assert steps == session.progress.done

    def test_coping_plan_letter_shows_the_named_feeling(self) -> None:
        """In the coping plan, the letter's question shows the feeling named earlier."""
        session = Session.start(CATALOG.plan("coping-plan"), now=NOW)
        while at(session) != "self-compassion-letter/what-happened":
            assert session.current is not None
            session = session.answer(realistic(session.current.prompt), now=NOW)
        assert session.current is not None
        assert session.current.text.startswith(
            "Earlier you said your strongest feeling was: Lonely. In a few sentences"
        )

    def test_letter_alone_uses_the_fallback(self) -> None:
        """Without an earlier feeling, the letter asks plainly."""
        session = Session.start(CATALOG.plan("letter-week"), now=NOW)
        while at(session) != "day#1/self-compassion-letter/what-happened":
            assert session.current is not None
            session = session.answer(realistic(session.current.prompt), now=NOW)
        assert session.current is not None
        assert session.current.text == (
            "In a few sentences, what happened, and how do you feel about it now?"
        )

    @pytest.mark.parametrize("plan_id", PLAN_IDS)
    @settings(max_examples=15, deadline=None)
    @given(data=st.data())
    def test_any_valid_answers_complete_the_plan(self, plan_id: str, data: st.DataObject) -> None:
        """Hypothesis-generated valid answers (and skips) always reach the end."""
        session = Session.start(CATALOG.plan(plan_id), now=NOW)
        while session.current is not None:
            current = session.current
            if current.can_skip and data.draw(st.booleans()):
                session = session.skip(now=NOW)
            else:
                session = session.answer(data.draw(raw_answers(current.prompt.answer)), now=NOW)
        assert session.is_complete
        assert Session.from_json(session.plan, session.to_json()) == session

    @pytest.mark.parametrize("plan_id", PLAN_IDS)
    def test_every_branch_is_reachable(self, plan_id: str) -> None:
        """Exploring every value at every branching step visits every step of the plan."""
        plan = CATALOG.plan(plan_id)
        tested = {
            target
            for slot in plan.layout.slots
            for guard in slot.guards
            for _, target in (slot.targets[r] for r in guard.refs())
        }
        visited: set[str] = set()

        def explore(session: Session) -> None:
            while session.current is not None:
                visited.add(session.current.address)
                slot = plan.layout.by_address[session.current.address]
                if slot.address in tested or slot.latest_key in tested:
                    for choice in branch_values(session.current.prompt):
                        explore(choice(session))
                    return
                session = session.answer(realistic(session.current.prompt), now=NOW)

        explore(Session.start(plan, now=NOW))
        assert visited == {s.address for s in plan.layout.slots}


def branch_values(prompt: Prompt) -> list[Any]:
    kind = prompt.answer
    values: list[Any]
    if isinstance(kind, SingleChoice):
        values = [o.value for o in kind.options]
    elif isinstance(kind, YesNo):
        values = [True, False]
    else:
        values = [realistic(prompt)]
    moves = [lambda s, v=v: s.answer(v, now=NOW) for v in values]
    if not prompt.required:
        moves.append(lambda s: s.skip(now=NOW))
    return moves


class TestBranches:
    def walk(self, plan_id: str, answers: dict[str, Any]) -> Session:
        session = Session.start(CATALOG.plan(plan_id), now=NOW)
        while session.current is not None:
            step = session.current
            value = answers.get(step.address, realistic(step.prompt))
            session = session.skip(now=NOW) if value is SKIPPED else session.answer(value, now=NOW)
        return session

    @pytest.mark.parametrize(
        ("holds", "change", "grows"),
        [("yes", "yes", True), ("yes", "no", False), ("no", None, False), ("unsure", None, False)],
    )
    def test_reason_check(self, holds: str, change: str | None, grows: bool) -> None:
        """Grow comes only when the reason holds and you want to change; heal always."""
        answers = {"check-the-reason/holds": holds}
        if change:
            answers["check-the-reason/change"] = change
        results = self.walk("reason-check", answers).results
        assert ("grow" in results) is grows
        assert "heal" in results

    @pytest.mark.parametrize(
        ("path", "steps"),
        [
            ("repair", {"repair-who", "repair-value", "repair-ask", "repair-differently"}),
            ("accept", {"accept-care", "accept-invest"}),
            ("new", {"new-people", "new-actions"}),
        ],
    )
    def test_choose_a_path(self, path: str, steps: set[str]) -> None:
        """Each path leads into its own steps and no others."""
        results = self.walk("coping-plan", {"choose-a-path/path": path}).results
        answered = set(results["choose-a-path"]) - {"path", "distress-after"}
        assert answered == steps

    def test_letter_week_repeats_daily_with_check_ins(self) -> None:
        """Seven letters, a day apart, each with a check-in before and after."""
        plan = CATALOG.plan("letter-week")
        session = Session.start(plan, now=NOW)
        assert session.current is not None
        days = {s.occurrence for s in plan.layout.slots}
        assert days == set(range(1, 8))
        session = self.walk("letter-week", {})
        for day in range(1, 8):
            letter = session.results[f"day#{day}/self-compassion-letter"]
            assert {"distress-before", "distress-after", "name"} <= set(letter)

    def test_five_minutes_fits_five_minutes(self) -> None:
        """The short plan's own estimate is five minutes or less, with 20 s of scanning."""
        plan = CATALOG.plan("five-minutes")
        assert plan.minutes <= 5
        scan = plan.layout.by_address["body-scan/scan-quick"]
        assert scan.prompt.answer == Info(seconds=20)
        assert not scan.guards

    @pytest.mark.parametrize(
        ("answers", "shown"),
        [
            ({"life-not-worth": True}, {"crisis"}),
            ({"harm-urges": True, "weeks": True}, {"crisis"}),
            ({"substances": True}, {"professional"}),
            ({"weeks": SKIPPED}, {"for-now"}),
            ({}, {"for-now"}),
        ],
    )
    def test_when_to_get_help(self, answers: dict[str, Any], shown: set[str]) -> None:
        """Any yes points to professional help; the last two to crisis support now."""
        given_answers = {f"when-to-get-help/{k}": v for k, v in answers.items()}
        session = self.walk("when-to-get-help-plan", given_answers) if False else None
        session = Session.start(CATALOG.exercise("when-to-get-help"), now=NOW)
        while session.current is not None:
            step = session.current
            value = given_answers.get(
                step.address, None if isinstance(step.prompt.answer, Info) else False
            )
            session = session.skip(now=NOW) if value is SKIPPED else session.answer(value, now=NOW)
        visited = {r.slot.step.id for r in session.records}
        assert visited & {"crisis", "professional", "for-now"} == shown


class TestLookups:
    def test_unknown_id_suggests_close_matches(self) -> None:
        """A typo gets a clear error with the likely id."""
        with pytest.raises(UnknownIdError) as info:
            CATALOG.plan("coping-plna")
        assert str(info.value) == "There is no plan 'coping-plna'. Did you mean 'coping-plan'?"
        assert info.value.suggestions == ("coping-plan",)
        with pytest.raises(KeyError):
            CATALOG.exercise("zzz")
        assert str(UnknownIdError("note", "x")) == "There is no note 'x'."

    def test_get_finds_both(self) -> None:
        """get() looks in plans and exercises."""
        assert isinstance(CATALOG.get("coping-plan"), Plan)
        assert isinstance(CATALOG.get("heal"), Exercise)
        with pytest.raises(UnknownIdError, match="plan or exercise"):
            CATALOG.get("heel")

    def test_find(self) -> None:
        """Filters by kind, approach and minutes combine."""
        work = CATALOG.find(kind="professional", exercises=False)
        assert {p.id for p in work} == set(PLAN_IDS)  # every plan fits 'any' or professional
        romantic_only = CATALOG.find(kind="romantic", plans=False)
        assert "learn-from-it" not in {e.id for e in romantic_only}
        assert "their-choice" in {e.id for e in romantic_only}
        quick = CATALOG.find(max_minutes=5)
        assert {i.id for i in quick} >= {"five-minutes", "acknowledge", "body-scan"}
        assert all(i.minutes <= 5 for i in quick)
        mindful = CATALOG.find(approach="mindfulness", plans=False)
        assert {e.id for e in mindful} == {"body-scan", "name-the-feeling"}
        with pytest.raises(ValueError, match="cosmic"):
            CATALOG.find(kind="cosmic")

    @pytest.mark.parametrize(
        ("kind", "minutes", "want", "expected"),
        [
            ("romantic", 5, None, "five-minutes"),
            ("professional", 30, None, "career-setback"),
            ("social", 10, Want.REACH_OUT, "reach-out"),
            ("any", 25, "decide", "problem-solving"),
            ("familial", 8, "feel-less-raw", "body-scan"),
            ("any", 90, None, "coping-plan"),
        ],
    )
    def test_recommend(self, kind: str, minutes: int, want: Any, expected: str) -> None:
        """Recommendations fit the time and the want, with a one-line reason."""
        pick = CATALOG.recommend(kind=kind, minutes=minutes, want=want)
        assert pick.item.id == expected
        assert pick.item.minutes <= minutes
        assert pick.reason.endswith(".")
        assert pick.item.title in pick.reason

    def test_recommend_with_too_little_time(self) -> None:
        """With less time than anything takes, the shortest option is offered kindly."""
        custom = Catalog(exercises_by_id={"heal": CATALOG.exercise("heal")}, plans_by_id={})
        pick = custom.recommend(minutes=2)
        assert pick.item.id == "heal"
        assert "shortest" in pick.reason
        with pytest.raises(ValueError, match="at least 1"):
            CATALOG.recommend(minutes=0)
        with pytest.raises(ValueError, match="fits"):
            Catalog(exercises_by_id={}, plans_by_id={}).recommend(minutes=5)


class TestLoading:
    def test_built_in_catalog_is_cached(self) -> None:
        """catalog() loads once; later calls return the same object."""
        assert catalog() is catalog()

    @pytest.mark.parametrize("item", [*CATALOG.exercises, *CATALOG.plans], ids=lambda i: i.id)
    def test_round_trip_and_schema(self, item: Exercise | Plan) -> None:
        """Every catalog item round-trips through JSON and matches the schema."""
        data = json.loads(json.dumps(item.to_dict()))
        jsonschema.validate(data, json_schema("definition"))
        assert definition_from_dict(data) == item

    def test_a_user_folder(self, tmp_path: Path) -> None:
        """A host's own folder loads with the same loader, shared prompts included."""
        (tmp_path / "exercises").mkdir()
        (tmp_path / "plans").mkdir()
        (tmp_path / "prompts.toml").write_text(
            '[mood]\nid = "mood"\ntext = "How is your mood?"\nanswer = { kind = "scale" }\n'
        )
        (tmp_path / "exercises" / "evening.toml").write_text(
            'type = "exercise"\nid = "evening"\ntitle = "Evening"\n[[steps]]\nuse = "mood"\n'
        )
        (tmp_path / "plans" / "nightly.toml").write_text(
            'type = "plan"\nid = "nightly"\ntitle = "Nightly"\n[[items]]\nexercise = "evening"\n'
        )
        mine = Catalog.from_directory(tmp_path)
        assert mine.plan("nightly").stages[0].exercise is mine.exercise("evening")
        assert mine.notes == {}

    def test_problems_name_the_file(self, tmp_path: Path) -> None:
        """Every problem in every file is reported, starting with the file's name."""
        (tmp_path / "exercises").mkdir()
        (tmp_path / "exercises" / "a.toml").write_text('type = "exercise"\nid = "a"\n')
        (tmp_path / "exercises" / "b.toml").write_text(
            'type = "plan"\nid = "b"\ntitle = "B"\n[[items]]\nexercise = "a"\n'
        )
        (tmp_path / "exercises" / "c.toml").write_text("= broken")
        (tmp_path / "prompts.toml").write_text('[bad]\nid = "Bad"\ntext = "x"\n')
        (tmp_path / "notes.toml").write_text('[half]\ntitle = "Only a title"\n')
        (tmp_path / "plans").mkdir()
        (tmp_path / "plans" / "x.toml").write_text(
            'type = "exercise"\nid = "x"\ntitle = "X"\n'
            '[[steps]]\nprompt = { id = "a", text = "A?" }\n'
        )
        (tmp_path / "plans" / "y.toml").write_text(
            'type = "exercise"\nid = "x"\ntitle = "X"\n'
            '[[steps]]\nprompt = { id = "a", text = "A?" }\n'
        )
        with pytest.raises(DefinitionError) as info:
            Catalog.from_directory(str(tmp_path))
        wheres = [p.where for p in info.value.problems]
        assert wheres[0].startswith("prompts.toml > bad")
        assert any(w.startswith("exercises/a.toml > exercise 'a'") for w in wheres)
        assert any(w.startswith("exercises/b.toml") for w in wheres)
        assert "exercises/c.toml" in wheres
        assert "notes.toml > half" in wheres
        codes = {p.where: p.code for p in info.value.problems}
        assert codes["plans/x.toml"] == "wrong_type"
        assert codes["plans/y.toml"] == "wrong_type"
