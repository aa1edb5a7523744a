"""A stored article into its event features: people, places, names, terms, figures, dates."""

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from app.ingest import patterns_events as P
from app.ingest.patterns import DATELINE
from app.ingest.patterns_claims import TITLE_WORDS
from app.models import Article

TOP_TERMS = 30
# The keys that say what happened (who, where, what, which figures), as against when and whence.
CONTENT_PREFIXES = ("person:", "place:", "entity:", "term:", "num:")
PERSON_PREFIX = "person:"  # EventKey of a person: PERSON_PREFIX + lower-case name without titles
LEAD_PREFIX = "lead:"  # EventKey of a person the story is about: LEAD_PREFIX + surname
# Articles whose text analysis is kept: rebuilding an event reads every one of its articles again.
TEXT_ANALYSES_KEPT = 4096


@dataclass(frozen=True)
class Features:
    """What tells one happening from another, extracted from one article."""

    title: str
    day: date | None  # known publication day
    year: int | None  # known publication year (day, month or year precision)
    month: str | None  # known publication month, "YYYY-MM"
    text_years: frozenset[int]  # years the text mentions (soft evidence when the date is unknown)
    dateline: str | None
    people: frozenset[str]
    places: frozenset[str]  # specific places: cities, islands, venues
    entities: frozenset[str]  # organisations, groupings and other names
    terms: tuple[str, ...]  # the most frequent content words, most frequent first
    numbers: frozenset[str]
    words: tuple[tuple[str, float], ...] = ()  # every content word, with its damped frequency
    leads: frozenset[str] = frozenset()  # surnames of the people the story is about (`_leads`)

    def keys(self) -> list[str]:
        keys = [PERSON_PREFIX + p for p in self.people]
        keys += [f"place:{p}" for p in self.places]
        keys += [f"entity:{e}" for e in self.entities]
        keys += [f"term:{t}" for t in self.terms]
        keys += [f"num:{n}" for n in self.numbers]
        keys += [f"textyear:{y}" for y in self.text_years]
        keys += [LEAD_PREFIX + s for s in self.leads]
        if self.dateline:
            keys.append(f"dateline:{self.dateline}")
        if self.day:
            keys.append(f"day:{self.day.isoformat()}")
        if self.month:
            keys.append(f"month:{self.month}")
        if self.year:
            keys.append(f"year:{self.year}")
        return sorted(set(keys))

    def content_keys(self) -> list[str]:
        return [key for key in self.keys() if key.startswith(CONTENT_PREFIXES)]


def person_key(name: str) -> str:
    """A person's EventKey: "Secretary of State Antony Blinken’s" -> "person:antony blinken"."""
    tokens = [_bare(t).rstrip(".") for t in name.split()]
    ignored = TITLE_WORDS | P.STOP_ENTITIES
    return PERSON_PREFIX + " ".join(t for t in tokens if t and t not in ignored)


def _bare(token: str) -> str:
    token = token.lower().replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    return token.rstrip("'")


def _normalize_place(text: str | None) -> str | None:
    if not text:
        return None
    place = text.split(",")[0].strip().lower()
    return place or None


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t“\"'‘(")
    return not before or before[-1] in ".!?:\n—–-"


def _names(text: str) -> tuple[set[str], set[str], set[str]]:
    """People, specific places and other entities named in the text."""
    runs = [run for line in text.splitlines() if not _headline_case(line) for run in _runs(line)]
    mid_sentence = {t for tokens, start, _ in runs if not start for t in tokens}
    by_part: dict[str, set[str]] = {}
    for tokens, _, _ in runs:
        if _looks_like_person(tokens):
            for part in (tokens[0], tokens[-1]):
                by_part.setdefault(part, set()).add(" ".join(tokens))

    people, places, entities = set(), set(), set()
    for tokens, at_start, honorific in runs:
        name = " ".join(tokens)
        if len(tokens) == 1 and at_start and name not in mid_sentence and not honorific:
            continue
        if name in P.CONTEXT_PLACES:
            continue
        if name in P.SPECIFIC_PLACES:
            places.add(name)
        elif _looks_like_person(tokens):
            people.add(name)
        elif len(tokens) == 1 and len(by_part.get(name, ())) == 1:
            people.add(next(iter(by_part[name])))
        elif len(tokens) == 1 and honorific:
            people.add(name)
        elif len(name) > 1 and len(tokens) <= P.MAX_NAME_TOKENS:
            entities.add(re.sub(r"(?<=[a-z])-(?=\d)", "", name))
    return people, places, entities


def _headline_case(line: str) -> bool:
    words = [w for w in line.split() if w[:1].isalpha()]
    capitalized = sum(w[0].isupper() for w in words)
    return len(words) >= 4 and capitalized / len(words) >= P.HEADLINE_CASE_SHARE


