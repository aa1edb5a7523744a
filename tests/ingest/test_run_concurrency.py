"""Ingest (app/ingest/run.py) by two processes at once, on overlapping folders, on the store under
test: no article is stored twice and no story is split over two events, as in one sequential run."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from app.db import make_engine
from app.ingest.run import ingest_paths
from app.models import Article

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "events_corpus"
GOLD = json.loads((REPO / "tests" / "data" / "gold" / "events_corpus.json").read_text())
# Five of the corpus's stories (15 articles) whose events come out the same in any ingest order
# (checked over 20 shuffled orders); the other stories' hard pairs depend on the order.
STORIES = [
    "manchester-clean-air-charge-vote-2024-02-20",
    "ancoats-mill-fire-manchester-2024-02-21",
    "central-chile-earthquake-2024-06-03",
    "eu-clean-heat-package-2023-09-13",
    "rotterdam-dock-strike-2023-11-07",
]
# One ingest process: it connects, says it is ready, waits for the start file, then ingests.
INGEST_PROCESS = """
import json, sys, time
from pathlib import Path
from app.db import make_engine
from app.ingest.run import ingest_paths

database_url, folder, start = sys.argv[1:]
engine = make_engine(database_url)
print("ready", flush=True)
while not Path(start).exists():
    time.sleep(0.005)
print(json.dumps(ingest_paths(engine, [folder]).to_dict()), flush=True)
engine.dispose()
"""


def story_files() -> list[str]:
    return [name for story in STORIES for name in GOLD["events"][story]]


def folder_of(tmp_path: Path, name: str, files: list[str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        shutil.copy(CORPUS / file, folder / file)
    return folder


def ingest_at_once(database_url: str, folders: list[Path], start: Path) -> list[dict]:
    """Starts one ingest process per folder and lets them all go at the same moment."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", INGEST_PROCESS, database_url, str(folder), str(start)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    start.touch()
    reports = []
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0
        reports.append(json.loads(output))
    return reports


def stories_by_event(engine) -> list[list[str]]:
    """The stored articles' file names grouped by event, and every group sorted."""
    with Session(engine) as session:
        rows = session.exec(select(Article.source_name, Article.event_id)).all()
    groups: dict[int, list[str]] = {}
    for source, event_id in rows:
        groups.setdefault(event_id, []).append(Path(source).name)
    return sorted(sorted(names) for names in groups.values())


def test_two_ingests_of_overlapping_folders_at_once_store_what_one_sequential_ingest_does(
    new_database, tmp_path
):
    files = story_files()
    # Both processes walk the stories in the same order, so articles of one story are placed by
    # both at the same time; every third file is in both folders.
    first = folder_of(tmp_path, "first", [f for i, f in enumerate(files) if i % 3 != 0])
    second = folder_of(tmp_path, "second", [f for i, f in enumerate(files) if i % 3 != 1])
    concurrent_url = new_database()
    reports = ingest_at_once(concurrent_url, [first, second], tmp_path / "start")

    assert not any(report["rejected"] for report in reports)
    assert sum(len(report["added"]) for report in reports) == len(files)
    assert sum(len(report["duplicates"]) for report in reports) == len(files) // 3
    concurrent = make_engine(concurrent_url)
    with Session(concurrent) as session:
        hashes = session.exec(select(Article.content_hash)).all()
        events = session.exec(select(func.count(func.distinct(Article.event_id)))).one()
    assert len(hashes) == len(set(hashes)) == len(files)
    assert events == len(STORIES)

    sequential = make_engine(new_database())
    ingest_paths(sequential, [CORPUS / file for file in files])
    gold = sorted(sorted(GOLD["events"][story]) for story in STORIES)
    assert stories_by_event(concurrent) == stories_by_event(sequential) == gold
    concurrent.dispose()
    sequential.dispose()
