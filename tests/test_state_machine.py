"""Any sequence of valid actions keeps a session consistent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from rejection_toolkit import Plan, Session

from .conftest import NOW
from .strategies import plans, raw_answers


class SessionMachine(RuleBasedStateMachine):
    """Answers, skips, goes back and saves/loads in any order."""

    plan: Plan
    session: Session
    clock: int
    sessions = Bundle("sessions")

    @initialize(plan=plans())
    def start(self, plan: Plan) -> None:
        self.plan = plan
        self.session = Session.start(plan, now=NOW)
        self.clock = 0

    def _now(self) -> Any:
        self.clock += 1
        return NOW + timedelta(seconds=self.clock)

    @precondition(lambda self: self.session.current is not None)
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        current = self.session.current
        assert current is not None
        value = data.draw(raw_answers(current.prompt.answer))
        before = self.session
        self.session = before.answer(value, now=self._now())
        assert self.session.progress.done == before.progress.done + 1
        # going back and giving the same answer again restores the same session
        assert self.session.back().answer(value, now=self._now()) == self.session

    @precondition(lambda self: self.session.current is not None and self.session.current.can_skip)
    @rule()
    def skip(self) -> None:
        self.session = self.session.skip(now=self._now())

    @precondition(lambda self: bool(self.session.records))
    @rule()
    def back(self) -> None:
        before = self.session
        self.session = before.back()
        assert self.session.progress.done == before.progress.done - 1

    @rule()
    def save_and_load(self) -> None:
        loaded = Session.from_json(self.plan, self.session.to_json())
        assert loaded == self.session
        assert loaded.unplaced == ()
        self.session = loaded

    @invariant()
    def results_hold_only_active_answers(self) -> None:
        if not hasattr(self, "session"):
            return
        active = {a.address for a in self.session.answers}
        in_results = {a.address for group in self.session.results.values() for a in group.values()}
        assert in_results == active
        inactive = {a.address for a in self.session.inactive}
        assert not active & inactive

    @invariant()
    def progress_bounds_hold(self) -> None:
        if not hasattr(self, "session"):
            return
        progress = self.session.progress
        assert 0 <= progress.remaining_min <= progress.remaining_max
        assert progress.done == len(self.session.records)
        assert 0.0 <= progress.fraction <= 1.0
        assert (progress.remaining_max == 0) == self.session.is_complete
        total = len(self.plan.layout.slots)
        assert progress.done + progress.remaining_max <= total

    @invariant()
    def path_is_in_plan_order(self) -> None:
        if not hasattr(self, "session"):
            return
        indexes = [r.slot.index for r in self.session.records]
        assert indexes == sorted(set(indexes))


TestSessionMachine = SessionMachine.TestCase
