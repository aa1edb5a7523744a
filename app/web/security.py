"""Turns every request into a guarded one: CSP and protective headers, sessions, sign-in limits."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.settings import Settings
from app.web.limiter import AttemptLog, SignInLimiter
from app.web.sessions import (
    NotSignedIn,
    SessionMiddleware,
    handle_not_signed_in,
    load_secret_key,
)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# FastAPI's interactive API docs (only with PARALLAX_API_DOCS=true, for development) load Swagger
# UI / ReDoc from a CDN with an inline bootstrap script; those two pages alone get this policy.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; worker-src blob:; frame-ancestors 'none'; base-uri 'self'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and the other protective headers to every response."""

    def __init__(self, app: ASGIApp, *, docs_paths: frozenset[str]):
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_docs = scope["path"] in self.docs_paths

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                policy = DOCS_CONTENT_SECURITY_POLICY if is_docs else CONTENT_SECURITY_POLICY
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
                if scope["path"].startswith("/admin"):  # per-admin pages with CSRF tokens
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def handle_server_error(request: Request, _exc: Exception) -> Response:
    """An unhandled exception is answered outside every middleware, so its 500 response gets the
    protective headers here; it says nothing of the error itself."""
    if request.url.path.startswith("/api"):
        response = JSONResponse({"detail": "Internal server error"}, status_code=500)
    else:
        response = PlainTextResponse("Internal server error", status_code=500)
    response.headers.update(
        {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store"}
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def install_security(app: FastAPI, settings: Settings) -> None:
    app.state.secret_key = load_secret_key(settings)
    app.state.signin_limiter = SignInLimiter(
        settings.signin_max_failures, settings.signin_window, AttemptLog(app.state.engine)
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
        max_age=settings.session_max_age,
        secure_cookies=settings.secure_cookies,
    )
    if settings.proxy_addresses():
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.proxy_addresses())
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.host_names())
    docs_paths = frozenset(path for path in (app.docs_url, app.redoc_url) if path)
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs_paths)
    app.add_exception_handler(NotSignedIn, handle_not_signed_in)
    app.add_exception_handler(Exception, handle_server_error)
