"""Saved state: a small, versioned JSON document, loaded strictly.

Format 2 (written today)::

    {
      "format": "rejection-toolkit/session",
      "version": 2,
      "plan": {"id": "...", "version": 1, "fingerprint": "sha256:..."},
      "started_at": "2026-01-05T09:00:00Z",
      "path": [["acknowledge/what-happened", 12, "..."], ["body-scan/guide", 40], ...],
      "kept": [...],
      "unplaced": [{"entry": [...], "reason": "unknown_step"}]
    }

An entry is ``[address, seconds after the start]`` for an info step, with a
third item for the answer: its JSON value, or ``{"skipped": true}``. ``path``
is the path taken, in order; ``kept`` holds answers on steps the person went
back from or branched away from; ``unplaced`` holds answers that no longer fit
the plan. Format 1 (answers as a mapping with absolute times) is migrated on
load. No pickle, no code: only JSON values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ._answers import SKIPPED
from ._conditions import Predicates
from ._layout import Slot
from ._model import Plan
from ._screening import Category, Screener, Tier
from ._session import Flag, Session, UnplacedAnswer, _check_predicates, utc_text
from ._walk import Record, next_slot
from .exceptions import AnswerError, NewerFormatError, PlanMismatchError, StateError

FORMAT = "rejection-toolkit/session"
FORMAT_VERSION = 2
MAX_ENTRIES = 200_000
MAX_OFFSET = 10**10

_SKIPPED_JSON = {"skipped": True}
_MISSING: Any = object()
_DOCUMENT_KEYS = frozenset(
    {"format", "version", "plan", "started_at", "path", "kept", "unplaced", "flags"}
)
_PLAN_KEYS = frozenset({"id", "version", "fingerprint"})


# -- writing ------------------------------------------------------------------


def _entry(record: Record) -> list[Any]:
    answer_kind = record.slot.prompt.answer
    entry: list[Any] = [record.slot.address, record.offset]
    if not answer_kind.takes_answer:
        return entry
    if record.value is SKIPPED:
        entry.append(dict(_SKIPPED_JSON))
    else:
        entry.append(answer_kind.to_json_value(record.value))
    return entry


def _offset(session: Session, at: datetime) -> int:
    return round((at - session.started_at).total_seconds())


def dump(session: Session) -> dict[str, Any]:
    plan = session.plan
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "plan": {"id": plan.id, "version": plan.version, "fingerprint": plan.fingerprint},
        "started_at": utc_text(session.started_at),
        "path": [_entry(r) for r in session.records],
    }
    if session.kept:
        data["kept"] = [_entry(r) for r in session.kept.values()]
    if session.flags:
        data["flags"] = [
            [
                f.address,
                _offset(session, f.at),
                f.tier.label,
                sorted(str(c) for c in f.categories),
                f.source,
            ]
            for f in session.flags
        ]
    if session.unplaced:
        data["unplaced"] = [
            {
                "entry": [u.address, _offset(session, u.at), u.raw],
                "reason": u.reason,
            }
            for u in session.unplaced
        ]
    return data


def dumps(session: Session) -> str:
    return _ENCODER.encode(dump(session))


# -- strict JSON ----------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StateError("duplicate_key", "The saved session has a key twice in one object.")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise StateError(
        "invalid_number", f"The saved session contains {name}, which is not valid JSON."
    )


# made once: json.loads and json.dumps with options build a new coder on every call
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def strict_loads(text: str | bytes, max_bytes: int, what: str = "saved session") -> Any:
    """Parse JSON strictly: bounded size, no NaN or Infinity, no duplicate keys."""
    if isinstance(text, bytes | bytearray):
        if len(text) > max_bytes:
            raise StateError("too_large", f"The {what} is larger than {max_bytes} bytes.")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise StateError("not_utf8", f"The {what} is not UTF-8 text.") from None
    elif not isinstance(text, str):
        raise StateError("wrong_type", f"The {what} must be JSON text (str or bytes).")
    # a character takes at most 4 bytes in UTF-8: only long texts need encoding to measure
    if len(text) > max_bytes or (
        len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes
    ):
        raise StateError("too_large", f"The {what} is larger than {max_bytes} bytes.")
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise StateError(
            "malformed_json",
            f"The {what} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}.",
        ) from None
    except StateError:
        raise
    except RecursionError:
        raise StateError("too_deep", f"The {what} is nested too deeply.") from None
    except ValueError:
        raise StateError("malformed_json", f"The {what} has a number that is too long.") from None


# -- reading ------------------------------------------------------------------


def _fail(message: str, code: str = "invalid_document") -> StateError:
    return StateError(code, f"The saved session is not valid: {message}")


def _expect(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(key, _MISSING)
    if type(value) is kind:  # the usual case, and never a bool for int
        return value
    if value is _MISSING:
        raise _fail(f"{where} is missing {key!r}.", "missing_field")
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _fail(f"{where}{key!r} has the wrong type.", "wrong_type")
    return value


def _check_keys(data: Mapping[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise _fail(
            f"{where} has unexpected fields: {', '.join(sorted(unknown))}.", "unknown_field"
        )


def _parse_time(value: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"{where} is not an ISO 8601 time.", "invalid_time") from None
    if parsed.tzinfo is None:
        raise _fail(f"{where} has no time zone.", "invalid_time")
    if parsed.tzinfo is UTC and not parsed.microsecond:  # what we write: "...Z"
        return parsed
    return parsed.astimezone(UTC).replace(microsecond=0)


Entry = tuple[str, int, Any, bool]
"""address, offset, raw value (or None), whether it has a value."""


def _parse_entry(raw: Any, where: str | tuple[str, int]) -> Entry:
    # exact type checks: JSON gives list, str and int (never a subclass), and they
    # keep bools out of the offsets; the error location is only built on failure
    size = len(raw) if type(raw) is list else 0
    if size not in (2, 3):
        raise _fail(f"{_where(where)} should be a list of 2 or 3 items.", "wrong_type")
    address, offset = raw[0], raw[1]
    if type(address) is not str or not 0 < len(address) <= 400:
        raise _fail(f"{_where(where)} has an invalid address.", "wrong_type")
    if type(offset) is not int or abs(offset) > MAX_OFFSET:
        raise _fail(f"{_where(where)} has an invalid time offset.", "wrong_type")
    if size == 2:
        return address, offset, None, False
    return address, offset, raw[2], True


def _where(where: str | tuple[str, int]) -> str:
    return where if isinstance(where, str) else f"{where[0]}[{where[1]}] "


def _entries(data: Mapping[str, Any], key: str) -> list[Entry]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise _fail(f"{key!r} should be a list.", "wrong_type")
    if len(raw) > MAX_ENTRIES:
        raise StateError("too_large", f"The saved session has more than {MAX_ENTRIES} entries.")
    return [_parse_entry(item, (key, i)) for i, item in enumerate(raw)]


def _value(slot: Slot, entry: Entry) -> tuple[Any, str | None]:
    """Parse an entry's value for ``slot``: (value, None) or (None, reason)."""
    _, _, raw, has_value = entry
    answer_kind = slot.prompt.answer
    if not answer_kind.takes_answer:
        return (None, None) if not has_value else (None, "invalid_value")
    if not has_value:
        return None, "invalid_value"
    if type(raw) is dict and raw == _SKIPPED_JSON:
        return (SKIPPED, None) if not slot.prompt.required else (None, "not_skippable")
    try:
        return answer_kind.parse(raw), None
    except AnswerError:
        return None, "invalid_value"


