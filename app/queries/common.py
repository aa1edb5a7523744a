"""Turns ids into live rows (following merges) and stored values into display-ready ones."""

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.db import read_rows
from app.identity import follow_merges
from app.models import Article, Claim, Event, Mention, Outlet
from app.queries.labels import flag_label
from app.urls import is_web_url

UNKNOWN_OUTLET = "Unknown outlet"


class NotFound(LookupError):
    """No such row."""


class Moved(Exception):  # noqa: N818  (a redirect, not an error)
    """The row was merged into another: its permalink redirects to `new_id`."""

    def __init__(self, new_id: int):
        super().__init__(new_id)
        self.new_id = new_id


class Gone(Exception):  # noqa: N818
    """The row was removed on purpose: its permalink says so."""


def source_link(url: str | None) -> str | None:
    """The article's source URL when pages may link to it, else None."""
    url = (url or "").strip()
    return url if is_web_url(url) else None


def unmerged(column):
    """`column IS NULL` in a form SQLite's planner cannot serve from the column's index: without
    statistics it would pick the merged_into_id index (which matches nearly every row) over the
    selective event or storyline index of the same query."""
    return func.coalesce(column, 0) == 0


def live_claim(session: Session, claim_id: int) -> Claim:
    claim = _follow(session, Claim, claim_id)
    if claim.removed_at is not None:
        raise Gone(claim_id)
    if claim.id != claim_id:
        raise Moved(claim.id)
    return claim


def live_event(session: Session, event_id: int) -> Event:
    event = _follow(session, Event, event_id)
    if event.id != event_id:
        raise Moved(event.id)
    return event


def _follow(session: Session, model, row_id: int):
    row = follow_merges(session, model, row_id)
    if row is None:
        raise NotFound(row_id)
    return row


def date_label(value: date | datetime | None) -> str:
    if value is None:
        return "date unknown"
    return f"{value.day} {value:%B %Y}"


def published_label(
    value: datetime | None, precision: str | None, offset_minutes: int | None = None
) -> str:
    """The day, with the time of day when one is known (not midnight), or only month/year; at the
    outlet's stated UTC offset when there is one ("19 January 2023, 23:10 UTC-05:00")."""
    if value is None:
        return "date unknown"
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%B %Y}"
    if offset_minutes is not None and isinstance(value, datetime):
        local = value.astimezone(timezone(timedelta(minutes=offset_minutes)))
        hours, minutes = divmod(abs(offset_minutes), 60)
        sign = "-" if offset_minutes < 0 else "+"
        return f"{date_label(local)}, {local:%H:%M} UTC{sign}{hours:02d}:{minutes:02d}"
    if isinstance(value, datetime) and (value.hour, value.minute) != (0, 0):
        return f"{date_label(value)}, {value:%H:%M} UTC"
    return date_label(value)


def human_size(size: int) -> str:
    """A byte count as people read it: "2 MB", "1.5 MB", "512 KB"."""
    megabytes = size / 2**20
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.1f}".removesuffix(".0") + " KB"


def date_range_label(start: date | None, end: date | None) -> str:
    if start and end and end != start:
        return f"{date_label(start)} – {date_label(end)}"
    return date_label(start)


def flags(raw: str | None) -> list[dict[str, Any]]:
    """Stored flags as [{"kind", "detail", "label"}]; tolerant of plain strings."""
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    result = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            item = {"kind": item, "detail": ""}
        if isinstance(item, dict) and item.get("kind"):
            kind = str(item["kind"])
            detail = item.get("detail") or ""
            result.append({"kind": kind, "detail": str(detail), "label": flag_label(kind)})
    return result


def event_url(event_id: int) -> str:
    return f"/events/{event_id}"


def claim_url(claim_id: int) -> str:
    return f"/claims/{claim_id}"


def article_url(article_id: int) -> str:
    return f"/articles/{article_id}"


def storyline_url(storyline_id: int) -> str:
    return f"/storylines/{storyline_id}"


def outlet_url(outlet_id: int) -> str:
    return f"/outlets/{outlet_id}"


# The columns `event_ref` reads: pages that name many events read only these, as plain rows.
EVENT_REF_COLUMNS = (Event.id, Event.title, Event.date_start, Event.date_end, Event.location)


def event_ref(event: Event | None) -> dict[str, Any] | None:
    """The few fields every page needs to name and link an event (an Event, or a row of
    EVENT_REF_COLUMNS)."""
    if event is None:
        return None
    return {
        "id": event.id,
        "title": event.title or "Untitled event",
        "date": event.date_start,
        "date_label": date_range_label(event.date_start, event.date_end),
        "location": event.location,
        "url": event_url(event.id),
    }


# What an event's claim table shows of each mention: read as plain rows, since an event page, and
# every cold permalink of its claims, reads all of the event's mentions.
MENTION_CELL_COLUMNS = (
    Mention.id,
    Mention.claim_id,
    Mention.article_id,
    Mention.start,
    Mention.text,
    Mention.similarity,
    Mention.wire_copy_of_id,
)


def live_claims_with_mentions(session: Session, event_id: int) -> tuple[list[Claim], list]:
    """The event's claims that are neither merged nor removed, and their mentions as
    (mention row of MENTION_CELL_COLUMNS, outlet name) pairs in reading order."""
    claims = session.exec(
        select(Claim)
        .where(
            Claim.event_id == event_id, Claim.merged_into_id.is_(None), Claim.removed_at.is_(None)
        )
        .order_by(Claim.id)
    ).all()
    mentions = read_rows(
        session,
        select(*MENTION_CELL_COLUMNS, Outlet.name.label("outlet_name"))
        .join(Article, Article.id == Mention.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id, isouter=True)
        .where(Mention.claim_id.in_([claim.id for claim in claims]))
        .order_by(Mention.article_id, Mention.start),
    )
    return list(claims), [(mention, mention.outlet_name) for mention in mentions]
