"""One claim's mentions into comparison data: word-level diffs against a reference, and flags.

Query-time half of the flags: what depends on the chosen reference (word diffs, quote wording).
The flags that hold whatever the reference come from `app.flags`, which alignment stores.

Contract (pure function over plain data; the query layer calls it, pages and the API render it):

    compare_claim(mentions, reference_article_id=None, event_outlets=()) -> dict
    claim_flags(mentions, reference_article_id=None, event_outlets=()) -> list (its flags alone)
    quote_flags(mentions, reference_article_id=None) -> list (the reference-dependent flags)

`mentions`: dicts with `article_id`, `outlet` (name or None), `text` (the exact phrasing), and
optionally `quote`, `speaker`, `numbers` (list of {"value", "unit", "text", "qualifier"?}),
`wire_copy_of_id`. The reference phrasing is the mention of `reference_article_id`, else the first.
`event_outlets`: names of the outlets that covered the event (for "not reported by").

Returns {"reference": {article_id, outlet, text}, "mentions": [...], "flags": [...],
"not_reported_by": [...]}. Each mention carries `ops`, a list of {"op": "equal"|"insert"|"delete"|
"replace", "text": ..., "old": ...} to render as plain text, <ins>text</ins>, <del>text</del> or
<del>old</del><ins>text</ins>; `similarity` (0-100, to the reference), `quote_similarity`
(0-100 or None) and `is_reference`. Flags are {"kind", "detail"} with kind one of
"quote_wording_differs", "figures_differ", "wire_copy", "not_reported_by".
"""

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from app.flags import label, not_reported_by, reference_free_flags
from app.text.normalize import content_tokens, normalize

WORD = re.compile(r"\S+\s*")
# rapidfuzz partial_ratio (0-100) from which two quotes share wording rather than differ.
QUOTE_OVERLAP = 60


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
    """compare_claim's flags alone: the quote wording against the reference, then the flags that
    hold whatever the reference (`app.flags`, stored on the claim by alignment)."""
    return [
        *quote_flags(mentions, reference_article_id),
        *reference_free_flags(mentions, event_outlets),
    ]


def quote_flags(mentions: Sequence[dict], reference_article_id: int | None = None) -> list[dict]:
    """The flags that depend on the reference phrasing: its speaker's words quoted differently."""
    if not mentions:
        return []
    return _quote_flags(_reference(mentions, reference_article_id), mentions)


def _reference(mentions: Sequence[dict], reference_article_id: int | None) -> dict:
    return next((m for m in mentions if m["article_id"] == reference_article_id), mentions[0])


def word_diff(old: str, new: str) -> list[dict]:
    """Word-level edit operations turning `old` into `new` (case and spacing ignored)."""
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    matcher = SequenceMatcher(
        None, [_key(w) for w in old_words], [_key(w) for w in new_words], autojunk=False
    )
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if tag == "equal":
            ops.append({"op": "equal", "text": new_text})
        elif tag == "insert":
            ops.append({"op": "insert", "text": new_text})
        elif tag == "delete":
            ops.append({"op": "delete", "text": old_text})
        else:
            ops.append({"op": "replace", "old": old_text, "text": new_text})
    return ops


def similarity(a: str, b: str) -> float:
    return round(fuzz.ratio(normalize(a), normalize(b)), 1)


def _key(word: str) -> str:
    return word.strip().strip(",.;:!?\"“”‘’'()").lower()


def _compare_one(reference: dict, mention: dict) -> dict:
    quote_similarity = None
    if reference.get("quote") and mention.get("quote"):
        quote_similarity = similarity(reference["quote"], mention["quote"])
    return {
        "article_id": mention["article_id"],
        "outlet": mention.get("outlet"),
        "text": mention["text"],
        "quote": mention.get("quote"),
        "speaker": mention.get("speaker"),
        "is_reference": mention is reference,
        "similarity": similarity(reference["text"], mention["text"]),
        "quote_similarity": quote_similarity,
        "ops": word_diff(reference["text"], mention["text"]),
        "wire_copy_of_id": mention.get("wire_copy_of_id"),
    }


def _quote_flags(reference: dict, mentions: Sequence[dict]) -> list[dict]:
    """The same speaker's words quoted differently: "China-phobia" vs "Sinophobia"."""
    if not reference.get("quote"):
        return []
    differences = []
    for mention in mentions:
        if mention is reference or not mention.get("quote"):
            continue
        if mention.get("speaker") != reference.get("speaker"):
            continue
        if not _same_words_quoted_differently(reference["quote"], mention["quote"]):
            continue
        changed = [
            op for op in word_diff(reference["quote"], mention["quote"]) if op["op"] != "equal"
        ]
        words = "; ".join(_describe(op) for op in changed[:3])
        differences.append(f"{label(mention)}: {words}")
    if not differences:
        return []
    detail = f"{label(reference)} quotes it differently from " + " | ".join(differences)
    return [{"kind": "quote_wording_differs", "detail": detail}]


def _same_words_quoted_differently(a: str, b: str) -> bool:
    """Two renderings of one utterance: not identical, but overlapping in wording. Quotes that
    share no wording are different things the speaker said, not a disagreement."""
    a_normal, b_normal = normalize(a), normalize(b)
    if a_normal == b_normal:
        return False
    if fuzz.partial_ratio(a_normal, b_normal) >= QUOTE_OVERLAP:
        return True
    a_words, b_words = set(content_tokens(a)), set(content_tokens(b))
    shorter = min(len(a_words), len(b_words))
    return shorter > 0 and 2 * len(a_words & b_words) >= shorter


def _describe(op: dict) -> str:
    if op["op"] == "replace":
        return f"“{op['old'].strip()}” → “{op['text'].strip()}”"
    if op["op"] == "insert":
        return f"adds “{op['text'].strip()}”"
    return f"drops “{op['text'].strip()}”"
