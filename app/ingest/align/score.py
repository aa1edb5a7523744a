"""Mentions into groups that state the same claim: quotations printed verbatim first, then scored
pairs, one per article.

Pure: works on `Item`s (a mention's text analysed once), knows nothing of the store.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from app.ingest.claims import descriptor_tokens
from app.text.normalize import content_tokens, normalize

THRESHOLD = 35.0  # pair score (0-100) from which two mentions state the same claim
QUOTE_MATCH = 80.0  # partial ratio of the quoted words from which two quotes are the same
QUOTE_MIN_WORDS = 6  # a shorter quoted phrase ("scare quotes") is not a quotation of a statement
VERBATIM_QUOTE = 90.0  # partial ratio from which two quotations are one, whoever is named
WHOLE_MATCH = 100.0  # the highest partial ratio: a quotation printed whole
QUOTE_SHINGLE_WORDS = 3  # quotations sharing a run of this many words may be one statement
QUOTE_CORE_WORDS = 4  # a quotation this long is what its sentence reports
SAME_SPEAKER_BONUS = 10.0
OTHER_SPEAKER_PENALTY = 100.0  # two named speakers: two claims, however alike the words
SHARED_NUMBER_BONUS = 5.0
DESCRIPTOR_WEIGHT = 0.3  # names and titles say who is involved, not what was reported
KEYS_PER_MENTION = 8  # the rarest tokens of a mention that find its candidates
MAX_GROUPS_PER_KEY = 50  # a key found in more groups than this does not tell claims apart
MAX_CANDIDATES = 8  # groups scored per mention, those sharing most keys with it
MEMBERS_COMPARED = 3  # a candidate claim is scored against its first few mentions
# Two articles of one event whose words overlap less than this (cosine, each word weighed by how
# few of the event's articles hold it) may report two look-alike incidents the event joined.
UNLIKE_ARTICLES = 0.10
# Between such articles, a paraphrase that shares no name, place, figure or speaker needs this
# many shared words: "we take these issues very seriously" is said after many incidents.
GENERIC_SHARED_WORDS = 4
# Anywhere, a paraphrase sharing fewer words than this and nothing else, scoring below
# SLIGHT_SCORE, is a coincidence of wording ("a fun locker room" / "walks into the locker room");
# one scoring more is a short sentence made of those words ("The airport was damaged.").
SLIGHT_SHARED_WORDS = 3
SLIGHT_SCORE = 50.0
PRINTED_VERBATIM = "; printed verbatim"  # how the reason of a member joined as a verbatim twin ends
CONTINUES = "; continues"  # how the reason of a member that continues its neighbour's match ends
# Re-aligning an event re-reads every mention it holds: a mention's analysis is a pure function of
# its text, kept for the mentions of recently grown events.
MENTION_ANALYSES_KEPT = 20_000


@dataclass
class Item:
    """A mention as alignment sees it."""

    key: int  # mention id, or any unique number outside the store
    article: int  # position of its article in the event's order
    kind: str
    text: str
    quote: str | None = None
    speaker: str | None = None
    numbers: frozenset = frozenset()
    tokens: frozenset = frozenset()
    quote_norm: str = ""
    quote_parts: tuple[str, ...] = ()  # each quotation of the mention, normalized
    quote_shingles: frozenset = frozenset()  # word runs of its quotations, to find verbatim twins
    norm: str = ""
    descriptors: frozenset = frozenset()  # name and title words: who is involved, not what happened
    proper: frozenset = frozenset()  # tokens of its capitalized words past the first: names, places
    weights: tuple | None = None  # (rarities, token weights, their sum): see _weights

    @property
    def number_keys(self) -> list[str]:
        """Blocking keys of the item's figures."""
        return _number_keys(self.numbers)


@dataclass
class Group:
    members: list[Item] = field(default_factory=list)
    scores: dict[int, tuple[float, str]] = field(default_factory=dict)  # item key -> score, reason

    def articles(self) -> set[int]:
        return {m.article for m in self.members}


