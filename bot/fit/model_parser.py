"""Read a model as people name it: Ollama tags, Hugging Face ids, GGUF repos, free text.

`llama3.1:8b-instruct-q4_K_M`, `Qwen/Qwen2.5-72B-Instruct`, `bartowski/Qwen2.5-72B-Instruct-GGUF
Q4_K_M`, `llama 3 70b q5`, `mixtral 8x7b`: a quantization word anywhere is taken out first, then
the rest is matched against every name the catalog gives a model (tags, ids, repos, aliases),
exactly if possible, else by its words, else by similarity with the size required to agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.fuzz import WRatio

from bot.fit.errors import UnknownModel
from bot.fit.index_cache import IdentityCache
from bot.fit.quant import normalize_quant
from bot.schema.catalog import ModelEntry

_QUANT_IN_TEXT = re.compile(
    r"(?:^|[\s:_\-/])((?:iq[1-4]_(?:xxs|xs|s|m|nl))|(?:q[2-8]_k(?:_[sml])?)|(?:q[4-8]_[01])"
    r"|(?:q[2-8])|fp16|f16|bf16|fp32|f32|mxfp4|[48]\s?bit)(?=$|[\s\-_.:])",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\b(instruct|chat|it|gguf|hf|latest|text|model|the|at)\b")


def _norm(text: str) -> str:
    t = text.lower().strip()
    t = re.sub(r"^(?:https?://)?(?:hf\.co|huggingface\.co)/", "", t)
    t = re.sub(r"\.gguf$", "", t)
    t = t.replace("_", " ").replace(":", " ").replace("/", " ").replace("-", " ")
    # "llama3.1" -> "llama 3.1", "qwen2.5" -> "qwen 2.5" (but keep "8x7b", "a3b", "r1")
    t = re.sub(r"\b([a-z]{3,})(\d+(?:\.\d+)?)\b", r"\1 \2", t)
    t = _NOISE.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip()


def split_quant(text: str) -> tuple[str, str | None]:
    """The text without its quantization word, and that quantization (llama.cpp spelling)."""
    for match in reversed(list(_QUANT_IN_TEXT.finditer(text))):
        quant = normalize_quant(match[1].replace(" ", ""))
        if quant:
            rest = (text[: match.start(1)] + text[match.end(1) :]).strip(" -_:")
            return rest, quant
    return text, None


@dataclass(frozen=True, slots=True)
class ModelIndex:
    exact: dict[str, ModelEntry]
    token_keys: tuple[tuple[frozenset[str], ModelEntry], ...]
    choices: tuple[str, ...]
    choice_models: tuple[ModelEntry, ...]
    families: dict[str, tuple[ModelEntry, ...]]


def _size_tokens(tokens: frozenset[str]) -> set[str]:
    return {
        t
        for t in tokens
        if re.fullmatch(r"(?:\d+x)?\d+(?:\.\d+)?[bm]|a\d+(?:\.\d+)?b|mini|medium|small", t)
    }


def build_model_index(models: Sequence[ModelEntry]) -> ModelIndex:
    """Index every name of every model, exact and by words."""
    exact: dict[str, ModelEntry] = {}
    keys = []
    choices, choice_models = [], []
    families: dict[str, list[ModelEntry]] = {}
    for m in models:
        families.setdefault(m.family, []).append(m)
        names = [*m.names, m.id]
        for name in names:
            exact.setdefault(name.lower().strip(), m)
            n = _norm(name)
            exact.setdefault(n, m)
            keys.append((frozenset(n.split()), m))
        for name in [m.name, *m.ollama_tags, *m.aliases]:
            choices.append(name)
            choice_models.append(m)
    return ModelIndex(
        exact=exact,
        token_keys=tuple(keys),
        choices=tuple(choices),
        choice_models=tuple(choice_models),
        families={k: tuple(v) for k, v in families.items()},
    )


_INDEXES: IdentityCache[ModelEntry, ModelIndex] = IdentityCache(build_model_index)


def model_index(models: Sequence[ModelEntry]) -> ModelIndex:
    """The index for these models, built once per catalog snapshot."""
    return _INDEXES.get(models)


def model_family(
    model: ModelEntry, models: Sequence[ModelEntry] | Mapping[str, ModelEntry]
) -> tuple[ModelEntry, ...]:
    """Every catalog model of `model`'s family (its other sizes), from the cached index."""
    index = model_index(list(models.values()) if isinstance(models, Mapping) else models)
    return index.families.get(model.family, (model,))


