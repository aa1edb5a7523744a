"""Metadata inference on the seeds without their manifest, compared with the manifest's truth."""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.ingest.clean import clean
from app.ingest.meta import (
    canonical_outlet,
    date_from_text,
    infer,
    parse_given_date,
    stated_offset,
)
from app.ingest.parse import GivenMeta, RawArticle, parse_bytes
from app.models import local_day

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TODAY = date(2026, 1, 15)


def manifest() -> dict[str, dict[str, str]]:
    with (SEEDS / "manifest.csv").open(encoding="utf-8") as handle:
        return {row["file"][:3]: row for row in csv.DictReader(handle)}


def inferred(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    [raw] = parse_bytes(path.name, path.read_bytes())  # bytes alone: no manifest
    assert raw.given == GivenMeta()
    return infer(raw, clean(raw.text), today=TODAY)


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_outlet_title_and_dateline_match_the_manifest(prefix):
    truth = manifest()[prefix]
    meta = inferred(prefix)
    assert meta.outlet == truth["outlet"]
    assert meta.title == truth["title"]
    assert meta.dateline == (truth["dateline"] or None)
    assert meta.language == "en"


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_inferred_date_agrees_with_the_manifest_at_its_precision(prefix):
    truth = date.fromisoformat(manifest()[prefix]["published_at"])
    meta = inferred(prefix)
    found = meta.published_at.date()
    if meta.date_precision == "day":
        assert found == truth
    else:
        assert meta.date_precision == "year"
        assert (found.year, found.month, found.day) == (truth.year, 1, 1)
        assert "date imprecise" in meta.attention_reasons


def test_washington_post_year_is_not_guessed_from_april_26_being_a_friday():
    # The text states no year: April 26 fell on a Friday in 2024, and also in 2019 and 2013.
    meta = inferred("004")
    assert (meta.published_at, meta.date_precision) == (None, None)
    assert meta.evidence["outlet"] == "media credit: (Video: The Washington Post)"
    assert meta.needs_attention


def test_npr_story_year_is_the_earliest_copyright_not_the_syndication_stamp():
    meta = inferred("002")
    assert meta.published_at.year == 2022
    assert meta.evidence["date"] == "copyright 2022"


def test_reuters_byline_beats_the_cnn_copyright_of_the_carrying_page():
    meta = inferred("003")
    assert meta.outlet == "Reuters"
    assert meta.evidence["outlet"] == "byline: Story by Reuters"


def test_wsj_is_recognised_from_its_publisher_dow_jones():
    assert inferred("000").outlet == "The Wall Street Journal"


def test_guardian_has_no_signature_so_outlet_and_date_stay_unknown():
    meta = inferred("001")
    assert meta.outlet is None and meta.published_at is None and meta.date_precision is None
    assert meta.unknown == ["outlet", "date"]
    assert meta.attention_reasons == ["unknown outlet", "unknown date"]
    assert meta.title == manifest()["001"]["title"]
    assert meta.dateline is None


def test_given_values_win_over_inference():
    raw = RawArticle(
        "x",
        "BEIJING — Officials met on Friday, April 26.\n\nCopyright 2024 The Washington Post",
        given=GivenMeta(outlet="reuters.com", published_at="2024-04-25", dateline="Beijing"),
    )
    meta = infer(raw, clean(raw.text), today=TODAY)
    assert meta.outlet == "Reuters"
    assert meta.published_at == datetime(2024, 4, 25, tzinfo=UTC)
    assert meta.dateline == "Beijing"
    assert meta.evidence["outlet"] == "given"


def test_outlet_from_url_domain():
    raw = RawArticle("x", "Some story text here.", given=GivenMeta(url="https://www.bbc.co.uk/n/1"))
    assert infer(raw, clean(raw.text), today=TODAY).outlet == "BBC"


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("washingtonpost.com", "The Washington Post"),
        ("Dow Jones", "The Wall Street Journal"),
        ("the guardian", "The Guardian"),
        ("AP", "The Associated Press"),
        ("KRDO NewsChannel 13", "KRDO NewsChannel 13"),
    ],
)
def test_canonical_outlet(name, outlet):
    assert canonical_outlet(name) == outlet


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("The vote on March 3, 2021 was close.", datetime(2021, 3, 3, tzinfo=UTC), "day"),
        ("Published 9 July 2022. Talks on 2022-07-08.", datetime(2022, 7, 9, tzinfo=UTC), "day"),
        ("© 2019 Example. They met on Tuesday.", datetime(2019, 1, 1, tzinfo=UTC), "year"),
        ("© 2022. On Saturday, July 9 the ministers met.", datetime(2022, 7, 9, tzinfo=UTC), "day"),
        ("No date anywhere, and Tuesday alone says nothing.", None, None),
        ("He will visit on December 24, 2030.", None, None),  # future: not a publication date
        (
            "The war began on February 24, 2022. On Tuesday talks resumed. © 2023 Reuters",
            datetime(2023, 1, 1, tzinfo=UTC),
            "year",
        ),
    ],
)
def test_date_from_text(text, expected, precision):
    found, found_precision, _evidence = date_from_text(text, TODAY)
    assert (found, found_precision) == (expected, precision)


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022", datetime(2022, 1, 1, tzinfo=UTC), "year"),
        ("2022-07", datetime(2022, 7, 1, tzinfo=UTC), "month"),
        ("2022-07-09", datetime(2022, 7, 9, tzinfo=UTC), "day"),
        ("2022-07-09T23:30:00-04:00", datetime(2022, 7, 10, 3, 30, tzinfo=UTC), "day"),
        ("July 9, 2022", datetime(2022, 7, 9, tzinfo=UTC), "day"),
        ("9 July 2022", datetime(2022, 7, 9, tzinfo=UTC), "day"),
        ("Sat, 09 Jul 2022 10:00:00 GMT", datetime(2022, 7, 9, 10, tzinfo=UTC), "day"),
    ],
)
def test_parse_given_date(value, expected, precision):
    assert parse_given_date(value) == (expected, precision)


