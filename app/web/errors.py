"""Turns missing pages and unreadable parameters into helpful HTML pages (JSON under /api)."""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.web.rendering import render

# Other surfaces (the API, admin) keep FastAPI's own JSON errors, redirects and headers.
HTML_PREFIXES_EXCLUDED = ("/api", "/admin", "/static", "/docs", "/openapi.json", "/redoc")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def is_reader_page(request: Request) -> bool:
    return not request.url.path.startswith(HTML_PREFIXES_EXCLUDED)


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
