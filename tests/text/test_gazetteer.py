"""Tests for app/text/gazetteer.py: country names, capitals and demonyms from countryinfo."""

from app.text.gazetteer import canonical_words, expand_initialisms, gazetteer


def test_multi_word_names_become_one_token_longest_first():
    words = ["the", "united", "arab", "emirates", "and", "the", "united", "kingdom"]
    assert canonical_words(words) == ["the", "unitedarabemirates", "and", "the", "unitedkingdom"]


def test_capitals_of_small_territories_stay_names():
    assert canonical_words(["paris", "douglas", "hamilton"]) == ["france", "douglas", "hamilton"]


def test_a_demonym_shared_by_several_countries_goes_to_the_most_populous():
    assert canonical_words(["indian", "french"]) == ["india", "france"]


def test_initialisms_are_read_case_sensitively():
    assert expand_initialisms("U.S. and UK officials told us") == (
        "unitedstates and unitedkingdom officials told us"
    )
    assert gazetteer().initialisms["PRC"] == "china"
    assert "AR" not in gazetteer().initialisms  # "AR" is far more often not Argentina
    assert "IRA" not in gazetteer().initialisms  # nor "IRA" Afghanistan's formal name
