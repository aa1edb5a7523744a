"""migrations/versions/0017: each stored article's counted short lines, found from its text."""

from alembic import command
from sqlmodel import Session, select

from app.db import alembic_config, make_engine, migrate
from app.ingest import run
from app.ingest.parse import GivenMeta, RawArticle
from app.models import ArticleLine

FURNITURE = ["Example Radio News Hour", "Listen Live"]


def page(n: int) -> RawArticle:
    story = [
        f"Rescue teams reached village number {n} by boat on Tuesday, officials said.",
        f"About {n * 100} people spent the night in the school gym, the mayor said.",
    ]
    given = GivenMeta(outlet="Example Radio", published_at="2024-05-02")
    return RawArticle(f"page {n}", "\n\n".join([*FURNITURE, *story]), given=given)


def recorded_lines(engine) -> set[tuple[int, int]]:
    with Session(engine) as session:
        return set(session.exec(select(ArticleLine.article_id, ArticleLine.line_hash)).all())


def test_upgrade_finds_the_lines_ingest_would_have_recorded(new_database):
    url = new_database()
    engine = make_engine(url)
    for n in range(1, 6):  # the last two lose their outlet's furniture
        run.ingest_one(engine, page(n))
    recorded = recorded_lines(engine)
    assert recorded
    command.downgrade(alembic_config(url), "0013")
    migrate(url)
    assert recorded_lines(engine) == recorded
    engine.dispose()
