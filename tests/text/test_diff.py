"""Tests for app/text/diff.py: word changes with typography ignored, grouped into phrases."""

from app.text.diff import same_words, typography, word_diff


def test_ops_rebuild_both_phrasings():
    old = "Many people believe the United States suffers from a China-phobia."
    new = "Many people believe the United States suffers from an increasingly serious Sinophobia."
    ops = word_diff(old, new)
    assert ops[0] == {"op": "equal", "text": "Many people believe the United States suffers from "}
    assert ops[1] == {
        "op": "replace",
        "old": "a China-phobia.",
        "text": "an increasingly serious Sinophobia.",
    }
    assert "".join(op["text"] for op in ops) == new
    assert "".join(op.get("old", op["text"]) for op in ops if op["op"] != "insert") == old


def test_insertions_and_deletions():
    assert word_diff("we see no signs", "we see no signs whatsoever") == [
        {"op": "equal", "text": "we see no signs "},
        {"op": "insert", "text": "whatsoever"},
    ]
    assert word_diff("the tone was very professional", "the tone was professional")[1] == {
        "op": "delete",
        "text": "very ",
    }


def test_typography_makes_no_difference():
    assert typography("the PRC’s “line” — now") == 'the PRC\'s "line" - now'
    assert same_words("the PRC’s “red line”", 'The PRC\'s "red line".')
    assert not same_words("the red line", "the blue line")
    ops = word_diff("China’s “red line” — firmly", 'China\'s "red line" - firmly')
    assert [op["op"] for op in ops] == ["equal"]


def test_changes_separated_by_a_word_or_two_read_as_one_phrase():
    ops = word_diff("he met the minister on Friday", "he saw the envoy on Friday")
    assert ops == [
        {"op": "equal", "text": "he "},
        {"op": "replace", "old": "met the minister ", "text": "saw the envoy "},
        {"op": "equal", "text": "on Friday"},
    ]


def test_a_dash_between_words_is_punctuation():
    assert same_words("responsibly—as we have", "responsibly as we have")
    assert same_words("mutual respect … peaceful", "mutual respect, peaceful")
