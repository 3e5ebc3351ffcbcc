"""JSON Schemas of the definition format and of saved sessions."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal

__all__ = ["json_schema"]

_NAMES = ("definition", "session")


def json_schema(name: Literal["definition", "session"]) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) for ``"definition"`` or ``"session"``.

    Front ends in other languages can validate definitions and saved sessions
    with it.

    Examples:
        >>> json_schema("session")["title"]
        'rejection_toolkit saved session'
    """
    if name not in _NAMES:
        raise ValueError(f"There is no schema {name!r}; choose 'definition' or 'session'.")
    text = resources.files(__package__).joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
