"""The runtime: walking a plan one step at a time.

A `Session` is an immutable value. Every operation returns a new session and
leaves the old one as it was, so a rejected answer changes nothing and a host
can keep any version it likes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import attrs

from . import _piping
from ._answers import SKIPPED
from ._conditions import Predicates
from ._layout import Layout, Slot
from ._model import Exercise, Plan, Prompt
from ._screening import Category, PatternScreener, Screener, Screening, Tier, to_categories
from ._walk import Record, next_slot, remaining
from .exceptions import DefinitionError, SessionError

__all__ = [
    "Answer",
    "CurrentStep",
    "Flag",
    "Progress",
    "SafetyStatus",
    "Session",
    "UnplacedAnswer",
]


def _hidden(_: object) -> str:
    return "<hidden>"


@attrs.frozen
class Answer:
    """An answer as the session recorded it.

    Attributes:
        address: Where it belongs: ``"exercise/step"``, or
            ``"repeat#n/exercise/step"`` inside a repeat.
        prompt: The prompt it answers.
        value: The typed value, or `SKIPPED`.
        at: When it was given (UTC, to the second).
        occurrence: The round of a repeat it belongs to, if any.
    """

    address: str
    prompt: Prompt = attrs.field(repr=False, eq=False)
    value: Any = attrs.field(repr=_hidden)
    at: datetime
    occurrence: int | None = None

    @property
    def step_id(self) -> str:
        """The id of the step within its exercise."""
        return self.address.rsplit("/", 1)[1]

    @property
    def skipped(self) -> bool:
        """Whether the person skipped the step."""
        return self.value is SKIPPED

    @property
    def display(self) -> str | tuple[str, ...] | None:
        """How the answer reads: labels for choices, items for lists; None if skipped."""
        if self.value is SKIPPED:
            return None
        return self.prompt.answer.display(self.value)

    @property
    def text(self) -> str | None:
        """The answer as one line of text (items joined by commas); None if skipped."""
        shown = self.display
        return ", ".join(shown) if isinstance(shown, tuple) else shown


@attrs.frozen
class UnplacedAnswer:
    """A saved answer that no longer fits the plan, kept for the host to handle.

    Attributes:
        address: Where it was saved.
        at: When it was given.
        raw: The saved value as plain JSON data (``{"skipped": true}`` if skipped).
        reason: Why it could not be placed: ``"unknown_step"`` (the step is
            gone), ``"invalid_value"`` (the answer no longer fits the step) or
            ``"not_skippable"`` (the step became required).
    """

    address: str
    at: datetime
    raw: Any = attrs.field(repr=_hidden)
    reason: str


@attrs.frozen
class Flag:
    """A safety flag raised by one answer. It holds no part of the answer.

    Attributes:
        address: The step whose answer raised it.
        at: When the answer was given.
        tier: How urgent it is.
        categories: What it is about.
        source: ``"text"`` (the screener read free text), ``"answer"`` (a
            prompt's safety rule matched a choice), or ``"error"`` (a screener
            failed, so the text went unscreened; the tier is then `Tier.NONE`).
    """

    address: str
    at: datetime
    tier: Tier
    categories: frozenset[Category] = attrs.field(converter=to_categories)
    source: Literal["text", "answer", "error"]

    @property
    def _key(self) -> tuple[str, Tier, frozenset[Category], str]:
        return (self.address, self.tier, self.categories, self.source)


@attrs.frozen
class SafetyStatus:
    """What a session's answers say about safety so far. It only ever goes up.

    Attributes:
        tier: The highest tier of any answer so far. A later calm answer never
            lowers it, and neither does going back or changing an answer.
        categories: Every category flagged so far.
        flags: Each flag, in order.
    """

    tier: Tier
    categories: frozenset[Category]
    flags: tuple[Flag, ...]

    @property
    def unscreened(self) -> int:
        """How many answers a failing screener could not read."""
        return sum(1 for f in self.flags if f.source == "error")

    @property
    def needs_attention(self) -> bool:
        """True from the first flag at `Tier.CONCERN` or above."""
        return self.tier > Tier.NONE


@attrs.frozen
class Progress:
    """How far a session has come.

    Attributes:
        done: Steps answered, skipped or read on the path taken.
        remaining_min: The fewest steps that can be left, the current one included.
        remaining_max: The most steps that can be left, the current one included.
    """

    done: int
    remaining_min: int
    remaining_max: int

    @property
    def fraction(self) -> float:
        """Done as a share of the longest possible path: it never overstates."""
        total = self.done + self.remaining_max
        return 1.0 if total == 0 else self.done / total


@attrs.frozen
class CurrentStep:
    """The step a session is waiting on.

    Attributes:
        address: The step's address, as in `Answer.address`.
        prompt: The prompt, with its answer kind, help and examples.
        text: The prompt's text with earlier answers filled in.
        exercise: The exercise the step belongs to.
        stage_key: The exercise's key in the plan.
        occurrence: The round of a repeat, if the step is in one.
        due_at: When the round is due, for spaced repeats.
        previous: The answer given here before, if the person went back or
            changed branch; use it to fill in the form.
    """

    address: str
    prompt: Prompt = attrs.field(repr=False)
    text: str = attrs.field(repr=False)
    exercise: Exercise = attrs.field(repr=False)
    stage_key: str
    occurrence: int | None
    due_at: datetime | None
    previous: Answer | None = attrs.field(repr=False)

    @property
    def step_id(self) -> str:
        """The step's id within its exercise."""
        return self.address.rsplit("/", 1)[1]

    @property
    def can_skip(self) -> bool:
        """Whether `Session.skip` is allowed here."""
        return self.prompt.answer.takes_answer and not self.prompt.required


