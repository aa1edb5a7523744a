"""Turns paths or raw items into stored articles (one transaction each) and an ingest report."""

import argparse
import json
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from sqlalchemy import bindparam, func, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select
from tqdm import tqdm

from app.db import EVENT_ASSIGNMENT_LOCK, make_engine, session_scope, take_turns
from app.ingest import align, copies, events, repeats
from app.ingest.clean import Cleaned, clean
from app.ingest.meta import ArticleMeta, infer, parse_given_date
from app.ingest.parse import (
    DEFAULT_MAX_BYTES,
    GivenMeta,
    Parsed,
    RawArticle,
    Rejected,
    Skipped,
    iter_path,
    with_overrides,
)
from app.models import Article, Event, Outlet
from app.urls import is_web_url

# Built once: the per-article lookups then skip statement construction.
ARTICLE_BY_HASH = select(Article.id).where(Article.content_hash == bindparam("digest"))
OUTLET_BY_NAME = select(Outlet.id).where(Outlet.name == bindparam("name"))
# Above this many files the CLI shows a progress bar on stderr.
PROGRESS_BAR_MIN_FILES = 20
# A concurrent ingest of the same text or outlet surfaces as a unique-key violation, or in SQLite's
# WAL mode as "database is locked" when our read snapshot went stale; after it a retry sees the
# other's rows (the text as a duplicate, the outlet to reuse).
ATTEMPTS = 3
# Articles whose text work (`stage_ahead`) a worker process may have done before they are stored.
READ_AHEAD = 8
# Above this many files the CLI does the text work in a worker process (starting one takes ~1 s).
TEXT_WORKER_MIN_FILES = 20


@dataclass
class Added:
    source: str
    article_id: int
    copy_of_id: int | None = None
    title: str | None = None
    attention: list[str] = field(default_factory=list)  # why an admin should check it

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention)


@dataclass
class Duplicate:
    source: str
    article_id: int  # the stored article with the same text
    # That article came from this same source: the input came again (a re-run job, a re-upload),
    # rather than another article's text under a new name.
    already_stored: bool = False


@dataclass
class Problem:
    source: str
    reason: str


@dataclass
class IngestReport:
    added: list[Added] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    events: set[int] = field(default_factory=set)  # events that gained an article

    def to_dict(self) -> dict:
        return {
            "added": [asdict(item) for item in self.added],
            "duplicates": [asdict(item) for item in self.duplicates],
            "rejected": [asdict(item) for item in self.rejected],
            "skipped": [asdict(item) for item in self.skipped],
            "events": sorted(self.events),
        }

    def summary_lines(self) -> list[str]:
        attention = sum(item.needs_attention for item in self.added)
        copies_found = sum(item.copy_of_id is not None for item in self.added)
        stored = [d for d in self.duplicates if d.already_stored]
        others = [d for d in self.duplicates if not d.already_stored]
        lines = [
            f"added {len(self.added)} ({copies_found} copies of earlier articles, "
            f"{attention} need attention), {len(stored)} already stored, "
            f"skipped {len(others)} as duplicate of another article, "
            f"rejected {len(self.rejected)}, ignored {len(self.skipped)} non-article files"
        ]
        if self.events:
            lines.append(f"events gaining articles: {len(self.events)}")
        lines += [
            f"needs attention: {a.source} (article {a.article_id}): {', '.join(a.attention)}"
            for a in self.added
            if a.attention
        ]
        lines += [f"already stored: {d.source} (article {d.article_id})" for d in stored]
        lines += [f"duplicate: {d.source} (same text as article {d.article_id})" for d in others]
        lines += [f"ignored: {s.source}: {s.reason}" for s in self.skipped]
        lines += [f"rejected: {r.source}: {r.reason}" for r in self.rejected]
        return lines


Outcome = Added | Duplicate | Problem


def tell_duplicates_apart(engine: Engine, report: IngestReport) -> IngestReport:
    """Marks each duplicate whose stored article came from the same source (file name, upload
    name or URL) as already stored; the others repeat another article's text."""
    stored_ids = {duplicate.article_id for duplicate in report.duplicates}
    if not stored_ids:
        return report
    with Session(engine) as session:
        rows = session.execute(
            select(Article.id, Article.source_name, Article.url).where(
                col(Article.id).in_(stored_ids)
            )
        ).all()
    sources = {article_id: (source_name, url) for article_id, source_name, url in rows}
    for duplicate in report.duplicates:
        stored_source, stored_url = sources.get(duplicate.article_id, ("", None))
        duplicate.already_stored = duplicate.source == stored_url or _same_source(
            duplicate.source, stored_source
        )
    return report


