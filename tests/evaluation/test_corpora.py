"""Tests for app/evaluation/corpora.py: tokenised corpus text into readable articles."""

from sacremoses import MosesDetokenizer

from app.evaluation.corpora import detokenise, is_tokenised
from app.ingest.claims import extract_claims

ECBPLUS_LINE = (
    '" I see many houses were damaged and their roofs fell onto some people , " said '
    "Bensu Elianita , a 22 - year - old resident of Bukit Sama village ."
)


def test_straight_quote_tokens_open_and_close_in_turn():
    text = detokenise(ECBPLUS_LINE, MosesDetokenizer(lang="en"))
    assert text.startswith("\u201cI see many houses")
    assert "people, \u201d said Bensu Elianita, a 22-year-old resident" in text
    (claim,) = extract_claims(text)
    assert claim.quote == "I see many houses were damaged and their roofs fell onto some people"
    assert claim.speaker == "Bensu Elianita"


def test_ptb_text_is_told_from_plain_text():
    assert is_tokenised(ECBPLUS_LINE + "\n" + ECBPLUS_LINE)
    assert not is_tokenised('"I see many houses," said Bensu Elianita, a resident.')


def test_split_decimals_times_and_initials_are_rejoined():
    line = "A magnitude 4 . 6 quake struck at 2 : 09 , the U . S . Geological Survey said ."
    text = detokenise(line, MosesDetokenizer(lang="en"))
    assert text == "A magnitude 4.6 quake struck at 2:09, the U.S. Geological Survey said."
