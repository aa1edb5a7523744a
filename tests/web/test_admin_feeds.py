"""The admin's feeds page: follow a feed, poll it now, see its last poll, error and items, remove
it; every change is audited and needs a session and the CSRF token."""

import pytest
from fastapi.testclient import TestClient
from feeds.pages import seed_articles, serve_seed
from sqlmodel import Session, select
from web.admin_session import csrf_from, sign_in, wait_for_job

from app import jobs
from app.auth import create_user
from app.bench.local_site import Reply, local_site, rss_feed
from app.feeds.sources import add_feed
from app.models import Article, AuditLog, Feed
from app.web import create_app


@pytest.fixture
def site():
    with local_site() as site:
        yield site


@pytest.fixture
def fast_polls(admin, settings):
    client, _csrf = admin
    client.app.state.settings = settings.model_copy(update={"feed_host_delay": 0.0})


def post(client, path, **data):
    return client.post(path, data=data, follow_redirects=False)


def poll_job(client, csrf: str, feed_id: int) -> dict:
    """Poll now: the request queues a job and redirects to its page, which is followed here."""
    response = post(client, f"/admin/feeds/{feed_id}/poll", csrf_token=csrf)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/admin/jobs/")
    job = wait_for_job(client, location)
    return {**job, "id": int(location.rsplit("/", 1)[1])}


def test_poll_now_queues_a_job_and_fetches_nothing_in_the_request(settings, site, engine):
    with Session(engine) as session:
        create_user(session, "ada", "correct horse battery staple")
        feed = add_feed(session, site.url("/feed.xml"), outlet="Loopback Wire", allow_private=True)
        session.commit()
        feed_id = feed.id
    link = serve_seed(site, seed_articles()[1], "/a/1")
    site.replies["/feed.xml"] = Reply(rss_feed("Wire", [{"title": "One", "link": link}]))
    web_only = settings.model_copy(update={"serve_runs_jobs": False, "feed_host_delay": 0.0})
    with TestClient(create_app(web_only)) as client:
        assert sign_in(client).status_code == 303
        csrf = csrf_from(client.get("/admin").text)
        response = post(client, f"/admin/feeds/{feed_id}/poll", csrf_token=csrf)
        assert response.status_code == 303
        location = response.headers["location"]
        assert site.hits("/feed.xml") == 0
        queued = client.get(location)
        assert "Reading the feed" in queued.text and site.url("/feed.xml") in queued.text
        assert jobs.run_queued(engine) == 1
        job = client.get(location, headers={"Accept": "application/json"}).json()["job"]
    assert (job["status"], job["done"], job["total"]) == ("done", 1, 1)
    assert job["report"]["feed"]["id"] == feed_id
    assert [item["source"] for item in job["report"]["added"]] == [link]
    with Session(engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "poll feed")).one()
        assert (entry.username, entry.target) == ("ada", f"feed {feed_id}")


def test_follow_poll_and_remove_a_feed(admin, fast_polls, site, engine):
    client, csrf = admin
    seed = seed_articles()[1]
    link = serve_seed(site, seed, "/a/1")
    site.replies["/feed.xml"] = Reply(rss_feed("Wire", [{"title": "One", "link": link}]))
    added = post(
        client,
        "/admin/feeds",
        csrf_token=csrf,
        url=site.url("/feed.xml"),
        outlet="Loopback Wire",
        allow_private="true",
    )
    assert added.status_code == 303
    page = client.get("/admin/feeds").text
    assert site.url("/feed.xml") in page and "never" in page

    with Session(engine) as session:
        feed_id = session.exec(select(Feed.id)).one()
    job = poll_job(client, csrf, feed_id)
    assert job["status"] == "done" and [a["source"] for a in job["report"]["added"]] == [link]
    assert f"Feed poll job {job['id']}" in job["page"] and "Added 1" in job["page"]
    page = client.get("/admin/feeds").text
    assert "1 stored" in page and "Wire" in page
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
        assert article.url == link and article.title == seed["title"]

    site.replies["/feed.xml"] = Reply(b"<rss><channel><<<", status=200)
    job = poll_job(client, csrf, feed_id)
    assert "not a readable RSS/Atom feed" in job["page"]
    assert "not a readable RSS/Atom feed" in client.get("/admin/feeds").text

    assert post(client, f"/admin/feeds/{feed_id}/remove", csrf_token=csrf).status_code == 303
    with Session(engine) as session:
        assert session.exec(select(Feed)).all() == []
        assert session.exec(select(Article)).one()  # its articles stay
        actions = session.exec(select(AuditLog.action)).all()
    assert {"add feed", "poll feed", "remove feed"} <= set(actions)


def test_a_private_address_is_refused_unless_allowed(admin, site, engine):
    client, csrf = admin
    response = post(client, "/admin/feeds", csrf_token=csrf, url=site.url("/feed.xml"))
    assert response.status_code == 400
    assert "non-public address" in response.text
    response = post(client, "/admin/feeds", csrf_token=csrf, url="file:///etc/passwd")
    assert response.status_code == 400
    with Session(engine) as session:
        assert session.exec(select(Feed)).all() == []


def test_feed_forms_need_a_session_and_the_csrf_token(client, admin_user, engine):
    assert post(client, "/admin/feeds", url="https://example.org/feed").status_code in (401, 403)
    assert client.get("/admin/feeds", follow_redirects=False).status_code == 303
    with Session(engine) as session:
        assert session.exec(select(Feed)).all() == []


def test_a_missing_feed_is_a_404(admin):
    client, csrf = admin
    assert post(client, "/admin/feeds/999/poll", csrf_token=csrf).status_code == 404
    assert post(client, "/admin/feeds/999/remove", csrf_token=csrf).status_code == 404
