"""Turns files, uploads or pasted text (txt/md, html, json/jsonl) into raw articles or rejects."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path

import charset_normalizer
import htmldate
import trafilatura
import yaml
from yaml.composer import ComposerError

from app.ingest import patterns
from app.urls import CONTROL_CHARACTER

DEFAULT_MAX_BYTES = 5_000_000
TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
HTML_EXTENSIONS = {".html", ".htm"}
JSON_EXTENSIONS = {".json", ".jsonl", ".ndjson"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSON_EXTENSIONS
MANIFEST_NAME = "manifest.csv"
GIVEN_KEYS = ("outlet", "title", "url", "published_at", "dateline")
# The longest value each stated field may have (the admin form's limits): a longer one is no title
# but an attack or a mistake, and the item is rejected.
MAX_GIVEN_CHARS = {"outlet": 200, "title": 1000, "url": 2000, "published_at": 40, "dateline": 200}
# Front matter longer than this is not a metadata block.
MAX_FRONT_MATTER_CHARS = 20_000
# JSON nested deeper than this is no article (an article object holds strings).
MAX_JSON_DEPTH = 64
# When the detector scores several single-byte encodings alike (cp1250 and cp1252 decode most
# Western text identically but for accents), the one the web used most wins.
PREFERRED_LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
# HTML whose extracted text is shorter than this is a page without an article (an index, an error).
MIN_HTML_ARTICLE_WORDS = 40
# Below this share of printable characters, decoded bytes are binary data, not text.
MIN_PRINTABLE_RATIO = 0.95


@dataclass(frozen=True)
class GivenMeta:
    """Metadata stated explicitly by the source; it always wins over inference."""

    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: str | None = None
    dateline: str | None = None

    def overridden_by(self, other: "GivenMeta") -> "GivenMeta":
        return replace(self, **{f.name: v for f in fields(other) if (v := getattr(other, f.name))})

    @classmethod
    def from_mapping(cls, mapping: dict) -> "GivenMeta":
        """The known keys' values; BadInput if one is not a scalar or is longer than its limit."""
        values = {key: _given_value(key, mapping.get(key)) for key in GIVEN_KEYS}
        if not values["published_at"]:
            values["published_at"] = _given_value("published_at", mapping.get("date"))
        return cls(**values)


@dataclass
class RawArticle:
    source: str
    text: str
    html: str | None = None
    given: GivenMeta = field(default_factory=GivenMeta)
    author: str | None = None  # an HTML page's byline, for the feed poller (articles keep none)


@dataclass
class Rejected:
    source: str
    reason: str


@dataclass
class Skipped:
    """A file that is not an article (unsupported type): listed, not counted as an error."""

    source: str
    reason: str


Parsed = RawArticle | Rejected | Skipped


class BadInput(ValueError):
    """Input that cannot become an article; the message is the one-line reason."""


def parse_path(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Parsed]:
    return list(iter_path(path, max_bytes=max_bytes))


def iter_path(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Parsed]:
    """Files one by one (folders recursively, in name order), so a batch is never all in memory."""
    path = Path(path)
    if not path.exists():
        yield Rejected(str(path), "no such file or folder")
        return
    files = sorted(_visible_files(path)) if path.is_dir() else [path]
    manifests: dict[Path, dict[str, GivenMeta]] = {}
    for file in files:
        if file.name == MANIFEST_NAME:
            continue
        if file.parent not in manifests:
            manifests[file.parent] = _read_manifest(file.parent / MANIFEST_NAME)
        yield from parse_file(
            file, given=manifests[file.parent].get(file.name), max_bytes=max_bytes
        )


def _visible_files(folder: Path) -> Iterator[Path]:
    """Files under `folder`, leaving out hidden ones and those in hidden folders (.git, .cache)."""
    for file in folder.rglob("*"):
        if file.is_file() and not any(p.startswith(".") for p in file.relative_to(folder).parts):
            yield file


