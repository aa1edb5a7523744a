"""Turns a claim id (and a reference outlet) into its side-by-side comparison across outlets."""

import json
from functools import partial
from typing import Any

from sqlmodel import Session, select

from app.compare import compare_claim, with_reference
from app.models import Article, Event, Mention, Outlet
from app.queries.common import (
    UNKNOWN_OUTLET,
    article_url,
    claim_url,
    event_ref,
    flags,
    live_claim,
)
from app.queries.events import event_grid, grid_event_ref, named_outlets
from app.queries.labels import KIND_LABELS, PANEL_STATES, flag_label, match_reasons
from app.queries.memo import EventPageMemo

DESCRIPTION_LIMIT = 300
QUOTE_MARKS = "\"'“”‘’«»„‚‹›"  # a phrasing opening with one is already quoted


def claim_detail(
    session: Session,
    claim_id: int,
    *,
    reference: str | None = None,
    event_pages: EventPageMemo | None = None,
) -> dict[str, Any]:
    """Raises NotFound, Moved (merged: redirect to the survivor) or Gone (removed). With
    `event_pages`, the event's name and outlets come from its page data (kept, or read and kept
    for the event page a cold permalink renders around the claim)."""
    claim = live_claim(session, claim_id)
    event, event_outlets = _event(session, claim.event_id, event_pages)
    rows = session.exec(
        select(Mention, Article.title, Outlet.name)
        .join(Article, Article.id == Mention.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id, isouter=True)
        .where(Mention.claim_id == claim.id)
        .order_by(
            Outlet.name, Article.published_at.nulls_first(), Mention.article_id, Mention.start
        )
    ).all()
    mentions = [_mention(mention, title, outlet) for mention, title, outlet in rows]
    reported = sorted({mention["outlet"] for mention in mentions})
    missing = [outlet for outlet in event_outlets if outlet not in reported]
    reference_mention = _reference(mentions, reference)
    compare_inputs = [mention["compare_input"] for mention in mentions]
    reference_id = reference_mention["article_id"] if reference_mention else None
    comparison = compare_claim(compare_inputs, reference_id, reported + missing)
    reference_outlet = comparison["reference"]["outlet"] if comparison["reference"] else None
    for mention, compared in zip(mentions, comparison["mentions"], strict=True):
        del mention["compare_input"]
        mention.update(_compared(compared, reference_outlet))
    claim_flags = [
        {**flag, "label": flag_label(flag["kind"])}
        for flag in with_reference(flags(claim.flags), compare_inputs, reference_id)
    ]
    return {
        "id": claim.id,
        "event_id": claim.event_id,
        "event": event,
        "kind": claim.kind,
        "kind_label": KIND_LABELS.get(claim.kind, claim.kind.title()),
        "speaker": claim.speaker,
        "text": claim.text,
        "mentions": mentions,
        "outlets": reported,
        "missing_outlets": missing,
        "flags": claim_flags,
        "reference": reference_outlet,
        "url": claim_url(claim.id),
        "description": _description(claim.speaker, mentions),
    }


def _mention(mention: Mention, title: str | None, outlet: str | None) -> dict[str, Any]:
    return {
        "id": mention.id,
        "article_id": mention.article_id,
        "article_title": title or "Untitled article",
        "outlet": outlet or UNKNOWN_OUTLET,
        "text": mention.text,
        "quote": mention.quote,
        "speaker": mention.speaker,
        "similarity": mention.similarity,  # to the claim's text; replaced by the reference's
        "align_score": mention.align_score,
        "align_reason": mention.align_reason,
        "match_reasons": match_reasons(mention.align_reason),
        "wire_copy": mention.wire_copy_of_id is not None,
        "url": f"{article_url(mention.article_id)}#m-{mention.id}",
        "compare_input": {
            "article_id": mention.article_id,
            "outlet": outlet or UNKNOWN_OUTLET,
            "text": mention.text,
            "quote": mention.quote,
            "speaker": mention.speaker,
            "numbers": _numbers(mention.numbers),
            "wire_copy_of_id": mention.wire_copy_of_id,
        },
    }


def _compared(compared: dict[str, Any], reference_outlet: str | None) -> dict[str, Any]:
    """One phrasing against the reference: its state for readers, the one similarity figure,
    and the word changes (the quoted words apart from the attribution around them)."""
    if compared["is_reference"]:
        state = "reference"
    else:
        state = "same_words" if compared["same_words"] else "reworded"
    return {
        "is_reference": compared["is_reference"],
        "state": state,
        "symbol": PANEL_STATES[state]["symbol"],
        "label": PANEL_STATES[state]["label"].format(reference=reference_outlet),
        "similarity": round(compared["similarity"]),
        "same_words": compared["same_words"],
        "diff": compared["ops"],
        "quote_diff": compared["quote_ops"],
        "quote_same_words": compared["quote_same_words"],
    }


def _reference(mentions: list[dict[str, Any]], outlet: str | None) -> dict[str, Any] | None:
    """The reader's chosen outlet, else the phrasing closest to the claim's reference text."""
    chosen = [
        mention for mention in mentions if outlet and mention["outlet"].lower() == outlet.lower()
    ]
    if chosen:
        return chosen[0]
    if not mentions:
        return None
    return max(mentions, key=lambda mention: (mention["similarity"] or 0.0, -mention["id"]))


def _event(
    session: Session, event_id: int | None, event_pages: EventPageMemo | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The claim's event (`event_ref`) and the outlets that reported it, by name."""
    if event_id is None:
        return None, []
    if event_pages is not None:
        grid = event_pages.get(session, event_id, partial(event_grid, session, event_id))
        return grid_event_ref(grid), named_outlets(grid)
    names = session.exec(
        select(Outlet.name)
        .join(Article, Article.outlet_id == Outlet.id)
        .where(Article.event_id == event_id)
        .distinct()
    ).all()
    return event_ref(session.get(Event, event_id)), sorted(names)


def _description(speaker: str | None, mentions: list[dict[str, Any]]) -> str:
    """Each outlet's phrasing, the reference first, for link previews (OpenGraph, Twitter)."""
    ordered = sorted(mentions, key=lambda mention: not mention["is_reference"])
    parts = [f"{mention['outlet']}: {_quoted(mention['text'])}" for mention in ordered]
    text = " · ".join(parts)
    if speaker:
        text = f"{speaker}. {text}"
    if len(text) > DESCRIPTION_LIMIT:
        text = text[: DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return text


def _quoted(phrasing: str) -> str:
    return phrasing if phrasing.lstrip().startswith(tuple(QUOTE_MARKS)) else f"“{phrasing}”"


def _numbers(raw: str | None) -> list[dict]:
    try:
        numbers = json.loads(raw or "[]")
    except ValueError:
        return []
    return (
        [n for n in numbers if isinstance(n, dict) and "value" in n]
        if isinstance(numbers, list)
        else []
    )
