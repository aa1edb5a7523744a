"""Turns a stated source URL into a verdict: a web address pages may link to, or not."""

import re
from urllib.parse import urlsplit

# Control characters (and the replacement character left by undecodable bytes).
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
WEB_URL_SCHEMES = ("http://", "https://")


def is_web_url(url: str | None) -> bool:
    """Whether a stated source URL is a web address with a host; a "javascript:" or "data:" URL
    would run or carry content wherever it is shown as a link. The one rule for the CLI, ingest,
    admin edits and pages."""
    if not url or not url.lower().startswith(WEB_URL_SCHEMES):
        return False
    if any(c.isspace() for c in url) or CONTROL_CHARACTER.search(url):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a malformed host such as "http://[::1"
        return False
