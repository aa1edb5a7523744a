"""The admin's journey in real Chromium: sign in, paste an article, fix its date in the preview,
store it and find it in its event; then a batch upload whose progress HTMX polls to the report.
Any CSP violation or script error fails the test."""

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright
from sqlmodel import Session

from app.auth import create_user
from app.db import make_engine, migrate
from app.ingest.run import ingest_paths
from app.settings import Settings
from app.web import create_app

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT / "seeds"
WSJ = SEEDS / "000_7dde30d644e8acaf.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long browser-test password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a loopback port: an admin account and the Bali seeds except the WSJ one."""
    folder = tmp_path_factory.mktemp("admin-browser")
    seeds = folder / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob("00[123]_*.txt"):
        shutil.copy(path, seeds)
    shutil.copy(SEEDS / "manifest.csv", seeds)
    database_url = f"sqlite:///{folder / 'parallax.db'}"
    migrate(database_url)
    engine = make_engine(database_url)
    assert len(ingest_paths(engine, [seeds]).added) == 3
    with Session(engine) as session:
        create_user(session, "editor", PASSWORD)
        session.commit()
    engine.dispose()
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(database_url=database_url)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "chromium is missing: run `make browser`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server}/admin")
    expect(page).to_have_url(re.compile(r"/admin/login\?next=/admin$"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{server}/admin")
    yield page
    context.close()
    assert problems == [], f"browser errors (CSP, script): {problems}"


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
    expect(page.locator(".job-summary")).to_contain_text("Added 1, duplicates 1")
    expect(page.get_by_role("heading", name="Events touched")).to_be_visible()
