"""The reader's journey in real Chromium on the ingested seeds: timeline, event grid, claim panel
loaded in place, its pushed permalink reloaded cold, back and forward; screenshots saved under
test-artifacts/ for a person to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.db import make_engine, migrate
from app.ingest.run import ingest_paths
from browser.support import running_app, watched_page

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port over a store holding the five real seeds."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'parallax.db'}"
    migrate(database_url)
    engine = make_engine(database_url)
    report = ingest_paths(engine, [REPO_ROOT / "seeds"])
    engine.dispose()
    assert len(report.added) == 5
    with running_app(database_url) as base_url:
        yield base_url


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    with watched_page(browser) as page:
        yield page


def bali_event_link(page):
    """The timeline card of the Bali meeting: the one event all four 2022 outlets covered."""
    card = page.locator(".event-card").filter(has_text="Reuters").filter(has_text="NPR")
    return card.locator("h2 a")


def test_timeline_event_claim_panel_permalink_and_history(server, page):
    page.goto(server + "/")
    expect(page.locator("h1")).to_have_text("Timeline")
    expect(page.locator(".event-card")).to_have_count(2)
    page.screenshot(path=ARTIFACTS / "timeline.png", full_page=True)

    bali_event_link(page).click()
    expect(page).to_have_url(re.compile(r"/events/\d+$"))
    event_url = page.url
    grid = page.locator("table.claim-grid")
    expect(grid).to_be_visible()
    expect(grid.locator("thead th")).to_have_count(6)  # claim, four outlets, count
    page.screenshot(path=ARTIFACTS / "event-grid.png")

    grid_box = grid.bounding_box()
    first_claim = grid.locator("tbody tr").first.locator("a.claim-link")
    claim_href = first_claim.get_attribute("href")
    first_claim.click()
    panel = page.locator("#claim-panel .comparison")
    expect(panel).to_be_visible()
    expect(page).to_have_url(server + claim_href)
    assert grid.bounding_box() == grid_box, "the grid moved when the panel loaded"
    expect(page).to_have_title(re.compile(r"^(Quote|Statement|Figure)"))
    for outlet in ("The Guardian", "NPR", "Reuters", "The Wall Street Journal"):
        expect(panel.locator(".phrasing .outlet", has_text=outlet)).to_have_count(1)
    assert panel.locator("ins, del").count() > 0
    expect(page.locator("table.claim-grid tbody tr").first).to_have_attribute(
        "aria-current", "true"
    )
    page.locator("#claim-panel").screenshot(path=ARTIFACTS / "claim-panel.png")
    panel_text = panel.text_content()

    page.reload()
    expect(page).to_have_url(server + claim_href)
    expect(page.locator("table.claim-grid")).to_be_visible()
    expect(page.locator("#claim-panel .comparison")).to_have_text(panel_text)
    og_title = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og_title

    page.go_back()
    expect(page).to_have_url(event_url)
    expect(page.locator("#claim-panel .panel-placeholder")).to_be_visible()
    page.go_forward()
    expect(page).to_have_url(server + claim_href)
    expect(page.locator("#claim-panel .comparison")).to_have_text(panel_text)


def test_reference_switch_and_keyboard_grid(server, page):
    page.goto(server + "/")
    bali_event_link(page).click()
    link = page.locator("table.claim-grid tbody tr").first.locator("a.claim-link")
    link.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.className")
    assert "cell" in focused
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('tr').rowIndex") == 2
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    panel = page.locator("#claim-panel .comparison")
    expect(panel).to_be_visible()
    switch = page.locator(".reference-switch a:not([aria-current])").first
    outlet = switch.inner_text()
    switch.click()
    expect(page.locator(".reference-switch a[aria-current='true']")).to_have_text(outlet)
    expect(page).to_have_url(re.compile(r"\?ref="))
    expect(page.locator(".phrasing.is-reference .outlet")).to_have_text(outlet)


def test_phone_width_has_no_sideways_page_scroll(server, browser):
    with watched_page(browser, PHONE) as page:
        page.goto(server + "/")
        bali_event_link(page).click()
        page.locator("table.claim-grid tbody tr").first.locator("a.claim-link").click()
        expect(page.locator("#claim-panel .comparison")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=ARTIFACTS / "phone-claim.png", full_page=False)
    assert width <= PHONE["width"]


def test_copy_link_puts_the_permalink_on_the_clipboard(server, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + "/")
    bali_event_link(page).click()
    page.locator("table.claim-grid tbody tr").first.locator("a.claim-link").click()
    page.locator("button.copy-link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_not_found_page_offers_a_way_on(server, browser):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(server + "/claims/999999")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    page.locator("main a[href='/']").click()
    expect(page.locator("h1")).to_have_text("Timeline")
    context.close()
