"""Query parameters shared by the pages and the API: a blank form field counts as absent."""

from datetime import date
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BeforeValidator, StringConstraints


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none), Query()]
ShortText = Annotated[str, StringConstraints(max_length=200)]
OptionalText = Annotated[ShortText | None, BeforeValidator(_blank_to_none), Query()]
GridSort = Annotated[Literal["outlets", "order"], Query()]
GridShow = Annotated[Literal["all", "quotes", "figures", "disputed", "single"], Query()]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]
