"""Routes of the push API: articles POSTed as JSON by a token holder, into the one ingest path."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app import schemas
from app.ingest.parse import Parsed, RawArticle, Rejected, parse_bytes
from app.ingest.run import ingest_items
from app.queries.admin import job_status
from app.queries.common import human_size
from app.tokens import authenticate_token
from app.web.deps import SessionDep
from app.web.errors import Refused
from app.web.forms import limited_body
from app.web.params import Id

# The upload's formats for machines: one JSON article or a list of them, or JSON lines.
CONTENT_TYPES = {
    "application/json": "push.json",
    "application/x-ndjson": "push.jsonl",
    "application/jsonl": "push.jsonl",
}
UNAUTHORIZED = {401: {"model": schemas.ErrorOut, "description": "Missing, wrong or revoked token"}}

router = APIRouter(prefix="/api/ingest", tags=["push"], responses=UNAUTHORIZED)


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


@router.post(
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


@router.get("/jobs/{job_id}", summary="A pushed batch's progress and report")
def pushed_job(job_id: Id, holder: Holder, session: SessionDep):
    job = job_status(session, job_id)
    if job is None or job["username"] != holder:
        raise HTTPException(404, f"No job {job_id} pushed with this token.")
    return job
