"""Tests for app/flags.py: reference-free flags, each a sentence saying who has what."""

from app.flags import quote_wording_flags, reference_free_flags

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
