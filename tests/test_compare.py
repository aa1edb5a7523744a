"""Tests for app/compare.py: word-level diffs and comparison flags for one claim."""

from app.compare import claim_flags, compare_claim, with_reference
from app.flags import reference_free_flags

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


def test_figures_that_disagree_are_flagged():
    result = compare_claim([GUARDIAN, NPR, REUTERS])
    flags = {flag["kind"]: flag["detail"] for flag in result["flags"]}
    assert flags["figures_differ"] == (
        "Figures differ: NPR and The Guardian: “five hours”; Reuters: “more than five hours”"
    )
    assert flags["wire_copy"] == "NPR and The Guardian carry the same wire text"


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
            "detail": "Reuters' quote has ‘an increasingly serious bout of ‘Sinophobia’’ where "
            "NPR has ‘a China-phobia’",
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
    assert {"kind": "not_reported_by", "detail": "Not reported by NPR and Reuters"} in result[
        "flags"
    ]


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


def test_typographic_variants_are_the_same_words():
    straight = dict(GUARDIAN, text='The PRC\'s "red line" - he said.')
    curly = dict(NPR, text="The PRC’s “red line” — he said.", wire_copy_of_id=None)
    npr = compare_claim([straight, curly])["mentions"][1]
    assert npr["same_words"]
    assert [op["op"] for op in npr["ops"]] == ["equal"]


def test_quoted_words_are_compared_apart_from_the_attribution():
    guardian = {
        "article_id": 1,
        "outlet": "The Guardian",
        "text": "“We see no signs,” Blinken told reporters at the Indonesian resort.",
        "quote": "We see no signs",
        "speaker": "Antony Blinken",
    }
    npr = dict(
        guardian,
        article_id=2,
        outlet="NPR",
        text="Blinken said of the People's Republic: “We see no signs.”",
    )
    compared = compare_claim([guardian, npr])["mentions"][1]
    assert compared["quote_same_words"] and not compared["same_words"]
    assert all(op["op"] == "equal" for op in compared["quote_ops"])
    assert "We see no signs" not in "".join(op["text"] for op in compared["ops"])


def test_the_stored_quote_flag_is_told_against_the_chosen_reference():
    npr = {
        "article_id": 3,
        "outlet": "NPR",
        "text": "“I raised our concerns,” he said.",
        "quote": "I raised our concerns",
        "speaker": "Antony Blinken",
    }
    reuters = dict(
        npr, article_id=4, outlet="Reuters", quote="I raised again our deep concerns", text="x"
    )
    stored = reference_free_flags([npr, reuters])
    assert [flag["kind"] for flag in stored] == ["quote_wording_differs"]
    (told,) = with_reference(stored, [npr, reuters], reference_article_id=4)
    assert told["detail"].startswith("NPR's quote")
    assert with_reference([], [npr], 3) == []
