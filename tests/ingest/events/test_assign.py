"""Joining and opening events: a report that opened its own event joins once the event grows."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from app.db import make_engine, session_scope
from app.ingest import events, run
from app.ingest.align import store as align_store
from app.ingest.events import assign
from app.models import Article, Claim, Event, EventKey, Mention

FLOOD = (
    "Arden River floods Millbrook homes",
    "The Arden River burst its banks in Millbrook, flooding streets and homes near the old mill. "
    "Mayor Helen Grant ordered the evacuation of riverside homes as the water kept rising. "
    "Rescue crews in boats carried residents from flooded homes along the river.",
)
SHELTER = (
    "Shelter opens for evacuated families",
    "Volunteers opened a shelter at Lincoln School for evacuated families, with cots, blankets "
    "and hot meals. The shelter's organisers asked for donations of blankets and dry clothes, "
    "and the Red Cross sent volunteers with more cots for evacuated families from flooded homes.",
)
BRIDGE = (
    "Millbrook flood: families evacuated to school shelter",
    "As the Arden River flooded Millbrook, rescue crews evacuated families from riverside homes "
    "to a shelter at Lincoln School, where volunteers handed out blankets, cots and hot meals. "
    "The river burst its banks near the old mill and the water kept rising, flooding streets. "
    "Mayor Helen Grant thanked the volunteers and the Red Cross.",
)
LIBRARY = (
    "Council approves budget for new library",
    "The county council approved a budget for a new library building downtown, with reading "
    "rooms, computers and a children's section, after a long debate over taxes.",
)


def add(session: Session, name: str, title: str, text: str, **fields) -> Article:
    article = Article(
        title=title, raw_text=text, clean_text=text, content_hash=name, source_name=name, **fields
    )
    session.add(article)
    session.flush()
    events.assign_article(session, article)
    return article


def test_a_report_that_opened_its_own_event_joins_it_once_a_bridging_report_grows_it(session):
    add(session, "library", *LIBRARY)
    flood = add(session, "flood", *FLOOD)
    shelter = add(session, "shelter", *SHELTER)
    assert shelter.event_id not in (flood.event_id, None)  # too little in common with one report
    opened = shelter.event_id
    bridge = add(session, "bridge", *BRIDGE)
    assert bridge.event_id == flood.event_id
    assert events.consolidate(session, bridge.event_id) == [opened]
    session.refresh(shelter)
    assert shelter.event_id == flood.event_id
    assert shelter.event_reason.startswith(f"joined event {flood.event_id} once it grew")
    assert session.get(Event, opened).merged_into_id == flood.event_id
    library = session.exec(select(Article).where(Article.source_name == "library")).one()
    assert library.event_id != flood.event_id


def test_a_small_event_mentioning_only_other_years_is_not_merged_late(session):
    add(session, "library", *LIBRARY)
    flood = add(session, "flood", FLOOD[0], FLOOD[1] + " It is the worst flood since 2011.")
    title, text = SHELTER
    shelter = add(session, "shelter", title, text + " The school served as a shelter in 1997.")
    bridge = add(session, "bridge", *BRIDGE)
    assert bridge.event_id == flood.event_id
    assert events.consolidate(session, bridge.event_id) == []
    assert shelter.event_id != flood.event_id


def test_a_small_event_dated_weeks_apart_is_ruled_out_before_it_is_scored(session, monkeypatch):
    day = datetime(2024, 3, 4, 9, tzinfo=UTC)
    add(session, "library", *LIBRARY)
    flood = add(session, "flood", *FLOOD, published_at=day)
    add(session, "shelter", *SHELTER, published_at=day + timedelta(days=30))
    scored = []
    real_score = assign.score
    monkeypatch.setattr(
        assign, "score", lambda f, *rest: scored.append(f.title) or real_score(f, *rest)
    )
    bridge = add(session, "bridge", *BRIDGE, published_at=day)
    assert bridge.event_id == flood.event_id
    scored.clear()
    assert events.consolidate(session, bridge.event_id) == []
    assert SHELTER[0] not in scored


def late_merge_story(folder: Path) -> list[Path]:
    """Four reports as files, in ingest order: the last grows the flood event enough to merge
    the shelter report's event into it; the shelter and bridge reports share a quote."""
    quote = ' "We have beds for everyone who needs one," said organiser Ruth Patel.'
    texts = {
        "1-library": LIBRARY,
        "2-flood": FLOOD,
        "3-shelter": (SHELTER[0], SHELTER[1] + quote),
        "4-bridge": (BRIDGE[0], BRIDGE[1] + quote),
    }
    for name, (title, text) in texts.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return sorted(folder.glob("*.txt"))


