"""Shared fixtures: a migrated SQLite database per test, settings pointing at it, the app."""

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import make_engine, migrate
from app.settings import Settings
from app.web import create_app

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty database upgraded to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path, migrated_template) -> Settings:
    db_path = tmp_path / "parallax.db"
    shutil.copy(migrated_template, db_path)
    return Settings(database_url=f"sqlite:///{db_path}")


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
