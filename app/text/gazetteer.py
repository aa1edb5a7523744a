"""countryinfo's country data into one token per country for every name, capital and demonym."""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from countryinfo import all_countries

from app.text import patterns as p
from app.text.words import words_of


@dataclass(frozen=True)
class Gazetteer:
    # Lower-case word sequences ("united", "states") -> the country's token ("unitedstates").
    phrases: dict[tuple[str, ...], str]
    # A phrase's first word -> the lengths of the phrases it starts, longest first.
    lengths: dict[str, tuple[int, ...]]
    # Capital-letter initialisms of multi-word names ("US", "PRC", "UAE") -> the country's token.
    initialisms: dict[str, str]


def country_token(name: str) -> str:
    """One word for a country: its common English name in lower-case letters only."""
    return re.sub(r"[^a-z]", "", name.lower())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Names, English alternative spellings and initialisms in use of every country, the demonym
    (and its plural) of the most populous country using it, and the capital of every country of at
    least CAPITAL_MIN_POPULATION people that no other country claims."""
    claims: dict[tuple[str, ...], list[tuple[int, str]]] = defaultdict(list)
    initialisms: dict[str, set[str]] = defaultdict(set)
    capitals: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for country in all_countries():
        info = country.info()
        token, population = country_token(info["name"]), info.get("population") or 0
        spellings = info.get("altSpellings") or []
        names = (info["name"], *_english_spellings(spellings))
        for name in names:
            claims[words_of(name)].append((population, token))
        for initialism in _initialisms_in_use(names, spellings, population):
            initialisms[initialism].add(token)
        if demonym := info.get("demonym"):
            for form in (demonym, demonym + "s"):
                claims[words_of(form)].append((population, token))
        if info.get("capital") and population >= p.CAPITAL_MIN_POPULATION:
            capitals[words_of(info["capital"])].add(token)
    phrases = {words: max(owners)[1] for words, owners in claims.items() if words}
    for words, owners in capitals.items():
        if len(owners) == 1 and words not in phrases:
            phrases[words] = owners.pop()
    unique = {letters: owners.pop() for letters, owners in initialisms.items() if len(owners) == 1}
    lengths: dict[str, set[int]] = defaultdict(set)
    for words in phrases:
        lengths[words[0]].add(len(words))
    starts = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in lengths.items()}
    return Gazetteer(phrases, starts, unique)


def _english_spellings(spellings: list[str]) -> list[str]:
    """Alternative names written in English words, not codes ("CN") or native scripts."""
    return [s for s in spellings if s.isascii() and not s.isupper() and len(s) >= 4]


def _initialisms_in_use(names: tuple[str, ...], spellings: list[str], population: int) -> set[str]:
    """The initialisms of a country's names ("United Arab Emirates" -> "UAE") that its spellings
    list as in use, and for a country of FORMAL_INITIALISM_MIN_POPULATION those of its formal
    names too ("People's Republic of China" -> "PRC"). Two letters ("US", "UK") only when listed,
    for a country of SHORT_INITIALISM_MIN_POPULATION: two capitals mostly abbreviate something
    else ("AR", "PR")."""
    initialisms = {_initialism(name) for name in names}
    listed = {
        spelling
        for spelling in spellings
        if spelling in initialisms
        and (len(spelling) > 2 or population >= p.SHORT_INITIALISM_MIN_POPULATION)
    }
    if population < p.FORMAL_INITIALISM_MIN_POPULATION:
        return listed
    return listed | {initialism for initialism in initialisms if len(initialism) > 2}


def _initialism(name: str) -> str:
    """ "People's Republic of China" -> "PRC": the first letters of its capitalised words."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def expand_initialisms(text: str) -> str:
    """Country initialisms ("U.S.", "US", "PRC") into the country's token, read case-sensitively
    so the pronoun "us" stays a word."""
    initialisms = gazetteer().initialisms
    return p.INITIALISM.sub(
        lambda match: initialisms.get(match.group().replace(".", ""), match.group()), text
    )


def canonical_words(words: list[str]) -> list[str]:
    """Lower-case words with each country name, capital or demonym (longest first) as one token."""
    places = gazetteer()
    result: list[str] = []
    i = 0
    while i < len(words):
        for size in places.lengths.get(words[i], ()):
            token = places.phrases.get(tuple(words[i : i + size]))
            if token:
                result.append(token)
                i += size
                break
        else:
            result.append(words[i])
            i += 1
    return result
