"""The one rule for source URLs: http(s) with a host, no whitespace or control characters."""

import pytest

from app.urls import is_web_url


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://www.npr.org/2022/07/09/1110711445/blinken-wang-yi", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript://example.org/%0Aalert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox", False),
        ("https://", False),  # no host
        ("http://[::1", False),  # malformed host
        ("https://example.org/a b", False),
        ("https://example.org/\x00x", False),
        ("//example.org/x", False),
        ("www.npr.org/story", False),
    ],
)
def test_only_http_urls_with_a_host_are_web_urls(url, accepted):
    assert is_web_url(url) is accepted
