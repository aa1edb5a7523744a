"""search: FTS5 indexes over claims and articles, kept in sync by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

# External-content FTS5 tables: the text stays in claim/article; triggers keep the index in step.
INDEXES = {
    "search_claim": ("claim", ["text", "speaker"]),
    "search_article": ("article", ["title", "clean_text"]),
}


def _statements(index: str, table: str, columns: list[str]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {index}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {index}({index}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5({cols}, content='{table}', "
        f"content_rowid='id', {TOKENIZE})",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    for index, (table, columns) in INDEXES.items():
        for statement in _statements(index, table, columns):
            op.execute(statement)


def downgrade() -> None:
    for index, (table, _columns) in INDEXES.items():
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
