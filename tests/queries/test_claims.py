"""app/queries/claims.py: phrasings side by side, diffs against a chosen reference, redirects."""

import pytest

from app.models import Article, Claim
from app.queries.claims import claim_detail
from app.queries.common import Gone, Moved, NotFound
from app.queries.events import grid_weight
from app.queries.memo import EventPageMemo
from queries.bali import NPR


def test_every_outlet_phrasing_with_exact_sentence_and_link_in_context(session, bali):
    claim = claim_detail(session, bali.claims["neutral"])
    assert claim["speaker"] == "Antony Blinken"
    assert claim["outlets"] == ["NPR", "Reuters", "The Guardian", "The Wall Street Journal"]
    assert claim["missing_outlets"] == []
    wsj = next(m for m in claim["mentions"] if m["outlet"] == "The Wall Street Journal")
    assert wsj["text"] == (
        "“I don’t think that China is in fact engaging in a way that suggests neutrality,” "
        "Mr. Blinken said, telling reporters that he relayed that concern to Mr. Wang."
    )
    assert wsj["url"] == f"/articles/{bali.articles['000']}#m-{bali.mentions[('neutral', '000')]}"
    assert claim["url"] == f"/claims/{bali.claims['neutral']}"


def test_default_reference_is_the_closest_phrasing_and_diffs_are_word_level(session, bali):
    claim = claim_detail(session, bali.claims["alignment"])
    assert claim["reference"] == "The Guardian"
    reuters = next(m for m in claim["mentions"] if m["outlet"] == "Reuters")
    assert not reuters["is_reference"]
    inserted = " ".join(op["text"] for op in reuters["diff"] if op["op"] in ("insert", "replace"))
    assert "shared again with the state councilor" in inserted
    guardian = next(m for m in claim["mentions"] if m["outlet"] == "The Guardian")
    assert guardian["is_reference"]
    assert {op["op"] for op in guardian["diff"]} == {"equal"}


def test_reader_switches_the_reference_outlet(session, bali):
    claim = claim_detail(session, bali.claims["alignment"], reference="reuters")
    assert claim["reference"] == "Reuters"
    assert [m["outlet"] for m in claim["mentions"] if m["is_reference"]] == ["Reuters"]
    unknown = claim_detail(session, bali.claims["alignment"], reference="Pravda")
    assert unknown["reference"] == "The Guardian"


def test_flags_name_missing_outlets(session, bali):
    claim = claim_detail(session, bali.claims["alignment"])
    assert claim["missing_outlets"] == ["The Wall Street Journal"]
    not_reported = [f for f in claim["flags"] if f["kind"] == "not_reported_by"]
    assert not_reported[0]["detail"] == "Not reported by The Wall Street Journal"
    assert not_reported[0]["label"] == "not reported by"
    assert "Reuters quotes a longer sentence" in [f["detail"] for f in claim["flags"]]


def test_description_carries_the_phrasings(session, bali):
    claim = claim_detail(session, bali.claims["five_hours"])
    assert "The Guardian: “In five hours of talks" in claim["description"]
    assert len(claim["description"]) <= 300


def test_description_does_not_quote_a_phrasing_twice(session, bali):
    description = claim_detail(session, bali.claims["alignment"])["description"]
    assert "The Guardian: “We are concerned about the PRC’s alignment" in description
    assert "NPR: \"We are concerned about the PRC's alignment" in description
    assert "““" not in description and '“"' not in description


def test_merged_claim_moves_to_survivor_removed_is_gone_unknown_not_found(session, bali):
    with pytest.raises(Moved) as moved:
        claim_detail(session, bali.merged_claim)
    assert moved.value.new_id == bali.claims["alignment"]
    with pytest.raises(Gone):
        claim_detail(session, bali.removed_claim)
    with pytest.raises(NotFound):
        claim_detail(session, 424242)


def test_merge_chains_are_followed(session, bali):
    middle = Claim(event_id=bali.event, kind="quote", text="x", merged_into_id=bali.merged_claim)
    session.add(middle)
    session.commit()
    with pytest.raises(Moved) as moved:
        claim_detail(session, middle.id)
    assert moved.value.new_id == bali.claims["alignment"]


def test_the_event_kept_for_its_pages_names_the_same_event_and_outlets(session, bali):
    npr_article = session.get(Article, bali.articles[NPR])
    npr_article.outlet_id = None  # an article without an outlet reports under no name
    session.commit()
    memo = EventPageMemo(grid_weight)
    events = set()
    for claim_id in bali.claims.values():
        kept = claim_detail(session, claim_id, event_pages=memo)
        assert kept == claim_detail(session, claim_id)
        events.add(kept["event"]["id"])
    assert bali.event in events
    assert "NPR" not in claim_detail(session, bali.claims["neutral"], event_pages=memo)["outlets"]
