"""Shared fixtures: a fresh migrated database per test (SQLite, or PostgreSQL when
PARALLAX_TEST_DATABASE_URL names a server), settings pointing at it, the app."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from stores import ON_POSTGRES, SERVER_URL, PostgresDatabases, SqliteDatabases

from app.db import make_engine
from app.settings import Settings
from app.web import create_app

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"


def pytest_report_header() -> str:
    return f"store: PostgreSQL ({SERVER_URL})" if ON_POSTGRES else "store: SQLite"


@pytest.fixture(autouse=True)
def full_priority(monkeypatch) -> None:
    """Tests run `parallax ingest` and `parallax worker` in-process: at their default niceness
    each would lower the test run's own CPU priority for good."""
    monkeypatch.setenv("PARALLAX_INGEST_NICE", "0")


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[SqliteDatabases | PostgresDatabases]:
    store = PostgresDatabases(SERVER_URL) if ON_POSTGRES else SqliteDatabases(tmp_path_factory)
    yield store
    store.close()


@pytest.fixture
def new_database(databases) -> Iterator:
    """A factory of fresh databases (migrated unless `migrated=False`), dropped after the test."""
    created: list[str] = []

    def create(migrated: bool = True) -> str:
        created.append(databases.create(migrated))
        return created[-1]

    yield create
    for url in created:
        databases.drop(url)


@pytest.fixture(scope="module")
def module_database(databases) -> Iterator[str]:
    """One migrated database shared by a module's tests (for stores that are costly to build)."""
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def settings(new_database) -> Settings:
    return Settings(database_url=new_database())


@pytest.fixture
def engine(settings):
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as client:
        yield client
