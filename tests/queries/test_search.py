"""app/queries/search.py: claim and article hits grouped by event."""

from app.queries.search import search


def test_hits_grouped_by_event_with_links(session, bali):
    results = search(session, "alignment")
    assert [claim["id"] for claim in results["claims"]] == [bali.claims["alignment"]]
    assert {article["id"] for article in results["articles"]} >= {
        bali.articles["001"],
        bali.articles["003"],
    }
    assert results["groups"][0]["event"]["id"] == bali.event
    assert results["claims"][0]["url"] == f"/claims/{bali.claims['alignment']}"
    outlets = {article["outlet"] for article in results["articles"]}
    assert "Reuters" in outlets


def test_a_claim_is_found_by_another_outlets_wording(session, bali):
    results = search(session, "state councilor")  # only in Reuters' sentence, not the claim's
    [claim] = results["claims"]
    assert claim["id"] == bali.claims["alignment"] and claim["outlet"] == "Reuters"
    assert {"text": "state", "hit": True} in claim["highlighted"]
    assert [group["event"]["id"] for group in results["groups"]] == [bali.event]
    own = search(session, "alignment")["claims"][0]
    assert own["outlet"] is None and own["text"] == own["text"].strip()


def test_hits_of_two_events_form_two_groups(session, bali):
    results = search(session, "Blinken")
    assert {group["event"]["id"] for group in results["groups"]} == {bali.event, bali.beijing}


def test_nothing_for_no_words(session, bali):
    assert search(session, "  ¿? ")["groups"] == []
