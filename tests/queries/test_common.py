"""app/queries/common.py: display labels and tolerant flag parsing."""

from datetime import UTC, date, datetime

import pytest

from app.queries.common import date_range_label, flags, published_label, source_link


def test_published_label_shows_what_is_known():
    at = datetime(2022, 7, 9, 14, 30, tzinfo=UTC)
    assert published_label(at, "day") == "9 July 2022, 14:30 UTC"
    assert published_label(at.replace(hour=0, minute=0), "day") == "9 July 2022"
    assert published_label(at, "month") == "July 2022"
    assert published_label(at, "year") == "2022"
    assert published_label(None, None) == "date unknown"


def test_date_range_label():
    assert date_range_label(date(2022, 7, 8), date(2022, 7, 9)) == "8 July 2022 – 9 July 2022"
    assert date_range_label(date(2022, 7, 9), date(2022, 7, 9)) == "9 July 2022"
    assert date_range_label(None, None) == "date unknown"


def test_flags_parse_dicts_and_strings_and_survive_garbage():
    stored = '[{"kind": "figures_differ", "detail": "Reuters: more than five hours"}, "wire_copy"]'
    assert flags(stored) == [
        {
            "kind": "figures_differ",
            "detail": "Reuters: more than five hours",
            "label": "figures differ",
        },
        {"kind": "wire_copy", "detail": "", "label": "wire copy"},
    ]
    assert flags("not json") == flags('{"kind": 1}') == flags(None) == []


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.npr.org/2022/07/09/x", "https://www.npr.org/2022/07/09/x"),
        (" HTTP://krdo.com/news ", "HTTP://krdo.com/news"),
        ("javascript:alert(1)", None),
        ("JavaScript://%0aalert(1)", None),
        ("data:text/html,<b>hi</b>", None),
        ("//evil.example/x", None),
        ("https://", None),
        ("http://[::1", None),
        (None, None),
    ],
)
def test_source_link_only_for_web_addresses(url, link):
    assert source_link(url) == link
