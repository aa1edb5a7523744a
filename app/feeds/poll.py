"""Turns due feeds into stored articles: fetch, list new links, fetch and extract each page, ingest.

Per feed: its own interval, conditional GET, back-off after errors (the last one kept to show).
Per host: robots.txt and a delay between requests. One failing feed or item never stops the rest."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import session_scope
from app.feeds import patterns
from app.feeds.fetch import Fetched, Fetcher, FetchFailed
from app.feeds.guard import Forbidden, host_of
from app.feeds.parse import Document, Entry, Unreadable, parse_document
from app.feeds.robots import RobotsRules
from app.ingest.parse import BadInput, GivenMeta, RawArticle, decode, parse_html
from app.ingest.run import ingest_items
from app.models import Article, Feed, FeedItem, utcnow
from app.settings import Settings
from app.urls import is_web_url

log = logging.getLogger(__name__)

MAX_ITEMS_PER_POLL = 200  # newest links first; the rest wait for the next poll
MAX_CHILD_SITEMAPS = 5  # of a sitemap index, the first few are read
MAX_ITEM_ATTEMPTS = 3  # a page that failed to fetch is tried again on later polls, this often
MAX_BACKOFF = timedelta(hours=24)
MAX_CRAWL_DELAY = 60.0  # seconds: a robots.txt asking for more is honoured only this far
# Outcomes of one listed link; "failed" ones are tried again, the others are settled.
SETTLED = ("stored", "duplicate", "empty", "paywalled", "refused")
# The reason of a "duplicate" link whose page an article was already stored from.
URL_ALREADY_STORED = "an article has this URL"


@dataclass(frozen=True)
class FeedLimits:
    """The settings a poll fetches with (kept with a queued poll job)."""

    feed_timeout: float
    feed_max_bytes: int
    feed_host_delay: float

    @classmethod
    def of(cls, settings: Settings) -> "FeedLimits":
        return cls(settings.feed_timeout, settings.feed_max_bytes, settings.feed_host_delay)


@dataclass
class PollResult:
    feed_id: int
    url: str
    error: str | None = None
    not_modified: bool = False
    items: dict[str, int] = field(default_factory=dict)  # outcome -> count
    outcomes: list[tuple[str, "ItemOutcome"]] = field(default_factory=list)  # (link, outcome)

    def line(self) -> str:
        if self.error:
            return f"feed {self.feed_id} {self.url}: error: {self.error}"
        if self.not_modified:
            return f"feed {self.feed_id} {self.url}: not modified"
        counts = ", ".join(f"{status} {n}" for status, n in sorted(self.items.items()))
        return f"feed {self.feed_id} {self.url}: {counts or 'nothing new'}"


@dataclass
class ItemOutcome:
    status: str
    reason: str = ""
    canonical_url: str | None = None
    author: str | None = None
    article_id: int | None = None


class HostThrottle:
    """Waits so that one host gets at most one request per `delay` seconds."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic):
        self.delay = delay
        self.clock = clock
        self.last: dict[str, float] = {}

    def wait(self, url: str, delay: float = 0.0) -> None:
        host = host_of(url)
        pause = self.last.get(host, -1e9) + max(self.delay, delay) - self.clock()
        if pause > 0:
            time.sleep(pause)
        self.last[host] = self.clock()


