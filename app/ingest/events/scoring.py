"""An article's features against an event's profile into a match: score, reason, joinable."""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from rapidfuzz import fuzz

from app.ingest import patterns_events as P
from app.ingest.events.features import LEAD_PREFIX, PERSON_PREFIX, Features

JOIN_THRESHOLD = 6.0
# An article whose content keys, weighted by how few events hold them (IDF over the store), point
# at an event's profile with at least this cosine joins it: undated coverage (uploads, archives)
# has only its content to go by. When one side has a known day and the other not, a look-alike
# incident (same kind of news, other day) is likelier, so more is needed; when both days are known,
# the dates-and-names score decides. Both set on the odd ECB+ topics.
SIMILARITY_THRESHOLD = 0.2
HALF_DATED_SIMILARITY_THRESHOLD = 0.25
# An article whose full-text TF-IDF vector has at least this cosine with an event's text profile
# (the sum of its articles' vectors) joins it when dates allow: set on the odd ECB+ topics.
TEXT_THRESHOLD = 0.3
# Dates stated in the text can be wrong (a year guessed from a weekday, a follow-up weeks later):
# a text this similar joins whatever the dates say.
TEXT_OVER_DATES = 0.5
# Independent reports of one incident print the same quotation or wire sentence: an article sharing
# this many sampled 8-word shingles (`wording.shared_wording`) with an event's articles joins it
# when dates allow. Look-alike incidents share only stock phrases, which more events print.
WORDING_THRESHOLD = 2
# An event's lead people are those at least this share of its articles are about.
LEAD_SHARE = 0.5
CONTENT_MIN = 3.0  # shared names, terms and figures needed besides matching dates and datelines
OTHER_YEARS = "other years mentioned"
MAX_DAY_GAP = 7  # reports of one happening, follow-ups included, come within a week of it

WEIGHTS = {
    "same_day": 3.0,
    "near_day": 1.5,
    "same_dateline": 3.0,
    "dateline_named": 1.0,
    "other_dateline": -2.0,
    "person": 1.0,
    "place": 1.5,
    "name": 1.0,
    "term": 0.25,
    "figure": 1.0,  # 6.9, 5.5%, $1.2 billion, 220000: rarely shared by chance
    "number": 0.5,
    "year_mentioned": 1.0,
    "year_not_mentioned": 0.0,  # texts name past and future years freely: no evidence against
}


@dataclass(frozen=True)
class Profile:
    """An event as its keys describe it (key -> number of its articles holding the key).

    A candidate's profile may hold only the keys scoring reads (see `keys.load_profiles`)."""

    event_id: int
    title: str
    weights: dict[str, float]
    articles: int = 1
    content_squares: float = 0.0  # sum of squared weights of all its content keys, read or not

    def share(self, key: str) -> float:
        """How much of the event holds the key: a name one report of many mentions counts less."""
        return min(1.0, self.weights.get(key, 0.0) / max(self.articles, 1))

    def values(self, prefix: str) -> frozenset[str]:
        """The values of the keys with this prefix ("place:" -> {"bali", ...})."""
        return self._by_prefix.get(prefix, frozenset())

    @cached_property
    def _by_prefix(self) -> dict[str, frozenset[str]]:
        """Each key prefix's values, sorted out in one pass over an event's many keys."""
        grouped: dict[str, set[str]] = defaultdict(set)
        for key in self.weights:
            head, colon, value = key.partition(":")
            if colon:
                grouped[head + colon].add(value)
        return {prefix: frozenset(values) for prefix, values in grouped.items()}

    @cached_property
    def days(self) -> list[date]:
        return sorted(date.fromisoformat(d) for d in self.values("day:"))


@dataclass(frozen=True)
class Match:
    event_id: int
    score: float
    reason: str
    joinable: bool
    similarity: float = 0.0
    text: float = 0.0  # cosine of the article's TF-IDF vector and the event's text profile
    wording: int = 0  # sampled shingles the article shares with the event's articles


@dataclass(frozen=True)
class Rarity:
    """How rare each of an article's content keys is in the store: events holding it, of all."""

    holders: dict[str, int]
    events: int

    def idf(self, key: str) -> float:
        return math.log((self.events + 2) / (self.holders.get(key, 0) + 1))

    @property
    def rarest(self) -> float:
        """The IDF of a key one event holds: what an event's keys the article lacks weigh."""
        return math.log((self.events + 2) / 2)


