"""Turns a signed cookie into the admin's session: secret key, session middleware, CSRF, sign-in."""

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.engine import make_url
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth import open_session, revoke_session, session_user
from app.models import User
from app.settings import Settings
from app.web.deps import SettingsDep
from app.web.errors import Refused, wants_json
from app.web.rendering import render

SESSION_COOKIE = "parallax_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SIGN_IN_PATH = "/admin/login"


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


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created (and the cookie set) on first use."""
    if CSRF_FIELD not in request.session:
        request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return request.session[CSRF_FIELD]


def is_same_origin(request: Request) -> bool:
    """False when the browser says the request came from another site (Origin, else Referer);
    a request that says neither (a script) relies on its token alone."""
    stated = request.headers.get("origin") or request.headers.get("referer")
    if not stated:
        return True
    origin = urlsplit(stated)
    allowed = {(request.url.scheme, request.url.netloc)}
    if base_url := request.app.state.settings.base_url:
        allowed.add(tuple(urlsplit(base_url)[:2]))
    return (origin.scheme, origin.netloc) in allowed


def verify_csrf(request: Request, submitted: object) -> None:
    expected = request.session.get(CSRF_FIELD)
    submitted = submitted or request.headers.get(CSRF_HEADER)
    if not (
        is_same_origin(request)
        and isinstance(expected, str)
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


def sign_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session.update(
        {
            "sid": open_session(request.app.state.engine, user),
            "pw": password_fingerprint(request, user.password_hash),
            CSRF_FIELD: secrets.token_urlsafe(32),
        }
    )


def sign_out(request: Request) -> None:
    """Ends the session on the server too: a copy of the cookie no longer signs anyone in."""
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        revoke_session(request.app.state.engine, session_id)
    request.session.clear()


def require_admin(request: Request, settings: SettingsDep) -> str:
    """Dependency: the signed-in admin's username, or NotSignedIn."""
    session_id = request.session.get("sid")
    if not isinstance(session_id, str):
        raise NotSignedIn
    user = session_user(request.app.state.engine, session_id, settings.session_max_age)
    if user is None or not hmac.compare_digest(
        str(request.session.get("pw", "")), password_fingerprint(request, user.password_hash)
    ):
        raise NotSignedIn
    request.state.session_id = session_id
    return user.username


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
