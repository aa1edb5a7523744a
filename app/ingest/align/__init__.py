"""An event's mentions into claims: verbatim quotations first, then blocked, scored pairs (one per
article), stable ids.

Pure parts: `score` (mentions into groups), `wire` (wire copies, independent outlets), `speakers`
(one spelling per person). `store` reads and writes mentions and claims.
"""

from app.ingest.align.score import Item, align_items, extend_groups, make_item, pair_score
from app.ingest.align.speakers import event_speakers
from app.ingest.align.store import (
    ReadAhead,
    align_added_article,
    read_ahead,
    realign_event,
    resolve_claim_id,
    store_mentions,
    update_event_claims,
)
from app.ingest.align.wire import independent_count, wire_pairs

__all__ = [
    "Item",
    "ReadAhead",
    "align_added_article",
    "align_items",
    "event_speakers",
    "extend_groups",
    "independent_count",
    "make_item",
    "pair_score",
    "read_ahead",
    "realign_event",
    "resolve_claim_id",
    "store_mentions",
    "update_event_claims",
    "wire_pairs",
]
