"""Database engine (SQLite in WAL mode with foreign keys on, or PostgreSQL through a connection
pool), the data version every committed write bumps, and the Alembic migration entry point."""

import contextlib
import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import TextClause, event, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Engine, make_url
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, create_engine

from app.models import (
    AdminSession,
    Article,
    Claim,
    DataVersion,
    Event,
    EventVersion,
    IngestJob,
    Mention,
    Outlet,
    SigninAttempt,
    Storyline,
)

# Tables no reader page or API response shows: writing only these (a job's heartbeat, a sign-in,
# an admin's session) leaves the data version, and so every cached page, as it was.
UNSEEN_BY_READERS = frozenset(
    model.__tablename__ for model in (AdminSession, IngestJob, SigninAttempt)
)

# Tables an event's pages (event, claim panel, permalink, article, their API bodies) read. A write
# to any other table reader pages show moves only the data version, which the pages that list
# everything (timeline, search, outlets, storylines) follow.
SHOWN_ON_EVENT_PAGES = frozenset(
    model.__tablename__ for model in (Article, Claim, Event, Mention, Outlet, Storyline)
)
ALL_EVENTS = 0  # the event_version row every event's pages also follow

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# Per process, kept open as on SQLite: a connection beyond the pool is closed when returned, and
# the next one costs a new server backend (fork, authentication, cold catalog caches). With 5 kept,
# 20 readers on 2 web workers opened ~6 backends a second (643 in one load bench), whose CPU, about
# half a core, showed as "rest". 20 kept + 10 beyond per process: two web workers, an ingest and a
# job worker stay under PostgreSQL's default of 100 connections.
POSTGRES_POOL = {"pool_size": 20, "max_overflow": 10, "pool_pre_ping": True, "pool_recycle": 1800}
# SQLite: a connection per thread that may run a route at once (anyio's 40), kept open. One beyond
# the pool is closed when returned, and the next opens the file again, runs the set-up PRAGMAs and
# starts with an empty page cache: with 5 kept, a worker serving 20 readers at once paid that on
# most renderings (bench load, 20 clients: 15-30% more requests per server core with 20 kept).
SQLITE_POOL = {"pool_size": 40, "max_overflow": 10}
# Reader connections read the file memory-mapped: every ingest commit empties each connection's
# private page cache, and the pages read again then come from the OS page cache all processes
# share, without a read() and a copy each (cold renders after a commit: ~5% less CPU, ~10% less
# wall time measured on the 5,000-article bench store).
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        engine = create_engine(url, **POSTGRES_POOL)
        event.listen(engine, "connect", _share_lower_priority)
        return engine
    pool = {}  # in memory: SQLAlchemy keeps one connection (one database) per thread
    if url.database and url.database != ":memory:":
        create_private_file(Path(url.database))
        pool = SQLITE_POOL
    engine = create_engine(
        database_url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
    )
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def create_private_file(path: Path) -> None:
    """The database file (it holds password hashes) created 0600 in a data folder created 0700;
    SQLite gives its -wal and -shm files the database file's mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def _share_lower_priority(dbapi_connection, _record) -> None:
    """A process at a lower CPU priority (`parallax ingest` and `worker` call os.nice) gives it to
    its PostgreSQL backend too when the server runs on this machine (a Unix socket or loopback)
    and the OS lets it: on shared cores the backend running the ingest's statements then yields to
    the web workers' backends, as the ingest process itself does. Else nothing changes."""
    niceness = os.getpriority(os.PRIO_PROCESS, 0)
    info = dbapi_connection.info
    if niceness <= 0 or not (info.host.startswith("/") or info.host in LOCAL_HOSTS):
        return
    with contextlib.suppress(OSError):  # not ours to change, or gone
        backend = info.backend_pid
        if Path(f"/proc/{backend}/comm").read_text().strip() != "postgres":
            return
        if os.getpriority(os.PRIO_PROCESS, backend) < niceness:
            os.setpriority(os.PRIO_PROCESS, backend, niceness)


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
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


