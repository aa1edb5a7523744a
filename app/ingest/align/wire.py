"""Aligned groups into wire copies: articles sharing verbatim sentences; independent outlets."""

from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from app.ingest.align.score import Group

WIRE_SIMILARITY = 90.0  # near-verbatim sentences
WIRE_MENTION_SIMILARITY = 80.0  # in wire-related articles: a lightly edited copy of a sentence
WIRE_MIN_SHARED = 3  # near-verbatim sentences two articles share before they count as one wire copy
WIRE_MEMBERS_COMPARED = 12


def wire_pairs(groups: Sequence[Group], linked: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """(earlier, later) article positions that carry the same wire copy.

    `linked` holds pairs already known as copies (Article.copy_of_id); others count when they share
    at least WIRE_MIN_SHARED near-verbatim sentences.
    """
    shared: Counter = Counter()
    for group in groups:
        members = group.members[:WIRE_MEMBERS_COMPARED]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if fuzz.ratio(a.norm, b.norm) >= WIRE_SIMILARITY:
                    shared[tuple(sorted((a.article, b.article)))] += 1
    return set(linked) | {pair for pair, count in shared.items() if count >= WIRE_MIN_SHARED}


def independent_count(outlets: Sequence[object], wire: set[tuple[int, int]], positions) -> int:
    """Outlets reporting a claim once wire copies are collapsed (union-find over articles)."""
    parent = {p: p for p in positions}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for a, b in wire:
        if a in parent and b in parent:
            parent[find(b)] = find(a)
    by_outlet: dict[object, int] = {}
    for position, outlet in zip(positions, outlets, strict=True):
        key = outlet if outlet is not None else ("article", position)
        if key in by_outlet:
            parent[find(position)] = find(by_outlet[key])
        by_outlet[key] = position
    return len({find(p) for p in positions})
