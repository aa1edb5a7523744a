"""app/queries/articles.py: clean text cut into plain and claim segments, removed boilerplate."""

import pytest

from app.models import Mention
from app.queries.articles import article_detail, segments
from app.queries.common import NotFound


def test_claim_sentences_are_segments_linking_their_comparison(session, bali):
    article = article_detail(session, bali.articles["003"])
    body = "".join(part["text"] for part in article["segments"])
    assert article["text"].endswith(body) and not body.startswith(article["title"])
    claims = [part for part in article["segments"] if part["claim_id"]]
    assert all(part["outlet_count"] > 1 for part in claims)
    assert [part["claim_id"] for part in claims] == [
        bali.claims["five_hours"],
        bali.claims["alignment"],
        bali.claims["neutral"],
    ]
    assert claims[1]["text"].startswith("“I shared again with the state councilor")
    assert claims[1]["url"] == f"/claims/{bali.claims['alignment']}"
    assert claims[1]["mention_id"] == bali.mentions[("alignment", "003")]


def test_metadata_event_and_removed_boilerplate(session, bali):
    article = article_detail(session, bali.articles["003"])
    assert article["outlet"] == "Reuters"
    assert article["published_at"].year == 2022
    assert article["event"]["id"] == bali.event
    assert article["removed_lines"] == ["Skip to Content", "Story by Reuters"]


def test_overlapping_spans_keep_the_first():
    text = "One two three. Four five."
    first = Mention(id=1, claim_id=7, article_id=1, kind="statement", start=0, end=14, text="")
    overlap = Mention(id=2, claim_id=8, article_id=1, kind="statement", start=4, end=20, text="")
    parts = segments(text, [(first, 2), (overlap, 2)])
    assert [(p["text"], p["claim_id"]) for p in parts] == [
        ("One two three.", 7),
        (" Four five.", None),
    ]


def test_unknown_article(session, bali):
    with pytest.raises(NotFound):
        article_detail(session, 999)


def test_only_claims_other_outlets_carry_are_highlighted():
    text = "Headline\n\nOne two three. Four five."
    shared = Mention(id=1, claim_id=7, article_id=1, kind="statement", start=10, end=24, text="")
    parts = segments(text, [(shared, 3)], body_start=10)
    assert [(p["text"], p["claim_id"], p.get("outlet_count")) for p in parts] == [
        ("One two three.", 7, 3),
        (" Four five.", None, None),
    ]
