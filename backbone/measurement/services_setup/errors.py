"""The error every set-up service raises, and how a checker's problems become one: shared by
the indicator, dimension, period and target services."""

from __future__ import annotations

from collections.abc import Mapping


class SetupError(Exception):
    """A change the measurement set-up refuses. `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def raise_first(problems: Mapping[str, str]) -> None:
    if problems:
        name, message = next(iter(problems.items()))
        raise SetupError(message, None if name == "__all__" else name)
