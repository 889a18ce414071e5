"""Errors a user can cause: the handler turns each into an answer with suggestions."""

from __future__ import annotations


class FitInputError(ValueError):
    """Base for questions the engine cannot read; carries "did you mean" suggestions."""

    def __init__(
        self,
        text: str,
        message: str,
        suggestions: list[str] | None = None,
        suggestion_ids: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.text = text
        self.message = message
        self.suggestions = suggestions or []
        """What to show ("qwen2.5:72b"), best first."""
        self.suggestion_ids = suggestion_ids or []
        """Catalog ids of the suggestions, same order (empty for free-form hints)."""


class UnknownModel(FitInputError):
    """The model text matches no catalog model."""


class UnreadableHardware(FitInputError):
    """The hardware text names nothing the catalog knows, or cannot be parsed."""


class UnknownQuant(FitInputError):
    """The quantization is not one llama.cpp publishes."""
