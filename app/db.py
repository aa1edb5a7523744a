"""Database engine (SQLite in WAL mode with foreign keys on, or PostgreSQL through a connection
pool), the data version every committed write bumps, and the Alembic migration entry point."""

import contextlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import TextClause, event, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, create_engine

from app.models import AdminSession, DataVersion, IngestJob, SigninAttempt

# Tables no reader page or API response shows: writing only these (a job's heartbeat, a sign-in,
# an admin's session) leaves the data version, and so every cached page, as it was.
UNSEEN_BY_READERS = frozenset(
    model.__tablename__ for model in (AdminSession, IngestJob, SigninAttempt)
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# Per process: a web worker serves a few requests at once plus its batch thread; PostgreSQL's
# default of 100 connections then leaves room for several web and ingest workers.
POSTGRES_POOL = {"pool_size": 5, "max_overflow": 10, "pool_pre_ping": True, "pool_recycle": 1800}


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return create_engine(url, **POSTGRES_POOL)
    if url.database and url.database != ":memory:":
        create_private_file(Path(url.database))
    engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def create_private_file(path: Path) -> None:
    """The database file (it holds password hashes) created 0600 in a data folder created 0700;
    SQLite gives its -wal and -shm files the database file's mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# PostgreSQL advisory lock numbers, one per kind of transaction that must not interleave.
EVENT_ASSIGNMENT_LOCK = 1  # ingest: placing an article in an event and aligning it
SIGNIN_COUNT_LOCK = 2  # counting a sign-in attempt against the limits


def take_turns(session: Session, lock: int) -> None:
    """Makes the transactions that take `lock` run one at a time from here until they end: on
    PostgreSQL a transaction-scoped advisory lock. SQLite needs none: a transaction that writes
    holds its one write lock until it ends, and its reads after its first write see every commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


WROTE = "parallax_wrote"
READ_ONLY_SQL = re.compile(r"\s*(select|with|pragma|explain)\b", re.IGNORECASE)


# Every write path (ingest, corrections, merges, admin edits, feeds, jobs) goes through a Session:
# these hooks note that a transaction wrote and bump the data version in that same transaction,
# just before it commits, so the new version becomes visible exactly with the new data.
@event.listens_for(OrmSession, "after_flush")
def _note_flush(session: OrmSession, _context) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(_seen_by_readers(getattr(row, "__tablename__", None)) for row in changed):
        session.info[WROTE] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _note_write_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        if not READ_ONLY_SQL.match(statement.text):
            state.session.info[WROTE] = True
    elif state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if _seen_by_readers(getattr(table, "name", None)):
            state.session.info[WROTE] = True


def _seen_by_readers(table_name: str | None) -> bool:
    """Unknown tables count as seen: a missed bump would serve a stale page."""
    return table_name not in UNSEEN_BY_READERS


@event.listens_for(OrmSession, "before_commit")
def _bump_data_version(session: OrmSession) -> None:
    """A rolled-back write leaves the flag set: the next commit then bumps once too many, which
    only costs a cache refill."""
    session.flush()
    if session.info.pop(WROTE, False) and has_data_version(session.connection()):
        bump = update(DataVersion).values(version=DataVersion.version + 1)
        session.connection().execute(bump)


def has_data_version(connection: Connection) -> bool:
    """False for a database at a revision before 0011 (the migration tests write to those);
    a connection that found the table once remembers it."""
    if not connection.info.get(DataVersion.__tablename__):
        found = inspect(connection).has_table(DataVersion.__tablename__)
        connection.info[DataVersion.__tablename__] = found
    return connection.info[DataVersion.__tablename__]


def read_data_version(connection: Connection) -> int:
    """The store's data version: it changes with every committed write."""
    return connection.execute(select(DataVersion.version)).scalar() or 0


def migrated_by_alembic(_obj, name, type_, _reflected, _compare_to) -> bool:
    """Autogenerate filter: the full-text `search_*` objects (SQLite's FTS5 tables, PostgreSQL's
    tsvector columns and GIN indexes) belong to the search migrations, not to the models."""
    return not (name or "").startswith("search_")


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # ConfigParser interpolates "%": escaped, so URL-encoded passwords and socket paths survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    make_engine(database_url).dispose()
    command.upgrade(alembic_config(database_url), revision)
