"""Wording an article shares with events: sampled shingles other events' articles print too."""

from sqlmodel import Session

from app.ingest import copies
from app.ingest.events import wording
from app.models import Article, Event

QUOTE = (
    "“The ground shook for almost a minute and the old church tower came down across the "
    "market square while people were still buying bread, and then the dust was so thick that "
    "nobody could see the fountain or the children running from the school,” said Maria Ortiz, "
    "who runs the bakery."
)
FIRST_REPORT = f"A strong earthquake struck the town of San Lucas on Sunday morning. {QUOTE}"
SECOND_REPORT = f"Rescuers searched the rubble in San Lucas after the quake. {QUOTE} Two died."
STOCK = "Follow our live coverage for the latest updates on this developing story as it unfolds."


def stored(session: Session, name: str, text: str, event_id: int | None) -> Article:
    article = Article(
        title=name, raw_text=text, clean_text=text, content_hash=name, event_id=event_id
    )
    session.add(article)
    session.flush()
    copies.store_shingles(session, article.id, copies.shingle_hashes(text))
    return article


def new_event(session: Session) -> int:
    event = Event(title="event")
    session.add(event)
    session.flush()
    return event.id


def test_an_event_whose_report_prints_the_same_quotation_shares_its_sampled_shingles(session):
    quake = new_event(session)
    stored(session, "first", FIRST_REPORT, quake)
    other = new_event(session)
    stored(session, "other", "The council approved the budget for a new library on Monday.", other)
    second = stored(session, "second", SECOND_REPORT, None)
    shared = wording.shared_wording(session, second.id)
    printed_by_both = copies.shingle_hashes(FIRST_REPORT) & copies.shingle_hashes(SECOND_REPORT)
    assert len(printed_by_both) >= 2  # the quotation is long enough to be sampled
    assert shared == {quake: len(printed_by_both)}


def test_wording_that_articles_of_many_events_print_is_stock_wording_not_evidence(session):
    for n in range(wording.COMMON_SHINGLE_EVENTS + 1):
        stored(
            session, f"story {n}", f"Story number {n} happened today. {STOCK}", new_event(session)
        )
    late = stored(session, "late", f"Another story happened. {STOCK}", None)
    assert copies.shingle_hashes(STOCK)
    assert wording.shared_wording(session, late.id) == {}


def test_wording_many_articles_of_one_event_print_still_tells_that_event(session):
    quake = new_event(session)
    for n in range(wording.COMMON_SHINGLE_EVENTS + 3):
        stored(session, f"copy {n}", FIRST_REPORT, quake)
    second = stored(session, "second", SECOND_REPORT, None)
    printed_by_both = copies.shingle_hashes(FIRST_REPORT) & copies.shingle_hashes(SECOND_REPORT)
    assert wording.shared_wording(session, second.id) == {quake: len(printed_by_both)}
