"""One claim's mentions into comparison data against a chosen reference: diffs, similarity, flags.

Query-time half of the comparison: what depends on the reader's chosen reference phrasing (word
diffs, one similarity figure, the same-words state, the quote flag worded against it). The flags
that hold whatever the reference come from `app.flags`, which alignment stores.

Contract (pure function over plain data; the query layer calls it, pages and the API render it):

    compare_claim(mentions, reference_article_id=None, event_outlets=()) -> dict
    claim_flags(mentions, reference_article_id=None, event_outlets=()) -> list (its flags alone)
    with_reference(stored_flags, mentions, reference_article_id=None) -> list

`mentions`: dicts with `article_id`, `outlet` (name or None), `text` (the exact phrasing), and
optionally `quote`, `speaker`, `numbers` (list of {"value", "unit", "text", "qualifier"?}),
`wire_copy_of_id`. The reference phrasing is the mention of `reference_article_id`, else the first.
`event_outlets`: names of the outlets that covered the event (for "not reported by").

Returns {"reference": {article_id, outlet, text}, "mentions": [...], "flags": [...],
"not_reported_by": [...]}. Each mention carries `ops`: the word changes from the reference, a list
of {"op": "equal"|"insert"|"delete"|"replace", "text": ..., "old": ...} to render as plain text,
<ins>text</ins>, <del>text</del> or <del>old</del><ins>text</ins> (typography ignored, changes
grouped into phrases). When both phrasings quote someone, `quote_ops` diffs the quoted words alone
and `ops` the attribution around them (the quotation marked by one "…"). `same_words` says the
words are the reference's; `similarity` (0-100) is the one figure against the reference.
Flags are {"kind", "detail"} (`app.flags`).
"""

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from app.flags import QUOTE_WORDING, not_reported_by, quote_wording_flags, reference_free_flags
from app.text.diff import same_words, typography, word_diff
from app.text.normalize import normalize

QUOTE_PLACEHOLDER = "…"


def compare_claim(
    mentions: Sequence[dict],
    reference_article_id: int | None = None,
    event_outlets: Iterable[str] = (),
) -> dict:
    if not mentions:
        return {"reference": None, "mentions": [], "flags": [], "not_reported_by": []}
    reference = _reference(mentions, reference_article_id)
    return {
        "reference": {
            "article_id": reference["article_id"],
            "outlet": reference.get("outlet"),
            "text": reference["text"],
        },
        "mentions": [_compare_one(reference, mention) for mention in mentions],
        "flags": claim_flags(mentions, reference_article_id, event_outlets),
        "not_reported_by": not_reported_by(mentions, event_outlets),
    }


def claim_flags(
    mentions: Sequence[dict],
    reference_article_id: int | None = None,
    event_outlets: Iterable[str] = (),
) -> list[dict]:
    """compare_claim's flags alone: the reference-free flags, the quote flag told against the
    chosen reference."""
    return with_reference(
        reference_free_flags(mentions, event_outlets), mentions, reference_article_id
    )


def with_reference(
    stored_flags: Sequence[dict], mentions: Sequence[dict], reference_article_id: int | None = None
) -> list[dict]:
    """Stored flags with the quote-wording one told against the chosen reference phrasing (kept
    as stored when the reference quotes nobody)."""
    if not mentions:
        return list(stored_flags)
    told = quote_wording_flags(mentions, _reference(mentions, reference_article_id))
    if not told:
        return list(stored_flags)
    flags = [flag for flag in stored_flags if flag["kind"] != QUOTE_WORDING]
    return [*told, *flags]


def _reference(mentions: Sequence[dict], reference_article_id: int | None) -> dict:
    return next((m for m in mentions if m["article_id"] == reference_article_id), mentions[0])


def similarity(a: str, b: str) -> float:
    return round(fuzz.ratio(normalize(a), normalize(b)), 1)


def _compare_one(reference: dict, mention: dict) -> dict:
    is_reference = mention is reference
    both_quote = bool(reference.get("quote") and mention.get("quote"))
    if both_quote:
        ops = word_diff(_frame(reference), _frame(mention))
        quote_ops = word_diff(reference["quote"], mention["quote"])
    else:
        ops, quote_ops = word_diff(reference["text"], mention["text"]), None
    return {
        "article_id": mention["article_id"],
        "outlet": mention.get("outlet"),
        "text": mention["text"],
        "quote": mention.get("quote"),
        "speaker": mention.get("speaker"),
        "is_reference": is_reference,
        "same_words": is_reference or same_words(reference["text"], mention["text"]),
        "quote_same_words": both_quote and same_words(reference["quote"], mention["quote"]),
        "similarity": similarity(reference["text"], mention["text"]),
        "ops": ops,
        "quote_ops": quote_ops,
        "wire_copy_of_id": mention.get("wire_copy_of_id"),
    }


def _frame(mention: dict) -> str:
    """The phrasing with its quotation replaced by one "…": the attribution around it."""
    text, quote = typography(mention["text"]), typography(mention["quote"])
    for part in quote.split(" … "):
        text = text.replace(part, QUOTE_PLACEHOLDER, 1) if part else text
    return text
