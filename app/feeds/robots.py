"""Turns a site's robots.txt (fetched once per host per hour) into may-fetch verdicts (protego)."""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from app.feeds.fetch import Fetcher, FetchFailed
from app.feeds.guard import Forbidden

ROBOTS_AGENT = "Parallax-feed-reader"
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL = 3600.0  # seconds a host's rules are kept
ALLOW_ALL = Protego.parse("")
DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /")


class RobotsRules:
    def __init__(self, fetcher: Fetcher, clock: Callable[[], float] = time.monotonic):
        self.fetcher = fetcher
        self.clock = clock
        self.rules: dict[str, tuple[float, Protego]] = {}

    def check(self, url: str, allowed_hosts: frozenset[str] = frozenset()) -> None:
        """Raises Forbidden when the site's robots.txt disallows `url` to this reader."""
        if not self.for_site(url, allowed_hosts).can_fetch(url, ROBOTS_AGENT):
            raise Forbidden(f"robots.txt disallows {url}")

    def crawl_delay(self, url: str, allowed_hosts: frozenset[str] = frozenset()) -> float:
        return float(self.for_site(url, allowed_hosts).crawl_delay(ROBOTS_AGENT) or 0)

    def for_site(self, url: str, allowed_hosts: frozenset[str]) -> Protego:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        kept = self.rules.get(site)
        if kept is None or self.clock() - kept[0] > ROBOTS_TTL:
            kept = (self.clock(), self._fetch(site, allowed_hosts))
            self.rules[site] = kept
        return kept[1]

    def _fetch(self, site: str, allowed_hosts: frozenset[str]) -> Protego:
        """RFC 9309: no robots.txt (4xx) allows everything; an unreachable one (5xx, network
        error) disallows everything until it is read again. A forbidden address raises."""
        try:
            fetched = self.fetcher.get(
                f"{site}/robots.txt", allowed_hosts=allowed_hosts, max_bytes=ROBOTS_MAX_BYTES
            )
        except FetchFailed as error:
            return ALLOW_ALL if error.status and 400 <= error.status < 500 else DISALLOW_ALL
        return Protego.parse(fetched.body.decode("utf-8", errors="replace"))