def make_item(key: int, article: int, kind: str, text: str, quote, speaker, numbers) -> Item:
    tokens, quote_norm, norm, descriptors, proper = _analysed(text, quote)
    quote_parts, quote_shingles = _quotations(quote)
    return Item(
        key=key,
        article=article,
        kind=kind,
        text=text,
        quote=quote,
        speaker=speaker,
        numbers=frozenset((n["value"], _unit(n["unit"])) for n in numbers),
        tokens=tokens,
        quote_norm=quote_norm,
        quote_parts=quote_parts,
        quote_shingles=quote_shingles,
        norm=norm,
        descriptors=descriptors,
        proper=proper,
    )


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _analysed(text: str, quote: str | None) -> tuple[frozenset, str, str, frozenset, frozenset]:
    """A mention's tokens, normalized quote and text, descriptor tokens and proper tokens."""
    capitalized = (word for word in text.split()[1:] if word[:1].isupper())
    return (
        frozenset(content_tokens(_core(text, quote))),
        normalize(quote) if quote else "",
        normalize(text),
        descriptor_tokens(text),
        frozenset(content_tokens(" ".join(capitalized))),
    )


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _quotations(quote: str | None) -> tuple[tuple[str, ...], frozenset]:
    """Each quotation of a mention long enough to be a statement (its quote joins them with
    ellipses), normalized, and the word runs they are made of."""
    parts = tuple(
        part
        for part in (normalize(piece) for piece in (quote or "").split("…"))
        if len(part.split()) >= QUOTE_MIN_WORDS
    )
    shingles = set()
    for part in parts:
        words = part.split()
        shingles.update(
            " ".join(words[n : n + QUOTE_SHINGLE_WORDS])
            for n in range(len(words) - QUOTE_SHINGLE_WORDS + 1)
        )
    return parts, frozenset(shingles)


@lru_cache(maxsize=MENTION_ANALYSES_KEPT)
def _number_keys(numbers: frozenset) -> list[str]:
    return [f"n:{value:g}:{unit}" for value, unit in sorted(numbers)]


def _core(text: str, quote: str | None) -> str:
    """What a mention reports: the quoted words of a quote, else the whole sentence."""
    if quote and len(quote.split()) >= QUOTE_CORE_WORDS:
        return quote
    return text


def _unit(unit: str) -> str:
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit


def align_items(items: Sequence[Item]) -> list[Group]:
    """Group items of different articles that state the same claim.

    Articles are taken in order. First, each of an article's quotations printed near-verbatim
    inside a quotation of a group built so far joins that group, whatever the speakers and however
    the outlets cut the statement into sentences (several of an article's mentions may join one
    group, a mention holding several quotations joins its best twin). The article's other items
    are then matched one-to-one to the groups it has not joined yet (best pairs first, so matches
    are mutual best), found through shared rare tokens and numbers rather than by comparing all
    pairs. An unmatched item next to a matched one may join its group when that group is its own
    best match (an outlet that split the claim in two sentences). Other unmatched items open
    groups of their own.
    """
    alignment = Alignment(WordCounts.of(items))
    by_article: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_article[item.article].append(item)
    for article in sorted(by_article):
        alignment.add_article(by_article[article])
    return alignment.groups


def extend_groups(
    groups: list[Group], article_items: Sequence[Item], index: "EventIndex | None" = None
) -> dict[int, int]:
    """Align one more article, later than all of `groups`' members, against those groups (as
    `align_items` would take it last); item key -> group number. `groups` gains the article's
    items and the groups they open. `index`: the groups' `EventIndex`, kept from the article
    added before (built from the groups when None), brought up to date with this one. Only what
    the article's items look up is read of it, so the cost follows the article, not the event."""
    if index is None:
        index = EventIndex(groups)
    index.add(article_items)
    alignment = Alignment(index.counts)
    alignment.groups = groups
    alignment.index_groups_for(article_items, index)
    placed = alignment.add_article(article_items)
    index.place(article_items, placed)
    return placed


@dataclass
class WordCounts:
    """How many of an event's mentions hold each token, and each article's words with how many
    articles hold each word: what weighs a token by its rarity in the event."""

    mentions: int = 0
    token_counts: Counter = field(default_factory=Counter)
    article_words: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    article_counts: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, items: Sequence[Item]) -> "WordCounts":
        counts = cls()
        counts.add(items)
        return counts

    def add(self, items: Sequence[Item]) -> None:
        self.mentions += len(items)
        for item in items:
            self.token_counts.update(item.tokens)
            words = self.article_words[item.article]
            new = item.tokens - words
            words |= new
            self.article_counts.update(new)


