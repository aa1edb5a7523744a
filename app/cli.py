"""The `parallax` command: turns command-line arguments into calls of the owning module."""

import argparse
import importlib
import sys

from app.settings import Settings

# Each command's module defines add_arguments(parser) and main(settings, args) -> exit code.
COMMAND_MODULES = {
    ("ingest",): "app.ingest.run",
    ("eval",): "app.evaluation",
    ("bench", "ingest"): "app.bench.ingest",
    ("bench", "align"): "app.bench.align",
    ("bench", "events"): "app.bench.events",
    ("bench", "web"): "app.bench.web",
    ("admin", "create"): "app.auth",
}

HELP = {
    ("ingest",): "ingest article files or folders (txt, md, html, json, jsonl)",
    ("eval",): "score alignment, speakers and event clustering against the gold files",
    ("bench", "ingest"): "measure ingest throughput on a generated corpus",
    ("bench", "align"): "measure alignment time per event as events grow",
    ("bench", "events"): "measure the cost of assigning one article to an event",
    ("bench", "web"): "measure page latency over loopback on a large store",
    ("admin", "create"): "create an admin account",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parallax", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="upgrade the database to the latest schema")
    migrate.set_defaults(handler=run_migrate)

    serve = commands.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(handler=run_serve)

    groups: dict[str, argparse._SubParsersAction] = {}
    for path, module_name in COMMAND_MODULES.items():
        parent = commands
        if len(path) == 2:
            if path[0] not in groups:
                group = commands.add_parser(path[0], help=f"{path[0]} commands")
                groups[path[0]] = group.add_subparsers(dest="subcommand", required=True)
            parent = groups[path[0]]
        sub = parent.add_parser(path[-1], help=HELP[path])
        module = importlib.import_module(module_name)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.main)
    return parser


def run_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from app.db import migrate

    migrate(settings.database_url)
    print("database at head")
    return 0


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.web import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    uvicorn.run(create_app(settings), host=host, port=port)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(Settings(), args)


if __name__ == "__main__":
    sys.exit(main())
