"""Routes of the admin surface: sign-in, uploads with preview, batch jobs, corrections, audit."""

from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from app import audit
from app.auth import authenticate
from app.corrections.articles import ArticleEdit, delete_article, edit_article
from app.corrections.claims import merge_claims, split_mention
from app.corrections.events import merge_events, move_article, split_event
from app.db import session_scope
from app.ingest.align import realign_event
from app.ingest.parse import SUPPORTED_EXTENSIONS, GivenMeta, RawArticle, parse_text
from app.ingest.run import ingest_items, preview
from app.jobs import JobRunner, Upload, fail_interrupted_jobs, parse_uploads
from app.queries import admin as queries
from app.queries.admin import cleaning_lines, event_preview
from app.queries.common import is_web_url
from app.web.deps import get_session
from app.web.params import MAX_PAGE, FormId, FormIds, Id
from app.web.rendering import render
from app.web.security import (
    CSRF_FIELD,
    Refused,
    client_address,
    csrf_token,
    human_size,
    limited_form,
    require_admin,
    require_csrf,
    sign_in,
    sign_out,
    verify_csrf,
    wants_json,
)

router = APIRouter(prefix="/admin")

Admin = Annotated[str, Depends(require_admin)]
Db = Annotated[Session, Depends(get_session)]
CHECKED = [Depends(require_csrf)]  # forms anyone may send: sign-in, sign-out
# Admin forms: the session is checked first (401), then the CSRF token (403).
ADMIN_FORM = [Depends(require_admin), Depends(require_csrf)]
AuditPage = Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)]  # `page` names the renderer
PREVIEW_MAX_AGE = 3600  # seconds an admin has to confirm a preview


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


def optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def parse_day(value: str | None) -> date | None:
    value = optional(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(400, f"Not a date: {value!r}. Use the form YYYY-MM-DD.") from None


def web_url(value: str | None) -> str | None:
    value = optional(value)
    if value is not None and not is_web_url(value):
        raise Refused(
            400,
            f"Not a web address: {value!r}. A source URL must start with http:// or https://; "
            "nothing was changed.",
        )
    return value


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return page(request, "admin/login.html", {"next": safe_next(next), "error": None}, None)


@router.post("/login", dependencies=CHECKED)
def login(
    request: Request,
    db: Db,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/admin",
) -> Response:
    limiter = request.app.state.signin_limiter
    address = client_address(request)
    wait = limiter.wait_seconds(username, address)
    if wait:
        minutes = (wait + 59) // 60
        raise Refused(
            429,
            f"Too many failed sign-ins for this account or from this address. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after=wait,
        )
    user = authenticate(db, username, password)
    if user is None:
        limiter.record_failure(username, address)
        context = {"next": safe_next(next), "error": "Wrong username or password."}
        return page(request, "admin/login.html", context, None, status_code=401)
    limiter.forget_account(username)
    sign_in(request, user.username, user.password_hash)
    return see_other(safe_next(next))


@router.post("/logout", dependencies=CHECKED)
def logout(request: Request) -> Response:
    sign_out(request)
    return see_other("/admin/login")


@router.get("")
def dashboard(request: Request, admin: Admin, db: Db) -> Response:
    return page(request, "admin/dashboard.html", queries.dashboard(db), admin)


@router.get("/attention")
def attention(request: Request, admin: Admin, db: Db) -> Response:
    return page(request, "admin/attention.html", queries.attention_list(db), admin)


@router.get("/audit")
def audit_page(request: Request, admin: Admin, db: Db, number: AuditPage = 1) -> Response:
    return page(request, "admin/audit.html", queries.audit_log(db, number), admin)


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    admin: Admin,
    db: Db,
    article_id: Id,
    added: bool = False,
    duplicate: bool = False,
) -> Response:
    detail = queries.article_detail(db, article_id)
    if detail is None:
        raise Refused(404, f"There is no article {article_id}; it may have been deleted.")
    context = {"article": detail, "added": added, "duplicate": duplicate}
    return page(request, "admin/article.html", context, admin)


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
) -> Response:
    edit = ArticleEdit(
        outlet=optional(outlet),
        title=optional(title),
        published_at=parse_day(published_at),
        url=web_url(url),
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
def event_page(request: Request, admin: Admin, db: Db, event_id: Id) -> Response:
    detail = queries.event_detail(db, event_id)
    if detail is None:
        raise Refused(404, f"There is no event {event_id}.")
    return page(request, "admin/event.html", {"event": detail}, admin)


@router.post("/events/{event_id}/realign", dependencies=ADMIN_FORM)
def event_realign(request: Request, admin: Admin, event_id: Id) -> Response:
    def realign(session: Session) -> dict:
        queries.require_event(session, event_id)
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
def upload_form(request: Request, admin: Admin) -> Response:
    settings = request.app.state.settings
    limits = {
        "extensions": sorted(SUPPORTED_EXTENSIONS),
        "max_file": human_size(settings.upload_max_file_bytes),
        "max_request": human_size(settings.upload_max_request_bytes),
        "max_files": settings.upload_max_files,
    }
    return page(request, "admin/upload.html", limits, admin)


@router.post("/upload")
async def upload(request: Request, admin: Admin) -> Response:
    settings = request.app.state.settings
    form = await admin_form(request)
    uploads = [await checked_upload(file, settings) for file in uploaded_files(form)]
    text = str(form.get("text") or "").strip()
    if len(text.encode()) > settings.upload_max_file_bytes:
        raise Refused(413, f"The pasted text is over {size_limit(settings)}; nothing was stored.")
    if text and uploads:
        raise Refused(400, "Paste text or upload files, not both; nothing was stored.")
    if not text and not uploads:
        raise Refused(400, "Nothing to upload: paste an article or choose files.")
    overrides = GivenMeta(
        outlet=optional(form.get("outlet")),
        url=optional(form.get("url")),
        published_at=iso_day(form.get("published_at")),
    )
    if len(uploads) > 1:
        return start_job(request, admin, uploads, overrides)
    return await run_in_threadpool(read_one, request, admin, text, uploads, overrides)


async def admin_form(request: Request) -> FormData:
    """The posted form within the upload limits, its CSRF token checked (the session already is).

    Uploads and previews read their form here: a preview token can be larger than the default
    1 MB a form field may hold."""
    settings = request.app.state.settings
    form = await limited_form(
        request,
        max_body=settings.upload_max_request_bytes,
        max_files=settings.upload_max_files,
        max_part=settings.upload_max_request_bytes,
    )
    verify_csrf(request, form.get(CSRF_FIELD))
    return form


def read_one(
    request: Request, admin: str, text: str, uploads: list[Upload], overrides: GivenMeta
) -> Response:
    """Pasted text or one file: previewed when it is one article, else ingested as a batch."""
    settings = request.app.state.settings
    items = (
        parse_text(text, given=overrides)
        if text
        else parse_uploads(uploads, overrides, settings.upload_max_file_bytes)
    )
    articles = [item for item in items if isinstance(item, RawArticle)]
    if not articles:
        reasons = "; ".join(f"{item.source}: {item.reason}" for item in items)
        raise Refused(400, f"Nothing could be read as an article ({reasons}); nothing was stored.")
    if len(items) > 1:  # one file holding many articles (JSON list or JSON lines)
        return start_job(request, admin, uploads, overrides)
    return preview_page(request, admin, articles[0])


def uploaded_files(form) -> list[UploadFile]:
    return [
        item for item in form.getlist("files") if isinstance(item, UploadFile) and item.filename
    ]


def size_limit(settings) -> str:
    return f"the {human_size(settings.upload_max_file_bytes)} limit per file"


async def checked_upload(file: UploadFile, settings) -> Upload:
    name = PurePosixPath(file.filename.replace("\\", "/")).name
    extension = PurePosixPath(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        accepted = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise Refused(
            415,
            f"{name}: unsupported file type {extension or '(none)'}; accepted: {accepted}. "
            "Nothing was stored.",
        )
    if file.size is not None and file.size > settings.upload_max_file_bytes:
        raise Refused(
            413,
            f"{name} is {human_size(file.size)}, over {size_limit(settings)}; nothing was stored.",
        )
    return Upload(name, await file.read())


def iso_day(value) -> str | None:
    day = parse_day(value)
    return day.isoformat() if day else None


def start_job(
    request: Request, admin: str, uploads: list[Upload], overrides: GivenMeta
) -> Response:
    max_bytes = request.app.state.settings.upload_max_file_bytes
    job_id, _ = request.app.state.jobs.submit(
        admin, lambda: parse_uploads(uploads, overrides, max_bytes)
    )
    return see_other(f"/admin/jobs/{job_id}")


def preview_serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="parallax-preview")


def preview_page(request: Request, admin: str, raw: RawArticle) -> Response:
    """What ingest would store for `raw`, with its metadata editable; nothing is written."""
    engine = request.app.state.engine
    found = preview(engine, raw)
    context = {
        "preview": found,
        "event": None if found["rejected"] or found["duplicate_of"] else event_preview(engine, raw),
        "lines": cleaning_lines(raw.text, found.get("removed") or []),
        "token": preview_serializer(request).dumps({"source": raw.source, "text": raw.text}),
    }
    return page(request, "admin/preview.html", context, admin)


@router.post("/upload/confirm")
async def upload_confirm(request: Request, admin: Admin) -> Response:
    form = await admin_form(request)
    fields = {
        name: str(form.get(name) or "")
        for name in ("outlet", "title", "published_at", "dateline", "url")
    }
    token, action = str(form.get("token") or ""), str(form.get("action") or "store")
    return await run_in_threadpool(confirm, request, admin, token, action, **fields)


def confirm(
    request: Request,
    admin: str,
    token: str,
    action: str,
    *,
    outlet: str,
    title: str,
    published_at: str,
    dateline: str,
    url: str,
) -> Response:
    """Re-previews with the edited metadata, or stores the article through the one ingest path."""
    try:
        kept = preview_serializer(request).loads(token, max_age=PREVIEW_MAX_AGE)
    except BadSignature:
        raise Refused(
            400, "This preview has expired or was altered; upload the article again."
        ) from None
    given = GivenMeta(
        outlet=optional(outlet),
        title=optional(title),
        url=optional(url),
        published_at=iso_day(published_at),
        dateline=optional(dateline),
    )
    raw = RawArticle(kept["source"], kept["text"], given=given)
    if action == "preview":
        return preview_page(request, admin, raw)
    report = ingest_items(request.app.state.engine, [raw])
    with session_scope(request.app.state.engine) as session:
        summary = report.to_dict()
        audit.record(
            session,
            admin,
            "upload article",
            raw.source,
            added=[item["article_id"] for item in summary["added"]],
            duplicates=[item["article_id"] for item in summary["duplicates"]],
            rejected=[item["reason"] for item in summary["rejected"]],
        )
    if report.added:
        return see_other(f"/admin/articles/{report.added[0].article_id}?added=1")
    if report.duplicates:
        return see_other(f"/admin/articles/{report.duplicates[0].article_id}?duplicate=1")
    reasons = "; ".join(problem.reason for problem in report.rejected)
    raise Refused(400, f"The article was not stored: {reasons}.")


@router.get("/jobs/{job_id}")
def job_page(request: Request, admin: Admin, db: Db, job_id: Id) -> Response:
    job = queries.job_status(db, job_id)
    if job is None:
        raise Refused(404, f"There is no upload job {job_id}.")
    return page(request, "admin/job.html", {"job": job}, admin, block="progress")


def install_jobs(app: FastAPI) -> None:
    """The app's batch-ingest worker; jobs a previous run left unfinished are marked failed."""
    fail_interrupted_jobs(app.state.engine)
    app.state.jobs = JobRunner(app.state.engine)