class Rarity:
    """Each token's inverse document frequency among the event's mentions, worked out when first
    asked: an added article weighs a few of the event's tokens."""

    def __init__(self, counts: WordCounts):
        self.counts = counts.token_counts
        self.total = counts.mentions + 1
        self._known: dict[str, float] = {}

    def __getitem__(self, token: str) -> float:
        weight = self._known.get(token)
        if weight is None:
            weight = math.log(self.total / (self.counts[token] + 0.5)) + 1
            self._known[token] = weight
        return weight

    def get(self, token: str, default: float) -> float:
        return self[token] if token in self.counts else default


class EventIndex:
    """An event's groups as aligning one more article looks them up, kept from one added article
    to the next: the event's `WordCounts`, the groups whose members hold each token as a blocking
    key, and the groups holding each figure and each quotation's word run.

    A member's blocking keys are its rarest tokens of the moment. Tokens only grow commoner as
    articles are added, so a member's keys change only when one of them does: adding an article
    takes up again only the members holding one of its tokens as a key (and only those with more
    tokens than keys: the others hold all theirs)."""

    def __init__(self, groups: Sequence[Group]):
        self.counts = WordCounts()
        self.key_groups: dict[str, Counter] = defaultdict(Counter)  # token -> group -> members
        self.number_groups: dict[str, set[int]] = defaultdict(set)
        self.quote_groups: dict[str, set[int]] = defaultdict(set)
        # member -> its group, item, keys and (count, token) of the rarest token it left out
        self._ranked: dict[int, tuple[int, Item, frozenset, tuple[int, str]]] = {}
        self._key_holders: dict[str, set[int]] = defaultdict(set)  # token -> ranked members
        self.counts.add([member for group in groups for member in group.members])
        for group_no, group in enumerate(groups):
            self.place(group.members, dict.fromkeys((m.key for m in group.members), group_no))

    def describes(self, groups: Sequence[Group]) -> bool:
        """Whether the index holds exactly the groups' members (not an article added since in a
        transaction that did not commit)."""
        return self.counts.mentions == sum(len(group.members) for group in groups)

    def add(self, items: Sequence[Item]) -> None:
        """Count an added article's items (not placed yet) and rank again the members holding one
        of their tokens as a key."""
        self.counts.add(items)
        counts = self.counts.token_counts
        tokens = frozenset().union(*(item.tokens for item in items))
        stale = set().union(*(self._key_holders.get(token, ()) for token in tokens))
        for member_key in stale:
            group_no, member, keys, first_left_out = self._ranked[member_key]
            if all((counts[token], token) < first_left_out for token in keys & tokens):
                continue  # its keys grew commoner, yet not past the tokens it left out then
            now, first_left_out = _ranked_keys(member.tokens, counts)
            for token in keys - now:
                self._unkey(token, group_no, member_key)
            for token in now - keys:
                self._key(token, group_no, member_key)
            self._ranked[member_key] = (group_no, member, now, first_left_out)

    def place(self, items: Sequence[Item], placed: dict[int, int]) -> None:
        """Index counted items under the groups they were placed in (item key -> group number)."""
        for item in items:
            group_no = placed[item.key]
            keys, first_left_out = _ranked_keys(item.tokens, self.counts.token_counts)
            ranked = first_left_out is not None
            if ranked:
                self._ranked[item.key] = (group_no, item, keys, first_left_out)
            for token in keys:
                self._key(token, group_no, item.key if ranked else None)
            for key in item.number_keys:
                self.number_groups[key].add(group_no)
            for shingle in item.quote_shingles:
                self.quote_groups[shingle].add(group_no)

    def groups_keyed(self, token: str) -> set[int]:
        """The groups a member of which holds the token as a blocking key."""
        return set(self.key_groups.get(token, ()))

    def _key(self, token: str, group_no: int, member_key: int | None) -> None:
        self.key_groups[token][group_no] += 1
        if member_key is not None:
            self._key_holders[token].add(member_key)

    def _unkey(self, token: str, group_no: int, member_key: int) -> None:
        groups = self.key_groups[token]
        groups[group_no] -= 1
        if not groups[group_no]:
            del groups[group_no]
        self._key_holders[token].discard(member_key)


