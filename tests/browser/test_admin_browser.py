"""The admin's journey in real Chromium: sign in, paste an article, fix its date in the preview,
store it and find it in its event; then a batch upload whose progress HTMX polls to the report.
Any CSP violation or script error fails the test."""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.auth import create_user
from app.db import make_engine
from app.ingest.run import ingest_paths
from app.models import Event
from browser.support import PHONE, running_app, watched_page

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT / "seeds"
WSJ = SEEDS / "000_7dde30d644e8acaf.txt"
PASSWORD = "a long browser-test password"
ARTIFACTS = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory, module_database):
    """The app on a loopback port: an admin account and the Bali seeds except the WSJ one."""
    folder = tmp_path_factory.mktemp("admin-browser")
    seeds = folder / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob("00[123]_*.txt"):
        shutil.copy(path, seeds)
    shutil.copy(SEEDS / "manifest.csv", seeds)
    database_url = module_database
    engine = make_engine(database_url)
    assert len(ingest_paths(engine, [seeds]).added) == 3
    with Session(engine) as session:
        create_user(session, "editor", PASSWORD)
        session.commit()
    engine.dispose()
    with running_app(database_url) as base_url:
        yield base_url


@pytest.fixture
def page(browser, server):
    with watched_page(browser) as page:
        sign_in(page, server)
        yield page


def sign_in(page, server):
    page.goto(f"{server}/admin")
    expect(page).to_have_url(re.compile(r"/admin/login\?next=/admin$"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{server}/admin")


def test_paste_preview_confirm_and_find_the_article_in_its_event(page, server):
    page.get_by_role("link", name="Upload", exact=True).click()
    page.get_by_label("Article text").fill(WSJ.read_text())
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", name="Preview: nothing is stored yet")).to_be_visible()
    expect(page.get_by_label("Outlet")).to_have_value("The Wall Street Journal")
    expect(page.locator("del.removed-line").first).to_be_attached()
    expect(page.get_by_text("Only the year is known")).to_be_visible()
    page.get_by_label("Publication date").fill("2022-07-09")
    page.get_by_role("button", name="Update preview").click()
    expect(page.get_by_label("Publication date")).to_have_value("2022-07-09")
    joins = page.locator(".preview-event a")
    expect(page.locator(".preview-event")).to_contain_text("It would join")
    event_href = joins.get_attribute("href")

    page.get_by_role("button", name="Store this article").click()
    expect(page.get_by_text(re.compile(r"Stored as article \d+"))).to_be_visible()
    page.locator(f'a[href="{event_href}"]').first.click()
    expect(page).to_have_url(f"{server}{event_href}")
    expect(page.get_by_role("columnheader", name="The Wall Street Journal")).to_be_visible()
    expect(page.get_by_text("Blinken Reproves China Counterpart").first).to_be_visible()


def test_batch_upload_shows_progress_then_the_report(page, server):
    page.goto(f"{server}/admin/upload")
    page.get_by_label("or files").set_input_files(
        [str(path) for path in sorted(SEEDS.glob("00[34]_*.txt"))]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/admin/jobs/\d+$"))
    expect(page.locator("#job-progress progress")).to_be_attached()
    expect(page.locator(".job-status")).to_have_text("done", timeout=60_000)
    expect(page.locator(".job-summary")).to_contain_text(
        "Added 1, already stored 1, duplicates of other articles 0"
    )
    expect(
        page.get_by_role("heading", name="Already stored (same source, same text)")
    ).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-upload-job.png", full_page=True)
    expect(page.get_by_role("heading", name="Events touched")).to_be_visible()
    page.goto(f"{server}/admin")
    expect(page.get_by_role("heading", name="Recent jobs")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "admin-dashboard.png", full_page=True)


def test_a_corrected_dateline_is_saved_and_shown_on_desktop_and_phone(page, server):
    page.goto(f"{server}/admin/articles/1")
    page.get_by_label("Dateline").fill("JAKARTA, Indonesia")
    page.get_by_role("button", name="Save metadata").click()
    expect(page.get_by_label("Dateline")).to_have_value("JAKARTA, Indonesia")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-article.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=ARTIFACTS / "admin-article-phone.png", full_page=True)
    # the move picker's long event titles must not widen the page past the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_move_picker_finds_an_event_by_title_and_offers_the_old_event_back_first(
    page, server, module_database
):
    engine = make_engine(module_database)
    with Session(engine) as session:
        session.add_all([Event(title=f"Harbour works filler {n}") for n in range(40)])
        session.commit()
    engine.dispose()
    page.goto(f"{server}/admin/articles/2")
    home = page.locator("p", has_text="In event").get_by_role("link").first.get_attribute("href")
    page.get_by_label("Find an event by words of its title, or its number").fill("filler 17")
    picker = page.get_by_label("Event to move it to")
    expect(picker.locator("option").first).to_have_text(re.compile(r"^Harbour works filler 17 "))
    expect(page).to_have_url(
        re.compile(r"/admin/articles/2\?find=filler(\+|%20)17$")
    )  # HTMX, pushed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-move-picker.png", full_page=True)
    target = picker.locator("option").first.get_attribute("value")
    page.get_by_role("button", name="Move article").click()
    expect(page).to_have_url(f"{server}/admin/articles/2")
    expect(page.get_by_text("placed by an admin")).to_be_visible()
    expect(page.locator(f'p a[href="/events/{target}"]')).to_be_visible()

    # back where it came from: its old event is the one it would most likely join
    expect(page.get_by_label("Event to move it to").locator("option").first).to_have_attribute(
        "value", home.rsplit("/", 1)[1]
    )
    page.get_by_role("button", name="Move article").click()
    expect(page.locator(f'p a[href="{home}"]')).to_be_visible()


def test_the_event_page_stays_within_a_phone_screen(browser, server):
    with watched_page(browser, PHONE) as page:
        sign_in(page, server)
        page.goto(f"{server}/admin/articles/2")
        page.get_by_role("link", name="correct the event").click()
        expect(
            page.get_by_role("heading", name="Merge another event into this one")
        ).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "admin-event-phone.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
