"""Turn what people type into a canonical form, so spelling variants land on the same key.

"What's a Foundation Model?", "foundation models" and "FOUNDATION-MODEL" all become
"foundation model". Both the names in the index and the queries go through the same function.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUESTION_PREFIXES = re.compile(
    r"^(?:(?:what|who)(?:'s|s| is| are| does| do)?|define|definition of|meaning of|explain|"
    r"tell me about|how does|what does)\s+(?:an?\s+|the\s+)?",
)
_ARTICLE = re.compile(r"^(?:an?|the)\s+")
_TRAILING_ASK = re.compile(r"\s+(?:mean|means|stand for|stands for)$")

BRITISH_TO_AMERICAN = {
    "quantisation": "quantization",
    "quantise": "quantize",
    "quantised": "quantized",
    "optimisation": "optimization",
    "optimise": "optimize",
    "optimised": "optimized",
    "parallelisation": "parallelization",
    "parallelism": "parallelism",
    "normalisation": "normalization",
    "tokenisation": "tokenization",
    "tokeniser": "tokenizer",
    "tokenise": "tokenize",
    "vectorisation": "vectorization",
    "colour": "color",
    "behaviour": "behavior",
    "recognise": "recognize",
    "initialise": "initialize",
    "utilisation": "utilization",
    "generalisation": "generalization",
    "summarisation": "summarization",
    "licence": "license",
    "centre": "center",
}

# Words whose trailing "s" is not a plural.
_NOT_PLURAL = {
    "is",
    "was",
    "has",
    "does",
    "this",
    "bias",
    "gpus",
    "series",
    "always",
    "less",
    "plus",
    "bus",
    "process",
    "access",
    "address",
    "class",
    "pass",
    "loss",
    "apus",
}


def _singular(word: str) -> str:
    if word in _NOT_PLURAL or len(word) <= 3 or not word.isalpha():
        return {"gpus": "gpu", "apus": "apu"}.get(word, word)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_INNER_PLUS = re.compile(r"(?<=\w)\+(?=\w)")
_PUNCTUATION = re.compile(r"[^\w'\x00\x01]+|_")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case; strip accents, punctuation, question wording and plurals; American spelling."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace("’", "'").replace("‘", "'")
    text = text.lower()
    # Keep "." and "+" between word characters (llama.cpp, qwen2.5, c++); drop other punctuation.
    text = _INNER_PLUS.sub("\x01", _INNER_DOT.sub("\x00", text))
    text = _PUNCTUATION.sub(" ", text)
    text = text.replace("\x00", ".").replace("\x01", "+")
    text = _SPACES.sub(" ", text).strip(" '")
    text = _QUESTION_PREFIXES.sub("", text)
    text = _ARTICLE.sub("", text)
    text = _TRAILING_ASK.sub("", text)
    text = text.replace("'", "")
    words = [BRITISH_TO_AMERICAN.get(w, w) for w in text.split()]
    return " ".join(_singular(w) for w in words)