def _raw(entry: Entry) -> Any:
    return entry[2] if entry[3] else None


def load(plan: Plan, data: Any, predicates: Predicates, screener: Screener) -> Session:
    if type(data) is not dict and not isinstance(data, Mapping):
        raise _fail("the top level should be a JSON object.", "wrong_type")
    if data.get("format") != FORMAT:
        raise StateError("not_a_session", "This document is not a saved rejection_toolkit session.")
    version = _expect(data, "version", int, "")
    if version > FORMAT_VERSION:
        raise NewerFormatError(
            "newer_format",
            f"This session was saved in format {version}, by a newer version of "
            f"rejection_toolkit; this version reads formats up to {FORMAT_VERSION}. "
            "Upgrade the library to load it.",
        )
    if version < 1:
        raise _fail(f"format version {version} does not exist.", "unknown_version")
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1

    _check_keys(data, _DOCUMENT_KEYS, "The document")
    saved_plan = _expect(data, "plan", dict, "")
    _check_keys(saved_plan, _PLAN_KEYS, "'plan'")
    plan_id = _expect(saved_plan, "id", str, "'plan' ")
    _expect(saved_plan, "version", int, "'plan' ")
    _expect(saved_plan, "fingerprint", str, "'plan' ")
    if plan_id != plan.id:
        raise PlanMismatchError(
            "plan_mismatch",
            f"This session was saved for plan {plan_id!r}, not {plan.id!r}; "
            "load it with that plan.",
        )
    _check_predicates(plan, predicates)
    started_at = _parse_time(_expect(data, "started_at", str, ""), "'started_at'")
    path = _entries(data, "path")
    kept_entries = _entries(data, "kept")
    unplaced = _parse_unplaced(data.get("unplaced", []), started_at)
    flags = _parse_flags(data.get("flags", []), started_at)

    layout = plan.layout
    records: list[Record] = []
    active: dict[str, Record] = {}
    latest: dict[str, Record] = {}
    leftover: list[Entry] = []
    for i, entry in enumerate(path):
        after = records[-1].slot.index if records else -1
        slot = next_slot(layout, after, active, latest, predicates)
        value: Any = None
        problem: str | None = "out_of_order"
        if slot is not None and slot.address == entry[0]:
            value, problem = _value(slot, entry)
        if slot is None or problem is not None:
            leftover = path[i:]
            break
        record = Record(slot, value, entry[1])
        records.append(record)
        active[slot.address] = record
        latest[slot.latest_key] = record

    kept: dict[str, Record] = {}
    for entry in [*leftover, *kept_entries]:
        address = entry[0]
        found = layout.by_address.get(address)
        if found is None:
            unplaced.append(_unplaced(entry, started_at, "unknown_step"))
            continue
        value, problem = _value(found, entry)
        if problem is not None:
            unplaced.append(_unplaced(entry, started_at, problem))
        elif address not in active and address not in kept:
            kept[address] = Record(found, value, entry[1])
    return Session(
        plan=plan,
        started_at=started_at,
        records=tuple(records),
        kept=kept,
        unplaced=tuple(unplaced),
        flags=flags,
        predicates=predicates,
        screener=screener,
    )


