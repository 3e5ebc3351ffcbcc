"""Privacy: what people write never reaches a repr, an error, a log or a warning."""

from __future__ import annotations

import json
import logging
import sys
import warnings
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

import rejection_toolkit
from rejection_toolkit import (
    Exercise,
    ItemList,
    LongText,
    MultipleChoice,
    Prompt,
    Scale,
    Session,
    ShortText,
    SingleChoice,
    YesNo,
    catalog,
    definition_from_json,
)
from rejection_toolkit.exceptions import RejectionToolkitError

from .conftest import NOW

CANARY = "Canary-7f3a-private-words"
EVERY_KIND = Exercise(
    "kinds",
    "Every kind",
    [
        Prompt("short", "Short?", ShortText(max_length=60)),
        Prompt("long", "Long?", LongText(max_length=200)),
        Prompt("items", "Items?", ItemList(max_length=60)),
        Prompt("multi", "Multi?", MultipleChoice([("a", "A")], min_selected=0, other=True)),
        Prompt("single", "Single?", SingleChoice([("a", "A")])),
        Prompt("scale", "Scale?", Scale(0, 10)),
        Prompt("yes", "Yes?", YesNo()),
    ],
)
GOOD = [
    CANARY,
    f"{CANARY}\n{CANARY}",
    [CANARY, CANARY],
    {"selected": ["a"], "other": CANARY},
    "a",
    3,
    True,
]
BAD = [
    CANARY * 10,
    CANARY * 20,
    [CANARY * 5],
    {"selected": [CANARY], "other": CANARY},
    CANARY,
    CANARY,
    CANARY,
]


def texts_of(session: Session) -> Iterator[str]:
    """Everything a session shows about itself without being asked for answers."""
    yield repr(session)
    yield str(session)
    yield repr(session.answers)
    yield repr(session.inactive)
    yield repr(session.results)
    yield repr(session.current)
    yield repr(session.progress)
    yield repr(session.safety)
    yield repr(session.unplaced)


@pytest.fixture
def session() -> Session:
    s = Session.start(EVERY_KIND, now=NOW)
    for n, value in enumerate(GOOD):
        s = s.answer(value, now=NOW + timedelta(minutes=n))
    return s


