"""A claim's mentions into the flags that hold whatever phrasing is the reference.

Figures that disagree, quotations attributed to different people, wire copies and outlets that
covered the event but not the claim are facts of the whole set of mentions: alignment stores them
on the claim once, and the grid and the comparison panel read them from there. Flags that depend on
the chosen reference phrasing (quote wording) are computed at query time by `app.compare`.

`mentions` are dicts as `app.compare` documents them (`article_id`, `outlet`, `numbers`,
`wire_copy_of_id`, ...); flags are {"kind", "detail"}.
"""

from collections.abc import Iterable, Sequence


def reference_free_flags(mentions: Sequence[dict], event_outlets: Iterable[str] = ()) -> list[dict]:
    """Figures differ, attribution differs, wire copy and not reported by, in that order."""
    if not mentions:
        return []
    flags = [*_figure_flags(mentions), *attribution_flags(mentions), *_wire_flags(mentions)]
    not_reported = not_reported_by(mentions, event_outlets)
    if not_reported:
        flags.append({"kind": "not_reported_by", "detail": ", ".join(not_reported)})
    return flags


def not_reported_by(mentions: Sequence[dict], event_outlets: Iterable[str]) -> list[str]:
    reported = {m.get("outlet") for m in mentions}
    return sorted(set(event_outlets) - reported)


def label(mention: dict) -> str:
    return mention.get("outlet") or f"article {mention['article_id']}"


def _figure_flags(mentions: Sequence[dict]) -> list[dict]:
    """Figures with the same unit that disagree: "five hours" vs "more than five hours"."""
    by_unit: dict[str, dict[str, set[str]]] = {}
    for mention in mentions:
        for number in mention.get("numbers") or ():
            unit = _unit(number)
            if not unit:
                continue
            reading = f"{number.get('qualifier', '')} {number['value']:g}".strip()
            by_unit.setdefault(unit, {}).setdefault(reading, set()).add(label(mention))
    flags = []
    for unit, readings in sorted(by_unit.items()):
        if len(readings) > 1:
            detail = "; ".join(
                f"{', '.join(sorted(outlets))}: {reading} {unit}"
                for reading, outlets in sorted(readings.items())
            )
            flags.append({"kind": "figures_differ", "detail": detail})
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
    by_id = {m["article_id"]: m for m in mentions}
    pairs = sorted(
        {
            f"{label(m)} repeats {label(by_id[m['wire_copy_of_id']])}"
            for m in mentions
            if m.get("wire_copy_of_id") in by_id
        }
    )
    if not pairs:
        return []
    return [{"kind": "wire_copy", "detail": "same wire copy: " + "; ".join(pairs)}]
