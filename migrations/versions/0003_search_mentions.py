"""search_mentions: a full-text index over each outlet's wording of a claim (SQLite: FTS5 kept in
sync by triggers; PostgreSQL: a generated tsvector column with a GIN index)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
INDEX, TABLE, COLUMN = "search_mention", "mention", "text"

# External-content FTS5 table like 0002's: the sentence stays in mention; triggers keep the index
# in step. A mention's claim is joined at query time, so re-alignment needs no re-indexing.
INSERT = f"INSERT INTO {INDEX}(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN});"
DELETE = f"INSERT INTO {INDEX}({INDEX}, rowid, {COLUMN}) VALUES ('delete', old.id, old.{COLUMN});"


# PostgreSQL: the generated column uses 0002's `parallax_search` configuration, weight A like a
# claim's own text, so an outlet's sentence and the claim's text rank alike.
POSTGRES_VECTOR = f"setweight(to_tsvector('parallax_search', coalesce({COLUMN}, '')), 'A')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED"
        )
        op.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_vector)")
        return
    for statement in [
        f"CREATE VIRTUAL TABLE {INDEX} USING fts5({COLUMN}, content='{TABLE}', "
        f"content_rowid='id', {TOKENIZE})",
        f"CREATE TRIGGER {INDEX}_insert AFTER INSERT ON {TABLE} BEGIN {INSERT} END",
        f"CREATE TRIGGER {INDEX}_delete AFTER DELETE ON {TABLE} BEGIN {DELETE} END",
        f"CREATE TRIGGER {INDEX}_update AFTER UPDATE OF {COLUMN} ON {TABLE} "
        f"BEGIN {DELETE} {INSERT} END",
        f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')",
    ]:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {TABLE} DROP COLUMN search_vector")  # drops its index too
        return
    for suffix in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {INDEX}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {INDEX}")
