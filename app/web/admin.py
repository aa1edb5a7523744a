"""Routes of the admin surface: sign-in, uploads with preview, batch jobs, corrections, audit."""

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from app import audit, uploads
from app.auth import authenticate, revoke_session
from app.corrections.articles import ArticleEdit, delete_article, edit_article
from app.corrections.claims import merge_claims, split_mention
from app.corrections.events import (
    likely_merges,
    likely_moves,
    merge_events,
    move_article,
    realign_event,
    split_event,
)
from app.db import session_scope
from app.feeds.poll import FeedLimits
from app.feeds.sources import DEFAULT_INTERVAL_MINUTES, add_feed, remove_feed
from app.ingest.parse import SUPPORTED_EXTENSIONS, GivenMeta, RawArticle
from app.jobs import JobQueue
from app.queries import admin as queries
from app.queries.common import human_size
from app.queries.feeds import feed_list, token_list
from app.settings import Settings
from app.tokens import SCOPES, create_token, revoke_token
from app.uploads import PreviewTokens, Upload
from app.web.deps import SessionDep, SettingsDep
from app.web.errors import Refused, wants_json
from app.web.forms import (
    checked_upload,
    iso_day,
    limited_form,
    optional,
    parse_day,
    pasted_text,
    uploaded_files,
    web_url,
)
from app.web.limiter import client_address
from app.web.params import MAX_PAGE, FormId, FormIds, Id
from app.web.rendering import render
from app.web.sessions import (
    CSRF_FIELD,
    csrf_token,
    require_admin,
    require_csrf,
    sign_in,
    sign_out,
    verify_csrf,
)

router = APIRouter(prefix="/admin")

Admin = Annotated[str, Depends(require_admin)]
CHECKED = [Depends(require_csrf)]  # forms anyone may send: sign-in, sign-out
# Admin forms: the session is checked first (401), then the CSRF token (403).
ADMIN_FORM = [Depends(require_admin), Depends(require_csrf)]
AuditPage = Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)]  # `page` names the renderer
PickerSearch = Annotated[str, Query(max_length=200)]  # an event picker's title or number


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    admin: str | None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> Response:
    """Renders an admin page with the signed-in admin and the session's CSRF token; a signed-in
    GET that asks for JSON gets the page's dict itself (e.g. a script following a job)."""
    if admin and request.method == "GET" and wants_json(request):
        return JSONResponse(jsonable_encoder(context), status_code=status_code)
    full = {**context, "admin": admin, "csrf_token": csrf_token(request)}
    return render(request, template, full, block=block, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only same-site admin paths: never an absolute or protocol-relative URL."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return "/admin"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return page(request, "admin/login.html", {"next": safe_next(next), "error": None}, None)


@router.post("/login", dependencies=CHECKED)
def login(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/admin",
) -> Response:
    limiter = request.app.state.signin_limiter
    address = client_address(request)
    decision = limiter.attempt(username, address)
    if decision.wait:
        minutes = (decision.wait + 59) // 60
        raise Refused(
            429,
            f"Too many failed sign-ins for this account from this address. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after=decision.wait,
        )
    time.sleep(decision.delay)  # an account under attack answers slowly, but still answers
    user = authenticate(db, username, password)
    if user is None:
        context = {"next": safe_next(next), "error": "Wrong username or password."}
        return page(request, "admin/login.html", context, None, status_code=401)
    limiter.succeeded(username, address)
    sign_in(request, user)
    return see_other(safe_next(next))


@router.post("/logout", dependencies=CHECKED)
def logout(request: Request) -> Response:
    sign_out(request)
    return see_other("/admin/login")


@router.get("")
def dashboard(request: Request, admin: Admin, db: SessionDep) -> Response:
    return page(request, "admin/dashboard.html", queries.dashboard(db), admin)


@router.get("/sessions")
def sessions_page(request: Request, admin: Admin, db: SessionDep) -> Response:
    current = request.state.session_id
    return page(request, "admin/sessions.html", queries.admin_sessions(db, current), admin)


@router.post("/sessions/{session_id}/revoke", dependencies=ADMIN_FORM)
def session_revoke(
    request: Request, admin: Admin, session_id: Annotated[str, Path(max_length=100)]
) -> Response:
    if revoke_session(request.app.state.engine, session_id):
        with session_scope(request.app.state.engine) as session:
            audit.record(session, admin, "revoke session", f"session {session_id[:8]}")
    return see_other("/admin/sessions")


@router.get("/attention")
def attention(request: Request, admin: Admin, db: SessionDep) -> Response:
    return page(request, "admin/attention.html", queries.attention_list(db), admin)


@router.get("/audit")
def audit_page(request: Request, admin: Admin, db: SessionDep, number: AuditPage = 1) -> Response:
    return page(request, "admin/audit.html", queries.audit_log(db, number), admin)


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    admin: Admin,
    db: SessionDep,
    article_id: Id,
    added: bool = False,
    duplicate: bool = False,
    find: PickerSearch = "",
) -> Response:
    """The article's corrections; its "move to event" picker offers the events it would most
    likely join and, searched (`find`), events by title or number (HTMX: the picker alone)."""
    detail = queries.article_detail(db, article_id)
    if detail is None:
        raise Refused(404, f"There is no article {article_id}; it may have been deleted.")
    picker = queries.event_picker(db, likely_moves(db, article_id), detail["event_id"], find)
    context = {"article": detail, "picker": picker, "added": added, "duplicate": duplicate}
    return page(request, "admin/article.html", context, admin, block="event_picker")


