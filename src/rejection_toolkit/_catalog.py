"""The catalog: exercises and plans as data, loaded with the public loader.

The built-in catalog is a folder of TOML files inside the package, read the
same way a host reads its own: shared prompts from ``prompts.toml``, notes from
``notes.toml``, one exercise per file in ``exercises/`` and one plan per file in
``plans/``. Nothing is read until the catalog is first asked for.
"""

from __future__ import annotations

import difflib
import enum
import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ._model import Approach, Exercise, Kind, Plan, Prompt
from .exceptions import DefinitionError, Problem, UnknownIdError

__all__ = ["Catalog", "Note", "Recommendation", "Want", "catalog"]

T = TypeVar("T")


class Want(enum.StrEnum):
    """What a person would like from the next few minutes."""

    FEEL_LESS_RAW = "feel-less-raw"
    """To soothe the hurt and feel a little steadier."""
    DECIDE = "decide"
    """To work out what to do next."""
    REACH_OUT = "reach-out"
    """To connect with someone."""


_WANT_APPROACHES: Mapping[Want, Mapping[Approach, int]] = {
    Want.FEEL_LESS_RAW: {
        Approach.MINDFULNESS: 2,
        Approach.SELF_COMPASSION: 2,
        Approach.ACKNOWLEDGEMENT: 1,
    },
    Want.DECIDE: {Approach.PROBLEM_SOLVING: 2, Approach.COGNITIVE: 1},
    Want.REACH_OUT: {Approach.SOCIAL_SUPPORT: 2, Approach.COMMUNICATION: 1},
}
"""How well each approach serves each want; an item scores the mean over its approaches."""
_WANT_WORDS: Mapping[Want, str] = {
    Want.FEEL_LESS_RAW: "helps you steady yourself while the hurt is fresh",
    Want.DECIDE: "helps you think through what to do next",
    Want.REACH_OUT: "helps you reach out to someone",
}
_NOT_RECOMMENDED = frozenset({"when-to-get-help"})


@attrs.frozen
class Note:
    """A short text the catalog carries, such as when to get help.

    Attributes:
        id: The note's id, e.g. ``"when-to-get-help"``.
        title: A short title.
        text: The note, in plain paragraphs separated by blank lines.
    """

    id: str
    title: str
    text: str


@attrs.frozen
class Recommendation:
    """A suggestion from `Catalog.recommend`.

    Attributes:
        item: The plan or exercise to offer.
        reason: One kind sentence saying why it fits.
    """

    item: Exercise | Plan
    reason: str


