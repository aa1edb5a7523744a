"""Labelled corpus folders (ECB+-style events, PolNeAR-style attributions) into gold articles."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sacremoses import MosesDetokenizer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import make_engine, migrate
from app.ingest.parse import GivenMeta, RawArticle
from app.ingest.run import IngestReport, ingest_items
from app.models import Article

# PTB tokenisation as ECB+ distributes it: quotes as `` and '', clitics and hyphens split off.
PTB_QUOTES = (("``", "\u201c"), ("''", "\u201d"))
OPENS_QUOTE = {":", "(", "--"}  # tokens after which a straight quote opens
CLOSES_QUOTE = {",", ".", "!", "?", "...", "...."}  # ... and after which it closes
SPLIT_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
SPLIT_CLITIC = re.compile(r"(?<=\w) (n't)\b")
# ECB+ splits decimals, times and initials too ("4 . 6 magnitude", "2 : 09", "U . S ."): a line is
# one sentence, so a stop between digits or single capitals inside it is part of the token.
SPLIT_FIGURE = re.compile(r"(?<=\d) ([.:]) (?=\d)")
SPLIT_INITIALS = re.compile(r"\b[A-Z](?: \. [A-Z])+ \.")
TOKENISED_MARKS = re.compile(r" [,.;:?!] | ``|'' |\w 's\b")


@dataclass(frozen=True)
class Attribution:
    """One annotated attribution: who (source span), the cue, what (content spans)."""

    source: tuple[int, int, str] | None
    cue: tuple[int, int, str] | None
    content: tuple[tuple[int, int, str], ...]
    is_direct_quote: bool


@dataclass(frozen=True)
class CorpusArticle:
    id: str
    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: str | None = None
    event_id: str | None = None
    topic: str | None = None
    attributions: tuple[Attribution, ...] = field(default=())

    def as_raw(self) -> RawArticle:
        """The article as an ingest item; its corpus id is its source name."""
        given = GivenMeta(
            outlet=self.outlet, title=self.title, url=self.url, published_at=self.published_at
        )
        return RawArticle(self.id, self.text, given=given)


def is_tokenised(text: str) -> bool:
    """True for PTB-tokenised text (spaces before punctuation, `` quotes), as ECB+ ships it."""
    return len(TOKENISED_MARKS.findall(text)) >= max(2, text.count("\n") // 2)


def detokenise(text: str, detokeniser: MosesDetokenizer) -> str:
    """Readable text from PTB tokens: one paragraph a line, blank lines between paragraphs."""
    paragraphs = []
    for line in _facing_quotes(text).splitlines():
        for token, mark in PTB_QUOTES:
            line = line.replace(token, mark)
        line = SPLIT_CLITIC.sub(r"\1", SPLIT_HYPHEN.sub("-", line))
        line = SPLIT_FIGURE.sub(r"\1", line)
        line = SPLIT_INITIALS.sub(lambda initials: initials.group().replace(" ", ""), line)
        if line.strip():
            paragraphs.append(detokeniser.detokenize(line.split()))
    return "\n\n".join(paragraphs)


def _facing_quotes(text: str) -> str:
    """Straight quote tokens as the opening or closing marks they stand for: one that starts a
    line or follows a colon opens, one that ends a line or follows a stop or comma closes, the
    others alternate through the article (a quotation may run over several sentence lines).
    The detokeniser glues a lone straight one to the wrong word: 'people, "said'."""
    lines = []
    opening = True
    for line in text.splitlines():
        tokens = line.split(" ")
        for n, token in enumerate(tokens):
            if token != '"':
                continue
            before = tokens[n - 1] if n else ""
            if n == 0 or before in OPENS_QUOTE:
                opening = True
            elif n == len(tokens) - 1 or before in CLOSES_QUOTE:
                opening = False
            tokens[n] = "\u201c" if opening else "\u201d"
            opening = not opening
        lines.append(" ".join(tokens))
    return "\n".join(lines)


def load_corpus(folder: Path) -> list[CorpusArticle]:
    """A corpus folder: `articles.jsonl` (with `event_id` for event gold) and, for speaker gold,
    `attributions.jsonl` (PolNeAR's fields). Tokenised texts are detokenised, offsets kept valid
    only for untokenised ones (attributions need the text as annotated)."""
    attributions = _attributions(folder / "attributions.jsonl")
    detokeniser = MosesDetokenizer(lang="en")
    articles = []
    for row in _rows(folder / "articles.jsonl"):
        text = row["text"]
        if row["id"] not in attributions and is_tokenised(text):
            text = detokenise(text, detokeniser)
        articles.append(
            CorpusArticle(
                id=row["id"],
                text=text,
                outlet=row.get("outlet"),
                title=row.get("title"),
                url=row.get("url"),
                published_at=row.get("published_at"),
                event_id=row.get("event_id"),
                topic=row.get("topic"),
                attributions=tuple(attributions.get(row["id"], ())),
            )
        )
    return articles


def _rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _attributions(path: Path) -> dict[str, list[Attribution]]:
    found: dict[str, list[Attribution]] = {}
    if not path.exists():
        return found
    for row in _rows(path):
        found.setdefault(row["doc_id"], []).append(
            Attribution(
                source=_first_span(row.get("source")),
                cue=_first_span(row.get("cue")),
                content=tuple((s["start"], s["end"], s["text"]) for s in row.get("content") or ()),
                is_direct_quote=bool(row.get("is_direct_quote")),
            )
        )
    return found


def _first_span(spans: list[dict] | None) -> tuple[int, int, str] | None:
    return (spans[0]["start"], spans[0]["end"], spans[0]["text"]) if spans else None


@dataclass
class IngestedCorpus:
    engine: Engine
    report: IngestReport
    article_ids: dict[str, int]  # corpus id -> Article.id (a duplicate: the article it repeats)


def ingest_corpus(articles: list[CorpusArticle], folder: Path) -> IngestedCorpus:
    """Ingests the articles, in order, through the real pipeline into a new SQLite file."""
    url = f"sqlite:///{folder}/corpus.db"
    migrate(url)
    engine = make_engine(url)
    report = ingest_items(engine, (article.as_raw() for article in articles))
    with Session(engine) as session:
        rows = session.exec(select(Article.source_name, Article.id)).all()
    article_ids = dict(rows) | {item.source: item.article_id for item in report.duplicates}
    return IngestedCorpus(engine, report, article_ids)
