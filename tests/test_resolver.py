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