def _same_source(source: str, stored: str) -> bool:
    """The same URL, or the same file name whatever folder it was read from (a folder ingested
    from the command line, then its files uploaded)."""
    if is_web_url(source) or is_web_url(stored):
        return source == stored
    return PurePath(source).name == PurePath(stored).name


def ingest_items(
    engine: Engine,
    items: Iterable[Parsed],
    *,
    on_progress: Callable[[int], None] | None = None,
    run_hooks: bool = True,
    text_worker: bool = False,
) -> IngestReport:
    """The single path from parsed items to stored articles, for the CLI and the admin upload.

    on_progress(done) is called after each item. `text_worker`: the text work of the next
    articles (`stage_ahead`) runs in a second process while this one stores (large batches)."""
    report = IngestReport()
    staged_items = _staged_in_worker(items) if text_worker else _staged_here(items)
    for done, (item, staged) in enumerate(staged_items, start=1):
        if isinstance(item, Skipped):
            report.skipped.append(Problem(item.source, item.reason))
        elif isinstance(item, Rejected):
            report.rejected.append(Problem(item.source, item.reason))
        else:
            _record(report, *ingest_one(engine, item, run_hooks=run_hooks, staged=staged))
        if on_progress:
            on_progress(done)
    return report


def _record(report: IngestReport, outcome: Outcome, event_id: int | None) -> None:
    if isinstance(outcome, Added):
        report.added.append(outcome)
        if event_id is not None:
            report.events.add(event_id)
    elif isinstance(outcome, Duplicate):
        report.duplicates.append(outcome)
    else:
        report.rejected.append(outcome)


def ingest_paths(
    engine: Engine,
    paths: Iterable[Path | str],
    overrides: GivenMeta | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int], None] | None = None,
    run_hooks: bool = True,
    text_worker: bool = False,
) -> IngestReport:
    items = with_overrides(
        (item for path in paths for item in iter_path(path, max_bytes=max_bytes)), overrides
    )
    return ingest_items(
        engine, items, on_progress=on_progress, run_hooks=run_hooks, text_worker=text_worker
    )


@dataclass
class Staged:
    """An article's stages before storage: clean text, metadata, hashes."""

    raw: RawArticle
    cleaned: Cleaned
    meta: ArticleMeta
    content_hash: str
    shingles: set[int]
    claims: align.ReadAhead | None = None  # its clean text's claims, when read ahead


def stage(raw: RawArticle) -> Staged | Problem:
    cleaned = clean(raw.text, title=raw.given.title)
    if not cleaned.text.strip():
        return Problem(raw.source, "no story text left after removing boilerplate")
    content_hash, shingles = copies.fingerprint(cleaned.text)
    return Staged(raw, cleaned, infer(raw, cleaned), content_hash, shingles)


# In the text worker: what storing will leave of each article's clean text, foreseen in input order.
STORED_TEXT_FORECAST = repeats.FurnitureForecast()


def stage_ahead(raw: RawArticle) -> Staged | Problem:
    """`stage`, and the claims of the text storing is foreseen to leave of its clean text (its
    outlet's furniture gone): all of an article's text work that needs no store, for a worker
    process that is given the batch in order (the claims stand when storing leaves that text)."""
    staged = stage(raw)
    if isinstance(staged, Staged):
        text = STORED_TEXT_FORECAST.stored_text(
            staged.meta.outlet, staged.cleaned, staged.content_hash
        )
        staged.claims = align.read_ahead(text)
    return staged


def _staged_here(items: Iterable[Parsed]) -> Iterator[tuple[Parsed, None]]:
    """Each item, staged later by `ingest_one` in this process."""
    for item in items:
        yield item, None


def _staged_in_worker(items: Iterable[Parsed]) -> Iterator[tuple[Parsed, Staged | Problem | None]]:
    """Each item in order with its articles' text work (`stage_ahead`), done in a worker process
    at most READ_AHEAD articles ahead of the one being stored. A spawned process: a forked one
    would inherit the caller's threads and open connections."""
    pending: deque[tuple[Parsed, Future | None]] = deque()
    with text_worker_pool() as worker:
        for item in items:
            ahead = _submitted(worker, item) if isinstance(item, RawArticle) else None
            pending.append((item, ahead))
            if len(pending) > READ_AHEAD:
                yield _settled(*pending.popleft())
        while pending:
            yield _settled(*pending.popleft())


