"""Tests for app/text/normalize.py: the one normalization of words and numbers."""

from app.text.normalize import content_tokens, normalize


def test_normalization_tables():
    assert normalize("The U.S. and the PRC’s G-20 talks") == "the us and the china g20 talks"
    assert normalize("United States officials didn’t say five") == "us officials did not say 5"
    assert content_tokens("Sinophobia") == content_tokens("China-phobia")
