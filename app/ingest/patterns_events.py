"""Patterns for event clustering: name shapes, stop-entities, places, dates and numbers."""

import re

from app.ingest.patterns import MONTHS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A run of capitalized words (with initials and inner hyphens/apostrophes): a candidate name.
_CAPITALIZED = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.)"
_PARTICLE = r"(?:van|von|de|der|den|da|di|du|del|dos|la|le|bin|al|el|ben)"
NAME_RUN = re.compile(
    rf"(?<![\w’']){_CAPITALIZED}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAPITALIZED})*(?![\w’'])"
)
# Honorifics that make a lone surname a person ("Mr. Wang").
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "president", "minister", "secretary"})
# A line set in headline case (related-links lists, captions): its capitals are not names.
HEADLINE_CASE_SHARE = 0.6
MAX_NAME_TOKENS = 4
# A person named by surname this often (or in the title) is whom the story is about.
LEAD_MENTIONS = 4
# Words of an article's TF-IDF vector: at least this long, its title's words counted this often.
MIN_WORD_LENGTH = 3
TITLE_WORD_COUNT = 2
WORD = re.compile(r"[a-z][a-z’'\-]+")
NUMBER = re.compile(
    r"(?<![\w.])(?:[$€£])?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.])(?:[$€£])?\d+(?:\.\d+)?%?"
    r"(?:\s+(?:million|billion|trillion|percent|per cent))?"
)
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)(?!\d)")

_MONTH_ABBREVIATIONS = (
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
_MONTH = "(" + "|".join(m.title() for m in MONTHS) + "|" + _MONTH_ABBREVIATIONS + ")"
# "July 9, 2022", "July 9" / "9 July 2022", "9 July"
MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?!\d)")
DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(\d{4}))?")

# Capitalized words that are never names (sentence openers, calendar words, pronouns, ...).
STOP_ENTITIES = _words(
    """
    the a an and but or if in on at of for to by with from as after before during while when
    where what who why how this that these those there here it its he she they we i you his her
    their our my your him them us not no yes also still even just so then than both each every
    all some many most more much few other another such only over under about into through
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    january february march april may june july august september october november december
    mr mrs ms dr said says asked told according however meanwhile although though because since
    until unless whether despite yet please read more copyright advertisement photo video image
    getty images reuters ap afp associated press staff reporting editing writing additional
    story skip content next up live related topics share comment comments subscribe sign
    one two three four five six seven eight nine ten several analysis explainer opinion
    """
)

# Words too common in news copy to tell events apart.
STOP_TERMS = _words(
    """
    about above across after again against along also although among and another any are around
    because been before being below between both but came can cannot could did does doing done
    down during each either else even ever every few first from further given going had has have
    having here however into its itself just last later least less like made make makes making
    many might more most much must near need never next none nor not now often once one only
    other others otherwise our ours out over own part per perhaps rather really said same says
    see seen should since some still such than that the their theirs them then there these they
    this those though three through thus together too toward towards two under until upon very
    was were what when where whether which while who whom whose why will with within without
    would year years yet you your week weeks day days month months time times told tell tells
    say saying according secretary minister president foreign state leader government country
    countries added adding statement statements official officials people including
    told reporters reporter news report reported reports percent told asked ask asks want wants
    wanted new old former top senior spokesman spokeswoman called call calls meet meeting
    meetings met talks talk held hold holds take taken took get got give gave well back way
    """
)

# Places: a small gazetteer. Countries, regions and capitals that stand for their governments
# ("Beijing said") are context that most world news names; cities, islands and venues pin an
# event down. A dateline is always specific, even when it is a capital.
CONTEXT_PLACES = frozenset(
    {
        "china", "russia", "ukraine", "indonesia", "united states", "america", "japan", "india",
        "france", "germany", "britain", "united kingdom", "italy", "spain", "poland", "canada",
        "mexico", "brazil", "australia", "south korea", "north korea", "taiwan", "vietnam",
        "philippines", "singapore", "pakistan", "afghanistan", "iran", "iraq", "syria",
        "israel", "gaza", "lebanon", "egypt", "saudi arabia", "qatar", "turkey", "nigeria",
        "kenya", "south africa", "sudan", "belarus", "sweden", "norway", "finland", "denmark",
        "netherlands", "belgium", "switzerland", "austria", "hungary", "greece", "europe",
        "asia", "africa", "middle east", "washington", "moscow", "beijing", "kyiv", "u.s.",
        "us", "uk", "u.k.", "eu", "kremlin", "white house", "pentagon", "west", "tibet",
        "xinjiang", "hong kong", "crimea", "donbas", "west bank", "argentina", "chile",
        "colombia", "venezuela", "thailand", "malaysia", "myanmar", "ethiopia", "libya",
        "morocco", "romania", "serbia", "lithuania", "latvia", "estonia", "moldova",
        "georgia", "armenia", "azerbaijan", "kazakhstan", "new zealand", "ireland", "portugal",
    }
)  # fmt: skip
SPECIFIC_PLACES = frozenset(
    {
        "bali", "nusa dua", "jakarta", "beijing", "shanghai", "washington", "new york",
        "moscow", "kyiv", "london", "paris", "berlin", "brussels", "geneva", "vienna", "rome",
        "madrid", "tokyo", "seoul", "delhi", "new delhi", "mumbai", "singapore", "bangkok",
        "manila", "hanoi", "canberra", "sydney", "ottawa", "toronto", "brasilia", "rio de janeiro",
        "buenos aires", "mexico city", "cairo", "nairobi", "johannesburg", "lagos", "riyadh",
        "doha", "dubai", "abu dhabi", "tehran", "baghdad", "damascus", "beirut", "jerusalem",
        "tel aviv", "ankara", "istanbul", "warsaw", "kharkiv", "odesa", "lviv", "minsk",
        "helsinki", "stockholm", "oslo", "copenhagen", "amsterdam", "the hague", "davos",
        "munich", "hiroshima", "osaka", "taipei", "hong kong", "san francisco", "los angeles",
        "chicago", "strasbourg", "luxembourg", "vilnius", "lisbon",
        "athens", "budapest", "prague", "bucharest", "sofia", "belgrade", "zagreb", "anchorage",
        "camp david", "kuala lumpur", "phnom penh", "vientiane", "islamabad", "kabul",
        "ulaanbaatar", "astana", "tbilisi", "yerevan", "baku", "reykjavik", "dublin", "edinburgh",
        "brisbane", "perth", "auckland", "wellington", "honolulu", "lausanne", "bern",
        "sharm el-sheikh", "dubrovnik", "glasgow", "cornwall", "carbis bay", "elmau", "apulia",
        "kananaskis", "santiago", "lima", "bogota", "caracas", "havana",
    }
)  # fmt: skip

# Words that make a capitalized run an organisation, body or thing rather than a person.
NON_PERSON_WORDS = _words(
    """
    ministry department council union organization organisation party university bank fund
    agency forces army navy news post times journal group company corp inc ltd summit
    conference forum assembly parliament congress senate house court office committee
    commission republic kingdom states nations treaty association institute center centre
    foundation airport hotel palace square street island islands sea strait river day war act
    agreement accord pact alliance coalition movement front league cup games olympics
    championship festival museum hospital school college airlines exchange index dollar
    """
)
