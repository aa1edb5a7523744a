"""The ingest orchestrator: storage, duplicates, copies, idempotence, a transaction per article."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.db import make_engine
from app.ingest import events, run
from app.ingest.parse import GivenMeta, RawArticle, parse_path, parse_text
from app.models import Article, ArticleShingle, Mention, Outlet

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "data" / "ingest"


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Article, ArticleShingle, Outlet)
        }


def articles(engine) -> dict[str, Article]:
    with Session(engine) as session:
        return {Path(a.source_name).name[:3]: a for a in session.exec(select(Article)).all()}


def test_seeds_are_stored_with_manifest_metadata_and_the_ap_copy_linked(engine):
    report = run.ingest_paths(engine, [SEEDS])
    assert len(report.added) == 5 and not report.rejected and not report.duplicates
    stored = articles(engine)
    with Session(engine) as session:
        outlets = {o.id: o.name for o in session.exec(select(Outlet)).all()}
    assert {key: outlets[a.outlet_id] for key, a in stored.items()} == {
        "000": "The Wall Street Journal",
        "001": "The Guardian",
        "002": "NPR",
        "003": "Reuters",
        "004": "The Washington Post",
    }
    assert stored["002"].copy_of_id == stored["001"].id
    assert stored["002"].copy_overlap > 0.25
    assert [key for key, a in stored.items() if a.copy_of_id] == ["002"]
    wsj = stored["000"]
    assert wsj.raw_text == (SEEDS / "000_7dde30d644e8acaf.txt").read_text(encoding="utf-8")
    assert "Antony Blinken admonished Beijing" in wsj.clean_text
    assert "Write to William Mauldin" in wsj.removed_lines
    assert wsj.published_at.date().isoformat() == "2022-07-09"
    assert wsj.date_precision == "day"
    assert wsj.dateline == "NUSA DUA, Indonesia"
    assert wsj.language == "en"
    assert not wsj.needs_attention


def test_reingesting_the_same_folder_changes_nothing(engine):
    first = run.ingest_paths(engine, [SEEDS])
    before = counts(engine)
    second = run.ingest_paths(engine, [SEEDS])
    assert counts(engine) == before
    assert second.added == [] and second.rejected == []
    assert [d.article_id for d in second.duplicates] == [a.article_id for a in first.added]


def test_a_reingest_tells_already_stored_texts_from_duplicates_of_other_articles(engine):
    first = run.ingest_paths(engine, [SEEDS])
    again = run.tell_duplicates_apart(engine, run.ingest_paths(engine, [SEEDS]))
    assert [d.already_stored for d in again.duplicates] == [True] * len(first.added)
    wsj = SEEDS / "000_7dde30d644e8acaf.txt"
    renamed = parse_text(wsj.read_text(encoding="utf-8"), source="wsj-copy.txt")
    copy = run.tell_duplicates_apart(engine, run.ingest_items(engine, renamed))
    assert [(d.source, d.already_stored) for d in copy.duplicates] == [("wsj-copy.txt", False)]
    assert copy.summary_lines()[-1] == (
        f"duplicate: wsj-copy.txt (same text as article {first.added[0].article_id})"
    )
    assert again.summary_lines()[-1].startswith("already stored: ")
    uploaded = parse_text(wsj.read_text(encoding="utf-8"), source=wsj.name)
    upload = run.tell_duplicates_apart(engine, run.ingest_items(engine, uploaded))
    assert [d.already_stored for d in upload.duplicates] == [True]


def test_same_text_with_other_spacing_and_quotes_is_a_duplicate(engine):
    text = (SEEDS / "001_d197b4e38ea34f01.txt").read_text(encoding="utf-8")
    run.ingest_items(engine, parse_text(text, source="a"))
    respaced = text.replace("’", "'").replace("\n", "\n\n  ")
    report = run.ingest_items(engine, parse_text(respaced, source="b"))
    assert [d.source for d in report.duplicates] == ["b"]


def test_unknown_metadata_is_stored_empty_and_flagged(engine):
    text = (SEEDS / "001_d197b4e38ea34f01.txt").read_text(encoding="utf-8")
    report = run.ingest_items(engine, parse_text(text, source="guardian.txt"))
    assert report.added[0].attention == ["unknown outlet", "unknown date"]
    assert report.summary_lines()[2] == (
        f"needs attention: guardian.txt (article {report.added[0].article_id}): "
        "unknown outlet, unknown date"
    )
    [article] = articles(engine).values()
    assert article.outlet_id is None and article.published_at is None
    assert article.attention_reasons == "unknown outlet, unknown date"


def test_an_impossible_stated_date_is_flagged_and_the_rest_of_the_batch_stored(engine, tmp_path):
    lines = [
        {"text": "Farmers drove tractors into the capital on Monday.", "published_at": "2022-13"},
        {"text": "Fishermen blocked the port for a second day.", "published_at": "2022-07-09"},
        {"text": "Teachers marched to the ministry to demand higher pay.", "published_at": "2022"},
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report = run.ingest_paths(engine, [batch])
    assert len(report.added) == 3 and not report.rejected
    with Session(engine) as session:
        first = session.exec(select(Article).where(Article.source_name == f"{batch}#1")).one()
    assert first.published_at is None
    assert "unreadable stated date '2022-13'" in first.attention_reasons


def test_pasted_front_matter_with_bad_date_and_url_previews_them_flagged(engine):
    text = "---\npublished_at: 2022-13\nurl: javascript:alert(document.cookie)\n---\n" + (
        SEEDS / "003_7fc9efdcb6e9b017.txt"
    ).read_text(encoding="utf-8")
    [raw] = parse_text(text)
    found = run.preview(engine, raw)
    assert found["meta"]["url"] is None
    assert "unreadable stated date '2022-13'" in found["attention_reasons"]
    assert (
        "source URL dropped: 'javascript:alert(document.cookie)' is not http(s)"
        in (found["attention_reasons"])
    )
    run.ingest_items(engine, [raw])
    article = articles(engine)["pas"]
    assert article.url is None and "source URL dropped" in article.attention_reasons


def test_a_failing_hook_leaves_no_trace_of_that_article_only(engine, monkeypatch):
    real_assign = events.assign_article

    def assign(session, article):
        if article.source_name.endswith("002_1369dc01825edf46.txt"):
            raise RuntimeError("event store unavailable\nsecond line")
        real_assign(session, article)

    monkeypatch.setattr(events, "assign_article", assign)
    report = run.ingest_paths(engine, [SEEDS])
    assert len(report.added) == 4
    [problem] = report.rejected
    assert problem.source.endswith("002_1369dc01825edf46.txt")
    assert problem.reason == "failed while storing: RuntimeError: event store unavailable"
    stored = articles(engine)
    assert sorted(stored) == ["000", "001", "003", "004"]
    with Session(engine) as session:
        names = set(session.exec(select(Outlet.name)).all())
        shingle_owners = set(session.exec(select(ArticleShingle.article_id)).all())
    assert "NPR" not in names
    assert shingle_owners == {a.id for a in stored.values()}


def test_hooks_run_per_article_unless_switched_off(engine, monkeypatch):
    seen = []
    monkeypatch.setattr(events, "assign_article", lambda session, a: seen.append(a.id))
    run.ingest_paths(engine, [SEEDS / "000_7dde30d644e8acaf.txt"], run_hooks=False)
    assert seen == []
    report = run.ingest_paths(engine, [SEEDS / "003_7fc9efdcb6e9b017.txt"])
    assert seen == [report.added[0].article_id]


def test_event_set_by_the_hook_is_reported(engine, monkeypatch):
    def assign(session, article):
        from app.models import Event

        event = Event(title="Blinken meets Wang")
        session.add(event)
        session.flush()
        article.event_id = event.id

    monkeypatch.setattr(events, "assign_article", assign)
    report = run.ingest_paths(engine, [SEEDS / "003_7fc9efdcb6e9b017.txt"])
    assert report.events == {articles(engine)["003"].event_id}


def test_overrides_beat_manifest_and_inference(engine):
    overrides = GivenMeta(outlet="KRDO", url="https://krdo.com/news/x", published_at="2022-07-10")
    run.ingest_paths(engine, [SEEDS / "003_7fc9efdcb6e9b017.txt"], overrides)
    article = articles(engine)["003"]
    with Session(engine) as session:
        outlet = session.get(Outlet, article.outlet_id)
    assert (outlet.name, outlet.domain) == ("KRDO", "krdo.com")
    assert article.url == "https://krdo.com/news/x"
    assert article.published_at.date().isoformat() == "2022-07-10"


def test_mixed_batch_keeps_good_items_and_reports_bad_ones(engine, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / "only-furniture.txt").write_text("Skip to content\nAdvertisement\n0:00\n")
    report = run.ingest_paths(engine, [FIXTURES, folder])
    reasons = {Path(p.source).name: p.reason for p in report.rejected}
    assert reasons == {
        "articles.jsonl#2": "missing field 'text' or 'html'",
        "articles.jsonl#3": "field 'published_at' must be a string, got int",
        "articles.jsonl#4": "invalid JSON: Expecting value",
        "list.json#2": "field 'outlet' must be a string, got list",
        "empty_page.html": "HTML page with no article text",
        "empty.txt": "empty file",
        "only-furniture.txt": "no story text left after removing boilerplate",
    }
    assert [Path(s.source).name for s in report.skipped] == ["image.png"]
    assert len(report.added) == 6
    assert counts(engine)["Article"] == 6


def test_preview_writes_nothing_and_names_duplicate_and_copy(engine):
    guardian, npr = (
        parse_path(SEEDS / name)[0]
        for name in ("001_d197b4e38ea34f01.txt", "002_1369dc01825edf46.txt")
    )
    first = run.preview(engine, npr)
    assert counts(engine)["Article"] == 0
    assert first["duplicate_of"] is None and first["copy_of"] is None
    assert first["meta"]["outlet"] == "NPR"
    assert "Play Live Radio" in first["removed"]
    run.ingest_items(engine, [guardian])
    guardian_id = articles(engine)["001"].id
    second = run.preview(engine, npr)
    assert second["copy_of"] == guardian_id and second["copy_overlap"] > 0.25
    assert run.preview(engine, guardian)["duplicate_of"] == guardian_id
    assert counts(engine)["Article"] == 1


def test_preview_of_an_article_with_nothing_left(engine):
    raw = RawArticle("paste", "Skip to content\nAdvertisement")
    assert run.preview(engine, raw) == {
        "source": "paste",
        "rejected": "no story text left after removing boilerplate",
    }


def test_concurrent_ingest_of_the_same_file_is_a_duplicate_not_a_crash(engine, monkeypatch):
    """The first writer pauses inside its transaction while the second one tries to store."""
    raw = parse_path(SEEDS / "004_7071959f35e2adea.txt")[0]
    first_inside, release = threading.Event(), threading.Event()

    def assign(session, article):
        if threading.current_thread().name == "first":
            first_inside.set()
            release.wait(10)

    monkeypatch.setattr(events, "assign_article", assign)
    results = {}

    def ingest(name):
        results[name] = run.ingest_one(engine, raw)[0]

    first = threading.Thread(target=ingest, args=("first",), name="first")
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=ingest, args=("second",), name="second")
    second.start()
    second.join(0.5)  # let the second writer reach the database lock
    release.set()
    first.join(10)
    second.join(40)
    assert isinstance(results["first"], run.Added)
    assert results["second"] == run.Duplicate(raw.source, results["first"].article_id)
    assert counts(engine)["Article"] == 1


def test_a_store_that_stays_locked_is_reported_after_retries(engine, monkeypatch):
    calls = []

    def locked(session, article):
        calls.append(article.source_name)
        raise OperationalError("INSERT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(events, "assign_article", locked)
    report = run.ingest_paths(engine, [SEEDS / "000_7dde30d644e8acaf.txt"])
    [problem] = report.rejected
    assert problem.reason.startswith("failed while storing: OperationalError:")
    assert "database is locked" in problem.reason
    assert len(calls) == run.ATTEMPTS
    assert counts(engine) == {"Article": 0, "ArticleShingle": 0, "Outlet": 0}


def stored_rows(engine) -> list[tuple]:
    """What ingest decided, row by row: articles, their events and every mention's claim."""
    with Session(engine) as session:
        placed = session.exec(
            select(
                Article.source_name, Article.clean_text, Article.event_id, Article.event_reason
            ).order_by(Article.id)
        ).all()
        mentions = session.exec(
            select(Mention.article_id, Mention.start, Mention.speaker, Mention.claim_id).order_by(
                Mention.id
            )
        ).all()
    return [*placed, *mentions]


