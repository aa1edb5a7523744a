"""Routes of the admin surface: sign-in, uploads with preview, batch jobs, corrections, audit."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import audit
from app.auth import authenticate
from app.corrections.articles import ArticleEdit, delete_article, edit_article
from app.db import session_scope
from app.queries import admin as queries
from app.web.deps import get_session
from app.web.rendering import render
from app.web.security import (
    Refused,
    client_address,
    csrf_token,
    require_admin,
    require_csrf,
    sign_in,
    sign_out,
)

router = APIRouter(prefix="/admin")

Admin = Annotated[str, Depends(require_admin)]
Db = Annotated[Session, Depends(get_session)]
CHECKED = [Depends(require_csrf)]


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    admin: str | None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> Response:
    """Renders an admin page with the signed-in admin and the session's CSRF token."""
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
def audit_page(
    request: Request, admin: Admin, db: Db, number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    return page(request, "admin/audit.html", queries.audit_log(db, number), admin)


@router.get("/articles/{article_id}")
def article_page(request: Request, admin: Admin, db: Db, article_id: int) -> Response:
    detail = queries.article_detail(db, article_id)
    if detail is None:
        raise Refused(404, f"There is no article {article_id}; it may have been deleted.")
    return page(request, "admin/article.html", {"article": detail}, admin)


@router.post("/articles/{article_id}/edit", dependencies=CHECKED)
def article_edit(
    request: Request,
    admin: Admin,
    article_id: int,
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    title: Annotated[str | None, Form(max_length=1000)] = None,
    published_at: Annotated[str | None, Form(max_length=40)] = None,
    url: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    edit = ArticleEdit(
        outlet=optional(outlet),
        title=optional(title),
        published_at=parse_day(published_at),
        url=optional(url),
    )
    with session_scope(request.app.state.engine) as session:
        try:
            changes = edit_article(session, article_id, edit)
        except LookupError as error:
            raise Refused(404, str(error).capitalize() + ".") from None
        if changes:
            audit.record(session, admin, "edit article", f"article {article_id}", **changes)
    return see_other(f"/admin/articles/{article_id}")


@router.post("/articles/{article_id}/delete", dependencies=CHECKED)
def article_delete(request: Request, admin: Admin, article_id: int) -> Response:
    with session_scope(request.app.state.engine) as session:
        try:
            removed = delete_article(session, article_id)
        except LookupError as error:
            raise Refused(404, str(error).capitalize() + ".") from None
        audit.record(session, admin, "delete article", f"article {article_id}", **removed)
    return see_other("/admin/attention")