def _date_verdict(f: Features, e: Profile) -> tuple[bool, float, str | None]:
    """(compatible, score, reason): far-apart dates mean different events, whatever is shared."""
    days, years, months = e.days, e.values("year:"), e.values("month:")
    if f.day and days:
        gap = min(abs((f.day - d).days) for d in days)
        if gap > MAX_DAY_GAP:
            return False, 0.0, f"dates {gap} days apart"
        if gap <= 1:
            return True, WEIGHTS["same_day"], "dates within 1 day"
        return True, WEIGHTS["near_day"], f"dates within {gap} days"
    if f.month and months and f.month not in months:
        return False, 0.0, "different months"
    if f.year and years and str(f.year) not in years:
        return False, 0.0, "different years"
    if f.year and years:
        return True, 0.0, "same year"
    mine = {str(f.year)} if f.year else {str(y) for y in f.text_years}
    theirs = years or e.values("textyear:")
    if mine and theirs:
        if mine & theirs:
            return True, WEIGHTS["year_mentioned"], "same year mentioned"
        return True, WEIGHTS["year_not_mentioned"], OTHER_YEARS
    return True, 0.0, None


def timing_agrees(f: Features, e: Profile) -> bool:
    """Nothing about when tells them apart: known dates agree (no text similarity overriding
    them) and the years the texts mention are not all different."""
    compatible, _, reason = _date_verdict(f, e)
    return compatible and reason != OTHER_YEARS


def similarity(f: Features, e: Profile, rarity: Rarity) -> float:
    """Cosine of the article's content keys and the event's, both weighted by IDF; the event's
    keys the article lacks (their rows are not read) weigh as keys one event holds."""
    keys = f.content_keys()
    shared = [k for k in keys if k in e.weights]
    if not shared:
        return 0.0
    share = {k: e.weights[k] / e.articles for k in shared}
    dot = math.fsum(rarity.idf(k) ** 2 * share[k] for k in shared)
    article_norm = math.sqrt(math.fsum(rarity.idf(k) ** 2 for k in keys))
    unread = max(0.0, e.content_squares - math.fsum(e.weights[k] ** 2 for k in shared))
    event_norm = math.sqrt(
        math.fsum((share[k] * rarity.idf(k)) ** 2 for k in shared)
        + unread / e.articles**2 * rarity.rarest**2
    )
    return dot / (article_norm * event_norm)


def _elsewhere(f: Features, e: Profile) -> bool:
    """Both sides name specific places and share none: a look-alike incident elsewhere."""
    mine = f.places | ({f.dateline} if f.dateline else set())
    theirs = e.values("place:") | e.values("dateline:")
    return bool(mine and theirs and not mine & theirs)


def _contrast(f: Features, e: Profile) -> str | None:
    """A look-alike incident told apart by whom it is about: the article is about someone the
    event never names, and the event (LEAD_SHARE of its articles) about someone the article never
    names ("Klitschko stops Thompson" against an event about Klitschko and Rahman). The reason,
    or None."""
    event_names = e.values(PERSON_PREFIX) | e.values("place:") | e.values("entity:")
    new = sorted(f.leads - _name_parts(event_names | e.values(LEAD_PREFIX)))
    missing = sorted(
        s
        for s in e.values(LEAD_PREFIX) - _name_parts(f.people | f.places | f.entities)
        if e.share(LEAD_PREFIX + s) >= LEAD_SHARE
    )
    return f"about {new[0]}, not {missing[0]}" if new and missing else None


def _name_parts(names: Iterable[str]) -> set[str]:
    return {part for name in names for part in name.split()}


def _similarity_needed(f: Features, e: Profile) -> float:
    """The content similarity that joins; none does when the event is elsewhere (`_elsewhere`)
    or both have known days (the score decides)."""
    if _elsewhere(f, e):
        return math.inf
    known_days = bool(f.day) + bool(e.days)
    return (SIMILARITY_THRESHOLD, HALF_DATED_SIMILARITY_THRESHOLD, math.inf)[known_days]


