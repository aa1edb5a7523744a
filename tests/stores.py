"""Test databases: SQLite files, or databases on the PostgreSQL server that
PARALLAX_TEST_DATABASE_URL names (scripts/with-postgres starts one and sets it)."""

import itertools
import os
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db import migrate

SERVER_URL = os.environ.get("PARALLAX_TEST_DATABASE_URL")
ON_POSTGRES = SERVER_URL is not None

postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs a PostgreSQL server: run under scripts/with-postgres"
)


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Skips a test on PostgreSQL; `reason` says why it cannot hold there."""
    return pytest.mark.skipif(ON_POSTGRES, reason=reason)


class SqliteDatabases:
    """Each database a file in its own temporary folder; migrated ones copy a migrated template."""

    dialect = "sqlite"

    def __init__(self, tmp_path_factory: pytest.TempPathFactory):
        self.folders = tmp_path_factory
        self.template = tmp_path_factory.mktemp("template") / "template.db"
        migrate(f"sqlite:///{self.template}")

    def create(self, migrated: bool = True) -> str:
        path = self.folders.mktemp("db") / "parallax.db"
        if migrated:
            shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, _url: str) -> None:
        """Nothing to do: pytest removes old temporary folders itself."""

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Each database created on the server; migrated ones from a template migrated once
    (`CREATE DATABASE ... TEMPLATE` copies files, far faster than migrating again)."""

    dialect = "postgresql"

    def __init__(self, server_url: str):
        self.server_url = make_url(server_url)
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"parallax_test_{os.getpid()}"
        self.numbers = itertools.count(1)
        self.template = f"{self.prefix}_template"
        self._execute(f"CREATE DATABASE {self.template}")
        migrate(self._url_of(self.template))

    def create(self, migrated: bool = True) -> str:
        name = f"{self.prefix}_{next(self.numbers)}"
        template = self.template if migrated else "template0"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self._url_of(name)

    def drop(self, url: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self._url_of(self.template))
        self.admin.dispose()

    def _url_of(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))
