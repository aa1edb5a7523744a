"""Tests for app/text/normalize.py: the one normalization of words and numbers."""

from app.text.normalize import content_tokens, normalize


def test_countries_numbers_and_contractions():
    assert (
        normalize("The U.S. and the PRC’s G-20 talks")
        == "the unitedstates and the china g 20 talks"
    )
    assert normalize("United States officials didn’t say five") == (
        "unitedstates officials did not say 5"
    )


def test_a_country_reads_the_same_by_name_initialism_demonym_or_capital():
    same = {normalize(text) for text in ("U.S.", "US", "USA", "United States", "American")}
    assert same == {"unitedstates"}
    assert normalize("Beijing and the Chinese") == normalize("China and the China")


def test_the_pronoun_us_is_not_a_country():
    assert normalize("they told us") == "they told us"
    assert content_tokens("they told us") == []


def test_hyphenated_compounds_share_their_joined_form():
    assert "chinaphobia" in content_tokens("China-phobia")
    assert set(content_tokens("Chinaphobia")) <= set(content_tokens("China-phobia"))
    assert set(content_tokens("G20")) <= set(content_tokens("G-20"))
    assert {"unitedst", "china"} <= set(content_tokens("U.S.-China ties"))
