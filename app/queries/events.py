"""Turns an event id into its articles and claims × outlets grid, and that grid into export rows."""

from collections import defaultdict
from functools import partial
from typing import Any

from sqlmodel import Session, select

from app.models import Article, Event, Outlet
from app.queries.common import (
    UNKNOWN_OUTLET,
    article_url,
    claim_url,
    event_ref,
    flags,
    live_claims_with_mentions,
    live_event,
    outlet_url,
    published_label,
    source_link,
    storyline_url,
)
from app.queries.labels import (
    CELL_STATES,
    COVERAGE_FLAGS,
    GRID_FILTERS,
    GRID_SORTS,
    KIND_LABELS,
    VERBATIM_SIMILARITY,
)
from app.queries.memo import EventPageMemo
from app.queries.timeline import NO_REPORTS, reports

STATE_RANK = {"verbatim": 2, "paraphrased": 1, "not_reported": 0}


def event_detail(
    session: Session,
    event_id: int,
    *,
    sort: str = "outlets",
    show: str = "all",
    memo: EventPageMemo | None = None,
) -> dict[str, Any]:
    """Raises NotFound, or Moved when the event was merged into another. With a `memo`, the
    event's data is read only when the event changed since the memo kept it."""
    build = partial(event_grid, session, event_id)
    grid = memo.get(session, event_id, build) if memo else build()
    shown = sort_claims(filter_claims(grid["claims"], show), sort)
    return {
        **grid,
        "claims": shown,
        "single_outlet_count": sum(1 for claim in shown if claim["outlet_count"] == 1),
        "show": show,
        "sort": sort,
    }


def event_grid(session: Session, event_id: int) -> dict[str, Any]:
    """The event's page data whatever the sort and filter: all its live claims, in no order."""
    event = live_event(session, event_id)
    articles = _articles(session, event.id)
    outlets = sorted({article["outlet"] for article in articles})
    claims = _claims(session, event.id, outlets)
    return {
        **event_ref(event),
        "date_end": event.date_end,
        "related_events": _related(session, event),
        "storyline_url": storyline_url(event.storyline_id) if event.storyline_id else None,
        **reports(session, [event.id]).get(event.id, NO_REPORTS),
        "articles": articles,
        "outlets": outlets,
        "claims": claims,
        "claim_total": len(claims),
        "coverage": coverage(articles),
        "top_disagreements": top_disagreements(claims),
        "filter_choices": GRID_FILTERS,
        "sort_choices": GRID_SORTS,
        "cell_states": CELL_STATES,
    }


def grid_event_ref(grid: dict[str, Any]) -> dict[str, Any]:
    """The `event_ref` an `event_grid` starts with."""
    return {key: grid[key] for key in ("id", "title", "date", "date_label", "location", "url")}


def named_outlets(grid: dict[str, Any]) -> list[str]:
    """The outlets of the event's articles, by name (articles without an outlet left out)."""
    return sorted({article["outlet"] for article in grid["articles"] if article["outlet_url"]})


def grid_weight(grid: dict[str, Any]) -> int:
    """What an `event_grid` holds, in small dicts: its cells (claims × outlets) and articles."""
    return len(grid["claims"]) * max(1, len(grid["outlets"])) + len(grid["articles"])


