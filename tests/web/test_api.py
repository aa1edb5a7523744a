"""app/web/api.py: the JSON API's keys, pagination, redirects, errors and exports."""

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from queries.bali import BaliStore, build_bali_store
from sqlmodel import select

from app.models import Claim, Event, Outlet
from app.web import create_app


@pytest.fixture
def bali(session) -> BaliStore:
    return build_bali_store(session)


def test_events_list_keys_and_urls(client, bali):
    body = client.get("/api/events").json()
    assert body["next"] is None
    event = body["events"][1]
    assert {"id", "title", "date", "location", "article_count", "outlets", "url"} <= set(event)
    assert event == {
        **event,
        "id": bali.event,
        "date": "2022-07-09",
        "location": "Nusa Dua, Indonesia",
        "article_count": 4,
        "url": f"/events/{bali.event}",
    }


@pytest.mark.parametrize("person", ["Wang", "Yi", "wang yi"])
def test_events_by_any_word_of_a_persons_name(client, bali, person):
    body = client.get("/api/events", params={"person": person}).json()
    assert [event["id"] for event in body["events"]] == [bali.event]


def test_events_pagination_follows_next_to_the_end(client, session, bali):
    for day in range(1, 6):
        session.add(Event(title=f"Briefing {day}", date_start=date(2021, 3, day)))
    session.commit()
    seen, path = [], "/api/events?limit=3&outlet="
    while path:
        body = client.get(path).json()
        seen += [event["id"] for event in body["events"]]
        path = body["next"]
        if path:
            assert path.startswith("/api/events?") and "limit=3" in path
    assert len(seen) == len(set(seen)) == 7
    assert client.get("/api/events?limit=1000").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["limit=1001", "limit=0", "page=0", "page=x", "date_from=9.7.22", "outlet=" + "x" * 201],
)
def test_bad_parameters_are_422(client, bali, query):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_event_detail_keys(client, bali):
    body = client.get(f"/api/events/{bali.event}").json()
    assert {"id", "title", "date", "location", "related_events", "articles", "claims"} <= set(body)
    assert body["related_events"][0]["id"] == bali.beijing
    article = body["articles"][0]
    assert {"id", "outlet", "title", "published_at", "url"} <= set(article)
    claim = body["claims"][0]
    assert {"id", "kind", "speaker", "text", "outlets", "url"} <= set(claim)
    assert claim["outlets"] == ["NPR", "Reuters", "The Guardian", "The Wall Street Journal"]
    assert claim["url"] == f"/claims/{claim['id']}"


def test_claim_detail_keys_and_exact_mention_text(client, bali):
    body = client.get(f"/api/claims/{bali.claims['alignment']}").json()
    keys = {"id", "event_id", "kind", "speaker", "text", "mentions", "missing_outlets", "flags"}
    assert keys | {"url"} <= set(body)
    assert body["missing_outlets"] == ["The Wall Street Journal"]
    npr = next(m for m in body["mentions"] if m["outlet"] == "NPR")
    assert {"article_id", "outlet", "text", "similarity"} <= set(npr)
    assert npr["text"] == (
        '"We are concerned about the PRC\'s alignment with Russia," Blinken told reporters '
        "after the meeting in the Indonesian resort of Bali."
    )
    # against the reference (The Guardian's curly-quoted sentence): typography is no difference
    assert npr["similarity"] == 100 and npr["same_words"]
    assert npr["label"] == "same words as The Guardian"
    assert all(op["op"] in {"equal", "insert", "delete", "replace"} for op in npr["diff"])