class TestNoLeaks:
    def test_reprs(self, session: Session) -> None:
        """No repr or str of a session or what it returns shows an answer."""
        walked_back = session.back().back()
        for text in [*texts_of(session), *texts_of(walked_back)]:
            assert CANARY not in text
        for answer in session.answers:
            assert CANARY not in repr(answer)

    @pytest.mark.parametrize("position", range(len(BAD)))
    def test_rejected_answers(self, position: int) -> None:
        """Rejecting an answer explains the problem without quoting it."""
        s = Session.start(EVERY_KIND, now=NOW)
        for value in GOOD[:position]:
            s = s.answer(value, now=NOW)
        with pytest.raises(RejectionToolkitError) as info:
            s.answer(BAD[position], now=NOW)
        shown = f"{info.value} {info.value!r} {info.value.args} {getattr(info.value, 'params', '')}"
        assert CANARY not in shown

    def test_loading_errors(self, session: Session) -> None:
        """Errors about a broken saved document never quote its answers."""
        data = session.to_dict()
        broken = [
            json.dumps(data)[:-5],
            json.dumps(data).replace('"path":', '"path": NaN, "p":'),
            json.dumps(data | {"started_at": CANARY}),
            json.dumps(data | {"path": [[CANARY, CANARY, CANARY]]}),
            json.dumps(data | {"flags": [[CANARY, 0, CANARY, [], "text"]]}),
            json.dumps(data | {"unplaced": [{"entry": [CANARY, 0, CANARY], "reason": CANARY}]}),
        ]
        for text in broken:
            with pytest.raises(RejectionToolkitError) as info:
                Session.from_json(EVERY_KIND, text)
            assert CANARY not in str(info.value)

    def test_unplaced_answers(self, session: Session) -> None:
        """Answers a changed plan cannot place keep their text out of reprs."""
        smaller = EVERY_KIND.only("single", "scale", "yes")
        loaded = Session.from_json(smaller, session.to_json())
        assert len(loaded.unplaced) == 4
        assert CANARY not in repr(loaded.unplaced)

    def test_no_log_records_and_no_warnings(
        self, session: Session, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A whole walk, save, load and export logs nothing and warns nothing."""
        caplog.set_level(logging.DEBUG)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan = catalog().plan("coping-plan")
            s = Session.start(plan, now=NOW)
            while s.current is not None:
                s = _answer_anything(s)
            Session.from_json(plan, s.to_json()).export()
            Session.from_json(EVERY_KIND, session.to_json())
        assert caplog.records == []
        assert caught == []


def _answer_anything(s: Session) -> Session:
    prompt = s.current.prompt  # type: ignore[union-attr]
    if prompt.answer.kind == "info":
        return s.answer(now=NOW)
    if s.current.can_skip:  # type: ignore[union-attr]
        return s.skip(now=NOW)
    if isinstance(prompt.answer, SingleChoice):
        return s.answer(prompt.answer.options[0].value, now=NOW)
    if isinstance(prompt.answer, ItemList):
        return s.answer([CANARY], now=NOW)
    return s.answer(CANARY, now=NOW)


class TestExport:
    def test_export_holds_everything(self, session: Session) -> None:
        """One call gives the host every answer, time and flag, as plain data."""
        session = session.back().back().answer(4, now=NOW)
        data = session.export()
        json.dumps(data)  # JSON-ready
        by_address = {row["address"]: row for row in data["answers"]}
        assert by_address["kinds/short"]["value"] == CANARY
        assert by_address["kinds/short"]["prompt"] == "Short?"
        assert by_address["kinds/multi"]["shown_as"] == f"A, {CANARY}"
        assert by_address["kinds/yes"]["status"] == "inactive"
        assert by_address["kinds/scale"]["value"] == 4
        assert data["plan"]["id"] == "kinds"
        assert data["safety"]["tier"] == "none"

    def test_export_includes_unplaced_and_flags(self) -> None:
        """Unplaced answers and safety flags are part of the export."""
        s = Session.start(EVERY_KIND, now=NOW).answer("I want to die", now=NOW)
        smaller = EVERY_KIND.only("long", "single")
        loaded = Session.from_json(smaller, s.to_json())
        data = loaded.export()
        assert data["answers"][0]["status"] == "unplaced"
        assert data["answers"][0]["reason"] == "unknown_step"
        assert data["safety"]["flags"][0]["tier"] == "urgent"


class TestNoIO:
    def test_no_network_no_disk_and_no_global_record(self) -> None:
        """Walking, saving, loading and exporting touch no file and no network."""
        plan = catalog().plan("five-minutes")
        definition_from_json(json.dumps(EVERY_KIND.to_dict()))
        events: list[str] = []
        watching = [True]

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if watching[0] and (
                event in {"open", "os.listdir", "os.scandir"}
                or event.startswith(("socket.", "urllib.", "http."))
            ):
                events.append(event)

        sys.addaudithook(hook)
        try:
            s = Session.start(plan, now=NOW)
            while s.current is not None:
                s = _answer_anything(s)
            again = Session.from_json(plan, s.to_json())
            again.export()
            again.results  # noqa: B018
        finally:
            watching[0] = False
        assert events == []
        assert not _holds(vars(rejection_toolkit), CANARY)
        for name, module in list(sys.modules.items()):
            if name.startswith("rejection_toolkit"):
                assert not _holds(vars(module), CANARY), name


def _holds(value: Any, needle: str, depth: int = 0) -> bool:
    """Whether module state (dicts, lists, sets, caches) holds ``needle``."""
    if depth > 4:
        return False
    if isinstance(value, str):
        return needle in value
    if isinstance(value, dict):
        return any(
            _holds(k, needle, depth + 1) or _holds(v, needle, depth + 1)
            for k, v in list(value.items())
            if not isinstance(v, type(sys))
        )
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds(v, needle, depth + 1) for v in list(value))
    return False
