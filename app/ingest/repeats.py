"""Turns an outlet's clean text into clean text without the short lines its pages all repeat."""

import hashlib

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from app.ingest.clean import Cleaned, is_story_line, line_key
from app.models import OutletLine

# A short non-story line ("CNN Newssource", "Play Live Radio") that this many earlier articles of
# the same outlet printed is the outlet's page furniture. Story sentences never count: an outlet
# reuses background paragraphs across the articles of one story.
REPEATED_MIN_ARTICLES = 3


def without_outlet_furniture(session: Session, outlet_id: int, cleaned: Cleaned) -> Cleaned:
    """Counts this article's short lines for its outlet and removes those its outlet's earlier
    articles printed often enough; the text is kept whole when nothing else would remain."""
    paragraphs = cleaned.text.split("\n\n")
    hashes = {
        paragraph: _line_hash(paragraph) for paragraph in paragraphs if not is_story_line(paragraph)
    }
    counts = _counts(session, outlet_id, set(hashes.values()))
    _count(session, outlet_id, set(hashes.values()), set(counts))
    furniture = {
        paragraph
        for paragraph, digest in hashes.items()
        if counts.get(digest, 0) >= REPEATED_MIN_ARTICLES
    }
    kept = [paragraph for paragraph in paragraphs if paragraph not in furniture]
    if not furniture or not kept:
        return cleaned
    removed = [paragraph for paragraph in paragraphs if paragraph in furniture]
    return Cleaned("\n\n".join(kept), cleaned.removed + removed)


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
            .where(
                OutletLine.__table__.c.outlet_id == outlet_id,
                OutletLine.__table__.c.line_hash.in_(known),
            )
            .values(articles=OutletLine.__table__.c.articles + 1)
        )
    new = hashes - known
    if new:
        connection.execute(
            insert(OutletLine.__table__),
            [{"outlet_id": outlet_id, "line_hash": digest, "articles": 1} for digest in new],
        )
