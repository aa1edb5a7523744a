"""Turns every request into a guarded one: signed session cookie, CSRF, sign-in limits, headers."""

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.engine import make_url
from starlette.datastructures import FormData, MutableHeaders
from starlette.formparsers import MultiPartException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth import find_user
from app.settings import Settings
from app.web.rendering import render

SESSION_COOKIE = "parallax_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SIGN_IN_PATH = "/admin/login"
MAX_TRACKED_KEYS = 10_000  # above this many accounts and addresses, expired ones are dropped

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# FastAPI's interactive API docs load Swagger UI / ReDoc from a CDN with an inline bootstrap
# script; those two pages show no stored text, so they alone get this wider policy.
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


class Refused(Exception):
    """A request turned away, with the status and a message a person can act on."""

    def __init__(self, status_code: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.retry_after = retry_after


class NotSignedIn(Exception):
    """An admin route reached without a valid session."""


def secret_key_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).parent / "secret_key"


def load_secret_key(settings: Settings) -> str:
    """The configured key, else the one kept next to the database, created (0600) on first use."""
    if settings.secret_key:
        return settings.secret_key
    path = secret_key_path(settings.database_url)
    if path is None:
        return secrets.token_urlsafe(48)  # no data dir to share: sessions last as long as the app
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        with os.fdopen(descriptor, "w") as handle:  # mkstemp creates the file with mode 0600
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)  # atomic: of two apps starting together, one key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


class SessionMiddleware:
    """A signed, timestamped session cookie (HttpOnly, SameSite=Lax, Secure over https)."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int, secure_cookies: str):
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="parallax-session")
        self.max_age = max_age
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["session"] = self.load(HTTPConnection(scope).cookies.get(SESSION_COOKIE))
        loaded = json.dumps(scope["session"], sort_keys=True)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = scope["session"]
                if json.dumps(session, sort_keys=True) != loaded:
                    cookie = self.cookie_header(session, secure=self.is_secure(scope))
                    MutableHeaders(scope=message).append("Set-Cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def load(self, cookie: str | None) -> dict:
        if not cookie:
            return {}
        try:
            data = self.serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}

    def is_secure(self, scope: Scope) -> bool:
        if self.secure_cookies == "auto":
            return scope.get("scheme") == "https"
        return self.secure_cookies == "always"

    def cookie_header(self, session: dict, *, secure: bool) -> str:
        value, max_age = (self.serializer.dumps(session), self.max_age) if session else ("", 0)
        flags = "; Secure" if secure else ""
        return f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{flags}"


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


class SignInLimiter:
    """Failed sign-ins in a sliding window, per account and per client address (per process)."""

    def __init__(self, max_failures: int, window: int, clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> list[tuple[str, str]]:
        return [("account", username.casefold()), ("address", address)]

    def wait_seconds(self, username: str, address: str) -> int:
        """0 if a sign-in may be tried now, else how long until the oldest failure expires."""
        now = self.clock()
        with self.lock:
            waits = [0.0]
            for key in self.keys(username, address):
                times = self.failures.get(key)
                while times and times[0] <= now - self.window:
                    times.popleft()
                if times is not None and not times:
                    del self.failures[key]
                elif times and len(times) >= self.max_failures:
                    waits.append(times[-self.max_failures] + self.window - now)
        return int(max(waits) + 0.999)

    def record_failure(self, username: str, address: str) -> None:
        now = self.clock()
        with self.lock:
            for key in self.keys(username, address):
                self.failures[key].append(now)
            if len(self.failures) > MAX_TRACKED_KEYS:
                self.forget_expired(now)

    def forget_expired(self, now: float) -> None:
        """Drops keys whose last failure left the window, so guessed names cannot fill memory."""
        stale = [
            k for k, times in self.failures.items() if not times or times[-1] <= now - self.window
        ]
        for key in stale:
            del self.failures[key]

    def forget_account(self, username: str) -> None:
        with self.lock:
            self.failures.pop(("account", username.casefold()), None)


def client_address(request: Request) -> str:
    """The peer address (behind a proxy, run uvicorn with --proxy-headers so this is the client)."""
    return request.client.host if request.client else "unknown"


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created (and the cookie set) on first use."""
    if CSRF_FIELD not in request.session:
        request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return request.session[CSRF_FIELD]


