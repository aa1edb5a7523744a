"""The poller against a loopback site: exactly the new articles stored, nothing twice, every bad
input refused or recorded, and one failing feed or item never stops the others."""

from datetime import timedelta

from sqlmodel import Session, select

from app.bench.local_site import Reply, rss_feed
from app.db import session_scope
from app.feeds.poll import Poller
from app.feeds.sources import add_feed
from app.models import Article, Feed, FeedItem, Outlet, utcnow
from feeds.pages import (
    BILLION_LAUGHS,
    BROKEN_BOMB,
    EXTERNAL_ENTITY,
    SITEMAP_BOMB,
    atom_feed,
    news_sitemap,
    seed_articles,
    serve_seed,
    sitemap_index,
)

SEEDS = seed_articles()
BALI = [seed for seed in SEEDS if seed["published_at"] == "2022-07-09"]


def follow(engine, url, **options) -> int:
    with session_scope(engine) as session:
        return add_feed(session, url, allow_private=True, **options).id


def serve_rss(site, path, links, **reply) -> str:
    items = [{"title": f"Story {n}", "link": link} for n, link in enumerate(links)]
    site.replies[path] = Reply(rss_feed("Test wire", items), **reply)
    return site.url(path)


def items_of(session, feed_id) -> dict[str, str]:
    rows = session.exec(select(FeedItem).where(FeedItem.feed_id == feed_id)).all()
    return {row.url: row.status for row in rows}


def articles(session) -> list[Article]:
    return list(session.exec(select(Article).order_by(Article.id)).all())


def test_rss_stores_each_new_article_once_with_the_pages_metadata(engine, site, poller):
    links = [serve_seed(site, seed, f"/a/{n}") for n, seed in enumerate(BALI[:3])]
    feed_id = follow(engine, serve_rss(site, "/feed.xml", links))

    first = poller.poll_feed(feed_id)
    assert first.error is None and first.items == {"stored": 3}
    with Session(engine) as session:
        stored = articles(session)
        assert [a.url for a in stored] == links  # no canonical link: the fetched URL
        assert [a.title for a in stored] == [seed["title"] for seed in BALI[:3]]
        outlets = {session.get(Outlet, a.outlet_id).name for a in stored}
        assert outlets == {seed["outlet"] for seed in BALI[:3]}  # the page's site name
        assert {a.event_id for a in stored} != {None}

    again = poller.poll_feed(feed_id)
    assert again.error is None and again.items == {}
    assert all(site.hits(f"/a/{n}") == 1 for n in range(3))

    links.append(serve_seed(site, BALI[3], "/a/3"))
    serve_rss(site, "/feed.xml", links)
    assert poller.poll_feed(feed_id).items == {"stored": 1}
    with Session(engine) as session:
        assert len(articles(session)) == 4


def test_conditional_get_sends_the_etag_and_a_304_fetches_no_page(engine, site, poller):
    link = serve_seed(site, BALI[0], "/a/0")
    feed_id = follow(engine, serve_rss(site, "/feed.xml", [link], etag='"v1"'))
    assert poller.poll_feed(feed_id).items == {"stored": 1}
    second = poller.poll_feed(feed_id)
    assert second.not_modified and second.error is None
    assert site.requests[-1] == ("/feed.xml", site.requests[-1][1])
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'
    assert "Parallax" in site.requests[-1][1]["User-Agent"]
    assert site.hits("/a/0") == 1
    with Session(engine) as session:
        assert session.get(Feed, feed_id).etag == '"v1"'


def test_atom_feed_and_news_sitemap_share_links_without_fetching_twice(engine, site, poller):
    links = [serve_seed(site, seed, f"/a/{n}") for n, seed in enumerate(BALI[:3])]
    site.replies["/atom.xml"] = Reply(atom_feed("Atom wire", links[:2]))
    site.replies["/news.xml"] = Reply(news_sitemap(links[1:]))
    atom = follow(engine, site.url("/atom.xml"))
    sitemap = follow(engine, site.url("/news.xml"))

    results = poller.poll_due()
    assert [r.items for r in results] == [{"stored": 2}, {"stored": 1}]
    assert site.hits("/a/1") == 1
    with Session(engine) as session:
        assert session.get(Feed, atom).kind == "atom"
        assert session.get(Feed, sitemap).kind == "sitemap"
        assert len(articles(session)) == 3


