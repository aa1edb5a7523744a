"""Patterns of the one text normalization: phrase and word rewrites, contractions, number words."""

import re


def word_list(text: str) -> list[str]:
    """A pattern module's word table, written as one string of words."""
    return text.split()


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip

# Phrases rewritten before tokenizing (lower case), longest first.
PHRASE_NORMALIZATION = {
    "people's republic of china": "china",
    "united states": "us",
    "u.s.": "us",
    "group of 20": "g20",
    "g-20": "g20",
    "prc": "china",
    "beijing": "china",
    "washington": "us",
    "moscow": "russia",
    "china-phobia": "chinaphobia",
    "sinophobia": "chinaphobia",
}
PHRASE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.escape(k) for k in sorted(PHRASE_NORMALIZATION, key=len, reverse=True))
    + r")(?!\w)"
)
# Contractions spelled out ("didn't" = "did not"), after curly apostrophes became straight ones.
CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'s\b"), ""),
)
WORD_NORMALIZATION = {"american": "us", "chinese": "china", "russian": "russia"}

STOPWORDS = frozenset(
    word_list(
        """a an the and or but if of to in on at by for with from as into about over after before
    than then that this these those there here is are was were be been being am has have had do
    does did not no nor so such it its it's he she they them his her their we our us i me my you
    your who whom which what when where why how all any both each few more most other some own
    same too very can could will would should may might must shall just also only up down out
    off again further once while during until against between through above below said says
    say told tell mr mrs ms"""
    )
) - {"us"}

# Typographic variants that say the same thing: curly quotes and apostrophes, dashes, odd spaces.
TYPOGRAPHY = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200a": " ",
    }
)  # fmt: skip
# An unchanged run this short between two changes reads as part of one changed phrase.
PHRASE_GLUE_WORDS = 2
