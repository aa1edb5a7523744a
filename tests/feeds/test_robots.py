"""app/feeds/robots.py: robots.txt rules per site (RFC 9309's 4xx and 5xx cases), cached."""

import pytest

from app.bench.local_site import Reply
from app.feeds.fetch import Fetcher
from app.feeds.guard import Forbidden
from app.feeds.robots import RobotsRules

LOOPBACK = frozenset({"127.0.0.1"})


@pytest.fixture
def robots():
    fetcher = Fetcher(timeout=1.0, max_bytes=100_000)
    yield RobotsRules(fetcher)
    fetcher.close()


def test_disallowed_paths_and_crawl_delay(site, robots):
    site.replies["/robots.txt"] = Reply(
        b"User-agent: Parallax-feed-reader\nDisallow: /private/\nCrawl-delay: 3\n"
    )
    robots.check(site.url("/news/1"), LOOPBACK)
    with pytest.raises(Forbidden, match="robots.txt disallows"):
        robots.check(site.url("/private/1"), LOOPBACK)
    assert robots.crawl_delay(site.url("/news/1"), LOOPBACK) == 3
    assert site.hits("/robots.txt") == 1  # read once per site


def test_no_robots_txt_allows_everything(site, robots):
    robots.check(site.url("/anything"), LOOPBACK)


def test_an_unreachable_robots_txt_disallows_everything(site, robots):
    site.replies["/robots.txt"] = Reply(b"oops", status=503)
    with pytest.raises(Forbidden, match="robots.txt disallows"):
        robots.check(site.url("/news/1"), LOOPBACK)
