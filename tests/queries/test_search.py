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


def test_hits_of_two_events_form_two_groups(session, bali):
    results = search(session, "Blinken")
    assert {group["event"]["id"] for group in results["groups"]} == {bali.event, bali.beijing}


def test_nothing_for_no_words(session, bali):
    assert search(session, "  ¿? ")["groups"] == []
