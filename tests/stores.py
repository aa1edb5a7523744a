"""Test databases: SQLite files, or databases on the PostgreSQL server that
PARALLAX_TEST_DATABASE_URL names (scripts/with-postgres starts one and sets it)."""

import itertools
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

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
    (`CREATE DATABASE ... TEMPLATE` copies files, far faster than migrating again).

    The server's own work runs on one background thread, one statement at a time (a template
    copies only while no other copy of it runs): the next migrated database is created while a
    test runs, and a finished test's database is dropped while the next one runs."""

    dialect = "postgresql"

    def __init__(self, server_url: str):
        self.server_url = make_url(server_url)
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"parallax_test_{os.getpid()}"
        self.numbers = itertools.count(1)
        self.template = f"{self.prefix}_template"
        self._execute(f"CREATE DATABASE {self.template}")
        migrate(self._url_of(self.template))
        self.server = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self.spare = self.server.submit(self._new, self.template)

    def create(self, migrated: bool = True) -> str:
        if not migrated:
            return self.server.submit(self._new, "template0").result()
        url = self.spare.result()
        self.spare = self.server.submit(self._new, self.template)
        return url

    def drop(self, url: str) -> None:
        self.server.submit(self._drop, url)

    def close(self) -> None:
        self.drop(self.spare.result())
        self.server.shutdown(wait=True)
        self._drop(self._url_of(self.template))
        self.admin.dispose()

    def _new(self, template: str) -> str:
        name = f"{self.prefix}_{next(self.numbers)}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self._url_of(name)

    def _drop(self, url: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def _url_of(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))
