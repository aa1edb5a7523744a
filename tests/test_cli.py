"""`parallax ingest` through the real command line entry point: summary, progress and exit codes."""

import importlib
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.cli import WEB_SWITCH_INTERVAL, main
from app.db import make_engine
from app.ingest import events
from app.models import Article, Event, Outlet

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "data" / "ingest"


@pytest.fixture
def database(settings, monkeypatch):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


def article_count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()


def test_ingest_seeds_then_again(database, capsys):
    assert main(["ingest", str(SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "added 5 (1 copies of earlier articles, 0 need attention), 0 already stored, "
        "skipped 0 as duplicate of another article, rejected 0, ignored 0 non-article files"
    )
    assert all(line.startswith("events gaining articles: ") for line in lines[1:])
    assert main(["ingest", str(SEEDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("added 0 (0 copies")
    assert "5 already stored, skipped 0 as duplicate" in lines[0]
    assert lines[1] == f"already stored: {SEEDS / '000_7dde30d644e8acaf.txt'} (article 1)"
    assert article_count(database) == 5


def test_rejections_give_exit_code_1_after_keeping_the_good_files(database, capsys, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert main(["ingest", str(FIXTURES), str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("added 6 ")
    assert "rejected 6, ignored 1 non-article files" in lines[0]
    assert f"ignored: {folder / 'notes.pdf'}: unsupported file type .pdf" in lines
    assert f"rejected: {folder / 'empty.txt'}: empty file" in lines
    assert f"rejected: {FIXTURES / 'empty_page.html'}: HTML page with no article text" in lines
    assert article_count(database) == 6


def test_overrides_apply_to_every_file(database, capsys):
    seed = SEEDS / "001_d197b4e38ea34f01.txt"
    code = main(
        ["ingest", str(seed), "--outlet", "The Guardian", "--published-at", "2022-07-09"]
        + ["--url", "https://www.theguardian.com/us-news/2022/jul/09/blinken-wang"]
    )
    assert code == 0
    assert "0 need attention" in capsys.readouterr().out
    with Session(database) as session:
        article = session.exec(select(Article)).one()
        outlet = session.get(Outlet, article.outlet_id)
    assert (outlet.name, outlet.domain) == ("The Guardian", "theguardian.com")
    assert article.published_at.date().isoformat() == "2022-07-09"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--published-at", "notadate", "argument --published-at: unreadable date 'notadate'"),
        ("--published-at", "2022-13", "argument --published-at: unreadable date '2022-13'"),
        ("--published-at", "July 9", "argument --published-at: unreadable date 'July 9'"),
        ("--url", "javascript:alert(1)", "argument --url: not an http(s) URL"),
    ],
)
def test_unusable_overrides_are_refused_before_anything_is_read(
    database, capsys, option, value, message
):
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(SEEDS), option, value])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert article_count(database) == 0


def test_progress_bar_on_stderr_only_for_many_files(database, capsys, tmp_path):
    text = (SEEDS / "003_7fc9efdcb6e9b017.txt").read_text(encoding="utf-8")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(25):
        (folder / f"story{i:02}.txt").write_text(f"Correction {i} was added on top.\n\n{text}")
    (folder / "manifest.csv").write_text("file,outlet\nstory00.txt,Reuters\n")
    assert main(["ingest", "--no-claims", str(folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("added 25 (24 copies of earlier articles")
    assert "25/25" in captured.err
    assert main(["ingest", str(SEEDS / "000_7dde30d644e8acaf.txt")]) == 0
    assert capsys.readouterr().err == ""


def test_unmigrated_database_is_explained(new_database, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", new_database(migrated=False))
    assert main(["ingest", str(SEEDS)]) == 2
    assert "run `parallax migrate` first" in capsys.readouterr().err


def test_summary_counts_the_events_the_hooks_filled(database, capsys, monkeypatch):
    def assign(session, article):
        event = Event(title=f"event of {article.id}")
        session.add(event)
        session.flush()
        article.event_id = event.id

    monkeypatch.setattr(events, "assign_article", assign)
    assert main(["ingest", str(SEEDS / "000_7dde30d644e8acaf.txt")]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "events gaining articles: 1"


def test_deep_json_is_one_rejection_and_the_good_files_beside_it_are_stored(
    database, capsys, tmp_path
):
    (tmp_path / "deep.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    for seed in sorted(SEEDS.glob("00[01]_*.txt")):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    assert main(["ingest", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"rejected: {tmp_path / 'deep.json'}: JSON nested more than 64 levels deep" in out
    assert article_count(database) == 2


def test_serve_neither_trusts_forwarded_headers_nor_names_its_server(monkeypatch, settings):
    started = {}
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.update(options))
    assert main(["serve"]) == 0
    assert started["proxy_headers"] is False
    assert started["server_header"] is False


def test_serve_starts_the_asked_web_workers_each_building_its_own_app(monkeypatch, settings):
    started = {}
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("uvicorn.run", lambda app, **options: started.update(options, app=app))
    assert main(["serve", "--workers", "3"]) == 0
    assert (started["workers"], started["factory"]) == (3, True)
    assert started["timeout_worker_healthcheck"] >= 30
    module, factory = started["app"].split(":")
    switch_intervals: list[float] = []
    monkeypatch.setattr("sys.setswitchinterval", switch_intervals.append)
    app = getattr(importlib.import_module(module), factory)()
    assert app.state.settings.database_url == settings.database_url
    # a worker's event loop waits less for the lock than Python's default lets a thread keep it
    assert switch_intervals == [WEB_SWITCH_INTERVAL]
    assert sys.getswitchinterval() > WEB_SWITCH_INTERVAL
    app.state.engine.dispose()


def test_ingest_and_worker_lower_their_own_priority_and_serve_does_not(database, monkeypatch):
    lowered: list[int] = []
    monkeypatch.setattr("app.cli.os.nice", lowered.append)
    monkeypatch.setattr("uvicorn.run", lambda app, **options: None)
    monkeypatch.setenv("PARALLAX_INGEST_NICE", "7")
    assert main(["serve"]) == 0
    assert lowered == []
    assert main(["ingest", str(SEEDS / "000_7dde30d644e8acaf.txt")]) == 0
    assert main(["worker", "--once"]) == 0
    assert lowered == [7, 7]
    monkeypatch.setenv("PARALLAX_INGEST_NICE", "0")
    assert main(["ingest", str(SEEDS / "000_7dde30d644e8acaf.txt")]) == 0
    assert lowered == [7, 7]
