"""`parallax bench web`: a generated store of thousands of articles into page latency over loopback.

Bulk-inserts realistic rows (events, articles, claims, mentions; no NLP pipeline), serves the app
with uvicorn in a subprocess on 127.0.0.1, fires a bounded number of requests at the timeline, event
pages and HTMX claim panels from a few threads, and prints p50 / p95 / max latency per page.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlmodel import Session

from app.db import PROJECT_ROOT, make_engine, migrate
from app.ingest.events import person_key
from app.models import Article, Claim, Event, EventKey, Mention, Outlet, Storyline

DEFAULT_ARTICLES = 5000
DEFAULT_REQUESTS = 300
DEFAULT_THREADS = 2
ARTICLES_PER_EVENT = 5
CLAIMS_PER_EVENT = 8
EVENTS_PER_STORYLINE = 4
TARGETS_MS = {"claim panel": 50.0, "event page": 150.0}

OUTLETS = [
    "Reuters",
    "Associated Press",
    "The Guardian",
    "NPR",
    "BBC News",
    "Al Jazeera",
    "The Wall Street Journal",
    "The Washington Post",
    "The New York Times",
    "Financial Times",
    "CNN",
    "Bloomberg",
]
PEOPLE = [
    ("Antony Blinken", "Secretary of State"),
    ("Wang Yi", "Foreign Minister"),
    ("Sergei Lavrov", "Foreign Minister"),
    ("Annalena Baerbock", "Foreign Minister"),
    ("Penny Wong", "Foreign Minister"),
    ("Jake Sullivan", "national security adviser"),
    ("Olaf Scholz", "Chancellor"),
    ("Retno Marsudi", "Foreign Minister"),
]
PLACES = ["Bali", "Beijing", "Geneva", "Jakarta", "Brussels", "Tokyo", "New Delhi", "Washington"]
# Sentence shapes from the seed reports: {a}/{b} people, {place}, {n} a figure.
QUOTES = [
    "“We are concerned about the {country}’s alignment with {other},” {a} told reporters after the "
    "meeting in {place}.",
    "“I don’t believe {country} is acting in a way that is neutral,” {a} said.",
    "“We see no signs whatsoever that {other} is prepared to engage in diplomacy,” {a} said.",
    "“Many people believe that the relationship is suffering from a serious bout of distrust,” "
    "{b} was quoted as saying.",
]
STATEMENTS = [
    "{a} said he had discussed the war during more than {n} hours of talks with {b} in {place}.",
    "{b} said {a}’s government should cancel additional tariffs as soon as possible.",
    "Both diplomats described their first in-person talks since October as candid.",
    "Officials said before the talks that the meeting was aimed at keeping relations stable.",
]
FILLER = [
    "The meeting in {place} was the latest in a recent resumption of dialogue between the two "
    "governments.",
    "Neither side gave details of any agreement, and no joint statement was issued.",
    "Analysts said the tone of the talks mattered as much as their substance.",
]
COUNTRIES = ["PRC", "Kremlin", "government", "coalition"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="store size")
    parser.add_argument(
        "--requests", type=int, default=DEFAULT_REQUESTS, help="requests per page kind"
    )
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="concurrent clients")
    parser.add_argument("--seed", type=int, default=7)


def main(settings, args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="parallax-bench-web-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(database_url)
        started = time.perf_counter()
        counts = generate_store(database_url, args.articles, random.Random(args.seed))
        print(
            f"store: {counts['articles']} articles, {counts['events']} events, "
            f"{counts['claims']} claims, {counts['mentions']} mentions "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        with serve(database_url) as (port, _pid):
            plan = request_plan(counts, args.requests, random.Random(args.seed))
            results = {
                name: fire(port, paths, headers, args.threads) for name, paths, headers in plan
            }
        print(f"{args.requests} requests per page, {args.threads} threads, loopback:")
        failed = False
        for name, (latencies, errors) in results.items():
            line = summary(name, latencies, errors)
            target = TARGETS_MS.get(name)
            if target is not None:
                p95 = percentile(latencies, 95)
                line += f"  target p95 < {target:.0f} ms: {'met' if p95 < target else 'MISSED'}"
            print(line)
            failed = failed or errors > 0
    return 1 if failed else 0


def generate_store(database_url: str, article_count: int, rng: random.Random) -> dict[str, int]:
    """Bulk rows with explicit ids: events of five articles, claims reported by 1-5 of them."""
    event_count = max(1, -(-article_count // ARTICLES_PER_EVENT))
    engine = make_engine(database_url)
    rows: dict[type, list[dict]] = {model: [] for model in (Storyline, Event, EventKey, Article)}
    rows.update({Claim: [], Mention: [], Outlet: []})
    now = datetime.now(UTC)
    rows[Outlet] = [{"id": i + 1, "name": name} for i, name in enumerate(OUTLETS)]
    article_id = claim_id = mention_id = 0
    first_day = date(2024, 12, 31)
    for event_index in range(event_count):
        event_id = event_index + 1
        storyline_id = event_index // EVENTS_PER_STORYLINE + 1
        if event_index % EVENTS_PER_STORYLINE == 0:
            rows[Storyline].append({"id": storyline_id, "title": f"Storyline {storyline_id}"})
        (a, a_title), (b, b_title) = rng.sample(PEOPLE, 2)
        place = rng.choice(PLACES)
        day = first_day - timedelta(days=event_index // 3)
        words = {
            "a": a,
            "b": b,
            "place": place,
            "n": rng.randint(2, 9),
            "country": rng.choice(COUNTRIES),
            "other": rng.choice(COUNTRIES),
        }
        rows[Event].append(
            {
                "id": event_id,
                "title": f"{a_title} {a} meets {b} in {place}",
                "date_start": day,
                "date_end": day,
                "location": place,
                "storyline_id": storyline_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        rows[EventKey] += [
            {"event_id": event_id, "key": person_key(a), "weight": 1.0},
            {"event_id": event_id, "key": person_key(b), "weight": 1.0},
        ]
        claim_texts = [
            (kind, template.format(**words))
            for kind, template in rng.sample(
                [("quote", q) for q in QUOTES] + [("statement", s) for s in STATEMENTS],
                CLAIMS_PER_EVENT,
            )
        ]
        outlets = rng.sample(range(1, len(OUTLETS) + 1), ARTICLES_PER_EVENT)
        reporters = [rng.sample(outlets, rng.randint(1, len(outlets))) for _ in claim_texts]
        claim_ids = list(range(claim_id + 1, claim_id + 1 + len(claim_texts)))
        claim_id += len(claim_texts)
        for (kind, text), cid, reported in zip(claim_texts, claim_ids, reporters, strict=True):
            rows[Claim].append(
                {
                    "id": cid,
                    "event_id": event_id,
                    "kind": kind,
                    "speaker": a if kind == "quote" else None,
                    "text": text,
                    "normalized": text.lower(),
                    "flags": json.dumps(
                        [{"kind": "figures_differ", "detail": "hours"}] if "{n}" in text else []
                    ),
                    "outlet_count": len(reported),
                    "independent_count": len(reported),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for outlet_id in outlets:
            article_id += 1
            parts: list[str] = [rng.choice(FILLER).format(**words)]
            spans = []
            for (kind, text), cid, reported in zip(claim_texts, claim_ids, reporters, strict=True):
                if outlet_id not in reported:
                    continue
                sentence = text if rng.random() < 0.5 else text.replace(" said", " told reporters")
                start = sum(len(p) + 2 for p in parts)
                spans.append((cid, kind, start, sentence, 100.0 if sentence == text else 88.0))
                parts.append(sentence)
                parts.append(rng.choice(FILLER).format(**words))
            clean_text = "\n\n".join(parts)
            rows[Article].append(
                {
                    "id": article_id,
                    "outlet_id": outlet_id,
                    "title": f"{a} and {b} meet in {place}",
                    "url": f"https://example.org/{article_id}",
                    "published_at": datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
                    "date_precision": "day",
                    "dateline": place.upper(),
                    "source_name": f"bench-{article_id}.txt",
                    "raw_text": clean_text,
                    "clean_text": clean_text,
                    "content_hash": f"bench-{article_id}",
                    "event_id": event_id,
                    "ingested_at": now,
                }
            )
            for cid, kind, start, sentence, similarity in spans:
                mention_id += 1
                rows[Mention].append(
                    {
                        "id": mention_id,
                        "claim_id": cid,
                        "article_id": article_id,
                        "kind": kind,
                        "start": start,
                        "end": start + len(sentence),
                        "text": sentence,
                        "speaker": a if kind == "quote" else None,
                        "similarity": similarity,
                    }
                )
            if article_id >= article_count:
                break
    with Session(engine) as session:
        for model in (Outlet, Storyline, Event, EventKey, Article, Claim, Mention):
            if rows[model]:
                session.execute(insert(model), rows[model])
        if engine.dialect.name == "postgresql":
            advance_id_sequences(session, [model for model in rows if model is not EventKey])
        session.commit()
    engine.dispose()
    return {
        "articles": len(rows[Article]),
        "events": len(rows[Event]),
        "claims": len(rows[Claim]),
        "mentions": len(rows[Mention]),
    }


def advance_id_sequences(session: Session, models: list[type]) -> None:
    """PostgreSQL's id sequences moved past the explicit ids, so later inserts (an ingest beside
    the bench) get fresh ones."""
    for model in models:
        sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
        session.execute(select(func.setval(sequence, select(func.max(model.id)).scalar_subquery())))


class serve:  # noqa: N801  (used as a context manager, like open())
    """`parallax serve --workers N` in a subprocess on a free loopback port, stopped on exit;
    gives (port, server process id)."""

    def __init__(self, database_url: str, workers: int = 1):
        self.database_url = database_url
        self.workers = workers

    def __enter__(self) -> tuple[int, int]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {**os.environ, "PARALLAX_DATABASE_URL": self.database_url}
        command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--workers", str(self.workers)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, "/api/events?limit=1", {})
                if status == 200:
                    return self.port, self.process.pid
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the server did not start within 60 s")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port: int, path: str, headers: dict[str, str], connection=None) -> tuple[int, float]:
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def request_plan(counts: dict[str, int], requests: int, rng: random.Random) -> list[tuple]:
    pages = max(1, counts["events"] // 50)
    return [
        ("timeline", [f"/?page={rng.randint(1, pages)}" for _ in range(requests)], {}),
        (
            "event page",
            [f"/events/{rng.randint(1, counts['events'])}" for _ in range(requests)],
            {},
        ),
        (
            "claim panel",
            [f"/claims/{rng.randint(1, counts['claims'])}" for _ in range(requests)],
            {"HX-Request": "true"},
        ),
    ]


def fire(port: int, paths: list[str], headers: dict[str, str], threads: int) -> tuple[list, int]:
    """Every path once, shared among `threads` keep-alive clients; latencies in ms, error count."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = iter(paths[:3] + paths)  # the first three warm the server up and are not counted
    warmup = 3

    def client() -> None:
        nonlocal errors, warmup
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                path = next(queue, None)
                counted = warmup == 0
                warmup = max(0, warmup - 1)
            if path is None:
                break
            status, elapsed = get(port, path, headers, connection)
            with lock:
                if not counted:
                    continue
                latencies.append(elapsed)
                errors += status != 200
        connection.close()

    workers = [threading.Thread(target=client) for _ in range(max(1, threads))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, errors


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def summary(name: str, latencies: list[float], errors: int) -> str:
    return (
        f"  {name:<12} p50 {statistics.median(latencies):6.1f} ms  "
        f"p95 {percentile(latencies, 95):6.1f} ms  max {max(latencies):6.1f} ms  "
        f"errors {errors}"
    )
