"""Turns raw article text into clean story text (blank-line paragraphs) and the removed lines."""

import re
import unicodedata
from dataclasses import dataclass, field

from app.ingest import patterns

# A repeated line shorter than this is a label ("Reuters", "Watch"), not a headline or caption.
MIN_REPEATED_LINE_CHARS = 25
# Text is hard-wrapped when most lines inside its blocks are this long and none is longer.
WRAPPED_LINE_CHARS = (40, 100)
WRAPPED_SHARE = 0.8
# A line of at least this many words holding a sentence is story text, not a teaser headline.
STORY_LINE_WORDS = 10
# A line this short without a sentence is a label ("Play Live Radio", "Next Up:"), not a title.
LABEL_MAX_WORDS = 4
# This many labels in a row above a title are a navigation bar; one alone may be the headline.
LABEL_BAR_MIN_LINES = 2


@dataclass
class Cleaned:
    text: str
    removed: list[str] = field(default_factory=list)


def clean(text: str, title: str | None = None) -> Cleaned:
    """`title`, when known, is the page's own headline: labels printed above it are navigation."""
    blocks = _blocks(_normalize_newlines(text))
    lines = [line for block in blocks for line in block]
    drop = _boilerplate_indexes(lines, title)
    kept_blocks: list[list[str]] = []
    first = 0
    for block in blocks:
        kept = [line for index, line in enumerate(block, start=first) if index not in drop]
        first += len(block)
        if kept:
            kept_blocks.append(kept)
    paragraphs = _rejoin_broken_names(_paragraphs(kept_blocks))
    removed = [line for index, line in enumerate(lines) if index in drop]
    return Cleaned(text="\n\n".join(paragraphs), removed=removed)


