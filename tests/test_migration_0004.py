"""migrations/versions/0004: stored quote-wording flags (reference-dependent) are dropped."""

import json

from sqlalchemy import text

from app.db import make_engine, migrate

STORED = [
    {"kind": "quote_wording_differs", "detail": "NPR quotes it differently from Reuters"},
    {"kind": "figures_differ", "detail": "NPR: 5 hour; Reuters: more than 5 hour"},
    {"kind": "not_reported_by", "detail": "AP"},
]


def test_upgrade_keeps_only_reference_free_flags(new_database):
    url = new_database(migrated=False)
    migrate(url, "0003")
    engine = make_engine(url)
    with engine.begin() as connection:
        for claim_id, flags in ((1, json.dumps(STORED)), (2, "[]"), (3, "not json")):
            connection.execute(
                text(
                    "INSERT INTO claim (id, kind, text, normalized, flags, outlet_count, "
                    "independent_count, created_at, updated_at) VALUES "
                    "(:id, 'quote', 'text', '', :flags, 1, 1, '2026-01-01', '2026-01-01')"
                ),
                {"id": claim_id, "flags": flags},
            )
    migrate(url)
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT id, flags FROM claim")).all())
    engine.dispose()
    assert json.loads(stored[1]) == STORED[1:]
    assert (stored[2], stored[3]) == ("[]", "not json")
