"""app/feeds/fetch.py: a clear User-Agent, conditional GET, and every limit enforced."""

import gzip

import pytest

from app.bench.local_site import Reply
from app.feeds.fetch import Fetcher, FetchFailed
from app.feeds.guard import Forbidden

LOOPBACK = frozenset({"127.0.0.1"})


@pytest.fixture
def fetcher():
    fetcher = Fetcher(timeout=1.0, max_bytes=10_000)
    yield fetcher
    fetcher.close()


def test_a_document_with_its_validators_and_the_user_agent(site, fetcher):
    site.replies["/feed"] = Reply(b"<rss/>", etag='"abc"', headers={"Last-Modified": "Sat"})
    fetched = fetcher.get(site.url("/feed"), allowed_hosts=LOOPBACK)
    assert (fetched.status, fetched.body, fetched.etag) == (200, b"<rss/>", '"abc"')
    assert fetched.last_modified == "Sat"
    assert site.requests[0][1]["User-Agent"].startswith("Parallax-feed-reader/")


def test_conditional_get_gets_304_without_a_body(site, fetcher):
    site.replies["/feed"] = Reply(b"<rss/>", etag='"abc"')
    fetched = fetcher.get(
        site.url("/feed"), allowed_hosts=LOOPBACK, etag='"abc"', last_modified="x"
    )
    assert fetched.not_modified and fetched.body == b""
    assert site.requests[0][1]["If-Modified-Since"] == "x"


def test_http_errors_keep_their_status(site, fetcher):
    with pytest.raises(FetchFailed, match="HTTP 404") as failure:
        fetcher.get(site.url("/missing"), allowed_hosts=LOOPBACK)
    assert failure.value.status == 404


def test_a_gzip_bomb_counts_its_unpacked_bytes(site, fetcher):
    packed = gzip.compress(b"a" * 1_000_000)
    assert len(packed) < 10_000
    site.replies["/bomb"] = Reply(packed, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchFailed, match="too large"):
        fetcher.get(site.url("/bomb"), allowed_hosts=LOOPBACK)


def test_a_trickling_reply_is_cut_at_the_deadline(site, fetcher):
    eight_chunks = b"x" * 8 * 16 * 1024  # 0.3 s apart: each read is quick, the whole is not
    site.replies["/trickle"] = Reply(eight_chunks, trickle=0.3, declare_length=False)
    fetcher.max_bytes = len(eight_chunks)
    with pytest.raises(FetchFailed, match="too slow|timed out"):
        fetcher.get(site.url("/trickle"), allowed_hosts=LOOPBACK)


def test_loopback_is_refused_unless_allowed(site, fetcher):
    site.replies["/feed"] = Reply(b"<rss/>")
    with pytest.raises(Forbidden):
        fetcher.get(site.url("/feed"))
    assert site.requests == []


def test_the_address_connected_to_is_checked_too(site, fetcher, monkeypatch):
    """DNS rebinding: the name resolved to a public address, the connection went to loopback."""
    site.replies["/feed"] = Reply(b"<rss/>")
    monkeypatch.setattr("app.feeds.fetch.check_url", lambda url, allowed_hosts: None)
    with pytest.raises(Forbidden, match="non-public address"):
        fetcher.get(site.url("/feed"))
