"""app/feeds/guard.py: only http(s), and only public addresses unless the host is allowed."""

import pytest

from app.feeds.guard import Forbidden, check_address, check_url


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "/relative/feed.xml",
        "http://user:secret@example.org/feed",
        "http://[::1/",
    ],
)
def test_non_web_or_malformed_urls_are_refused(url):
    with pytest.raises(Forbidden):
        check_url(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    with pytest.raises(Forbidden, match="non-public address"):
        check_address(address, "feeds.example")


def test_public_addresses_pass():
    check_address("93.184.216.34", "example.org")
    check_address("2606:2800:220:1:248:1893:25c8:1946", "example.org")


def test_loopback_names_are_resolved_then_refused():
    with pytest.raises(Forbidden, match="non-public address"):
        check_url("http://localhost:8000/feed.xml")
    with pytest.raises(Forbidden, match="non-public address"):
        check_url("http://127.0.0.1/feed.xml")


def test_an_allowed_host_may_be_private_but_only_that_host():
    allowed = frozenset({"127.0.0.1"})
    check_url("http://127.0.0.1:8000/feed.xml", allowed)
    check_address("127.0.0.1", "127.0.0.1", allowed)
    with pytest.raises(Forbidden):
        check_url("http://localhost:8000/feed.xml", allowed)


def test_unresolvable_hosts_are_refused():
    with pytest.raises(Forbidden, match="cannot resolve"):
        check_url("http://no-such-host.invalid/feed.xml")
