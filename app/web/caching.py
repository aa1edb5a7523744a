"""Turns reader GET requests into cacheable ones: an ETag from the version of the data the page
shows (its event's version for an event's pages, else the store's data version), 304 for a matching
If-None-Match, and rendered responses kept in memory per version."""

import asyncio
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import PROJECT_ROOT, read_data_version, read_event_version, read_row_event_version
from app.web.params import MAX_ID
from app.web.rendering import wants_fragment

logger = logging.getLogger(__name__)

READER_CACHE_CONTROL = "public, max-age=0, must-revalidate"
SIGNED_IN_CACHE_CONTROL = "private, no-store"
# Admin pages carry CSRF tokens (security.py makes them no-store); pushes and job reports need a
# token; static files have their own validators.
UNCACHED_PREFIXES = ("/admin", "/api/ingest", "/static")
CACHE_BYTES = 64 * 1024 * 1024
LARGEST_CACHED_BODY = 2 * 1024 * 1024
CODE_FOLDERS = ("app", "templates", "static")
# Background refreshes of outdated pages one web worker runs at once (renderings are CPU-bound and
# share one interpreter lock): a write that outdates hundreds of pages is not followed by hundreds
# of renderings at once; a page asked for while all run stays stale until its next request.
REFRESHES_AT_ONCE = 2
# An outdated page is rendered again in the background this far into the staleness bound, counted
# from when it was last found current (at once when that has passed): while writes keep coming, a
# page listing everything is rendered once per three quarters of the bound, not once per half,
# and a quarter of the bound is left for that rendering before readers would wait for one.
REFRESH_AT = 0.75
# A planned refresh that finds REFRESHES_AT_ONCE running tries again this far into the bound later
# (one commit outdates every listing page at once, so their refreshes fall due together), until
# the page is rendered or dropped.
PLANNED_RETRY = 0.05
# Responses that show one event (an event, or a claim or article of it, as a page or in the API):
# they follow that event's version, so a write to another event leaves them cached. The table
# says whose event it is (None: the id is the event's).
EVENT_PATHS = (
    (re.compile(r"/(?:api/)?events/(\d+)(?:/export\.(?:csv|json))?"), None),
    (re.compile(r"/(?:api/)?claims/(\d+)"), "claim"),
    (re.compile(r"/(?:api/)?articles/(\d+)"), "article"),
)


def version_source(path: str) -> tuple:
    """What the version of a response for `path` is read from: ("event", id) for an event's
    pages, ("claim" | "article", id) for a claim's or article's, else ("data",) (timeline,
    search, outlets: whatever any write changes)."""
    for pattern, table in EVENT_PATHS:
        found = pattern.fullmatch(path)
        if found and int(found[1]) <= MAX_ID:
            return (table or "event", int(found[1]))
    return ("data",)


