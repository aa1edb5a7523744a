"""Turns an admin's upload (pasted text or files) into a preview of one article, a stored
article with its audit entry, or the items of a batch job."""

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from app import audit
from app.db import session_scope
from app.ingest.parse import GivenMeta, Parsed, RawArticle, parse_bytes, parse_text, with_overrides
from app.ingest.run import ingest_items, preview
from app.queries.admin import cleaning_lines

PREVIEW_MAX_AGE = 3600  # seconds an admin has to confirm a preview


class UploadRefused(ValueError):
    """The upload cannot go on; the message says why (nothing was stored)."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file, held in memory until it is parsed (in the request or in its job)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Stored:
    """Where a confirmed article went: added, or the stored article with the same text."""

    article_id: int
    duplicate: bool


def parse_uploads(uploads: list[Upload], overrides: GivenMeta, max_bytes: int) -> list[Parsed]:
    """Every file's articles (or rejections), with the form's metadata winning over the files'."""
    items = (
        item
        for upload in uploads
        for item in parse_bytes(upload.name, upload.data, max_bytes=max_bytes)
    )
    return list(with_overrides(items, overrides))


def single_article(
    text: str, uploads: list[Upload], overrides: GivenMeta, max_bytes: int
) -> RawArticle | None:
    """The one article in pasted text or one file, to preview; None when the file holds many
    (a JSON list or JSON lines), which go to a batch job."""
    items = (
        parse_text(text, given=overrides) if text else parse_uploads(uploads, overrides, max_bytes)
    )
    articles = [item for item in items if isinstance(item, RawArticle)]
    if not articles:
        reasons = "; ".join(f"{item.source}: {item.reason}" for item in items)
        raise UploadRefused(f"Nothing could be read as an article ({reasons}); nothing was stored.")
    return articles[0] if len(items) == 1 else None


class PreviewTokens:
    """Signs the previewed text, so the confirmation stores exactly what was previewed."""

    def __init__(self, secret_key: str):
        self.serializer = URLSafeTimedSerializer(secret_key, salt="parallax-preview")

    def dumps(self, raw: RawArticle) -> str:
        return self.serializer.dumps({"source": raw.source, "text": raw.text})

    def loads(self, token: str) -> RawArticle:
        """The previewed article (its metadata is what the admin confirms next)."""
        try:
            kept = self.serializer.loads(token, max_age=PREVIEW_MAX_AGE)
        except BadSignature:
            raise UploadRefused(
                "This preview has expired or was altered; upload the article again."
            ) from None
        return RawArticle(kept["source"], kept["text"])


def preview_context(engine: Engine, raw: RawArticle, tokens: PreviewTokens) -> dict:
    """What ingest would store for `raw` (nothing is written), its raw lines marked where cleaning
    removed them, and the token that confirms it."""
    found = preview(engine, raw)
    return {
        "preview": found,
        "event": found.get("event"),
        "lines": cleaning_lines(raw.text, found.get("removed") or []),
        "token": tokens.dumps(raw),
    }


def store(engine: Engine, admin: str, raw: RawArticle) -> Stored:
    """Stores the confirmed article through the one ingest path and audits the upload."""
    report = ingest_items(engine, [raw])
    summary = report.to_dict()
    with session_scope(engine) as session:
        audit.record(
            session,
            admin,
            "upload article",
            raw.source,
            added=[item["article_id"] for item in summary["added"]],
            duplicates=[item["article_id"] for item in summary["duplicates"]],
            rejected=[item["reason"] for item in summary["rejected"]],
        )
    if report.added:
        return Stored(report.added[0].article_id, duplicate=False)
    if report.duplicates:
        return Stored(report.duplicates[0].article_id, duplicate=True)
    reasons = "; ".join(problem.reason for problem in report.rejected)
    raise UploadRefused(f"The article was not stored: {reasons}.")
