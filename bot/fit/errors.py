"""Errors a user can cause: the handler turns each into an answer with suggestions."""

from __future__ import annotations


class FitInputError(ValueError):
    """Base for questions the engine cannot read; carries "did you mean" suggestions."""

    def __init__(self, text: str, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.message = message
        self.suggestions = suggestions or []


class UnknownModel(FitInputError):  # noqa: N818 (the name STYLE.md uses)
    """The model text matches no catalog model."""


class UnreadableHardware(FitInputError):  # noqa: N818
    """The hardware text names nothing the catalog knows, or cannot be parsed."""


class UnknownQuant(FitInputError):  # noqa: N818
    """The quantization is not one llama.cpp publishes."""
