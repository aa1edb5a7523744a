"""app/queries/timeline.py: newest first, filters, pagination, lead claim, storylines."""

from datetime import date

from app.models import Event
from app.queries.timeline import timeline


def test_events_newest_first_without_merged_ones(session, bali):
    data = timeline(session)
    assert [event["id"] for event in data["events"]] == [bali.beijing, bali.event]
    assert bali.merged_event not in [event["id"] for event in data["events"]]
    assert data["next_page"] is None


def test_summary_has_outlets_count_lead_claim_and_storyline(session, bali):
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.event)
    assert event["title"] == "Blinken meets Wang Yi in Bali"
    assert event["date"] == date(2022, 7, 9)
    assert event["location"] == "Nusa Dua, Indonesia"
    assert event["article_count"] == 4
    assert event["outlets"] == ["NPR", "Reuters", "The Guardian", "The Wall Street Journal"]
    assert event["lead_claim"]["id"] == bali.claims["neutral"]  # reported by all four
    assert [related["id"] for related in event["related_events"]] == [bali.beijing]
    assert event["url"] == f"/events/{bali.event}"


def test_outlet_filter_is_case_insensitive(session, bali):
    ids = [e["id"] for e in timeline(session, outlet="the washington post")["events"]]
    assert ids == [bali.beijing]


def test_person_filter_uses_event_person_keys(session, bali):
    assert [e["id"] for e in timeline(session, person="Wang Yi")["events"]] == [bali.event]
    both = [e["id"] for e in timeline(session, person="Secretary Antony Blinken")["events"]]
    assert both == [bali.beijing, bali.event]
    assert timeline(session, person="Vladimir Putin")["events"] == []


def test_a_lone_surname_finds_the_full_name(session, bali):
    assert [e["id"] for e in timeline(session, person="Blinken")["events"]] == [
        bali.beijing,
        bali.event,
    ]
    assert [e["id"] for e in timeline(session, person="Yi")["events"]] == [bali.event]
    assert timeline(session, person="%")["events"] == []


def test_date_range_filter(session, bali):
    ids = [e["id"] for e in timeline(session, date_from=date(2023, 1, 1))["events"]]
    assert ids == [bali.beijing]
    ids = [e["id"] for e in timeline(session, date_to=date(2022, 12, 31))["events"]]
    assert ids == [bali.event]


def test_pagination_walks_every_event_once(session, bali):
    for day in range(1, 8):
        session.add(Event(title=f"Briefing {day}", date_start=date(2021, 3, day)))
    session.commit()
    seen, page = [], 1
    while page:
        data = timeline(session, page=page, limit=3)
        assert len(data["events"]) <= 3
        seen += [event["id"] for event in data["events"]]
        page = data["next_page"]
    assert len(seen) == len(set(seen)) == 9
    assert seen[-1] != bali.event  # the 2021 briefings come after the 2022 meeting