def _read(file: Traversable, where: str) -> dict[str, Any]:
    import tomllib

    if not file.is_file():
        return {}
    try:
        data: dict[str, Any] = tomllib.loads(file.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError.single("malformed_toml", f"Not valid TOML: {error}", where) from None
    return data


def _files(folder: Traversable) -> list[Traversable]:
    """The TOML files of ``folder``, by name; none when it does not exist."""
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


@attrs.frozen
class Catalog:
    """Exercises, plans, shared prompts and notes, looked up by id.

    Get the built-in one with `catalog`, or load your own folder of TOML files
    in the same layout with `Catalog.from_directory`.

    Examples:
        >>> from rejection_toolkit import catalog
        >>> catalog().plan("coping-plan").title
        'Your rejection coping plan'
    """

    exercises_by_id: Mapping[str, Exercise]
    plans_by_id: Mapping[str, Plan]
    prompts: Mapping[str, Prompt] = attrs.field(factory=dict)
    notes: Mapping[str, Note] = attrs.field(factory=dict)

    @classmethod
    def from_directory(cls, folder: Traversable | str | Path) -> Catalog:
        """Load a catalog folder: ``prompts.toml``, ``notes.toml``, ``exercises/``, ``plans/``.

        Each file is read with `definition_from_dict`, exactly like a user's
        own definitions. Plans may name exercises of the folder by id, and
        steps may ``use`` a shared prompt by name.

        Raises:
            DefinitionError: With every problem of every file, each path
                starting with the file's name.
        """
        from ._serialize import definition_from_dict, prompt_from_dict

        root: Traversable = Path(folder) if isinstance(folder, str | Path) else folder
        problems: list[Problem] = []

        def read(file: Traversable, where: str) -> dict[str, Any]:
            try:
                return _read(file, where)
            except DefinitionError as error:
                problems.extend(error.problems)
                return {}

        prompts: dict[str, Prompt] = {}
        for name, data in read(root.joinpath("prompts.toml"), "prompts.toml").items():
            try:
                prompts[name] = prompt_from_dict(data)
            except DefinitionError as error:
                problems.extend(error.within("prompts.toml", name).problems)
        notes: dict[str, Note] = {}
        for name, data in read(root.joinpath("notes.toml"), "notes.toml").items():
            if not isinstance(data, dict) or not {"title", "text"} <= set(data):
                problems.append(
                    Problem(("notes.toml", name), "missing_field", "A note needs a title and text.")
                )
                continue
            notes[name] = Note(id=name, title=str(data["title"]), text=str(data["text"]).strip())

        def load(sub: str, kind: type[Any], **known: Any) -> dict[str, Any]:
            loaded: dict[str, Any] = {}
            for file in _files(root.joinpath(sub)):
                where = f"{sub}/{file.name}"
                data = read(file, where)
                if not data:
                    continue
                try:
                    item = definition_from_dict(data, **known)
                except DefinitionError as error:
                    problems.extend(error.within(where).problems)
                    continue
                if not isinstance(item, kind):
                    problems.extend(
                        DefinitionError.single(
                            "wrong_type", f"Expected a {kind.__name__.lower()} here.", where
                        ).problems
                    )
                elif item.id in loaded:
                    problems.extend(
                        DefinitionError.single(
                            "duplicate_id", f"Another file already defines {item.id!r}.", where
                        ).problems
                    )
                else:
                    loaded[item.id] = item
            return loaded

        exercises = load("exercises", Exercise, prompts=prompts)
        plans = load("plans", Plan, exercises=exercises, prompts=prompts)
        if problems:
            raise DefinitionError(problems)
        return cls(exercises_by_id=exercises, plans_by_id=plans, prompts=prompts, notes=notes)

    # -- look-ups -------------------------------------------------------------

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """Every exercise, sorted by id."""
        return tuple(self.exercises_by_id[k] for k in sorted(self.exercises_by_id))

    @property
    def plans(self) -> tuple[Plan, ...]:
        """Every plan, sorted by id."""
        return tuple(self.plans_by_id[k] for k in sorted(self.plans_by_id))

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise ``exercise_id``.

        Raises:
            UnknownIdError: There is none; the message lists close matches.
        """
        return _lookup(self.exercises_by_id, exercise_id, "exercise")

    def plan(self, plan_id: str) -> Plan:
        """Return the plan ``plan_id``.

        Raises:
            UnknownIdError: There is none; the message lists close matches.
        """
        return _lookup(self.plans_by_id, plan_id, "plan")

    def get(self, item_id: str) -> Exercise | Plan:
        """Return the plan or exercise ``item_id`` (plans first)."""
        if item_id in self.plans_by_id:
            return self.plans_by_id[item_id]
        both: dict[str, Exercise | Plan] = {**self.exercises_by_id, **self.plans_by_id}
        return _lookup(both, item_id, "plan or exercise")

    def note(self, note_id: str) -> Note:
        """Return the note ``note_id``, such as ``"when-to-get-help"``."""
        return _lookup(self.notes, note_id, "note")

    @property
    def help_note(self) -> Note:
        """The short, calm note about when to seek professional help."""
        return self.note("when-to-get-help")

    def find(
        self,
        *,
        kind: Kind | str | None = None,
        approach: Approach | str | None = None,
        max_minutes: int | None = None,
        plans: bool = True,
        exercises: bool = True,
    ) -> tuple[Exercise | Plan, ...]:
        """Return the plans and exercises that fit every filter given.

        Args:
            kind: The kind of rejection; items tagged ``any`` fit every kind.
            approach: An approach the item uses.
            max_minutes: The most minutes the item may take (one sitting).
            plans: Include plans.
            exercises: Include exercises.
        """
        wanted_kind = Kind(kind) if kind is not None else None
        wanted_approach = Approach(approach) if approach is not None else None
        items: list[Exercise | Plan] = []
        if plans:
            items.extend(self.plans)
        if exercises:
            items.extend(self.exercises)
        return tuple(
            item
            for item in items
            if (wanted_kind is None or _fits_kind(item, wanted_kind))
            and (wanted_approach is None or wanted_approach in item.approaches)
            and (max_minutes is None or item.minutes <= max_minutes)
        )

    def recommend(
        self,
        *,
        kind: Kind | str = Kind.ANY,
        minutes: int,
        want: Want | str | None = None,
    ) -> Recommendation:
        """Suggest one plan or exercise for a person's situation.

        It picks, among the items that fit the kind of rejection and the time,
        the one whose approaches best match what the person wants; with time
        to spare it prefers a plan. When nothing fits the time, it offers the
        shortest fitting item and says so.

        Args:
            kind: The kind of rejection.
            minutes: The minutes the person has now.
            want: What they would like: `Want.FEEL_LESS_RAW`, `Want.DECIDE`
                or `Want.REACH_OUT`.

        Examples:
            >>> from rejection_toolkit import catalog
            >>> pick = catalog().recommend(kind="romantic", minutes=5)
            >>> pick.item.id
            'five-minutes'
        """
        if minutes < 1:
            raise ValueError("minutes must be at least 1.")
        wanted_kind = Kind(kind)
        wanted = Want(want) if want is not None else None
        items: tuple[Exercise | Plan, ...] = (*self.plans, *self.exercises)
        fitting = [
            item
            for item in items
            if item.id not in _NOT_RECOMMENDED and _fits_kind(item, wanted_kind)
        ]
        if not fitting:
            raise ValueError(f"No plan or exercise in this catalog fits {wanted_kind.value!r}.")
        in_time = [item for item in fitting if item.minutes <= minutes]
        if not in_time:
            shortest = min(fitting, key=lambda i: (i.minutes, i.id))
            return Recommendation(
                shortest,
                f"{shortest.title} is the shortest option, at about {shortest.minutes} "
                "minutes; it is fine to stop part-way and come back later.",
            )

        def score(item: Exercise | Plan) -> tuple[float, int, int, str]:
            fit = 0.0
            if wanted is not None and item.approaches:
                weights = _WANT_APPROACHES[wanted]
                fit = sum(weights.get(a, 0) for a in item.approaches) / len(item.approaches)
            specific = int(wanted_kind is not Kind.ANY and wanted_kind in item.kinds)
            return (fit, specific + int(isinstance(item, Plan)), item.minutes, item.id)

        best = max(in_time, key=score)
        reason = f"{best.title} fits in about {best.minutes} minutes"
        if wanted is not None and score(best)[0]:
            reason += f" and {_WANT_WORDS[wanted]}"
        elif wanted_kind is not Kind.ANY and wanted_kind in best.kinds:
            reason += f" and is written for {_KIND_WORDS[wanted_kind]}"
        return Recommendation(best, reason + ".")


_KIND_WORDS: Mapping[Kind, str] = {
    Kind.ROMANTIC: "romantic rejection",
    Kind.SOCIAL: "being left out or dropped by friends",
    Kind.PROFESSIONAL: "setbacks at work",
    Kind.FAMILIAL: "hurt within a family",
    Kind.ANY: "any kind of rejection",
}


def _fits_kind(item: Exercise | Plan, kind: Kind) -> bool:
    """Items tagged ``any`` fit every kind; others fit the kinds they name."""
    return Kind.ANY in item.kinds or kind in item.kinds


def _lookup(items: Mapping[str, T], item_id: str, what: str) -> T:
    try:
        return items[item_id]
    except KeyError:
        raise UnknownIdError(what, item_id, _close(item_id, items)) from None


def _close(item_id: str, known: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(item_id, list(known), n=3, cutoff=0.5)


@functools.cache
def catalog() -> Catalog:
    """Return the built-in catalog, loaded on first use and kept for later calls.

    Examples:
        >>> from rejection_toolkit import catalog
        >>> len(catalog().exercises), len(catalog().plans)
        (23, 7)
    """
    return Catalog.from_directory(resources.files(__package__).joinpath("catalog"))