def _normalize_newlines(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\u00a0", " ").replace("\u200b", "")


def _blocks(text: str) -> list[list[str]]:
    """Groups of consecutive non-blank lines, each line stripped."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = re.sub(r"[ \t]+", " ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def line_key(line: str) -> str:
    """A line as compared with others: casefolded, without the punctuation around it."""
    return line.casefold().strip(patterns.LINE_KEY_NOISE)


def is_boilerplate_line(line: str) -> bool:
    key = line_key(line)
    if not key or key in patterns.BOILERPLATE_LINES:
        return True
    if not is_story_line(line) and any(phrase in key for phrase in patterns.BOILERPLATE_PHRASES):
        return True
    return any(regex.search(line) for regex in patterns.BOILERPLATE_REGEXES) or _is_credit(line)


def _is_credit(line: str) -> bool:
    return len(line) <= 120 and bool(patterns.PHOTO_CREDIT.match(line))


def _is_caption(line: str) -> bool:
    return bool(patterns.CAPTION_CREDIT.search(line))


def _boilerplate_indexes(lines: list[str], title: str | None) -> set[int]:
    drop = {i for i, line in enumerate(lines) if is_boilerplate_line(line) or _is_caption(line)}
    drop |= _footer_indexes(lines, drop)
    drop |= _labels_above_title(lines, title, drop) | _label_bar(lines, drop)
    drop |= _credit_neighbours(lines)
    drop |= _repeated_indexes(lines, drop)
    return drop


def _footer_indexes(lines: list[str], boilerplate: set[int]) -> set[int]:
    """Everything from an end-of-story marker in the second half of the page is footer, with the
    labels right above it ("The-CNN-Wire"), unless the story goes on after it: a "Share post"
    widget can sit between story paragraphs, and then most lines after it are story lines; a
    footer holds teasers and notices, at most a few of them sentences. Without a marker, nothing."""
    for i in range(len(lines) // 2, len(lines)):
        if not any(marker.search(lines[i]) for marker in patterns.END_MARKERS):
            continue
        following = [line for j, line in enumerate(lines[i + 1 :], i + 1) if j not in boilerplate]
        if 2 * sum(map(is_story_line, following)) < len(following) or not following:
            start = i
            while start > 0 and _is_label(lines[start - 1]):
                start -= 1
            return set(range(start, len(lines)))
    return set()


def _labels_above_title(lines: list[str], title: str | None, boilerplate: set[int]) -> set[int]:
    """Labels above the page's own title line ("Play Live Radio", "Next Up:", a section name) are
    its navigation: a story starts at its title. Without a known title, nothing."""
    key = line_key(title or "")
    title_index = next((i for i, line in enumerate(lines) if key and line_key(line) == key), None)
    if title_index is None:
        return set()
    return {i for i in range(title_index) if i not in boilerplate and _is_label(lines[i])}


def _label_bar(lines: list[str], boilerplate: set[int]) -> set[int]:
    """A bar of labels heading a page ("Play Live Radio", "Next Up:", "Available On Air
    Stations"): before the first story line, a run of short lines followed by a longer title
    line. A lone short headline above its standfirst stays, as does a name broken out of the
    sentence that goes on below it."""
    first_story = next(
        (i for i, line in enumerate(lines) if i not in boilerplate and is_story_line(line)), None
    )
    labels: set[int] = set()
    run: list[int] = []
    for i in range(first_story or 0):
        if i in boilerplate:
            continue
        if not _is_label(lines[i]):
            if len(run) >= LABEL_BAR_MIN_LINES:
                labels.update(run)
            run = []
        elif not patterns.CONTINUATION_START.match(lines[i + 1]):
            run.append(i)
    return labels


def _is_label(line: str) -> bool:
    return len(line.split()) <= LABEL_MAX_WORDS and not patterns.SENTENCE_END.search(line)


def is_story_line(line: str) -> bool:
    """A line of story length holding a sentence; teasers are headlines without a full stop."""
    return len(line.split()) >= STORY_LINE_WORDS and bool(patterns.SENTENCE_END.search(line))


def _credit_neighbours(lines: list[str]) -> set[int]:
    """A photographer named on the line above a credit: "Stefani Reynolds" / "Pool Photo via AP"."""
    return {
        i - 1
        for i, line in enumerate(lines)
        if i > 0 and _is_credit(line) and patterns.NAME_LINE.match(lines[i - 1])
    }


def _repeated_indexes(lines: list[str], drop: set[int]) -> set[int]:
    """Later copies of a repeated line go (a headline printed twice, its first copy kept). A
    repeated sentence with a copy right next to a photo credit is a caption shown twice (above the
    picture and in its viewer), and all its copies go."""
    seen: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line) >= MIN_REPEATED_LINE_CHARS:
            seen.setdefault(line_key(line), []).append(i)
    result: set[int] = set()
    for indexes in seen.values():
        if len(indexes) < 2:
            continue
        result.update(indexes[1:])
        if _is_repeated_caption(lines, indexes, drop):
            result.add(indexes[0])
    return result


def _is_repeated_caption(lines: list[str], indexes: list[int], drop: set[int]) -> bool:
    if not patterns.FINAL_STOP.search(lines[indexes[0]]):
        return False  # a headline: it ends without a full stop
    return any(
        j in drop and _is_credit(lines[j])
        for i in indexes
        for j in (i - 1, i + 1)
        if 0 <= j < len(lines)
    )


def _paragraphs(blocks: list[list[str]]) -> list[str]:
    """Hard-wrapped text (short lines inside blocks) joins into one paragraph per block; otherwise
    every line is its own paragraph, as on pages copied from a browser."""
    if _is_hard_wrapped(blocks):
        return [" ".join(block) for block in blocks]
    return [line for block in blocks for line in block]


def _is_hard_wrapped(blocks: list[list[str]]) -> bool:
    inner = [line for block in blocks for line in block[:-1]]
    if len(inner) < 3:
        return False
    shortest, longest = WRAPPED_LINE_CHARS
    wrapped = [line for line in inner if shortest <= len(line) <= longest]
    return len(wrapped) >= WRAPPED_SHARE * len(inner) and max(map(len, inner)) <= longest


def _rejoin_broken_names(paragraphs: list[str]) -> list[str]:
    """Rejoins names broken out of their sentence: "Secretary of State" / "Antony Blinken" /
    "admonished ..." becomes one paragraph again."""
    result: list[str] = []
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if (
            result
            and patterns.NAME_LINE.match(paragraph)
            and patterns.CONTINUATION_START.match(following)
        ):
            result[-1] = _join(_join(result[-1], paragraph), following)
            i += 2
            continue
        result.append(paragraph)
        i += 1
    return result


def _join(left: str, right: str) -> str:
    if patterns.JOIN_WITHOUT_SPACE.match(right):
        return left + right
    return f"{left} {right}"
