"""Turns a raw article and its clean text into metadata: outlet, title, date, dateline, language."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import dateparser
import py3langid

from app.ingest import patterns
from app.ingest.clean import Cleaned
from app.ingest.parse import RawArticle
from app.urls import is_web_url

MAX_TITLE_CHARS = 200
MIN_TITLE_WORDS = 3
MIN_LANGUAGE_WORDS = 5
# The opening of a story tells its language as well as the whole text, at a fraction of the cost.
LANGUAGE_SAMPLE_CHARS = 400
# A story's own dateline comes after at most a page's navigation, headline and byline lines.
DATELINE_SEARCH_LINES = 15
# A written stated date must name its day, month and year: "July 9" or "Saturday" is a guess.
WRITTEN_DATE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "PARSERS": ["absolute-time"],  # no "yesterday" or "2 days ago": relative to what?
}
# A stated value quoted in an attention reason is cut to this length.
QUOTED_VALUE_CHARS = 40
OUTLET_BY_ALIAS = {
    name.casefold(): outlet
    for outlet, (aliases, _domains) in patterns.OUTLETS.items()
    for name in (outlet, *aliases)
}


@dataclass
class ArticleMeta:
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    date_precision: str | None = None  # "day", "month" or "year"
    published_offset: int | None = None  # minutes east of UTC of the stated time, when stated
    dateline: str | None = None
    language: str | None = None
    unknown: list[str] = field(default_factory=list)  # fields nobody stated and inference missed
    evidence: dict[str, str] = field(default_factory=dict)  # field -> where its value came from
    unusable: list[str] = field(default_factory=list)  # stated values set aside, and why

    @property
    def attention_reasons(self) -> list[str]:
        reasons = [f"unknown {name}" for name in self.unknown] + self.unusable
        if self.published_at and self.date_precision != "day":
            reasons.append("date imprecise")
        return reasons

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention_reasons)


def infer(raw: RawArticle, cleaned: Cleaned, *, today: date | None = None) -> ArticleMeta:
    today = today or datetime.now(UTC).date()
    given = raw.given
    meta = ArticleMeta()
    if given.url and is_web_url(given.url):
        meta.url = given.url
    elif given.url:
        meta.unusable.append(f"source URL dropped: {_quoted(given.url)} is not http(s)")
    paragraphs = cleaned.text.split("\n\n") if cleaned.text else []

    meta.outlet, meta.evidence["outlet"] = _outlet(given.outlet, meta.url, raw.text)
    if given.title:
        meta.title, meta.evidence["title"] = given.title, "given"
    elif title := headline(paragraphs):
        meta.title, meta.evidence["title"] = title, "first line"
    stated = parse_given_date(given.published_at) if given.published_at else None
    if stated:
        meta.published_at, meta.date_precision = stated
        meta.published_offset = stated_offset(given.published_at)
        meta.evidence["date"] = "given"
    else:
        if given.published_at:
            meta.unusable.append(f"unreadable stated date {_quoted(given.published_at)}")
        meta.published_at, meta.date_precision, meta.evidence["date"] = date_from_text(
            raw.text, today
        )
    if given.dateline:
        meta.dateline, meta.evidence["dateline"] = given.dateline, "given"
    elif place := dateline(paragraphs):
        meta.dateline, meta.evidence["dateline"] = place, "dateline"
    meta.language = language(cleaned.text)

    meta.unknown = [
        name
        for name, value in (
            ("outlet", meta.outlet),
            ("title", meta.title),
            ("date", meta.published_at),
        )
        if not value
    ]
    meta.evidence = {name: how for name, how in meta.evidence.items() if how}
    return meta


# --- outlet -------------------------------------------------------------------------------------


def canonical_outlet(name: str) -> str:
    """The canonical outlet of a domain or alias ("washingtonpost.com", "Dow Jones"), else name."""
    return _outlet_for_domain(name) or _outlet_for_alias(name) or name.strip()


def _outlet(given: str | None, url: str | None, text: str) -> tuple[str | None, str]:
    if given:
        return canonical_outlet(given), "given"
    if url and (outlet := _outlet_for_domain(urlsplit(url).hostname or "")):
        return outlet, "url domain"
    return outlet_signature(text) or (None, "")


def outlet_signature(text: str) -> tuple[str, str] | None:
    """The strongest signature in the text (byline over copyright over credits), first one wins."""
    for kind, regex in patterns.OUTLET_SIGNATURES:
        for match in regex.finditer(text):
            if outlet := _outlet_for_alias(match.group("name")):
                return outlet, f"{kind}: {match.group(0).strip()}"
    return None


def _outlet_for_alias(name: str) -> str | None:
    key = name.casefold().strip()
    return OUTLET_BY_ALIAS.get(key) or OUTLET_BY_ALIAS.get(key.removeprefix("the "))


def _outlet_for_domain(host: str) -> str | None:
    host = host.casefold().strip().removeprefix("www.")
    if "." not in host or " " in host:
        return None
    for outlet, (_aliases, domains) in patterns.OUTLETS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return outlet
    return None


# --- title and dateline -------------------------------------------------------------------------


def headline(paragraphs: list[str]) -> str | None:
    """The first paragraph when it reads as a headline: short, no final full stop, no dateline."""
    if not paragraphs:
        return None
    first = paragraphs[0]
    if (
        len(first) <= MAX_TITLE_CHARS
        and len(first.split()) >= MIN_TITLE_WORDS
        and not first.rstrip("”’\"'").endswith((".", ",", ";", ":"))
        and not patterns.DATELINE.match(first)
    ):
        return first
    return None


def dateline(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs[:3]:
        if match := patterns.DATELINE.match(paragraph):
            return match.group("place").strip()
    return None


# --- date ---------------------------------------------------------------------------------------


def _quoted(value: str) -> str:
    """A stated value fit for the comma-separated attention reasons: quoted, short, no comma."""
    flat = " ".join(value.replace(",", " ").split())
    if len(flat) > QUOTED_VALUE_CHARS:
        flat = flat[: QUOTED_VALUE_CHARS - 1] + "…"
    return f"'{flat}'"


def parse_given_date(value: str) -> tuple[datetime, str] | None:
    """A stated date (aware, UTC) and its precision, or None: see `read_given_date`."""
    read = read_given_date(value)
    return (_utc(read[0]), read[1]) if read else None


def stated_offset(value: str) -> int | None:
    """The UTC offset, in minutes, that a stated date and time carries ("...T23:10:00-05:00"
    -> -300): the outlet's local time, whose day is the publication day. None without a zone."""
    read = read_given_date(value)
    offset = read[0].utcoffset() if read and read[1] == "day" else None
    return None if offset is None else int(offset.total_seconds() // 60)


def read_given_date(value: str) -> tuple[datetime, str] | None:
    """A stated date as stated (in its own zone, if any) and its precision, or None when it is
    unreadable or leaves a part to guess.

    Read are a year ("2022"), a year and month ("2022-07"), an ISO date or datetime
    ("2022-07-09T10:00Z") and a written date naming day, month and year ("July 9, 2022",
    "Sat, 09 Jul 2022 10:00:00 GMT"). Not read: impossible dates ("2022-13"), dates missing a part
    ("July 9", "Saturday"), relative ones ("yesterday") and all-numeric non-ISO forms
    ("07/09/2022": July 9 or 7 September?)."""
    value = value.strip()
    try:
        if patterns.STATED_YEAR.fullmatch(value):
            return datetime(int(value), 1, 1, tzinfo=UTC), "year"
        if match := patterns.STATED_MONTH.fullmatch(value):
            return datetime(int(match["year"]), int(match["month"]), 1, tzinfo=UTC), "month"
        return datetime.fromisoformat(value.replace("Z", "+00:00")), "day"
    except ValueError:
        pass
    if patterns.NUMERIC_DATE.fullmatch(value):
        return None
    parsed = dateparser.parse(value, settings=WRITTEN_DATE_SETTINGS)
    return (parsed, "day") if parsed else None


def date_from_text(text: str, today: date) -> tuple[datetime | None, str | None, str]:
    """The story's day from its own words, with the precision that evidence allows.

    Only days the story speaks of as its present count: a date or weekday it puts ahead ("due on
    August 16", "will meet on Thursday", "by Monday") or behind ("since May 3", "Monday's quake")
    is another day. In order of strength:

    1. A dated dateline ("SANTIAGO, June 4 (Reuters) -"), see _dateline_date.
    2. Explicit dates (of the copyright year when there is one: an older date is history the
       story recalls), the latest on a weekday the story names, else the latest.
    3. A month-day mention on the weekday the story names most ("April 26" + "Friday"), in the
       copyright year, else in the latest year the text states or the one after, whichever fell
       on that weekday; in a text stating no year, none.
    4. The copyright year alone, at year precision.

    Of several copyright years the earliest is the story's: later ones are stamps a syndicating
    page adds when it re-serves old copy (NPR's "[Copyright 2024 NPR]" under a 2022 story), and a
    story can never carry a copyright older than itself."""
    years = [int(y) for y in patterns.COPYRIGHT_YEAR.findall(text) if int(y) <= today.year]
    year = min(years) if years else None
    explicit = [d for d in _full_dates(text) if d <= today and (year is None or d.year == year)]
    if lead := _dated_lead(text):
        return _dateline_date(lead, year, explicit, today)
    weekdays = Counter(_weekdays(text))
    if explicit:
        named = [d for d in explicit if _weekday(d) in weekdays]
        chosen = max(named or explicit)
        return _midnight(chosen), "day", "explicit date"
    if weekdays:
        main_weekday = weekdays.most_common(1)[0][0]
        years_searched = [year] if year else _years_to_search(text, today)
        resolved = _resolve_month_day(_month_days(text), main_weekday, years_searched, today)
        if resolved:
            evidence = f"{resolved:%B} {resolved.day} on a {main_weekday.title()}"
            return _midnight(resolved), "day", evidence
    if year:
        return datetime(year, 1, 1, tzinfo=UTC), "year", f"copyright {year}"
    return None, None, ""


def _dateline_date(
    lead: re.Match[str], year: int | None, explicit: list[date], today: date
) -> tuple[datetime | None, str | None, str]:
    """The dateline's month and day are the story's; its year comes from, in order:
    the copyright year; the year of the latest explicit date in the text (the story is dated on
    or after the days it reports, so "Jan 3" after "December 30, 2023" is 2024); the one weekday
    the lead names for its news ("rose to five on Tuesday"), taking the latest year that day fell
    on it. Without any of these, or with a lead naming several weekdays, the year is not guessed:
    the date stays unknown (and so flagged for attention), the evidence keeping the month-day."""
    month, day = _month_number(lead.group("month")), int(lead.group("day"))
    stated = f"dateline {date(2000, month, day):%B} {day}"
    if year and (found := _on_or_after(month, day, date(year, 1, 1), today)):
        return _midnight(found), "day", f"{stated}, copyright {year}"
    if explicit:
        latest = max(explicit)
        if found := _on_or_after(month, day, latest, today):
            return (
                _midnight(found),
                "day",
                f"{stated}, after {latest:%B} {latest.day}, {latest.year}",
            )
    named = set(_weekdays(lead.string))
    if len(named) == 1:
        [weekday] = named
        years = _years_to_search(lead.string, today)
        if found := _resolve_month_day([(month, day)], weekday, years, today):
            return _midnight(found), "day", f"{stated} on a {weekday.title()}"
    return None, None, f"{stated}, year unknown"


def _on_or_after(month: int, day: int, earliest: date, today: date) -> date | None:
    """The first month-day on or after earliest, within a year of it, if it is not in the future."""
    for year in (earliest.year, earliest.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if earliest <= candidate <= today:
            return candidate
    return None


def _dated_lead(text: str) -> re.Match[str] | None:
    """The lead paragraph when it opens with a dated dateline. Only the first dateline near the
    top counts: a later one belongs to another story quoted or listed on the page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:DATELINE_SEARCH_LINES]:
        if match := patterns.DATELINE.match(line):
            return match if match.group("month") else None
    return None


def _is_other_day(text: str, start: int, end: int) -> bool:
    """Whether the date or weekday at text[start:end] is qualified as a day other than the
    story's own: ahead of it, behind it, or the day of an event named by its possessive."""
    if patterns.POSSESSIVE.match(text, end):
        return True
    before = text[max(0, start - patterns.OTHER_DAY_WINDOW) : start]
    clause = patterns.CLAUSE_BREAK.split(before)[-1]
    return bool(
        patterns.OTHER_DAY_QUALIFIER.search(before) or patterns.OTHER_DAY_CLAUSE.search(clause)
    )


def _weekdays(text: str) -> list[str]:
    return [
        match.group(1).lower()
        for match in patterns.WEEKDAY.finditer(text)
        if not _is_other_day(text, match.start(), match.end())
    ]


def _utc(moment: datetime) -> datetime:
    """Stored datetimes are aware and in UTC; a date without a zone is taken as UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _resolve_month_day(
    month_days: list[tuple[int, int]], weekday: str, years: list[int], today: date
) -> date | None:
    """The latest of the month-days that fell on the weekday in one of the years (latest first)."""
    candidates = []
    for month, day in month_days:
        for candidate_year in sorted(years, reverse=True):
            try:
                candidate = date(candidate_year, month, day)
            except ValueError:
                continue
            if candidate <= today and _weekday(candidate) == weekday:
                candidates.append(candidate)
                break
    return max(candidates) if candidates else None


def _years_to_search(text: str, today: date) -> list[int]:
    """Years a month-day without its year may fall in: the latest the text states and the one
    after (a story is dated on or after the years it reports). A text stating no year gives none:
    any month-day falls on any weekday within seven years, so the pair alone does not tell the
    year, and a guessed one (the latest fitting year) puts an old story years off."""
    stated = [int(y) for y in patterns.YEAR_IN_TEXT.findall(text) if int(y) <= today.year]
    if not stated:
        return []
    return [y for y in (max(stated), max(stated) + 1) if y <= today.year]


def _full_dates(text: str) -> list[date]:
    dates = []
    for match in patterns.FULL_DATE.finditer(text):
        if _is_other_day(text, match.start(), match.end()):
            continue
        try:
            if match.group("iso"):
                dates.append(date.fromisoformat(match.group("iso")))
            elif match.group("month"):
                month = _month_number(match.group("month"))
                dates.append(date(int(match.group("year")), month, int(match.group("day"))))
            else:
                month = _month_number(match.group("month2"))
                dates.append(date(int(match.group("year2")), month, int(match.group("day2"))))
        except ValueError:
            continue
    return dates


def _month_days(text: str) -> list[tuple[int, int]]:
    found = []
    for match in patterns.MONTH_DAY.finditer(text):
        if _is_other_day(text, match.start(), match.end()):
            continue
        month = match.group("month") or match.group("month2")
        day = match.group("day") or match.group("day2")
        found.append((_month_number(month), int(day)))
    return found


def _month_number(name: str) -> int:
    prefix = name.rstrip(".").lower()[:3]
    return next(i for i, month in enumerate(patterns.MONTHS, start=1) if month.startswith(prefix))


def _weekday(day: date) -> str:
    return patterns.WEEKDAYS[day.weekday()]


# --- language -----------------------------------------------------------------------------------


def language(text: str) -> str | None:
    if len(text.split()) < MIN_LANGUAGE_WORDS:
        return None
    code, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return code
