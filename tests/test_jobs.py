"""The ingest job queue (app/jobs.py): items stored with the job, exclusive claims by separate
workers, abandoned jobs taken over, `parallax worker`, web apps that leave jobs to the workers."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from concurrency import at_once, separate_engines
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from web.admin_session import csrf_from, sign_in

from app import jobs, uploads
from app.auth import create_user
from app.cli import main
from app.ingest.parse import GivenMeta, RawArticle, Rejected, Skipped, iter_path
from app.models import Article, AuditLog, IngestJob, utcnow
from app.uploads import Upload
from app.web import create_app

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_items() -> list:
    return list(iter_path(SEEDS))


def job_of(engine, job_id: int) -> IngestJob:
    with Session(engine) as session:
        return session.get(IngestJob, job_id)


def test_a_jobs_input_comes_back_from_the_queue_as_it_went_in(engine):
    items = [
        RawArticle("a.html", "Text.", html="<p>Text.</p>", given=GivenMeta(outlet="The Ledger")),
        Rejected("b.json", "invalid JSON"),
        Skipped("c.pdf", "unsupported file type .pdf"),
    ]
    job_id = jobs.enqueue(engine, "ada", jobs.items_payload(items))
    assert job_of(engine, job_id).status == "queued"
    assert jobs.ClaimedJob(engine, job_id, attempt=0).items() == items


def test_uploaded_files_are_parsed_by_the_worker_as_the_request_would(engine):
    files = [Upload(path.name, path.read_bytes()) for path in sorted(SEEDS.glob("00[01]_*.txt"))]
    files.append(Upload("batch.jsonl", b'{"text": "One line.", "outlet": "Wire"}\n{oops\n'))
    overrides = GivenMeta(published_at="2022-07-09")
    job_id = jobs.enqueue(engine, "ada", jobs.uploads_payload(files, overrides, 100_000))
    expected = uploads.parse_uploads(files, overrides, 100_000)
    assert len(expected) == 4
    assert jobs.ClaimedJob(engine, job_id, attempt=0).items() == expected


def test_a_worker_runs_a_queued_job_with_progress_report_and_audit(engine):
    job_id = jobs.enqueue(engine, "ada", jobs.items_payload(seed_items()))
    assert jobs.run_queued(engine) == 1
    job = job_of(engine, job_id)
    assert (job.status, job.done, job.total, job.attempts) == ("done", 5, 5, 1)
    assert len(json.loads(job.report)["added"]) == 5
    assert job.payload == "{}"  # the input is not kept once stored
    with Session(engine) as session:
        [entry] = session.exec(select(AuditLog)).all()
    assert (entry.username, entry.target) == ("ada", f"job {job_id}")
    assert jobs.run_queued(engine) == 0


def test_separate_workers_never_claim_the_same_job(settings, engine):
    job_ids = [jobs.enqueue(engine, "ada", jobs.items_payload([])) for _ in range(12)]
    claimed: list[int] = []

    def claim_all(worker_engine):
        while found := jobs.claim_next(worker_engine):
            claimed.append(found[0])

    with separate_engines(settings.database_url, 4) as engines:
        at_once(claim_all, engines)
    assert sorted(claimed) == job_ids


def add_running_job(engine, *, silent_for: timedelta | None, attempts: int) -> int:
    heartbeat = utcnow() - silent_for if silent_for is not None else None
    with Session(engine) as session:
        job = IngestJob(username="ada", status="running", attempts=attempts, heartbeat_at=heartbeat)
        job.payload = json.dumps(jobs.items_payload(seed_items()[:2]))
        session.add(job)
        session.commit()
        return job.id


def test_a_job_whose_worker_went_silent_is_taken_over_and_a_live_one_is_left_alone(engine):
    past_lease = jobs.LEASE + timedelta(seconds=1)
    abandoned = add_running_job(engine, silent_for=past_lease, attempts=1)
    from_before_heartbeats = add_running_job(engine, silent_for=None, attempts=1)
    alive = add_running_job(engine, silent_for=timedelta(seconds=5), attempts=1)
    given_up = add_running_job(engine, silent_for=past_lease, attempts=jobs.MAX_ATTEMPTS)
    assert jobs.run_queued(engine) == 2
    for job_id in (abandoned, from_before_heartbeats):
        job = job_of(engine, job_id)
        assert (job.status, job.attempts) == ("done", 2)
    assert job_of(engine, alive).status == "running"
    failed = job_of(engine, given_up)
    assert failed.status == "failed" and failed.finished_at is not None
    assert "interrupted" in json.loads(failed.report)["error"]


def test_a_job_an_older_version_left_running_without_its_input_fails_saying_so(engine):
    with Session(engine) as session:
        left = IngestJob(username="ada", status="running", total=10, done=4)
        session.add(left)
        session.commit()
        job_id = left.id
    assert jobs.run_queued(engine) == 1
    job = job_of(engine, job_id)
    assert job.status == "failed"
    assert "holds no input" in json.loads(job.report)["error"]


def test_a_worker_whose_job_was_taken_over_leaves_it_to_the_new_worker(engine, monkeypatch):
    job_id = jobs.enqueue(engine, "ada", jobs.items_payload(seed_items()[:1]))
    _, attempt = jobs.claim_next(engine)
    with Session(engine) as session:  # the lease ran out and another worker claimed the job
        job = session.get(IngestJob, job_id)
        job.attempts = attempt + 1
        session.add(job)
        session.commit()
    with pytest.raises(jobs.LeaseLost):
        jobs.ClaimedJob(engine, job_id, attempt).progress(1)
    old_worker = jobs.ClaimedJob(engine, job_id, attempt)
    old_worker.run()
    assert job_of(engine, job_id).status == "running"  # not finished by the old worker

    def unreadable(_payload):
        raise RuntimeError("bad input")

    monkeypatch.setattr(jobs, "parsed_items", unreadable)
    old_worker.run()
    assert job_of(engine, job_id).status == "running"  # nor failed by it


def test_parallax_worker_once_runs_the_queued_jobs(settings, engine, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    job_id = jobs.enqueue(engine, "ada", jobs.items_payload(seed_items()))
    assert main(["worker", "--once"]) == 0
    assert capsys.readouterr().out.strip() == "ran 1 queued jobs"
    assert job_of(engine, job_id).status == "done"


def test_a_web_app_without_a_job_thread_leaves_uploads_to_the_workers(settings, engine):
    with Session(engine) as session:
        create_user(session, "ada", "correct horse battery staple")
        session.commit()
    web_only = settings.model_copy(update={"serve_runs_jobs": False})
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(SEEDS.glob("*.txt"))]
    with TestClient(create_app(web_only)) as client:
        assert sign_in(client).status_code == 303
        csrf = csrf_from(client.get("/admin").text)
        response = client.post(
            "/admin/upload", data={"csrf_token": csrf}, files=files, follow_redirects=False
        )
        location = response.headers["location"]
        assert (
            client.get(location, headers={"Accept": "application/json"}).json()["job"]["status"]
            == "queued"
        )
        assert jobs.run_queued(engine) == 1
        job = client.get(location, headers={"Accept": "application/json"}).json()["job"]
    assert (job["status"], job["done"], job["total"]) == ("done", 5, 5)
    with Session(engine) as session:
        assert len(session.exec(select(Article.id)).all()) == 5
