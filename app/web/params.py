"""Query parameters and URL helpers shared by pages and API; blank fields count as absent."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BeforeValidator, Field, StringConstraints


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none), Query()]
ShortText = Annotated[str, StringConstraints(max_length=200)]
OptionalText = Annotated[ShortText | None, BeforeValidator(_blank_to_none), Query()]
GridSort = Annotated[Literal["outlets", "order"], Query()]
GridShow = Annotated[Literal["all", "quotes", "figures", "disputed", "single"], Query()]
MAX_PAGE = 1_000_000
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
# Row ids are `integer` columns: PostgreSQL's are 32-bit and refuse a larger value with an error
# (SQLite's 64-bit ones would merely miss), so ids past 2^31 - 1 are refused as unreadable.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
FormId = Annotated[int, Form(ge=1, le=MAX_ID)]
FormIds = Annotated[list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None, Form()]


@dataclass
class TimelineFilters:
    """The timeline's filters and page, read from the query string by pages and API alike."""

    outlet: OptionalText = None
    person: OptionalText = None
    date_from: OptionalDate = None
    date_to: OptionalDate = None
    page: PageNumber = 1


def with_page(request: Request, page: int | None) -> str | None:
    """This request's path and query with `page` replaced; None when there is no such page."""
    if not page:
        return None
    url = request.url.include_query_params(page=page)
    return f"{url.path}?{url.query}"


def moved(request: Request, new_path: str, status_code: int) -> RedirectResponse:
    """A redirect to the survivor of a merge, keeping the query string."""
    query = request.url.query
    return RedirectResponse(f"{new_path}?{query}" if query else new_path, status_code=status_code)
