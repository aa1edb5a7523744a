"""Turns errors into responses, registered once: missing or merged rows, refusals, unreadable
parameters, as pages (JSON under /api)."""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.queries.common import Gone, Moved, NotFound
from app.uploads import UploadRefused
from app.web.params import moved
from app.web.rendering import render

# Other surfaces (the API, admin) keep FastAPI's own JSON errors, redirects and headers.
HTML_PREFIXES_EXCLUDED = ("/api", "/admin", "/static", "/docs", "/openapi.json", "/redoc")
API_PREFIX = "/api/"


class Refused(Exception):
    """A request turned away, with the status and a message a person can act on."""

    def __init__(self, status_code: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.retry_after = retry_after


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(NotFound, row_not_found)
    app.add_exception_handler(Moved, row_moved)
    app.add_exception_handler(Gone, row_gone)
    app.add_exception_handler(Refused, handle_refused)
    app.add_exception_handler(UploadRefused, handle_upload_refused)


def is_reader_page(request: Request) -> bool:
    return not request.url.path.startswith(HTML_PREFIXES_EXCLUDED)


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return is_api(request) or ("application/json" in accept and "text/html" not in accept)


def not_found_page(request: Request, message: str = "There is no page at this address."):
    return error_page(request, 404, "Not found", message)


def removed_page(request: Request, what: str):
    message = (
        f"This {what} was removed by an editor, usually because it was extracted by mistake. "
        "The event it belonged to is still on the timeline."
    )
    return error_page(request, 410, f"This {what} was removed", message)


def error_page(request: Request, status: int, title: str, message: str):
    context = {"status": status, "title": title, "message": message}
    return render(request, "error.html", context, status_code=status)


def requested_row(request: Request) -> tuple[str, str, object]:
    """The route's id parameter: its name, what it names ("event") and the requested value."""
    name, value = next((k, v) for k, v in request.path_params.items() if k.endswith("_id"))
    return name, name.removesuffix("_id"), value


async def row_not_found(request: Request, _exc: NotFound) -> Response:
    _name, what, row_id = requested_row(request)
    if is_api(request):
        return JSONResponse({"detail": f"No {what} {row_id}."}, status_code=404)
    return not_found_page(request, f"There is no {what} {row_id}.")


async def row_moved(request: Request, exc: Moved) -> Response:
    """The same resource of the row it was merged into (pages 301, API 308, query kept)."""
    name, _what, _row_id = requested_row(request)
    route = request.scope["route"]
    path = route.url_path_for(route.name, **{**request.path_params, name: exc.new_id})
    return moved(request, str(path), 308 if is_api(request) else 301)


async def row_gone(request: Request, _exc: Gone) -> Response:
    _name, what, _row_id = requested_row(request)
    if is_api(request):
        return JSONResponse({"detail": f"This {what} was removed."}, status_code=410)
    return removed_page(request, what)


async def handle_refused(request: Request, exc: Refused) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    if wants_json(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)
    response = render(
        request, "admin/refused.html", {"message": exc.message}, status_code=exc.status_code
    )
    if headers:
        response.headers.update(headers)
    return response


async def handle_upload_refused(request: Request, exc: UploadRefused) -> Response:
    return await handle_refused(request, Refused(400, str(exc)))


async def http_error(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 404 and is_reader_page(request):
        return not_found_page(request)
    return await http_exception_handler(request, exc)


async def validation_error(request: Request, exc: RequestValidationError):
    if is_reader_page(request):
        fields = sorted({str(error["loc"][-1]) for error in exc.errors() if error.get("loc")})
        message = "This address has a value we cannot read: " + (", ".join(fields) or "unknown")
        return error_page(request, 422, "Cannot read this address", message + ".")
    return await request_validation_exception_handler(request, exc)
