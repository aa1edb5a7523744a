"""Tests for app/ingest/sentences.py: pysbd plus abbreviations, glued stops, quotes, datelines."""

from app.db import PROJECT_ROOT
from app.ingest.clean import clean
from app.ingest.sentences import split_sentences

SEEDS_DIR = PROJECT_ROOT / "seeds"


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    text = (
        "Sen. John Smith met Mr. Blinken in the U.S. on Friday. He said No. 2 was Gen. Li's pick."
    )
    assert texts(text) == [
        "Sen. John Smith met Mr. Blinken in the U.S. on Friday.",
        "He said No. 2 was Gen. Li's pick.",
    ]


def test_sentences_glued_by_a_missing_space_are_split():
    text = "It damages the rules-based order.Blinken said every nation stands to lose."
    assert texts(text) == [
        "It damages the rules-based order.",
        "Blinken said every nation stands to lose.",
    ]


def test_a_quotation_over_two_sentences_stays_in_one():
    text = (
        "That, he said, “serves the interests of the two countries and two peoples. It is also the "
        "shared aspiration of the international community.” US officials had said otherwise."
    )
    assert texts(text) == [
        "That, he said, “serves the interests of the two countries and two peoples. It is also the "
        "shared aspiration of the international community.”",
        "US officials had said otherwise.",
    ]


def test_a_quotation_in_mixed_glyphs_stays_in_one_sentence():
    text = (
        '"Nobody here reads the report,” said Ana Soto, a clerk. "It is ignored. The vote comes '
        'first," she said. The council met again on Monday.'
    )
    assert texts(text) == [
        '"Nobody here reads the report,” said Ana Soto, a clerk. "It is ignored. The vote comes '
        'first," she said.',
        "The council met again on Monday.",
    ]


def test_a_closing_mark_left_alone_ends_the_sentence_before_it():
    text = 'Lena Ortiz, Institute for Water Policy."\n\nThe vote is next week.'
    assert texts(text) == ['Lena Ortiz, Institute for Water Policy."', "The vote is next week."]


def test_a_dateline_is_not_part_of_the_first_sentence():
    text = "NUSA DUA, Indonesia — China's support for Russia is complicating relations. He said so."
    assert texts(text) == ["China's support for Russia is complicating relations.", "He said so."]


def test_paragraphs_are_boundaries_but_a_lower_case_line_continues():
    text = "The talks ended\n\nwithout a statement.\n\nA new paragraph starts here"
    assert texts(text) == ["The talks ended\n\nwithout a statement.", "A new paragraph starts here"]


def test_offsets_point_at_the_sentence_in_a_cleaned_seed():
    text = clean((SEEDS_DIR / "001_d197b4e38ea34f01.txt").read_text()).text
    sentences = split_sentences(text)
    assert len(sentences) > 20
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    assert "Blinken said every nation, China included, stands to lose if that order is eroded." in [
        s.text for s in sentences
    ]


def test_the_attribution_of_a_quoted_question_stays_with_it():
    text = (
        "“What changed in a single year to make him turn around?” Beck asked. Nobody answered.\n\n"
        "“Are you still with us? Good!” Alma Ruiz, a retired nurse, said into the phone."
    )
    assert [s.text for s in split_sentences(text)] == [
        "“What changed in a single year to make him turn around?” Beck asked.",
        "Nobody answered.",
        "“Are you still with us? Good!” Alma Ruiz, a retired nurse, said into the phone.",
    ]