def score(
    f: Features, e: Profile, rarity: Rarity | None = None, text: float = 0.0, wording: int = 0
) -> Match:
    """Dates rule out; then dates, datelines and shared names/terms/figures add up to a score.
    With `rarity`, an IDF-weighted content similarity over the threshold also makes it joinable,
    and so do a text cosine (`texts.text_similarities`) over TEXT_THRESHOLD and `wording` (shared
    sampled shingles) at WORDING_THRESHOLD; none does for a look-alike elsewhere or about other
    people (`_contrast`) unless the text is TEXT_OVER_DATES similar."""
    if _elsewhere(f, e):
        text, wording = 0.0, 0
    contrast = _contrast(f, e) if text < TEXT_OVER_DATES else None
    if contrast:
        text, wording = 0.0, 0
    compatible, total, date_reason = _date_verdict(f, e)
    if not compatible and text >= TEXT_OVER_DATES:
        compatible, date_reason = True, f"{date_reason}, yet text {text:.2f} similar"
    if not compatible:
        return Match(e.event_id, float("-inf"), date_reason or "", joinable=False)
    reasons = [date_reason] if date_reason else []
    datelines = e.values("dateline:")
    if f.dateline and f.dateline in datelines:
        total += WEIGHTS["same_dateline"]
        reasons.insert(0, "same dateline")
    elif f.dateline and datelines:
        total += WEIGHTS["other_dateline"]
        reasons.insert(0, "different datelines")
    elif (f.dateline and f.dateline in e.values("place:") | e.values("entity:")) or datelines & (
        f.places | f.entities
    ):
        total += WEIGHTS["dateline_named"]
        reasons.insert(0, "dateline named in text")

    content, content_reasons = _content_score(f, e)
    reasons += content_reasons
    total += content
    alike = similarity(f, e, rarity) if rarity and not contrast else 0.0
    needed = _similarity_needed(f, e)
    if alike >= needed:
        reasons.append(f"content {alike:.2f} similar")
    elif content < CONTENT_MIN:
        reasons.append("too little in common")
    if text >= TEXT_THRESHOLD:
        reasons.append(f"text {text:.2f} similar")
    if wording >= WORDING_THRESHOLD:
        reasons.append(f"{wording} passages in the same words")
    if contrast:
        reasons.append(contrast)
    joinable = (
        alike >= needed
        or text >= TEXT_THRESHOLD
        or wording >= WORDING_THRESHOLD
        or (content >= CONTENT_MIN and total >= JOIN_THRESHOLD)
    )
    return Match(
        e.event_id,
        round(total, 2),
        ", ".join(reasons),
        joinable,
        round(alike, 3),
        round(text, 3),
        wording,
    )


def _content_score(f: Features, e: Profile) -> tuple[float, list[str]]:
    """What the article and the event share besides when and where they were reported from."""
    their_names = e.values("place:") | e.values("entity:")
    shared_names = (f.places | f.entities) & their_names - {f.dateline}
    shared_numbers = f.numbers & e.values("num:")
    people = _shared_people(f.people, e.values("person:"))
    terms = set(f.terms) & e.values("term:")
    score = (
        math.fsum(WEIGHTS["person"] * _held(e, "person:", p) for p in people)
        + math.fsum(
            WEIGHTS["place" if n in P.SPECIFIC_PLACES else "name"]
            * max(_held(e, "place:", n), _held(e, "entity:", n))
            for n in shared_names
        )
        + math.fsum(WEIGHTS["term"] * _held(e, "term:", t) for t in terms)
        + math.fsum(
            WEIGHTS["figure" if _is_figure(n) else "number"] * _held(e, "num:", n)
            for n in shared_numbers
        )
    )
    reasons = []
    if people or shared_names:
        reasons.append(f"{len(people) + len(shared_names)} shared names")
    if terms:
        reasons.append(f"{len(terms)} shared terms")
    if shared_numbers:
        reasons.append(f"{len(shared_numbers)} shared figures")
    similarity = fuzz.token_set_ratio(f.title.lower(), e.title.lower()) if f.title else 0
    if similarity >= 60:
        score += (similarity - 50) / 25
        reasons.append(f"title {similarity:.0f}% similar")
    return score, reasons


def _held(e: Profile, prefix: str, value: str) -> float:
    """A shared key counts by the share of the event's reports holding it (no hub events)."""
    share = e.share(prefix + value)
    if prefix == "person:" and not share:
        share = max(
            (e.share(k) for k in e.weights if k.startswith(prefix) and value in k), default=0
        )
    return share


def _is_figure(number: str) -> bool:
    return not number.isdigit() or len(number) >= 3


def _shared_people(mine: frozenset[str], theirs: set[str]) -> set[str]:
    """People in both, a lone surname matching a full name ("wang" and "wang yi")."""
    parts = {part for name in theirs for part in (name.split()[0], name.split()[-1])}
    return {p for p in mine if p in theirs or (" " not in p and p in parts)} | {
        p for p in mine if " " in p and {p.split()[0], p.split()[-1]} & theirs
    }
