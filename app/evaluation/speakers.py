"""Attribution-labelled corpora (PolNeAR) and a fresh ingest into the named speakers' accuracy."""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from app.db import PROJECT_ROOT
from app.evaluation.alignment import locate
from app.evaluation.corpora import Attribution, CorpusArticle, ingest_corpus, load_corpus
from app.evaluation.metrics import Metric
from app.models import Article, Mention

POLNEAR_DIR = PROJECT_ROOT.parent / "shared" / "corpora" / "polnear"
# (split, floor): train is where speakers are developed, dev is held out and gated. Issue 11 asks
# 0.90 on dev; the floor sits just under what is reached (0.902, 266 of 295) so it cannot fall
# back.
SPLITS = (("train", None), ("dev", 0.90))
MIN_QUOTE_WORDS = 6  # as claims: shorter units are fragments
OPENING_QUOTES = '“"‘'
# Source spans read up to their first comma or bracket: "Flynn, a top Trump surrogate," -> "Flynn".
SOURCE_HEAD = re.compile(r"^[^,(]+")
# "Sen. Tom Cole of Oklahoma", "Joel Pollak of Breitbart California": the name before "of" is who
# speaks; where only a title stands before it ("Secretary of State John Kerry") the whole head.
OF_TAIL = re.compile(r"\s+of\s+.*$")
NAME_RUN = re.compile(r"(?:[A-Z][\w’'.\-]*\s+)*[A-Z][\w’'.\-]*$")
LEADING_TITLE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Rev|Retired|Former|President|Senator|Speaker|"
    r"House|Chairman|Secretary|Attorney|General|Judge|Gov|Vice|Prime|Minister|Prince|Princess|"
    r"King|Queen|Pope|Sheikh)\.?\s+)+"
)
# A source that describes someone rather than naming them: an indefinite phrase ("one senior
# Democrat", "a South Carolina Democrat", but "an angry Hollande" names him) or one whose name
# is the object of a preposition ("a longtime adviser to Trump", "a spokesman for Democrats").
INDEFINITE = re.compile(r"^(?i:one|another|some|several)\s|^(?i:a|an)\s+(?:[A-Z][\w’'.\-]*\s*)+$")
NAME_AS_OBJECT = re.compile(r"\b(?:to|for|with|by|from|at|about)\b")
POSSESSIVE_ENDING = re.compile(r"[’']s?$")


@dataclass(frozen=True)
class NamedQuote:
    article_id: str
    quote: str
    speaker: str  # the annotated source's name, titles stripped


@dataclass
class SpeakerScores:
    total: int = 0
    found: int = 0  # the quote's mention has a speaker
    right: int = 0  # ... and it names the annotated source
    errors: list[str] = field(default_factory=list)


def evaluate(*, data_root: Path = PROJECT_ROOT) -> list[Metric]:
    """Speaker accuracy on each split of PolNeAR beside the checkout (`../shared/corpora/polnear`);
    a notice, no figure, when absent."""
    root = data_root.parent / POLNEAR_DIR.relative_to(PROJECT_ROOT.parent)
    metrics = []
    for split, floor in SPLITS:
        folder = root / split
        if not (folder / "attributions.jsonl").exists():
            print(f"(PolNeAR {split} not found at {folder}: speaker gate skipped)")
            continue
        metrics += corpus_metrics(folder, f"PolNeAR {split}", floor)
    return metrics


def corpus_metrics(folder: Path, name: str, floor: float | None = None) -> list[Metric]:
    """Named speakers' accuracy on an attribution-labelled folder (PolNeAR's files)."""
    scores = score_corpus(load_corpus(folder))
    return [
        Metric(f"{name}: named quotes", scores.total),
        Metric(f"{name}: speaker found", scores.found),
        Metric(f"{name}: speaker right", scores.right),
        Metric(f"{name}: speaker accuracy", scores.right / max(scores.total, 1), floor),
    ]


def score_corpus(articles: list[CorpusArticle]) -> SpeakerScores:
    with tempfile.TemporaryDirectory() as folder:
        ingested = ingest_corpus(articles, Path(folder))
        try:
            with Session(ingested.engine) as session:
                return score_speakers(session, articles, ingested.article_ids)
        finally:
            ingested.engine.dispose()


