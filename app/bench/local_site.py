"""A web site on a loopback port, served from memory: feeds, pages, 304s, slow or huge replies.

The feed bench fetches from it, and the feed tests use it for every bad input a site can send."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 16 * 1024


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # a GET sending this If-None-Match gets 304
    delay: float = 0.0  # seconds before the headers
    trickle: float = 0.0  # seconds between chunks of the body
    declare_length: bool = True  # False: the body ends when the connection closes


class LocalSite:
    """Replies by path (query included); unknown paths get 404. Requests are logged."""

    def __init__(self, server: ThreadingHTTPServer):
        self.server = server
        self.replies: dict[str, Reply] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        host, port = server.server_address[:2]
        self.base_url = f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for requested, _headers in self.requests if requested == path)


@contextmanager
def local_site() -> Iterator[LocalSite]:
    """Serves on 127.0.0.1 (port chosen by the system) in a thread until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    site = LocalSite(server)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server_version = "LocalSite/1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        site: LocalSite = self.server.site
        site.requests.append((self.path, dict(self.headers.items())))
        reply = site.replies.get(self.path) or Reply(b"not found", status=404)
        time.sleep(reply.delay)
        if reply.etag and self.headers.get("If-None-Match") == reply.etag:
            self.send_response(304)
            self.send_header("ETag", reply.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.etag:
            self.send_header("ETag", reply.etag)
        if reply.declare_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        try:
            for start in range(0, len(reply.body), CHUNK):
                self.wfile.write(reply.body[start : start + CHUNK])
                self.wfile.flush()
                time.sleep(reply.trickle)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is the test
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        pass


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    site_name: str | None = None,
    canonical: str | None = None,
    published: str | None = None,
    author: str | None = None,
    extra_head: str = "",
) -> bytes:
    """An outlet's article page: the metadata trafilatura reads, furniture around the story."""
    meta = [
        f'<meta property="og:site_name" content="{escape(site_name)}">' if site_name else "",
        f'<link rel="canonical" href="{escape(canonical)}">' if canonical else "",
        f'<meta property="article:published_time" content="{published}">' if published else "",
        f'<meta name="author" content="{escape(author)}">' if author else "",
        extra_head,
    ]
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"{''.join(meta)}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Subscribe to our newsletter</footer></body></html>"
    ).encode()


def rss_feed(title: str, items: list[dict[str, str]]) -> bytes:
    """RSS 2.0 with each item's title, link, pubDate (RFC 822) and author."""
    entries = "".join(
        "<item>"
        + "".join(
            f"<{tag}>{escape(item[key])}</{tag}>"
            for key, tag in (("title", "title"), ("link", "link"), ("date", "pubDate"))
            if item.get(key)
        )
        + (f"<dc:creator>{escape(item['author'])}</dc:creator>" if item.get("author") else "")
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>{escape(title)}</description>{entries}</channel></rss>"
    ).encode()
