"""`parallax feeds add|list|remove|poll` through the real command line entry point."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.bench.local_site import Reply, rss_feed
from app.cli import main
from app.models import Article, Feed
from feeds.pages import seed_articles, serve_seed


@pytest.fixture
def database(settings, engine, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PARALLAX_FEED_HOST_DELAY", "0")
    return engine


def test_add_list_poll_once_and_remove(database, site, capsys):
    link = serve_seed(site, seed_articles()[2], "/a/2")
    site.replies["/feed.xml"] = Reply(rss_feed("Wire", [{"title": "Two", "link": link}]))
    url = site.url("/feed.xml")

    assert main(["feeds", "add", url]) == 1
    assert "non-public address" in capsys.readouterr().err
    assert main(["feeds", "add", url, "--outlet", "Loop", "--allow-private"]) == 0
    assert main(["feeds", "add", url, "--allow-private"]) == 1
    assert "already followed" in capsys.readouterr().err

    assert main(["feeds", "poll", "--once"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"{url}: stored 1")
    with Session(database) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1
        feed_id = session.exec(select(Feed.id)).one()

    assert main(["feeds", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{feed_id}\t{url}\tLoop\tpolled " in listed and "1 stored\tok" in listed

    assert main(["feeds", "remove", str(feed_id)]) == 0
    assert main(["feeds", "remove", str(feed_id)]) == 1
    assert main(["feeds", "list"]) == 0
    assert "no feeds followed" in capsys.readouterr().out


def test_poll_once_exits_1_when_a_feed_failed(database, site, capsys):
    site.replies["/feed.xml"] = Reply(b"not a feed")
    assert main(["feeds", "add", site.url("/feed.xml"), "--allow-private"]) == 0
    assert main(["feeds", "poll", "--once"]) == 1
    assert "error: not a readable" in capsys.readouterr().out
