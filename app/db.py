"""Database engine (SQLite in WAL mode with foreign keys on) and Alembic migration entry point."""

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        return create_engine(database_url, pool_pre_ping=True)
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


def migrated_by_alembic(_obj, name, type_, _reflected, _compare_to) -> bool:
    """Autogenerate filter: the FTS5 `search_*` tables belong to app.search's own migration."""
    return not (type_ == "table" and name.startswith("search_"))


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    make_engine(database_url).dispose()
    command.upgrade(alembic_config(database_url), revision)