class Alignment:
    """Groups built article by article over a fixed set of items (whose rarity weighs tokens)."""

    def __init__(self, counts: WordCounts):
        self.counts = counts
        self.idf = Rarity(counts)
        self.groups: list[Group] = []
        self.index: dict[str, set[int]] = defaultdict(set)
        self.quote_index: dict[str, set[int]] = defaultdict(set)
        self._keys: dict[int, list[str]] = {}

    def keys(self, item: Item) -> list[str]:
        if item.key not in self._keys:
            self._keys[item.key] = _blocking_keys(item, self.idf)
        return self._keys[item.key]

    def add_article(self, article_items: Sequence[Item]) -> dict[int, int]:
        """Place one article's items into the groups (see `align_items`); item key -> group."""
        groups = self.groups
        placed = _join_verbatim_twins(article_items, groups, self.quote_index, self.idf)
        rest = [item for item in article_items if item.key not in placed]
        candidates = _candidates(rest, self)
        placed |= _match_one_to_one(candidates, groups, taken=set(placed.values()))
        _join_continuations(article_items, candidates, placed, groups)
        for item in article_items:
            if item.key not in placed:
                groups.append(Group(members=[item]))
                placed[item.key] = len(groups) - 1
        for item in article_items:
            self._index_item(item, placed[item.key])
        return placed

    @cached_property
    def likeness(self) -> "ArticleLikeness":
        """Built when a generic paraphrase first asks, not for every article added."""
        return ArticleLikeness(self.counts)

    def paraphrase_score(self, a: Item, b: Item) -> float:
        """The pair score, none for a generic paraphrase between unlike articles nor for a slight
        one anywhere."""
        if not _generic(a, b):
            return _score(a, b, self.idf)
        if self.likeness(a.article, b.article) < UNLIKE_ARTICLES:
            return 0.0
        score = _score(a, b, self.idf)
        slight = len(a.tokens & b.tokens) < SLIGHT_SHARED_WORDS
        return 0.0 if slight and score < SLIGHT_SCORE else score

    def index_groups_for(self, article_items: Sequence[Item], index: EventIndex) -> None:
        """Index the groups under the blocking keys and word runs the article's items look up."""
        for key in {key for item in article_items for key in self.keys(item)}:
            if key in index.number_groups:
                self.index[key] = set(index.number_groups[key])
            else:
                self.index[key] = index.groups_keyed(key)
        for shingle in {shingle for item in article_items for shingle in item.quote_shingles}:
            self.quote_index[shingle] = set(index.quote_groups.get(shingle, ()))

    def _index_item(self, item: Item, group_no: int) -> None:
        for key in self.keys(item):
            self.index[key].add(group_no)
        for shingle in item.quote_shingles:
            self.quote_index[shingle].add(group_no)


def _join_verbatim_twins(
    article_items: Sequence[Item],
    groups: list[Group],
    quote_index: dict[str, set[int]],
    idf: Rarity,
) -> dict[int, int]:
    """Items whose quotation another article printed near-verbatim join that group."""
    placed: dict[int, int] = {}
    for item in article_items:
        twins = [
            (ratio, -group_no, twin)
            for group_no in _quote_candidates(item, quote_index)
            for ratio, twin in [_verbatim_twin(item, groups[group_no])]
            if ratio >= VERBATIM_QUOTE
        ]
        if twins:
            _, negative_group_no, twin = max(twins, key=lambda t: t[:2])
            group = groups[-negative_group_no]
            score, reason = pair_score(item, twin, idf)
            placed[item.key] = -negative_group_no
            group.members.append(item)
            group.scores[item.key] = (score, reason + PRINTED_VERBATIM)
    return placed


def _quote_candidates(item: Item, quote_index: dict[str, set[int]]) -> list[int]:
    """The groups holding a quotation that shares word runs with the item's quotations."""
    shared: Counter = Counter()
    for shingle in item.quote_shingles:
        shared.update(quote_index.get(shingle, ()))
    ranked = sorted(shared, key=lambda group_no: (-shared[group_no], group_no))
    return ranked[:MAX_CANDIDATES]


def _verbatim_twin(item: Item, group: Group) -> tuple[float, Item | None]:
    """The group's member printing the item's quotation most nearly verbatim (the first, on a
    tie), and how nearly. A member printing it whole ends the search: no later one can do better,
    and a large claim's members are mostly such copies."""
    best: tuple[float, Item | None] = (0.0, None)
    for other in group.members:
        for part in item.quote_parts:
            for other_part in other.quote_parts:
                ratio = _part_match(part, other_part)
                if ratio > best[0] or best[1] is None:
                    best = (ratio, other)
                if ratio >= WHOLE_MATCH:
                    return best
    return best