def _family_default(index: ModelIndex, family: str) -> ModelEntry | None:
    members = index.families.get(family)
    if not members:
        return None
    if len(members) == 1:
        return members[0]
    for m in members:
        if f"{family}:latest" in m.ollama_tags or family in m.ollama_tags:
            return m
    return None


def _by_tokens(index: ModelIndex, words: frozenset[str]) -> ModelEntry | None:
    best: tuple[tuple[int, float, str], ModelEntry] | None = None
    for key, m in index.token_keys:
        if words <= key:
            # With no size given, the smallest member first: the one most people can run.
            score = (len(key - words), m.params_b, m.id)
            if best is None or score < best[0]:
                best = (score, m)
    return best[1] if best else None


def _suggest(index: ModelIndex, text: str, limit: int = 3) -> tuple[list[str], list[str]]:
    """Up to `limit` close models: labels to show (their first Ollama tag) and their ids."""
    found = process.extract(text, index.choices, scorer=WRatio, limit=12, score_cutoff=50)
    labels: list[str] = []
    ids: list[str] = []
    for _choice, _score, i in found:
        m = index.choice_models[i]
        if m.id not in ids:
            ids.append(m.id)
            labels.append(m.ollama_tags[0] if m.ollama_tags else m.name)
    return labels[:limit], ids[:limit]


def names_cover(model: ModelEntry, text: str) -> bool:
    """True when every word of `text` is a word of one of the model's names ("3" in "dolphin 3")."""
    words = set(_norm(" ".join([*model.names, model.id])).split())
    return set(_norm(text).split()) <= words


@dataclass(frozen=True, slots=True)
class ModelMatch:
    """The model a text names, the quantization in it, and how sure the match is (0-1)."""

    model: ModelEntry
    quant: str | None
    score: float


def _versions_agree(ours: frozenset[str], theirs: frozenset[str]) -> bool:
    """Every version number the user wrote is one of the model's ("3" may mean "3.1", but
    "3.3" never means "3.1")."""
    for v in (t for t in ours if re.fullmatch(r"\d+(?:\.\d+)?", t)):
        if v in theirs:
            continue
        if "." in v or not any(t.startswith(v + ".") for t in theirs):
            return False
    return True


def parse_model(text: str, models: Sequence[ModelEntry] | Mapping[str, ModelEntry]) -> ModelMatch:
    """The catalog model `text` names and the quantization in it (None if it names none).

    Raises `UnknownModel` with suggestions when nothing matches well enough.
    """
    index = model_index(list(models.values()) if isinstance(models, Mapping) else models)
    raw = text.strip()
    if not raw:
        raise UnknownModel(text, "No model given.")
    rest, quant = split_quant(raw)
    for candidate in (raw.lower(), rest.lower(), _norm(rest)):
        if candidate in index.exact:
            return ModelMatch(index.exact[candidate], quant, 1.0)
    norm = _norm(rest)
    words = frozenset(norm.split())
    if not words:
        raise UnknownModel(text, "No model name given.", *_suggest(index, raw))
    family = rest.split(":", 1)[0].strip().lower()
    if (len(words) == 1 or rest.lower().endswith(":latest")) and (
        m := _family_default(index, family)
    ):
        return ModelMatch(m, quant, 0.9)
    found = _by_tokens(index, words)
    if found:
        return ModelMatch(found, quant, 0.95)
    # Similar name with the same size: "llama 3 70b" -> Llama 3.1 70B, shown in `understood`.
    sizes = _size_tokens(words)
    if sizes:
        hits = process.extract(norm, index.choices, scorer=WRatio, limit=20, score_cutoff=70)
        for _choice, _score, i in hits:
            m = index.choice_models[i]
            theirs = frozenset(_norm(" ".join([*m.names, m.id])).split())
            if sizes <= _size_tokens(theirs) and _versions_agree(words, theirs):
                return ModelMatch(m, quant, 0.75)
    raise UnknownModel(text, f"I don't know the model {raw!r}.", *_suggest(index, raw))