def score_speakers(
    session: Session, articles: list[CorpusArticle], article_ids: dict[str, int]
) -> SpeakerScores:
    scores = SpeakerScores()
    for article in articles:
        stored_id = article_ids.get(article.id)
        stored = session.get(Article, stored_id) if stored_id is not None else None
        mentions = session.exec(select(Mention).where(Mention.article_id == stored_id)).all()
        clean_text = stored.clean_text if stored else ""
        for gold in named_quotes(article):
            scores.total += 1
            found = _speaker_of(gold.quote, clean_text, mentions)
            scores.found += found is not None
            if found is not None and same_speaker(found, gold.speaker):
                scores.right += 1
            else:
                scores.errors.append(f"{gold.article_id}: {gold.quote[:60]} -> {found} ({gold})")
    return scores


def named_quotes(article: CorpusArticle) -> list[NamedQuote]:
    """Direct quotations (starting with a quotation mark, >= 6 words) whose source is a name.
    A quotation annotated twice (two annotators) counts once."""
    quotes = []
    seen = set()
    for attribution in article.attributions:
        speaker = source_name(attribution)
        if not attribution.is_direct_quote or speaker is None:
            continue
        for _, _, text in attribution.content:
            text = text.strip()
            is_direct = text[:1] in OPENING_QUOTES and len(text.split()) >= MIN_QUOTE_WORDS
            if is_direct and text not in seen:
                seen.add(text)
                quotes.append(NamedQuote(article.id, text, speaker))
    return quotes


def source_name(attribution: Attribution) -> str | None:
    """The name a source span ends its head with ("House Speaker Paul D. Ryan (R-Wis.)" ->
    "Paul D. Ryan"); None for pronouns, headings and descriptions ("the New York businessman",
    "a longtime adviser to Trump")."""
    if attribution.source is None:
        return None
    head = SOURCE_HEAD.match(attribution.source[2].strip())
    if head is None:
        return None
    phrase = head.group().strip()
    name = _name_ending(OF_TAIL.sub("", phrase)) or _name_ending(phrase)
    words = (name or "").split()
    if not words or words[0].lower() in ("he", "she", "i", "we", "they", "it", "the"):
        return None
    if _is_headline(words) or _is_description(phrase, words[0]):
        return None
    return name


def _name_ending(phrase: str) -> str | None:
    run = NAME_RUN.search(phrase)
    if run is None:
        return None
    name = LEADING_TITLE.sub("", run.group() + " ").strip()
    if not name and " " not in run.group():  # "King": a surname, not a title
        name = run.group()
    return POSSESSIVE_ENDING.sub("", name) or None


def _is_description(phrase: str, first_name_word: str) -> bool:
    before_name = phrase[: phrase.rfind(first_name_word)]
    return bool(INDEFINITE.match(phrase) or NAME_AS_OBJECT.search(before_name))


def _is_headline(words: list[str]) -> bool:
    """ "OBAMA’S LAST STATE OF THE UNION": a run in capitals throughout is a heading, not a
    name (an organisation's initials stand alone: "CNN")."""
    return len(words) > 1 and all(word.isupper() for word in words)


def same_speaker(found: str, gold: str) -> bool:
    """One name's words are all in the other's ("Trump" and "Donald J. Trump")."""
    found_words, gold_words = _name_words(found), _name_words(gold)
    return bool(found_words) and (found_words <= gold_words or gold_words <= found_words)


def _name_words(name: str) -> set[str]:
    return {w.strip(".’'").casefold() for w in name.split() if len(w.strip(".’'")) > 1}


def _speaker_of(quote: str, clean_text: str, mentions: list[Mention]) -> str | None:
    span = locate(clean_text, quote)
    if span is None:
        return None
    overlaps = [(min(m.end, span[1]) - max(m.start, span[0]), m) for m in mentions]
    best = max(overlaps, key=lambda o: o[0], default=None)
    return best[1].speaker if best and best[0] > 0 else None
