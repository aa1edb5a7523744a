"""search: full-text indexes over claims and articles (SQLite: FTS5 tables kept in sync by
triggers; PostgreSQL: generated tsvector columns with GIN indexes)

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


# PostgreSQL: one text search configuration that tokenizes like FTS5's `porter unicode61
# remove_diacritics 2` (accents folded, Porter stems, no stop words, so every word is searchable).
# Weighted vectors stand in for bm25's column weights (claim text 4 : speaker 1, title 5 : body 1).
POSTGRES_CONFIG = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH DICTIONARY parallax_stem (TEMPLATE = snowball, LANGUAGE = english)",
    "CREATE TEXT SEARCH CONFIGURATION parallax_search (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION parallax_search ALTER MAPPING FOR "
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, parallax_stem",
]
POSTGRES_VECTORS = {
    "claim": ("text", "speaker"),
    "article": ("title", "clean_text"),
}


def _weighted(column: str, weight: str) -> str:
    return f"setweight(to_tsvector('parallax_search', coalesce({column}, '')), '{weight}')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_CONFIG:
            op.execute(statement)
        for table, (first, second) in POSTGRES_VECTORS.items():
            vector = f"{_weighted(first, 'A')} || {_weighted(second, 'B')}"
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({vector}) STORED"
            )
            op.execute(f"CREATE INDEX search_{table} ON {table} USING gin (search_vector)")
        return
    for index, (table, columns) in INDEXES.items():
        for statement in _statements(index, table, columns):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in POSTGRES_VECTORS:
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")  # drops its index too
        op.execute("DROP TEXT SEARCH CONFIGURATION parallax_search")
        op.execute("DROP TEXT SEARCH DICTIONARY parallax_stem")
        return
    for index, (table, _columns) in INDEXES.items():
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