def test_merged_claim_and_event_redirect_removed_claim_is_410(client, bali):
    response = client.get(f"/api/claims/{bali.merged_claim}?ref=NPR", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/api/claims/{bali.claims['alignment']}?ref=NPR"
    assert client.get(f"/api/claims/{bali.merged_claim}").json()["id"] == bali.claims["alignment"]
    response = client.get(f"/api/events/{bali.merged_event}", follow_redirects=False)
    assert response.headers["location"] == f"/api/events/{bali.event}"
    gone = client.get(f"/api/claims/{bali.removed_claim}")
    assert gone.status_code == 410 and "removed" in gone.json()["detail"]


def test_article_keys(client, bali):
    body = client.get(f"/api/articles/{bali.articles['004']}").json()
    keys = {"id", "outlet", "title", "url", "published_at", "dateline", "event_id", "text"}
    assert keys <= set(body)
    assert (body["outlet"], body["dateline"], body["event_id"]) == (
        "The Washington Post",
        "BEIJING",
        bali.beijing,
    )
    assert body["published_at"].startswith("2024-04-26")


def test_search_returns_claims_and_articles(client, bali):
    body = client.get("/api/search?q=neutral").json()
    assert [claim["id"] for claim in body["claims"]] == [bali.claims["neutral"]]
    assert {article["id"] for article in body["articles"]} >= {bali.articles["000"]}
    assert client.get("/api/search").status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/events/999",
        "/api/claims/999",
        "/api/articles/999",
        "/api/nothing",
        "/api/events/2147483647",
    ],
)
def test_unknown_ids_are_json_404(client, bali, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("kind", ["events", "claims", "articles"])
def test_ids_past_the_integer_columns_are_422_on_every_store(client, kind):
    assert client.get(f"/api/{kind}/2147483648").status_code == 422  # PostgreSQL would raise


def test_csv_export_quotes_commas_quotes_and_newlines(client, session, bali):
    claim = session.get(Claim, bali.claims["four_months"])
    claim.text = 'Line one, with a comma\nand a "quoted" second line'
    session.add(claim)
    session.commit()
    response = client.get(f"/api/events/{bali.event}/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == 16
    edited = [row for row in rows if row["claim_id"] == str(claim.id)]
    assert {row["claim_text"] for row in edited} == {claim.text}
    npr = next(
        row
        for row in rows
        if row["claim_id"] == str(bali.claims["alignment"]) and row["outlet"] == "NPR"
    )
    assert npr["phrasing"].startswith('"We are concerned about the PRC\'s alignment with Russia,"')
    assert (npr["state"], npr["similarity"]) == ("verbatim", "98.0")


def test_json_export_matches_csv_rows(client, bali):
    body = client.get(f"/api/events/{bali.event}/export.json").json()
    assert body["event_id"] == bali.event and len(body["rows"]) == 16
    assert {"claim_id", "outlet", "phrasing", "similarity", "flags"} <= set(body["rows"][0])


def test_openapi_documents_every_reader_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/claims/{claim_id}",
        "/api/articles/{article_id}",
        "/api/search",
    ):
        assert path in paths
    assert "/events/{event_id}" not in paths
    assert not [path for path in paths if not path.startswith("/api/")]  # HTML pages stay out


def test_interactive_docs_only_when_enabled(client, settings):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    with TestClient(create_app(settings.model_copy(update={"api_docs": True}))) as docs_client:
        assert docs_client.get("/docs").status_code == 200


@pytest.mark.parametrize("suffix", ["/export.csv", "/export.json"])
def test_merged_event_exports_redirect_to_the_survivor_s_export(client, bali, suffix):
    response = client.get(f"/api/events/{bali.merged_event}{suffix}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"].endswith(f"/api/events/{bali.event}{suffix}")
    assert client.get(f"/api/events/999999{suffix}").status_code == 404


def test_csv_cells_that_spreadsheets_would_run_as_formulas_are_neutralized(client, session, bali):
    outlet = session.exec(select(Outlet).where(Outlet.name == "NPR")).one()
    outlet.name = '=HYPERLINK("https://evil.example","open")'
    claim = session.get(Claim, bali.claims["four_months"])
    claim.text = "-2+3 @sum"
    session.add_all([outlet, claim])
    session.commit()
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/api/events/{bali.event}/export.csv").text))
    )
    cells = [cell for row in rows for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("https://evil.example","open")' in cells
    assert "'-2+3 @sum" in cells