def _unplaced(entry: Entry, started_at: datetime, reason: str) -> UnplacedAnswer:
    return UnplacedAnswer(
        address=entry[0],
        at=started_at + timedelta(seconds=entry[1]),
        raw=_raw(entry),
        reason=reason,
    )


_REASONS = {"unknown_step", "invalid_value", "not_skippable"}


def _parse_unplaced(raw: Any, started_at: datetime) -> list[UnplacedAnswer]:
    if not isinstance(raw, list):
        raise _fail("'unplaced' should be a list.", "wrong_type")
    out = []
    for i, item in enumerate(raw):
        where = f"unplaced[{i}] "
        if not isinstance(item, dict):
            raise _fail(f"{where}should be an object.", "wrong_type")
        _check_keys(item, {"entry", "reason"}, where)
        reason = _expect(item, "reason", str, where)
        if reason not in _REASONS:
            raise _fail(f"{where}has an unknown reason.", "wrong_type")
        entry = _parse_entry(item.get("entry"), where)
        out.append(_unplaced(entry, started_at, reason))
    return out


_TIERS = {t.label: t for t in Tier}
_SOURCES = ("text", "answer", "error")


def _parse_flags(raw: Any, started_at: datetime) -> tuple[Flag, ...]:
    if not isinstance(raw, list):
        raise _fail("'flags' should be a list.", "wrong_type")
    flags = []
    for i, item in enumerate(raw):
        where = f"flags[{i}] "
        if not (isinstance(item, list) and len(item) == 5):
            raise _fail(f"{where}should be a list of 5 items.", "wrong_type")
        address, offset, tier, categories, source = item
        if not isinstance(address, str) or not 0 < len(address) <= 400:
            raise _fail(f"{where}has an invalid address.", "wrong_type")
        if not isinstance(offset, int) or isinstance(offset, bool) or abs(offset) > MAX_OFFSET:
            raise _fail(f"{where}has an invalid time offset.", "wrong_type")
        if tier not in _TIERS or source not in _SOURCES or not isinstance(categories, list):
            raise _fail(f"{where}has an unknown tier, source or categories.", "wrong_type")
        try:
            parsed = frozenset(Category(c) for c in categories)
        except (ValueError, TypeError):
            raise _fail(f"{where}has an unknown category.", "wrong_type") from None
        flags.append(
            Flag(address, started_at + timedelta(seconds=offset), _TIERS[tier], parsed, source)
        )
    return tuple(flags)


def loads(
    plan: Plan, text: str | bytes, predicates: Predicates, screener: Screener, max_bytes: int
) -> Session:
    return load(plan, strict_loads(text, max_bytes), predicates, screener)


# -- migrations -----------------------------------------------------------------


def _from_v1(data: Mapping[str, Any]) -> dict[str, Any]:
    """Format 1 kept answers in a mapping with absolute ISO times; 2 uses entries.

    Format 1::

        {"format": ..., "version": 1, "plan": {...}, "started_at": "...",
         "answers": {address: {"answered_at": "...", "value": ...}
                              | {"answered_at": "...", "skipped": true}
                              | {"answered_at": "..."}},          # info step
         "path": [address, ...]}
    """
    _check_keys(
        data, {"format", "version", "plan", "started_at", "answers", "path"}, "The document"
    )
    started = _parse_time(_expect(data, "started_at", str, ""), "'started_at'")
    answers = _expect(data, "answers", dict, "")
    path = _expect(data, "path", list, "")

    def entry(address: str) -> list[Any]:
        item = answers.get(address)
        where = f"answers[{address!r}] "
        if not isinstance(item, dict):
            raise _fail(f"{where}is missing or not an object.", "wrong_type")
        _check_keys(item, {"answered_at", "value", "skipped"}, where)
        at = _parse_time(_expect(item, "answered_at", str, where), f"{where}'answered_at'")
        out: list[Any] = [address, round((at - started).total_seconds())]
        if item.get("skipped") is True:
            out.append(dict(_SKIPPED_JSON))
        elif "value" in item:
            out.append(item["value"])
        return out

    if not all(isinstance(a, str) for a in path) or len(set(path)) != len(path):
        raise _fail("'path' should list each address once.", "wrong_type")
    return {
        "format": FORMAT,
        "version": 2,
        "plan": data.get("plan"),
        "started_at": data["started_at"],
        "path": [entry(a) for a in path],
        "kept": [entry(a) for a in answers if a not in set(path)],
    }


MIGRATIONS: Mapping[int, Callable[[Mapping[str, Any]], dict[str, Any]]] = {1: _from_v1}
"""Each migration turns a document of format ``n`` into one of format ``n + 1``."""