def _part_match(a: str, b: str) -> float:
    """How completely the shorter quotation is printed within the longer one (0 below
    VERBATIM_QUOTE: nothing less counts, and rapidfuzz gives up on such pairs early)."""
    short, long = sorted((a, b), key=len)
    return fuzz.partial_ratio(short, long, score_cutoff=VERBATIM_QUOTE)


Candidate = tuple[float, int, int, str, Item]  # -score, item key, group number, reason, item


def _candidates(article_items: Sequence[Item], alignment: Alignment) -> list[Candidate]:
    candidates = []
    for item in article_items:
        for group_no in _candidate_groups(alignment.keys(item), alignment.index):
            members = alignment.groups[group_no].members[:MEMBERS_COMPARED]
            score, best = max(
                (alignment.paraphrase_score(item, other), n) for n, other in enumerate(members)
            )
            if score >= THRESHOLD:
                reason = pair_score(item, members[best], alignment.idf)[1]
                candidates.append((-score, item.key, group_no, reason, item))
    return sorted(candidates, key=lambda c: c[:3])


def _candidate_groups(keys: list[str], index: dict[str, set[int]]) -> list[int]:
    """The groups sharing most blocking keys with an item; keys held by many groups are skipped."""
    shared: Counter = Counter()
    for key in keys:
        groups = index.get(key, ())
        if len(groups) <= MAX_GROUPS_PER_KEY:
            shared.update(groups)
    ranked = sorted(shared, key=lambda group_no: (-shared[group_no], group_no))
    return sorted(ranked[:MAX_CANDIDATES])


def _match_one_to_one(
    candidates: list[Candidate], groups: list[Group], taken: set[int]
) -> dict[int, int]:
    """Each item to at most one group, each group at most one item (none when `taken`)."""
    placed: dict[int, int] = {}
    for negative_score, item_key, group_no, reason, item in candidates:
        if item_key in placed or group_no in taken:
            continue
        placed[item_key] = group_no
        taken.add(group_no)
        groups[group_no].members.append(item)
        groups[group_no].scores[item_key] = (round(-negative_score, 1), reason)
    return placed


def join_step(score: float | None, reason: str | None) -> int:
    """Which step of `Alignment.add_article` placed a member, from the score and reason it was
    given, in the order the steps run: 0 opened its group, 1 verbatim twin, 2 best pair,
    3 continuation. Within one article, a group's members joined in this order."""
    if score is None:
        return 0
    if (reason or "").endswith(PRINTED_VERBATIM):
        return 1
    return 3 if (reason or "").endswith(CONTINUES) else 2


def _join_continuations(article_items, candidates, placed, groups) -> None:
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        best.setdefault(candidate[1], candidate)
    for n, item in enumerate(article_items):
        if item.key in placed or item.key not in best:
            continue
        negative_score, _, group_no, reason, _ = best[item.key]
        neighbours = article_items[max(n - 1, 0) : n] + article_items[n + 1 : n + 2]
        if any(placed.get(other.key) == group_no for other in neighbours):
            placed[item.key] = group_no
            groups[group_no].members.append(item)
            groups[group_no].scores[item.key] = (round(-negative_score, 1), reason + CONTINUES)


class ArticleLikeness:
    """How alike two articles of the event are: the cosine of their words (all their mentions'
    tokens), each weighed by how few of the event's articles hold it."""

    def __init__(self, counts: WordCounts):
        self.df = counts.article_counts
        self.total = len(counts.article_words) + 1
        self.words = counts.article_words
        self._weights: dict[str, float] = {}
        self._norms: dict[int, float] = {}
        self._cosines: dict[tuple[int, int], float] = {}

    def __call__(self, a: int, b: int) -> float:
        pair = (min(a, b), max(a, b))
        if pair not in self._cosines:
            shared = math.fsum(map(self.weight, self.words[a] & self.words[b]))
            self._cosines[pair] = shared / (self.norm(a) * self.norm(b))
        return self._cosines[pair]

    def weight(self, token: str) -> float:
        if token not in self._weights:
            self._weights[token] = math.log(self.total / (self.df[token] + 0.5)) ** 2
        return self._weights[token]

    def norm(self, article: int) -> float:
        """Weighed only for the articles asked about: an added article is compared with a few."""
        if article not in self._norms:
            held = self.words[article]
            self._norms[article] = math.sqrt(math.fsum(map(self.weight, held))) or 1.0
        return self._norms[article]


