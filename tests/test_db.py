"""Tests for app/db.py: the SQLite files that hold password hashes are private; every committed
write bumps the data version."""

import os
import stat
import subprocess
import sys

from sqlalchemy import event, insert, text, update
from sqlmodel import Session, select
from stores import postgres_only

from app.db import (
    SQLITE_MMAP_BYTES,
    SQLITE_POOL,
    EventMemo,
    has_table,
    make_engine,
    migrate,
    read_data_version,
    read_event_changes,
    read_event_version,
    read_rows,
    session_scope,
)
from app.models import DataVersion, Event, IngestJob, Outlet, SigninAttempt, Storyline


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_folder_and_files_are_created_private(tmp_path):
    folder = tmp_path / "data"
    engine = make_engine(f"sqlite:///{folder / 'parallax.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE secret (value TEXT)"))
        connection.execute(text("INSERT INTO secret VALUES ('hash')"))
        assert mode(folder) == 0o700
        for name in ("parallax.db", "parallax.db-wal", "parallax.db-shm"):
            assert mode(folder / name) == 0o600, name
    engine.dispose()


def test_an_sqlite_engine_keeps_the_connections_of_requests_served_at_once(tmp_path):
    """A connection beyond the pool is closed when returned: the next one opens the file again,
    runs its set-up PRAGMAs and starts with an empty page cache."""
    engine = make_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    opened: list[object] = []
    event.listen(engine, "connect", lambda connection, _record: opened.append(connection))
    for _ in range(3):
        together = [engine.connect() for _ in range(SQLITE_POOL["pool_size"])]
        for connection in together:
            connection.execute(text("SELECT 1"))
            connection.close()
    assert len(opened) == SQLITE_POOL["pool_size"]
    engine.dispose()


def test_sqlite_connections_read_the_file_memory_mapped(tmp_path):
    """Pages read again after another process's commit come from the shared OS page cache."""
    engine = make_engine(f"sqlite:///{tmp_path / 'mapped.db'}")
    with engine.connect() as connection:
        mapped = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    engine.dispose()
    assert mapped == SQLITE_MMAP_BYTES


def test_plain_row_reads_see_the_sessions_pending_changes(engine):
    with Session(engine) as session:
        session.add(Outlet(name="Reuters"))
        names = read_rows(session, select(Outlet.name)).scalars().all()
    assert "Reuters" in names
    with Session(engine) as session:
        assert session.exec(select(Outlet).where(Outlet.name == "Reuters")).first() is None


def version_of(engine) -> int:
    with engine.connect() as connection:
        return read_data_version(connection)


def test_every_committed_write_bumps_the_data_version_once(engine):
    start = version_of(engine)
    with session_scope(engine) as session:
        session.add(Outlet(name="Reuters"))
    assert version_of(engine) == start + 1
    with session_scope(engine) as session:
        session.execute(insert(Outlet), [{"name": "NPR"}, {"name": "BBC News"}])
        session.execute(update(Outlet).where(Outlet.name == "NPR").values(name="NPR News"))
    assert version_of(engine) == start + 2
    with session_scope(engine) as session:
        session.execute(text("DELETE FROM outlet WHERE name = 'BBC News'"))
    assert version_of(engine) == start + 3


def test_reads_and_rolled_back_writes_leave_the_data_version(engine):
    start = version_of(engine)
    with session_scope(engine) as session:
        session.exec(select(Outlet)).all()
        session.execute(text("SELECT count(*) FROM outlet"))
    with Session(engine) as session:
        session.add(Outlet(name="Reuters"))
        session.flush()
        session.rollback()
    assert version_of(engine) == start


def test_writes_no_reader_sees_leave_the_data_version(engine):
    start = version_of(engine)
    with session_scope(engine) as session:
        job = IngestJob(username="ada", status="queued")
        session.add(job)
        session.flush()
        session.execute(update(IngestJob).where(IngestJob.id == job.id).values(done=1))
        session.execute(insert(SigninAttempt), [{"key": "ada", "at": 1.0}])
    assert version_of(engine) == start
    with session_scope(engine) as session:
        session.add(IngestJob(username="ada", status="queued"))
        session.add(Outlet(name="Reuters"))
    assert version_of(engine) == start + 1


def test_a_database_before_the_data_version_still_takes_writes(new_database):
    url = new_database(migrated=False)
    migrate(url, "0008")
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(Outlet(name="Reuters"))
        assert not has_table(session.connection(), DataVersion)
    migrate(url)
    with session_scope(engine) as session:
        session.add(Outlet(name="NPR"))
    assert version_of(engine) == 1
    engine.dispose()


def test_an_event_memo_is_recalled_once_committed_until_another_write_changes_the_event(settings):
    engine, other_process = make_engine(settings.database_url), make_engine(settings.database_url)
    memo = EventMemo(size=2)
    with session_scope(engine) as session:
        event = Event(title="Talks in Lima")
        session.add(event)
        session.flush()
        memo.remember(session, event.id, "rows")
        assert memo.recall(session, event.id) is None  # kept once the transaction commits
        event_id = event.id
    with Session(engine) as session:
        assert memo.recall(session, event_id) == "rows"
    with Session(other_process) as session:
        assert memo.recall(session, event_id) is None  # its own transactions left nothing
    with session_scope(other_process) as session:
        session.add(Event(title="Storm in Oslo"))  # another event's write leaves it
    with Session(engine) as session:
        assert memo.recall(session, event_id) == "rows"
    with session_scope(other_process) as session:
        session.get(Event, event_id).title = "Talks in Lima end"
    with Session(engine) as session:
        assert memo.recall(session, event_id) is None
    engine.dispose()
    other_process.dispose()


