"""A small real store: the four Bali seed articles as one event, the Beijing one as its sequel.

Rows go in through the models with the seeds' own sentences, so query and page tests know exactly
what each outlet said without depending on the NLP pipeline.
"""

import csv
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from app.ingest.events import person_key
from app.models import Article, Claim, Event, EventKey, Mention, Outlet, Storyline

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
BALI = ["000", "001", "002", "003"]
BEIJING = "004"

WSJ, GUARDIAN, NPR, REUTERS, WAPO = "000", "001", "002", "003", "004"

# (kind, speaker, reference text, flags, {seed: (exact sentence, similarity)})
CLAIMS = {
    "alignment": (
        "quote",
        "Antony Blinken",
        "We are concerned about the PRC’s alignment with Russia",
        [
            {"kind": "quote_differs", "detail": "Reuters quotes a longer sentence"},
            {"kind": "not_reported_by", "detail": "Not reported by The Wall Street Journal"},
        ],
        {
            GUARDIAN: (
                "“We are concerned about the PRC’s alignment with Russia,” Blinken told reporters "
                "after the meeting in the Indonesian resort of Bali.",
                100.0,
            ),
            NPR: (
                '"We are concerned about the PRC\'s alignment with Russia," Blinken told reporters '
                "after the meeting in the Indonesian resort of Bali.",
                98.0,
            ),
            REUTERS: (
                "“I shared again with the state councilor that we are concerned about the PRC’s "
                "alignment with Russia,” Blinken told a news conference after the talks, referring "
                "to the People’s Republic of China.",
                72.0,
            ),
        },
    ),
    "neutral": (
        "quote",
        "Antony Blinken",
        "I don’t believe China is acting in a way that is neutral",
        [{"kind": "quote_differs", "detail": "The Wall Street Journal: “suggests neutrality”"}],
        {
            GUARDIAN: (
                "He said it was difficult to be “neutral” in a conflict in which there was a clear "
                "aggressor but that even if it were possible: "
                "“I don’t believe China is acting in a way that is neutral.”",
                100.0,
            ),
            NPR: (
                'He said it is difficult to be "neutral" in a conflict in which there is a clear '
                "aggressor but that even it were possible, \"I don't believe China is acting in a "
                'way that is neutral."',
                95.0,
            ),
            WSJ: (
                "“I don’t think that China is in fact engaging in a way that suggests neutrality,” "
                "Mr. Blinken said, telling reporters that he relayed that concern to Mr. Wang.",
                64.0,
            ),
            REUTERS: (
                "He said he did not think China was behaving in a neutral way as it had supported "
                "Russia in the United Nations and “amplified Russian propaganda”.",
                58.0,
            ),
        },
    ),
    "five_hours": (
        "figure",
        None,
        "In five hours of talks in their first face-to-face meeting since October",
        [{"kind": "figures_differ", "detail": "Reuters: more than five hours"}],
        {
            GUARDIAN: (
                "In five hours of talks in their first face-to-face meeting since October, Antony "
                "Blinken said he expressed deep concern",
                100.0,
            ),
            NPR: (
                "In five hours of talks in their first-to-face meeting since October, Blinken said "
                "he expressed deep concern",
                93.0,
            ),
            REUTERS: (
                "United States Secretary of State Antony Blinken said on Saturday he had discussed "
                "Russian aggression in Ukraine during more than five hours of talks",
                61.0,
            ),
        },
    ),
    "four_months": (
        "quote",
        "Antony Blinken",
        "More than four months now into this brutal invasion, the PRC still stands by Russia",
        [],
        {
            WSJ: (
                "“More than four months now into this brutal invasion, the PRC still stands by "
                "Russia,” Mr. Blinken said, using the acronym for the People’s Republic of China, "
                "in a press briefing after the meeting.",
                100.0,
            ),
        },
    ),
    "if_china": (
        "quote",
        "Antony Blinken",
        "If China does not address this problem, we will",
        [],
        {WAPO: ("“If China does not address this problem, we will,” he added", 100.0)},
    ),
}