def text_worker_pool() -> ProcessPoolExecutor:
    """One spawned worker process that ends with the process that started it."""
    return ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=_exit_with_parent
    )


def _exit_with_parent() -> None:
    """In the worker: exit once its parent has gone, however it went. A pool's worker outlives a
    killed or terminated ingest otherwise, waiting for work that never comes."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(1)


def _submitted(worker: ProcessPoolExecutor, raw: RawArticle) -> Future | None:
    try:
        return worker.submit(stage_ahead, raw)
    except BrokenProcessPool:
        return None


def _settled(item: Parsed, ahead: Future | None) -> tuple[Parsed, Staged | Problem | None]:
    """The item with its text work, or with none when the worker failed at it: the article is
    then staged here, where a failure is reported for that article alone."""
    if ahead is None or ahead.exception() is not None:
        return item, None
    return item, ahead.result()


def ingest_one(
    engine: Engine,
    raw: RawArticle,
    *,
    run_hooks: bool = True,
    staged: Staged | Problem | None = None,
) -> tuple[Outcome, int | None]:
    """Stores one article in its own transaction; returns the outcome and the article's event.
    `staged`: the article's text work when done already (`stage_ahead`)."""
    staged = staged if staged is not None else stage(raw)
    if isinstance(staged, Problem):
        return staged, None
    for _attempt in range(ATTEMPTS):
        try:
            with session_scope(engine) as session:
                return _store(session, staged, run_hooks)
        except (IntegrityError, OperationalError) as error:
            with Session(engine) as session:
                duplicate_of = _article_with_hash(session, staged.content_hash)
            if duplicate_of is not None:
                return Duplicate(raw.source, duplicate_of), None
            last_error: Exception = error
        except Exception as error:  # one article's failure must not stop the batch
            return Problem(raw.source, f"failed while storing: {_one_line(error)}"), None
    return Problem(raw.source, f"failed while storing: {_one_line(last_error)}"), None


def _store(session: Session, staged: Staged, run_hooks: bool) -> tuple[Outcome, int | None]:
    existing = _article_with_hash(session, staged.content_hash)
    if existing is not None:
        return Duplicate(staged.raw.source, existing), None
    article = add_article(session, staged)
    if run_hooks:
        # Concurrent ingests place and align articles one at a time, so each sees the events the
        # others opened: a story is never split over two events opened at once.
        take_turns(session, EVENT_ASSIGNMENT_LOCK)
        events.assign_article(session, article)
        if events.consolidate(session, article.event_id):
            # the merged events' claims are aligned with each other and the article's, at once
            align.store_mentions(session, article, staged.claims)
            align.realign_event(session, article.event_id)
        else:
            align.update_event_claims(session, article, staged.claims)
    outcome = Added(
        staged.raw.source,
        article.id,
        article.copy_of_id,
        title=article.title,
        attention=staged.meta.attention_reasons,
    )
    return outcome, article.event_id


def add_article(session: Session, staged: Staged) -> Article:
    """Adds the staged article (outlet, copy link, shingles) to the session, before any event,
    without the short lines its outlet's earlier articles all printed (its content hash stays that
    of the page's own cleaning, so the same page is a duplicate however often it comes)."""
    meta = staged.meta
    copy_of_id, copy_overlap = copies.find_copy(session, staged.shingles) or (None, None)
    outlet_id = _outlet_id(session, meta) if meta.outlet else None
    cleaned = staged.cleaned
    if outlet_id is not None:
        cleaned = repeats.without_outlet_furniture(session, outlet_id, cleaned)
    article = Article(
        outlet_id=outlet_id,
        title=meta.title,
        url=meta.url,
        published_at=meta.published_at,
        date_precision=meta.date_precision,
        published_offset=meta.published_offset,
        dateline=meta.dateline,
        language=meta.language,
        source_name=staged.raw.source,
        raw_text=staged.raw.text,
        clean_text=cleaned.text,
        removed_lines=json.dumps(cleaned.removed, ensure_ascii=False),
        content_hash=staged.content_hash,
        copy_of_id=copy_of_id,
        copy_overlap=copy_overlap,
        needs_attention=meta.needs_attention,
        attention_reasons=", ".join(meta.attention_reasons),
    )
    session.add(article)
    session.flush()
    copies.store_shingles(session, article.id, staged.shingles)
    repeats.record_lines(session, article.id, staged.cleaned)
    return article


