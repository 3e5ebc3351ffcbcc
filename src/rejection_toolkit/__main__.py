"""``python -m rejection_toolkit``: the same as the ``rejection-toolkit`` command."""

from ._cli import run

run()
