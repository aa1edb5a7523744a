"""The `parallax` command: turns command-line arguments into calls of the owning module."""

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from app import auth, evaluation, jobs
from app.bench import align as bench_align
from app.bench import events as bench_events
from app.bench import feeds as bench_feeds
from app.bench import ingest as bench_ingest
from app.bench import load as bench_load
from app.bench import web as bench_web
from app.feeds import cli as feeds_cli
from app.ingest import run as ingest_run
from app.settings import Settings

# A web worker process imports and builds its app in 2 s, 7 s on a loaded 2-core machine:
# uvicorn's default 5 s health check killed and restarted such workers in a loop.
WORKER_STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Command:
    """One command: its words, its help line, and the module that defines
    add_arguments(parser) and main(settings, args) -> exit code (or those two functions)."""

    words: tuple[str, ...]
    help: str
    module: ModuleType | None = None
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    main: Callable[[Settings, argparse.Namespace], int] | None = None
    background: bool = False  # runs at the lower CPU priority of Settings.ingest_nice

    def handlers(self) -> tuple[Callable, Callable]:
        if self.module is not None:
            return self.module.add_arguments, self.module.main
        return self.add_arguments, self.main


COMMANDS = (
    Command(
        ("ingest",),
        "ingest article files or folders (txt, md, html, json, jsonl)",
        ingest_run,
        background=True,
    ),
    Command(
        ("eval",),
        "score alignment, speakers and event clustering against the gold files",
        evaluation,
    ),
    Command(("bench", "ingest"), "measure ingest throughput on a generated corpus", bench_ingest),
    Command(("bench", "align"), "measure alignment time per event as events grow", bench_align),
    Command(
        ("bench", "events"), "measure the cost of assigning one article to an event", bench_events
    ),
    Command(("bench", "web"), "measure page latency over loopback on a large store", bench_web),
    Command(
        ("bench", "load"),
        "measure req/s and latency under a wrk reader mix, per web worker count",
        bench_load,
    ),
    Command(
        ("bench", "feeds"),
        "measure items/s fetched and ingested from a loopback feed server",
        bench_feeds,
    ),
    Command(("admin", "create"), "create an admin account", auth),
    Command(
        ("admin", "password"),
        "set an admin's password; every session of that admin ends",
        add_arguments=auth.add_arguments,
        main=auth.change_password_main,
    ),
    Command(
        ("feeds",), "follow RSS/Atom feeds and news sitemaps: add, list, remove, poll", feeds_cli
    ),
    Command(
        ("worker",),
        "run queued ingest jobs (batch uploads and pushed batches)",
        jobs,
        background=True,
    ),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parallax", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="upgrade the database to the latest schema")
    migrate.set_defaults(handler=run_migrate)

    serve = commands.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=1, help="web worker processes (default 1)")
    serve.set_defaults(handler=run_serve)

    groups: dict[str, argparse._SubParsersAction] = {}
    for command in COMMANDS:
        parent = commands
        if len(command.words) == 2:
            group_name = command.words[0]
            if group_name not in groups:
                group = commands.add_parser(group_name, help=f"{group_name} commands")
                groups[group_name] = group.add_subparsers(dest="subcommand", required=True)
            parent = groups[group_name]
        sub = parent.add_parser(command.words[-1], help=command.help)
        add_arguments, main = command.handlers()
        add_arguments(sub)
        sub.set_defaults(handler=main, background=command.background)
    return parser


def run_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from app.db import migrate

    migrate(settings.database_url)
    print("database at head")
    return 0


WEB_SWITCH_INTERVAL = 0.001  # seconds


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    host = args.host or settings.host
    port = args.port or settings.port
    # Each worker process builds its app with web_app(). Forwarded headers are read by the app, and
    # only from PARALLAX_TRUSTED_PROXIES: uvicorn's own default would believe any X-Forwarded-For
    # arriving from 127.0.0.1.
    uvicorn.run(
        "app.cli:web_app",
        factory=True,
        workers=args.workers,
        host=host,
        port=port,
        proxy_headers=False,
        server_header=False,
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
    )
    return 0


def web_app():
    """The app of one web worker process, configured from the environment."""
    import sys

    from app.web import create_app

    # The event loop answers cached pages between the renderings running on the route threads;
    # each time it gives up the interpreter lock (every socket or log write) it waits until a
    # rendering thread yields it: at most 1 ms instead of Python's default 5 ms.
    sys.setswitchinterval(WEB_SWITCH_INTERVAL)
    return create_app(Settings())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    if getattr(args, "background", False) and settings.ingest_nice:
        os.nice(settings.ingest_nice)
    return args.handler(settings, args)


if __name__ == "__main__":
    sys.exit(main())
