"""The exceptions that *rejection_toolkit* raises.

Every exception derives from `RejectionToolkitError`, so a host can catch them
all at once. None of them ever carries the text of an answer: messages describe
what was wrong and where, never what the person wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = [
    "AnswerError",
    "DefinitionError",
    "LetterError",
    "NewerFormatError",
    "PlanMismatchError",
    "Problem",
    "RejectionToolkitError",
    "SessionError",
    "StateError",
    "UntrustedTemplateError",
    "UnknownIdError",
]


class RejectionToolkitError(Exception):
    """Raised for every error of this library; the base of all the others."""


@attrs.frozen
class Problem:
    """One thing wrong with a definition, and where it is.

    Attributes:
        path: Where the problem is, from the outside in, e.g.
            ``("plan 'x'", "exercise 'y'", "step 3", "when")``.
        code: A stable, machine-readable name for the problem.
        message: A sentence that says what is wrong and what to do.
    """

    path: tuple[str, ...]
    code: str
    message: str

    @property
    def where(self) -> str:
        """The path as one string, e.g. ``plan 'x' > exercise 'y' > step 3``."""
        return " > ".join(self.path) if self.path else "(top level)"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class DefinitionError(RejectionToolkitError, ValueError):
    """Raised when a prompt, exercise or plan definition is not valid.

    It carries every problem found, each with its path, so a tool can show them
    all at once instead of one per attempt.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self._describe())

    @classmethod
    def single(cls, code: str, message: str, *path: str) -> DefinitionError:
        """Build an error holding one problem."""
        return cls([Problem(path=path, code=code, message=message)])

    def within(self, *outer: str) -> DefinitionError:
        """Return the same problems with ``outer`` put in front of each path."""
        return type(self)(attrs.evolve(p, path=(*outer, *p.path)) for p in self.problems)

    def _describe(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the definition:"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


class AnswerError(RejectionToolkitError, ValueError):
    """Raised when an answer does not fit its prompt; the session is unchanged.

    Attributes:
        code: A stable name for the problem, e.g. ``"too_long"``.
        message: A kind, plain sentence that can be shown to the person.
        params: The numbers and allowed values behind the message, e.g.
            ``{"max_length": 200}``. Never the answer itself.
    """

    code: str
    message: str
    params: Mapping[str, Any]

    def __init__(self, code: str, message: str, **params: Any) -> None:
        self.code = code
        self.message = message
        self.params = params
        super().__init__(f"{message} [{code}]")


class _CodedError(RejectionToolkitError):
    """Raised with a stable ``code`` beside the message (a base for the errors below)."""

    code: str

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class SessionError(_CodedError):
    """Raised when a session is asked for something its state does not allow.

    Examples are answering a session that is already complete, skipping a step
    that must be answered, or going back from the first step. The session it
    was called on is unchanged.

    Attributes:
        code: A stable name for the problem, e.g. ``"not_skippable"``.
    """


class StateError(_CodedError, ValueError):
    """Raised when a saved session cannot be loaded; nothing is half-loaded.

    Attributes:
        code: A stable name for the problem, e.g. ``"duplicate_key"``.
    """


class NewerFormatError(StateError):
    """Raised when a saved session was written by a newer version of the library."""


class PlanMismatchError(StateError):
    """Raised when a saved session belongs to a different plan than the one given."""


class UnknownIdError(RejectionToolkitError, KeyError):
    """Raised when a catalog has no exercise, plan or note with the id asked for.

    Attributes:
        what: What was looked up, e.g. ``"plan"``.
        id: The id that was not found.
        suggestions: Known ids that are close to it, best first.
    """

    what: str
    id: str
    suggestions: tuple[str, ...]

    def __init__(self, what: str, id: str, suggestions: Iterable[str] = ()) -> None:
        self.what = what
        self.id = id
        self.suggestions = tuple(suggestions)
        super().__init__(what, id)

    def __str__(self) -> str:
        hint = ""
        if self.suggestions:
            hint = " Did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        return f"There is no {self.what} {self.id!r}.{hint}"


class LetterError(_CodedError, ValueError):
    """Raised when a letter cannot be rendered: a missing field, an unknown letter or name.

    Attributes:
        code: A stable name for the problem, e.g. ``"missing_field"``.
    """


class UntrustedTemplateError(LetterError):
    """Raised when an untrusted template uses something the locked-down path forbids.

    Attributes:
        problems: Every problem found, each with its line and a message.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [f"The template was rejected ({len(self.problems)} problems):"]
        lines.extend(f"  - {p}" for p in self.problems)
        super().__init__("template_rejected", "\n".join(lines))
