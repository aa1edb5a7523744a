"""The migrations build, from an empty database, exactly the schema the models describe."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel
from stores import postgres_only

import app.models  # noqa: F401
from app.db import POSTGRES_POOL, alembic_config, make_engine, migrate, migrated_by_alembic


def test_upgrade_empty_database_matches_models(new_database):
    url = new_database(migrated=False)
    migrate(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": migrated_by_alembic}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


@postgres_only
def test_postgresql_is_reached_through_psycopg_with_a_pinged_pool(settings):
    engine = make_engine(settings.database_url)
    with engine.connect() as first, engine.connect() as second:
        answers = [first.execute(text("SELECT 1")), second.execute(text("SELECT 2"))]
        assert [answer.scalar() for answer in answers] == [1, 2]
        assert engine.pool.checkedout() == 2
    assert engine.dialect.driver == "psycopg"
    assert engine.pool.size() == POSTGRES_POOL["pool_size"] and engine.pool._pre_ping
    engine.dispose()


def test_every_migration_downgrades_to_empty_and_upgrades_again(new_database):
    url = new_database()
    command.downgrade(alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(url)
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
