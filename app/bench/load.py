"""`parallax bench load`: a generated 5,000-article store under a fixed-time wrk run (a reader mix
over loopback) into req/s, p50/p95/p99 latency and errors, per web worker count, with and without
an ingest running beside it.

wrk (Debian's `wrk` package) generates the load from C with a Lua script (load.lua) that draws
each request from a plan file; the app runs under uvicorn in a subprocess. The machine's other
CPU use is measured from /proc and printed beside each row: the figures are only as good as the
machine was quiet.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.bench.ingest import write_corpus
from app.bench.web import PEOPLE, PLACES, generate_store, serve
from app.db import make_engine, migrate
from app.models import Article, Claim, Event

DEFAULT_ARTICLES = 5000
DEFAULT_SECONDS = 30
DEFAULT_CONNECTIONS = 20
WARM_UP_SECONDS = 5  # the same mix first, not counted: templates compiled, hot pages cached
INGEST_ARTICLES = 1500  # more than an ingest beside the load gets through in DEFAULT_SECONDS
WRK_THREADS = 2
LUA_SCRIPT = Path(__file__).with_name("load.lua")
PLAN_LINES = 20_000
POPULAR_EVENTS = 60  # readers mostly open recent events: event ids drawn around the newest ones
# Share of each kind of request: what a reader does on the timeline, event pages and panels, a few
# cold permalinks (any claim, full page), searches, and API clients.
MIX = {
    "timeline": 0.20,
    "event page": 0.25,
    "claim panel": 0.20,
    "permalink cold": 0.10,
    "search": 0.10,
    "api": 0.15,
}
SEARCHES = [name for name, _title in PEOPLE] + PLACES + ["talks", "concerned", "diplomacy"]
# libpq names the ingest's connections so, and pg_stat_activity then tells its backends apart.
INGEST_APPLICATION = "parallax-bench-ingest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="store size")
    parser.add_argument("--seconds", type=int, default=DEFAULT_SECONDS, help="length of each run")
    parser.add_argument(
        "--connections", type=int, default=DEFAULT_CONNECTIONS, help="concurrent clients"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="web worker counts to measure"
    )
    parser.add_argument(
        "--during-ingest",
        action="store_true",
        help="measure each worker count again while `parallax ingest` adds generated articles",
    )
    parser.add_argument(
        "--database-url",
        help="an empty database to fill (or one this bench filled before, reused), e.g. "
        "postgresql+psycopg://... (default: a new SQLite file in a temporary folder)",
    )
    parser.add_argument(
        "--cache-max-stale",
        type=float,
        help="the servers' PARALLAX_CACHE_MAX_STALE in seconds (default: the environment's, else "
        "0): how long a page may stay served after a write outdated it",
    )
    parser.add_argument("--seed", type=int, default=7)


@dataclass
class Run:
    workers: int
    ingest: bool
    result: dict
    cpu: dict[str, float]
    ingested: int
    load_before: float

    def errors(self) -> int:
        sockets = sum(self.result[kind] for kind in ("connect", "read", "write", "timeout"))
        failed = sum(n for status, n in self.result["status"].items() if int(status) >= 400)
        return sockets + failed

    def row(self) -> str:
        r = self.result
        cpu = "  ".join(f"{name} {cores:.2f}" for name, cores in self.cpu.items())
        ingest = f"yes ({self.ingested / r['seconds']:.1f} art/s)" if self.ingest else "no"
        rate = r["requests"] / r["seconds"]
        serving = self.cpu["server"] + self.cpu["database"]
        per_core = rate / serving if serving else float("nan")
        return (
            f"{self.workers:>7}  {ingest:<17} {rate:7.1f}  {r['p50_ms']:6.1f}  "
            f"{r['p95_ms']:6.1f}  {r['p99_ms']:6.1f}  {self.errors():6}  {per_core:8.0f}  "
            f"{self.load_before:5.2f}  {cpu}"
        )


def main(settings, args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        print("bench load needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    if args.cache_max_stale is not None:  # the servers read it from the environment they inherit
        os.environ["PARALLAX_CACHE_MAX_STALE"] = str(args.cache_max_stale)
    with tempfile.TemporaryDirectory(prefix="parallax-bench-load-") as work:
        folder = Path(work)
        database_url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
        rng = random.Random(args.seed)
        counts = prepare_store(database_url, args.articles, rng)
        plan_file = folder / "plan.txt"
        plan = write_plan(plan_file, counts, rng)
        print(
            f"store: {make_url(database_url).get_backend_name()}, {counts['articles']} articles, "
            f"{counts['events']} events, {counts['claims']} claims; plan of {len(plan)} requests: "
            + ", ".join(f"{kind} {share:.0%}" for kind, share in MIX.items())
        )
        runs = []
        for workers in args.workers:
            for ingest in (False, True) if args.during_ingest else (False,):
                corpus = folder / f"corpus-{len(runs)}"
                if ingest:
                    write_corpus(corpus, INGEST_ARTICLES, random.Random(args.seed + len(runs)))
                run = measure(database_url, workers, corpus if ingest else None, plan_file, args)
                runs.append(run)
                print(f"  {runs[-1].row()}", flush=True)
    print(
        f"\nwrk, {args.connections} connections, {args.seconds} s per run, loopback, cache "
        f"staleness bound {os.environ.get('PARALLAX_CACHE_MAX_STALE', '0')} s, ingest at "
        f"niceness {settings.ingest_nice} (PARALLAX_INGEST_NICE); "
        "req/core: req/s per core the server and its database backends used; cpu: cores used by "
        "the server, the database's backends serving it (a PostgreSQL server on this machine), "
        "wrk, the ingest (with its backends) and the rest of the machine; load1: load average "
        "before the run"
    )
    print(
        "workers  ingest              req/s  p50 ms  p95 ms  p99 ms  errors  req/core  load1  cpu"
    )
    for run in runs:
        print(f"  {run.row()}")
    return 1 if any(run.errors() for run in runs) else 0


def prepare_store(database_url: str, articles: int, rng: random.Random) -> dict[str, int]:
    """A generated store of `articles` articles; one this bench generated before is reused."""
    migrate(database_url)
    counts = store_counts(database_url)
    if counts["articles"] == 0:
        generate_store(database_url, articles, rng)
        counts = store_counts(database_url)
    return counts


def store_counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        counts = {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("articles", Article), ("events", Event), ("claims", Claim))
        }
    engine.dispose()
    return counts


def write_plan(path: Path, counts: dict[str, int], rng: random.Random) -> list[str]:
    """PLAN_LINES requests drawn by MIX; wrk picks among them at random."""
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=PLAN_LINES)
    plan = [plan_line(kind, counts, rng) for kind in kinds]
    path.write_text("\n".join(plan) + "\n")
    return plan


def plan_line(kind: str, counts: dict[str, int], rng: random.Random) -> str:
    """One request as "<kind> <htmx 0|1> <path>"; events and claims of recent events are drawn
    far more often than old ones, cold permalinks from all claims alike."""
    events, claims = counts["events"], counts["claims"]
    event = min(events, 1 + int(rng.expovariate(1 / POPULAR_EVENTS)))
    claim_of_event = min(claims, (event - 1) * claims // events + 1 + rng.randrange(8))
    pages = max(1, events // 50)
    paths = {
        "timeline": (0, f"/?page={min(pages, 1 + int(rng.expovariate(1)))}"),
        "event page": (0, f"/events/{event}"),
        "claim panel": (1, f"/claims/{claim_of_event}"),
        "permalink cold": (0, f"/claims/{rng.randint(1, claims)}"),
        "search": (0, f"/search?q={rng.choice(SEARCHES).replace(' ', '+')}"),
        "api": (
            0,
            rng.choice(
                ["/api/events?limit=20", f"/api/events/{event}", f"/api/claims/{claim_of_event}"]
            ),
        ),
    }
    htmx, path = paths[kind]
    return f"{kind.replace(' ', '-')} {htmx} {path}"


def measure(
    database_url: str,
    workers: int,
    corpus: Path | None,
    plan_file: Path,
    args: argparse.Namespace,
) -> Run:
    load_before = os.getloadavg()[0]
    with serve(database_url, workers=workers) as (port, server_pid):
        run_wrk(port, plan_file, args.connections, WARM_UP_SECONDS, args.seed)
        ingest = start_ingest(database_url, corpus) if corpus else None
        articles_before = store_counts(database_url)["articles"]
        database_pid, ingest_backends = local_postgres(database_url)
        machine_before = machine_busy_seconds()
        server_before = tree_cpu_seconds(server_pid)
        database_before = tree_cpu_seconds(database_pid) if database_pid else 0.0
        ingest_pids = [ingest.pid, *ingest_backends] if ingest else []
        ingest_before = [tree_cpu_seconds(pid) for pid in ingest_pids]
        started = time.monotonic()
        result, wrk_cpu = run_wrk(port, plan_file, args.connections, args.seconds, args.seed)
        elapsed = time.monotonic() - started
        server_cpu = tree_cpu_seconds(server_pid) - server_before
        ingest_used = [
            tree_cpu_seconds(pid) - before
            for pid, before in zip(ingest_pids, ingest_before, strict=True)
        ]
        database = tree_cpu_seconds(database_pid) - database_before if database_pid else 0.0
        machine = machine_busy_seconds() - machine_before
        ingested = store_counts(database_url)["articles"] - articles_before
        if ingest:
            stop(ingest)
    ingest_cpu = sum(ingest_used)
    database_cpu = database - sum(ingest_used[1:])  # the readers' backends (and the server's own)
    rest = machine - server_cpu - database_cpu - wrk_cpu - ingest_cpu
    cpu = {
        "server": server_cpu,
        "database": database_cpu,
        "wrk": wrk_cpu,
        "ingest": ingest_cpu,
        "rest": max(0.0, rest),
    }
    cores = {name: seconds / elapsed for name, seconds in cpu.items()}
    return Run(workers, corpus is not None, result, cores, ingested, load_before)


def local_postgres(database_url: str) -> tuple[int | None, list[int]]:
    """For a PostgreSQL server on this machine: its postmaster's process id (its backends are its
    children) and the backends serving the ingest; (None, []) for SQLite or a remote server."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return None, []
    engine = make_engine(database_url)
    with engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        ingest = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": INGEST_APPLICATION},
        ).scalars()
        ingest_backends = list(ingest)
        try:  # while the connection is open: its backend process exits with it
            stat = Path(f"/proc/{backend}/stat").read_text()
        except FileNotFoundError:  # not on this machine
            stat = None
    engine.dispose()
    if stat is None:
        return None, []
    return int(stat.rsplit(")", 1)[1].split()[1]), ingest_backends


