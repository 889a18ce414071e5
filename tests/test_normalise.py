import pytest

from bot.search.normalise import normalise


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("foundation model", "foundation model"),
        ("Foundation models?", "foundation model"),
        ("what's a foundation model?", "foundation model"),
        ("What is an LLM", "llm"),
        ("What does GGUF mean?", "gguf"),
        ("quantisation", "quantization"),
        ("Q4_K_M", "q4 k m"),
        ("llama.cpp", "llama.cpp"),
        ("  KV-Cache!!  ", "kv cache"),
        ("GPUs", "gpu"),
        ("Café", "cafe"),
        ("", ""),
        ("???", ""),
    ],
)
def test_spellings_collapse_to_one_key(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


def test_words_ending_in_s_that_are_not_plurals_are_kept() -> None:
    assert normalise("bias") == "bias"
    assert normalise("process") == "process"
    assert normalise("Ollama running slowly") == "ollama running slowly"
