"""app/queries/storylines.py: a storyline's events in order, the claims said again across them."""

import pytest

from app.models import Claim, Event
from app.queries.common import NotFound
from app.queries.storylines import storyline_detail
from app.text.normalize import normalize


def test_events_in_date_order_and_a_claim_said_again(session, bali):
    said = session.get(Claim, bali.claims["alignment"])
    again = Claim(
        event_id=bali.beijing,
        kind="quote",
        speaker=said.speaker,
        text=f"{said.text}, he said again",
        normalized=normalize(f"{said.text}, he said again"),
    )
    other_speaker = Claim(
        event_id=bali.beijing,
        kind="quote",
        speaker="Wang Yi",
        text=said.text,
        normalized=said.normalized,
    )
    session.add_all([again, other_speaker])
    session.commit()
    storyline_id = session.get(Event, bali.event).storyline_id
    detail = storyline_detail(session, storyline_id)
    assert [event["id"] for event in detail["events"]] == [bali.event, bali.beijing]
    (recurring,) = detail["recurring_claims"]
    assert [ref["id"] for ref in recurring["claims"]] == [said.id, again.id]
    assert recurring["speaker"] == said.speaker


def test_unknown_storyline(session, bali):
    with pytest.raises(NotFound):
        storyline_detail(session, 999)
