"""migrations/versions/0008: stored flags recomputed as sentences, quote wording stored again."""

import json

from sqlalchemy import text

from app.db import make_engine, migrate


def test_upgrade_recomputes_each_live_claims_flags(new_database):
    url = new_database(migrated=False)
    migrate(url, "0007")
    engine = make_engine(url)
    now = "'2026-01-01'"
    with engine.begin() as connection:
        run = connection.execute
        run(text("INSERT INTO outlet (id, name) VALUES (1, 'Reuters'), (2, 'The Guardian')"))
        run(
            text(
                "INSERT INTO event (id, title, created_at, updated_at) "
                f"VALUES (1, 'e', {now}, {now})"
            )
        )
        for article_id in (1, 2):
            run(
                text(
                    "INSERT INTO article (id, outlet_id, event_id, source_name, raw_text, "
                    "clean_text, removed_lines, content_hash, needs_attention, "
                    "attention_reasons, event_locked, ingested_at) "
                    f"VALUES ({article_id}, {article_id}, 1, '', 'x', 'x', "
                    f"'[]', 'h{article_id}', false, '', false, {now})"
                )
            )
        run(
            text(
                "INSERT INTO claim (id, event_id, kind, text, normalized, flags, outlet_count, "
                f"independent_count, created_at, updated_at) VALUES (1, 1, 'quote', 't', '', "
                f"'[]', 2, 2, {now}, {now})"
            )
        )
        for article_id, quote in (
            (1, "I shared again that we are concerned"),
            (2, "we are concerned"),
        ):
            run(
                text(
                    'INSERT INTO mention (claim_id, article_id, kind, start, "end", text, quote, '
                    "speaker, numbers, manual) VALUES (1, :a, 'quote', 0, 1, :q, :q, 'Blinken', "
                    "'[]', false)"  # boolean literals both stores read
                ),
                {"a": article_id, "q": quote},
            )
    migrate(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT flags FROM claim WHERE id = 1")).scalar_one()
    engine.dispose()
    (flag,) = json.loads(stored)
    assert flag["kind"] == "quote_wording_differs"
    assert flag["detail"] == "Reuters' quote has ‘I shared again that’, absent from The Guardian"