def parse_file(
    path: Path, *, given: GivenMeta | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Parsed]:
    source = str(path)
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        yield Skipped(source, f"unsupported file type {extension or '(none)'}")
        return
    try:
        if extension == ".jsonl" or extension == ".ndjson":
            yield from _parse_jsonl_file(path, source, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            raise BadInput(_too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as error:
        yield Rejected(source, f"cannot read file: {error.strerror or error}")
        return
    except BadInput as error:
        yield Rejected(source, str(error))
        return
    yield from parse_bytes(source, data, given=given, max_bytes=max_bytes)


def parse_bytes(
    name: str, data: bytes, *, given: GivenMeta | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Parsed]:
    """One uploaded or read file; the extension of `name` picks the format (default: plain text)."""
    extension = Path(name).suffix.lower()
    if extension and extension not in SUPPORTED_EXTENSIONS:
        return [Skipped(name, f"unsupported file type {extension}")]
    try:
        if len(data) > max_bytes:
            raise BadInput(_too_large(len(data), max_bytes))
        text = decode(data)
        if extension in HTML_EXTENSIONS:
            return [parse_html(name, text, given or GivenMeta())]
        if extension in JSON_EXTENSIONS:
            return _parse_json_document(name, text, extension)
    except BadInput as error:
        return [Rejected(name, str(error))]
    return parse_text(text, source=name, given=given, markdown=extension in {".md", ".markdown"})


def parse_text(
    text: str, source: str = "paste", *, given: GivenMeta | None = None, markdown: bool = False
) -> list[Parsed]:
    """Pasted or decoded plain text, with an optional front matter block of metadata."""
    front, body = split_front_matter(text)
    if markdown:
        body = strip_markdown(body)
    if not body.strip():
        return [Rejected(source, "empty: no article text")]
    try:
        stated = GivenMeta.from_mapping(front)
    except BadInput as error:
        return [Rejected(source, f"front matter: {error}")]
    return [RawArticle(source, body, given=stated.overridden_by(given or GivenMeta()))]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), then UTF-16 by BOM, then charset-normalizer's best guess."""
    if not data.strip():
        raise BadInput("empty file")
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _checked_text(data.decode(encoding, errors="replace"))
    try:
        return _checked_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        raise BadInput("binary file, not text")
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise BadInput("binary file or unknown text encoding")
    tied = {
        m.encoding: m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)
    }
    chosen = next((tied[e] for e in PREFERRED_LEGACY_ENCODINGS if e in tied), best)
    return _checked_text(str(chosen))


def _checked_text(text: str) -> str:
    sample = text[:20000]
    controls = len(CONTROL_CHARACTER.findall(sample))
    if "\x00" in sample or controls > (1 - MIN_PRINTABLE_RATIO) * len(sample):
        raise BadInput("binary file, not text")
    if not text.strip():
        raise BadInput("empty file")
    return text


class FrontMatterLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a few hundred bytes of nested aliases would otherwise
    expand to gigabytes (the "billion laughs")."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ComposerError(None, None, "anchors and aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict, str]:
    """The metadata block and the text after it; no block (or an unreadable one) leaves the text
    whole."""
    text = text.lstrip("\ufeff")
    match = patterns.FRONT_MATTER.match(text[: MAX_FRONT_MATTER_CHARS + 16])
    if not match:
        return {}, text
    try:
        front = yaml.load(match.group("body"), Loader=FrontMatterLoader)  # noqa: S506 (safe loader)
    except (yaml.YAMLError, RecursionError):
        return {}, text
    if not isinstance(front, dict):
        return {}, text
    return front, text[match.end() :]


# Every span is bounded and a link text holds no bracket, so a hostile file ("[" * 5_000_000 or
# "**a " repeated on one line) costs linear time, not quadratic.
MARKDOWN_RULES = (
    (re.compile(r"!\[[^\[\]\n]{0,300}\]\([^()\n]{0,2000}\)"), ""),  # images
    (re.compile(r"\[([^\[\]\n]{1,300})\]\([^()\n]{0,2000}\)"), r"\1"),  # links keep their text
    (re.compile(r"^#{1,6}\s+", re.M), ""),  # heading marks
    (re.compile(r"^>\s?", re.M), ""),  # block quotes
    (re.compile(r"\*\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*\*"), r"\1"),  # bold
    (re.compile(r"__(?=\S)([^_\n]{1,300}?)(?<=\S)__"), r"\1"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*(?![\w*])"), r"\1"),  # italics
)


def strip_markdown(text: str) -> str:
    for regex, replacement in MARKDOWN_RULES:
        text = regex.sub(replacement, text)
    return text


def parse_html(source: str, html: str, given: GivenMeta) -> RawArticle | Rejected:
    """trafilatura's article text and the page's metadata (site name, title, canonical URL, date,
    byline); `given` wins over the page's."""
    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # only dates the page states: a copyright year is no publication day
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on malformed markup
        return Rejected(source, f"unreadable HTML: {type(error).__name__}")
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.split()) < MIN_HTML_ARTICLE_WORDS:
        return Rejected(source, "HTML page with no article text")
    stated = GivenMeta(
        outlet=document.sitename or None,
        title=document.title or None,
        url=document.url or None,
        published_at=document.date or searched_date(html),
    )
    return RawArticle(
        source, text, html=html, given=stated.overridden_by(given), author=document.author or None
    )