def test_sitemap_index_reads_its_news_sitemaps(engine, site, poller):
    links = [serve_seed(site, seed, f"/a/{n}") for n, seed in enumerate(BALI[:2])]
    site.replies["/news-1.xml"] = Reply(news_sitemap(links[:1]))
    site.replies["/news-2.xml"] = Reply(news_sitemap(links[1:]))
    site.replies["/index.xml"] = Reply(
        sitemap_index([site.url("/news-1.xml"), site.url("/news-2.xml")])
    )
    feed_id = follow(engine, site.url("/index.xml"))
    assert poller.poll_feed(feed_id).items == {"stored": 2}


def test_same_canonical_url_or_same_text_is_a_duplicate(engine, site, poller):
    canonical = "https://news.example/bali-talks"
    links = [
        serve_seed(site, BALI[0], "/a/first", canonical=canonical),
        serve_seed(site, BALI[0], "/amp/first", canonical=canonical),
        serve_seed(site, BALI[0], "/print/first"),  # same text, no canonical link
    ]
    feed_id = follow(engine, serve_rss(site, "/feed.xml", links))
    result = poller.poll_feed(feed_id)
    assert result.items == {"stored": 1, "duplicate": 2}
    with Session(engine) as session:
        assert [a.url for a in articles(session)] == [canonical]
        rows = session.exec(select(FeedItem).where(FeedItem.feed_id == feed_id)).all()
        assert {row.reason for row in rows if row.status == "duplicate"} == {
            "an article has this URL",
            "same text as an article",
        }


def test_empty_and_paywalled_pages_are_recorded_not_stored(engine, site, poller):
    good = serve_seed(site, BALI[0], "/a/good")
    site.replies["/a/empty"] = Reply(b"<html><body><p>Page not found.</p></body></html>")
    site.replies["/a/binary"] = Reply(b"%PDF-1.7\x00\x01\x02" * 50)
    paywall = '<script type="application/ld+json">{"isAccessibleForFree": false}</script>'
    paywalled = serve_seed(site, BALI[1], "/a/paid", extra_head=paywall)
    links = [good, site.url("/a/empty"), site.url("/a/binary"), paywalled]
    feed_id = follow(engine, serve_rss(site, "/feed.xml", links))
    assert poller.poll_feed(feed_id).items == {"stored": 1, "empty": 2, "paywalled": 1}
    with Session(engine) as session:
        assert len(articles(session)) == 1
        assert items_of(session, feed_id)[site.url("/a/empty")] == "empty"
    assert poller.poll_feed(feed_id).items == {}  # recorded: not fetched again


def test_robots_txt_disallows_are_honoured(engine, site, poller):
    site.replies["/robots.txt"] = Reply(b"User-agent: *\nDisallow: /private/\n")
    allowed = serve_seed(site, BALI[0], "/a/0")
    private = serve_seed(site, BALI[1], "/private/0")
    feed_id = follow(engine, serve_rss(site, "/feed.xml", [allowed, private]))
    assert poller.poll_feed(feed_id).items == {"stored": 1, "refused": 1}
    assert site.hits("/private/0") == 0

    blocked = follow(engine, serve_rss(site, "/private/feed.xml", [private]))
    result = poller.poll_feed(blocked)
    assert "robots.txt disallows" in result.error
    assert site.hits("/private/feed.xml") == 0


def test_slow_and_oversized_replies_fail_alone(engine, site, feed_settings):
    settings = feed_settings.model_copy(update={"feed_timeout": 1.0, "feed_max_bytes": 100_000})
    big = b"<html><body>" + b"<p>filler words here</p>" * 10_000 + b"</body></html>"
    site.replies["/slow"] = Reply(b"late", delay=1.5)
    site.replies["/trickle"] = Reply(b"x" * 200_000, trickle=0.2, declare_length=False)
    site.replies["/huge"] = Reply(big)
    site.replies["/huge-unlabelled"] = Reply(big, declare_length=False)
    good = serve_seed(site, BALI[0], "/a/0")
    bad = [site.url(path) for path in ("/slow", "/trickle", "/huge", "/huge-unlabelled")]
    feed_id = follow(engine, serve_rss(site, "/feed.xml", [*bad, good]))
    with Poller(engine, settings) as poller:
        result = poller.poll_feed(feed_id)
    assert result.items == {"failed": 4, "stored": 1}
    with Session(engine) as session:
        rows = session.exec(select(FeedItem).where(FeedItem.feed_id == feed_id)).all()
        reasons = {row.url.rsplit("/", 1)[1]: row.reason for row in rows}
    assert reasons["slow"].startswith("timed out")
    assert reasons["trickle"].startswith(("too slow", "timed out", "too large"))
    assert reasons["huge"].startswith("too large")
    assert reasons["huge-unlabelled"].startswith("too large")