@pytest.mark.parametrize(
    "value",
    [
        "2022-13",  # no month 13
        "2022-00",
        "2022-02-30",
        "July 9",  # which year?
        "Saturday",  # which Saturday?
        "9",
        "yesterday",  # relative to the moment of ingest, not of publication
        "2 days ago",
        "07/09/2022",  # July 9 or 7 September?
        "notadate",
    ],
)
def test_stated_dates_that_leave_a_part_to_guess_are_not_read(value):
    assert parse_given_date(value) is None


def test_unreadable_given_date_is_flagged_and_the_text_decides():
    raw = RawArticle("x", "Story. © 2021 Reuters", given=GivenMeta(published_at="someday"))
    meta = infer(raw, clean(raw.text), today=TODAY)
    assert (meta.published_at.year, meta.date_precision) == (2021, "year")
    assert "unreadable stated date 'someday'" in meta.attention_reasons


def test_impossible_given_date_leaves_the_date_unknown_and_flagged():
    stated = GivenMeta(outlet="BBC", title="Talks", published_at="2022-13")
    raw = RawArticle("x", "Officials met to talk.", given=stated)
    meta = infer(raw, clean(raw.text), today=TODAY)
    assert meta.published_at is None and meta.date_precision is None
    assert meta.attention_reasons == [
        "unknown date",
        "unreadable stated date '2022-13'",
    ]


def test_a_quoted_stated_value_never_splits_the_comma_separated_reasons():
    raw = RawArticle("x", "Story.", given=GivenMeta(published_at="Saturday, July 9"))
    reasons = infer(raw, clean(raw.text), today=TODAY).attention_reasons
    assert "unreadable stated date 'Saturday July 9'" in reasons
    assert all("," not in reason for reason in reasons)


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "ftp://bbc.co.uk/x"]
)
def test_a_source_url_that_is_not_http_is_dropped_and_flagged(url):
    raw = RawArticle("x", "Some story text here.", given=GivenMeta(outlet="BBC", url=url))
    meta = infer(raw, clean(raw.text), today=TODAY)
    assert meta.url is None
    scheme = url.split(":")[0]
    assert any(r.startswith(f"source URL dropped: '{scheme}:") for r in meta.attention_reasons)


def test_language_of_a_french_story():
    text = (
        "PARIS — Le gouvernement a annoncé mardi une nouvelle réforme des retraites, "
        "provoquant la colère des syndicats qui appellent à la grève."
    )
    raw = RawArticle("x", text)
    meta = infer(raw, clean(text), today=TODAY)
    assert meta.language == "fr"
    assert meta.dateline == "PARIS"


@pytest.mark.parametrize(
    ("first", "title"),
    [
        (
            "Flooding forces thousands from homes in Valencia",
            "Flooding forces thousands from homes in Valencia",
        ),
        ("Is the ceasefire holding?", "Is the ceasefire holding?"),
        ("“We will not back down,” the mayor said.”", None),
        ("The council voted on Monday to close the bridge.", None),
        ("VALENCIA, Spain — Floods forced thousands from homes", None),
        ("Floods", None),
    ],
)
def test_headline_is_the_first_paragraph_only_when_it_reads_as_one(first, title):
    text = f"{first}\n\nThe regional government said rescue teams had reached most villages."
    assert infer(RawArticle("x", text), clean(text), today=TODAY).title == title


@pytest.mark.parametrize(
    "text",
    [
        # A day the story looks ahead to is not its own day, whatever weekday it names.
        "The central bank held its rate on Wednesday. The next decision is due on August 16.",
        "Lawmakers debated the budget on Friday. It must pass by June 30.",
        "The strike closed the port on Wednesday and will last until March 15.",
        # Nor is a day the story looks back to.
        "Police cleared the square on Tuesday. Protesters had camped there since May 3.",
    ],
)
def test_days_ahead_or_behind_are_not_the_publication_date(text):
    assert date_from_text(text, TODAY) == (None, None, "")


