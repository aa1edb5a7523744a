"""app/web/pages.py: every reader page, full and as an HTMX block, redirects and helpful errors."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from queries.bali import BaliStore, build_bali_store

from app.models import Article, Claim, Event
from app.web import create_app

HTMX = {"HX-Request": "true"}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.I)


@pytest.fixture
def bali(session) -> BaliStore:
    return build_bali_store(session)


def assert_page(response, status=200):
    assert response.status_code == status
    assert response.headers["Vary"] == "HX-Request"
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert not INLINE_SCRIPT.search(html)
    assert " style=" not in html and "hx-on" not in html
    return html


def test_timeline_full_page_and_htmx_block(client, bali):
    html = assert_page(client.get("/"))
    assert "htmx-2.0.11.min.js" in html
    assert "Blinken meets Wang Yi in Bali" in html
    assert html.index("Blinken visits Beijing") < html.index("Blinken meets Wang Yi in Bali")
    assert '<li class="badge">The Guardian</li>' in html
    assert "4 articles" in html
    assert "Same storyline" in html
    # every outlet published the same day, and one outlet alone is first by default: no "first"
    assert "First reported by" not in html
    block = client.get("/", headers=HTMX)
    assert block.headers["Vary"] == "HX-Request"
    assert "<html" not in block.text and '<li class="event-card">' in block.text


def test_timeline_filters_from_a_form_with_blank_fields(client, bali):
    html = assert_page(client.get("/?outlet=NPR&person=&date_from=&date_to="))
    assert f'id="event-{bali.event}"' in html and f'id="event-{bali.beijing}"' not in html
    html = assert_page(client.get("/?person=Wang+Yi&date_from=2022-01-01&date_to=2022-12-31"))
    assert "Blinken meets Wang Yi in Bali" in html
    empty = assert_page(client.get("/?person=Nobody"))
    assert "No events match these filters" in empty


def test_timeline_bad_date_is_a_helpful_422(client, bali):
    html = assert_page(client.get("/?date_from=yesterday"), status=422)
    assert "date_from" in html and 'href="/search"' in html


def test_event_page_lists_articles_and_grid_with_symbols_and_text(client, bali):
    html = assert_page(client.get(f"/events/{bali.event}"))
    assert f'href="/articles/{bali.articles["002"]}"' in html
    assert 'href="https://example.org/002_' in html
    assert '<th scope="col">The Wall Street Journal</th>' in html
    assert "How 4 outlets covered this event" in html
    # all four published the same day: who was first is not known, so nobody is called first
    assert "reported first" not in html
    assert "Where outlets disagree" in html
    for symbol, label in (("●", "same words"), ("◐", "reworded"), ("○", "not reported")):
        assert f'<span aria-hidden="true">{symbol}</span>' in html
        assert f'<span class="cell-label">{label}</span>' in html
    link = f'href="/claims/{bali.claims["neutral"]}" hx-get="/claims/{bali.claims["neutral"]}"'
    assert link in html and 'hx-push-url="true"' in html
    assert 'id="claim-panel"' in html
    assert f"/api/events/{bali.event}/export.csv" in html


def test_event_grid_filter_as_htmx_block(client, bali):
    response = client.get(f"/events/{bali.event}?show=single", headers=HTMX)
    assert response.headers["Vary"] == "HX-Request"
    assert "<html" not in response.text and "claim-grid" in response.text
    assert "More than four months" in response.text
    assert "We are concerned" not in response.text
    assert client.get(f"/events/{bali.event}?show=everything").status_code == 422


def test_merged_event_redirects_permanently(client, bali):
    response = client.get(f"/events/{bali.merged_event}?show=quotes", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/events/{bali.event}?show=quotes"


def test_claim_permalink_cold_is_the_event_page_with_the_panel(client, bali):
    claim_id = bali.claims["alignment"]
    html = assert_page(client.get(f"/claims/{claim_id}"))
    assert "claim-grid" in html and 'class="comparison"' in html
    assert f'<tr id="claim-{claim_id}" aria-current="true" data-claim="{claim_id}">' in html
    for outlet in ("The Guardian", "NPR", "Reuters"):
        assert f'<span class="outlet">{outlet}</span>' in html
    assert "<ins>" in html and "<del>" in html
    assert "Not reported by The Wall Street Journal" in html
    assert (
        f'href="/articles/{bali.articles["003"]}#m-{bali.mentions[("alignment", "003")]}"' in html
    )
    assert 'data-copy-link="http://testserver/claims/' in html
    assert f'<meta property="og:url" content="http://testserver/claims/{claim_id}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    image = f"http://testserver/claims/{claim_id}/share.png"
    assert f'<meta property="og:image" content="{image}">' in html
    description = re.search(r'<meta property="og:description" content="([^"]*)"', html).group(1)
    assert description.startswith("Antony Blinken. The Guardian: “We are concerned about the PRC’s")
    assert "NPR: &#34;We are concerned about the PRC&#39;s alignment" in description
    assert "““" not in description and "“&#34;" not in description


def test_claim_panel_as_htmx_block(client, bali):
    response = client.get(f"/claims/{bali.claims['alignment']}?ref=Reuters", headers=HTMX)
    assert response.headers["Vary"] == "HX-Request"
    html = response.text
    assert "<html" not in html and "claim-grid" not in html
    assert html.lstrip().startswith("<title>Quote by Antony Blinken: We are concerned")
    assert html.count("<title>") == 1 and '<article class="comparison"' in html
    assert 'aria-current="true">Reuters</a>' in html
    assert "Changes from Reuters:" in html


def test_history_restore_gets_the_full_page(client, bali):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = client.get(f"/claims/{bali.claims['alignment']}", headers=headers).text
    assert "<html" in html and "claim-grid" in html


def test_merged_claim_redirects_and_removed_claim_says_so(client, bali):
    response = client.get(f"/claims/{bali.merged_claim}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/claims/{bali.claims['alignment']}"
    html = assert_page(client.get(f"/claims/{bali.removed_claim}"), status=410)
    assert "This claim was removed" in html


def test_article_page_highlights_claims_and_offers_removed_boilerplate(client, bali):
    html = assert_page(client.get(f"/articles/{bali.articles['003']}"))
    mention = bali.mentions[("alignment", "003")]
    assert f'<a id="m-{mention}" class="claim-mark kind-quote" href="/claims/' in html
    assert "<mark>“I shared again with the state councilor" in html
    assert "<details" in html and "<li>Story by Reuters</li>" in html


def test_search_page_groups_and_highlights(client, bali):
    html = assert_page(client.get("/search?q=alignment"))
    assert "<mark>alignment</mark>" in html
    assert 'href="/events/' in html and "Blinken meets Wang Yi in Bali" in html
    block = client.get("/search?q=neutral", headers=HTMX)
    assert "<html" not in block.text and "<mark>neutral</mark>" in block.text
    assert "Nothing matches" in client.get("/search?q=zzzzqqq").text
    assert_page(client.get("/search"))


@pytest.mark.parametrize("path", ["/nowhere", "/events/999", "/claims/999", "/articles/999"])
def test_not_found_pages_help(client, bali, path):
    html = assert_page(client.get(path), status=404)
    assert 'href="/"' in html and 'action="/search"' in html


def test_non_numeric_id_is_a_422_page_not_a_500(client, bali):
    assert_page(client.get("/events/bali"), status=422)


def test_stored_text_is_escaped(client, session, bali):
    claim = session.get(Claim, bali.claims["four_months"])
    claim.speaker = "<script>alert(1)</script>"
    session.add(claim)
    session.commit()
    html = client.get(f"/claims/{claim.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_web_source_urls_become_links(client, session, bali):
    unsafe = session.get(Article, bali.articles["003"])
    unsafe.url = "javascript:alert(1)"
    safe = session.get(Article, bali.articles["001"])
    safe.url = "https://www.theguardian.com/world/2022/jul/09/blinken-wang"
    session.add_all([unsafe, safe])
    session.commit()
    for path in [f"/articles/{unsafe.id}", f"/events/{bali.event}"]:
        html = assert_page(client.get(path))
        assert "javascript:" not in html, path
    assert 'href="https://www.theguardian.com/world/2022/jul/09/blinken-wang"' in (
        client.get(f"/events/{bali.event}").text
    )
    assert "Read the original" not in client.get(f"/articles/{unsafe.id}").text


def test_timeline_loads_more_events_in_place(client, session, bali):
    for day in range(1, 29):
        for hour in range(2):
            session.add(Event(title=f"Briefing {day}.{hour}", date_start=date(2021, 2, day)))
    session.commit()
    first = assert_page(client.get("/?outlet="))
    assert first.count('class="event-card"') == 50
    more = 'href="/?outlet=&amp;page=2" hx-get="/?outlet=&amp;page=2"'
    assert more in first and 'hx-trigger="click, revealed"' in first
    block = client.get("/?outlet=&page=2", headers=HTMX).text
    assert "<html" not in block
    assert block.count('class="event-card"') == 8 and "More events" not in block


def test_a_forged_host_header_is_refused_and_never_put_into_links(client, bali):
    url = f"/claims/{bali.claims['four_months']}"
    assert client.get(url, headers={"Host": "evil.example"}).status_code == 400
    assert "evil.example" not in client.get(url).text


def test_absolute_links_use_the_configured_base_url(settings, bali):
    configured = settings.model_copy(update={"base_url": "https://parallax.example.org/"})
    with TestClient(create_app(configured)) as client:
        html = client.get(
            f"/claims/{bali.claims['four_months']}", headers={"Host": "parallax.example.org"}
        ).text
    assert '<link rel="canonical" href="https://parallax.example.org/claims/' in html
    assert 'data-copy-link="https://parallax.example.org/claims/' in html
    assert 'content="https://parallax.example.org/claims/' in html


def test_share_image_is_a_png_cached_per_data_version(client, bali):
    url = f"/claims/{bali.claims['alignment']}/share.png"
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    etag = response.headers["etag"]
    assert client.get(url).headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_outlet_page_shows_its_record(client, bali):
    html = assert_page(client.get(f"/events/{bali.event}"))
    outlet = re.search(r'<a class="outlet" href="(/outlets/\d+)">Reuters</a>', html).group(1)
    page = assert_page(client.get(outlet))
    assert "<h1>Reuters</h1>" in page and "Left out claims most others carried" in page
    body = client.get("/api" + outlet).json()
    assert body["name"] == "Reuters" and body["article_count"] >= 1
    assert {"first_reports", "wire_copies", "left_out", "articles"} <= set(body)
