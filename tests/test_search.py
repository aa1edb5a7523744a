"""app/search.py: FTS5 index kept in step by triggers, safe query building, highlighted hits."""

import pytest
from sqlmodel import select

from app import search
from app.models import Article, Claim, Outlet


@pytest.fixture
def stored(session):
    outlet = Outlet(name="Reuters")
    session.add(outlet)
    session.flush()
    article = Article(
        outlet_id=outlet.id,
        title="US concerned at China’s ‘alignment’ with Russia, Blinken says",
        raw_text="x",
        clean_text=(
            "Both diplomats described their first in-person talks since October as “candid”, "
            "with the meeting taking place a day after they attended a gathering of G20 foreign "
            "ministers on the Indonesian island of Bali."
        ),
        content_hash="reuters-bali",
    )
    claim = Claim(
        kind="quote",
        speaker="Antony Blinken",
        text="We are concerned about the PRC’s alignment with Russia",
    )
    session.add(article)
    session.add(claim)
    session.commit()
    return article, claim


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("alignment", '"alignment"*'),
        ("PRC's alignment", '"PRC" "s" "alignment"*'),
        ('"NEAR( x OR y) AND -z*', '"NEAR" "x" "OR" "y" "AND" "z"*'),
        ("  …  ", None),
    ],
)
def test_match_expression_quotes_every_word(words, expected):
    assert search.match_expression(words) == expected


def test_new_rows_are_searchable_with_stemming_and_prefixes(session, stored):
    article, claim = stored
    assert [hit["id"] for hit in search.search_claims(session, "concerns")] == [claim.id]
    assert [hit["id"] for hit in search.search_claims(session, "blinken")] == [claim.id]
    assert [hit["id"] for hit in search.search_articles(session, "Indonesian isl")] == [article.id]


def test_hits_are_highlighted_as_segments(session, stored):
    hit = search.search_claims(session, "alignment")[0]
    assert {"text": "alignment", "hit": True} in hit["highlighted"]
    assert "".join(part["text"] for part in hit["highlighted"]) == hit["text"]
    article_hit = search.search_articles(session, "candid")[0]
    assert {"text": "candid", "hit": True} in article_hit["highlighted_snippet"]


def test_updates_and_deletes_reach_the_index(session, stored):
    article, claim = stored
    claim.text = "I don’t believe China is acting in a way that is neutral"
    session.add(claim)
    session.commit()
    assert search.search_claims(session, "alignment") == []
    assert [hit["id"] for hit in search.search_claims(session, "neutral")] == [claim.id]
    session.delete(article)
    session.commit()
    assert search.search_articles(session, "candid") == []


def test_merged_and_removed_claims_are_not_found(session, stored):
    _article, claim = stored
    survivor = Claim(kind="quote", text="the PRC’s alignment with Russia worries us")
    session.add(survivor)
    session.commit()
    claim.merged_into_id = survivor.id
    session.add(claim)
    session.commit()
    assert [hit["id"] for hit in search.search_claims(session, "alignment")] == [survivor.id]
    assert session.exec(select(Claim)).all()  # the merged row itself is kept


def test_hostile_input_never_raises(session, stored):
    for words in ['"', "a AND", "NEAR(", "*", "-", "col:x", "^x", "(((", "'; DROP TABLE claim; --"]:
        search.search_claims(session, words)
        search.search_articles(session, words)
