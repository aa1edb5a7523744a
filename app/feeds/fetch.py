"""Turns a URL into its bytes over HTTP within limits: time, size, redirects, SSRF checks, 304s."""

import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from app.feeds.guard import check_address, check_url, host_of

USER_AGENT = "Parallax-feed-reader/0.1 (follows news feeds to compare coverage side by side)"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchFailed(Exception):
    """A fetch that did not give a document: network error, HTTP error, too slow or too large."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the conditional GET found nothing new
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP client for a poll run. Redirects are followed by hand, each hop checked again;
    the address actually connected to is checked too (a host may resolve differently twice)."""

    def __init__(self, *, timeout: float, max_bytes: int, max_redirects: int = MAX_REDIRECTS):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would hide the address checked
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self.client.close()

    def get(
        self,
        url: str,
        *,
        allowed_hosts: frozenset[str] = frozenset(),
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """The document at `url`; raises FetchFailed, or guard.Forbidden for a refused address."""
        deadline = time.monotonic() + self.timeout
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.max_redirects + 1):
            check_url(url, allowed_hosts)
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    check_peer(response, url, allowed_hosts)
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    return self._document(url, response, deadline, max_bytes or self.max_bytes)
            except httpx.TimeoutException:
                raise FetchFailed(f"timed out after {self.timeout:g} s: {url}") from None
            except httpx.HTTPError as error:
                raise FetchFailed(f"network error ({type(error).__name__}): {url}") from None
        raise FetchFailed(f"more than {self.max_redirects} redirects: {url}")

    def _document(
        self, url: str, response: httpx.Response, deadline: float, max_bytes: int
    ) -> Fetched:
        if response.status_code not in (200, 304):
            raise FetchFailed(f"HTTP {response.status_code}: {url}", response.status_code)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchFailed(f"too large: {declared} bytes over the {max_bytes} limit: {url}")
        body = bytearray()
        for chunk in response.iter_bytes():  # decompressed bytes: a gzip bomb counts in full
            body.extend(chunk)
            if len(body) > max_bytes:
                raise FetchFailed(f"too large: over the {max_bytes} byte limit: {url}")
            if time.monotonic() > deadline:
                raise FetchFailed(f"too slow: not finished within {self.timeout:g} s: {url}")
        return Fetched(
            url=url,
            status=response.status_code,
            body=bytes(body),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def check_peer(response: httpx.Response, url: str, allowed_hosts: frozenset[str]) -> None:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        check_address(peer[0], host_of(url), allowed_hosts)
