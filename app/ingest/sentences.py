"""Clean text into sentences: `Sentence(start, end, text)` with offsets into the clean text."""

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from app.ingest.patterns import DATELINE
from app.ingest.patterns_claims import (
    ATTRIBUTION_TAIL,
    DOUBLE_QUOTE_MARK,
    GLUED_SENTENCE,
    NEVER_FINAL_ABBREVIATIONS,
    QUESTION_QUOTE_END,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        spans.extend(_merge_open_quotes(text, _split_paragraph(text, start, end)))
    return [Sentence(start, end, text[start:end]) for start, end in spans]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Lines of text; a line that starts in lower case continues the one before."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = _strip(text, match.start(), match.end())
        if start == end:
            continue
        if spans and (text[start].islower() or text[start] in "—–,;"):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    dateline = DATELINE.match(text[start:end])
    if dateline and start + dateline.end() < end:
        start, _ = _strip(text, start + dateline.end(), end)
    block = text[start:end].replace("\n", " ")
    spans: list[tuple[int, int]] = []
    cursor = 0
    # The processor's sentences: segment() would also search each one back in the block with a regex
    # compiled per sentence, and we find the spans ourselves below.
    for piece in _segmenter().processor(block).process():
        piece = piece.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:
            continue
        spans.extend(_split_glued(block, found, found + len(piece), start))
        cursor = found + len(piece)
    return _merge_abbreviations(text, spans)


def _split_glued(block: str, start: int, end: int, offset: int) -> list[tuple[int, int]]:
    """Split "order.Blinken said" where a missing space hid the sentence boundary."""
    spans = []
    for match in GLUED_SENTENCE.finditer(block, start, end):
        spans.append((offset + start, offset + match.start() + 1))
        start = match.start() + 1
    spans.append((offset + start, offset + end))
    return spans


def _merge_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin a sentence cut after a title ("Sen.") or before a piece that cannot start one
    (", said", a lower-case word: "Mitch McConnell, R-Ky., delivered", a lone closing mark, the
    attribution of a quoted question: "“Why?” Beck asked.")."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        continues = piece[0] in ",;" or piece[0].islower() or not any(c.isalnum() for c in piece)
        before = text[merged[-1][0] : merged[-1][1]] if merged else ""
        attributes = QUESTION_QUOTE_END.search(before) and ATTRIBUTION_TAIL.match(piece)
        if merged and (continues or attributes or _ends_with_title(before)):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _ends_with_title(sentence: str) -> bool:
    words = sentence.split()
    return bool(words) and words[-1] in NEVER_FINAL_ABBREVIATIONS


def _merge_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a quotation that runs over several sentences in one sentence."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _quote_left_open(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _quote_left_open(sentence: str) -> bool:
    """More double quotation marks open in it than close: “ opens, ” closes, and a straight one
    opens at a word's start ('"He is', '— "It') and closes elsewhere, whatever glyphs an outlet
    mixes ('"Donald Trump doesn't…,” said Benjamin. "He is…')."""
    depth = 0
    for mark in DOUBLE_QUOTE_MARK.finditer(sentence):
        depth = depth + 1 if mark.group() == "“" or mark["opens"] else max(depth - 1, 0)
    return depth > 0


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
