"""Clean text and its sentences into claims: quotes with speakers, statements, facts and figures."""

import bisect
import re
from dataclasses import dataclass, field

from app.ingest import patterns_claims as p
from app.ingest.sentences import Sentence, split_sentences
from app.text import patterns as text_patterns
from app.text.normalize import content_tokens

MIN_WORDS = 6  # shorter units are captions, bylines or fragments
MIN_WORDS_WITHOUT_STOP = 12  # a unit without a final stop must be this long (else a headline)


@dataclass(frozen=True)
class ExtractedClaim:
    kind: str  # "quote", "statement" or "figure"
    start: int
    end: int
    text: str
    quote: str | None = None
    speaker_raw: str | None = None
    speaker: str | None = None
    numbers: tuple[dict, ...] = ()


@dataclass(frozen=True)
class _KnownWords:
    """What the article's own words tell about a capitalized word."""

    names: frozenset[str]  # first and last names of its people: "Rubio" is Marco Rubio, no town
    lowercase: frozenset[str]  # words it also writes in lower case: "Critics" names nobody
    capitalized_inside: frozenset[str]  # words it capitalizes inside a sentence: "Reuters"

    @classmethod
    def of(cls, text: str, people: dict[str, list[int]]) -> "_KnownWords":
        names = frozenset(word for name in people for word in (name.split()[0], name.split()[-1]))
        lowercase = frozenset(p.LOWERCASE_WORD.findall(text))
        return cls(names, lowercase, frozenset(p.CAPITALIZED_INSIDE.findall(text)))


@dataclass
class _Context:
    """What earlier sentences of the article tell about who "he" or "the secretary" is."""

    people: dict[str, list[int]]  # full name -> where it appears
    roles: dict[str, str]
    known: _KnownWords
    position: int = 0
    paragraph_start: int = 0  # where the paragraph holding `position` starts
    recent: list[str] = field(default_factory=list)  # people last spoken of, most recent first

    def person(self, name: str) -> str:
        """The full name `name` stands for here ("Clinton" -> "Hillary Clinton")."""
        return canonical_person(
            name, self.people, at=self.position, paragraph_start=self.paragraph_start
        )


@dataclass
class _Unit:
    """A sentence or clause with what it says about its speaker, before gaps are filled."""

    start: int
    end: int
    paragraph: int
    quotes: list[tuple[int, int, str]]
    speaker_raw: str | None
    speaker: str | None
    subject: str | None  # the person the unit is about, named as its subject
    opens_with_quote: str  # the mark of a quotation (maybe closed only later) starting it, or ""
    framed: bool = False  # a colon introduces its quotation ("Later on CNN: “…”")
    signed: str | None = None  # the person a sign-off line names ("- Bernie Sanders.")
    named: frozenset[str] = frozenset()  # the people it names, by their full names
    continues: str = ""  # the mark of its quotation left open to go on in the next paragraph


def extract_claims(text: str, sentences: list[Sentence] | None = None) -> list[ExtractedClaim]:
    sentences = split_sentences(text) if sentences is None else sentences
    people = people_in(text)
    context = _Context(
        people=people, roles=role_names(text, people), known=_KnownWords.of(text, people)
    )
    paragraph_starts = [0, *(m.end() for m in re.finditer(r"\n\s*", text))]
    units = [
        _read_unit(text, start, end, paragraph_starts, context)
        for sentence in sentences
        for start, end in _units(text, sentence)
    ]
    _fill_unattributed_quotes(units)
    return [claim for unit in units if (claim := _claim(text, unit)) is not None]


