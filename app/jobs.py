"""Turns a batch of uploaded files into a background IngestJob: parsed, ingested, progress kept."""

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app import audit
from app.db import session_scope
from app.ingest import run
from app.ingest.parse import Parsed
from app.models import Event, IngestJob, utcnow

UNFINISHED = ("queued", "running")


class JobRunner:
    """Runs batch ingests one after another on a worker thread (SQLite has one writer anyway)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-job")

    def submit(self, username: str, work: Callable[[], list[Parsed]]) -> tuple[int, Future]:
        """Records a queued job and starts it; `work` (run in the job) produces the items."""
        with session_scope(self.engine) as session:
            job = IngestJob(username=username, status="queued")
            session.add(job)
            session.flush()
            job_id = job.id
        return job_id, self.executor.submit(self.run, job_id, work)

    def run(self, job_id: int, work: Callable[[], list[Parsed]]) -> None:
        try:
            items = work()
            self.update(job_id, status="running", total=len(items))
            report = run.ingest_items(
                self.engine, items, on_progress=lambda done: self.update(job_id, done=done)
            )
            summary = report.to_dict()
            summary["events"] = event_links(self.engine, sorted(report.events))
            self.update(job_id, status="done", report=summary, finished=True)
            self.audit(job_id, summary)
        except Exception as error:  # the job reports its failure instead of dying silently
            failure = {"error": f"{type(error).__name__}: {error}"}
            self.update(job_id, status="failed", report=failure, finished=True)

    def update(
        self,
        job_id: int,
        *,
        status: str | None = None,
        total: int | None = None,
        done: int | None = None,
        report: dict | None = None,
        finished: bool = False,
    ) -> None:
        with session_scope(self.engine) as session:
            job = session.get(IngestJob, job_id)
            if status is not None:
                job.status = status
            if total is not None:
                job.total = total
            if done is not None:
                job.done = done
            if report is not None:
                job.report = json.dumps(report, ensure_ascii=False)
            if finished:
                job.finished_at = utcnow()
            session.add(job)

    def audit(self, job_id: int, summary: dict) -> None:
        with session_scope(self.engine) as session:
            job = session.get(IngestJob, job_id)
            audit.record(
                session,
                job.username,
                "batch upload",
                f"job {job_id}",
                added=[item["article_id"] for item in summary["added"]],
                duplicates=len(summary["duplicates"]),
                rejected=len(summary["rejected"]),
                events=[event["id"] for event in summary["events"]],
            )


def event_links(engine: Engine, event_ids: list[int]) -> list[dict]:
    with Session(engine) as session:
        rows = session.exec(select(Event.id, Event.title).where(Event.id.in_(event_ids))).all()
    return [{"id": event_id, "title": title} for event_id, title in rows]


def fail_interrupted_jobs(engine: Engine) -> int:
    """At startup, no job can still be running: any left unfinished was interrupted.

    Each article was stored in its own transaction, so the articles it added stay whole;
    re-submitting the batch adds the rest (the ones already stored come back as duplicates)."""
    try:
        with session_scope(engine) as session:
            jobs = session.exec(select(IngestJob).where(IngestJob.status.in_(UNFINISHED))).all()
            for job in jobs:
                job.status = "failed"
                job.finished_at = utcnow()
                job.report = json.dumps(
                    {"error": "interrupted: the server stopped before the job finished"}
                )
                session.add(job)
            return len(jobs)
    except OperationalError:  # database not migrated yet: there are no jobs to recover
        return 0