@dataclass
class BaliStore:
    event: int = 0
    beijing: int = 0
    merged_event: int = 0
    articles: dict[str, int] = field(default_factory=dict)  # seed number -> article id
    claims: dict[str, int] = field(default_factory=dict)  # CLAIMS key -> claim id
    mentions: dict[tuple[str, str], int] = field(default_factory=dict)  # (claim, seed) -> id
    merged_claim: int = 0
    removed_claim: int = 0


def manifest() -> dict[str, dict[str, str]]:
    with open(SEEDS_DIR / "manifest.csv", newline="", encoding="utf-8") as handle:
        return {row["file"][:3]: row for row in csv.DictReader(handle)}


def build_bali_store(session: Session) -> BaliStore:
    store = BaliStore()
    storyline = Storyline(title="Blinken and China")
    session.add(storyline)
    session.flush()
    bali = _event(session, "Blinken meets Wang Yi in Bali", date(2022, 7, 9), "Nusa Dua, Indonesia")
    bali.storyline_id = storyline.id
    beijing = _event(session, "Blinken visits Beijing", date(2024, 4, 26), "Beijing")
    beijing.storyline_id = storyline.id
    merged = _event(session, "Blinken, Wang talk in Indonesia", date(2022, 7, 9), "Bali")
    merged.merged_into_id = bali.id
    store.event, store.beijing, store.merged_event = bali.id, beijing.id, merged.id
    for key in ("Antony Blinken", "Wang Yi"):
        session.add(EventKey(event_id=bali.id, key=person_key(key)))
    session.add(EventKey(event_id=beijing.id, key=person_key("Antony Blinken")))

    rows = manifest()
    texts = {}
    for number, row in rows.items():
        texts[number] = (SEEDS_DIR / row["file"]).read_text(encoding="utf-8")
        outlet = Outlet(name=row["outlet"])
        session.add(outlet)
        session.flush()
        article = Article(
            outlet_id=outlet.id,
            title=row["title"],
            url=f"https://example.org/{row['file']}",
            published_at=datetime.fromisoformat(row["published_at"]).replace(tzinfo=UTC),
            date_precision="day",
            dateline=row["dateline"] or None,
            source_name=row["file"],
            raw_text=texts[number],
            clean_text=texts[number],
            removed_lines=json.dumps(["Skip to Content", "Story by Reuters"])
            if number == REUTERS
            else "[]",
            content_hash=f"seed-{number}",
            event_id=beijing.id if number == BEIJING else bali.id,
        )
        session.add(article)
        session.flush()
        store.articles[number] = article.id

    for key, (kind, speaker, text, flags, phrasings) in CLAIMS.items():
        event_id = beijing.id if WAPO in phrasings else bali.id
        claim = Claim(
            event_id=event_id,
            kind=kind,
            speaker=speaker,
            text=text,
            flags=json.dumps(flags),
            outlet_count=len(phrasings),
            independent_count=len(phrasings),
        )
        session.add(claim)
        session.flush()
        store.claims[key] = claim.id
        for number, (sentence, similarity) in phrasings.items():
            start = texts[number].index(sentence)
            mention = Mention(
                claim_id=claim.id,
                article_id=store.articles[number],
                kind=kind,
                start=start,
                end=start + len(sentence),
                text=sentence,
                speaker=speaker,
                similarity=similarity,
            )
            session.add(mention)
            session.flush()
            store.mentions[(key, number)] = mention.id

    absorbed = Claim(
        event_id=bali.id,
        kind="quote",
        text="we are concerned about the PRC’s alignment",
        merged_into_id=store.claims["alignment"],
    )
    removed = Claim(
        event_id=bali.id,
        kind="statement",
        text="Stefani Reynolds/Agence France-Presse/Getty Images",
        removed_at=datetime(2022, 7, 10, tzinfo=UTC),
    )
    session.add(absorbed)
    session.add(removed)
    session.commit()
    store.merged_claim, store.removed_claim = absorbed.id, removed.id
    return store


def _event(session: Session, title: str, day: date, location: str) -> Event:
    event = Event(title=title, date_start=day, date_end=day, location=location)
    session.add(event)
    session.flush()
    return event
