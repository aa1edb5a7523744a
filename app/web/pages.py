"""Routes of the reader's pages: timeline, event grid, claim comparison (and its share image),
article, search, storyline, outlet."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.queries.articles import article_detail
from app.queries.claims import claim_detail
from app.queries.events import event_detail
from app.queries.outlets import outlet_detail
from app.queries.search import search
from app.queries.storylines import storyline_detail
from app.queries.timeline import timeline
from app.web.deps import SessionDep
from app.web.params import (
    GridShow,
    GridSort,
    Id,
    TimelineFilters,
    with_page,
)
from app.web.rendering import render, wants_fragment

router = APIRouter(include_in_schema=False)
Reference = Annotated[str | None, Query(max_length=200)]


def absolute(request: Request, path: str) -> str:
    """`path` on the configured public base URL, else on the request's (allowed) host."""
    base = request.app.state.settings.base_url or str(request.base_url)
    return base.rstrip("/") + path


@router.get("/")
def timeline_page(
    request: Request, session: SessionDep, filters: Annotated[TimelineFilters, Depends()]
):
    data = timeline(session, **asdict(filters))
    data["next"] = with_page(request, data["next_page"])
    return render(request, "timeline.html", {"timeline": data}, block="event_page")


@router.get("/events/{event_id}")
def event_page(
    request: Request,
    event_id: Id,
    session: SessionDep,
    sort: GridSort = "outlets",
    show: GridShow = "all",
):
    event = event_detail(
        session, event_id, sort=sort, show=show, memo=request.app.state.event_pages
    )
    return render(request, "event.html", {"event": event, "claim": None}, block="grid")


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: Id, session: SessionDep, ref: Reference = None):
    """The comparison panel for HTMX; cold, the whole event page with the panel open (the
    event's data read once for both, or kept from an earlier page of the event)."""
    fragment = wants_fragment(request)
    event_pages = None if fragment else request.app.state.event_pages
    claim = claim_detail(session, claim_id, reference=ref, event_pages=event_pages)
    context = {
        "claim": claim,
        "permalink": absolute(request, claim["url"]),
        "share_image": absolute(request, f"{claim['url']}/share.png"),
        "as_fragment": fragment,
    }
    if not fragment and claim["event_id"] is not None:
        context["event"] = event_detail(session, claim["event_id"], memo=event_pages)
    return render(request, "claim.html", context, block="panel")


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: Id, session: SessionDep):
    article = article_detail(session, article_id)
    return render(request, "article.html", {"article": article})


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
):
    results = search(session, q) if q.strip() else None
    return render(request, "search.html", {"results": results, "query": q}, block="results")


@router.get("/claims/{claim_id}/share.png")
def claim_share_image(request: Request, claim_id: Id, session: SessionDep):
    """The comparison drawn as a PNG for link previews (og:image), cached per data version."""
    claim = claim_detail(session, claim_id)
    png, version = request.app.state.share_images.get(claim)
    headers = {"ETag": f'"{claim_id}-{version}"', "Cache-Control": "public, max-age=3600"}
    if request.headers.get("If-None-Match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(png, media_type="image/png", headers=headers)


@router.get("/storylines/{storyline_id}")
def storyline_page(request: Request, storyline_id: Id, session: SessionDep):
    storyline = storyline_detail(session, storyline_id)
    return render(request, "storyline.html", {"storyline": storyline})


@router.get("/outlets/{outlet_id}")
def outlet_page(request: Request, outlet_id: Id, session: SessionDep):
    outlet = outlet_detail(session, outlet_id)
    return render(request, "outlet.html", {"outlet": outlet})
