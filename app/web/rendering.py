"""Renders a template as a full page, or only one of its blocks for an HTMX request."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks

from app.db import PROJECT_ROOT


def make_templates() -> Jinja2Blocks:
    """Templates compiled once per process: a deploy's templates do not change under it (the
    ETags' code fingerprint says the same), so no render asks the file system whether they did."""
    environment = Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=select_autoescape(),
        auto_reload=False,
    )
    return Jinja2Blocks(env=environment)


def wants_fragment(request: Request) -> bool:
    headers = request.headers
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or just `block` when HTMX asks for it; always `Vary: HX-Request`."""
    templates: Jinja2Blocks = request.app.state.templates
    block_name = block if block and wants_fragment(request) else None
    response = templates.TemplateResponse(
        request, template, context, block_name=block_name, status_code=status_code
    )
    response.headers["Vary"] = "HX-Request"
    return response
