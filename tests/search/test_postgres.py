"""app/search/postgres.py: terms become a tsquery of quoted lexemes (the searches themselves run
in tests/test_search.py on the PostgreSQL store)."""

import pytest

from app.search.postgres import tsquery_text


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (["alignment"], "'alignment':*"),
        (["PRC", "s", "alignment"], "'PRC' & 's' & 'alignment':*"),
        (["x", "OR", "y"], "'x' & 'OR' & 'y':*"),
        (["it's", "a\\b"], "'it''s' & 'a\\\\b':*"),
    ],
)
def test_tsquery_text_quotes_every_term(terms, expected):
    assert tsquery_text(terms) == expected