def _units(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    """A sentence, or its clauses when it carries separately attributed quotations (not one
    quotation an attribution interrupts: "“…,” Bond said, “…”")."""
    cuts = []
    quotes = [q for q in _quotes(sentence.text) if _word_count(q[2]) >= p.LONG_QUOTE_WORDS]
    for previous, current in zip(quotes, quotes[1:], strict=False):
        between = sentence.text[previous[1] : current[0]]
        if _speech_verb_in(between) and not p.INTERRUPTING_ATTRIBUTION.search(between):
            cuts.append(sentence.start + current[0] - 1)
    bounds = [sentence.start, *cuts, sentence.end]
    units = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        while end > start and text[end - 1].isspace():
            end -= 1
        units.append((start, end))
    return units


def _read_unit(
    text: str, start: int, end: int, paragraph_starts: list[int], context: _Context
) -> _Unit:
    unit = text[start:end]
    paragraph = bisect.bisect_right(paragraph_starts, start) - 1
    context.position, context.paragraph_start = start, paragraph_starts[paragraph]
    quotes = _quotes(unit)
    masked = p.PARTY_TAG.sub("", _mask(unit, quotes))
    speaker_raw = _attribution(masked, has_quote=bool(quotes), known=context.known)
    left_open = _quote_left_open(unit) if _ends_paragraph(text, end) else None
    if left_open:  # its words name no speaker, unless only a closing mark is missing
        masked_open = p.PARTY_TAG.sub("", _mask(unit, [*quotes, left_open]))
        speaker_open = _attribution(masked_open, has_quote=True, known=context.known)
        if speaker_open or not speaker_raw:
            quotes, masked, speaker_raw = [*quotes, left_open], masked_open, speaker_open
        else:
            left_open = None
    if speaker_raw:
        speaker_raw = _whole_organisation(masked, speaker_raw, context.known)
    speaker = _resolve(speaker_raw, context, masked) if speaker_raw else None
    subject = _remember_subject(masked, speaker, context)
    return _Unit(
        start,
        end,
        paragraph,
        quotes,
        speaker_raw,
        speaker,
        subject,
        opens_with_quote=unit[:1] if unit[:1] in p.OPENING_QUOTE_MARKS else "",
        framed=bool(quotes and p.COLON_FRAME.search(masked)),
        signed=_signed(unit, context),
        named=_people_named(masked, context),
        continues=unit[left_open[0] - 1] if left_open else "",
    )


def _whole_organisation(masked: str, speaker_raw: str, known: _KnownWords) -> str:
    """ "Department of Justice", "Food and Drug Administration" for the part of it ("Department",
    "Drug Administration") read as the speaker, which is no person's name ("House of
    Representatives Speaker Mike Johnson" is Mike Johnson)."""
    words = speaker_raw.split()
    if not is_organisation(speaker_raw) and (len(words) > 1 or words[0] in known.names):
        return speaker_raw
    for match in p.ORGANISATION_RUN.finditer(masked):
        name = _organisation_name(match.group())
        if re.search(rf"\b{re.escape(speaker_raw)}\b", name) and _is_joined_organisation(name):
            return name
    return speaker_raw


def _is_joined_organisation(phrase: str) -> bool:
    """ "Bank of England", "Food and Drug Administration": an institution's word ends the words
    before the first "of"/"and"/"for", or ends the name whose parts only "and" joins (not
    "Jeffrey Lewis of the James Martin Center")."""
    match = p.ORGANISATION_RUN.fullmatch(phrase)
    if match is None or len(phrase.split()) > 8:
        return False
    joints = set(re.findall(r"\s(of|and|for|&)\s", match["rest"]))
    last = phrase.split()[-1].lower()
    heads = match["head"].split()[-1].lower() in p.INSTITUTION_WORDS
    return heads or (last in p.INSTITUTION_WORDS and joints <= {"and", "&"})


def _ends_paragraph(text: str, end: int) -> bool:
    newline = text.find("\n", end)
    return not text[end : newline if newline >= 0 else len(text)].strip()


def _quote_left_open(unit: str) -> tuple[int, int, str] | None:
    """(start, end, words) of a quotation opened and not closed before the unit ends."""
    match = p.OPEN_QUOTE_TO_END.search(unit)
    if match is None or _word_count(match.group(1)) < p.LONG_QUOTE_WORDS:
        return None
    return match.start(1), match.end(1), match.group(1).strip(" ,.")


def _people_named(masked: str, context: _Context) -> frozenset[str]:
    """The article's people (full names) the unit names, as "Trump" or "Donald Trump’s"."""
    named = set()
    for match in p.NAME_IN_TEXT.finditer(masked):
        name = _owner(_strip_titles(match.group()))
        if _is_person_phrase(name):
            full = context.person(name)
            if full in context.people:
                named.add(full)
    return frozenset(named)


def _signed(unit: str, context: _Context) -> str | None:
    """ "- Sanders.", "—President Obama, tweeting after the speech.": a line that signs the
    quotation above it with a name (or one closing it: "Dean Baker, Economic Institute.”")."""
    sign_off = p.SIGN_OFF.match(unit)
    if sign_off is None:
        return None
    name = _last_words(sign_off["name"])
    if not _is_speaker_phrase(name, context.known):
        return None
    if is_organisation(name):
        return _organisation_name(name)
    return context.person(name)


def _fill_unattributed_quotes(units: list[_Unit]) -> None:
    """A quotation inside a sentence about a named person is theirs ("Moore thanked him for
    “…”"); one without attribution is its paragraph's speaker's (before it, else after it:
    "“…” Pence said. “…”"); one opening a sentence without any continues the person the
    paragraph so far is about, or, opening the paragraph, the previous paragraph's speaker,
    the person it is about ("Priebus rejected that idea.") or the one person it names."""
    by_paragraph: dict[int, list[_Unit]] = {}
    for unit in units:
        by_paragraph.setdefault(unit.paragraph, []).append(unit)
    previous: list[_Unit] = []
    paragraphs = list(by_paragraph.values())
    for paragraph, following in zip(paragraphs, [*paragraphs[1:], []], strict=True):
        _sign_quotes(paragraph, following)
        speakers = [unit.speaker for unit in paragraph]
        for n, unit in enumerate(paragraph):
            if not (unit.quotes or unit.opens_with_quote) or unit.speaker_raw or unit.speaker:
                continue
            before = [s for s in speakers[:n] if s]
            after = [s for s in speakers[n + 1 :] if s]
            if unit.subject and not unit.opens_with_quote:  # "Moore thanked him for “…”"
                unit.speaker = unit.subject
            elif before or after:
                unit.speaker = before[-1] if before else after[0]
            elif n == 0 and (unit.opens_with_quote or unit.framed):
                unit.speaker = _speaker_continued(previous) or _only_person_named(previous)
            elif unit.opens_with_quote:  # "Bolton distanced himself … “I’m going to support him”"
                unit.speaker = _speaker_continued(paragraph[:n])
        previous = paragraph
    _attribute_continued_quotes(paragraphs)


def _attribute_continued_quotes(paragraphs: list[list[_Unit]]) -> None:
    """ "“We will rebuild, ¶ “and we will not stop,” said Hidalgo.": a quotation left open at
    its paragraph's end that nothing before attributes is the speaker's whom the paragraph going
    on with it (opening with the same quotation mark) names, the last paragraph first."""
    for paragraph, following in reversed(list(zip(paragraphs, paragraphs[1:], strict=False))):
        last, first = paragraph[-1], following[0]
        if last.continues and last.speaker is None and first.opens_with_quote == last.continues:
            last.speaker = first.speaker


def _sign_quotes(paragraph: list[_Unit], following: list[_Unit]) -> None:
    """A quotation paragraph signed by the line after it ("- Sanders.") is the signer's."""
    if len(following) != 1 or not following[0].signed or not paragraph[0].opens_with_quote:
        return
    for unit in paragraph:
        if unit.speaker_raw is None and (unit.quotes or unit.opens_with_quote):
            unit.speaker = following[0].signed


def _speaker_continued(paragraph: list[_Unit]) -> str | None:
    for unit in reversed(paragraph):
        if unit.speaker:
            return unit.speaker
    subjects = [unit.subject for unit in paragraph if unit.subject]
    return subjects[-1] if subjects else None


def _only_person_named(paragraph: list[_Unit]) -> str | None:
    """ "… since Trump spoke only in evasive bromides. ¶ “We have to …”": the one person a
    paragraph names, though not as a speaker or subject, is whom the quotation after it quotes."""
    named = {person for unit in paragraph for person in unit.named}
    return named.pop() if len(named) == 1 else None


def _claim(text: str, unit: _Unit) -> ExtractedClaim | None:
    words = text[unit.start : unit.end]
    if not _is_claim(words):
        return None
    quotes, speaker_raw, speaker = unit.quotes, unit.speaker_raw, unit.speaker
    is_quote = bool(quotes) and (
        speaker is not None or any(_word_count(q[2]) >= p.LONG_QUOTE_WORDS for q in quotes)
    )
    numbers = tuple(extract_numbers(words))
    quote_text = " … ".join(q[2] for q in quotes) if quotes else None
    if is_quote:
        kind = "quote"
    elif numbers and not speaker_raw:
        kind = "figure"  # a number, amount, date or count stated as fact
    else:
        kind = "statement"
    return ExtractedClaim(
        kind, unit.start, unit.end, words, quote_text, speaker_raw, speaker, numbers
    )


def _is_claim(unit: str) -> bool:
    words = _word_count(unit)
    if words < MIN_WORDS or unit.rstrip().endswith("?"):
        return False
    return words >= MIN_WORDS_WITHOUT_STOP or unit.rstrip()[-1:] in '.!"”’'


# --- quotations ---------------------------------------------------------------------------------


def _quotes(unit: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each quotation, opening and closing marks excluded."""
    found = []
    for match in p.DOUBLE_QUOTE.finditer(unit):
        found.append((match.start(1), match.end(1), match.group(1).strip(" ,.")))
    for match in p.SINGLE_QUOTE.finditer(unit):
        if not any(start <= match.start() < end for start, end, _ in found):
            found.append((match.start(1), match.end(1), match.group(1).strip(" ,.")))
    return sorted(found)


def _mask(unit: str, quotes: list[tuple[int, int, str]]) -> str:
    """The unit with quoted words blanked, so attribution is looked for outside quotations."""
    chars = list(unit)
    for start, end, _ in quotes:
        chars[start:end] = "_" * (end - start)
    return "".join(chars)


# --- speakers -----------------------------------------------------------------------------------


def _speech_verb_in(text: str) -> bool:
    return any(word.strip(",.:;").lower() in p.SPEECH_VERBS for word in text.split())


def _attribution(masked: str, *, has_quote: bool, known: _KnownWords) -> str | None:
    """Who the unit attributes its words to, as written ("Mr. Blinken", "he", "the secretary")."""
    named = [_subject_of(m, masked, known) for m in p.SUBJECT_VERB.finditer(masked)]
    if p.PLURAL_SPEECH_VERB.search(masked):
        named += [
            (m.start(), _last_words(m["subject"]))
            for m in p.GROUP_VERB.finditer(masked)
            if is_group(m["subject"]) and not _is_object(masked[: m.start()])
        ]
    named += [
        (m.start(), _last_words(m["subject"]))
        for m in p.APPOSITIVE_VERB.finditer(masked)
        if _named_with_appositive(m, masked, known)
    ]
    named += [
        (m.start("subject"), _last_words(m["subject"]))
        for m in p.QUOTE_TAIL_APPOSITIVE.finditer(masked)
        if _is_speaker_phrase(_last_words(m["subject"]), known)
    ]
    named = [found for found in named if found is not None]
    main = [found for found in named if not _in_subordinate_clause(masked, *found)]
    if main:
        return min(main)[1]
    return _other_attribution(masked, has_quote=has_quote, known=known) or (
        min(named)[1] if named else None
    )


def _in_subordinate_clause(
    masked: str, start: int, name: str, subordinators: frozenset[str] = p.SUBORDINATORS
) -> bool:
    """ "When Trump suggested …, Rubio fired back", "said Priebus, though he added": a subject
    in a clause opened by a subordinating conjunction speaks in a side clause, not as the
    sentence's speaker (who wins whenever the sentence names one)."""
    found = masked.find(name, start)
    clause = p.CLAUSE_BREAK.split(masked[: found if found >= 0 else start])[-1].split()
    return any(word.lower() in subordinators for word in clause[:1] + clause[-1:])


def _other_attribution(masked: str, *, has_quote: bool, known: _KnownWords) -> str | None:
    """A speaker not named as a verb's subject: after the verb ("…,” said Wang) or a dash ("“…”
    — Maria Gonzalez, organizer"), a role ("the
    secretary said"), their statement ("Bush's post: “…”", "the DNC issued a statement"), the
    asker ("X was asked by Y, “…?”"), whom a spokesperson speaks for ("a spokesman for Boeing
    said"), a participle before a colon ("Trump yelling: “…”"), a digest's source ("More from
    Jones: “…”"), a
    frame ("Clinton told supporters, “…”"), the source of a statement ("a headline from the
    Post: “…”") or "according to"."""
    signed = [*p.QUOTE_SIGNED.finditer(masked.rstrip())]
    for match in [*p.INVERTED.finditer(masked), *p.QUOTE_TAIL.finditer(masked), *signed]:
        if _is_speaker_phrase(_last_words(match["subject"]), known):
            return _last_words(match["subject"])
    for pattern in p.SPOKESPERSON_FRAMES if "spokes" in masked else ():
        spoken_for = pattern.search(masked)
        if spoken_for and _is_speaker_phrase(_last_words(spoken_for["subject"]), known):
            return _last_words(spoken_for["subject"])
    role = p.ROLE_VERB.search(masked)
    if role:
        return role["subject"]
    issued = p.STATEMENT_ISSUED.search(masked)
    issuer = _last_words(issued["subject"]) if issued else ""
    if issued and not _is_object(masked[: issued.start()]) and _is_speaker_phrase(issuer, known):
        return issuer
    for pattern in (p.POSSESSIVE_STATEMENT, p.PASSIVE_ASKER, p.PARTICIPLE_FRAME, p.FROM_FRAME):
        source = pattern.search(masked) if has_quote else None
        if source and _is_speaker_phrase(_last_words(source["subject"]), known):
            return _last_words(source["subject"])
    frame = p.QUOTE_FRAME.search(masked)
    named_in_frame = _first_named(masked, known, frame.start()) if has_quote and frame else None
    if has_quote and not named_in_frame and p.PARTICIPLE_ATTRIBUTION.search(masked):
        named_in_frame = _first_named(masked, known)
    if named_in_frame:
        return named_in_frame
    source = p.STATEMENT_FROM.search(masked) if has_quote else None
    if source and _is_speaker_phrase(_last_words(source["subject"]), known):
        return _last_words(source["subject"])
    source = p.ACCORDING_TO.search(masked)
    if source and _is_speaker_phrase(source["subject"], known):
        return _last_words(source["subject"])
    if masked.rstrip().endswith(":"):
        return _first_named(masked, known)
    return None


def _first_named(masked: str, known: _KnownWords, end: int | None = None) -> str | None:
    """The first person named (before `end`) other than as the object of a preposition or in a
    side clause ("When Wallace died, Clinton released this statement:" names Clinton; but "As
    Breitbart News reported:" is the attribution itself), past a name qualifying a role
    ("Obama speechwriter Jon Favreau")."""
    for match in p.NAME_IN_TEXT.finditer(masked, 0, len(masked) if end is None else end):
        name = _last_words(match.group())
        side = _in_subordinate_clause(masked, match.start(), name, p.SIDE_CLAUSE_SUBORDINATORS)
        if side or _is_object(masked[: match.start()]):
            continue
        opener = _is_sentence_opener(name, masked[: match.start()], known, masked[match.end() :])
        titled = p.ROLE_QUALIFIED_NAME.match(masked, match.end())
        if titled and _is_speaker_phrase(_last_words(titled["name"]), known):
            return _last_words(titled["name"])  # "Obama speechwriter Jon Favreau"
        if _is_speaker_phrase(name, known) and not opener:
            return name
    return None


def _subject_of(match: re.Match, masked: str, known: _KnownWords) -> tuple[int, str] | None:
    """(where, who) a "Name said" match names as speaker: the person, or for an affiliation
    ("Jeffrey Lewis of the Center for Studies wrote") the person it belongs to; none for the
    object of a preposition ("for Clinton, said Kunin") or a sentence's capitalized first word
    that names nobody of the article ("Critics said")."""
    subject = _last_words(match["subject"])
    before = masked[: match.start()]
    if subject.lower() in p.PRONOUNS:
        return match.start(), subject
    if _is_object(before):
        affiliated = p.AFFILIATED_NAME.search(before)
        if affiliated and _is_speaker_phrase(_last_words(affiliated["subject"]), known):
            return affiliated.start(), _last_words(affiliated["subject"])
        return None
    after = masked[match.end("subject") :]
    if not _is_speaker_phrase(subject, known) or _is_sentence_opener(subject, before, known, after):
        return None
    if _names_another_after_the_verb(match, masked, known):
        return None
    return match.start(), subject


def _names_another_after_the_verb(match: re.Match, masked: str, known: _KnownWords) -> bool:
    """ "… that Sanders can catch Clinton, said Steve Elmendorf": a comma before the verb and a
    name after it make the name before the object of the clause the quotation ends."""
    inverted = p.INVERTED.match(masked, match.end("subject"))
    return bool(inverted) and _is_speaker_phrase(_last_words(inverted["subject"]), known)


def _is_object(before: str) -> bool:
    """A name right after a preposition is its object ("comments by Mr. Wray"), also past an
    article ("In a Fox interview", but "released by the White House" names its agent), unless
    the preposition joins a title ("Secretary of State Madeleine Albright"), and so is a name
    joined to such an object ("the Institute for Science and International Security")."""
    conjoined = p.CONJOINED_NAME.search(before)
    if conjoined:
        return _is_object(before[: conjoined.start()])
    words = before.split()[-3:]
    if len(words) > 1 and words[-1].lower() in p.ARTICLES:
        return words[-2].lower() in p.PREPOSITIONS - {"by"}
    words = words[-2:]
    if not words or words[-1].lower() not in p.PREPOSITIONS:
        return False
    return not (len(words) == 2 and words[-1] == "of" and words[0].lower() in p.SPEAKER_TITLE_WORDS)


def _is_sentence_opener(phrase: str, before: str, known: _KnownWords, after: str = "") -> bool:
    """ "Critics", "Specifically,", "Earlier this week": one capitalized word opening the
    sentence that is not anyone's name, and that the article also writes in lower case, or
    capitalizes nowhere else and follows with a comma or a function word ("Reuters" is
    capitalized inside sentences too)."""
    if before.strip() or " " in phrase or phrase in known.names:
        return False
    if phrase.lower() in known.lowercase:
        return True
    return phrase not in known.capitalized_inside and bool(p.OPENER_FOLLOWER.match(after))


def _named_with_appositive(match: re.Match, masked: str, known: _KnownWords) -> bool:
    """ "Wang Yi, China's foreign minister, said": a person (not the object of a preposition),
    then a descriptive phrase that is not itself an attribution."""
    return (
        not _is_object(masked[: match.start()])
        and _is_speaker_phrase(_last_words(match["subject"]), known)
        and not _speech_verb_in(match["appositive"])
    )


def _is_speaker_phrase(phrase: str, known: _KnownWords) -> bool:
    """A person's name, not a possessive, and not a lone place name ("Ohio said", "In Iowa,
    Cruz told") unless the article names a person so ("Marco Rubio" makes "Rubio" a person)."""
    if p.POSSESSIVE.search(phrase):
        return False
    if is_organisation(phrase):
        return True
    if not _is_person_phrase(phrase):
        return False
    words = _strip_titles(phrase).split()
    return len(words) > 1 or words[0] in known.names or not is_major_place(words[0])


def is_organisation(phrase: str) -> bool:
    """ "the White House", "Fox News", "CNN": capitalized words ending in an institution's
    word, or initials."""
    if is_group(phrase) or _is_joined_organisation(phrase):
        return True
    words = _strip_titles(phrase).split()
    if not 0 < len(words) <= 4:
        return False
    if len(words) == 1 and p.ACRONYM.fullmatch(words[0]):
        return True
    return words[-1].lower() in p.INSTITUTION_WORDS and all(
        p.PERSON_WORD.fullmatch(word) or p.ACRONYM.fullmatch(word) for word in words
    )


def is_group(phrase: str) -> bool:
    """ "Senate Democrats", "the Saudis": capitalized words ending in a party's or a people's
    plural."""
    words = phrase.split()
    while words and words[0].lower() in p.NOT_NAME_WORDS:
        words = words[1:]
    return (
        0 < len(words) <= 3
        and words[-1].casefold() in p.group_words()
        and all(p.PERSON_WORD.fullmatch(word) or p.ACRONYM.fullmatch(word) for word in words)
    )


def _last_words(subject: str) -> str:
    """ "On China Blinken" is not a phrase the regex can tell apart; keep the trailing name:
    after a possessive ("American Action Forum’s Douglas Holtz-Eakin"), and at most three words
    of a long capitalized run ("New York City Public Advocate Trish James")."""
    words = [
        word
        for word in subject.replace(",", " ").split()
        if not (p.INITIAL.fullmatch(word) or p.NAME_SUFFIX.fullmatch(word))
    ]
    if words and words[-1].lower() in p.PRONOUNS:
        return words[-1]
    possessive = [i for i, word in enumerate(words[:-1]) if p.POSSESSIVE.search(word)]
    if possessive:
        words = words[possessive[-1] + 1 :]
    name = _strip_titles(" ".join(words))
    if is_organisation(name) or is_group(" ".join(words)):
        return _organisation_name(" ".join(words))
    if _name_word_count(name.split()) > 3:
        name = _strip_titles(_last_name_words(name.split(), 3))
    return name


def _last_name_words(words: list[str], count: int) -> str:
    """The last `count` words of a name, with the particles among them ("Ursula von der Leyen")."""
    kept: list[str] = []
    for word in reversed(words):
        if _name_word_count(kept) == count:
            break
        kept.insert(0, word)
    return " ".join(kept)


def _name_word_count(words: list[str]) -> int:
    """Words of a name, its particles aside ("Charles de Gaulle" has two)."""
    return sum(word not in p.NAME_PARTICLES for word in words)


def _organisation_name(phrase: str) -> str:
    """ "the Democratic National Committee" -> "Democratic National Committee": an organisation
    keeps the words a person's title would lose ("Committee" alone names any committee)."""
    words = phrase.split()[-4:]
    while len(words) > 1 and words[0].lower() in p.NOT_NAME_WORDS:
        words = words[1:]
    return " ".join(words)


def _strip_titles(phrase: str) -> str:
    words = phrase.split()
    while words and (
        words[0].lower() in p.SPEAKER_TITLE_WORDS
        or words[0].lower() in p.NOT_NAME_WORDS
        or (len(words) > 1 and words[0].lower() in p.INSTITUTION_WORDS)
        or (len(words) > 1 and p.LEADING_PARTICIPLE.fullmatch(words[0]))  # not "Ebeling"
        or (len(words) > 1 and p.LEADING_COMPOUND.fullmatch(words[0]))
    ):
        words = words[1:]
    return " ".join(words)


def _is_person_phrase(phrase: str) -> bool:
    words = _strip_titles(phrase).split()
    names = [word for word in words if word not in p.NAME_PARTICLES]
    return (
        0 < len(names) <= 3
        and all(p.PERSON_WORD.fullmatch(w) and w.lower() not in p.NOT_NAME_WORDS for w in names)
        and words[-1] in names
        and words[-1].lower() not in p.TITLE_ABBREVIATIONS
        and not _names_a_place(words)
    )


def _names_a_place(words: list[str]) -> bool:
    """ "Hong Kong", "Los Angeles Times", "South China Sea": two or more of the words name a
    place, or one is a geographic feature."""
    if any(word.lower() in p.GEOGRAPHIC_FEATURES for word in words):
        return True
    places = p.place_names()[1]
    return any(
        " ".join(words[start:end]).casefold() in places
        for start in range(len(words))
        for end in range(start + 2, len(words) + 1)
    )


def is_major_place(name: str) -> bool:
    """A country, US state, continent or big city ("Ohio", "China", "Moscow")."""
    return name.casefold() in p.place_names()[0]


def _resolve(speaker_raw: str, context: _Context, masked: str) -> str | None:
    if speaker_raw.lower() in p.PRONOUNS:
        return _antecedent(context, masked)
    role = p.ROLE_REFERENCE.match(speaker_raw)
    if role:
        return role_of(role["role"], context.roles)
    if is_organisation(speaker_raw):
        return _organisation_name(speaker_raw)
    if speaker_raw.split()[0].lower() in p.ARTICLES or not _is_person_phrase(speaker_raw):
        return None
    return context.person(speaker_raw)


def _antecedent(context: _Context, masked: str) -> str | None:
    """The person "he" stands for: the sentence's own subject named before it ("Williamson
    assails what he calls “…”"), else the last person spoken of (not an organisation), unless
    the sentence names them otherwise ("he told Blinken" is not Blinken speaking)."""
    pronoun = p.PRONOUN.search(masked)
    clause = _main_clause(masked)
    subject = _subject_name(clause)
    if pronoun and subject and _is_person_phrase(subject):
        start = len(masked) - len(clause) + clause.find(subject)
        before = start + len(subject) < pronoun.start()
        if before and not _in_subordinate_clause(masked, start, subject):
            return context.person(subject)
    for person in context.recent:
        named_here = person.split()[-1] in masked or person.split()[0] in masked
        if not named_here and not is_organisation(person):
            return person
    return None


def _remember_subject(masked: str, speaker: str | None, context: _Context) -> str | None:
    """The person the unit speaks of as its subject (or its speaker), now the most recent: a
    full name, or a surname a personal title marks as a person's ("President Obama")."""
    name = speaker
    if name is None:
        clause = _main_clause(masked)
        first = _subject_name(clause)
        if first and _is_person_phrase(first):
            name = context.person(first)
            name = name if " " in name or p.PERSONAL_TITLE.match(clause) else None
    if name:
        context.recent = [name] + [person for person in context.recent if person != name]
    return name


def _subject_name(clause: str) -> str | None:
    """The name opening a clause, past a name that only qualifies a title ("Former Arkansas
    Gov. Mike Huckabee" -> "Mike Huckabee", "Clinton campaign manager Robby Mook" -> "Robby
    Mook"), and past its possessive ("Trump's support" is about Trump)."""
    first = p.NAME_IN_TEXT.match(clause)
    if first is None:
        return None
    titled = p.TITLED_NAME.match(clause, first.end())
    return _owner(_last_words((titled or first).group("name") if titled else first.group()))


def _main_clause(masked: str) -> str:
    """The sentence from its subject on ("Welcoming Blinken to Beijing, Wang offered" -> "Wang")."""
    text = masked.lstrip()
    first_word = text.split(maxsplit=1)[0] if text else ""
    if (p.LEADING_PARTICIPLE.fullmatch(first_word) or first_word.lower() in p.PREPOSITIONS) and (
        "," in text
    ):
        text = text.split(",", 1)[1].lstrip()
    return text


def known_people(text: str) -> list[str]:
    """Full names (two or three words, titles stripped) in the text, in order of appearance."""
    return list(people_in(text))


def people_in(text: str) -> dict[str, list[int]]:
    """Full names in the text -> the offsets where each appears, in order of first appearance."""
    people: dict[str, list[int]] = {}
    for match in p.NAME_IN_TEXT.finditer(text):
        name = _owner(_strip_titles(match.group()))
        if 2 <= _name_word_count(name.split()) <= 3 and _is_person_phrase(name):
            people.setdefault(name, []).append(match.start())
    return people


def _owner(phrase: str) -> str:
    """The name up to its possessive: "Hugh Hefner's" and "Ray Ellison's Facebook" name a person
    by "Hugh Hefner" and "Ray Ellison"."""
    owner = p.OWNER.match(phrase)
    return owner["name"] if owner else phrase


def canonical_person(name: str, people, at: int | None = None, paragraph_start: int = 0) -> str:
    """The full name a surface form stands for ("Mr. Blinken" -> "Antony Blinken").

    A lone word is a surname before it is a first name ("Trump" is Donald Trump before Trump
    Tower). With positions (`people` as from `people_in`) and `at`, a reader takes the namesake
    named in full last before `at` in the same paragraph (from `paragraph_start`), else the one
    named in full most often before `at` (the article's lead "Clinton", not a namesake named
    once since), else the first introduced; otherwise the longest full name.
    """
    name = _strip_titles(name)
    words = name.split()
    if not words:
        return name
    matches = [full for full in people if same_person(words, full.split())]
    surnames = [full for full in matches if len(words) == 1 and full.split()[-1] == words[0]]
    matches = surnames or matches
    if not matches:
        return name
    if at is None or not isinstance(people, dict):
        return max(matches, key=lambda full: (len(full), full))
    before = {m: [x for x in people[m] if x <= at] for m in matches}
    named = {m: places for m, places in before.items() if places}
    if not named:
        return min(matches, key=lambda m: people[m][0])
    in_paragraph = [(places[-1], m) for m, places in named.items() if places[-1] >= paragraph_start]
    if in_paragraph:
        return max(in_paragraph)[1]
    return max(named, key=lambda m: (len(named[m]), named[m][-1]))


def same_person(words: list[str], full: list[str]) -> bool:
    if len(words) == 1:
        return words[0] in (full[0], full[-1])
    return words == full[: len(words)] or words == full[-len(words) :]


def role_names(text: str, people: dict[str, list[int]] | None = None) -> dict[str, str]:
    """Role -> the named person holding it ("secretary of state" -> "Antony Blinken", "Gov."
    -> "governor"); a title before a lone name stands for the person named so in full ("Pope
    Francis", "Mayor Adams" -> "Eric Adams")."""
    people = people_in(text) if people is None else people
    roles: dict[str, str] = {}
    for pattern in (p.ROLE_BEFORE_NAME, p.NAME_BEFORE_ROLE):
        for match in pattern.finditer(text):
            name = canonical_person(_owner(_strip_titles(match["name"])), people)
            role = match["role"].lower()
            titled = pattern is p.ROLE_BEFORE_NAME
            if _is_person_phrase(name) and (titled or len(name.split()) >= 2):
                roles.setdefault(p.ROLE_ABBREVIATIONS.get(role, role), name)
    return roles


def role_of(role: str, roles: dict[str, str]) -> str | None:
    role = role.lower()
    for known, name in sorted(roles.items()):
        if known == role or known.startswith(role + " "):
            return name
    return None


# --- numbers ------------------------------------------------------------------------------------


def extract_numbers(text: str) -> list[dict]:
    """Numbers with their unit and qualifier: "more than five hours" -> 5, "hours", "more than"."""
    numbers = []
    taken: list[tuple[int, int]] = []
    for match in p.DATE.finditer(text):
        numbers.append(
            {"value": float(match["day"]), "unit": match["month"].lower(), "text": match.group()}
        )
        taken.append(match.span())
    for match in p.NUMBER.finditer(text):
        if any(s <= match.start("amount") < e for s, e in taken) or not _at_word_start(text, match):
            continue
        if p.NAME_BEFORE_NUMBER.search(text, 0, match.start()):
            continue
        number = _number(match)
        if number is not None:
            numbers.append(number)
    return numbers


def _at_word_start(text: str, match: re.Match) -> bool:
    start = match.start()
    return start == 0 or not text[start - 1].isalnum()


def _number(match: re.Match) -> dict | None:
    amount = match["amount"]
    if p.NOT_A_COUNT.match(amount) and not match["unit"]:
        return None
    value = _amount(amount)
    if value is None:
        return None
    unit = (match["unit"] or "").lower()
    if unit in p.NOT_A_UNIT:
        unit = ""
    if match["scale"]:
        value *= p.SCALES[match["scale"].lower()]
    if match["percent"]:
        unit = "%"
    elif match["money"]:
        unit = match["money"]
    elif p.YEAR.fullmatch(amount) and not unit:
        unit = "year"
    if p.NOT_A_COUNT.match(amount) and unit in ("", "of"):
        return None
    text = match.group().rstrip()
    if match["unit"] and unit != match["unit"].lower():
        text = text[: match.start("unit") - match.start()].rstrip(" -")
    number = {"value": value, "unit": unit, "text": text}
    if match["qualifier"]:
        number["qualifier"] = match["qualifier"].lower()
    return number


def _amount(amount: str) -> float | None:
    if amount[0].isdigit():
        return float(amount.replace(",", ""))
    total = 0.0
    for word in re.split(r"[- ]", amount.lower()):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in text_patterns.NUMBER_WORDS:
            total += text_patterns.NUMBER_WORDS[word]
        else:
            return None
    return total


# --- descriptors -------------------------------------------------------------------------------


def descriptor_tokens(text: str) -> frozenset[str]:
    """Tokens of the people's names and titles in the text ("national security adviser Jake")."""
    words = [w for w in re.findall(r"[A-Za-z.’'-]+", text) if w.lower() in p.TITLE_WORDS]
    words.extend(" ".join(known_people(text)).split())
    return frozenset(content_tokens(" ".join(words)))


def _word_count(text: str) -> int:
    return len(text.split())