def utc_text(moment: datetime) -> str:
    """A session time (UTC, whole seconds, see `_utc`) as ISO 8601 with a ``Z``."""
    return moment.isoformat().replace("+00:00", "Z")


def _utc(now: datetime) -> datetime:
    if type(now) is datetime and now.tzinfo is UTC:  # the common case, kept cheap
        return now.replace(microsecond=0) if now.microsecond else now
    if not isinstance(now, datetime):
        raise SessionError("invalid_time", "now must be a datetime.")
    if now.tzinfo is None or now.utcoffset() is None:
        raise SessionError(
            "invalid_time",
            "now must be timezone-aware, for example datetime.now(timezone.utc).",
        )
    return now.astimezone(UTC).replace(microsecond=0)


def _check_predicates(plan: Plan, predicates: Predicates) -> None:
    missing = sorted(plan.layout.predicate_names - set(predicates.functions))
    if missing:
        raise DefinitionError.single(
            "unknown_predicate",
            f"The plan uses predicates that were not passed to the session: {', '.join(missing)}.",
            f"plan {plan.id!r}",
        )


@attrs.frozen(eq=False)
class Session:
    """A person's walk through a plan. Immutable: every operation returns a new one.

    Start one with `Session.start`; read `current`; move with `answer`,
    `skip` and `back`; save with `to_json` and load with `Session.from_json`.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from rejection_toolkit import Exercise, Prompt, Session, ShortText
        >>> ex = Exercise("tiny", "Tiny", [Prompt("word", "One word for today?", ShortText())])
        >>> now = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> s = Session.start(ex, now=now)
        >>> s.current.text
        'One word for today?'
        >>> s = s.answer("tired", now=now)
        >>> s.is_complete, s.get("tiny.word").value
        (True, 'tired')
    """

    plan: Plan
    started_at: datetime
    records: tuple[Record, ...] = ()
    kept: Mapping[str, Record] = attrs.field(factory=dict)
    unplaced: tuple[UnplacedAnswer, ...] = ()
    flags: tuple[Flag, ...] = ()
    predicates: Predicates = attrs.field(factory=Predicates)
    screener: Screener = attrs.field(factory=PatternScreener)

    @classmethod
    def start(
        cls,
        plan: Plan | Exercise,
        *,
        now: datetime,
        predicates: Predicates | None = None,
        screener: Screener | None = None,
    ) -> Session:
        """Start a session at the first step of ``plan`` (or of a single exercise).

        Args:
            plan: What to walk. An `Exercise` is run as a plan of its own.
            now: The start time; spaced repeats are due relative to it.
            predicates: The named predicates the plan's conditions use.
            screener: What screens free-text answers for crisis language; the
                built-in `PatternScreener` by default. Pass
                ``combine(PatternScreener(), yours)`` to add your own, or
                `NoScreening()` to turn screening off explicitly.

        Raises:
            DefinitionError: The plan uses a predicate that was not passed.
            SessionError: ``now`` is not a timezone-aware datetime.
        """
        if isinstance(plan, Exercise):
            plan = Plan.of(plan)
        predicates = predicates or Predicates()
        _check_predicates(plan, predicates)
        return cls(
            plan=plan,
            started_at=_utc(now),
            predicates=predicates,
            screener=screener if screener is not None else PatternScreener(),
        )

    def __repr__(self) -> str:
        state = "complete" if self.is_complete else f"at {self._slot.address!r}"  # type: ignore[union-attr]
        return f"<Session plan={self.plan.id!r} done={len(self.records)} {state}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return (
            self.plan == other.plan
            and self.started_at == other.started_at
            and self.records == other.records
            and self.kept == other.kept
            and self.unplaced == other.unplaced
            and self.flags == other.flags
        )

    __hash__ = None  # type: ignore[assignment]

    # -- derived state (computed once per session value) --------------------

    @property
    def _layout(self) -> Layout:
        return self.plan.layout

    @functools.cached_property
    def _active(self) -> dict[str, Record]:
        return {r.slot.address: r for r in self.records}

    @functools.cached_property
    def _latest(self) -> dict[str, Record]:
        return {r.slot.latest_key: r for r in self.records}

    @functools.cached_property
    def _slot(self) -> Slot | None:
        after = self.records[-1].slot.index if self.records else -1
        return next_slot(self._layout, after, self._active, self._latest, self.predicates)

    # -- reading ------------------------------------------------------------

    @property
    def is_complete(self) -> bool:
        """True when no step is left on the path taken."""
        return self._slot is None

    @property
    def current(self) -> CurrentStep | None:
        """The step waiting for an answer, or None when the session is complete."""
        slot = self._slot
        if slot is None:
            return None
        due = slot.due_after
        kept = self.kept.get(slot.address)
        if kept is not None and not slot.prompt.answer.takes_answer:
            kept = None
        return CurrentStep(
            address=slot.address,
            prompt=slot.prompt,
            text=self._pipe(slot),
            exercise=slot.stage.exercise,
            stage_key=slot.stage.key,
            occurrence=slot.occurrence,
            due_at=self.started_at + due if due is not None else None,
            previous=self._answer(kept) if kept is not None else None,
        )

    @functools.cached_property
    def progress(self) -> Progress:
        """Steps done, and bounds on the steps left on the path taken so far."""
        slot = self._slot
        if slot is None:
            return Progress(len(self.records), 0, 0)
        low, high = remaining(self._layout, slot, self._active, self._latest, self.predicates)
        return Progress(len(self.records), low, high)

    @property
    def answers(self) -> tuple[Answer, ...]:
        """The active answers in the order given (skips included, info steps not)."""
        return tuple(self._answer(r) for r in self.records if r.slot.prompt.answer.takes_answer)

    @property
    def inactive(self) -> tuple[Answer, ...]:
        """Answers kept from steps the person went back from or branched away from."""
        return tuple(
            self._answer(r) for r in self.kept.values() if r.slot.prompt.answer.takes_answer
        )

    @property
    def results(self) -> dict[str, dict[str, Answer]]:
        """The active answers grouped by exercise key, then by step id.

        Inside a repeat the exercise key carries its round, e.g.
        ``"week#3/self-compassion-letter"``.
        """
        grouped: dict[str, dict[str, Answer]] = {}
        for record in self.records:
            if record.slot.prompt.answer.takes_answer:
                grouped.setdefault(record.slot.unit, {})[record.slot.step.id] = self._answer(record)
        return grouped

    @property
    def safety(self) -> SafetyStatus:
        """The highest safety tier so far, its categories and every flag."""
        result = Screening()
        for flag in self.flags:
            result = result | Screening(flag.tier, flag.categories)
        return SafetyStatus(result.tier, result.categories, self.flags)

    def get(self, ref: str) -> Answer | None:
        """Return the active answer for ``"exercise.step"`` (latest round), or None."""
        record = self._latest.get(ref.replace(".", "/", 1)) or self._active.get(ref)
        if record is None or not record.slot.prompt.answer.takes_answer:
            return None
        return self._answer(record)

    def _display(self, ref: str) -> str | tuple[str, ...] | None:
        """How the active answer for ``ref`` reads; None if missing or skipped (fast path)."""
        record = self._latest.get(ref.replace(".", "/", 1))
        if record is None or record.value is SKIPPED or not record.slot.prompt.answer.takes_answer:
            return None
        return record.slot.prompt.answer.display(record.value)

    def answered_at(self, ref: str) -> datetime | None:
        """When the active answer for ``ref`` was given, or None."""
        found = self.get(ref)
        return found.at if found is not None else None

    # -- moving -------------------------------------------------------------

    def answer(self, value: object = None, *, now: datetime) -> Session:
        """Answer the current step and return the session at the next one.

        For an info step, call it without a value to go on.

        Raises:
            AnswerError: The answer does not fit the prompt (nothing changes).
            SessionError: The session is complete, or ``now`` is not valid.
        """
        slot = self._require_slot("answer")
        parsed = slot.prompt.answer.parse(value)
        return self._advance(slot, parsed, now)

    def skip(self, *, now: datetime) -> Session:
        """Skip the current step, storing `SKIPPED`, and return the next session.

        Raises:
            SessionError: The step is required, or is an info step, or the
                session is complete.
        """
        slot = self._require_slot("skip")
        if not slot.prompt.answer.takes_answer:
            raise SessionError(
                "not_skippable", "This step has nothing to answer; call answer() to go on."
            )
        if slot.prompt.required:
            raise SessionError("not_skippable", "This step needs an answer before going on.")
        return self._advance(slot, SKIPPED, now)

    def back(self) -> Session:
        """Go back one step along the path taken; its answer is kept for `previous`.

        Raises:
            SessionError: The session is at its first step.
        """
        if not self.records:
            raise SessionError(
                "at_start", "This is the first step; there is nothing to go back to."
            )
        last = self.records[-1]
        kept = {**self.kept, last.slot.address: last}
        return self._with(records=self.records[:-1], kept=kept)

    def discard_unplaced(self) -> Session:
        """Drop the saved answers that could not be placed, once the host has them."""
        return self._with(unplaced=())

    def export(self) -> dict[str, Any]:
        """Return everything the session holds about the person, as plain data.

        This is for a host's export and deletion duties: every answer (active,
        inactive and unplaced) with the prompt it answers and when, and every
        safety flag. It is JSON-ready; times are ISO 8601 in UTC.
        """
        iso = utc_text

        def row(answer: Answer, status: str) -> dict[str, Any]:
            skipped = answer.value is SKIPPED
            return {
                "address": answer.address,
                "prompt": answer.prompt.text,
                "status": status,
                "skipped": skipped,
                "value": None if skipped else answer.prompt.answer.to_json_value(answer.value),
                "shown_as": answer.text,
                "answered_at": iso(answer.at),
            }

        answers = [row(a, "active") for a in self.answers]
        answers += [row(a, "inactive") for a in self.inactive]
        answers += [
            {
                "address": u.address,
                "prompt": None,
                "status": "unplaced",
                "skipped": u.raw == {"skipped": True},
                "value": u.raw,
                "shown_as": None,
                "answered_at": iso(u.at),
                "reason": u.reason,
            }
            for u in self.unplaced
        ]
        safety = self.safety
        return {
            "plan": {"id": self.plan.id, "version": self.plan.version, "title": self.plan.title},
            "started_at": iso(self.started_at),
            "complete": self.is_complete,
            "answers": answers,
            "safety": {
                "tier": safety.tier.label,
                "categories": sorted(str(c) for c in safety.categories),
                "flags": [
                    {
                        "address": f.address,
                        "at": iso(f.at),
                        "tier": f.tier.label,
                        "categories": sorted(str(c) for c in f.categories),
                        "source": f.source,
                    }
                    for f in safety.flags
                ],
            },
        }

    # -- saving -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the session's state as a small JSON-ready document."""
        from ._state import dump

        return dump(self)

    def to_json(self) -> str:
        """Return the session's state as a JSON string (see `Session.from_json`)."""
        from ._state import dumps

        return dumps(self)

    @classmethod
    def from_dict(
        cls,
        plan: Plan | Exercise,
        data: Mapping[str, Any],
        *,
        predicates: Predicates | None = None,
        screener: Screener | None = None,
    ) -> Session:
        """Load a session saved with `to_dict`; see `from_json`."""
        from ._state import load

        return load(_as_plan(plan), data, predicates or Predicates(), screener or PatternScreener())

    @classmethod
    def from_json(
        cls,
        plan: Plan | Exercise,
        text: str | bytes,
        *,
        predicates: Predicates | None = None,
        screener: Screener | None = None,
        max_bytes: int = 1_000_000,
    ) -> Session:
        """Load a session saved with `to_json`, strictly.

        When the plan has changed since the save, the session resumes at the
        last step that is still valid; answers it cannot place are listed in
        `unplaced`, never dropped. Pass the same ``predicates`` and
        ``screener`` as to `Session.start`: they are code, so they are not
        saved.

        Raises:
            StateError: The document is malformed, too large, not a session,
                or broken in any other way. The message says what is wrong.
            NewerFormatError: It was saved by a newer version of the library.
            PlanMismatchError: It belongs to another plan.
        """
        from ._state import loads

        return loads(
            _as_plan(plan),
            text,
            predicates or Predicates(),
            screener or PatternScreener(),
            max_bytes,
        )

    # -- internals ----------------------------------------------------------

    def _with(
        self,
        *,
        records: tuple[Record, ...] | None = None,
        kept: Mapping[str, Record] | None = None,
        flags: tuple[Flag, ...] | None = None,
        unplaced: tuple[UnplacedAnswer, ...] | None = None,
    ) -> Session:
        """A copy with some state replaced (cheaper than attrs.evolve on a hot path)."""
        return Session(
            plan=self.plan,
            started_at=self.started_at,
            records=self.records if records is None else records,
            kept=self.kept if kept is None else kept,
            unplaced=self.unplaced if unplaced is None else unplaced,
            flags=self.flags if flags is None else flags,
            predicates=self.predicates,
            screener=self.screener,
        )

    def _require_slot(self, action: str) -> Slot:
        slot = self._slot
        if slot is None:
            raise SessionError(
                "complete", f"This session is complete; there is no step to {action}."
            )
        return slot

    def _advance(self, slot: Slot, value: Any, now: datetime) -> Session:
        at = _utc(now)
        offset = round((at - self.started_at).total_seconds())
        previous = self.kept.get(slot.address)
        if previous is not None and previous.value == value and type(previous.value) is type(value):
            offset = previous.offset
        kept = self.kept
        if slot.address in kept:
            kept = {k: v for k, v in kept.items() if k != slot.address}
        flags = self._flags_for(slot, value, self.started_at + timedelta(seconds=offset))
        return self._with(
            records=(*self.records, Record(slot, value, offset)), kept=kept, flags=flags
        )

    def _flags_for(self, slot: Slot, value: Any, at: datetime) -> tuple[Flag, ...]:
        """Screen an answer before it is stored; never raise, never keep the text."""
        if value is SKIPPED or not slot.prompt.answer.takes_answer:
            return self.flags
        parts = slot.prompt.answer.free_text(value)
        if not parts and not slot.prompt.safety:
            return self.flags
        found: list[Flag] = []
        text = Screening()
        failed = False
        for part in parts:
            try:
                result = self.screener.screen(part)
                if result.tier > Tier.NONE:
                    text = text | result
            except Exception:
                failed = True
        if text.tier > Tier.NONE:
            found.append(Flag(slot.address, at, text.tier, text.categories, "text"))
        if failed:
            found.append(Flag(slot.address, at, Tier.NONE, frozenset(), "error"))
        rules = Screening()
        for rule in slot.prompt.safety:
            if rule.matches(value):
                rules = rules | Screening(rule.tier, {rule.category})
        if rules.tier > Tier.NONE:
            found.append(Flag(slot.address, at, rules.tier, rules.categories, "answer"))
        known = {f._key for f in self.flags}
        return self.flags + tuple(f for f in found if f._key not in known)

    def _answer(self, record: Record) -> Answer:
        return Answer(
            address=record.slot.address,
            prompt=record.slot.prompt,
            value=record.value,
            at=self.started_at + timedelta(seconds=record.offset),
            occurrence=record.slot.occurrence,
        )

    def _pipe(self, slot: Slot) -> str:
        prompt = slot.prompt
        if not prompt.shows:
            return prompt.text

        def resolve(pipe: _piping.Pipe) -> str | None:
            kind, key = slot.targets[pipe.ref]
            record = (self._active if kind == "address" else self._latest).get(key)
            if (
                record is None
                or record.value is SKIPPED
                or not record.slot.prompt.answer.takes_answer
            ):
                return None
            if pipe.mode == "label":
                return self._answer(record).text
            shown = record.slot.prompt.answer.to_json_value(record.value)
            if isinstance(shown, list):
                return ", ".join(shown)
            if isinstance(shown, dict):
                return ", ".join([*shown["selected"], shown["other"]])
            return str(shown).lower() if isinstance(shown, bool) else str(shown)

        filled = _piping.render(prompt.text, resolve)
        return filled if filled is not None else prompt.fallback_text or prompt.text


def _as_plan(plan: Plan | Exercise) -> Plan:
    return Plan.of(plan) if isinstance(plan, Exercise) else plan
