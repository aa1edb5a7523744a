"""Turns a batch (uploaded files or parsed items) or a feed to poll now into an IngestJob queued
in the database, and queued jobs into ingested articles with progress and a report, run by any
number of workers."""

import argparse
import json
import logging
import signal
import threading
from base64 import b64decode, b64encode
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import audit, uploads
from app.db import make_engine, session_scope
from app.feeds.poll import URL_ALREADY_STORED, FeedLimits, Poller, PollResult
from app.feeds.sources import feed_url
from app.ingest import run
from app.ingest.parse import GivenMeta, Parsed, RawArticle, Rejected, Skipped
from app.models import Article, Event, IngestJob, utcnow
from app.uploads import Upload

# A running job's worker shows it is alive after every item; a job silent this long lost its
# worker (killed, or its machine gone) and is taken over. One item takes seconds at most.
LEASE = timedelta(minutes=5)
# A job whose worker died this many times is failed instead of queued again (it may be the cause).
MAX_ATTEMPTS = 3
POLL_SECONDS = 2.0  # how often an idle worker looks for queued jobs
FEED_POLL = "feed_poll"  # the input key of a job that polls one feed (the admin's "Poll now")

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took the job over after this one went silent past the lease."""


def enqueue(engine: Engine, username: str, payload: dict, report: dict | None = None) -> int:
    """Queues a job holding its input (`items_payload`, `uploads_payload` or
    `feed_poll_payload`); a worker runs it. `report`: what the job page shows until it ends."""
    with session_scope(engine) as session:
        job = IngestJob(
            username=username,
            status="queued",
            payload=json.dumps(payload),
            report=json.dumps(report or {}),
        )
        session.add(job)
        session.flush()
        return job.id


def items_payload(items: list[Parsed]) -> dict:
    """Parsed items as a job's input."""
    return {"items": [{"kind": type(item).__name__, **asdict(item)} for item in items]}


def uploads_payload(files: list[Upload], overrides: GivenMeta, max_bytes: int) -> dict:
    """Uploaded files as a job's input: the worker parses them, not the request."""
    return {
        "uploads": [{"name": file.name, "data": b64encode(file.data).decode()} for file in files],
        "overrides": asdict(overrides),
        "max_bytes": max_bytes,
    }


def feed_poll_payload(feed_id: int, limits: FeedLimits) -> dict:
    """A poll of one feed as a job's input: the worker fetches with the limits of the request."""
    return {FEED_POLL: {"feed_id": feed_id, "limits": asdict(limits)}}


def enqueue_feed_poll(engine: Engine, username: str, feed_id: int, limits: FeedLimits) -> int:
    """Queues a poll of the feed now (LookupError: no such feed); its page names the feed."""
    with Session(engine) as session:
        url = feed_url(session, feed_id)
    report = {"feed": {"id": feed_id, "url": url}}
    return enqueue(engine, username, feed_poll_payload(feed_id, limits), report)


def parsed_items(payload: dict) -> list[Parsed]:
    """The items a job's input holds, or its uploads parse into."""
    if "uploads" in payload:
        files = [Upload(file["name"], b64decode(file["data"])) for file in payload["uploads"]]
        overrides = GivenMeta(**payload["overrides"])
        return uploads.parse_uploads(files, overrides, payload["max_bytes"])
    if "items" in payload:
        return [parsed_item(item) for item in payload["items"]]
    raise ValueError("the job holds no input (queued before jobs kept theirs, or already ended)")


def parsed_item(stored: dict) -> Parsed:
    fields = dict(stored)
    kind = fields.pop("kind")
    if kind == "RawArticle":
        return RawArticle(**{**fields, "given": GivenMeta(**fields["given"])})
    return {"Rejected": Rejected, "Skipped": Skipped}[kind](**fields)


