"""Models as people name them: Ollama tags, Hugging Face ids, GGUF repos, free text."""

from __future__ import annotations

import pytest

from bot.fit.errors import UnknownModel
from bot.fit.model_parser import parse_model, split_quant
from tests.fit.conftest import FixtureCatalog


@pytest.mark.parametrize(
    ("text", "model_id", "quant"),
    [
        ("qwen2.5:72b", "qwen2.5-72b", None),
        ("llama3.1:8b-instruct-q4_K_M", "llama3.1-8b", "Q4_K_M"),
        ("llama3.1:8b-instruct-q8_0", "llama3.1-8b", "Q8_0"),
        ("qwen3:30b-a3b", "qwen3-30b-a3b", None),
        ("gpt-oss:20b", "gpt-oss-20b", None),
        ("Qwen/Qwen2.5-72B-Instruct", "qwen2.5-72b", None),
        ("bartowski/Qwen2.5-72B-Instruct-GGUF Q4_K_M", "qwen2.5-72b", "Q4_K_M"),
        ("hf.co/bartowski/Qwen2.5-72B-Instruct-GGUF:Q5_K_M", "qwen2.5-72b", "Q5_K_M"),
        ("llama 3 8b q8", "llama3-8b", "Q8_0"),
        ("llama 3.1 70b q5", "llama3.1-70b", "Q5_K_M"),
        ("llama 3 70b q5", "llama3.1-70b", "Q5_K_M"),
        ("mixtral 8x7b", "mixtral-8x7b", None),
        ("mixtral", "mixtral-8x7b", None),
        ("gemma3:27b", "gemma3-27b", None),
    ],
)
def test_model_spellings(
    catalog: FixtureCatalog, text: str, model_id: str, quant: str | None
) -> None:
    match = parse_model(text, catalog.models)
    assert (match.model.id, match.quant) == (model_id, quant)


def test_exact_tags_are_fully_confident(catalog: FixtureCatalog) -> None:
    assert parse_model("qwen2.5:72b", catalog.models).score == 1.0
    assert parse_model("llama 3 70b", catalog.models).score < 0.9


def test_a_different_version_is_not_silently_swapped(catalog: FixtureCatalog) -> None:
    with pytest.raises(UnknownModel):
        parse_model("llama 3.3 70b", catalog.models)


def test_unknown_model_has_suggestions(catalog: FixtureCatalog) -> None:
    with pytest.raises(UnknownModel) as info:
        parse_model("qwen2.5:14b", catalog.models)
    assert "qwen2.5:7b" in info.value.suggestions or "qwen2.5:72b" in info.value.suggestions
    assert info.value.suggestion_ids


def test_split_quant() -> None:
    assert split_quant("llama3.1:8b-instruct-q4_K_M") == ("llama3.1:8b-instruct", "Q4_K_M")
    assert split_quant("mixtral 8x7b") == ("mixtral 8x7b", None)
