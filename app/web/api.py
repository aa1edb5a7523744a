"""Routes of the JSON API: the query layer's dicts under /api, typed by app.schemas for /docs."""

import csv
import io
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app import schemas
from app.queries.articles import article_detail
from app.queries.claims import claim_detail
from app.queries.events import EXPORT_COLUMNS, event_detail, export_rows
from app.queries.outlets import outlet_detail
from app.queries.search import search
from app.queries.storylines import storyline_detail
from app.queries.timeline import MAX_LIMIT, timeline
from app.web.deps import SessionDep
from app.web.params import Id, TimelineFilters, with_page

# Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ERRORS = {404: {"model": schemas.ErrorOut}, 410: {"model": schemas.ErrorOut}}

router = APIRouter(prefix="/api", tags=["reader"], responses=ERRORS)


@router.get("/events", response_model=schemas.EventList, summary="Events, newest first")
def list_events(
    request: Request,
    session: SessionDep,
    filters: Annotated[TimelineFilters, Depends()],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
):
    data = timeline(session, **asdict(filters), limit=limit)
    data["next"] = with_page(request, data["next_page"])
    return data


@router.get("/events/{event_id}", response_model=schemas.EventDetail, summary="One event")
def get_event(event_id: Id, session: SessionDep):
    return event_detail(session, event_id)


@router.get(
    "/events/{event_id}/export.json",
    response_model=schemas.EventExport,
    summary="An event's claims, one row per claim × outlet",
)
def export_event_json(event_id: Id, session: SessionDep):
    event = event_detail(session, event_id)
    return {"event_id": event["id"], "rows": export_rows(event)}


@router.get(
    "/events/{event_id}/export.csv",
    response_class=Response,
    summary="An event's claims as CSV, one row per claim × outlet",
    responses={200: {"content": {"text/csv": {}}}},
)
def export_event_csv(event_id: Id, session: SessionDep):
    event = event_detail(session, event_id)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(
        {key: spreadsheet_safe(value) for key, value in row.items()} for row in export_rows(event)
    )
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="event-{event["id"]}-claims.csv"'},
    )


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading ' (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@router.get("/claims/{claim_id}", response_model=schemas.ClaimDetail, summary="One claim")
def get_claim(
    claim_id: Id,
    session: SessionDep,
    ref: Annotated[str | None, Query(max_length=200, description="Reference outlet")] = None,
):
    return claim_detail(session, claim_id, reference=ref)


@router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, summary="One article")
def get_article(article_id: Id, session: SessionDep):
    return article_detail(session, article_id)


@router.get("/search", response_model=schemas.SearchResults, summary="Full-text search")
def search_api(session: SessionDep, q: Annotated[str, Query(min_length=1, max_length=200)]):
    return search(session, q)


@router.get(
    "/storylines/{storyline_id}", response_model=schemas.StorylineDetail, summary="One storyline"
)
def get_storyline(storyline_id: Id, session: SessionDep):
    return storyline_detail(session, storyline_id)


@router.get("/outlets/{outlet_id}", response_model=schemas.OutletDetail, summary="One outlet")
def get_outlet(outlet_id: Id, session: SessionDep):
    return outlet_detail(session, outlet_id)
