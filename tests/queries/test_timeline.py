"""app/queries/timeline.py: newest first, filters, pagination, lead claim, storylines."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from app.models import Article, Claim, Event
from app.queries.events import event_detail
from app.queries.timeline import ago_label, timeline
from queries.bali import NPR, WAPO, WSJ


def test_events_newest_first_without_merged_ones(session, bali):
    data = timeline(session)
    assert [event["id"] for event in data["events"]] == [bali.beijing, bali.event]
    assert bali.merged_event not in [event["id"] for event in data["events"]]
    assert data["next_page"] is None


def test_an_undated_event_comes_last_on_every_store(session, bali):
    undated = Event(title="Date unknown")
    session.add(undated)
    session.commit()
    ids = [event["id"] for event in timeline(session)["events"]]
    assert ids == [bali.beijing, bali.event, undated.id]


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


def test_lead_claim_is_the_one_most_outlets_reported_independently(session, bali):
    neutral = session.get(Claim, bali.claims["neutral"])
    alignment = session.get(Claim, bali.claims["alignment"])
    neutral.independent_count = 2  # four outlets, but two ran the same wire copy
    assert alignment.outlet_count == alignment.independent_count == 3
    session.add(neutral)
    session.commit()
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.event)
    assert event["lead_claim"]["id"] == alignment.id
    neutral.independent_count = 3  # a tie on independent outlets: most outlets in all leads
    session.add(neutral)
    session.commit()
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.event)
    assert event["lead_claim"]["id"] == neutral.id


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
    assert [e["id"] for e in timeline(session, person="Wang")["events"]] == [bali.event]
    assert [e["id"] for e in timeline(session, person="antony")["events"]] == [
        bali.beijing,
        bali.event,
    ]
    assert timeline(session, person="Wan")["events"] == []
    assert timeline(session, person="Yi Wang")["events"] == []
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


def test_first_and_last_reports_use_only_day_dates_and_share_ties(session, bali):
    npr = session.get(Article, bali.articles[NPR])
    npr.published_at = datetime(2022, 7, 9, 14, 30, tzinfo=UTC)
    wsj = session.get(Article, bali.articles[WSJ])
    wsj.published_at, wsj.date_precision = datetime(2022, 1, 1, tzinfo=UTC), "year"
    session.add_all([npr, wsj])
    session.commit()
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.event)
    assert event["first_report"]["outlets"] == ["Reuters", "The Guardian"]
    assert event["first_report"]["published_label"] == "9 July 2022"
    assert event["last_report"]["outlets"] == ["NPR"]
    assert event["last_report"]["published_label"] == "9 July 2022, 14:30 UTC"
    detail = event_detail(session, bali.event)
    assert detail["first_report"] == event["first_report"]


def test_no_first_report_without_a_day_date(session, bali):
    beijing = session.get(Article, bali.articles[WAPO])
    beijing.date_precision = "year"
    session.add(beijing)
    session.commit()
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.beijing)
    assert (event["first_report"], event["last_report"]) == (None, None)


def test_summary_says_when_the_newest_article_arrived(session, bali):
    articles = session.exec(select(Article).where(Article.event_id == bali.event)).all()
    now = datetime.now(UTC)
    for minutes, article in zip((90, 7, 300, 2000), articles, strict=False):
        article.ingested_at = now - timedelta(minutes=minutes)
        session.add(article)
    session.commit()
    event = next(e for e in timeline(session)["events"] if e["id"] == bali.event)
    assert event["updated_label"] == "updated 7 minutes ago"
    assert abs(event["updated_at"] - (now - timedelta(minutes=7))) < timedelta(seconds=1)


def test_ago_label_uses_the_largest_whole_unit():
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    assert ago_label(now - timedelta(seconds=20), now) == "updated just now"
    assert ago_label(now - timedelta(minutes=1), now) == "updated 1 minute ago"
    assert ago_label(now - timedelta(minutes=59), now) == "updated 59 minutes ago"
    assert ago_label(now - timedelta(minutes=125), now) == "updated 2 hours ago"
    assert ago_label(now - timedelta(days=3, hours=5), now) == "updated 3 days ago"
