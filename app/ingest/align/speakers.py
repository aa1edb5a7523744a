"""An event's mentions and articles into one spelling per speaker (Blinken = Antony Blinken)."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from app.ingest import claims as extraction
from app.models import Article, Mention

SURNAME_SPELLING_RATIO = 85  # two full names' surnames this close are one spelt otherwise
FIRST_NAME_SPELLING_RATIO = 80  # "Sergei"/"Sergey" are one first name, "Bill"/"Hillary" two
FULL_NAME_RATIO = 80  # and the whole names this close
ARTICLE_ANALYSES_KEPT = 20_000  # each added article re-reads its event: the active events' kept


def event_speakers(
    mentions: Sequence[Mention],
    articles: Sequence[Article],
    resolve: Sequence[Mention] | None = None,
) -> dict[int, str]:
    """Mention id -> canonical speaker within the event (Blinken = Mr. Blinken = Antony Blinken).

    Every mention and article tells who the event's people are; `resolve` (default: all the
    mentions) are the mentions whose speaker is wanted."""
    people: list[str] = []
    roles: dict[str, str] = {}
    for article in articles:
        article_people, article_roles = _people_and_roles(article.clean_text)
        people.extend(article_people)
        for role, name in article_roles:
            roles.setdefault(role, name)
    named = Counter(m.speaker for m in mentions if m.speaker)
    people = People(list(dict.fromkeys([*people, *named])))  # each name once, first seen first
    canonical: dict[str, str] = {}
    resolved = {}
    for mention in mentions if resolve is None else resolve:
        speaker = mention.speaker
        if speaker is None and mention.speaker_raw:
            role = extraction.p.ROLE_REFERENCE.match(mention.speaker_raw)
            speaker = extraction.role_of(role["role"], roles) if role else None
        if speaker:
            if speaker not in canonical:
                canonical[speaker] = _canonical(speaker, people, named)
            resolved[mention.id] = canonical[speaker]
    return resolved


class People:
    """An event's people's names, looked up by their first and last words (a name is compared
    with the few that could be the same person, not with all the event's people)."""

    def __init__(self, names: list[str]):
        self.by_end: dict[str, list[str]] = defaultdict(list)
        for name in names:
            words = name.split()
            self.by_end[words[0]].append(name)
            if len(words) > 1:
                self.by_end[words[-1]].append(name)
        self.full_names = [name for name in names if " " in name]

    def same_person(self, words: list[str]) -> set[str]:
        """The names `extraction.same_person` takes for the person named so."""
        ends = {words[0], words[-1]}
        return {
            full
            for end in ends
            for full in self.by_end.get(end, ())
            if extraction.same_person(words, full.split())
        }

    def near_spellings(self, full: str) -> list[str]:
        """The full names spelt close to `full` (its first name and surname alike)."""
        close = process.extract(
            full, self.full_names, scorer=fuzz.ratio, score_cutoff=FULL_NAME_RATIO, limit=None
        )
        return [
            other
            for other, _, _ in close
            if fuzz.ratio(other.split()[-1], full.split()[-1]) >= SURNAME_SPELLING_RATIO
            and fuzz.ratio(other.split()[0], full.split()[0]) >= FIRST_NAME_SPELLING_RATIO
        ]


@lru_cache(maxsize=ARTICLE_ANALYSES_KEPT)
def _people_and_roles(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    people = extraction.people_in(text)
    return tuple(people), tuple(extraction.role_names(text, people).items())


def _canonical(name: str, people: "People", named: Counter) -> str:
    """One spelling per person: the full name the event quotes most ("Wang" -> "Wang Yi"), and
    one of its variants ("Sergei"/"Sergey Lavrov"), not a namesake whose first name differs ("Bill"
    and "Hillary Clinton"). A lone word names a person only by a whole word of their name: a
    near spelling is another name ("Hale" is not "Nikki Haley", "Politico" not "Politics")."""
    matches = people.same_person(name.split())
    full = max(matches, key=lambda m: (" " in m, named[m], len(m), m)) if matches else name
    if " " not in full:
        return full
    return max(people.near_spellings(full) or [full], key=lambda v: (named[v], len(v), v))