def _runs(line: str) -> list[tuple[list[str], bool, bool]]:
    """Name runs split at titles and stop words: (tokens, at sentence start, after honorific)."""
    runs = []
    for match in P.NAME_RUN.finditer(line):
        segment: list[str] = []
        at_start = _sentence_start(line, match.start())
        honorific = False
        for raw in match.group().split():
            token = _bare(raw)
            plain = token.rstrip(".")
            if {token, plain} & (TITLE_WORDS | P.STOP_ENTITIES):
                if segment:
                    runs.append((segment, at_start, honorific))
                segment, at_start = [], False
                honorific = plain in P.HONORIFICS
                continue
            segment.append(plain if len(plain) > 1 else token)
            if raw.endswith(("’s", "'s")):  # "Japan's Kenji Hayashida": two names
                runs.append((segment, at_start, honorific))
                segment, at_start, honorific = [], False, False
        if segment:
            runs.append((segment, at_start, honorific))
    return runs


def _looks_like_person(tokens: list[str]) -> bool:
    return (
        2 <= len(tokens) <= 3
        and all(t.replace("-", "").replace("'", "").isalpha() for t in tokens)
        and not any(t in P.NON_PERSON_WORDS for t in tokens)
        and " ".join(tokens) not in P.SPECIFIC_PLACES
    )


def _leads(title: str, story: str, people: set[str]) -> set[str]:
    """Surnames of the people named in full whom the story is about: in its title, or by surname
    at least P.LEAD_MENTIONS times (a person quoted or named in passing is not what it reports)."""
    leads = set()
    for person in (p for p in people if " " in p):
        surname = person.split()[-1]
        found = re.compile(rf"(?<![\w’']){re.escape(surname)}(?![\w’'])", re.IGNORECASE)
        in_title = any(m.group()[0].isupper() for m in found.finditer(title))
        mentions = sum(m.group()[0].isupper() for m in found.finditer(story))
        if in_title or mentions >= P.LEAD_MENTIONS:
            leads.add(surname)
    return leads


def _terms(title: str, text: str, names: set[str]) -> tuple[str, ...]:
    name_words = {w for n in names for w in n.split()}
    counts: Counter[str] = Counter()
    for weight, source in ((3, title), (1, text)):
        for word in P.WORD.findall(source.lower()):
            word = _bare(word)
            if len(word) < 4 or word in P.STOP_TERMS or word in name_words:
                continue
            counts[_stem(word)] += weight
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(word for word, _ in ranked[:TOP_TERMS])


def _words(title: str, text: str) -> tuple[tuple[str, float], ...]:
    """Each content word of the title and text with 1 + log of its count, the title's counted
    TITLE_WORD_COUNT times: the article's term frequencies for TF-IDF."""
    counts: Counter[str] = Counter()
    for repeat, source in ((P.TITLE_WORD_COUNT, title), (1, text)):
        for word in P.WORD.findall(source.lower()):
            word = _stem(_bare(word))
            if len(word) >= P.MIN_WORD_LENGTH and word not in P.STOP_TERMS:
                counts[word] += repeat
    return tuple(sorted((word, 1 + math.log(n)) for word, n in counts.items()))


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 else word


def _without_dates(text: str) -> tuple[str, set[int]]:
    years = {int(m.group(3)) for m in P.MONTH_DAY.finditer(text) if m.group(3)}
    years |= {int(m.group(3)) for m in P.DAY_MONTH.finditer(text) if m.group(3)}
    text = P.DAY_MONTH.sub(" ", P.MONTH_DAY.sub(" ", text))
    years |= {int(y) for y in P.YEAR.findall(text)}
    return P.YEAR.sub(" ", text), years


def _numbers(text: str) -> set[str]:
    numbers = set()
    for match in P.NUMBER.finditer(text):
        value = match.group().replace(",", "").lower()
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 2 or not value.isdigit():
            numbers.add(value)
    return numbers


def extract_features(article: Article) -> Features:
    text = _text_features(article.clean_text or "", article.title or "", article.dateline)
    published = article.published_at
    precision = article.date_precision or ("day" if published else None)
    return replace(
        text,
        day=article.published_day if precision == "day" else None,
        year=published.year if published else None,
        month=published.strftime("%Y-%m") if published and precision in ("day", "month") else None,
    )


@lru_cache(maxsize=TEXT_ANALYSES_KEPT)
def _text_features(text: str, title: str, stated_dateline: str | None) -> Features:
    """The features read from an article's text, title and dateline, not yet its dates: a pure
    function of them, kept so that an article read again (its event rebuilt) is not parsed again."""
    dateline = _normalize_place(stated_dateline)
    found = DATELINE.search(text[:600])
    if dateline is None and found:
        dateline = _normalize_place(found["place"])
    story = text[: found.start()] + text[found.end() :] if found else text
    people, places, entities = _names(f"{title}\n{story}")
    if dateline and dateline not in P.CONTEXT_PLACES:
        places.add(dateline)
    dateless, text_years = _without_dates(text)
    return Features(
        title=title,
        day=None,
        year=None,
        month=None,
        text_years=frozenset(text_years),
        dateline=dateline,
        people=frozenset(people),
        places=frozenset(places),
        entities=frozenset(entities),
        terms=_terms(title, text, people | places | entities),
        numbers=frozenset(_numbers(dateless)),
        words=_words(title, story),
        leads=frozenset(_leads(title, story, people)),
    )
