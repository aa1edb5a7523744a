"""Tests for app/db.py: the SQLite files that hold password hashes are private."""

import os
import stat

from sqlalchemy import text

from app.db import make_engine


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