def read_rows(session: Session, statement, params: dict | None = None) -> CursorResult:
    """Runs a read on the session's connection, its pending changes flushed first as the session
    would: rows as the database returns them, without the ORM's per-row processing, which costs
    more than the query itself when an event's thousands of rows are read for every article."""
    session.flush()
    return session.connection().execute(statement, params)


# PostgreSQL advisory lock numbers, one per kind of transaction that must not interleave.
EVENT_ASSIGNMENT_LOCK = 1  # ingest: placing an article in an event and aligning it
SIGNIN_COUNT_LOCK = 2  # counting a sign-in attempt against the limits


def take_turns(session: Session, lock: int) -> None:
    """Makes the transactions that take `lock` run one at a time from here until they end: on
    PostgreSQL a transaction-scoped advisory lock. SQLite needs none: a transaction that writes
    holds its one write lock until it ends, and its reads after its first write see every commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


# What the pages of an event's storyline siblings show of it (a description refreshed to the same
# title, dates and place, as every ingested article's event is, leaves the siblings' pages valid).
SHOWN_TO_SIBLINGS = (
    "title",
    "date_start",
    "date_end",
    "location",
    "merged_into_id",
    "storyline_id",
)
WROTE = "parallax_wrote"
TOUCHED = "parallax_touched"
READ_ONLY_SQL = re.compile(r"\s*(select|with|pragma|explain)\b", re.IGNORECASE)


@dataclass
class Touched:
    """What a transaction's writes changed that event pages show: events by id, and rows whose
    events are looked up when it commits; `all_events` when a write names no rows (a bulk
    statement, raw SQL, an outlet renamed)."""

    events: set[int] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    storylines: set[int] = field(default_factory=set)
    all_events: bool = False


# Every write path (ingest, corrections, merges, admin edits, feeds, jobs) goes through a Session:
# these hooks note that a transaction wrote and bump the data version in that same transaction,
# just before it commits, so the new version becomes visible exactly with the new data.
@event.listens_for(OrmSession, "after_flush")
def _note_flush(session: OrmSession, _context) -> None:
    touched = session.info.setdefault(TOUCHED, Touched())
    for rows, change in ((session.new, "new"), (session.dirty, "set"), (session.deleted, "gone")):
        for row in rows:
            if _seen_by_readers(getattr(row, "__tablename__", None)):
                session.info[WROTE] = True
                _note_event_pages(touched, row, change)


def _note_event_pages(touched: Touched, row, change: str) -> None:
    """Which events' pages the flushed row (`change`: new, set or gone) shows on, before and after
    the write (history is still there in after_flush)."""
    match row:
        case Event():
            touched.events.add(row.id)
            if change == "gone" or any(
                get_history(row, name).has_changes() for name in SHOWN_TO_SIBLINGS
            ):
                touched.storylines |= _values(row, "storyline_id")
        case Storyline():
            touched.storylines.add(row.id)
        case Article() | Claim():
            touched.events |= _values(row, "event_id")
        case Mention():
            touched.articles |= _values(row, "article_id")
            touched.claims |= _values(row, "claim_id")
        case Outlet():  # a new one is on no page yet
            touched.all_events = touched.all_events or change != "new"


def _values(row, attribute: str) -> set[int]:
    """The attribute's values before and after the flush, without None."""
    history = get_history(row, attribute)
    return {*history.added, *history.unchanged, *history.deleted} - {None}


@event.listens_for(OrmSession, "do_orm_execute")
def _note_write_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        if not READ_ONLY_SQL.match(statement.text):
            state.session.info[WROTE] = True
            state.session.info.setdefault(TOUCHED, Touched()).all_events = True
    elif state.is_insert or state.is_update or state.is_delete:
        table_name = getattr(getattr(statement, "table", None), "name", None)
        if _seen_by_readers(table_name):
            state.session.info[WROTE] = True
        if table_name in SHOWN_ON_EVENT_PAGES:
            touched = state.session.info.setdefault(TOUCHED, Touched())
            if not _note_bulk_rows(state, touched):
                touched.all_events = True


