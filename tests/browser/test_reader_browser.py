"""The reader's journey in real Chromium on the ingested seeds, at desktop (1366 px) and phone
(390 px) widths: timeline, event grid, claim panel loaded in place, its pushed permalink reloaded
cold, back and forward; axe-core on every reader page; screenshots saved under test-artifacts/
for a person to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.db import make_engine
from app.ingest.run import ingest_paths
from browser.support import (
    DESKTOP,
    PHONE,
    running_app,
    serious_accessibility_violations,
    watched_page,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def server(module_database):
    """The app on a loopback port over a store holding the five real seeds."""
    database_url = module_database
    engine = make_engine(database_url)
    report = ingest_paths(engine, [REPO_ROOT / "seeds"])
    engine.dispose()
    assert len(report.added) == 5
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(database_url) as base_url:
        yield base_url


@pytest.fixture
def page(browser):
    with watched_page(browser) as page:
        yield page


@pytest.fixture
def phone(browser):
    with watched_page(browser, PHONE) as page:
        yield page


def open_bali_event(page, server):
    """The Bali meeting: the one event all four 2022 outlets covered."""
    page.goto(server + "/")
    card = page.locator(".event-card").filter(has_text="Reuters").filter(has_text="NPR")
    card.locator("h2 a").click()
    expect(page).to_have_url(re.compile(r"/events/\d+$"))


def claim_row(page, text):
    return page.locator("table.claim-grid tbody tr").filter(has_text=text).first


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


def test_desktop_panel_in_place_permalink_and_history(server, page):
    open_bali_event(page, server)
    event_url = page.url
    grid = page.locator("table.claim-grid").first
    expect(grid.locator("thead th")).to_have_count(6)  # claim, four outlets, count
    expect(page.locator(".headline")).to_have_count(4)
    expect(page.locator("#claim-panel")).to_be_hidden()  # the grid has the full width
    width_before = grid.bounding_box()["width"]

    row = claim_row(page, "alignment with Russia")
    claim_href = row.locator("a.claim-link").get_attribute("href")
    row.locator("td.cell").first.click()  # a cell opens the comparison, not just the text
    panel = page.locator("#claim-panel .comparison")
    expect(panel).to_be_visible()
    expect(page).to_have_url(server + claim_href)
    assert grid.bounding_box()["width"] < width_before  # the panel now sits beside the grid
    expect(page).to_have_title(re.compile(r"^(Quote|Statement|Figure)"))
    for outlet in ("The Guardian", "NPR", "Reuters"):
        expect(panel.locator(".phrasing .outlet", has_text=outlet)).to_have_count(1)
    expect(row).to_have_attribute("aria-current", "true")
    page.screenshot(path=ARTIFACTS / "desktop-claim.png")
    panel_text = panel.text_content()

    page.reload()
    expect(page.locator("#claim-panel .comparison")).to_have_text(panel_text)
    og_image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.endswith(claim_href + "/share.png")
    assert page.request.get(og_image).headers["content-type"] == "image/png"

    page.go_back()
    expect(page).to_have_url(event_url)
    expect(page.locator("#claim-panel .comparison")).to_have_count(0)
    page.go_forward()
    expect(page.locator("#claim-panel .comparison")).to_have_text(panel_text)


def test_flag_says_who_has_the_words_and_typography_is_no_difference(server, page):
    open_bali_event(page, server)
    claim_row(page, "alignment with Russia").locator("a.claim-link").click()
    flags = page.locator("#claim-panel .flag")
    expect(flags.filter(has_text="quote")).to_have_text(
        re.compile(
            r"Reuters' quote (adds|has) ‘I shared again with the state councilor that’, "
            r"absent from (The Guardian|NPR)"
        )
    )
    expect(flags.filter(has_text="wire text")).to_have_text(
        re.compile("NPR and The Guardian carry the same wire text")
    )
    page.locator(".reference-switch a", has_text="The Guardian").click()
    npr = page.locator(".phrasing").filter(has=page.locator(".outlet", has_text="NPR"))
    # NPR's straight quotes and apostrophe against The Guardian's curly ones: the same words
    expect(npr.locator(".state")).to_have_text(re.compile("same words as The Guardian"))
    expect(npr.locator("ins, del")).to_have_count(0)
    reuters = page.locator(".phrasing").filter(has=page.locator(".outlet", has_text="Reuters"))
    expect(reuters.locator(".state")).to_have_text(re.compile("reworded"))
    expect(reuters.locator(".similarity")).to_have_count(1)
    expect(reuters.locator("details.match-reasons")).to_have_count(1)


def test_grid_header_stays_visible_while_scrolling(server, page):
    open_bali_event(page, server)
    scroller = page.locator(".grid-scroll").first
    scroller.scroll_into_view_if_needed()
    scroller.evaluate("box => { box.scrollTop = box.scrollHeight / 2; }")
    header = page.get_by_role("columnheader", name="Reuters").first
    box, frame = header.bounding_box(), scroller.bounding_box()
    assert frame["y"] - 1 <= box["y"] <= frame["y"] + 5, (box, frame)
    assert in_view(page, header)


def test_phone_tap_shows_the_comparison_and_back_returns_to_the_row(server, phone):
    open_bali_event(phone, server)
    row = claim_row(phone, "alignment with Russia")
    row.scroll_into_view_if_needed()
    row.locator("a.claim-link").click()
    panel = phone.locator("#claim-panel .comparison")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=ARTIFACTS / "phone-claim-tapped.png")

    phone.go_back()
    expect(phone).to_have_url(re.compile(r"/events/\d+$"))
    expect(claim_row(phone, "alignment with Russia")).to_be_in_viewport()

    claim_row(phone, "alignment with Russia").locator("a.claim-link").click()
    expect(panel).to_be_visible()
    phone.locator("[data-back-to-row]").click()
    expect(claim_row(phone, "alignment with Russia")).to_be_in_viewport()


def test_phone_cold_permalink_shows_the_comparison_first(server, page, browser):
    open_bali_event(page, server)
    href = claim_row(page, "alignment with Russia").locator("a.claim-link").get_attribute("href")
    with watched_page(browser, PHONE) as phone:
        phone.goto(server + href)
        heading = phone.locator("#claim-panel .comparison h2")
        expect(heading).to_be_in_viewport()
        panel_top = phone.locator("#claim-panel").bounding_box()["y"]
        grid_top = phone.locator("#grid").bounding_box()["y"]
        assert panel_top < grid_top


def test_reference_switch_and_keyboard_grid(server, page):
    open_bali_event(page, server)
    link = page.locator("table.claim-grid tbody tr").first.locator("a.claim-link")
    link.focus()
    page.keyboard.press("ArrowRight")
    assert "cell" in page.evaluate("document.activeElement.className")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('tr').rowIndex") == 2
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel .comparison")).to_be_visible()
    switch = page.locator(".reference-switch a:not([aria-current])").first
    outlet = switch.inner_text()
    switch.click()
    expect(page.locator(".reference-switch a[aria-current='true']")).to_have_text(outlet)
    expect(page).to_have_url(re.compile(r"\?ref="))
    expect(page.locator(".phrasing.is-reference .outlet")).to_have_text(outlet)


def test_copy_link_puts_the_permalink_on_the_clipboard(server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    open_bali_event(page, server)
    page.locator("table.claim-grid tbody tr").first.locator("a.claim-link").click()
    page.locator("button.copy-link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def reader_pages(server, page) -> dict[str, str]:
    """One URL of each reader page, found by following the seeds' own links."""
    open_bali_event(page, server)
    urls = {"timeline": server + "/", "event": page.url}
    urls["claim"] = server + claim_row(page, "alignment with Russia").locator(
        "a.claim-link"
    ).get_attribute("href")
    urls["article"] = server + page.locator(".headline-link").first.get_attribute("href")
    urls["outlet"] = server + page.locator(".headline a.outlet").first.get_attribute("href")
    urls["storyline"] = server + page.get_by_role("link", name="Same storyline").get_attribute(
        "href"
    )
    urls["search"] = server + "/search?q=Russia"
    return urls


def test_every_reader_page_passes_axe_at_both_widths(server, browser, page):
    urls = reader_pages(server, page)
    problems = {}
    for width, viewport in WIDTHS.items():
        with watched_page(browser, viewport) as reader:
            for name, url in urls.items():
                reader.goto(url)
                expect(reader.locator("main h1, main h2").first).to_be_visible()
                reader.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
                violations = serious_accessibility_violations(reader)
                if violations:
                    problems[f"{name} at {width}"] = violations
    assert problems == {}


def test_not_found_page_offers_a_way_on(server, browser):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(server + "/claims/999999")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    page.locator("main a[href='/']").click()
    expect(page.locator("h1")).to_have_text("Timeline")
    context.close()