def verify_csrf(request: Request, submitted: object) -> None:
    expected = request.session.get(CSRF_FIELD)
    submitted = submitted or request.headers.get(CSRF_HEADER)
    if not (
        isinstance(expected, str)
        and isinstance(submitted, str)
        and hmac.compare_digest(expected, submitted)
    ):
        raise Refused(
            403,
            "This form has expired or did not come from this site. Reload the page and try again.",
        )


async def require_csrf(request: Request) -> None:
    """Dependency for small forms (uploads check the token after enforcing their own limits)."""
    form = await request.form()
    verify_csrf(request, form.get(CSRF_FIELD))


def password_fingerprint(request: Request, password_hash: str) -> str:
    """Ties a session to the password it was opened with: changing the password ends it."""
    key = request.app.state.secret_key.encode()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def sign_in(request: Request, username: str, password_hash: str) -> None:
    request.session.clear()
    request.session.update(
        {
            "user": username,
            "since": int(time.time()),
            "pw": password_fingerprint(request, password_hash),
            CSRF_FIELD: secrets.token_urlsafe(32),
        }
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def require_admin(request: Request) -> str:
    """Dependency: the signed-in admin's username, or NotSignedIn."""
    session = request.session
    username = session.get("user")
    max_age = request.app.state.settings.session_max_age
    if not isinstance(username, str) or time.time() - session.get("since", 0) > max_age:
        raise NotSignedIn
    user = find_user(request.app.state.engine, username)
    if user is None or not hmac.compare_digest(
        str(session.get("pw", "")), password_fingerprint(request, user.password_hash)
    ):
        raise NotSignedIn
    return username


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


async def handle_not_signed_in(request: Request, _exc: NotSignedIn) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": "sign in required"}, status_code=401)
    target = f"{SIGN_IN_PATH}?next={quote(request.url.path)}"
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.method != "GET":
        return render(
            request,
            "admin/refused.html",
            {"message": "Your session has ended. Sign in again.", "sign_in": target},
            status_code=401,
        )
    return RedirectResponse(target, status_code=303)


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


def install_security(app: FastAPI, settings: Settings) -> None:
    app.state.secret_key = load_secret_key(settings)
    app.state.signin_limiter = SignInLimiter(settings.signin_max_failures, settings.signin_window)
    app.add_middleware(
        SessionMiddleware,
        secret_key=app.state.secret_key,
        max_age=settings.session_max_age,
        secure_cookies=settings.secure_cookies,
    )
    docs_paths = frozenset(path for path in (app.docs_url, app.redoc_url) if path)
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs_paths)
    app.add_exception_handler(NotSignedIn, handle_not_signed_in)
    app.add_exception_handler(Refused, handle_refused)


def human_size(size: int) -> str:
    megabytes = size / 2**20
    if megabytes >= 1:
        return f"{megabytes:.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.1f}".removesuffix(".0") + " KB"


async def limited_form(
    request: Request, *, max_body: int, max_files: int, max_part: int
) -> FormData:
    """The request's form, refused before parsing when the body is over `max_body` bytes."""
    too_large = Refused(
        413,
        f"The upload is larger than the {human_size(max_body)} allowed per request; "
        "nothing was stored. Send fewer or smaller files.",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_body:
            raise too_large

    async def replay() -> Message:
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    try:
        return await Request(request.scope, replay).form(
            max_files=max_files, max_fields=50, max_part_size=max_part
        )
    except MultiPartException as error:
        raise Refused(400, f"The upload could not be read: {error.message}") from None