def _outlet_id(session: Session, meta: ArticleMeta) -> int:
    outlet_id = session.execute(OUTLET_BY_NAME, {"name": meta.outlet}).scalar()
    if outlet_id is None:
        outlet = Outlet(name=meta.outlet, domain=_domain(meta.url))
        session.add(outlet)
        session.flush()
        outlet_id = outlet.id
    return outlet_id


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _one_line(error: Exception) -> str:
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line[:200]}"


def _article_with_hash(session: Session, digest: str) -> int | None:
    return session.execute(ARTICLE_BY_HASH, {"digest": digest}).scalar()


def preview(engine: Engine, raw: RawArticle) -> dict:
    """What ingesting `raw` would do, without writing: clean text, removed lines, metadata,
    the article it duplicates, the one it copies and the event it would join or open."""
    staged = stage(raw)
    if isinstance(staged, Problem):
        return {"source": raw.source, "rejected": staged.reason}
    meta = staged.meta
    with Session(engine) as session:
        duplicate_of = _article_with_hash(session, staged.content_hash)
        found = copies.find_copy(session, staged.shingles)
        event = None if duplicate_of else _event_preview(session, staged)
    return {
        "source": raw.source,
        "rejected": None,
        "clean_text": staged.cleaned.text,
        "removed": staged.cleaned.removed,
        "meta": {
            "outlet": meta.outlet,
            "title": meta.title,
            "url": meta.url,
            "published_at": meta.published_at.isoformat() if meta.published_at else None,
            "date_precision": meta.date_precision,
            "dateline": meta.dateline,
            "language": meta.language,
            "evidence": meta.evidence,
        },
        "needs_attention": meta.needs_attention,
        "attention_reasons": meta.attention_reasons,
        "duplicate_of": duplicate_of,
        "copy_of": found[0] if found else None,
        "copy_overlap": found[1] if found else None,
        "event": event,
    }


def _event_preview(session: Session, staged: Staged) -> dict:
    """The event ingest would put the article in, found by running the real assignment inside
    a transaction that is then rolled back: nothing is written."""
    try:
        newest_before = session.exec(select(func.max(Event.id))).one() or 0
        article = add_article(session, staged)
        events.assign_article(session, article)
        event = session.get(Event, article.event_id)
        return {
            "id": event.id,
            "title": event.title,
            "new": event.id > newest_before,
            "score": article.event_score,
            "reason": article.event_reason,
        }
    finally:
        session.rollback()


# --- command line -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=Path, help="files or folders (searched recursively)"
    )
    parser.add_argument("--outlet", help="outlet name for every article (overrides inference)")
    parser.add_argument("--url", type=web_url, help="source http(s) URL for every article")
    parser.add_argument(
        "--published-at",
        type=stated_date,
        help="publication date for every article: 2022-07-09, 2022-07, 2022 or July 9, 2022",
    )
    parser.add_argument(
        "--no-claims", action="store_true", help="skip event assignment and alignment"
    )


def web_url(value: str) -> str:
    if not is_web_url(value):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def stated_date(value: str) -> str:
    if not parse_given_date(value):
        raise argparse.ArgumentTypeError(
            f"unreadable date {value!r}: give 2022-07-09, 2022-07, 2022 or July 9, 2022"
        )
    return value


def main(settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table("article"):
            print("the database has no tables yet: run `parallax migrate` first", file=sys.stderr)
            return 2
        overrides = GivenMeta(outlet=args.outlet, url=args.url, published_at=args.published_at)
        files = _count_files(args.paths)
        with _progress(files) as on_progress:
            report = ingest_paths(
                engine,
                args.paths,
                overrides,
                max_bytes=settings.max_article_bytes,
                on_progress=on_progress,
                run_hooks=not args.no_claims,
                text_worker=files > TEXT_WORKER_MIN_FILES,
            )
        tell_duplicates_apart(engine, report)
    finally:
        engine.dispose()
    for line in report.summary_lines():
        print(line)
    return 1 if report.rejected else 0


def _count_files(paths: Iterable[Path]) -> int:
    return sum(
        sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1 for path in paths
    )


@contextmanager
def _progress(files: int) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr for big batches, counting parsed items; nothing for small ones.

    The file count is the expected total; JSON files holding many articles raise it as they come,
    and files left out (hidden, manifests) are settled when the batch ends."""
    if files <= PROGRESS_BAR_MIN_FILES:
        yield None
        return
    with tqdm(total=files, unit="item", file=sys.stderr, dynamic_ncols=True) as bar:

        def update(done: int) -> None:
            bar.total = max(bar.total, done)
            bar.update(done - bar.n)

        yield update
        bar.total = bar.n
