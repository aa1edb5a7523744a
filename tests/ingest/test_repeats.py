"""An outlet's page furniture goes once its earlier articles all printed it; story never does."""

from dataclasses import replace
from datetime import date

from sqlmodel import Session, func, select

from app.corrections.articles import ArticleEdit, delete_article, edit_article
from app.db import make_engine
from app.ingest import repeats, run
from app.ingest.parse import GivenMeta, RawArticle
from app.models import Article, Mention, Outlet, OutletLine

FURNITURE = ["Example Radio News Hour", "Listen Live", "Donate Today"]
BACKGROUND = (
    "The river has flooded the valley three times in the past decade, forcing thousands of "
    "people from their homes."
)
STORIES = [
    [
        f"Rescue teams reached village number {n} by boat on Tuesday, officials said.",
        f"About {n * 100} people spent the night in the school gym as the water rose, the mayor "
        "said.",
        BACKGROUND,
    ]
    for n in range(1, 6)
]


def page(story: list[str]) -> RawArticle:
    text = "\n\n".join([*FURNITURE, *story])
    given = GivenMeta(outlet="Example Radio", published_at="2024-05-02")
    return RawArticle(source=story[0][:40], text=text, given=given)


def test_lines_an_outlet_prints_on_every_page_go_after_three_articles(engine):
    for story in STORIES:
        run.ingest_one(engine, page(story))
    with Session(engine) as session:
        stored = session.exec(select(Article).order_by(Article.id)).all()
        texts = [article.clean_text.split("\n\n") for article in stored]
    assert all(text[: len(FURNITURE)] == FURNITURE for text in texts[:3])
    assert texts[3] == STORIES[3] and texts[4] == STORIES[4]
    assert all(BACKGROUND in text for text in texts)


def test_the_same_page_again_is_still_a_duplicate(engine):
    for story in STORIES:
        run.ingest_one(engine, page(story))
    outcome, _ = run.ingest_one(engine, page(STORIES[0]))
    assert isinstance(outcome, run.Duplicate)


def outlet_counts(engine) -> dict[tuple[str, int], int]:
    """Each outlet's line counts, by outlet name (ids differ between databases)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Outlet.name, OutletLine.line_hash, OutletLine.articles).join(
                Outlet, Outlet.id == OutletLine.outlet_id
            )
        ).all()
    return {(name, line_hash): articles for name, line_hash, articles in rows}


def ingest_pages(engine, pages: list[RawArticle]) -> list[int]:
    return [run.ingest_one(engine, raw)[0].article_id for raw in pages]


def elsewhere(raw: RawArticle, outlet: str) -> RawArticle:
    return RawArticle(raw.source, raw.text, given=replace(raw.given, outlet=outlet))


def test_deleting_an_article_leaves_the_counts_its_outlets_other_articles_give(
    engine, new_database
):
    pages = [page(story) for story in STORIES]
    ids = ingest_pages(engine, pages)
    with Session(engine) as session:
        delete_article(session, ids[1])
        session.commit()
    reingested = make_engine(new_database())
    ingest_pages(reingested, pages[:1] + pages[2:])
    assert outlet_counts(engine) == outlet_counts(reingested)
    reingested.dispose()


def test_an_outlet_change_moves_the_articles_lines_to_its_new_outlet(engine, new_database):
    pages = [page(story) for story in STORIES]
    unknown = RawArticle("no outlet", "\n\n".join([FURNITURE[0], *STORIES[0][:2]]))
    ids = ingest_pages(engine, [*pages, unknown])
    with Session(engine) as session:
        for article_id in (ids[2], ids[5]):
            article = session.get(Article, article_id)
            edit = ArticleEdit(
                "Example TV", article.title, date(2024, 5, 2), None, article.dateline
            )
            edit_article(session, article_id, edit)
        session.commit()
    reingested = make_engine(new_database())
    moved = [elsewhere(pages[2], "Example TV"), elsewhere(unknown, "Example TV")]
    ingest_pages(reingested, pages[:2] + pages[3:] + moved)
    assert outlet_counts(engine) == outlet_counts(reingested)
    reingested.dispose()


def test_a_batch_read_ahead_foresees_the_text_storing_leaves(engine):
    pages = [page(story) for story in STORIES]
    pages.insert(3, page(STORIES[0]))  # the same page again: not stored, so not counted
    pages.append(elsewhere(page(STORIES[1][1:]), "Other Radio"))  # counted for its outlet
    forecast = repeats.FurnitureForecast()
    foreseen = [
        forecast.stored_text(staged.meta.outlet, staged.cleaned, staged.content_hash)
        for staged in map(run.stage, pages)
    ]
    outcomes = [run.ingest_one(engine, raw)[0] for raw in pages]
    with Session(engine) as session:
        stored = {a.id: a.clean_text for a in session.exec(select(Article)).all()}
    added = [
        (text, o) for text, o in zip(foreseen, outcomes, strict=True) if isinstance(o, run.Added)
    ]
    assert len(added) == len(pages) - 1
    assert [text for text, _ in added] == [stored[o.article_id] for _, o in added]
    assert sum(FURNITURE[0] not in text for text, _ in added) == 2


def test_claims_read_ahead_stand_for_texts_whose_outlet_furniture_storing_removes(
    engine, monkeypatch
):
    """The text worker foresees the lines an outlet's earlier pages of the batch repeat: no
    article's claims are extracted again in the storing process."""
    extracted_here = []
    extract = run.align.store.extraction.extract_claims
    monkeypatch.setattr(
        run.align.store.extraction,
        "extract_claims",
        lambda *args: extracted_here.append(args) or extract(*args),
    )
    report = run.ingest_items(engine, [page(story) for story in STORIES], text_worker=True)
    with Session(engine) as session:
        texts = session.exec(select(Article.clean_text)).all()
        mentions = session.exec(select(func.count()).select_from(Mention)).one()
    assert len(report.added) == len(STORIES)
    assert sum(not text.startswith(FURNITURE[0]) for text in texts) == 2
    assert mentions >= len(STORIES)
    assert extracted_here == []