# A bulk UPDATE or DELETE of these tables whose WHERE names its rows: the rows' references, read
# before it runs, say whose pages change, and so does each reference it moves rows to (an event
# merge moves an event's claims to the kept event) when it sets one to a given id.
BULK_ROW_REFERENCES = {
    "article": ((Article.event_id, "events"),),
    "claim": ((Claim.event_id, "events"),),
    "event": ((Event.id, "events"), (Event.storyline_id, "storylines")),
    "mention": ((Mention.article_id, "articles"), (Mention.claim_id, "claims")),
}
MOVING_COLUMNS = frozenset({"event_id", "storyline_id", "article_id", "claim_id"})


def _note_bulk_rows(state: ORMExecuteState, touched: Touched) -> bool:
    """Notes the rows a bulk UPDATE or DELETE is about to change, and where it moves them; False
    when it cannot tell (an INSERT, no WHERE, another table, a row moved to no given id): every
    event's pages then change."""
    statement = state.statement
    references = BULK_ROW_REFERENCES.get(statement.table.name)
    if state.is_insert or references is None or statement.whereclause is None:
        return False
    destinations = _destinations(statement, references)
    if destinations is None:
        return False
    columns = [column for column, _ in references]
    rows = state.session.connection().execute(select(*columns).where(statement.whereclause))
    for row in [*rows, *destinations]:
        for value, (_, name) in zip(row, references, strict=True):
            if value is not None:
                getattr(touched, name).add(value)
    return True


def _destinations(statement, references: tuple) -> list[tuple] | None:
    """Rows in the shape of `references` holding the ids an UPDATE moves its rows to (none for a
    DELETE or an UPDATE that moves nothing); None when it sets a moving column to anything but a
    given id (NULL, an expression, another table's column)."""
    keys = [column.key for column, _ in references]
    moved = []
    for column, value in _set_values(statement):
        key = getattr(column, "key", column)
        if key not in MOVING_COLUMNS:
            continue
        if key not in keys or not _given_id(value):
            return None
        moved.append(tuple(value.value if k == key else None for k in keys))
    return moved


def _given_id(value) -> bool:
    return isinstance(value, BindParameter) and value.callable is None and value.value is not None


def _set_values(statement) -> list[tuple]:
    """The (column, value) pairs an UPDATE sets (SQLAlchemy keeps them in `_values`, or in
    `_ordered_values` for ordered_values(); a DELETE sets none)."""
    pairs = [*(getattr(statement, "_values", None) or {}).items()]
    return pairs + [*(getattr(statement, "_ordered_values", None) or ())]


def _seen_by_readers(table_name: str | None) -> bool:
    """Unknown tables count as seen: a missed bump would serve a stale page."""
    return table_name not in UNSEEN_BY_READERS


@event.listens_for(OrmSession, "before_commit")
def _bump_data_version(session: OrmSession) -> None:
    """A rolled-back write leaves the flag set: the next commit then bumps once too many, which
    only costs a cache refill. The data version first: its row lock orders concurrent writers, so
    their event rows never wait on each other in opposite orders."""
    session.flush()
    touched = session.info.pop(TOUCHED, None)
    if session.info.pop(WROTE, False) and has_table(session.connection(), DataVersion):
        connection = session.connection()
        connection.execute(update(DataVersion).values(version=DataVersion.version + 1))
        if touched is not None and has_table(connection, EventVersion):
            session.info[COMMITTED_VERSION] = bump_event_versions(connection, touched)