def start_ingest(database_url: str, corpus: Path) -> subprocess.Popen:
    """`parallax ingest` of the corpus in a subprocess; returns once its first article is stored."""
    env = {**os.environ, "PARALLAX_DATABASE_URL": database_url, "PGAPPNAME": INGEST_APPLICATION}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    before = store_counts(database_url)["articles"]
    deadline = time.monotonic() + 120
    while store_counts(database_url)["articles"] == before:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError("the ingest beside the load stored nothing")
        time.sleep(0.5)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_wrk(
    port: int, plan_file: Path, connections: int, seconds: int, seed: int
) -> tuple[dict, float]:
    """wrk's JSON line (see load.lua) and the CPU seconds wrk used."""
    children_before = os.times()
    command = [
        "wrk",
        f"--threads={WRK_THREADS}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        f"http://127.0.0.1:{port}",
        "--",
        str(plan_file),
        str(seed),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    children_after = os.times()
    wrk_cpu = (children_after.children_user - children_before.children_user) + (
        children_after.children_system - children_before.children_system
    )
    return json.loads(output.strip().splitlines()[-1]), wrk_cpu


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat: all but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its live descendants (uvicorn's workers), from /proc."""
    processes = {}  # pid -> (parent pid, cpu seconds)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while listed
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        processes[int(stat.parent.name)] = (int(fields[1]), seconds)
    tree, total = [pid], 0.0
    while tree:
        current = tree.pop()
        total += processes.get(current, (0, 0.0))[1]
        tree += [child for child, (parent, _) in processes.items() if parent == current]
    return total