def searched_date(html: str) -> str | None:
    """The page's date by htmldate's extensive search (free text, URL patterns), for pages whose
    markup states none. Its last resort is the copyright year, given as 1 January: a 1 January
    found this way is kept as the year only."""
    try:
        found = htmldate.find_date(html, extensive_search=True, original_date=True)
    except Exception:  # htmldate raises many kinds on malformed markup
        return None
    if found and found.endswith("-01-01"):
        return found[:4]
    return found


def _parse_json_document(source: str, text: str, extension: str) -> list[Parsed]:
    if extension in {".jsonl", ".ndjson"}:
        items = [_json_line(source, number, line) for number, line in _numbered_lines(text)]
        if not items:
            raise BadInput("no JSON lines: no articles")
        return items
    try:
        document = _load_json(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"invalid JSON: {error.msg} at line {error.lineno}") from error
    if isinstance(document, dict):
        return [_json_article(source, document)]
    if not isinstance(document, list):
        raise BadInput("JSON must be an article object or a list of them")
    if not document:
        raise BadInput("an empty JSON list: no articles")
    return [_json_article(f"{source}#{i}", item) for i, item in enumerate(document, start=1)]


def _parse_jsonl_file(path: Path, source: str, max_bytes: int) -> Iterator[Parsed]:
    """JSON lines are read one at a time, each line held to the size limit of one article."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > max_bytes:
                yield Rejected(f"{source}#{number}", _too_large(len(line), max_bytes))
                continue
            if not line.strip():
                continue
            try:
                yield _json_line(source, number, decode(line))
            except BadInput as error:
                yield Rejected(f"{source}#{number}", str(error))


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            yield number, line


def _json_line(source: str, number: int, line: str) -> Parsed:
    try:
        item = _load_json(line)
    except json.JSONDecodeError as error:
        return Rejected(f"{source}#{number}", f"invalid JSON: {error.msg}")
    except BadInput as error:
        return Rejected(f"{source}#{number}", str(error))
    return _json_article(f"{source}#{number}", item)


def _load_json(text: str) -> object:
    """The document, refused (BadInput) when nested deeper than any article needs."""
    if _json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise BadInput(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return json.loads(text)


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (checked before parsing, so the
    parser never recurses that deep)."""
    depth = 0
    for token in patterns.JSON_STRUCTURE.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        elif bracket in "]}":
            depth -= 1
    return False


def _json_article(source: str, item: object) -> Parsed:
    if not isinstance(item, dict):
        return Rejected(source, f"expected an article object, got {type(item).__name__}")
    for key in (*GIVEN_KEYS, "text", "html"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            return Rejected(source, f"field {key!r} must be a string, got {type(value).__name__}")
    try:
        given = GivenMeta.from_mapping(item)
    except BadInput as error:
        return Rejected(source, str(error))
    if isinstance(item.get("text"), str) and item["text"].strip():
        return RawArticle(source, item["text"], given=given)
    if isinstance(item.get("html"), str) and item["html"].strip():
        return parse_html(source, item["html"], given)
    return Rejected(source, "missing field 'text' or 'html'")


def _read_manifest(path: Path) -> dict[str, GivenMeta]:
    """A folder's manifest.csv (file, outlet, title, published_at, url, dateline) by file name."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {
            row["file"]: GivenMeta.from_mapping(row)
            for row in csv.DictReader(handle)
            if row.get("file")
        }


def _given_value(key: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise BadInput(f"field {key!r} must be a string, got {type(value).__name__}")
    text = str(value).strip()
    if len(text) > MAX_GIVEN_CHARS[key]:
        raise BadInput(f"field {key!r} too long: over {MAX_GIVEN_CHARS[key]} characters")
    return text or None


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size / 1e6:.1f} MB over the {limit / 1e6:.1f} MB limit"


def with_overrides(items: Iterable[Parsed], overrides: GivenMeta | None) -> Iterator[Parsed]:
    """The items, each article's stated metadata overridden by `overrides` (CLI or form values)."""
    for item in items:
        if overrides and isinstance(item, RawArticle):
            item.given = item.given.overridden_by(overrides)
        yield item
