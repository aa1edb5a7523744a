"""Tests for app/flags.py: reference-free flags, each a sentence saying who has what."""

from app.flags import attribution_flags, quote_wording_flags, reference_free_flags

REUTERS = {
    "article_id": 1,
    "outlet": "Reuters",
    "quote": "I shared again with the state councilor that we have deep concerns",
    "speaker": "Antony Blinken",
}
GUARDIAN = dict(REUTERS, article_id=2, outlet="The Guardian", quote="we have deep concerns")
NPR = dict(GUARDIAN, article_id=3, outlet="NPR", quote="We have deep concerns")


def test_quote_flag_names_who_has_the_words():
    (flag,) = quote_wording_flags([REUTERS, GUARDIAN, NPR])
    assert flag["kind"] == "quote_wording_differs"
    assert flag["detail"] == (
        "Reuters' quote adds ‘I shared again with the state councilor that’, "
        "absent from The Guardian"
    )
    (against_reuters,) = quote_wording_flags([REUTERS, GUARDIAN], reference=REUTERS)
    assert against_reuters["detail"] == (
        "Reuters' quote has ‘I shared again with the state councilor that’, "
        "absent from The Guardian"
    )


def test_typography_and_case_alone_are_not_a_difference():
    curly = dict(NPR, quote="We have “deep” concerns")
    assert quote_wording_flags([GUARDIAN, curly]) == []
    assert quote_wording_flags([GUARDIAN, dict(NPR, speaker="Wang Yi", quote="x y")]) == []


def test_quote_wording_is_stored_with_the_reference_free_flags():
    kinds = [flag["kind"] for flag in reference_free_flags([REUTERS, GUARDIAN], ["AP"])]
    assert kinds == ["quote_wording_differs", "not_reported_by"]


def test_wire_text_is_carried_by_both_outlets():
    guardian = {"article_id": 2, "outlet": "The Guardian"}
    npr = {"article_id": 3, "outlet": "NPR", "wire_copy_of_id": 2}
    (flag,) = reference_free_flags([guardian, npr])
    assert flag == {"kind": "wire_copy", "detail": "NPR and The Guardian carry the same wire text"}


QUOTE = "The people of Dallas deserve to see every second of what happened on that road"


def mention(article_id, outlet, speaker, quote=QUOTE):
    return {
        "article_id": article_id,
        "outlet": outlet,
        "text": f'"{quote}," {speaker} said.',
        "quote": quote,
        "speaker": speaker,
    }


def test_outlets_naming_different_speakers_are_flagged_with_who_says_whom():
    mentions = [
        mention(1, "The Guardian", "Angela Whitfield"),
        mention(2, "Reuters", "Eric Johnson"),
        mention(3, "NPR", "Angela Whitfield"),
    ]
    assert attribution_flags(mentions) == [
        {
            "kind": "attribution_differs",
            "detail": "NPR and The Guardian say Angela Whitfield, Reuters says Eric Johnson",
        }
    ]
    assert "attribution_differs" in {f["kind"] for f in reference_free_flags(mentions)}


def test_names_of_one_person_are_not_an_attribution_difference():
    mentions = [
        mention(1, "CNN", "Ellen DeGeneres"),
        mention(2, "Reuters", "Comedian Ellen DeGeneres"),
        mention(3, "Variety", "DeGeneres"),
    ]
    assert attribution_flags(mentions) == []


def test_one_speaker_an_unnamed_one_or_one_outlet_is_no_flag():
    assert (
        attribution_flags([mention(1, "Reuters", "Eric Johnson"), mention(2, "AP", "Eric Johnson")])
        == []
    )
    assert attribution_flags([mention(1, "Reuters", "Eric Johnson"), mention(2, "AP", None)]) == []
    same_outlet = [mention(1, "Reuters", "Eric Johnson"), mention(1, "Reuters", "Angela Whitfield")]
    assert attribution_flags(same_outlet) == []
