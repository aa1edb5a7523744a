"""An admin follows a loopback feed in real Chromium, polls it now, and finds its articles side by
side in one event on the reader pages."""

import re
from pathlib import Path

import pytest
from feeds.pages import seed_articles, serve_seed
from playwright.sync_api import expect
from sqlmodel import Session

from app.auth import create_user
from app.bench.local_site import Reply, local_site, rss_feed
from app.db import make_engine
from browser.support import running_app, watched_page

pytestmark = pytest.mark.browser

PASSWORD = "a long browser-test password"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BALI = [seed for seed in seed_articles() if seed["published_at"] == "2022-07-09"][1:4]


@pytest.fixture
def server(new_database):
    database_url = new_database()
    engine = make_engine(database_url)
    with Session(engine) as session:
        create_user(session, "editor", PASSWORD)
        session.commit()
    engine.dispose()
    with running_app(database_url) as base_url:
        yield base_url


def test_follow_a_feed_poll_it_and_read_its_event(browser, server):
    with local_site() as site, watched_page(browser) as page:
        links = [serve_seed(site, seed, f"/world/{n}") for n, seed in enumerate(BALI)]
        items = [
            {"title": seed["title"], "link": link} for seed, link in zip(BALI, links, strict=True)
        ]
        site.replies["/rss.xml"] = Reply(rss_feed("Loopback world news", items))

        page.goto(f"{server}/admin/feeds")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Feeds", exact=True)).to_be_visible()

        page.get_by_label("Feed or sitemap URL").fill(site.url("/rss.xml"))
        page.get_by_label("Allow a private or loopback address").check()
        page.get_by_role("button", name="Follow").click()
        expect(page.locator(".feed-items")).to_have_text("0 stored")

        page.get_by_role("button", name="Poll now").click()
        expect(page).to_have_url(re.compile(r"/admin/jobs/\d+$"))
        expect(page.get_by_role("heading", name=re.compile(r"Feed poll job \d+"))).to_be_visible()
        expect(page.locator(".job-status")).to_have_text("done", timeout=60_000)
        expect(page.locator(".job-summary")).to_contain_text("Added 3, already stored 0")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "admin-feed-poll-job.png", full_page=True)
        page.get_by_role("link", name="feed 1").click()
        expect(page.locator(".feed-items")).to_have_text("3 stored")
        page.screenshot(path=ARTIFACTS / "admin-feeds.png", full_page=True)
        expect(page.locator(".feed-error")).to_have_text("none")
        expect(page.get_by_role("link", name="Loopback world news")).to_be_visible()

        page.goto(server)
        event = page.locator(".event-card").first
        expect(event).to_contain_text("3 articles")
        expect(event.locator("time.updated")).to_have_text(
            re.compile(r"updated (just now|1 minute ago)")
        )
        event.get_by_role("heading").get_by_role("link").click()
        for seed in BALI:
            expect(page.get_by_role("columnheader", name=seed["outlet"])).to_be_visible()
