from bot.search.resolver import ANSWER_THRESHOLD, Resolver

ENTRIES = [
    ("foundation-model", "Foundation model", "glossary", ["Foundation model", "FM"]),
    ("fine-tuning", "Fine-tuning", "glossary", ["Fine-tuning", "finetune"]),
    ("kv-cache", "KV cache", "glossary", ["KV cache", "key-value cache"]),
    ("gguf", "GGUF", "glossary", ["GGUF"]),
]


def resolver() -> Resolver:
    return Resolver.build(ENTRIES)


def test_exact_names_and_aliases_are_certain() -> None:
    for typed in ("foundation model", "Foundation models", "what's a foundation model?", "FM"):
        match = resolver().resolve(typed)
        assert match.best is not None
        assert match.best.entry_id == "foundation-model"
        assert match.best.score == 1.0


def test_a_typo_still_resolves_confidently() -> None:
    match = resolver().resolve("fundation model")
    assert match.confident
    assert match.best is not None
    assert match.best.entry_id == "foundation-model"
    assert ANSWER_THRESHOLD <= match.best.score < 1.0


def test_gibberish_is_not_answered() -> None:
    match = resolver().resolve("zzzz")
    assert not match.confident


def test_a_prefix_is_suggested_but_not_answered() -> None:
    match = resolver().resolve("kv")
    assert not match.confident
    assert [s.entry_id for s in match.suggestions] == ["kv-cache"]


def test_empty_query_matches_nothing() -> None:
    match = resolver().resolve("   ")
    assert match.best is None
    assert match.suggestions == []


def test_complete_puts_prefix_matches_first_and_caps_the_list() -> None:
    entries = [(f"t{i}", f"Term {i}", "glossary", [f"Term {i}"]) for i in range(60)]
    completions = Resolver.build(entries).complete("term 1", limit=25)
    assert len(completions) <= 25
    assert completions[0].title == "Term 1"
    assert all(c.title.startswith("Term 1") for c in completions[:11])


def test_complete_with_nothing_typed_lists_entries_alphabetically() -> None:
    titles = [c.title for c in resolver().complete("")]
    assert titles == sorted(titles, key=str.lower)


def catalog_resolver() -> Resolver:
    return Resolver.build(
        [
            ("gtx-1080-ti", "GeForce GTX 1080 Ti", "hardware", ["GeForce GTX 1080 Ti", "1080 ti"]),
            ("rtx-3080", "GeForce RTX 3080", "hardware", ["GeForce RTX 3080", "3080"]),
            ("qwen2.5-7b", "Qwen2.5 7B", "model", ["qwen2.5:7b"]),
        ],
        strict_numbers=True,
    )


def test_a_different_model_number_is_suggested_but_never_answered() -> None:
    match = catalog_resolver().resolve("3080 ti")
    assert not match.confident
    assert "rtx-3080" in [s.entry_id for s in match.suggestions[:2]] + [match.best.entry_id]


def test_a_different_size_is_not_taken_for_the_asked_one() -> None:
    assert not catalog_resolver().resolve("qwen2.5:72b").confident
    assert catalog_resolver().resolve("qwen2.5:7b").confident


def test_without_strict_numbers_close_numbers_still_match() -> None:
    loose = Resolver.build([("gtx-1080-ti", "GTX 1080 Ti", "hardware", ["GTX 1080 Ti"])])
    assert loose.resolve("gtx 1080ti").confident


def test_a_name_covering_more_of_the_question_beats_a_short_name_inside_it() -> None:
    both = Resolver.build(
        [
            ("llama-cpp", "llama.cpp", "glossary", ["llama.cpp", "llama cpp"]),
            (
                "llama-cpp-python-build-failed",
                "Failed building wheel for llama-cpp-python",
                "error",
                ["pip install llama-cpp-python error"],
            ),
        ]
    )
    best = both.resolve("pip install llama-cpp-python failed").best
    assert best is not None and best.entry_id == "llama-cpp-python-build-failed"
    # Alone, the short name still answers.
    assert both.resolve("llama.cpp").best.entry_id == "llama-cpp"  # type: ignore[union-attr]


def test_complete_still_finds_a_misspelt_name_after_three_letters() -> None:
    ids = [s.entry_id for s in resolver().complete("fundation mod")]
    assert ids[:1] == ["foundation-model"]
    ids = [s.entry_id for s in resolver().complete("cache kv")]  # words in another order
    assert "kv-cache" in ids
