"""Tests for app/flags.py: the flags that hold whatever phrasing is the reference."""

from app.flags import attribution_flags, reference_free_flags

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
