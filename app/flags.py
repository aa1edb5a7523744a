"""A claim's mentions into the flags that hold whatever phrasing is the reference.

Figures that disagree, quotes worded differently, quotations attributed to different people, wire
copies and outlets that covered the event but not the claim are facts of the whole set of mentions:
alignment stores them on the claim once, and the grid, the event header and the comparison panel
read them from there. The panel words the quote flag against the reader's chosen reference
(`app.compare`), with the same sentences.

`mentions` are dicts as `app.compare` documents them (`article_id`, `outlet`, `quote`, `speaker`,
`numbers`, `wire_copy_of_id`, ...); flags are {"kind", "detail"}, the detail a sentence that says
who has what.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from app.text.diff import same_words, word_diff
from app.text.normalize import content_tokens, normalize

QUOTE_WORDING = "quote_wording_differs"
# rapidfuzz partial_ratio (0-100) from which two quotes share wording rather than differ.
QUOTE_OVERLAP = 60
CHANGES_SHOWN = 3
# Alignment re-describes a claim each time an article joins it, comparing every member's quote with
# the reference again: the comparisons are pure functions of the two quotes, kept for the claims of
# recently grown events.
QUOTE_COMPARISONS_KEPT = 50_000


def reference_free_flags(mentions: Sequence[dict], event_outlets: Iterable[str] = ()) -> list[dict]:
    """Quote wording differs, figures differ, attribution differs, wire copy and not reported by,
    in that order."""
    if not mentions:
        return []
    flags = [
        *quote_wording_flags(mentions),
        *_figure_flags(mentions),
        *attribution_flags(mentions),
        *_wire_flags(mentions),
    ]
    return flags + not_reported_flags(mentions, event_outlets)


def not_reported_flags(mentions: Sequence[dict], event_outlets: Iterable[str]) -> list[dict]:
    """The flag naming the outlets that covered the event but not the claim (none if all did)."""
    not_reported = not_reported_by(mentions, event_outlets)
    if not not_reported:
        return []
    return [{"kind": "not_reported_by", "detail": f"Not reported by {_and_list(not_reported)}"}]


def not_reported_by(mentions: Sequence[dict], event_outlets: Iterable[str]) -> list[str]:
    reported = {m.get("outlet") for m in mentions}
    return sorted(set(event_outlets) - reported)


def label(mention: dict) -> str:
    return mention.get("outlet") or f"article {mention['article_id']}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# --- quote wording ------------------------------------------------------------------------------


def quote_wording_flags(mentions: Sequence[dict], reference: dict | None = None) -> list[dict]:
    """The same speaker's words quoted in different wording by two outlets (typography aside):
    "Reuters' quote adds ‘…’, absent from The Guardian". Each difference is told against
    `reference` (the reader's chosen phrasing), else against the wording most outlets quote."""
    quoted = [m for m in mentions if m.get("quote")]
    if reference is None:
        reference = _most_quoted(quoted)
    if reference is None or not reference.get("quote"):
        return []
    sentences = []
    for mention in quoted:
        if mention is reference or mention.get("speaker") != reference.get("speaker"):
            continue
        if quoted_differently(reference["quote"], mention["quote"]):
            sentences.extend(_quote_changes(reference, mention))
    if not sentences:
        return []
    return [{"kind": QUOTE_WORDING, "detail": "; ".join(dict.fromkeys(sentences))}]


@lru_cache(maxsize=QUOTE_COMPARISONS_KEPT)
def quoted_differently(a: str, b: str) -> bool:
    """Two renderings of one utterance: not the same words, but overlapping in wording. Quotes
    that share no wording are different things the speaker said, not a disagreement."""
    if same_words(a, b):
        return False
    a_normal, b_normal = normalize(a), normalize(b)
    if fuzz.partial_ratio(a_normal, b_normal) >= QUOTE_OVERLAP:
        return True
    a_words, b_words = set(content_tokens(a)), set(content_tokens(b))
    shorter = min(len(a_words), len(b_words))
    return shorter > 0 and 2 * len(a_words & b_words) >= shorter


def _most_quoted(quoted: Sequence[dict]) -> dict | None:
    """The mention whose quote wording most outlets share (ties: the first listed)."""
    if not quoted:
        return None
    shared = Counter(_wording(m["quote"]) for m in quoted)
    return max(quoted, key=lambda m: shared[_wording(m["quote"])])


@lru_cache(maxsize=QUOTE_COMPARISONS_KEPT)
def _wording(quote: str) -> str:
    return " ".join(normalize(quote).split())


def _quote_changes(reference: dict, mention: dict) -> list[str]:
    return [
        _quote_change(reference, mention, op)
        for op in _changed_words(reference["quote"], mention["quote"])
    ]


@lru_cache(maxsize=QUOTE_COMPARISONS_KEPT)
def _changed_words(reference: str, quote: str) -> tuple[dict, ...]:
    """The first changes of the quote's words against the reference's (callers only read them)."""
    changed = [op for op in word_diff(reference, quote) if op["op"] != "equal"]
    return tuple(changed[:CHANGES_SHOWN])


def _quote_change(reference: dict, mention: dict, op: dict) -> str:
    ours, theirs = label(mention), label(reference)
    if op["op"] == "insert":
        return f"{possessive(ours)} quote adds ‘{op['text'].strip()}’, absent from {theirs}"
    if op["op"] == "delete":
        return f"{possessive(theirs)} quote has ‘{op['text'].strip()}’, absent from {ours}"
    return (
        f"{possessive(ours)} quote has ‘{op['text'].strip()}’ where {theirs} has "
        f"‘{op['old'].strip()}’"
    )


# --- figures and wire copy ----------------------------------------------------------------------


def _figure_flags(mentions: Sequence[dict]) -> list[dict]:
    """Figures with the same unit that disagree: "five hours" vs "more than five hours"."""
    by_unit: dict[str, dict[str, dict]] = {}
    for mention in mentions:
        for number in mention.get("numbers") or ():
            unit = _unit(number)
            if not unit:
                continue
            reading = f"{number.get('qualifier', '')} {number['value']:g}".strip()
            entry = by_unit.setdefault(unit, {}).setdefault(
                reading, {"text": number.get("text") or reading, "outlets": set()}
            )
            entry["outlets"].add(label(mention))
    flags = []
    for _unit_name, readings in sorted(by_unit.items()):
        if len(readings) > 1:
            detail = "; ".join(
                f"{_and_list(sorted(entry['outlets']))}: “{entry['text']}”"
                for _reading, entry in sorted(readings.items())
            )
            flags.append({"kind": "figures_differ", "detail": f"Figures differ: {detail}"})
    return flags


def attribution_flags(mentions: Sequence[dict]) -> list[dict]:
    """Outlets that put the claim's quotation in different named speakers' mouths:
    "The Guardian says Ben Crump, Reuters says Donald Trump". Names of one person ("DeGeneres",
    "Comedian Ellen DeGeneres") count as the longest of them."""
    speakers = {m["speaker"] for m in mentions if m.get("quote") and m.get("speaker")}
    outlets_by_speaker: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.get("quote") and mention.get("speaker"):
            speaker = _fullest_name(mention["speaker"], speakers)
            outlets_by_speaker.setdefault(speaker, set()).add(label(mention))
    outlets = set().union(*outlets_by_speaker.values()) if outlets_by_speaker else set()
    if len(outlets_by_speaker) < 2 or len(outlets) < 2:
        return []
    detail = ", ".join(
        f"{' and '.join(sorted(names))} {'says' if len(names) == 1 else 'say'} {speaker}"
        for speaker, names in sorted(outlets_by_speaker.items(), key=lambda s: sorted(s[1]))
    )
    return [{"kind": "attribution_differs", "detail": detail}]


def _fullest_name(name: str, names: Iterable[str]) -> str:
    """The longest of `names` holding every word of `name` (itself if none is longer)."""
    words = set(name.casefold().split())
    holding = [other for other in names if words <= set(other.casefold().split())]
    return max(holding, key=lambda other: (len(other.split()), other))


def _unit(number: dict) -> str:
    unit = (number.get("unit") or "").lower()
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit


def _wire_flags(mentions: Sequence[dict]) -> list[dict]:
    """Outlets whose sentence is the same agency text: "NPR and The Guardian carry the same
    wire text" (neither copied the other: both ran the wire)."""
    by_id = {m["article_id"]: m for m in mentions}
    groups: dict[int, set[str]] = {}
    for mention in mentions:
        source = mention.get("wire_copy_of_id")
        if source not in by_id:
            continue
        root = _wire_root(source, by_id)
        groups.setdefault(root, {label(by_id[root])}).add(label(mention))
    return [
        {"kind": "wire_copy", "detail": f"{_and_list(sorted(outlets))} carry the same wire text"}
        for outlets in sorted(groups.values(), key=sorted)
        if len(outlets) > 1
    ]


def _wire_root(article_id: int, by_id: dict[int, dict]) -> int:
    seen = {article_id}
    while (source := by_id[article_id].get("wire_copy_of_id")) in by_id and source not in seen:
        seen.add(source)
        article_id = source
    return article_id


def _and_list(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