def test_weekdays_the_story_looks_ahead_to_do_not_name_its_day():
    text = (
        "The ministers met on Friday, April 26, in Beijing, their third meeting of 2024. They will "
        "meet again on Thursday in Washington, and aides expect a joint statement by Thursday."
    )
    found, precision, evidence = date_from_text(text, TODAY)
    assert (found, precision) == (datetime(2024, 4, 26, tzinfo=UTC), "day")
    assert evidence == "April 26 on a Friday"


def test_dateline_day_takes_the_year_of_the_lead_weekday_not_of_a_possessive_one():
    text = (
        "SANTIAGO, June 4 (Reuters) - The death toll from Monday's earthquake in central Chile "
        "rose to five on Tuesday, the most since 2023, as rescuers searched collapsed houses.\n\n"
        "About 1,800 people spent the night in shelters."
    )
    assert date_from_text(text, TODAY) == (
        datetime(2024, 6, 4, tzinfo=UTC),
        "day",
        "dateline June 4 on a Tuesday",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The club agreed a July 29 deal with the pitcher, and he signed it on Friday.",
        "SANTIAGO, June 4 (Reuters) - The death toll rose to five on Tuesday, officials said.",
    ],
)
def test_a_month_day_and_weekday_in_a_text_stating_no_year_leave_the_year_unknown(text):
    # Any month-day falls on any weekday within a few years: the pair alone does not tell the year.
    found, precision, _ = date_from_text(text, TODAY)
    assert (found, precision) == (None, None)


def test_dateline_day_takes_the_copyright_year():
    text = (
        "BRUSSELS, Jan 27 (Reuters) - European Union governments agreed to extend economic "
        "sanctions against Russia for six months.\n\n© 2021 Reuters"
    )
    assert date_from_text(text, TODAY) == (
        datetime(2021, 1, 27, tzinfo=UTC),
        "day",
        "dateline January 27, copyright 2021",
    )


def test_dateline_day_falls_on_or_after_the_latest_date_the_story_reports():
    text = (
        "GENEVA, Jan 3 — The ceasefire agreed on December 30, 2023 held for a fourth day, "
        "monitors said."
    )
    assert date_from_text(text, TODAY) == (
        datetime(2024, 1, 3, tzinfo=UTC),
        "day",
        "dateline January 3, after December 30, 2023",
    )


def test_dateline_day_without_a_year_leaves_the_date_unknown_and_flagged():
    text = (
        "VALPARAISO, Chile, June 4 — Rescue teams that arrived on Sunday were still searching "
        "collapsed houses on Monday for survivors of the earthquake.\n\n"
        "The president will visit the region on Friday."
    )
    assert date_from_text(text, TODAY) == (None, None, "dateline June 4, year unknown")
    meta = infer(RawArticle("x", text), clean(text), today=TODAY)
    assert meta.dateline == "VALPARAISO, Chile"
    assert meta.published_at is None
    assert "unknown date" in meta.attention_reasons
    assert meta.evidence["date"] == "dateline June 4, year unknown"


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("2023-01-19T23:10:00-05:00", -300),
        ("2023-01-20T09:40:00+05:30", 330),
        ("2023-01-19T23:10:00Z", 0),
        ("Thu, 19 Jan 2023 23:10:00 -0500", -300),
        ("2023-01-19T23:10:00", None),
        ("2023-01-19", None),
        ("2023-01", None),
    ],
)
def test_stated_offset_is_the_zone_the_stated_time_carries(value, offset):
    assert stated_offset(value) == offset


def test_a_late_evening_us_time_is_stored_in_utc_with_its_offset_and_keeps_its_local_day():
    raw = RawArticle(
        "late.txt",
        "Council approves transit plan",
        given=GivenMeta(published_at="2023-01-19T23:10:00-05:00"),
    )
    meta = infer(raw, clean(raw.text), today=TODAY)
    assert meta.published_at == datetime(2023, 1, 20, 4, 10, tzinfo=UTC)
    assert meta.published_offset == -300
    assert local_day(meta.published_at, meta.published_offset) == date(2023, 1, 19)


def test_weekday_puts_a_month_day_in_the_latest_year_the_story_states():
    # An archived story (ECB+ 2_4ecb): February 22 fell on a Friday in 2008 and in 2019; the
    # story names 2008 as its latest year, so it is not filed eleven years later.
    text = (
        "The actor died on Friday, February 22, at his home. He won the award in 2007 and was "
        "nominated again in 2008."
    )
    assert date_from_text(text, TODAY) == (
        datetime(2008, 2, 22, tzinfo=UTC),
        "day",
        "February 22 on a Friday",
    )
