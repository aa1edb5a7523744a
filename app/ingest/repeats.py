"""Turns an outlet's clean text into clean text without the short lines its pages all repeat."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from app.ingest.clean import Cleaned, is_story_line, line_key
from app.models import ArticleLine, OutletLine

# A short non-story line ("CNN Newssource", "Play Live Radio") that this many earlier articles of
# the same outlet printed is the outlet's page furniture. Story sentences never count: an outlet
# reuses background paragraphs across the articles of one story.
REPEATED_MIN_ARTICLES = 3

OUTLET_LINE = OutletLine.__table__.c


def without_outlet_furniture(session: Session, outlet_id: int, cleaned: Cleaned) -> Cleaned:
    """Counts this article's short lines for its outlet and removes those its outlet's earlier
    articles printed often enough; the text is kept whole when nothing else would remain."""
    short = _short_lines(cleaned.text)
    hashes = set(short.values())
    counts = _counts(session, outlet_id, hashes)
    _count(session, outlet_id, hashes, set(counts))
    return _without_furniture(cleaned, short, counts)


def _without_furniture(
    cleaned: Cleaned, short: dict[str, int], counts: Mapping[int, int]
) -> Cleaned:
    """The clean text without its short lines (`short`: paragraph -> hash) that `counts` (hash ->
    earlier articles of the outlet printing it) make furniture; whole when nothing else is left."""
    furniture = {
        paragraph
        for paragraph, digest in short.items()
        if counts.get(digest, 0) >= REPEATED_MIN_ARTICLES
    }
    paragraphs = cleaned.text.split("\n\n")
    kept = [paragraph for paragraph in paragraphs if paragraph not in furniture]
    if not furniture or not kept:
        return cleaned
    removed = [paragraph for paragraph in paragraphs if paragraph in furniture]
    return Cleaned("\n\n".join(kept), cleaned.removed + removed)


class FurnitureForecast:
    """What `without_outlet_furniture` will leave of each article of a batch, foreseen without
    the store (by a process that reads the batch ahead, in order): each outlet's short lines
    counted over the batch's earlier articles as storing them counts them (an article repeating an
    earlier one's text is not stored, so not counted). It holds while the store had no lines of
    these outlets before the batch and no one else stores meanwhile; a forecast stands for nothing
    until compared with the text storing left."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[int]] = defaultdict(Counter)
        self.seen: set[str] = set()

    def stored_text(self, outlet: str | None, cleaned: Cleaned, content_hash: str) -> str:
        repeated = content_hash in self.seen
        self.seen.add(content_hash)
        if repeated or not outlet:
            return cleaned.text
        short = _short_lines(cleaned.text)
        counts = self.counts[outlet]
        foreseen = _without_furniture(cleaned, short, counts)
        counts.update(set(short.values()))
        return foreseen.text


def line_hashes(text: str) -> set[int]:
    """The hashes of the short non-story paragraphs of a clean text: the lines that count."""
    return set(_short_lines(text).values())


def _short_lines(text: str) -> dict[str, int]:
    """Each short non-story paragraph of a clean text, and its hash."""
    return {
        paragraph: _line_hash(paragraph)
        for paragraph in text.split("\n\n")
        if not is_story_line(paragraph)
    }


def record_lines(session: Session, article_id: int, cleaned: Cleaned) -> None:
    """Keeps which short lines the article's clean text (before its outlet's furniture went)
    printed, with or without an outlet: a later delete or outlet change moves exactly these."""
    hashes = line_hashes(cleaned.text)
    if hashes:
        session.connection().execute(
            insert(ArticleLine.__table__),
            [{"article_id": article_id, "line_hash": digest} for digest in hashes],
        )


def move_lines(
    session: Session, article_id: int, old_outlet_id: int | None, new_outlet_id: int | None
) -> None:
    """The article's lines leave its old outlet's counts and join its new outlet's, so the
    counts are what ingesting each outlet's articles again would give. An article being deleted
    moves to no outlet."""
    hashes = set(
        session.exec(select(ArticleLine.line_hash).where(ArticleLine.article_id == article_id))
    )
    if not hashes:
        return
    if old_outlet_id is not None:
        _uncount(session, old_outlet_id, hashes)
    if new_outlet_id is not None:
        _count(session, new_outlet_id, hashes, set(_counts(session, new_outlet_id, hashes)))


def _line_hash(line: str) -> int:
    digest = hashlib.blake2b(line_key(line).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _counts(session: Session, outlet_id: int, hashes: set[int]) -> dict[int, int]:
    if not hashes:
        return {}
    rows = session.exec(
        select(OutletLine.line_hash, OutletLine.articles).where(
            OutletLine.outlet_id == outlet_id, col(OutletLine.line_hash).in_(hashes)
        )
    )
    return dict(rows.all())


def _count(session: Session, outlet_id: int, hashes: set[int], known: set[int]) -> None:
    """One more article of the outlet printed each of `hashes` (`known` already have a row)."""
    connection = session.connection()
    if known:
        connection.execute(
            update(OutletLine.__table__)
            .where(OUTLET_LINE.outlet_id == outlet_id, OUTLET_LINE.line_hash.in_(known))
            .values(articles=OUTLET_LINE.articles + 1)
        )
    new = hashes - known
    if new:
        connection.execute(
            insert(OutletLine.__table__),
            [{"outlet_id": outlet_id, "line_hash": digest, "articles": 1} for digest in new],
        )


def _uncount(session: Session, outlet_id: int, hashes: set[int]) -> None:
    """One fewer article of the outlet printed each of `hashes`; a line none prints has no row."""
    of_these = (OUTLET_LINE.outlet_id == outlet_id) & OUTLET_LINE.line_hash.in_(hashes)
    connection = session.connection()
    connection.execute(
        update(OutletLine.__table__).where(of_these).values(articles=OUTLET_LINE.articles - 1)
    )
    connection.execute(delete(OutletLine.__table__).where(of_these, OUTLET_LINE.articles <= 0))
