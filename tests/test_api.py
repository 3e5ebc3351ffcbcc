"""The public API: explicit, sorted, documented, with one public home per name."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

import rejection_toolkit
from rejection_toolkit import exceptions

DOCS = Path(__file__).parent.parent / "docs"


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and lists exactly the public names the package defines."""
    names = rejection_toolkit.__all__
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        getattr(rejection_toolkit, name)  # every name resolves (most on first use)
    public = {n for n in dir(rejection_toolkit) if not n.startswith("_")}
    public -= {"annotations", "Any", "TYPE_CHECKING", "importlib"}
    assert public == set(names)


@pytest.mark.parametrize("name", rejection_toolkit.__all__)
def test_one_public_location(name: str) -> None:
    """Each public object is defined in a private module and exposed only at the top."""
    obj = getattr(rejection_toolkit, name)
    if inspect.ismodule(obj):
        assert obj is exceptions
        return
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):  # a constant such as LETTERS
        homes = [
            module_name
            for module_name, module in sys.modules.items()
            if module_name.startswith("rejection_toolkit._") and getattr(module, name, None) is obj
        ]
        assert homes, f"{name} is not defined in a private module"
        return
    module = getattr(obj, "__module__", None) or type(obj).__module__
    assert module.startswith("rejection_toolkit._"), module


@pytest.mark.parametrize("name", rejection_toolkit.__all__)
def test_documented(name: str) -> None:
    """Every public name appears in the API reference."""
    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    assert f"rejection_toolkit.{name}" in reference or f"`{name}`" in reference


def test_exceptions_module() -> None:
    """Every exception derives from the base and says when it is raised."""
    for name in exceptions.__all__:
        obj = getattr(exceptions, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, exceptions.RejectionToolkitError)
            assert obj.__doc__
            assert obj.__doc__.startswith("Raised ")


def test_version_is_read_lazily() -> None:
    """__version__ comes from the package metadata."""
    from importlib.metadata import version

    assert rejection_toolkit.__version__ == version("rejection-toolkit")
    with pytest.raises(AttributeError):
        rejection_toolkit.no_such_name  # noqa: B018


def test_import_is_light() -> None:
    """Importing the package compiles no templates and reads no catalog."""
    import subprocess
    import sys

    code = (
        "import sys, rejection_toolkit; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'jinja2', 'tomllib', 'jsonschema'}"
        " or m.startswith('rejection_toolkit._')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # and the first real use loads what it needs, still without templates or the catalog
    code = (
        "import sys; from rejection_toolkit import Session, Exercise, Prompt; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'jinja2', 'tomllib'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