def test_ingest_merging_an_event_late_keeps_its_claims_and_aligns_them_with_the_others(
    engine, tmp_path
):
    run.ingest_paths(engine, late_merge_story(tmp_path))
    with Session(engine) as session:
        placed = {a.source_name.split("/")[-1]: a.event_id for a in session.exec(select(Article))}
        assert placed["2-flood.txt"] == placed["3-shelter.txt"] == placed["4-bridge.txt"]
        merged_away = session.exec(select(Event.id).where(Event.merged_into_id.is_not(None))).all()
        assert merged_away
        claims = session.exec(select(Claim)).all()
        assert not [c.id for c in claims if c.event_id in merged_away or c.removed_at]
        quoted = session.exec(select(Mention).where(Mention.text.contains("beds for everyone")))
        assert len({m.claim_id for m in quoted}) == 1


def test_the_ingest_that_merges_an_event_late_aligns_the_kept_event_once(
    engine, tmp_path, monkeypatch
):
    """The kept event is re-aligned in full once, its absorbed claims in: aligning the added
    article on its own first was wasted work (the full re-align groups its mentions the same)."""
    paths = late_merge_story(tmp_path)
    run.ingest_paths(engine, paths[:3])
    alignments = []
    for name in ("align_items", "extend_groups"):
        aligning = getattr(align_store, name)
        monkeypatch.setattr(
            align_store,
            name,
            lambda *args, name=name, real=aligning: alignments.append(name) or real(*args),
        )
    run.ingest_paths(engine, paths[3:])
    with Session(engine) as session:
        assert session.exec(select(Event.id).where(Event.merged_into_id.is_not(None))).all()
        quoted = session.exec(select(Mention).where(Mention.text.contains("beds for everyone")))
        assert len({m.claim_id for m in quoted}) == 1
    assert alignments == ["align_items"]


CLINTONS = (
    "Clintons raise flood relief money at Millbrook library",
    "WASHINGTON — Bill Clinton and Hillary Clinton met donors at the Millbrook library on Tuesday "
    "to raise money for flood relief. Mrs. Clinton said the donors gave generously. The Millbrook "
    "library fundraiser drew hundreds of donors.",
)
BILL_CLINTON = (
    "Clintons raise flood relief money at Millbrook library",
    "WASHINGTON — Bill Clinton thanked donors at the Millbrook library fundraiser for flood "
    "relief on Tuesday. He said the flood relief fund would help {} families. Donors at the "
    "library gave generously.",
)
TUESDAY = datetime(2024, 5, 7, tzinfo=UTC)


def event_keys(session: Session, event_id: int) -> list[tuple]:
    return session.exec(
        select(EventKey.key, EventKey.weight)
        .where(EventKey.event_id == event_id)
        .order_by(EventKey.key)
    ).all()


def test_keys_left_as_a_rebuild_gives_them_are_not_rebuilt_for_a_surname_two_people_share(
    engine, monkeypatch
):
    """The event knows "person:clinton" alone (Bill and Hillary share it): each report naming
    Bill Clinton in full would rebuild the event's keys, to the keys it has."""
    rebuilds = []
    rebuild_keys = assign._rebuild_keys
    monkeypatch.setattr(
        assign, "_rebuild_keys", lambda s, i: rebuilds.append(i) or rebuild_keys(s, i)
    )

    def add_committed(engine, name, title, text):
        with session_scope(engine) as session:
            added = add(session, name, title, text, published_at=TUESDAY, date_precision="day")
            return added.event_id

    first = add_committed(engine, "clintons", *CLINTONS)
    other_process = make_engine(str(engine.url))  # nothing kept of the event
    try:
        for families in range(20, 24):
            title, text = BILL_CLINTON
            event_id = add_committed(other_process, f"bill{families}", title, text.format(families))
            assert event_id == first
            with Session(engine) as session:
                kept = event_keys(session, first)
                rebuild_keys(session, first)
                assert event_keys(session, first) == kept
                assert ("person:clinton", 1.0) in kept
                session.rollback()
    finally:
        other_process.dispose()
    assert rebuilds == [first]  # in the process that kept nothing of the event, then no more
