"""Routes of the admin's sources: followed feeds (add, remove, poll now) and push-API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session

from app.db import session_scope
from app.feeds.poll import Poller
from app.feeds.sources import DEFAULT_INTERVAL_MINUTES, add_feed, remove_feed
from app.queries.feeds import feed_list, token_list
from app.tokens import SCOPES, create_token, revoke_token
from app.web.admin import ADMIN_FORM, Admin, correct, page, see_other
from app.web.deps import SessionDep
from app.web.errors import Refused
from app.web.forms import optional
from app.web.params import Id

router = APIRouter(prefix="/admin")


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
async def feed_poll(request: Request, admin: Admin, feed_id: Id) -> Response:
    result = await run_in_threadpool(poll_now, request, feed_id)
    correct(
        request,
        admin,
        "poll feed",
        f"feed {feed_id}",
        lambda _session: {"items": result.items, "error": result.error},
    )
    return see_other(f"/admin/feeds#feed-{feed_id}")


def poll_now(request: Request, feed_id: int):
    poller = Poller(request.app.state.engine, request.app.state.settings)
    try:
        return poller.poll_feed(feed_id)
    except LookupError:
        raise Refused(404, f"There is no feed {feed_id}; it may have been removed.") from None
    finally:
        poller.close()


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
