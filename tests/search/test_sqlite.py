"""app/search/sqlite.py: terms become an FTS5 expression of quoted strings."""

import pytest

from app.search.sqlite import match_expression


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (["alignment"], '"alignment"*'),
        (["PRC", "s", "alignment"], '"PRC" "s" "alignment"*'),
        (["NEAR", "x", "OR", "AND", "z"], '"NEAR" "x" "OR" "AND" "z"*'),
        (['say "no'], '"say ""no"*'),
    ],
)
def test_match_expression_quotes_every_term(terms, expected):
    assert match_expression(terms) == expected