def coverage(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each outlet once, in the event's outlet order: its headline, whether it ran wire copy, and
    whether it reported first (only when the known times tell the first apart)."""
    firsts = _first_outlets(articles)
    by_outlet: dict[str, dict[str, Any]] = {}
    for article in articles:
        entry = by_outlet.setdefault(
            article["outlet"],
            {
                "outlet": article["outlet"],
                "outlet_url": article["outlet_url"],
                "headline": article["title"],
                "url": article["url"],
                "source_url": article["source_url"],
                "published_at": article["published_at"],
                "published_label": article["published_label"],
                "wire_copy": False,
                "first": article["outlet"] in firsts,
            },
        )
        entry["wire_copy"] = entry["wire_copy"] or article["wire_copy"]
    return [by_outlet[name] for name in sorted(by_outlet)]


def _first_outlets(articles: list[dict[str, Any]]) -> set[str]:
    if len({a["outlet"] for a in articles}) < 2 or not all(a["precise"] for a in articles):
        return set()
    earliest = min(a["published_at"] for a in articles)
    first = {a["outlet"] for a in articles if a["published_at"] == earliest}
    return first if len(first) == 1 else set()


def top_disagreements(claims: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """Claims whose outlets disagree (quote wording, figures, attribution), most outlets first."""
    return sort_claims([claim for claim in claims if claim["disagreements"]], "outlets")[:limit]


def _related(session: Session, event: Event) -> list[dict[str, Any]]:
    if not event.storyline_id:
        return []
    others = session.exec(
        select(Event)
        .where(
            Event.storyline_id == event.storyline_id,
            Event.id != event.id,
            Event.merged_into_id.is_(None),
        )
        .order_by(Event.date_start.nulls_first(), Event.id)
    ).all()
    return [event_ref(other) for other in others]


def _articles(session: Session, event_id: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(
            Article.id,
            Article.date_precision,
            Article.title,
            Article.url,
            Article.published_at,
            Article.published_offset,
            Article.dateline,
            Article.copy_of_id,
            Outlet.id.label("outlet_id"),
            Outlet.name,
        )
        .join(Outlet, Outlet.id == Article.outlet_id, isouter=True)
        .where(Article.event_id == event_id)
        .order_by(Article.published_at.nulls_first(), Article.id)
    ).all()
    return [
        {
            "id": row.id,
            "outlet": row.name or UNKNOWN_OUTLET,
            "outlet_url": outlet_url(row.outlet_id) if row.outlet_id else None,
            "title": row.title or "Untitled article",
            "published_at": row.published_at,
            "published_label": published_label(
                row.published_at, row.date_precision, row.published_offset
            ),
            "precise": row.published_at is not None and row.date_precision == "day",
            "dateline": row.dateline,
            "wire_copy": row.copy_of_id is not None,
            "url": article_url(row.id),
            "source_url": source_link(row.url),
        }
        for row in rows
    ]


def cell_state(similarity: float | None) -> str:
    """Verbatim means worded like the reference phrasing; a wire copy is marked on its own."""
    if similarity is not None and similarity >= VERBATIM_SIMILARITY:
        return "verbatim"
    return "paraphrased"


def _claims(session: Session, event_id: int, outlets: list[str]) -> list[dict[str, Any]]:
    claims, mentions = live_claims_with_mentions(session, event_id)
    best: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    first_seen: dict[int, tuple] = {}
    for mention, outlet_name in mentions:
        outlet = outlet_name or UNKNOWN_OUTLET
        state = cell_state(mention.similarity)
        cell = {
            "outlet": outlet,
            "state": state,
            "wire_copy": mention.wire_copy_of_id is not None,
            "similarity": mention.similarity,
            "text": mention.text,
            "article_id": mention.article_id,
            "mention_id": mention.id,
            **CELL_STATES[state],
        }
        current = best[mention.claim_id].get(outlet)
        if current is None or STATE_RANK[state] > STATE_RANK[current["state"]]:
            best[mention.claim_id][outlet] = cell
        first_seen.setdefault(mention.claim_id, (mention.article_id, mention.start))
    result = []
    for claim in claims:
        reported = best.get(claim.id, {})
        claim_flags = flags(claim.flags)
        cells = [
            reported.get(outlet)
            or {
                "outlet": outlet,
                "state": "not_reported",
                "similarity": None,
                "text": None,
                "article_id": None,
                "mention_id": None,
                **CELL_STATES["not_reported"],
            }
            for outlet in outlets
        ]
        result.append(
            {
                "id": claim.id,
                "kind": claim.kind,
                "kind_label": KIND_LABELS.get(claim.kind, claim.kind.title()),
                "speaker": claim.speaker,
                "text": claim.text,
                "outlets": sorted(reported),
                "outlet_count": len(reported),
                "flags": claim_flags,
                "disagreements": [
                    flag["label"] for flag in claim_flags if flag["kind"] not in COVERAGE_FLAGS
                ],
                "cells": cells,
                "first_seen": first_seen.get(claim.id, (0, 0)),
                "url": claim_url(claim.id),
            }
        )
    return result


def filter_claims(claims: list[dict[str, Any]], show: str) -> list[dict[str, Any]]:
    tests = {
        "quotes": lambda claim: claim["kind"] == "quote",
        "figures": lambda claim: claim["kind"] == "figure",
        "disputed": lambda claim: bool(claim["disagreements"]),
        "single": lambda claim: claim["outlet_count"] == 1,
    }
    test = tests.get(show)
    return [claim for claim in claims if test(claim)] if test else list(claims)


def sort_claims(claims: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    if sort == "order":
        return sorted(claims, key=lambda claim: (claim["first_seen"], claim["id"]))
    return sorted(
        claims, key=lambda claim: (-claim["outlet_count"], claim["first_seen"], claim["id"])
    )


EXPORT_COLUMNS = [
    "event_id",
    "claim_id",
    "kind",
    "speaker",
    "claim_text",
    "outlet",
    "state",
    "article_id",
    "phrasing",
    "similarity",
    "flags",
]


def export_rows(event: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per claim × outlet of an `event_detail` dict, with phrasing, similarity and flags."""
    rows = []
    for claim in event["claims"]:
        flag_text = "; ".join(
            f"{flag['label']}: {flag['detail']}" if flag["detail"] else flag["label"]
            for flag in claim["flags"]
        )
        for cell in claim["cells"]:
            rows.append(
                {
                    "event_id": event["id"],
                    "claim_id": claim["id"],
                    "kind": claim["kind"],
                    "speaker": claim["speaker"] or "",
                    "claim_text": claim["text"],
                    "outlet": cell["outlet"],
                    "state": cell["state"],
                    "article_id": cell["article_id"],
                    "phrasing": cell["text"] or "",
                    "similarity": cell["similarity"],
                    "flags": flag_text,
                }
            )
    return rows
