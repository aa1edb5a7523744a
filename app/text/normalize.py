"""A phrasing into its normalized words and content tokens, the form every comparison reads."""

from functools import lru_cache

import snowballstemmer

from app.text import patterns as p
from app.text.gazetteer import canonical_words, expand_initialisms
from app.text.words import spelled_out


def normalize(text: str) -> str:
    """Lower case, one token per country ("U.S."/"United States"/"American" -> "unitedstates"),
    contractions spelled out, number words -> digits."""
    return " ".join(_words(spelled_out(expand_initialisms(text))))


def content_tokens(text: str) -> list[str]:
    """Normalized words without stopwords, lightly stemmed: what two phrasings can share. A
    hyphenated compound also counts joined, so "China-phobia" shares "chinaphobia"."""
    text = spelled_out(expand_initialisms(text))
    words = _words(text) + [_joined(compound) for compound in p.HYPHENATED.findall(text)]
    return [_stem(word) for word in words if word not in p.STOPWORDS]


def _words(text: str) -> list[str]:
    words = canonical_words(p.WORD.findall(text))
    return [str(p.NUMBER_WORDS[word]) if word in p.NUMBER_WORDS else word for word in words]


def _joined(compound: str) -> str:
    return "".join(_words(compound.replace("-", " ")))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)