def test_an_event_memo_keeps_nothing_of_a_rolled_back_or_forgetting_transaction(engine):
    memo = EventMemo(size=2)
    with session_scope(engine) as session:
        events = [Event(title=title) for title in ("Talks", "Storm", "Vote")]
        session.add_all(events)
        session.flush()
        talks, storm, vote = (event.id for event in events)
        for event_id in (talks, storm, vote):
            memo.remember(session, event_id, event_id)
    with Session(engine) as session:  # the two remembered last are kept
        assert [memo.recall(session, i) for i in (talks, storm, vote)] == [None, storm, vote]
    with Session(engine) as session:
        session.get(Event, storm).title = "Storm passes"
        memo.remember(session, storm, "draft")
        session.flush()
        session.rollback()
    with session_scope(engine) as session:
        session.get(Event, vote).title = "Vote counted"
        memo.remember(session, vote, "counted")
        memo.forget(session, vote)
        assert memo.recall(session, storm) == storm
        assert memo.recall(session, vote) is None  # the transaction changed it
    session = Session(engine)
    session.get(Event, storm)
    memo.remember(session, storm, "closed unfinished")
    session.close()  # without committing
    session.get(Event, talks).title = "Talks resume"  # the session's next transaction commits
    session.commit()
    session.close()
    with Session(engine) as session:
        assert [memo.recall(session, i) for i in (storm, vote)] == [storm, None]


def test_an_event_memo_weighed_by_its_rows_keeps_many_small_events_beside_a_large_one(engine):
    memo = EventMemo(size=10, weight=len)
    with session_scope(engine) as session:
        events = [Event(title=title) for title in ("Talks", "Storm", "Vote", "Fire")]
        session.add_all(events)
        session.flush()
        talks, storm, vote, fire = (event.id for event in events)
        memo.remember(session, talks, ["mention"] * 6)
    with session_scope(engine) as session:
        for event_id in (storm, vote):
            session.get(Event, event_id).title += " (2 reports)"
            memo.remember(session, event_id, ["mention"] * 2)
    with Session(engine) as session:  # 10 rows: all three kept
        assert [len(memo.recall(session, i) or []) for i in (talks, storm, vote)] == [6, 2, 2]
    with session_scope(engine) as session:
        session.get(Event, fire).title = "Fire spreads"
        memo.remember(session, fire, ["mention"] * 3)
    with Session(engine) as session:  # the oldest goes until the rest fit
        assert [len(memo.recall(session, i) or []) for i in (talks, storm, vote, fire)] == [
            0,
            2,
            2,
            3,
        ]
    with session_scope(engine) as session:
        session.get(Event, talks).title = "Talks go on"
        memo.remember(session, talks, ["mention"] * 12)
    with Session(engine) as session:  # one event over the budget is still kept, alone
        assert [len(memo.recall(session, i) or []) for i in (talks, storm, vote, fire)] == [
            12,
            0,
            0,
            0,
        ]


def test_a_storyline_siblings_write_moves_an_events_version_but_not_its_own_changes(engine):
    with session_scope(engine) as session:
        storyline = Storyline(title="Lima talks")
        session.add(storyline)
        session.flush()
        talks, vote = Event(title="Talks", storyline_id=storyline.id), Event(title="Vote")
        vote.storyline_id = storyline.id
        session.add_all([talks, vote])
        session.flush()
        talks_id, vote_id = talks.id, vote.id
    with engine.connect() as connection:
        before = read_event_changes(connection, [talks_id, vote_id])
        vote_version = read_event_version(connection, vote_id)
    with session_scope(engine) as session:
        session.get(Event, talks_id).title = "Talks end"  # shown on the vote's pages too
    with engine.connect() as connection:
        after = read_event_changes(connection, [talks_id, vote_id])
        assert read_event_version(connection, vote_id) > vote_version
    assert after[talks_id] > before[talks_id]
    assert after[vote_id] == before[vote_id]


NICE_BACKEND = """
import os, sys
from sqlalchemy import text
from app.db import make_engine
os.nice(7)
engine = make_engine(sys.argv[1])
with engine.connect() as connection:
    backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    print(os.getpriority(os.PRIO_PROCESS, 0), os.getpriority(os.PRIO_PROCESS, backend))
"""


@postgres_only
def test_a_niced_process_gives_its_lower_priority_to_its_local_postgresql_backend(settings, engine):
    command = [sys.executable, "-c", NICE_BACKEND, settings.database_url]
    output = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    niceness, backend_niceness = map(int, output.split())
    assert backend_niceness == niceness >= 7
    with engine.connect() as connection:  # this process's backend keeps the server's priority
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert os.getpriority(os.PRIO_PROCESS, backend) < niceness
