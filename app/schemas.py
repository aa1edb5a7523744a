"""API response schemas: what each JSON endpoint returns, so `/docs` documents it."""

from datetime import date, datetime

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    detail: str | list = Field(description="What went wrong")


class EventRef(BaseModel):
    id: int
    title: str
    date: date | None
    url: str = Field(description="The event's HTML page")


class LeadClaim(BaseModel):
    id: int
    kind: str
    speaker: str | None
    text: str
    outlet_count: int
    url: str


class Report(BaseModel):
    published_at: datetime
    published_label: str
    outlets: list[str] = Field(description="Outlets that published at that moment (ties share)")


class EventSummary(BaseModel):
    id: int
    title: str
    date: date | None
    date_end: date | None = None
    location: str | None
    article_count: int
    outlets: list[str]
    lead_claim: LeadClaim | None = None
    related_events: list[EventRef] = []
    first_report: Report | None = Field(default=None, description="Who reported first")
    last_report: Report | None = Field(default=None, description="Who reported last")
    updated_at: datetime | None = Field(default=None, description="When its newest article came")
    updated_label: str | None = None
    url: str = Field(description="The event's HTML page")


class EventList(BaseModel):
    events: list[EventSummary]
    next: str | None = Field(description="Path of the next page, null on the last page")


class ArticleRef(BaseModel):
    id: int
    outlet: str
    title: str
    published_at: datetime | None
    url: str = Field(description="The article's page on Parallax")
    source_url: str | None = Field(description="The original article")


class Flag(BaseModel):
    kind: str
    detail: str
    label: str


class Cell(BaseModel):
    outlet: str
    state: str = Field(description="verbatim, paraphrased or not_reported")
    similarity: float | None
    article_id: int | None
    text: str | None


class ClaimRow(BaseModel):
    id: int
    kind: str
    speaker: str | None
    text: str
    outlets: list[str] = Field(description="Outlets that reported the claim")
    outlet_count: int
    flags: list[Flag]
    disagreements: list[str] = Field(description="Labels of the flags that are disagreements")
    cells: list[Cell] = Field(description="One per outlet of the event, in `outlets` order")
    url: str


class Coverage(BaseModel):
    outlet: str
    headline: str
    url: str
    published_at: datetime | None
    wire_copy: bool = Field(description="The outlet ran wire copy")
    first: bool = Field(description="Reported first (only when known times tell it apart)")


class EventDetail(BaseModel):
    id: int
    title: str
    date: date | None
    date_end: date | None
    location: str | None
    url: str
    related_events: list[EventRef]
    first_report: Report | None = None
    last_report: Report | None = None
    outlets: list[str]
    articles: list[ArticleRef]
    coverage: list[Coverage] = Field(description="Each outlet once: headline, wire copy, first")
    top_disagreements: list[ClaimRow]
    claims: list[ClaimRow]


class DiffOp(BaseModel):
    op: str = Field(description="equal, insert, delete or replace, against the reference")
    text: str = Field(description="The words of this phrasing (the removed words for delete)")
    old: str | None = Field(default=None, description="For replace: the reference's words")


class MentionOut(BaseModel):
    id: int
    article_id: int
    outlet: str
    text: str = Field(description="The outlet's exact sentence")
    quote: str | None = Field(description="The quoted words, for quotes")
    speaker: str | None
    similarity: float = Field(description="To the chosen reference outlet, 0-100")
    same_words: bool = Field(description="The reference's words (typography, case aside)")
    align_score: float | None = Field(description="Score of the match that joined it to the claim")
    align_reason: str | None = Field(description="Why alignment joined it (or kept it alone)")
    match_reasons: list[str] = Field(description="align_reason in plain words")
    state: str = Field(description="reference, same_words or reworded")
    label: str = Field(description="The state for readers: 'same words as NPR', 'reworded'")
    wire_copy: bool
    is_reference: bool
    diff: list[DiffOp] = Field(description="Changes from the reference (beside the quote)")
    quote_diff: list[DiffOp] | None = Field(description="Changes in the quoted words alone")
    url: str = Field(description="The phrasing in context in its article")


class ClaimDetail(BaseModel):
    id: int
    event_id: int | None
    kind: str
    speaker: str | None
    text: str
    mentions: list[MentionOut]
    missing_outlets: list[str]
    flags: list[Flag]
    reference: str | None = Field(description="Outlet whose phrasing the diffs compare against")
    url: str


class ArticleDetail(BaseModel):
    id: int
    outlet: str
    title: str
    url: str = Field(description="The article's page on Parallax")
    source_url: str | None = Field(description="The original article")
    published_at: datetime | None
    dateline: str | None
    event_id: int | None
    text: str
    removed_lines: list[str]


class ClaimHit(BaseModel):
    id: int
    event_id: int | None
    kind: str
    speaker: str | None
    text: str
    mention_id: int | None = Field(
        default=None, description="The outlet phrasing that matched, when not the claim's own"
    )
    outlet: str | None = Field(default=None, description="Whose wording matched")
    url: str


class ArticleHit(BaseModel):
    id: int
    event_id: int | None
    outlet: str | None
    title: str
    snippet: str
    url: str


class SearchResults(BaseModel):
    query: str
    claims: list[ClaimHit]
    articles: list[ArticleHit]


class ExportRow(BaseModel):
    event_id: int
    claim_id: int
    kind: str
    speaker: str
    claim_text: str
    outlet: str
    state: str
    article_id: int | None
    phrasing: str
    similarity: float | None
    flags: str


class EventExport(BaseModel):
    event_id: int
    rows: list[ExportRow]


class RecurringClaimRef(BaseModel):
    id: int
    event_id: int | None
    url: str


class RecurringClaim(BaseModel):
    speaker: str | None
    text: str
    claims: list[RecurringClaimRef] = Field(description="The claim in each event it recurs in")


class StorylineDetail(BaseModel):
    id: int
    title: str
    url: str
    events: list[EventSummary] = Field(description="In date order")
    recurring_claims: list[RecurringClaim]


class OutletArticle(BaseModel):
    id: int
    title: str
    url: str
    source_url: str | None
    published_at: datetime | None
    event: EventRef | None


class OutletDetail(BaseModel):
    id: int
    name: str
    url: str
    article_count: int
    event_count: int
    first_reports: int = Field(description="Events it reported first (known times only)")
    wire_copies: int = Field(description="Articles that are wire copy")
    left_out: int = Field(description="Claims most of the event's other outlets carried, not it")
    articles: list[OutletArticle] = Field(description="Newest first")
