"""app/bench/load.py: the request plan follows the mix and every planned page serves; CPU
accounting of a process tree; errors counted from wrk's results."""

import os
import random
from collections import Counter
from pathlib import Path

from sqlalchemy import text
from stores import ON_POSTGRES

from app.bench.load import MIX, Run, local_postgres, tree_cpu_seconds, write_plan
from app.bench.web import generate_store
from app.db import make_engine

HTMX = {"HX-Request": "true"}


def test_plan_follows_the_mix_and_every_planned_request_serves(settings, client, tmp_path):
    counts = generate_store(settings.database_url, 60, random.Random(1))
    plan = write_plan(tmp_path / "plan.txt", counts, random.Random(2))
    assert (tmp_path / "plan.txt").read_text().splitlines() == plan
    kinds = Counter(line.split()[0].replace("-", " ") for line in plan)
    for kind, share in MIX.items():
        assert abs(kinds[kind] / len(plan) - share) < 0.02, kind
    for line in plan[:300]:
        _kind, htmx, path = line.split()
        response = client.get(path, headers=HTMX if htmx == "1" else {})
        assert response.status_code == 200, line


def test_tree_cpu_seconds_counts_a_process_that_worked():
    sum(i * i for i in range(2_000_000))
    assert tree_cpu_seconds(os.getpid()) > 0.01
    assert tree_cpu_seconds(2**22 + 1) == 0.0  # no such process


def test_errors_are_socket_errors_and_error_statuses():
    result = {"connect": 1, "read": 0, "write": 0, "timeout": 2, "status": {"200": 9, "404": 3}}
    run = Run(1, False, result, {}, 0, 0.0)
    assert run.errors() == 6


def test_local_postgres_names_the_server_process_and_sqlite_none(settings):
    server, ingest_backends = local_postgres(settings.database_url)
    assert ingest_backends == []
    if not ON_POSTGRES:
        assert server is None
        return
    if not _backend_visible(settings.database_url):
        # Some machines (CI's) hide the server's processes from /proc: then it is not "local".
        assert server is None
        return
    assert b"postgres" in Path(f"/proc/{server}/cmdline").read_bytes()


def _backend_visible(database_url: str) -> bool:
    """Whether this connection's server process shows in /proc (asked while it is open: the
    process exits with the connection)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        visible = Path(f"/proc/{pid}").exists()
    engine.dispose()
    return visible