def bump_event_versions(connection: Connection, touched: Touched) -> int | None:
    """Sets the event_version rows of the events the transaction changed to the data version it
    just took: each bump gets a number no earlier write had; `changed` too for the events whose
    own rows it wrote (not storyline siblings, whose pages show what changed of another event).
    Returns that version (None when the transaction changed no event's pages)."""
    changed = set(touched.events)
    for ids, event_id, key in (
        (touched.articles, Article.event_id, Article.id),
        (touched.claims, Claim.event_id, Claim.id),
    ):
        if ids:
            changed |= set(
                connection.execute(select(event_id).where(key.in_(sorted(ids)))).scalars()
            )
    siblings = set()
    if touched.storylines:
        siblings = set(
            connection.execute(
                select(Event.id).where(Event.storyline_id.in_(sorted(touched.storylines)))
            ).scalars()
        )
    changed.discard(None)
    if touched.all_events:
        changed.add(ALL_EVENTS)
    siblings -= changed
    if not changed and not siblings:
        return None
    version = connection.execute(select(DataVersion.version)).scalar_one()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for events, columns in ((changed, ("version", "changed")), (siblings, ("version",))):
        if not events:
            continue
        upsert = dialect.insert(EventVersion).values(
            [
                {"event_id": event_id, "version": version, "changed": version * (len(columns) - 1)}
                for event_id in sorted(events)
            ]
        )
        connection.execute(
            upsert.on_conflict_do_update(
                index_elements=[EventVersion.event_id],
                set_={column: getattr(upsert.excluded, column) for column in columns},
            )
        )
    return version


def has_table(connection: Connection, model) -> bool:
    """False for a database at a revision before the table's migration (the migration tests
    write to those); a connection that found the table once remembers it."""
    name = model.__tablename__
    if not connection.info.get(name):
        connection.info[name] = inspect(connection).has_table(name)
    return connection.info[name]


# The version reads run on every reader request, a cache hit included: plain SQL, so SQLAlchemy
# only binds and runs it (an expression built per call costs ten times the query).
DATA_VERSION = text("SELECT version FROM data_version")
EVENT_VERSION_OF = (
    f"(SELECT coalesce(max(version), 0) FROM event_version WHERE event_id IN ({ALL_EVENTS}, {{}}))"
)
EVENT_VERSION = text("SELECT " + EVENT_VERSION_OF.format(":id"))
ROW_EVENT_VERSION = {
    table: text(
        f"SELECT item.event_id, {EVENT_VERSION_OF.format('item.event_id')} "
        f"FROM {table} AS item WHERE item.id = :id"
    )
    for table in ("claim", "article")
}


def read_data_version(connection: Connection) -> int:
    """The store's data version: it changes with every committed write."""
    return connection.execute(DATA_VERSION).scalar() or 0


def read_event_version(connection: Connection, event_id: int) -> int:
    """The version an event's pages follow: it changes with every committed write to what they
    show (and with writes no one event holds), not with writes to other events."""
    return connection.execute(EVENT_VERSION, {"id": event_id}).scalar()


def read_row_event_version(connection: Connection, table: str, row_id: int) -> int | None:
    """`read_event_version` of the event a claim or article (`table`) belongs to, in one query;
    None when it belongs to none (or does not exist): its page then follows the data version."""
    row = connection.execute(ROW_EVENT_VERSION[table], {"id": row_id}).first()
    return None if row is None or row[0] is None else row[1]


def read_event_changes(connection: Connection, event_ids: list[int]) -> dict[int, int]:
    """Each event's `changed` version (of the last write to its own rows, or to no one event's),
    in one query (none on a store without versions)."""
    if not has_table(connection, EventVersion):
        return {}
    rows = dict(
        connection.execute(
            select(EventVersion.event_id, EventVersion.changed).where(
                EventVersion.event_id.in_([ALL_EVENTS, *event_ids])
            )
        ).all()
    )
    everything = rows.get(ALL_EVENTS, 0)
    return {event_id: max(everything, rows.get(event_id, 0)) for event_id in event_ids}


COMMITTED_VERSION = "parallax_committed_version"  # the version this transaction's bump took
PENDING_MEMOS = "parallax_pending_memos"  # what it leaves of events, kept once it commits
FORGOTTEN = object()  # pending: the transaction changed the event past what it remembered


