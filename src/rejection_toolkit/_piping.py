"""Piping: prompt text that shows earlier answers.

A prompt's text may hold ``{ref}`` to show an earlier answer as the person saw
it (the labels of choices), or ``{ref|value}`` for the stored value. Write
``{{`` and ``}}`` for literal braces. This is a tiny fixed syntax, not a
template language: the answers put into the text are never read again as
syntax.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Literal, TypeAlias

import attrs

from .exceptions import DefinitionError

_TOKEN = re.compile(
    r"\{\{|\}\}|\{(?P<ref>[a-z0-9_.-]+)(?:\|(?P<mode>label|value))?\}|(?P<stray>[{}])"
)


@attrs.frozen
class Pipe:
    """A placeholder for an earlier answer."""

    ref: str
    mode: Literal["label", "value"] = "label"


Segment: TypeAlias = "str | Pipe"


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> tuple[Segment, ...]:
    """Split ``text`` into literal text and `Pipe` placeholders."""
    segments: list[Segment] = []
    literal: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[position : match.start()])
        position = match.end()
        token = match.group()
        if match.group("stray"):
            raise DefinitionError.single(
                "invalid_text",
                f"A single {token!r} at character {match.start()} is not a placeholder; "
                f"write {token * 2!r} for a literal brace, or {{step}} to show an answer.",
                "text",
            )
        if token in ("{{", "}}"):
            literal.append(token[0])
            continue
        ref = match.group("ref")
        if len(ref.split(".")) > 2 or not all(ref.split(".")):
            raise DefinitionError.single(
                "invalid_ref",
                f"The placeholder {{{ref}}} should name 'step' or 'exercise.step'.",
                "text",
            )
        if literal:
            segments.append("".join(literal))
            literal = []
        segments.append(Pipe(ref, "value" if match.group("mode") == "value" else "label"))
    literal.append(text[position:])
    if "".join(literal):
        segments.append("".join(literal))
    return tuple(segments)


def refs(text: str) -> tuple[str, ...]:
    """Return the refs that ``text`` shows, in order."""
    return tuple(s.ref for s in parse(text) if isinstance(s, Pipe))


def render(text: str, resolve: Callable[[Pipe], str | None]) -> str | None:
    """Fill in ``text``; return None when any placeholder has no answer."""
    out: list[str] = []
    for segment in parse(text):
        if isinstance(segment, str):
            out.append(segment)
            continue
        shown = resolve(segment)
        if shown is None:
            return None
        out.append(shown)
    return "".join(out)
