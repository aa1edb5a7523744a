"""app/feeds/parse.py: RSS 2.0, Atom, news sitemaps and indexes into links; unsafe XML refused."""

import pytest

from app.bench.local_site import Reply, rss_feed
from app.feeds.parse import Unreadable, parse_document
from feeds.pages import (
    BILLION_LAUGHS,
    BROKEN_BOMB,
    EXTERNAL_ENTITY,
    SITEMAP_BOMB,
    atom_feed,
    news_sitemap,
    sitemap_index,
)

BASE = "https://news.example/feeds/world.xml"


def test_rss_items_with_relative_links_dates_and_authors():
    data = rss_feed(
        "World",
        [
            {"title": "A", "link": "/a", "date": "Sat, 09 Jul 2022 10:00:00 GMT", "author": "Jo"},
            {"title": "B", "link": "https://other.example/b"},
            {"title": "no link"},
        ],
    )
    document = parse_document(data, BASE)
    assert document.kind == "rss" and document.title == "World"
    assert [entry.url for entry in document.entries] == [
        "https://news.example/a",
        "https://other.example/b",
    ]
    first = document.entries[0]
    assert (first.title, first.published_at, first.author) == (
        "A",
        "2022-07-09T10:00:00+00:00",
        "Jo",
    )


def test_atom_entries():
    document = parse_document(atom_feed("Atom", ["https://x.example/1"]), BASE)
    assert document.kind == "atom"
    assert [(e.url, e.author) for e in document.entries] == [("https://x.example/1", "Desk")]


def test_news_sitemap_and_sitemap_index():
    document = parse_document(news_sitemap(["https://x.example/1"]), BASE)
    assert document.kind == "sitemap"
    assert [(e.url, e.title, e.published_at) for e in document.entries] == [
        ("https://x.example/1", "Story 0", "2022-07-09")
    ]
    index = parse_document(sitemap_index(["/news-1.xml"]), BASE)
    assert index.kind == "sitemap index"
    assert index.sitemaps == ["https://news.example/news-1.xml"]


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, SITEMAP_BOMB, BROKEN_BOMB],
    ids=["billion laughs", "external entity", "sitemap bomb", "malformed bomb"],
)
def test_entity_declarations_are_refused_before_any_expansion(data):
    with pytest.raises(Unreadable, match="entities"):
        parse_document(data.replace(b"LINK", b"https://x.example/1"), BASE)


def test_an_external_dtd_is_never_fetched(site):
    site.replies["/rss.dtd"] = Reply(b'<!ENTITY title "fetched">')
    header = f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{site.url("/rss.dtd")}">'.encode()
    body = rss_feed("T", [{"link": "https://x.example/1"}]).split(b"?>", 1)[1]
    document = parse_document(header + body, BASE)
    assert [e.url for e in document.entries] == ["https://x.example/1"]
    assert site.hits("/rss.dtd") == 0


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<html><body><p>page</p></body></html>", b"<rss><channel><<<"],
    ids=["empty", "text", "html", "truncated"],
)
def test_what_is_no_feed_is_unreadable(data):
    with pytest.raises(Unreadable, match="not a readable"):
        parse_document(data, BASE)


def test_a_feed_broken_after_its_items_still_gives_them():
    data = rss_feed("T", [{"link": "https://x.example/1"}]).replace(b"</channel></rss>", b"<item>")
    assert [e.url for e in parse_document(data, BASE).entries] == ["https://x.example/1"]
