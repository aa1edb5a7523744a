"""Turns a fetched feed (RSS 2.0, Atom) or sitemap (news, plain, index) into its listed links."""

import calendar
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
import feedparser
from defusedxml import DefusedXmlException

from app.feeds import patterns

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class Unreadable(Exception):
    """Bytes that are no feed or sitemap, or that are refused as unsafe XML."""


@dataclass
class Entry:
    url: str
    title: str | None = None
    published_at: str | None = None  # ISO 8601
    author: str | None = None


@dataclass
class Document:
    kind: str  # "rss", "atom", "sitemap" or "sitemap index"
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # what a sitemap index points to


def parse_document(data: bytes, url: str) -> Document:
    """Links are made absolute against `url`; raises Unreadable."""
    tree = safe_tree(data)
    if tree is not None and tree.tag in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"):
        return parse_sitemap(tree, url)
    return parse_feed(data, url)


def safe_tree(data: bytes) -> Element | None:
    """The XML tree, refusing entity declarations and external references; None if malformed."""
    if patterns.ENTITY_DECLARATION.search(data):
        raise Unreadable("refused: the document declares XML entities (entity expansion)")
    try:
        return safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as error:
        raise Unreadable(f"refused: unsafe XML ({type(error).__name__})") from None
    except ParseError:
        return None


def parse_sitemap(root: Element, url: str) -> Document:
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        locations = [_text(item, f"{SITEMAP_NS}loc") for item in root.iter(f"{SITEMAP_NS}sitemap")]
        return Document("sitemap index", sitemaps=[urljoin(url, loc) for loc in locations if loc])
    entries = []
    for item in root.iter(f"{SITEMAP_NS}url"):
        location = _text(item, f"{SITEMAP_NS}loc")
        if not location:
            continue
        news = item.find(f"{NEWS_NS}news")
        entries.append(
            Entry(
                url=urljoin(url, location),
                title=_text(news, f"{NEWS_NS}title") if news is not None else None,
                published_at=(
                    _text(news, f"{NEWS_NS}publication_date") if news is not None else None
                )
                or _text(item, f"{SITEMAP_NS}lastmod"),
            )
        )
    return Document("sitemap", entries=entries)


def _text(parent: Element, tag: str) -> str | None:
    child = parent.find(tag)
    value = (child.text or "").strip() if child is not None else ""
    return value or None


def parse_feed(data: bytes, url: str) -> Document:
    result = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    version = result.get("version", "")
    if not result.entries and (result.bozo or not version):
        problem = result.get("bozo_exception")
        detail = f": {str(problem).splitlines()[0][:200]}" if problem else ""
        raise Unreadable(f"not a readable RSS/Atom feed or sitemap{detail}")
    entries = [
        Entry(
            url=urljoin(url, item.link),
            title=item.get("title") or None,
            published_at=_iso(item.get("published_parsed") or item.get("updated_parsed")),
            author=item.get("author") or None,
        )
        for item in result.entries
        if item.get("link")
    ]
    kind = "atom" if version.startswith("atom") else "rss"
    return Document(kind, title=result.feed.get("title") or None, entries=entries)


def _iso(parsed: time.struct_time | None) -> str | None:
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
