"""Tests for app/compare.py: word-level diffs and comparison flags for one claim."""

from app.compare import claim_flags, compare_claim, word_diff

GUARDIAN = {
    "article_id": 2,
    "outlet": "The Guardian",
    "text": "In five hours of talks, Blinken said he expressed deep concern.",
    "numbers": [{"value": 5.0, "unit": "hours", "text": "five hours"}],
}
NPR = {
    "article_id": 3,
    "outlet": "NPR",
    "text": "In five hours of talks, Blinken said he expressed deep concern.",
    "numbers": [{"value": 5.0, "unit": "hours", "text": "five hours"}],
    "wire_copy_of_id": 2,
}
REUTERS = {
    "article_id": 4,
    "outlet": "Reuters",
    "text": "Blinken said he discussed Ukraine during more than five hours of talks.",
    "numbers": [
        {"value": 5.0, "unit": "hours", "text": "more than five hours", "qualifier": "more than"}
    ],
}


def test_word_diff_ops_rebuild_both_phrasings():
    old = "Many people believe the United States suffers from a China-phobia."
    new = "Many people believe the United States suffers from an increasingly serious Sinophobia."
    ops = word_diff(old, new)
    assert ops[0] == {"op": "equal", "text": "Many people believe the United States suffers from "}
    assert {
        "op": "replace",
        "old": "a China-phobia.",
        "text": "an increasingly serious Sinophobia.",
    } in ops
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


def test_figures_that_disagree_are_flagged():
    result = compare_claim([GUARDIAN, NPR, REUTERS])
    flags = {flag["kind"]: flag["detail"] for flag in result["flags"]}
    assert flags["figures_differ"] == "NPR, The Guardian: 5 hour; Reuters: more than 5 hour"
    assert flags["wire_copy"] == "same wire copy: NPR repeats The Guardian"


def test_reference_choice_and_similarity():
    result = compare_claim([GUARDIAN, NPR, REUTERS], reference_article_id=4)
    assert result["reference"]["outlet"] == "Reuters"
    by_outlet = {m["outlet"]: m for m in result["mentions"]}
    assert by_outlet["Reuters"]["is_reference"] and by_outlet["Reuters"]["similarity"] == 100
    assert by_outlet["NPR"]["similarity"] == by_outlet["The Guardian"]["similarity"] < 80


def test_same_speaker_quoted_differently_is_flagged():
    npr = {
        "article_id": 3,
        "outlet": "NPR",
        "text": '"Many people believe that the United States is suffering from a China-phobia," '
        "he said.",
        "quote": "Many people believe that the United States is suffering from a China-phobia",
        "speaker": "Wang Yi",
    }
    reuters = {
        "article_id": 4,
        "outlet": "Reuters",
        "text": "“Many people believe that the United States is suffering from an increasingly "
        "serious bout of ‘Sinophobia’,” Wang was quoted as saying.",
        "quote": "Many people believe that the United States is suffering from an increasingly "
        "serious bout of ‘Sinophobia’",
        "speaker": "Wang Yi",
    }
    flags = compare_claim([npr, reuters])["flags"]
    assert flags == [
        {
            "kind": "quote_wording_differs",
            "detail": "NPR quotes it differently from Reuters: “a China-phobia” → "
            "“an increasingly serious bout of ‘Sinophobia’”",
        }
    ]
    other_speaker = dict(reuters, speaker="Antony Blinken")
    assert compare_claim([npr, other_speaker])["flags"] == [
        {"kind": "attribution_differs", "detail": "NPR says Wang Yi, Reuters says Antony Blinken"}
    ]


def test_different_quotes_of_the_same_speaker_are_not_flagged():
    reuters = {
        "article_id": 4,
        "outlet": "Reuters",
        "text": "He said he did not think China was behaving in a neutral way as it had supported "
        "Russia in the United Nations and “amplified Russian propaganda”.",
        "quote": "amplified Russian propaganda",
        "speaker": "Antony Blinken",
    }
    wsj = {
        "article_id": 1,
        "outlet": "WSJ",
        "text": "“I don’t think that China is in fact engaging in a way that suggests "
        "neutrality,” Mr. Blinken said.",
        "quote": "I don’t think that China is in fact engaging in a way that suggests neutrality",
        "speaker": "Antony Blinken",
    }
    assert claim_flags([reuters, wsj]) == []
    shortened = dict(wsj, article_id=5, outlet="NPR", quote="China is in fact engaging")
    (flag,) = claim_flags([wsj, reuters, shortened])
    assert flag["kind"] == "quote_wording_differs"
    assert "NPR" in flag["detail"] and "Reuters" not in flag["detail"]
    candid = dict(reuters, quote="the talks were useful and candid")
    reordered = dict(wsj, quote="candid and, in the end, useful")
    assert [f["kind"] for f in claim_flags([candid, reordered])] == ["quote_wording_differs"]


def test_outlets_that_covered_the_event_but_not_the_claim():
    result = compare_claim([GUARDIAN], event_outlets=["The Guardian", "Reuters", "NPR"])
    assert result["not_reported_by"] == ["NPR", "Reuters"]
    assert {"kind": "not_reported_by", "detail": "NPR, Reuters"} in result["flags"]


def test_no_mentions():
    assert compare_claim([])["mentions"] == []


def test_claim_flags_are_compare_claims_flags():
    mentions = [GUARDIAN, NPR, REUTERS]
    outlets = ["The Guardian", "NPR", "Reuters", "AP"]
    for reference in (None, 4):
        flags = claim_flags(mentions, reference_article_id=reference, event_outlets=outlets)
        assert {flag["kind"] for flag in flags} >= {"wire_copy", "not_reported_by"}
        assert flags == compare_claim(mentions, reference, outlets)["flags"]
    assert claim_flags([]) == []
