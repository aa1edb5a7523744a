"""Tests for app/identity.py: following merged claims and events to the row they now stand for."""

from app.identity import follow_merges
from app.models import Claim, Event


def test_a_merge_chain_ends_at_the_survivor(session):
    first, second, third = (Event(title=title) for title in ("first", "second", "third"))
    session.add_all([first, second, third])
    session.flush()
    first.merged_into_id, second.merged_into_id = second.id, third.id
    session.flush()
    assert follow_merges(session, Event, first.id) is third
    assert follow_merges(session, Event, third.id) is third
    assert follow_merges(session, Event, 10**6) is None


def test_a_cycle_stops_instead_of_looping(session):
    a, b = Claim(kind="quote", text="a"), Claim(kind="quote", text="b")
    session.add_all([a, b])
    session.flush()
    a.merged_into_id, b.merged_into_id = b.id, a.id
    session.flush()
    assert follow_merges(session, Claim, a.id) in (a, b)