def _generic(a: Item, b: Item) -> bool:
    """Whether two mentions share only a few common words: no name, place, figure, speaker or
    quotation, and fewer than GENERIC_SHARED_WORDS words."""
    shared = a.tokens & b.tokens
    return not (
        len(shared) >= GENERIC_SHARED_WORDS
        or shared & (a.proper | b.proper | a.descriptors | b.descriptors)
        or a.numbers & b.numbers
        or (a.speaker and a.speaker == b.speaker)
        or _quote_match(a, b) >= QUOTE_MATCH
    )


def _blocking_keys(item: Item, idf: Rarity) -> list[str]:
    """The item's rarest tokens (as they are: a token holds no colon) and its figures."""
    return _rarest_tokens(item.tokens, idf.counts) + item.number_keys


def _ranked_keys(tokens: frozenset, token_counts: Counter) -> tuple[frozenset, tuple | None]:
    """The tokens' blocking keys (`_rarest_tokens`) and the (count, token) of the rarest token
    left out (None when none is: all are keys). Counts only grow: keys all still rarer than that
    are still the keys."""
    ranked = sorted((token_counts[token], token) for token in tokens)
    keys = frozenset(token for _, token in ranked[:KEYS_PER_MENTION])
    return keys, ranked[KEYS_PER_MENTION] if len(ranked) > KEYS_PER_MENTION else None


def _rarest_tokens(tokens: frozenset, token_counts: Counter) -> list[str]:
    """The tokens held by fewest of the event's mentions (by highest IDF), ties by spelling."""
    return sorted(tokens, key=lambda token: (token_counts[token], token))[:KEYS_PER_MENTION]


def pair_score(a: Item, b: Item, idf: Rarity) -> tuple[float, str]:
    """How surely two mentions state the same claim (0-100), and why."""
    score = _score(a, b, idf)
    reasons = []
    if _quote_match(a, b) >= QUOTE_MATCH:
        reasons.append("same quote")
    if a.speaker and b.speaker:
        reasons.append("same speaker" if a.speaker == b.speaker else "different speakers")
    numbers = a.numbers & b.numbers
    if numbers:
        figures = ", ".join(f"{v:g} {u}".strip() for v, u in sorted(numbers))
        reasons.append(f"same figures {figures}")
    top = sorted(a.tokens & b.tokens, key=lambda t: (-idf.get(t, 1.0), t))[:4]
    if top:
        reasons.append("shared words " + ", ".join(top))
    return score, "; ".join(reasons)


def _score(a: Item, b: Item, idf: Rarity) -> float:
    (weights_a, total_a), (weights_b, total_b) = _weights(a, idf), _weights(b, idf)
    shared = math.fsum(min(weights_a[t], weights_b[t]) for t in a.tokens & b.tokens)
    dice = 2 * shared / (total_a + total_b)
    containment = shared / min(total_a, total_b)
    score = 100 * (0.6 * dice + 0.4 * containment)
    quote = _quote_match(a, b)
    if quote >= QUOTE_MATCH:
        score = max(score, quote)
    if a.speaker and b.speaker and a.speaker == b.speaker:
        score += SAME_SPEAKER_BONUS
    elif a.speaker and b.speaker and quote < VERBATIM_QUOTE:
        score -= OTHER_SPEAKER_PENALTY
    score += SHARED_NUMBER_BONUS * min(len(a.numbers & b.numbers), 2)
    return min(round(score, 1), 100.0)


def _weights(item: Item, idf: Rarity) -> tuple[dict[str, float], float]:
    """IDF of each token (names and titles count for less), and their sum: kept on the item while
    the event's rarities are the same ones."""
    if item.weights is None or item.weights[0] is not idf:
        weights = {
            t: idf.get(t, 1.0) * (DESCRIPTOR_WEIGHT if t in item.descriptors else 1.0)
            for t in item.tokens
        }
        item.weights = (idf, weights, math.fsum(weights.values()) or 1.0)
    return item.weights[1:]


def _quote_match(a: Item, b: Item) -> float:
    if not (a.quote_norm and b.quote_norm):
        return 0.0
    short, long = sorted((a.quote_norm, b.quote_norm), key=len)
    if len(short.split()) < QUOTE_MIN_WORDS:
        return 0.0
    return fuzz.partial_ratio(short, long)
