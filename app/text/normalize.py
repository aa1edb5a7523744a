"""A phrasing into its normalized words and content tokens, the form every comparison reads."""

import re
from functools import lru_cache

import snowballstemmer

from app.text import patterns as p


def normalize(text: str) -> str:
    """Lower case, "U.S."/"United States" -> "us", "PRC" -> "china", number words -> digits."""
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    for pattern, replacement in p.CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = p.PHRASE.sub(lambda match: p.PHRASE_NORMALIZATION[match.group()], text)
    words = []
    for word in re.findall(r"[a-z0-9$%]+(?:[.,][0-9]+)?", text):
        word = p.WORD_NORMALIZATION.get(word, word)
        words.append(str(p.NUMBER_WORDS[word]) if word in p.NUMBER_WORDS else word)
    return " ".join(words)


def content_tokens(text: str) -> list[str]:
    """Normalized words without stopwords, lightly stemmed: what two phrasings can share."""
    return [_stem(word) for word in normalize(text).split() if word not in p.STOPWORDS]


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)
