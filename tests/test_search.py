"""app/search: the index kept in step with every write, safe terms, highlighted hits, on the
store under test (SQLite FTS5, or PostgreSQL under scripts/with-postgres)."""

import pytest
from alembic import command
from sqlalchemy import insert, inspect, text
from sqlmodel import Session, select
from stores import postgres_only

from app import search
from app.db import alembic_config, make_engine, migrate
from app.models import Article, Claim, Mention, Outlet
from app.search.best import CANDIDATES


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
        ("alignment", ["alignment"]),
        ("PRC's alignment", ["PRC", "s", "alignment"]),
        ('"NEAR( x OR y) AND -z*', ["NEAR", "x", "OR", "y", "AND", "z"]),
        ("'; DROP TABLE claim; --", ["DROP", "TABLE", "claim"]),
        ("  …  ", []),
    ],
)
def test_search_terms_keep_only_words(words, expected):
    assert search.search_terms(words) == expected


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


SINOPHOBIA = (
    "“Many people believe that the United States is suffering from an increasingly serious bout "
    "of ‘Sinophobia’,” Wang was quoted as saying."
)


@pytest.fixture
def wang(session, stored):
    """Wang Yi's claim in the WSJ's words, and Reuters' sentence (twice) reporting it."""
    article, _claim = stored
    claim = Claim(
        kind="quote", speaker="Wang Yi", text="The U.S. suffers from a serious China-phobia"
    )
    session.add(claim)
    session.flush()
    mentions = [
        Mention(claim_id=claim.id, article_id=article.id, kind="quote", start=0, end=120, text=text)
        for text in (SINOPHOBIA, "Wang said the Sinophobia of some US officials was spreading.")
    ]
    mentions[1].start, mentions[1].end = 200, 260
    session.add_all(mentions)
    session.commit()
    return claim, mentions


def test_a_claim_is_found_once_by_any_outlets_wording(session, stored, wang):
    article, _claim = stored
    claim, mentions = wang
    [hit] = search.search_claims(session, "sinophob")
    assert hit["id"] == claim.id and hit["mention_id"] in {m.id for m in mentions}
    assert hit["outlet_id"] == article.outlet_id
    assert {"text": "Sinophobia", "hit": True} in hit["highlighted"]
    assert "".join(part["text"] for part in hit["highlighted"]) == hit["text"]
    [own] = search.search_claims(session, "China phobia")
    assert own["id"] == claim.id and own["mention_id"] is None and own["text"] == claim.text


def test_mention_edits_deletes_and_removed_claims_reach_the_search(session, stored, wang):
    claim, mentions = wang
    mentions[0].text = "Wang said relations were at a crossroads."
    session.add(mentions[0])
    session.commit()
    assert [hit["mention_id"] for hit in search.search_claims(session, "Sinophobia")] == [
        mentions[1].id
    ]
    assert [hit["id"] for hit in search.search_claims(session, "crossroads")] == [claim.id]
    session.delete(mentions[1])
    session.commit()
    assert search.search_claims(session, "Sinophobia") == []
    mentions[0].claim_id = None  # an unaligned sentence belongs to no claim
    session.add(mentions[0])
    session.commit()
    assert search.search_claims(session, "crossroads") == []


def _insert_at_old_schema(session: Session, article: Article) -> int:
    """Inserts the article's values for the columns the older schema has; returns its id."""
    columns = {column["name"] for column in inspect(session.connection()).get_columns("article")}
    values = {k: v for k, v in article.model_dump().items() if k in columns and k != "id"}
    return session.execute(insert(Article.__table__).values(values)).inserted_primary_key[0]


def test_upgrading_indexes_the_mentions_already_stored_and_downgrading_drops_them(new_database):
    url = new_database(migrated=False)
    migrate(url, "0002")
    engine = make_engine(url)
    with Session(engine) as session:
        outlet = Outlet(name="Reuters")
        session.add(outlet)
        session.flush()
        article_id = _insert_at_old_schema(
            session, Article(outlet_id=outlet.id, raw_text="x", clean_text="x", content_hash="r")
        )
        claim = Claim(kind="quote", speaker="Wang Yi", text="China-phobia in the U.S.")
        session.add(claim)
        session.flush()
        session.add(
            Mention(
                claim_id=claim.id,
                article_id=article_id,
                kind="quote",
                start=0,
                end=9,
                text=SINOPHOBIA,
            )
        )
        session.commit()
        claim_id = claim.id
    migrate(url)
    with Session(engine) as session:
        assert [hit["id"] for hit in search.search_claims(session, "Sinophobia")] == [claim_id]
    command.downgrade(alembic_config(url), "0002")
    names = search_objects(engine)
    assert "search_claim" in names and not [n for n in names if n.startswith("search_mention")]
    with Session(engine) as session:  # nothing is left to write into the dropped index
        session.add(Mention(article_id=1, kind="quote", start=20, end=30, text="Sinophobia"))
        session.commit()
    engine.dispose()


def search_objects(engine) -> set[str]:
    """Full-text objects: FTS5 tables (SQLite) or GIN indexes on tsvector columns (PostgreSQL)."""
    inspector = inspect(engine)
    tables = inspector.get_table_names()
    indexes = [index["name"] for table in tables for index in inspector.get_indexes(table)]
    return {name for name in [*tables, *indexes] if name.startswith("search_")}


def test_hostile_input_never_raises(session, stored):
    for words in ['"', "a AND", "NEAR(", "*", "-", "col:x", "^x", "(((", "'; DROP TABLE claim; --"]:
        search.search_claims(session, words)
        search.search_articles(session, words)


def test_only_the_newest_matches_are_ranked(session):
    """A word matching more than CANDIDATES claims ranks the newest CANDIDATES of them: an older
    claim is left out however well it matches, and a newer one just as good is found."""
    older_best = Claim(kind="quote", speaker="Talks", text="Talks, talks and more talks")
    session.add(older_best)
    session.commit()
    session.execute(
        insert(Claim),
        [
            {"kind": "statement", "text": f"Officials met for talks on item number {n} today"}
            for n in range(CANDIDATES)
        ],
    )
    newer_best = Claim(kind="quote", speaker="Talks", text="Talks, talks and more talks")
    session.add(newer_best)
    session.commit()
    found = [hit["id"] for hit in search.search_claims(session, "talks", limit=5)]
    assert found[0] == newer_best.id
    assert older_best.id not in found
    assert len(found) == 5


@postgres_only
def test_postgresql_search_indexes_take_new_rows_without_a_pending_list(session, stored):
    """Migration 0019: no GIN pending list that every search would read until a vacuum."""
    options = session.connection().execute(
        text("SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'search_%'")
    )
    assert dict(options.all()) == {
        name: ["fastupdate=off"] for name in ("search_claim", "search_article", "search_mention")
    }
    assert [hit["id"] for hit in search.search_claims(session, "alignment")] == [stored[1].id]
