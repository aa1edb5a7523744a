"""Database tables: outlets, articles, events, storylines, claims, mentions, admin data, feeds."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    # sqlmodel's datetime columns store aware datetimes only (naive ones raise on insert).
    return datetime.now(UTC)


def cascade_fk(target: str, *, nullable: bool = False, index: bool = True) -> Column:
    """A foreign key whose rows go when the row they point to is deleted."""
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable, index=index)


def set_null_fk(target: str) -> Column:
    """A foreign key that becomes NULL when the row it points to is deleted."""
    return Column(Integer, ForeignKey(target, ondelete="SET NULL"), nullable=True, index=True)


class Outlet(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    domain: str | None = None


class Storyline(SQLModel, table=True):
    """Events that continue one story (e.g. successive meetings of the same two ministers)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """One real-world happening: a meeting, a vote, a speech."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    date_start: date | None = Field(default=None, index=True)
    date_end: date | None = None
    location: str | None = None
    storyline_id: int | None = Field(default=None, sa_column=set_null_fk("storyline.id"))
    merged_into_id: int | None = Field(default=None, sa_column=set_null_fk("event.id"))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EventKey(SQLModel, table=True):
    """Blocking keys (entities, places, date buckets) that find candidate events without a scan."""

    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    )
    key: str = Field(primary_key=True, index=True)
    weight: float = 1.0


class EventTerm(SQLModel, table=True):
    """An event's text profile: the sum of its articles' TF-IDF vectors, its heaviest terms kept."""

    __tablename__ = "event_term"
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    )
    term: str = Field(primary_key=True, index=True)
    weight: float = 0.0


class TermCount(SQLModel, table=True):
    """How many stored articles use a word: the document frequency behind its IDF."""

    __tablename__ = "term_count"
    term: str = Field(primary_key=True)
    articles: int = 0


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    outlet_id: int | None = Field(default=None, sa_column=set_null_fk("outlet.id"))
    title: str | None = None
    url: str | None = Field(default=None, index=True)
    published_at: datetime | None = Field(default=None, index=True)
    date_precision: str | None = None  # "day", "month" or "year": how much of published_at is known
    # Minutes east of UTC of the time the source stated (None: no zone stated, the day is UTC's).
    published_offset: int | None = None
    dateline: str | None = None
    language: str | None = None
    source_name: str = ""  # file name, upload name or "paste"
    raw_text: str
    clean_text: str
    removed_lines: str = "[]"  # JSON list of the boilerplate lines cleaning took out
    content_hash: str = Field(index=True, unique=True)
    copy_of_id: int | None = Field(default=None, sa_column=set_null_fk("article.id"))
    copy_overlap: float | None = None
    needs_attention: bool = Field(default=False, index=True)
    attention_reasons: str = ""  # comma-separated: "unknown outlet", "unknown date", ...
    event_id: int | None = Field(default=None, sa_column=set_null_fk("event.id"))
    event_score: float | None = None
    event_reason: str | None = None
    event_locked: bool = False  # an admin placed it: automatic runs leave it where it is
    ingested_at: datetime = Field(default_factory=utcnow)

    @property
    def published_day(self) -> date | None:
        """The publication day where the outlet published it (a page stamped late on 19 January
        in New York is of 19 January, though it is 20 January in UTC)."""
        return local_day(self.published_at, self.published_offset)


def local_day(moment: datetime | None, offset_minutes: int | None) -> date | None:
    """The day of an aware UTC moment at a UTC offset (None: UTC's own day)."""
    if moment is None:
        return None
    return (moment.astimezone(UTC) + timedelta(minutes=offset_minutes or 0)).date()


class OutletLine(SQLModel, table=True):
    """How many of an outlet's articles printed a short non-story line (by hash): the lines its
    pages repeat on every article are its page furniture."""

    __tablename__ = "outlet_line"
    outlet_id: int = Field(
        sa_column=Column(Integer, ForeignKey("outlet.id", ondelete="CASCADE"), primary_key=True)
    )
    line_hash: int = Field(sa_type=BigInteger, primary_key=True)
    articles: int = 0


class ArticleLine(SQLModel, table=True):
    """A short non-story line (by hash) an article printed, as counted in OutletLine: deleting
    the article, or changing its outlet, takes its lines off its outlet's counts."""

    __tablename__ = "article_line"
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    line_hash: int = Field(sa_type=BigInteger, primary_key=True)


class ArticleShingle(SQLModel, table=True):
    """Sampled hashes of word n-grams: near-duplicate and wire-copy candidates by index lookup."""

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    hash: int = Field(sa_type=BigInteger, primary_key=True, index=True)  # 61-bit rolling hash


class Claim(SQLModel, table=True):
    """One thing reported about an event, aligned across the articles that report it."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, sa_column=cascade_fk("event.id", nullable=True))
    kind: str  # "quote", "statement" or "figure"
    speaker: str | None = None
    text: str  # the reference phrasing
    normalized: str = ""
    flags: str = "[]"  # JSON list of {"kind": ..., "detail": ...}
    outlet_count: int = 0
    independent_count: int = 0
    merged_into_id: int | None = Field(default=None, sa_column=set_null_fk("claim.id"))
    removed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Mention(SQLModel, table=True):
    """One claim's occurrence in one article, with its exact span in the article's clean text."""

    __table_args__ = (UniqueConstraint("article_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int | None = Field(default=None, sa_column=cascade_fk("claim.id", nullable=True))
    article_id: int = Field(sa_column=cascade_fk("article.id"))
    kind: str
    start: int
    end: int
    text: str  # the exact sentence
    quote: str | None = None  # the quoted words, for quotes
    speaker: str | None = None  # canonical name within the event
    speaker_raw: str | None = None  # as written ("the secretary", "he")
    numbers: str = "[]"  # JSON list of {"value": ..., "unit": ..., "text": ...}
    similarity: float | None = None  # to the claim's reference phrasing, 0-100
    align_score: float | None = None
    align_reason: str | None = None
    wire_copy_of_id: int | None = Field(default=None, sa_column=set_null_fk("article.id"))
    manual: bool = False  # an admin attached or split it: re-alignment keeps it


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True)
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow)


class AdminSession(SQLModel, table=True):
    """A sign-in; the cookie carries only its random id, so revoking the row ends the session."""

    __tablename__ = "admin_session"
    id: str = Field(primary_key=True)
    user_id: int = Field(sa_column=cascade_fk("user.id"))
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    username: str
    action: str
    target: str = ""
    detail: str = ""


class IngestJob(SQLModel, table=True):
    """A batch upload ingested in the background, with its progress and final report."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = ""
    status: str = "queued"  # queued, running, done, failed
    total: int = 0
    done: int = 0
    report: str = "{}"  # JSON
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    # The queue: the job's input, parsed items or uploaded files (JSON, emptied when the job ends),
    # how many times a worker claimed it, and when its worker last showed it was alive (a job
    # silent too long is taken over).
    payload: str = "{}"
    attempts: int = 0
    heartbeat_at: datetime | None = None


class SigninAttempt(SQLModel, table=True):
    """A sign-in attempt counted under one limiter key: every web worker sees the same counts."""

    __tablename__ = "signin_attempt"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # JSON of the key: ["pair", account, address], ...
    at: float = Field(index=True)  # seconds since the epoch


class Feed(SQLModel, table=True):
    """An outlet's RSS/Atom feed or news sitemap, polled for new articles."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)
    outlet: str | None = None  # stated by the admin: wins over what the pages say
    kind: str | None = None  # "rss", "atom" or "sitemap", known after the first poll
    title: str | None = None
    allow_private: bool = False  # the admin allowed this feed's host on a private address
    interval_minutes: int = 30
    etag: str | None = None
    last_modified: str | None = None
    added_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    next_poll_at: datetime = Field(default_factory=utcnow, index=True)
    last_error: str | None = None
    error_count: int = 0  # consecutive failed polls: the back-off grows with it


class FeedItem(SQLModel, table=True):
    """One link a feed listed and what became of it (stored, duplicate, empty, refused...)."""

    __table_args__ = (UniqueConstraint("feed_id", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(sa_column=cascade_fk("feed.id"))
    url: str = Field(index=True)
    canonical_url: str | None = Field(default=None, index=True)
    author: str | None = None  # the page's byline, else the feed's (articles keep no author)
    status: str  # stored, duplicate, empty, paywalled, refused, failed
    reason: str = ""
    article_id: int | None = Field(default=None, sa_column=set_null_fk("article.id"))
    attempts: int = 1
    seen_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A bearer token for the push API: only its sha256 is kept; revoked tokens stay listed."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    token_hash: str = Field(index=True, unique=True)
    scope: str = "ingest"
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class DataVersion(SQLModel, table=True):
    """One row: a counter every committed write bumps (app.db), so an HTTP cache keyed on it never
    serves a page rendered before the write."""

    __tablename__ = "data_version"
    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


class EventVersion(SQLModel, table=True):
    """Per event, the data version of the last committed write that changed what its pages show
    (app.db); the row of event id 0 (`ALL_EVENTS`) moves for writes no one event holds. An event
    page is valid while neither moved, whatever other events' writes did."""

    __tablename__ = "event_version"
    event_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    # The version of the last write to the event's own rows (its articles, mentions, claims, its
    # row), not to what its storyline siblings show of it: what ingest's memos follow (app.db).
    changed: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
