"""`parallax bench feeds`: a loopback site's feed of generated article pages into items/s fetched
(HTTP alone) and items/s polled (fetch, robots.txt, extraction and the full ingest path)."""

import argparse
import random
import tempfile
import time
from pathlib import Path

from app.bench.ingest import article, seed_sentences
from app.bench.local_site import LocalSite, Reply, article_page, local_site, rss_feed
from app.db import make_engine, migrate, session_scope
from app.feeds.fetch import Fetcher
from app.feeds.poll import MAX_ITEMS_PER_POLL, Poller
from app.feeds.sources import add_feed
from app.ingest.meta import language
from app.ingest.parse import split_front_matter
from app.settings import Settings

DEFAULT_ITEMS = MAX_ITEMS_PER_POLL
LOOPBACK = frozenset({"127.0.0.1"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--items",
        type=int,
        default=DEFAULT_ITEMS,
        help=f"feed items (at most {MAX_ITEMS_PER_POLL})",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated pages")


def main(_settings, args: argparse.Namespace) -> int:
    items = min(args.items, MAX_ITEMS_PER_POLL)
    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as work, local_site() as site:
        links = serve_generated_pages(site, items, random.Random(args.seed))
        site.replies["/feed.xml"] = Reply(
            rss_feed(
                "Bench wire", [{"title": f"Item {n}", "link": url} for n, url in enumerate(links)]
            )
        )
        database_url = f"sqlite:///{Path(work) / 'bench.db'}"
        migrate(database_url)
        language("Loading the language model is a one-time cost of each process.")
        settings = Settings(database_url=database_url, feed_host_delay=0.0)
        fetch_seconds = time_fetches(settings, links)
        engine = make_engine(database_url)
        try:
            with session_scope(engine) as session:
                feed_id = add_feed(session, site.url("/feed.xml"), allow_private=True).id
            poller = Poller(engine, settings)
            try:
                started = time.perf_counter()
                result = poller.poll_feed(feed_id)
                poll_seconds = time.perf_counter() - started
            finally:
                poller.close()
        finally:
            engine.dispose()
    total_bytes = sum(len(reply.body) for reply in site.replies.values())
    print(f"loopback site: {items} article pages, {total_bytes / 1e6:.1f} MB, one RSS feed")
    print(
        f"fetch only: {items} pages in {fetch_seconds:.2f} s = {items / fetch_seconds:.1f} items/s"
    )
    print(
        f"poll (fetch, robots.txt, extract, ingest with events and alignment): {items} items in "
        f"{poll_seconds:.2f} s = {items / poll_seconds:.1f} items/s"
    )
    print(result.line())
    return 1 if result.error or result.items.get("stored", 0) < items * 0.9 else 0


def serve_generated_pages(site: LocalSite, count: int, rng: random.Random) -> list[str]:
    """Seed-like articles (app.bench.ingest's generator) as HTML pages; returns their URLs."""
    sentences = seed_sentences()
    links = []
    for index in range(count):
        front, body = split_front_matter(article(sentences, rng))
        paragraphs = [line for line in body.split("\n\n") if line.strip()]
        page = article_page(
            paragraphs[0],
            paragraphs[1:],
            site_name=front.get("outlet"),
            published=front.get("published_at"),
        )
        site.replies[f"/news/{index}"] = Reply(page, headers={"Content-Type": "text/html"})
        links.append(site.url(f"/news/{index}"))
    return links


def time_fetches(settings: Settings, links: list[str]) -> float:
    fetcher = Fetcher(timeout=settings.feed_timeout, max_bytes=settings.feed_max_bytes)
    try:
        started = time.perf_counter()
        for url in links:
            fetcher.get(url, allowed_hosts=LOOPBACK)
        return time.perf_counter() - started
    finally:
        fetcher.close()
