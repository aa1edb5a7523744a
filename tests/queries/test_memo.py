"""app/queries/memo.py: an event's data kept while the event's version stays."""

from app.models import Event
from app.queries.events import event_detail, event_grid, grid_weight
from app.queries.memo import EventPageMemo


class CountedBuilds:
    def __init__(self, session, event_id):
        self.session, self.event_id, self.count = session, event_id, 0

    def __call__(self):
        self.count += 1
        return event_grid(self.session, self.event_id)


def test_an_event_is_read_again_only_after_a_write_to_it(session, bali):
    memo = EventPageMemo(grid_weight)
    build = CountedBuilds(session, bali.event)
    first = memo.get(session, bali.event, build)
    assert memo.get(session, bali.event, build) is first and build.count == 1
    session.get(Event, bali.event).title = "Blinken and Wang meet in Bali"
    session.commit()
    assert memo.get(session, bali.event, build)["title"] == "Blinken and Wang meet in Bali"
    assert build.count == 2


def test_a_write_to_another_event_keeps_what_was_read(session, bali):
    memo = EventPageMemo(grid_weight)
    build = CountedBuilds(session, bali.event)
    memo.get(session, bali.event, build)
    session.add(Event(title="Another summit"))
    session.commit()
    memo.get(session, bali.event, build)
    assert build.count == 1


def test_only_the_events_used_last_are_kept_within_the_budget(session, bali):
    memo = EventPageMemo(grid_weight, budget=grid_weight(event_grid(session, bali.event)))
    bali_build, beijing_build = (
        CountedBuilds(session, bali.event),
        CountedBuilds(session, bali.beijing),
    )
    memo.get(session, bali.event, bali_build)
    memo.get(session, bali.beijing, beijing_build)
    memo.get(session, bali.event, bali_build)
    assert bali_build.count == 2


def test_sorts_and_filters_of_a_kept_event_are_those_asked_for(session, bali):
    memo = EventPageMemo(grid_weight)
    everything = event_detail(session, bali.event, memo=memo)
    quotes = event_detail(session, bali.event, show="quotes", memo=memo)
    assert {claim["kind"] for claim in quotes["claims"]} == {"quote"}
    assert len(quotes["claims"]) < len(everything["claims"]) == everything["claim_total"]
    assert event_detail(session, bali.event, sort="order", memo=memo) == event_detail(
        session, bali.event, sort="order"
    )
