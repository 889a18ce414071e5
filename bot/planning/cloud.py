"""Which cloud prices a local model is compared with, from `catalog/cloud/`."""

from __future__ import annotations

from collections.abc import Iterable

from bot.planning.words import per_mtok
from bot.schema.catalog import CloudPrice
from bot.schema.planning import CloudQuote

MAX_QUOTES = 4


def quotes_for(model_id: str, cloud: Iterable[CloudPrice]) -> list[CloudQuote]:
    """Cloud prices for this model: endpoints serving the same weights first, then models an
    editor judged comparable; cheapest output price first within each group."""
    same = [c for c in cloud if model_id in c.same_weights_as]
    similar = [c for c in cloud if model_id in c.comparable_to and c not in same]
    quotes = []
    for group, match in ((same, "same_weights"), (similar, "comparable")):
        for c in sorted(group, key=lambda c: (c.output_usd_per_mtok, c.provider)):
            quotes.append(
                CloudQuote(
                    cloud_id=c.id,
                    provider=c.provider,
                    model_name=c.model_name,
                    input_usd_per_mtok=c.input_usd_per_mtok,
                    output_usd_per_mtok=c.output_usd_per_mtok,
                    as_of=c.as_of,
                    match=match,  # type: ignore[arg-type]
                    source=c.sources[0],
                )
            )
    return quotes[:MAX_QUOTES]


def reference_quote(quotes: list[CloudQuote]) -> CloudQuote | None:
    """The quote the break-even uses: the cheapest like-for-like one if any, else the cheapest
    comparable one. The cheapest is the hardest for home hardware to beat, so the break-even is
    never flattered."""
    same = [q for q in quotes if q.match == "same_weights"]
    pool = same or quotes
    return min(pool, key=lambda q: q.output_usd_per_mtok) if pool else None


def quote_line(quote: CloudQuote) -> str:
    """ "Groq llama-3.3-70b-versatile: $0.59 in / $0.79 out per 1M tokens (2026-11-22, same
    weights; Source)"."""
    match = "same weights" if quote.match == "same_weights" else "a comparable model, not the same"
    return (
        f"{quote.provider} `{quote.model_name}`: {per_mtok(quote.input_usd_per_mtok)} in / "
        f"{per_mtok(quote.output_usd_per_mtok)} out per 1M tokens (read {quote.as_of.isoformat()}; "
        f"{match}; {quote.source.title})"
    )