class EventMemo:
    """What a transaction leaves of an event (rows it read and wrote), kept in this process for
    the later transactions of the same engine while the event's `changed` version
    (`read_event_changes`) stays the one that commit set: any other write to the event's own
    rows (another worker, an admin, a bulk write naming no rows) moves it, and the memo is then
    not used. The events remembered last are kept while their values' `weight` sums to at most
    `size`: by default each weighs 1 (`size` events); weighed by their rows, a store of thousands
    of small events and a few large ones keeps the events an ingest is working on."""

    def __init__(self, size: int, weight: Callable[[object], int] = lambda _value: 1):
        self.size = size
        self.weight = weight
        self._kept: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()  # a web process's job thread and its requests share it

    def remember(self, session: OrmSession, event_id: int, value: object) -> None:
        """Keep `value` once this transaction commits (dropped if it does not)."""
        session.info.setdefault(PENDING_MEMOS, {})[self, event_id] = value

    def forget(self, session: OrmSession, event_id: int) -> None:
        """This transaction changes the event past what it remembered of it (what an earlier
        commit left is outdated by this one's version, if it commits)."""
        session.info.setdefault(PENDING_MEMOS, {})[self, event_id] = FORGOTTEN

    def recall(self, session: OrmSession, event_id: int) -> object | None:
        """What a committed transaction of this process left of the event, while no write has
        changed the event since (this transaction's own included: one that remembered or forgot
        the event changed it); else None."""
        return self.recall_each(session, [event_id])[0].get(event_id)

    def recall_each(
        self, session: OrmSession, event_ids: list[int]
    ) -> tuple[dict[int, object], dict[int, int]]:
        """`recall` of each event, their versions read in one query: what is recalled, and each
        event's version now (for `note_read` of those not recalled)."""
        versions = read_event_changes(session.connection(), event_ids)
        pending = session.info.get(PENDING_MEMOS, {})
        with self._lock:
            entries = self._kept.get(session.get_bind(), _Kept()).entries
            kept = {event_id: entries[event_id] for event_id in event_ids if event_id in entries}
        recalled = {
            event_id: kept[event_id][1]
            for event_id in event_ids
            if (self, event_id) not in pending
            and event_id in kept
            and kept[event_id][0] == versions.get(event_id)
        }
        return recalled, versions

    def note_read(
        self, session: OrmSession, event_id: int, version: int | None, value: object
    ) -> None:
        """Keep what this transaction read of an event, at the version it read before: unless
        the transaction itself changed the event (remembered or forgot it)."""
        if version is not None and (self, event_id) not in session.info.get(PENDING_MEMOS, {}):
            self.keep(session.get_bind(), event_id, version, value)

    def keep(self, engine: Engine, event_id: int, version: int, value: object) -> None:
        with self._lock:
            kept = self._kept.setdefault(engine, _Kept())
            kept.drop(event_id)
            kept.entries[event_id] = (version, value, self.weight(value))
            kept.weight += kept.entries[event_id][2]
            while kept.weight > self.size and len(kept.entries) > 1:
                kept.drop(next(iter(kept.entries)))


@dataclass
class _Kept:
    """One engine's remembered events, oldest first: event id -> (version, value, weight)."""

    entries: OrderedDict[int, tuple[int, object, int]] = field(default_factory=OrderedDict)
    weight: int = 0

    def drop(self, event_id: int) -> None:
        entry = self.entries.pop(event_id, None)
        if entry is not None:
            self.weight -= entry[2]


@event.listens_for(OrmSession, "after_commit")
def _keep_memos(session: OrmSession) -> None:
    version = session.info.pop(COMMITTED_VERSION, None)
    pending = session.info.pop(PENDING_MEMOS, {})
    if version is not None:
        for (memo, event_id), value in pending.items():
            if value is not FORGOTTEN:
                memo.keep(session.get_bind(), event_id, version, value)


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_memos(session: OrmSession, transaction) -> None:
    """A transaction that ended without committing (rolled back, closed) keeps nothing."""
    if transaction.parent is None:
        session.info.pop(COMMITTED_VERSION, None)
        session.info.pop(PENDING_MEMOS, None)


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
