"""Routes of the JSON API: the query layer's dicts under /api, typed by app.schemas for /docs."""

import csv
import io
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from app import schemas
from app.ingest.parse import Parsed, RawArticle, Rejected, parse_bytes
from app.ingest.run import ingest_items
from app.queries.admin import job_status
from app.queries.articles import article_detail
from app.queries.claims import claim_detail
from app.queries.common import human_size
from app.queries.events import EXPORT_COLUMNS, event_detail, export_rows
from app.queries.outlets import outlet_detail
from app.queries.search import search
from app.queries.storylines import storyline_detail
from app.queries.timeline import MAX_LIMIT, timeline
from app.tokens import authenticate_token
from app.web.deps import SessionDep
from app.web.errors import Refused
from app.web.forms import limited_body
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
def get_event(request: Request, event_id: Id, session: SessionDep):
    return event_detail(session, event_id, memo=request.app.state.event_pages)


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


# The upload's formats for machines: one JSON article or a list of them, or JSON lines.
CONTENT_TYPES = {
    "application/json": "push.json",
    "application/x-ndjson": "push.jsonl",
    "application/jsonl": "push.jsonl",
}
UNAUTHORIZED = {401: {"model": schemas.ErrorOut, "description": "Missing, wrong or revoked token"}}

push_router = APIRouter(prefix="/api/ingest", tags=["push"], responses=UNAUTHORIZED)


def ingest_token_holder(request: Request) -> str:
    """Dependency: who holds the `Authorization: Bearer` token with the ingest scope, or 401."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer" and secret.strip():
        token = authenticate_token(request.app.state.engine, secret.strip(), "ingest")
    if token is None:
        raise HTTPException(
            401, "A valid API token is required.", headers={"WWW-Authenticate": "Bearer"}
        )
    return f"token {token.id} ({token.name})"


Holder = Annotated[str, Depends(ingest_token_holder)]


@push_router.post(
    "",
    summary="Push one article or a batch",
    description="A JSON article object (`outlet`, `url`, `title`, `published_at`, `text` or "
    "`html`), a JSON list of them, or JSON lines (`application/x-ndjson`), within the upload "
    "limits. One article is ingested at once and its report returned (201 when stored); a batch "
    "is queued as a job (202) whose report `/api/ingest/jobs/{id}` gives.",
    responses={413: {"model": schemas.ErrorOut}, 415: {"model": schemas.ErrorOut}},
)
async def push(request: Request, holder: Holder) -> JSONResponse:
    settings = request.app.state.settings
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CONTENT_TYPES:
        accepted = ", ".join(CONTENT_TYPES)
        raise Refused(415, f"Send {accepted}; nothing was stored.")
    body = await limited_body(request, settings.upload_max_request_bytes)
    items = parse_bytes(
        CONTENT_TYPES[media_type], body, max_bytes=settings.upload_max_request_bytes
    )
    if len(items) > settings.upload_max_files:
        raise Refused(
            413, f"At most {settings.upload_max_files} articles per request; nothing was stored."
        )
    items = [within_limit(item, settings.upload_max_file_bytes) for item in items]
    if len(items) == 1:
        report = await run_in_threadpool(ingest_items, request.app.state.engine, items)
        status = 201 if report.added else 200
        return JSONResponse({"report": report.to_dict(), "job": None}, status_code=status)
    job_id, _ = request.app.state.jobs.submit(holder, lambda: items)
    job = {"id": job_id, "status": "queued", "url": f"/api/ingest/jobs/{job_id}"}
    return JSONResponse({"report": None, "job": job}, status_code=202)


def within_limit(item: Parsed, max_bytes: int) -> Parsed:
    """One article over the upload's per-file limit is rejected; the others still go in."""
    if isinstance(item, RawArticle) and len((item.html or item.text).encode()) > max_bytes:
        return Rejected(item.source, f"over the {human_size(max_bytes)} limit per article")
    return item


@push_router.get("/jobs/{job_id}", summary="A pushed batch's progress and report")
def pushed_job(job_id: Id, holder: Holder, session: SessionDep):
    job = job_status(session, job_id)
    if job is None or job["username"] != holder:
        raise HTTPException(404, f"No job {job_id} pushed with this token.")
    return job
