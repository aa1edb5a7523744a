"""The admin's feeds page: follow a feed, poll it now, see its last poll, error and items, remove
it; every change is audited and needs a session and the CSRF token."""

import pytest
from feeds.pages import seed_articles, serve_seed
from sqlmodel import Session, select

from app.bench.local_site import Reply, local_site, rss_feed
from app.models import Article, AuditLog, Feed


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
    assert post(client, f"/admin/feeds/{feed_id}/poll", csrf_token=csrf).status_code == 303
    page = client.get("/admin/feeds").text
    assert "1 stored" in page and "Wire" in page
    with Session(engine) as session:
        article = session.exec(select(Article)).one()
        assert article.url == link and article.title == seed["title"]

    site.replies["/feed.xml"] = Reply(b"<rss><channel><<<", status=200)
    post(client, f"/admin/feeds/{feed_id}/poll", csrf_token=csrf)
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
