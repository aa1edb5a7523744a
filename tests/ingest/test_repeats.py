"""An outlet's page furniture goes once its earlier articles all printed it; story never does."""

from sqlmodel import Session, select

from app.ingest import run
from app.ingest.parse import GivenMeta, RawArticle
from app.models import Article

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
