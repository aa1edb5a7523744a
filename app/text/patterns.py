"""Patterns of the one text normalization: words, hyphenated compounds, contractions, numbers."""

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

# A word of a normalized text: letters and digits, a decimal part kept ("3.5", "1,000").
WORD = re.compile(r"[a-z0-9$%]+(?:[.,][0-9]+)?")
# Words joined by hyphens: "china-phobia", "g-20", "u.s.-china" (after lower-casing).
HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
# Capital-letter initialisms with or without dots: "US", "U.S.", "PRC", "U.A.E."
INITIALISM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,5}\b")
# A capital names its country ("Beijing said") only for countries this populous: small
# territories' capitals are also common names ("Douglas", "Hamilton", "Victoria").
CAPITAL_MIN_POPULATION = 1_000_000
# A two-letter initialism names its country ("US", "UK") only for countries this populous.
SHORT_INITIALISM_MIN_POPULATION = 50_000_000
# The initialism of a formal name ("PRC") is in common use for countries this populous; smaller
# countries' ones mostly abbreviate something else ("IRA", "ISS", "CPR").
FORMAL_INITIALISM_MIN_POPULATION = 100_000_000

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
)

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
