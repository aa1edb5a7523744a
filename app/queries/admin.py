"""Turns the store into the plain dicts the admin pages render: attention list, audit log, jobs."""

import json
import re
from datetime import UTC, datetime

from rapidfuzz import fuzz, process
from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from app.ingest.events.scoring import JOIN_THRESHOLD
from app.models import (
    AdminSession,
    Article,
    AuditLog,
    Claim,
    Event,
    IngestJob,
    Mention,
    Outlet,
    User,
)
from app.queries.common import live_claims_with_mentions

# An article that joined its event with a score this close above the join threshold is listed
# for an admin to check (articles that opened their own event score 0 and are not listed).
LOW_EVENT_SCORE = JOIN_THRESHOLD + 3.0
AUDIT_PAGE_SIZE = 100
PICKER_FOUND = 20  # events a picker's search lists
PICKER_WORDS = 8  # words of a picker's search matched against titles
MERGE_CHOICES = 8  # claims a claim's merge picker offers
LEAD_CHARS = 90  # of an untitled event's first article, to name it in a picker


def stamp(moment: datetime) -> str:
    """A stored time as UTC, to the second: "2022-07-09 10:30:00" (SQLite returns naive times)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def known_date(article: Article) -> str | None:
    """The publication date to the precision known: "2022-07-09", "2022-07" or "2022"."""
    if article.published_at is None:
        return None
    length = {"year": 4, "month": 7}.get(article.date_precision or "day", 10)
    return article.published_day.isoformat()[:length]


def article_row(article: Article, outlet: str | None, event_title: str | None) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": outlet,
        "url": article.url,
        "published_at": known_date(article),
        "published_day": (
            article.published_day.isoformat()
            if article.published_at and article.date_precision in (None, "day")
            else None
        ),
        "source_name": article.source_name,
        "event_id": article.event_id,
        "event_title": event_title,
        "event_score": article.event_score,
        "event_reason": article.event_reason,
    }


def attention_list(session: Session, low_score: float = LOW_EVENT_SCORE) -> dict:
    """Articles to fix first: unknown outlet or date, flagged by ingest, or weakly placed."""
    rows = session.exec(
        select(Article, Outlet.name, Event.title)
        .join(Outlet, Article.outlet_id == Outlet.id, isouter=True)
        .join(Event, Article.event_id == Event.id, isouter=True)
        .where(
            or_(
                Article.needs_attention,
                Article.outlet_id.is_(None),
                Article.published_at.is_(None),
                Article.event_id.is_(None),
                (Article.event_score > 0)
                & (Article.event_score < low_score)
                & ~Article.event_locked,
            )
        )
        .order_by(Article.ingested_at.desc(), Article.id.desc())
    ).all()
    articles = []
    for article, outlet, event_title in rows:
        row = article_row(article, outlet, event_title)
        row["reasons"] = attention_reasons(article, low_score)
        articles.append(row)
    return {"articles": articles, "low_score": low_score}


def attention_reasons(article: Article, low_score: float) -> list[str]:
    reasons = [r.strip() for r in article.attention_reasons.split(",") if r.strip()]
    derived = {
        "unknown outlet": article.outlet_id is None,
        "unknown date": article.published_at is None,
        "no event": article.event_id is None,
        "low-confidence event": (
            article.event_score is not None
            and 0 < article.event_score < low_score
            and not article.event_locked
        ),
    }
    reasons += [reason for reason, applies in derived.items() if applies and reason not in reasons]
    return reasons


def audit_log(session: Session, page: int = 1) -> dict:
    page = max(page, 1)
    entries = session.exec(
        select(AuditLog)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE + 1)
    ).all()
    return {
        "entries": [
            {
                "id": entry.id,
                "at": stamp(entry.at),
                "username": entry.username,
                "action": entry.action,
                "target": entry.target,
                "detail": json.loads(entry.detail or "{}"),
            }
            for entry in entries[:AUDIT_PAGE_SIZE]
        ],
        "page": page,
        "has_next": len(entries) > AUDIT_PAGE_SIZE,
    }


def article_detail(session: Session, article_id: int) -> dict | None:
    """One article as the correction page shows it, with the events it could be moved to."""
    row = session.exec(
        select(Article, Outlet.name, Event.title)
        .join(Outlet, Article.outlet_id == Outlet.id, isouter=True)
        .join(Event, Article.event_id == Event.id, isouter=True)
        .where(Article.id == article_id)
    ).first()
    if row is None:
        return None
    article, outlet, event_title = row
    detail = article_row(article, outlet, event_title)
    detail["event_locked"] = article.event_locked
    detail["dateline"] = article.dateline
    detail["attention"] = attention_reasons(article, LOW_EVENT_SCORE)
    detail["clean_text"] = article.clean_text
    detail["mention_count"] = session.exec(
        select(func.count()).select_from(Mention).where(Mention.article_id == article_id)
    ).one()
    return detail


def article_event_id(session: Session, article_id: int) -> int | None:
    article = session.get(Article, article_id)
    if article is None:
        raise LookupError(f"no article {article_id}")
    return article.event_id


def mention_claim_id(session: Session, mention_id: int) -> int | None:
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise LookupError(f"no mention {mention_id}")
    return mention.claim_id


def event_picker(
    session: Session, likely: list[int], excluding: int | None, find: str = ""
) -> dict:
    """What a move or merge picker offers besides `excluding`: the live events of `likely` in
    that order, and, for `find`, the live event it numbers ("12", "#12") and those whose titles
    hold each of its words (newest first, at most PICKER_FOUND); `others`: whether there is any
    other event at all."""
    live = select(Event).where(Event.merged_into_id.is_(None))
    if excluding is not None:
        live = live.where(Event.id != excluding)
    by_id = {event.id: event for event in session.exec(live.where(Event.id.in_(likely))).all()}
    found = []
    if find.strip():
        words = [re.sub(r"([\\%_])", r"\\\1", word) for word in find.split()[:PICKER_WORDS]]
        titled = and_(*(Event.title.ilike(f"%{word}%", escape="\\") for word in words))
        number = find.strip().removeprefix("#")
        numbered = Event.id == (int(number) if number.isdecimal() and len(number) < 12 else -1)
        found = session.exec(
            live.where(or_(numbered, titled))
            .order_by(
                case((numbered, 0), else_=1),
                Event.date_start.desc().nulls_last(),
                Event.id.desc(),
            )
            .limit(PICKER_FOUND)
        ).all()
    shown = [by_id[i] for i in likely if i in by_id] + list(found)
    leads = first_reports(session, [event.id for event in shown if not event.title])
    return {
        "find": find.strip(),
        "others": session.exec(live.limit(1)).first() is not None,
        "likely": [event_choice(by_id[i], leads) for i in likely if i in by_id],
        "found": [event_choice(event, leads) for event in found],
    }


def first_reports(session: Session, event_ids: list[int]) -> dict[int, str]:
    """Each event's first article, by its title or else its text's opening words: what names
    an event that has no title (its articles came without one)."""
    if not event_ids:
        return {}
    first = select(func.min(Article.id)).where(Article.event_id.in_(event_ids))
    rows = session.exec(
        select(
            Article.event_id, Article.title, func.substr(Article.clean_text, 1, LEAD_CHARS)
        ).where(Article.id.in_(first.group_by(Article.event_id)))
    ).all()
    return {event_id: title or " ".join(opening.split()) for event_id, title, opening in rows}


def event_choice(event: Event, leads: dict[int, str]) -> dict:
    return {
        "id": event.id,
        "title": event.title or leads.get(event.id),
        "date": event.date_start.isoformat() if event.date_start else None,
    }


def event_detail(session: Session, event_id: int) -> dict | None:
    """One event as the correction page shows it: its articles and its claims with mentions."""
    event = session.get(Event, event_id)
    if event is None:
        return None
    articles = session.exec(
        select(Article, Outlet.name)
        .join(Outlet, Article.outlet_id == Outlet.id, isouter=True)
        .where(Article.event_id == event_id)
        .order_by(Article.published_at.nulls_first(), Article.id)
    ).all()
    claims, mentions = live_claims_with_mentions(session, event_id)
    by_claim: dict[int, list[dict]] = {}
    for mention, outlet in mentions:
        by_claim.setdefault(mention.claim_id, []).append(
            {
                "id": mention.id,
                "article_id": mention.article_id,
                "outlet": outlet,
                "text": mention.text,
            }
        )
    return {
        "id": event.id,
        "title": event.title,
        "date": event.date_start.isoformat() if event.date_start else None,
        "merged_into_id": event.merged_into_id,
        "articles": [article_row(article, outlet, event.title) for article, outlet in articles],
        "claims": [
            {
                "id": claim.id,
                "kind": claim.kind,
                "speaker": claim.speaker,
                "text": claim.text,
                "mentions": by_claim.get(claim.id, []),
                "similar": similar_claims(claim, claims),
            }
            for claim in claims
        ],
    }


def similar_claims(claim: Claim, claims: list[Claim]) -> list[dict]:
    """The event's claims most like this one in wording, most alike first: what a claim is
    merged into (an event's every claim offered to each of its claims grows as their square)."""
    others = {other.id: other.text for other in claims if other.id != claim.id}
    best = process.extract(claim.text, others, scorer=fuzz.token_set_ratio, limit=MERGE_CHOICES)
    return [{"id": other_id, "text": text} for text, _, other_id in best]


def job_status(session: Session, job_id: int) -> dict | None:
    job = session.get(IngestJob, job_id)
    return job_row(job) if job else None


def job_row(job: IngestJob) -> dict:
    return {
        "id": job.id,
        "username": job.username,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "finished": job.status in ("done", "failed"),
        "report": json.loads(job.report or "{}"),
        "created_at": stamp(job.created_at),
        "finished_at": stamp(job.finished_at) if job.finished_at else None,
    }


def dashboard(session: Session) -> dict:
    jobs = session.exec(select(IngestJob).order_by(IngestJob.id.desc()).limit(10)).all()
    return {
        "article_count": session.exec(select(func.count()).select_from(Article)).one(),
        "attention_count": len(attention_list(session)["articles"]),
        "jobs": [job_row(job) for job in jobs],
        "audit": audit_log(session)["entries"][:10],
    }


def cleaning_lines(raw_text: str, removed: list[str]) -> list[dict]:
    """The raw text line by line, each marked removed when cleaning took it out (in order)."""
    pending = [line.strip() for line in removed]
    lines = []
    for line in raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        was_removed = bool(pending) and line.strip() == pending[0] and bool(line.strip())
        if was_removed:
            pending.pop(0)
        lines.append({"text": line, "removed": was_removed})
    return lines


def admin_sessions(session: Session, current_id: str) -> dict:
    """Every admin's sign-ins, newest first: open ones can be revoked."""
    rows = session.exec(
        select(AdminSession, User.username)
        .join(User, User.id == AdminSession.user_id)
        .order_by(AdminSession.created_at.desc())
        .limit(200)
    ).all()
    return {
        "sessions": [
            {
                "id": found.id,
                "username": username,
                "created_at": stamp(found.created_at),
                "last_seen_at": stamp(found.last_seen_at),
                "revoked_at": stamp(found.revoked_at) if found.revoked_at else None,
                "current": found.id == current_id,
            }
            for found, username in rows
        ]
    }