def test_text_work_in_a_worker_process_stores_what_this_process_would(
    engine, new_database, tmp_path
):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "only-furniture.txt").write_text("Skip to content\nAdvertisement\n0:00\n")
    paths = [SEEDS, FIXTURES, folder]
    here = run.ingest_paths(engine, paths)
    in_worker_engine = make_engine(new_database())
    try:
        in_worker = run.ingest_paths(in_worker_engine, paths, text_worker=True)
        assert in_worker.to_dict() == here.to_dict()
        assert stored_rows(in_worker_engine) == stored_rows(engine)
    finally:
        in_worker_engine.dispose()
    assert len(here.added) == 11 and here.rejected


PARENT_WITH_TEXT_WORKER = """
import os, time
from app.ingest.run import text_worker_pool
if __name__ == "__main__":
    pool = text_worker_pool()
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(60)
"""


def test_the_text_worker_ends_when_its_ingest_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT_WITH_TEXT_WORKER)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    ended = _ends(worker_pid, within_seconds=10)
    if not ended:
        os.kill(worker_pid, signal.SIGKILL)
    assert ended


def _ends(pid: int, within_seconds: float) -> bool:
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_batch_whose_text_worker_died_is_stored_here_in_full(engine, monkeypatch):
    pool = run.text_worker_pool()
    os.kill(pool.submit(os.getpid).result(), signal.SIGKILL)
    monkeypatch.setattr(run, "text_worker_pool", lambda: pool)
    report = run.ingest_paths(engine, [SEEDS], text_worker=True)
    assert len(report.added) == 5 and not report.rejected