def correct(
    request: Request, admin: str, action: str, target: str, change: Callable[[Session], Any]
) -> Any:
    """Runs one correction in its own transaction with its audit entry (who, when, what).

    `change` returns the detail to record, or None when nothing changed (nothing is recorded)."""
    with session_scope(request.app.state.engine) as session:
        try:
            detail = change(session)
        except LookupError as error:
            raise Refused(404, f"{str(error).capitalize()}: it may have been deleted.") from None
        except ValueError as error:
            raise Refused(400, f"{str(error).capitalize()}.") from None
        if detail is not None:
            audit.record(session, admin, action, target, **detail)
    return detail


@router.post("/articles/{article_id}/edit", dependencies=ADMIN_FORM)
def article_edit(
    request: Request,
    admin: Admin,
    article_id: Id,
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    title: Annotated[str | None, Form(max_length=1000)] = None,
    published_at: Annotated[str | None, Form(max_length=40)] = None,
    url: Annotated[str | None, Form(max_length=2000)] = None,
    dateline: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    edit = ArticleEdit(
        outlet=optional(outlet),
        title=optional(title),
        published_at=parse_day(published_at),
        url=web_url(url),
        dateline=optional(dateline),
    )
    correct(
        request,
        admin,
        "edit article",
        f"article {article_id}",
        lambda session: edit_article(session, article_id, edit) or None,
    )
    return see_other(f"/admin/articles/{article_id}")


@router.post("/articles/{article_id}/delete", dependencies=ADMIN_FORM)
def article_delete(request: Request, admin: Admin, article_id: Id) -> Response:
    removed = correct(
        request,
        admin,
        "delete article",
        f"article {article_id}",
        lambda session: delete_article(session, article_id),
    )
    if removed["event_id"] is None or removed["event_removed"]:
        return see_other("/admin")
    return see_other(f"/admin/events/{removed['event_id']}")


@router.post("/articles/{article_id}/move", dependencies=ADMIN_FORM)
def article_move(request: Request, admin: Admin, article_id: Id, event_id: FormId) -> Response:
    def move(session: Session) -> dict:
        source = queries.article_event_id(session, article_id)
        move_article(session, article_id, event_id)
        return {"from_event": source, "to_event": event_id}

    correct(request, admin, "move article", f"article {article_id}", move)
    return see_other(f"/admin/articles/{article_id}")


@router.get("/events/{event_id}")
def event_page(
    request: Request, admin: Admin, db: SessionDep, event_id: Id, find: PickerSearch = ""
) -> Response:
    """The event's corrections; its "merge" picker offers the events sharing its heaviest words
    and, searched (`find`), events by title or number (HTMX: the picker alone)."""
    detail = queries.event_detail(db, event_id)
    if detail is None:
        raise Refused(404, f"There is no event {event_id}.")
    picker = queries.event_picker(db, likely_merges(db, event_id), event_id, find)
    context = {"event": detail, "picker": picker}
    return page(request, "admin/event.html", context, admin, block="event_picker")


@router.post("/events/{event_id}/realign", dependencies=ADMIN_FORM)
def event_realign(request: Request, admin: Admin, event_id: Id) -> Response:
    def realign(session: Session) -> dict:
        realign_event(session, event_id)
        return {}

    correct(request, admin, "re-align event", f"event {event_id}", realign)
    return see_other(f"/admin/events/{event_id}")


@router.post("/events/{event_id}/merge", dependencies=ADMIN_FORM)
def event_merge(request: Request, admin: Admin, event_id: Id, other_id: FormId) -> Response:
    def merge(session: Session) -> dict:
        merge_events(session, keep_id=event_id, absorb_id=other_id)
        return {"absorbed_event": other_id}

    correct(request, admin, "merge events", f"event {event_id}", merge)
    return see_other(f"/admin/events/{event_id}")


@router.post("/events/{event_id}/split", dependencies=ADMIN_FORM)
def event_split(
    request: Request,
    admin: Admin,
    event_id: Id,
    article_ids: FormIds = None,
) -> Response:
    chosen = sorted(set(article_ids or []))

    def split(session: Session) -> dict:
        return {"articles": chosen, "new_event": split_event(session, event_id, chosen)}

    detail = correct(request, admin, "split event", f"event {event_id}", split)
    return see_other(f"/admin/events/{detail['new_event']}")


@router.post("/claims/{claim_id}/merge", dependencies=ADMIN_FORM)
def claim_merge(request: Request, admin: Admin, claim_id: Id, into_id: FormId) -> Response:
    def merge(session: Session) -> dict:
        survivor = merge_claims(session, claim_id, into_id)
        return {"into_claim": survivor.id, "event": survivor.event_id}

    detail = correct(request, admin, "merge claims", f"claim {claim_id}", merge)
    return see_other(f"/admin/events/{detail['event']}#claim-{detail['into_claim']}")


@router.post("/claims/{claim_id}/split", dependencies=ADMIN_FORM)
def claim_split(request: Request, admin: Admin, claim_id: Id, mention_id: FormId) -> Response:
    def split(session: Session) -> dict:
        if queries.mention_claim_id(session, mention_id) != claim_id:
            raise ValueError(f"mention {mention_id} is not part of claim {claim_id}")
        new_claim = split_mention(session, mention_id)
        return {"mention": mention_id, "new_claim": new_claim.id, "event": new_claim.event_id}

    detail = correct(request, admin, "split claim", f"claim {claim_id}", split)
    return see_other(f"/admin/events/{detail['event']}#claim-{detail['new_claim']}")


# --- uploads: preview one article, or ingest a batch in the background --------------------------


@router.get("/upload")
def upload_form(request: Request, admin: Admin, settings: SettingsDep) -> Response:
    limits = {
        "extensions": sorted(SUPPORTED_EXTENSIONS),
        "max_file": human_size(settings.upload_max_file_bytes),
        "max_request": human_size(settings.upload_max_request_bytes),
        "max_files": settings.upload_max_files,
    }
    return page(request, "admin/upload.html", limits, admin)


@router.post("/upload")
async def upload(request: Request, admin: Admin, settings: SettingsDep) -> Response:
    form = await admin_form(request, settings)
    files = [await checked_upload(file, settings) for file in uploaded_files(form)]
    text = pasted_text(form, settings)
    if text and files:
        raise Refused(400, "Paste text or upload files, not both; nothing was stored.")
    if not text and not files:
        raise Refused(400, "Nothing to upload: paste an article or choose files.")
    overrides = GivenMeta(
        outlet=optional(form.get("outlet")),
        url=optional(form.get("url")),
        published_at=iso_day(form.get("published_at")),
    )
    max_bytes = settings.upload_max_file_bytes
    if len(files) == 1 or text:
        raw = await run_in_threadpool(uploads.single_article, text, files, overrides, max_bytes)
        if raw is not None:
            return await run_in_threadpool(preview_page, request, admin, raw)
    return await run_in_threadpool(start_job, request, admin, files, overrides, max_bytes)


async def admin_form(request: Request, settings: Settings) -> FormData:
    """The posted form within the upload limits, its CSRF token checked (the session already is).

    Uploads and previews read their form here: a preview token can be larger than the default
    1 MB a form field may hold."""
    form = await limited_form(
        request,
        max_body=settings.upload_max_request_bytes,
        max_files=settings.upload_max_files,
        max_part=settings.upload_max_request_bytes,
    )
    verify_csrf(request, form.get(CSRF_FIELD))
    return form


def start_job(
    request: Request, admin: str, files: list[Upload], overrides: GivenMeta, max_bytes: int
) -> Response:
    job_id = request.app.state.jobs.submit_uploads(admin, files, overrides, max_bytes)
    return see_other(f"/admin/jobs/{job_id}")


def preview_tokens(request: Request) -> PreviewTokens:
    return PreviewTokens(request.app.state.secret_key)


def preview_page(request: Request, admin: str, raw: RawArticle) -> Response:
    """What ingest would store for `raw`, with its metadata editable; nothing is written."""
    context = uploads.preview_context(request.app.state.engine, raw, preview_tokens(request))
    return page(request, "admin/preview.html", context, admin)


@router.post("/upload/confirm")
async def upload_confirm(request: Request, admin: Admin, settings: SettingsDep) -> Response:
    """Re-previews with the edited metadata, or stores the article through the one ingest path."""
    form = await admin_form(request, settings)
    raw = preview_tokens(request).loads(str(form.get("token") or ""))
    raw.given = GivenMeta(
        outlet=optional(form.get("outlet")),
        title=optional(form.get("title")),
        url=optional(form.get("url")),
        published_at=iso_day(form.get("published_at")),
        dateline=optional(form.get("dateline")),
    )
    if str(form.get("action") or "store") == "preview":
        return await run_in_threadpool(preview_page, request, admin, raw)
    stored = await run_in_threadpool(uploads.store, request.app.state.engine, admin, raw)
    outcome = "duplicate" if stored.duplicate else "added"
    return see_other(f"/admin/articles/{stored.article_id}?{outcome}=1")


@router.get("/jobs/{job_id}")
def job_page(request: Request, admin: Admin, db: SessionDep, job_id: Id) -> Response:
    job = queries.job_status(db, job_id)
    if job is None:
        raise Refused(404, f"There is no upload job {job_id}.")
    return page(request, "admin/job.html", {"job": job}, admin, block="progress")


def install_jobs(app: FastAPI, settings: Settings) -> None:
    """The app's batch-ingest queue (jobs run on a thread while the app serves, unless
    `serve_runs_jobs` is off and `parallax worker` processes run them)."""
    app.state.jobs = JobQueue(app.state.engine, run_jobs=settings.serve_runs_jobs)


@asynccontextmanager
async def running_jobs(app: FastAPI) -> AsyncIterator[None]:
    """The lifespan of the app's job worker thread: started with the app, stopped with it."""
    app.state.jobs.start()
    yield
    await run_in_threadpool(app.state.jobs.stop)


@router.get("/feeds")
def feeds_page(request: Request, admin: Admin, db: SessionDep) -> Response:
    return page(request, "admin/feeds.html", feed_list(db), admin)


@router.post("/feeds", dependencies=ADMIN_FORM)
def feed_add(
    request: Request,
    admin: Admin,
    url: Annotated[str, Form(max_length=2000)],
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    interval_minutes: Annotated[int, Form(ge=1, le=7 * 24 * 60)] = DEFAULT_INTERVAL_MINUTES,
    allow_private: Annotated[bool, Form()] = False,
) -> Response:
    def add(session: Session) -> dict:
        feed = add_feed(
            session,
            url,
            outlet=optional(outlet),
            allow_private=allow_private,
            interval_minutes=interval_minutes,
            added_by=admin,
        )
        return {"feed": feed.id, "outlet": feed.outlet, "allow_private": allow_private}

    correct(request, admin, "add feed", url.strip(), add)
    return see_other("/admin/feeds")


@router.post("/feeds/{feed_id}/remove", dependencies=ADMIN_FORM)
def feed_remove(request: Request, admin: Admin, feed_id: Id) -> Response:
    correct(
        request,
        admin,
        "remove feed",
        f"feed {feed_id}",
        lambda session: {"url": remove_feed(session, feed_id)},
    )
    return see_other("/admin/feeds")


@router.post("/feeds/{feed_id}/poll", dependencies=ADMIN_FORM)
def feed_poll(request: Request, admin: Admin, feed_id: Id) -> Response:
    """Queues a poll of the feed for a worker (its job page follows it): fetching its pages
    can take minutes, more than a request should wait."""
    limits = FeedLimits.of(request.app.state.settings)
    try:
        job_id = request.app.state.jobs.submit_feed_poll(admin, feed_id, limits)
    except LookupError:
        raise Refused(404, f"There is no feed {feed_id}; it may have been removed.") from None
    return see_other(f"/admin/jobs/{job_id}")


@router.get("/tokens")
def tokens_page(request: Request, admin: Admin, db: SessionDep) -> Response:
    return page(request, "admin/tokens.html", {**token_list(db), "scopes": SCOPES}, admin)


@router.post("/tokens", dependencies=ADMIN_FORM)
def token_create(
    request: Request,
    admin: Admin,
    name: Annotated[str, Form(max_length=200)],
    scope: Annotated[str, Form(max_length=40)] = "ingest",
) -> Response:
    issued = {}

    def create(session: Session) -> dict:
        token, issued["secret"] = create_token(session, name, scope, admin)
        issued["id"] = token.id
        return {"token": token.id, "name": token.name, "scope": token.scope}

    correct(request, admin, "create API token", name.strip(), create)
    with session_scope(request.app.state.engine) as session:
        context = {**token_list(session), "scopes": SCOPES, "new_token": issued}
    return page(request, "admin/tokens.html", context, admin, status_code=201)


@router.post("/tokens/{token_id}/revoke", dependencies=ADMIN_FORM)
def token_revoke(request: Request, admin: Admin, token_id: Id) -> Response:
    correct(
        request,
        admin,
        "revoke API token",
        f"token {token_id}",
        lambda session: {"name": revoke_token(session, token_id)},
    )
    return see_other("/admin/tokens")
