"""Identifiers: the one rule every id in a definition follows."""

from __future__ import annotations

import re

from .exceptions import DefinitionError

ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
ID_RULE = (
    "use 1 to 64 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit"
)


def check_id(value: object, what: str) -> None:
    """Raise `DefinitionError` unless ``value`` is a valid id.

    The message names what the id belongs to but, since ids are author
    content rather than answers, may quote it.
    """
    if not isinstance(value, str):
        raise DefinitionError.single(
            "invalid_id", f"The {what} id must be a string; {ID_RULE}.", "id"
        )
    if not ID_PATTERN.fullmatch(value):
        raise DefinitionError.single(
            "invalid_id", f"The {what} id {value!r} is not valid; {ID_RULE}.", "id"
        )