def test_redirects_are_bounded_and_each_hop_checked(engine, site, poller):
    good = serve_seed(site, BALI[0], "/a/0")
    site.replies["/moved"] = Reply(status=301, headers={"Location": "/a/0"})
    site.replies["/loop"] = Reply(status=302, headers={"Location": "/loop"})
    site.replies["/metadata"] = Reply(
        status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    port = site.base_url.rsplit(":", 1)[1]
    site.replies["/other-host"] = Reply(
        status=307, headers={"Location": f"http://localhost:{port}/a/0"}
    )
    site.replies["/file"] = Reply(status=302, headers={"Location": "file:///etc/passwd"})
    paths = ["/moved", "/loop", "/metadata", "/other-host", "/file"]
    feed_id = follow(engine, serve_rss(site, "/feed.xml", [site.url(p) for p in paths]))
    result = poller.poll_feed(feed_id)
    assert result.items == {"stored": 1, "failed": 1, "refused": 3}
    with Session(engine) as session:
        statuses = items_of(session, feed_id)
        assert [a.url for a in articles(session)] == [good]  # the URL redirected to
    assert statuses[site.url("/loop")] == "failed"
    assert site.hits("/loop") == 6  # the first request and five redirects, no more
    assert {statuses[site.url(p)] for p in ("/metadata", "/other-host", "/file")} == {"refused"}


def test_broken_xml_and_entity_bombs_are_refused_and_others_still_polled(engine, site, poller):
    link = serve_seed(site, BALI[0], "/a/0")
    bad = {
        "/laughs.xml": BILLION_LAUGHS,
        "/xxe.xml": EXTERNAL_ENTITY,
        "/sitemap-bomb.xml": SITEMAP_BOMB,
        "/broken-bomb.xml": BROKEN_BOMB,
        "/garbage.xml": b"<rss><channel><<<>>> not xml at all",
        "/page.xml": b"<html><body><p>An HTML page, not a feed.</p></body></html>",
        "/empty.xml": b"",
    }
    bad_ids = []
    for path, body in bad.items():
        site.replies[path] = Reply(body.replace(b"LINK", link.encode()))
        bad_ids.append(follow(engine, site.url(path)))
    good_id = follow(engine, serve_rss(site, "/feed.xml", [link]))

    results = {result.feed_id: result for result in poller.poll_due()}
    assert results[good_id].items == {"stored": 1}
    assert all(results[feed_id].error for feed_id in bad_ids)
    assert "entities" in results[bad_ids[0]].error
    assert site.hits("/a/0") == 1
    with Session(engine) as session:
        assert len(articles(session)) == 1
        feed = session.get(Feed, bad_ids[0])
        assert feed.error_count == 1 and "entities" in feed.last_error
        backed_off = feed.next_poll_at - feed.last_polled_at
        assert backed_off == timedelta(minutes=2 * feed.interval_minutes)
    assert [r.feed_id for r in poller.poll_due()] == []  # none due before its interval


def test_a_private_address_needs_the_admins_allowance(engine, site, poller):
    link = serve_seed(site, BALI[0], "/a/0")
    with session_scope(engine) as session:
        feed = Feed(url=serve_rss(site, "/feed.xml", [link]))
        session.add(feed)
        session.flush()
        feed_id = feed.id
    result = poller.poll_feed(feed_id)
    assert "non-public address" in result.error
    assert site.requests == []


def test_polling_picks_only_due_feeds(engine, site, poller):
    feed_id = follow(engine, serve_rss(site, "/feed.xml", []))
    assert [r.feed_id for r in poller.poll_due()] == [feed_id]
    assert poller.poll_due() == []
    later = utcnow() + timedelta(minutes=31)
    assert [r.feed_id for r in poller.poll_due(later)] == [feed_id]