def read_version(connection: Connection, path: str) -> int:
    """The version a response for `path` follows: its event's version for an event's pages (a
    claim's or article's event, when it has one), else the data version."""
    source = version_source(path)
    if source[0] == "event":
        return read_event_version(connection, source[1])
    if source[0] != "data":
        version = read_row_event_version(connection, source[0], source[1])
        if version is not None:
            return version
    return read_data_version(connection)


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A digest of the code, templates and static files: a deploy that changes how pages render
    changes every ETag, and the workers of one deploy agree on them."""
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class StoredResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    version: int = 0  # the data version read before it was rendered
    stored_at: float = 0.0  # time.monotonic() when it was kept
    # When a version read last found it current (first: when it was kept, as `stored_at`): the
    # write that outdates it commits after that.
    checked_at: float = 0.0


class ResponseCache:
    """Responses by key, least recently used dropped first once they hold more than `max_bytes`.
    A response of an older data version is served only until `max_stale` seconds (0: never)
    after a version read last found it current, so a busy ingest does not make every reader
    request a new rendering: the write that outdated it is at most that old. Kept at least half
    that bound, such a response is due a refresh (`is_due`); found current less than half the
    bound ago, it is served without reading the version at all (`recent`)."""

    def __init__(self, max_bytes: int = CACHE_BYTES, max_stale: float = 0.0, clock=time.monotonic):
        self.max_bytes = max_bytes
        self.max_stale = max_stale
        self.clock = clock
        self.used_bytes = 0
        self._responses: OrderedDict[tuple, StoredResponse] = OrderedDict()

    def get(self, version: int, key: tuple) -> StoredResponse | None:
        """The response kept for `key` at `version` or later (`version` was just read), or of an
        older version within the staleness bound; a response past that bound is dropped."""
        found = self._responses.get(key)
        if found is None:
            return None
        now = self.clock()
        if found.version >= version:
            found.checked_at = now
        elif now - found.checked_at > self.max_stale:
            self._drop(key)
            return None
        self._responses.move_to_end(key)
        return found

    def recent(self, key: tuple) -> StoredResponse | None:
        """The response kept for `key` when a version read found it current less than half the
        staleness bound ago: whatever was written since, it may still be served, and a reader
        after that half reads the version again, with time left to refresh it in the background."""
        found = self._responses.get(key)
        if found is None or self.clock() - found.checked_at >= self.max_stale / 2:
            return None
        self._responses.move_to_end(key)
        return found

    def is_due(self, version: int, response: StoredResponse) -> bool:
        """An older version's response kept at least half the staleness bound: rendering it anew
        now, off the request path, replaces it before the bound makes a reader wait for one. At
        most one rendering per page per half bound, however often writes come."""
        age = self.clock() - response.stored_at
        return response.version < version and age >= self.max_stale / 2

    def put(self, version: int, key: tuple, response: StoredResponse) -> None:
        now = self.clock()
        kept = self._responses.get(key)
        if kept is not None and kept.version >= version:
            return
        if kept is not None:
            self._drop(key)
        self._responses[key] = replace(response, version=version, stored_at=now, checked_at=now)
        self.used_bytes += len(response.body)
        while self.used_bytes > self.max_bytes:
            _, dropped = self._responses.popitem(last=False)
            self.used_bytes -= len(dropped.body)

    def _drop(self, key: tuple) -> None:
        self.used_bytes -= len(self._responses.pop(key).body)


def requested_etags(headers: Headers) -> set[str]:
    """The entity tags of If-None-Match, weak ones compared as strong (RFC 9110 §13.1.2)."""
    tags = headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in tags.split(",") if tag.strip()}


class VersionReader:
    """Reads versions on one connection kept open, on a thread of its own: the event loop goes on
    serving other requests (cached pages) while a version query runs, which on PostgreSQL is a
    round trip to a server that may be busy (an ingest's writes, other readers' queries), and a
    cache hit costs one small query. A request joins a read of the same version that is queued
    but not started yet: that read starts after the request came, so it sees every write
    committed before (several readers of the timeline after a write wait for one query). A
    connection that failed (a restarted server) is dropped and the read tried once on a new
    one."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.connection: Connection | None = None
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="parallax-versions")
        self.queued: dict[tuple, asyncio.Future[int]] = {}  # by version_source: not started
        self.lock = threading.Lock()

    async def read_off_loop(self, path: str) -> int:
        """`read` on the reader's thread, joining a queued read of the same version."""
        source = version_source(path)
        loop = asyncio.get_running_loop()
        with self.lock:
            queued = self.queued.get(source)
            if queued is None:
                queued = self.queued[source] = loop.create_future()
                self.thread.submit(self._read_queued, loop, path, source, queued)
        return await asyncio.shield(queued)

    def _read_queued(
        self, loop: asyncio.AbstractEventLoop, path: str, source: tuple, queued: asyncio.Future
    ) -> None:
        with self.lock:  # started: a request that comes now queues a read of its own
            del self.queued[source]
        try:
            version = self.read(path)
        except Exception as error:  # the requests waiting for it fail as their own read would
            loop.call_soon_threadsafe(settle, queued, None, error)
            return
        loop.call_soon_threadsafe(settle, queued, version, None)

    def read(self, path: str) -> int:
        try:
            return read_version(self._connection(), path)
        except DBAPIError:
            self.connection.invalidate()
            self.connection = None
            return read_version(self._connection(), path)

    def _connection(self) -> Connection:
        if self.connection is None:  # autocommit: no transaction left open between requests
            self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self.connection

    def close(self) -> None:
        """Closes the connection on the reader's thread, the one that uses it."""
        self.thread.submit(self._close).result()

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def settle(future: asyncio.Future, result: object, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class HttpCacheMiddleware:
    """ETag, Cache-Control and Vary on reader GETs; 304 when the client holds the current ETag;
    repeat reads answered from memory until the next write (or at most `max_stale` seconds
    after it: a micro-cache for busy sites, stale-while-revalidate: the outdated page is served
    at once and rendered anew in the background, once per page), and requests for a page that
    is being rendered wait for that rendering instead of repeating it. Signed-in admins' requests
    (any session cookie) bypass the cache and are `private, no-store`."""

    def __init__(self, app: ASGIApp, *, engine: Engine, fingerprint: str, max_stale: float = 0.0):
        self.app = app
        self.versions = VersionReader(engine)
        self.fingerprint = fingerprint
        self.cache = ResponseCache(max_stale=max_stale)
        self.rendering: dict[tuple, asyncio.Future[StoredResponse | None]] = {}
        self.refreshing: dict[tuple, asyncio.Task] = {}  # by key: one refresh per page at a time
        # refreshes that start later (a timer), or once the version is read (a task), by key
        self.planned: dict[tuple, asyncio.TimerHandle | asyncio.Task] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, self.closing_on_shutdown(receive), send)
            return
        if not is_reader_get(scope):
            await self.app(scope, receive, send)
            return
        if scope.get("session"):
            await self.app(scope, receive, with_headers(send, SIGNED_IN_CACHE_CONTROL))
            return
        request = Request(scope)
        key = (
            scope["scheme"],
            request.headers.get("host", ""),
            scope["path"],
            scope["query_string"],
            wants_fragment(request),
        )
        stored = self.cache.recent(key)
        if stored is not None:
            await send_stored(send, request, stored)
            return
        # Read before rendering: a write landing mid-render makes a page newer than its version,
        # never older, and that version is gone for good once the write has committed.
        version = await self.versions.read_off_loop(scope["path"])
        etag = self.etag(version, key)
        if etag in requested_etags(request.headers):
            await send_response(send, 304, validators(etag), b"")
            return
        stored = self.cache.get(version, key)
        if stored is None and (version, key) in self.rendering:
            stored = await asyncio.shield(self.rendering[(version, key)])
        if stored is not None:
            if self.cache.is_due(version, stored):
                self.plan_refresh(scope, key, stored, version)
            await send_stored(send, request, stored)
            return
        await self.render_and_store(scope, receive, send, version, key, etag)

    def plan_refresh(self, scope: Scope, key: tuple, stored: StoredResponse, version: int) -> None:
        """Renders the outdated page again once REFRESH_AT of the bound has passed since it was
        last found current (at `version`, just read, when that has passed already); a planned
        refresh starts whether or not another reader asks for the page meanwhile."""
        if key in self.planned:
            return
        delay = stored.checked_at + self.cache.max_stale * REFRESH_AT - self.cache.clock()
        if delay <= 0:
            self.refresh_in_background(scope, version, key, self.etag(version, key))
            return
        self.plan_later(delay, scope, key)

    def plan_later(self, delay: float, scope: Scope, key: tuple) -> None:
        loop = asyncio.get_running_loop()
        self.planned[key] = loop.call_later(delay, self.start_planned_refresh, scope, key)

    def start_planned_refresh(self, scope: Scope, key: tuple) -> None:
        """Planned until the version is read again (the page stays in `planned` meanwhile)."""
        task = asyncio.get_running_loop().create_task(self.planned_refresh(scope, key))
        self.planned[key] = task

    async def planned_refresh(self, scope: Scope, key: tuple) -> None:
        """The version read again now: a page dropped or rendered anew meanwhile needs nothing."""
        version = await self.versions.read_off_loop(scope["path"])
        self.planned.pop(key, None)
        kept = self.cache.get(version, key)
        if kept is None or kept.version >= version or key in self.refreshing:
            return
        if len(self.refreshing) >= REFRESHES_AT_ONCE:
            self.plan_later(self.cache.max_stale * PLANNED_RETRY, scope, key)
            return
        self.refresh_in_background(scope, version, key, self.etag(version, key))

    def refresh_in_background(self, scope: Scope, version: int, key: tuple, etag: str) -> None:
        """Renders the page at `version` on a task of its own, unless this page is already being
        refreshed or REFRESHES_AT_ONCE refreshes run; the reader who asked is not kept waiting."""
        if key in self.refreshing or len(self.refreshing) >= REFRESHES_AT_ONCE:
            return
        task = asyncio.get_running_loop().create_task(self.refresh(scope, version, key, etag))
        self.refreshing[key] = task
        task.add_done_callback(lambda _task: self.refreshing.pop(key, None))

    async def refresh(self, scope: Scope, version: int, key: tuple, etag: str) -> None:
        """The request rendered again with nobody to send it to: only the cache keeps it."""
        request_scope = {**scope, "state": dict(scope.get("state") or {})}
        try:
            await self.render_and_store(request_scope, empty_body, discard, version, key, etag)
        except Exception:  # a failed refresh leaves the outdated page until the bound ends
            logger.exception("refreshing %s failed", scope["path"])

    def closing_on_shutdown(self, receive: Receive) -> Receive:
        async def receive_and_close() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                for planned in self.planned.values():
                    planned.cancel()
                self.planned.clear()
                self.versions.close()
            return message

        return receive_and_close

    def etag(self, version: int, key: tuple) -> str:
        digest = hashlib.sha256(repr((self.fingerprint, version, key)).encode()).hexdigest()
        return f'"{digest[:24]}"'

    async def render_and_store(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        version: int,
        key: tuple,
        etag: str,
    ) -> None:
        start: dict = {}
        body = bytearray()
        kept: list[StoredResponse] = []
        flight = asyncio.get_running_loop().create_future()
        self.rendering.setdefault((version, key), flight)

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] == 200 and "etag" not in headers:
                    for name, value in validators(etag):
                        headers[name.decode()] = value.decode()
                    # copied now: the outer middleware add their headers to this same list
                    start.update(status=200, headers=list(message["headers"]))
            elif start and len(body) <= LARGEST_CACHED_BODY:
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    kept.extend(self.keep(version, key, start, bytes(body)))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:  # also when the route failed: whoever waited then renders for itself
            if self.rendering.get((version, key)) is flight:
                del self.rendering[(version, key)]
            flight.set_result(kept[0] if kept else None)

    def keep(self, version: int, key: tuple, start: dict, body: bytes) -> list[StoredResponse]:
        if any(name == b"set-cookie" for name, _ in start["headers"]):
            return []
        response = StoredResponse(start["status"], start["headers"], body)
        self.cache.put(version, key, response)
        return [response]


async def empty_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def discard(_message: Message) -> None:
    return None


def header_etag(stored: StoredResponse) -> str:
    return next(value.decode() for name, value in stored.headers if name == b"etag")


async def send_stored(send: Send, request: Request, stored: StoredResponse) -> None:
    """The kept response, or a 304 when the client holds its ETag (an outdated one's included,
    within the staleness bound)."""
    if header_etag(stored) in requested_etags(request.headers):
        await send_response(send, 304, validators(header_etag(stored)), b"")
        return
    await send_response(send, stored.status, stored.headers, stored.body)


def is_reader_get(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and not scope["path"].startswith(UNCACHED_PREFIXES)
    )


def validators(etag: str) -> list[tuple[bytes, bytes]]:
    """What a 200 and its 304 both carry (RFC 9110 §15.4.5)."""
    return [
        (b"etag", etag.encode()),
        (b"cache-control", READER_CACHE_CONTROL.encode()),
        (b"vary", b"HX-Request"),
    ]


def with_headers(send: Send, cache_control: str) -> Send:
    async def send_with_cache_control(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message)["Cache-Control"] = cache_control
        await send(message)

    return send_with_cache_control


async def send_response(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})