class Poller:
    """Polls feeds with one HTTP client, robots cache and host throttle (one per run or loop)."""

    def __init__(self, engine: Engine, settings: Settings | FeedLimits):
        self.engine = engine
        self.fetcher = Fetcher(timeout=settings.feed_timeout, max_bytes=settings.feed_max_bytes)
        self.robots = RobotsRules(self.fetcher)
        self.throttle = HostThrottle(settings.feed_host_delay)

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> "Poller":
        return self

    def __exit__(self, *_exc_info) -> None:
        self.close()

    def poll_due(self, now: datetime | None = None) -> list[PollResult]:
        with Session(self.engine) as session:
            due = session.exec(
                select(Feed.id).where(Feed.next_poll_at <= (now or utcnow())).order_by(Feed.id)
            ).all()
        return [self.poll_feed(feed_id) for feed_id in due]

    def poll_feed(
        self, feed_id: int, on_progress: Callable[[int, int], None] | None = None
    ) -> PollResult:
        """Polls one feed; on_progress(done, total) is called once its new links are known and
        after each link."""
        with Session(self.engine) as session:
            feed = session.get(Feed, feed_id)
            if feed is None:
                raise LookupError(f"no feed {feed_id}")
            session.expunge(feed)
        result = PollResult(feed.id, feed.url)
        allowed = frozenset({host_of(feed.url)}) if feed.allow_private else frozenset()
        fetched, document = None, None
        try:
            fetched, document = self._read_feed(feed, allowed)
        except (Forbidden, FetchFailed, Unreadable) as error:
            result.error = str(error)
        except Exception as error:  # a bug met by one feed must not stop the others
            log.exception("polling feed %s failed", feed.id)
            result.error = f"{type(error).__name__}: {error}"
        else:
            result.not_modified = fetched.not_modified
            entries = self._new_entries(document.entries if document else [])
            if on_progress:
                on_progress(0, len(entries))
            for done, entry in enumerate(entries, start=1):
                outcome = self._take_entry(feed, entry, allowed)
                self._record_item(feed.id, entry.url, outcome)
                result.items[outcome.status] = result.items.get(outcome.status, 0) + 1
                result.outcomes.append((entry.url, outcome))
                if on_progress:
                    on_progress(done, len(entries))
        self._record_poll(feed.id, result, fetched, document)
        return result

    def _read_feed(self, feed: Feed, allowed: frozenset[str]) -> tuple[Fetched, Document | None]:
        self.robots.check(feed.url, allowed)
        self.throttle.wait(feed.url, self._crawl_delay(feed.url, allowed))
        fetched = self.fetcher.get(
            feed.url, allowed_hosts=allowed, etag=feed.etag, last_modified=feed.last_modified
        )
        if fetched.not_modified:
            return fetched, None
        document = parse_document(fetched.body, fetched.url)
        if document.kind == "sitemap index":
            document.entries = self._child_sitemap_entries(document.sitemaps, allowed)
        return fetched, document

    def _child_sitemap_entries(self, urls: list[str], allowed: frozenset[str]) -> list[Entry]:
        entries: list[Entry] = []
        for url in urls[:MAX_CHILD_SITEMAPS]:
            self.robots.check(url, allowed)
            self.throttle.wait(url, self._crawl_delay(url, allowed))
            child = self.fetcher.get(url, allowed_hosts=allowed)
            document = parse_document(child.body, child.url)
            if document.kind == "sitemap":  # an index inside an index is not followed
                entries += document.entries
        return entries

    def _crawl_delay(self, url: str, allowed: frozenset[str]) -> float:
        return min(self.robots.crawl_delay(url, allowed), MAX_CRAWL_DELAY)

    def _new_entries(self, entries: list[Entry]) -> list[Entry]:
        """Links not settled before (by any feed) and not already an article's URL."""
        unique = list({entry.url: entry for entry in entries}.values())[:MAX_ITEMS_PER_POLL]
        urls = [entry.url for entry in unique]
        with Session(self.engine) as session:
            settled = set(
                session.exec(
                    select(FeedItem.url).where(
                        FeedItem.url.in_(urls),
                        or_(
                            FeedItem.status.in_(SETTLED),
                            FeedItem.attempts >= MAX_ITEM_ATTEMPTS,
                        ),
                    )
                ).all()
            )
            settled |= set(session.exec(select(Article.url).where(Article.url.in_(urls))).all())
        return [entry for entry in unique if entry.url not in settled]

    def _take_entry(self, feed: Feed, entry: Entry, allowed: frozenset[str]) -> ItemOutcome:
        try:
            return self._ingest_page(feed, entry, allowed)
        except Forbidden as error:
            return ItemOutcome("refused", str(error))
        except BadInput as error:  # binary or empty: no article, however often it is fetched
            return ItemOutcome("empty", str(error))
        except FetchFailed as error:
            return ItemOutcome("failed", str(error))
        except Exception as error:  # one item's failure must not stop the feed
            log.exception("feed %s item %s failed", feed.id, entry.url)
            return ItemOutcome("failed", f"{type(error).__name__}: {error}")

    def _ingest_page(self, feed: Feed, entry: Entry, allowed: frozenset[str]) -> ItemOutcome:
        self.robots.check(entry.url, allowed)
        self.throttle.wait(entry.url, self._crawl_delay(entry.url, allowed))
        page = self.fetcher.get(entry.url, allowed_hosts=allowed)
        html = decode(page.body)
        if patterns.PAYWALL.search(html):
            return ItemOutcome("paywalled", "the page marks its text as not free to read")
        parsed = parse_html(entry.url, html, GivenMeta())
        if not isinstance(parsed, RawArticle):
            return ItemOutcome("empty", parsed.reason)
        canonical = parsed.given.url if is_web_url(parsed.given.url or "") else page.url
        author = parsed.author or entry.author
        known = self._known_article(canonical)
        if known is not None:
            return ItemOutcome("duplicate", URL_ALREADY_STORED, canonical, author, known)
        feed_says = GivenMeta(title=entry.title, published_at=entry.published_at)
        given = feed_says.overridden_by(parsed.given).overridden_by(
            GivenMeta(url=canonical, outlet=feed.outlet)
        )
        raw = RawArticle(canonical, parsed.text, html=html, given=given)
        report = ingest_items(self.engine, [raw])
        if report.added:
            return ItemOutcome("stored", "", canonical, author, report.added[0].article_id)
        if report.duplicates:
            same = report.duplicates[0].article_id
            return ItemOutcome("duplicate", "same text as an article", canonical, author, same)
        reasons = "; ".join(problem.reason for problem in report.rejected)
        return ItemOutcome("empty", reasons, canonical, author)

    def _known_article(self, canonical: str) -> int | None:
        with Session(self.engine) as session:
            return session.exec(select(Article.id).where(Article.url == canonical)).first()

    def _record_item(self, feed_id: int, url: str, outcome: ItemOutcome) -> None:
        with session_scope(self.engine) as session:
            item = session.exec(
                select(FeedItem).where(FeedItem.feed_id == feed_id, FeedItem.url == url)
            ).first()
            if item is None:
                item = FeedItem(feed_id=feed_id, url=url, status=outcome.status, attempts=0)
            item.status = outcome.status
            item.reason = outcome.reason[:1000]
            item.canonical_url = outcome.canonical_url
            item.author = outcome.author
            item.article_id = outcome.article_id
            item.attempts += 1
            item.seen_at = utcnow()
            session.add(item)

    def _record_poll(
        self, feed_id: int, result: PollResult, fetched: Fetched | None, document: Document | None
    ) -> None:
        with session_scope(self.engine) as session:
            feed = session.get(Feed, feed_id)
            if feed is None:  # removed while it was polled
                return
            now = utcnow()
            feed.last_polled_at = now
            if result.error:
                feed.error_count += 1
                feed.last_error = result.error[:1000]
                feed.next_poll_at = now + backoff(feed.interval_minutes, feed.error_count)
            else:
                feed.error_count = 0
                feed.last_error = None
                feed.last_success_at = now
                feed.next_poll_at = now + timedelta(minutes=feed.interval_minutes)
            if fetched is not None and not fetched.not_modified:
                feed.etag = fetched.etag
                feed.last_modified = fetched.last_modified
            if document is not None:
                feed.kind = document.kind
                feed.title = document.title or feed.title
            session.add(feed)


def backoff(interval_minutes: int, errors: int) -> timedelta:
    """After the n-th error in a row, the interval doubled n times, at most a day."""
    return min(timedelta(minutes=interval_minutes) * 2 ** min(errors, 10), MAX_BACKOFF)


def run_loop(engine: Engine, settings: Settings, on_result: Callable[[PollResult], None]) -> None:
    """Polls due feeds until interrupted, looking for due ones every `feed_loop_seconds`."""
    with Poller(engine, settings) as poller:
        while True:
            for result in poller.poll_due():
                on_result(result)
            time.sleep(settings.feed_loop_seconds)
