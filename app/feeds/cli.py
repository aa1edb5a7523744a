"""`parallax feeds add|list|remove|poll`: turns command-line arguments into feed changes, polls."""

import argparse
import contextlib
import sys

from sqlalchemy import inspect

from app.db import make_engine, session_scope
from app.feeds.poll import Poller, run_loop
from app.feeds.sources import DEFAULT_INTERVAL_MINUTES, add_feed, remove_feed
from app.queries.feeds import feed_list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="feeds_command", required=True)
    add = commands.add_parser("add", help="follow an RSS/Atom feed or news sitemap")
    add.add_argument("url")
    add.add_argument("--outlet", help="outlet name for its articles (wins over the pages')")
    add.add_argument(
        "--interval", type=int, default=DEFAULT_INTERVAL_MINUTES, help="minutes between polls"
    )
    add.add_argument(
        "--allow-private",
        action="store_true",
        help="allow this feed's host on a loopback/private address (off by default: SSRF)",
    )
    commands.add_parser("list", help="followed feeds with their last poll and error")
    remove = commands.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("feed_id", type=int)
    poll = commands.add_parser("poll", help="poll due feeds until stopped (Ctrl-C)")
    poll.add_argument("--once", action="store_true", help="poll every feed once, then exit")


def main(settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table("feed"):
            print("the database has no feed table: run `parallax migrate` first", file=sys.stderr)
            return 2
        return COMMANDS[args.feeds_command](engine, settings, args)
    finally:
        engine.dispose()


def add(engine, _settings, args: argparse.Namespace) -> int:
    try:
        with session_scope(engine) as session:
            feed = add_feed(
                session,
                args.url,
                outlet=args.outlet,
                allow_private=args.allow_private,
                interval_minutes=args.interval,
                added_by="cli",
            )
            feed_id = feed.id
    except ValueError as error:
        print(f"not added: {error}", file=sys.stderr)
        return 1
    print(f"feed {feed_id} added: {args.url}")
    return 0


def list_feeds(engine, _settings, _args: argparse.Namespace) -> int:
    with session_scope(engine) as session:
        feeds = feed_list(session)["feeds"]
    for feed in feeds:
        polled = feed["last_polled_at"] or "never"
        print(
            f"{feed['id']}\t{feed['url']}\t{feed['outlet'] or '-'}\tpolled {polled}\t"
            f"{feed['stored']} stored\t{feed['last_error'] or 'ok'}"
        )
    if not feeds:
        print("no feeds followed: add one with `parallax feeds add URL`")
    return 0


def remove(engine, _settings, args: argparse.Namespace) -> int:
    try:
        with session_scope(engine) as session:
            url = remove_feed(session, args.feed_id)
    except LookupError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"feed {args.feed_id} removed: {url}")
    return 0


def poll(engine, settings, args: argparse.Namespace) -> int:
    if args.once:
        return poll_every_feed_once(engine, settings)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how the loop is stopped
        run_loop(engine, settings, lambda result: print(result.line(), flush=True))
    return 0


def poll_every_feed_once(engine, settings) -> int:
    """Every feed, due or not (conditional GET still saves the work when nothing changed)."""
    with session_scope(engine) as session:
        feed_ids = [feed["id"] for feed in feed_list(session)["feeds"]]
    with Poller(engine, settings) as poller:
        results = [poller.poll_feed(feed_id) for feed_id in feed_ids]
    for result in results:
        print(result.line())
    return 1 if any(result.error for result in results) else 0


COMMANDS = {"add": add, "list": list_feeds, "remove": remove, "poll": poll}