def claim_next(engine: Engine) -> tuple[int, int] | None:
    """Takes the oldest queued job for this worker: (job id, attempt), or None when none waits.

    One statement, so no two workers take the same job: PostgreSQL skips rows another worker's
    claim has locked (FOR UPDATE SKIP LOCKED); SQLite runs one writing statement at a time."""
    oldest_queued = (
        select(IngestJob.id)
        .where(IngestJob.status == "queued")
        .order_by(IngestJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claim = (
        update(IngestJob)
        .where(IngestJob.id == oldest_queued, IngestJob.status == "queued")
        .values(status="running", attempts=IngestJob.attempts + 1, heartbeat_at=utcnow())
        .returning(IngestJob.id, IngestJob.attempts)
    )
    with session_scope(engine) as session:
        claimed = session.execute(claim).first()
    return tuple(claimed) if claimed else None


def abandoned() -> ColumnElement[bool]:
    """Running jobs whose worker went silent past the lease."""
    return (IngestJob.status == "running") & or_(
        IngestJob.heartbeat_at.is_(None), IngestJob.heartbeat_at < utcnow() - LEASE
    )


def has_work(engine: Engine) -> bool:
    """Whether a job waits or was abandoned: a read, so idle workers never take the write lock."""
    waiting = select(IngestJob.id).where((IngestJob.status == "queued") | abandoned()).limit(1)
    with Session(engine) as session:
        return session.execute(waiting).first() is not None


def recover_abandoned(engine: Engine) -> None:
    """Abandoned jobs are queued again (the articles they stored are reported already stored),
    or failed once they were interrupted MAX_ATTEMPTS times."""
    interrupted = json.dumps({"error": "interrupted: its worker stopped before the job finished"})
    with session_scope(engine) as session:
        session.execute(
            update(IngestJob)
            .where(abandoned(), IngestJob.attempts >= MAX_ATTEMPTS)
            .values(status="failed", report=interrupted, finished_at=utcnow(), payload="{}")
        )
        session.execute(
            update(IngestJob).where(abandoned()).values(status="queued", heartbeat_at=None)
        )


class ClaimedJob:
    """One job as its worker runs it: every change is made only while the worker still owns it."""

    def __init__(self, engine: Engine, job_id: int, attempt: int):
        self.engine = engine
        self.job_id = job_id
        self.attempt = attempt

    def run(self) -> None:
        try:
            payload = self.payload()
            if FEED_POLL in payload:
                summary = self.poll(**payload[FEED_POLL])
            else:
                summary = self.ingest(parsed_items(payload))
            self.finish("done", summary)
            self.audit(summary)
        except LeaseLost:
            return  # the worker that took the job over reports it
        except Exception as error:  # the job reports its failure instead of dying silently
            with suppress(LeaseLost):
                self.finish("failed", {"error": f"{type(error).__name__}: {error}"})

    def ingest(self, items: list[Parsed]) -> dict:
        self.update(total=len(items))
        report = run.ingest_items(self.engine, items, on_progress=self.progress)
        summary = run.tell_duplicates_apart(self.engine, report).to_dict()
        summary["events"] = event_links(self.engine, sorted(report.events))
        return summary

    def poll(self, feed_id: int, limits: dict) -> dict:
        with Poller(self.engine, FeedLimits(**limits)) as poller:
            result = poller.poll_feed(feed_id, on_progress=self.poll_progress)
        return poll_report(self.engine, result)

    def payload(self) -> dict:
        with Session(self.engine) as session:
            return json.loads(session.get(IngestJob, self.job_id).payload)

    def items(self) -> list[Parsed]:
        return parsed_items(self.payload())

    def progress(self, done: int) -> None:
        self.update(done=done)

    def poll_progress(self, done: int, total: int) -> None:
        self.update(done=done, total=total)

    def finish(self, status: str, report: dict) -> None:
        report_text = json.dumps(report, ensure_ascii=False)
        self.update(status=status, report=report_text, finished_at=utcnow(), payload="{}")

    def update(self, **values) -> None:
        """Sets `values` and the heartbeat, or raises LeaseLost when the job is no longer ours."""
        owned = (
            update(IngestJob)
            .where(
                IngestJob.id == self.job_id,
                IngestJob.status == "running",
                IngestJob.attempts == self.attempt,
            )
            .values(heartbeat_at=utcnow(), **values)
        )
        with session_scope(self.engine) as session:
            if session.execute(owned).rowcount != 1:
                raise LeaseLost(self.job_id)

    def audit(self, summary: dict) -> None:
        detail = {
            "added": [item["article_id"] for item in summary["added"]],
            "already_stored": sum(item["already_stored"] for item in summary["duplicates"]),
            "duplicates": sum(not item["already_stored"] for item in summary["duplicates"]),
            "rejected": len(summary["rejected"]),
            "events": [event["id"] for event in summary["events"]],
        }
        if "feed" in summary:
            action, target = "poll feed", f"feed {summary['feed']['id']}"
            detail = {"job": self.job_id, "error": summary["feed"]["error"], **detail}
        else:
            action, target = "batch upload", f"job {self.job_id}"
        with session_scope(self.engine) as session:
            job = session.get(IngestJob, self.job_id)
            audit.record(session, job.username, action, target, **detail)


def poll_report(engine: Engine, result: PollResult) -> dict:
    """A feed poll as an ingest job's report: its stored links added, its duplicates (already
    stored when an article has the link's URL), the links it could not store rejected."""
    report: dict = {"added": [], "duplicates": [], "rejected": [], "skipped": []}
    for link, outcome in result.outcomes:
        source = outcome.canonical_url or link
        if outcome.status == "stored":
            report["added"].append({"source": source, "article_id": outcome.article_id})
        elif outcome.status == "duplicate":
            already_stored = outcome.reason == URL_ALREADY_STORED
            duplicate = {"article_id": outcome.article_id, "already_stored": already_stored}
            report["duplicates"].append({"source": source, **duplicate})
        else:
            reason = f"{outcome.status}: {outcome.reason}" if outcome.reason else outcome.status
            report["rejected"].append({"source": link, "reason": reason})
    added = [item["article_id"] for item in report["added"]]
    feed = {"id": result.feed_id, "url": result.url, "error": result.error}
    return {"feed": feed, **report, "events": event_links(engine, events_of(engine, added))}


def events_of(engine: Engine, article_ids: list[int]) -> list[int]:
    with Session(engine) as session:
        rows = session.execute(
            select(Article.event_id).where(Article.id.in_(article_ids)).distinct()
        ).scalars()
        return sorted(event_id for event_id in rows if event_id is not None)


def event_links(engine: Engine, event_ids: list[int]) -> list[dict]:
    with Session(engine) as session:
        rows = session.execute(select(Event.id, Event.title).where(Event.id.in_(event_ids))).all()
    return [{"id": event_id, "title": title} for event_id, title in rows]


def run_queued(engine: Engine) -> int:
    """Runs queued jobs (and abandoned ones) until none is left; how many this worker ran."""
    ran = 0
    while has_work(engine):
        recover_abandoned(engine)
        if (claimed := claim_next(engine)) is None:
            break  # other workers took what was left
        ClaimedJob(engine, *claimed).run()
        ran += 1
    return ran


class Worker:
    """Runs queued jobs until stopped, looking for new ones every `poll_seconds` or when woken."""

    def __init__(self, engine: Engine, poll_seconds: float = POLL_SECONDS):
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.woken = threading.Event()
        self.stopping = False

    def run_until_stopped(self) -> None:
        while not self.stopping:
            try:
                run_queued(self.engine)
            except SQLAlchemyError as error:  # the database is down or not migrated yet: wait
                logger.warning("ingest worker cannot reach the job queue: %s", error)
            self.woken.wait(self.poll_seconds)
            self.woken.clear()

    def wake(self) -> None:
        self.woken.set()

    def stop(self) -> None:
        """The worker stops once the job it runs (if any) ends."""
        self.stopping = True
        self.woken.set()


class JobQueue:
    """The web app's side of the queue: queues batches and, unless `parallax worker` processes
    run them instead, runs them on a worker thread of the web process."""

    def __init__(self, engine: Engine, run_jobs: bool):
        self.engine = engine
        self.worker = Worker(engine) if run_jobs else None
        self.thread: threading.Thread | None = None

    def submit(self, username: str, work: Callable[[], list[Parsed]]) -> tuple[int, int]:
        """Queues a job of the items `work` produces (called now: the job's input is stored with
        it); returns the job's id and its number of items."""
        items = work()
        return self.queued(enqueue(self.engine, username, items_payload(items))), len(items)

    def submit_uploads(
        self, username: str, files: list[Upload], overrides: GivenMeta, max_bytes: int
    ) -> int:
        """Queues a job of uploaded files, parsed by the worker; returns the job's id."""
        payload = uploads_payload(files, overrides, max_bytes)
        return self.queued(enqueue(self.engine, username, payload))

    def submit_feed_poll(self, username: str, feed_id: int, limits: FeedLimits) -> int:
        """Queues a poll of one feed now (LookupError: no such feed); returns the job's id."""
        return self.queued(enqueue_feed_poll(self.engine, username, feed_id, limits))

    def queued(self, job_id: int) -> int:
        if self.worker:
            self.worker.wake()
        return job_id

    def start(self) -> None:
        if self.worker:
            self.thread = threading.Thread(
                target=self.worker.run_until_stopped, name="ingest-worker", daemon=True
            )
            self.thread.start()

    def stop(self) -> None:
        if self.worker and self.thread:
            self.worker.stop()
            self.thread.join()


# --- command line -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="run the jobs queued now, then exit")
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=POLL_SECONDS,
        help=f"seconds between looks for queued jobs (default {POLL_SECONDS})",
    )


def main(settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        if args.once:
            print(f"ran {run_queued(engine)} queued jobs")
            return 0
        worker = Worker(engine, args.poll_interval)
        for stop_signal in (signal.SIGINT, signal.SIGTERM):  # the running job ends first
            signal.signal(stop_signal, lambda _signal, _frame: worker.stop())
        worker.run_until_stopped()
        return 0
    finally:
        engine.dispose()
