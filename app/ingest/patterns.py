"""Ingest patterns: boilerplate phrases and regexes, outlet signatures, dateline and date forms."""

import re

# --- cleaning -----------------------------------------------------------------------------------

# Lines that are boilerplate when they are the whole line (compared casefolded, without the
# trailing punctuation and arrows): navigation, player controls, share widgets, section labels.
BOILERPLATE_LINES = frozenset(
    {
        "skip to content",
        "skip to main content",
        "skip to navigation",
        "listen",
        "listen to this article",
        "share",
        "share post",
        "share this article",
        "share this story",
        "more like this",
        "more on this story",
        "most popular",
        "most read",
        "related",
        "related articles",
        "related stories",
        "read more",
        "advertisement",
        "sponsored",
        "comments",
        "show comments",
        "sign in",
        "log in",
        "subscribe",
        "menu",
        "search",
        "close",
        "print",
        "email",
        "back to top",
        "top stories",
        "loading",
        "toggle caption",
        "hide caption",
        "enlarge this image",
    }
)

# Stripped from both ends of a line before it is compared with BOILERPLATE_LINES.
LINE_KEY_NOISE = " \t:.|↓→›»-–—"

# Phrases that make a line boilerplate wherever they appear in it (casefolded substring), unless
# the line is a story sentence ("customers can sign up for alerts on its website").
BOILERPLATE_PHRASES = (
    "all rights reserved",
    "sign up for",
    "subscribe to our",
    "subscribe now",
    "follow us on",
    "click here",
    "download our app",
    "download the app",
    "this content is not available",
    "we use cookies",
    "accept cookies",
    "privacy policy",
    "terms of use",
    "terms of service",
    "previous post",
    "next post",
    "previous article",
    "next article",
)

# "Copyright 2022 NPR", "[Copyright 2024 NPR]", "™ & © 2022 Cable News Network", "© 2023 Reuters";
# not "Copyright law in the EU ...".
COPYRIGHT_LINE = r"^\[?\s*(?:™\s*&\s*)?(?:©|\(c\)|copyright\s*(?:©|\(c\)|(?:19|20)\d\d))"
# "Write to William Mauldin at [email protected]"; not "Write to your MP at once".
WRITE_TO = r"^write to (?-i:[A-Z])[\w.' -]{2,80} at (?:\S+@\S+|\[email)"

# Whole-line regexes for boilerplate.
BOILERPLATE_REGEXES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(?:\d{1,2}:\d{2}(?::\d{2})?\s*/?\s*)+$",  # player timestamps: "0:00 0:00", "1:23 / 4:56"
        WRITE_TO,  # WSJ author contact line
        COPYRIGHT_LINE,
        r"^(?:related|read more|see also|watch|listen|more|also read)\s*:",
        r"^(?:story|reporting|written|text|photos?|video|editing) by\s+"
        r"(?-i:[A-Z][\w .,;'&-]{1,120})$",
        # bylines, case-sensitive: "By Jan Strupczewski and Philip Blenkinsop, Reuters"
        r"^by\s+(?-i:(?!(?:The|This|Then|Now|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
        r"|Sunday)\b)[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s+(?:and|&)\s+[A-Z][\w.'-]+"
        r"(?:\s+[A-Z][\w.'-]+){0,3})?(?:,\s*[A-Z][\w.'-]*(?:\s+[\w.'-]+){0,4})?)$",
        r"^[^|\n]{1,60}(?:\s\|\s[^|\n]{1,60})+$",  # site title bars: "KJZZ | Your Source for ..."
        # time stamps: "Updated 3:45 PM EDT, Sat July 9, 2022"
        r"^(?:last )?(?:updated|published|posted)(?: on| at)?:?\s+(?:\d|(?:jan|feb|mar|apr|may"
        r"|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)[\w ,:./-]{0,60}$",
        r"^\d+\s+(?:min|minute)s?\s+read$",
        r"^follow (?:[\w.]+(?:'s|’s) )?(?:coverage|live|us|our)\b",
        r"^(?:image|photo|picture|video|graphic) (?:credit|source|caption)\s*[:,]",
        r"\bcontributed(?: reporting)? to this (?:report|story)\.?$",
    )
)

# News agencies and picture desks that appear in photo credits.
PHOTO_AGENCIES = (
    "getty images",
    "agence france-presse",
    "afp",
    "ap photo",
    "associated press",
    "pool photo",
    "reuters",
    "epa",
    "efe",
    "shutterstock",
    "bloomberg",
    "xinhua",
    "anadolu",
    "sipa",
    "alamy",
    "nurphoto",
    "zuma",
    "ap",
    "pa wire",
    "pa images",
    "the washington post",
    "the new york times",
)
_AGENCY_ALTERNATION = "|".join(re.escape(agency) for agency in PHOTO_AGENCIES)

# A photo credit: a short line naming an agency, either "Name/Agency/Desk" or "Pool Photo via AP".
PHOTO_CREDIT = re.compile(
    rf"^(?=.*\b(?:{_AGENCY_ALTERNATION})\b)"
    rf"(?:[^.!?]{{0,80}}/[^.!?]{{0,80}}|(?:[\w .'-]{{0,40}}\b(?:via|for|by)\s+)?"
    rf"(?:{_AGENCY_ALTERNATION})(?:\s+photo)?)$",
    re.IGNORECASE,
)

# A line ending in a media credit is a caption: "... (Video: The Washington Post)", "(AP Photo/X)".
CAPTION_CREDIT = re.compile(
    r"\((?:video|photo|photograph|image|graphic|audio|illustration|ap photo|reuters)\b[^()]{0,80}\)"
    r"\s*$",
    re.IGNORECASE,
)

# Lines after which the rest of a page is footer, unless the story goes on after them: copyright,
# author contact, share widgets, the comments section.
END_MARKERS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        COPYRIGHT_LINE,
        WRITE_TO,
        r"^share (?:post|this article|this story)\s*:?$",
        r"^more like this$",
        # the comments section: "Comments", "Jump to comments ↓", "Show 12 comments"
        r"^(?:(?:jump to|show|view|read|leave a|post a|add a)\s+)?(?:\d+\s+)?comments?\W*$",
    )
)

# A sentence ending inside or at the end of a line ("... in Bali. He said", "... on Saturday.”"),
# not an abbreviation's capital ("U.S. tells").
SENTENCE_END = re.compile(r"[a-z0-9)\]%][.!?][\"”’')\]]*(?:\s|$)")
# A line ending with a full stop (or ! or ?), closing quotes and brackets aside.
FINAL_STOP = re.compile(r"[.!?][\"”’')\]]*$")

# A name broken out of its sentence onto its own line: "Antony Blinken", "Christopher Wray,".
NAME_LINE = re.compile(
    r"^(?:[A-Z][a-z]+\.?|[A-Z]\.)(?:[ -](?:[A-Z][\w'’.-]+|de|van|von|bin|al|da|del|la)){1,3},?$"
)

# Text that continues a sentence: it starts in lower case or with a closing/joining punctuation.
CONTINUATION_START = re.compile(r"^(?:[a-z]|[—–,;:)\]]|\.\.\.)")
JOIN_WITHOUT_SPACE = re.compile(r"^[—–,;:.)\]]")

# --- metadata -----------------------------------------------------------------------------------

# Canonical outlet name -> (names and publishers that identify it in text, its web domains).
OUTLETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Reuters": (("Reuters", "Thomson Reuters"), ("reuters.com",)),
    "The Associated Press": (("Associated Press", "AP"), ("apnews.com",)),
    "Agence France-Presse": (("Agence France-Presse", "AFP"), ("afp.com",)),
    "The Wall Street Journal": (
        ("Wall Street Journal", "Dow Jones", "WSJ"),
        ("wsj.com", "dowjones.com"),
    ),
    "NPR": (("NPR", "National Public Radio"), ("npr.org",)),
    "The Washington Post": (("Washington Post",), ("washingtonpost.com",)),
    "CNN": (("CNN", "Cable News Network"), ("cnn.com",)),
    "BBC": (("BBC", "British Broadcasting Corporation"), ("bbc.co.uk", "bbc.com")),
    "The Guardian": (("The Guardian", "Guardian News"), ("theguardian.com", "guardian.co.uk")),
    "The New York Times": (("New York Times", "NYT"), ("nytimes.com",)),
    "Bloomberg": (("Bloomberg",), ("bloomberg.com",)),
    "Al Jazeera": (("Al Jazeera",), ("aljazeera.com", "aljazeera.net")),
    "Financial Times": (("Financial Times",), ("ft.com",)),
    "The Economist": (("The Economist",), ("economist.com",)),
    "Politico": (("Politico",), ("politico.com", "politico.eu")),
    "Fox News": (("Fox News",), ("foxnews.com",)),
    "NBC News": (("NBC News",), ("nbcnews.com",)),
    "CBS News": (("CBS News",), ("cbsnews.com",)),
    "ABC News": (("ABC News",), ("abcnews.go.com",)),
    "Deutsche Welle": (("Deutsche Welle", "DW"), ("dw.com",)),
    "France 24": (("France 24",), ("france24.com",)),
    "South China Morning Post": (("South China Morning Post", "SCMP"), ("scmp.com",)),
    "Xinhua": (("Xinhua",), ("xinhuanet.com", "news.cn")),
    "The Times of India": (("Times of India",), ("timesofindia.indiatimes.com",)),
}


def _alias_alternation() -> str:
    aliases = sorted(
        {alias for names, _ in OUTLETS.values() for alias in names}, key=len, reverse=True
    )
    return "|".join(re.escape(alias) for alias in aliases)


_ALIASES = _alias_alternation()

# Outlet signatures, strongest first: who wrote the story beats who published the page.
OUTLET_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "byline",
        re.compile(rf"^(?i:story|reporting|written|text) by\s+(?P<name>{_ALIASES})\s*$", re.M),
    ),
    ("dateline tag", re.compile(rf"\((?P<name>{_ALIASES})\)\s*[-—–]")),
    (
        "copyright",
        re.compile(
            rf"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d\s*)?(?:by\s+)?(?:the\s+)?"
            rf"(?P<name>{_ALIASES})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "media credit",
        re.compile(rf"\((?i:video|photo|graphic|audio):\s*(?i:the\s+)?(?P<name>{_ALIASES})\)"),
    ),
    ("site slogan", re.compile(rf"your source for (?P<name>{_ALIASES}) news", re.IGNORECASE)),
)

# "NUSA DUA, Indonesia —", "BEIJING —", "WASHINGTON (Reuters) -", "BRUSSELS, Jan 27 (Reuters) -".
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*)*"
    r"(?:, [A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*)*)?)"
    r"(?:,? (?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r" (?P<day>\d{1,2}))?"
    r"\s*(?:\([A-Za-z .-]{1,30}\)\s*[-—–]{1,2}|[—–]{1,2})",
    re.MULTILINE,  # `match` reads it at the start of a text; `search` finds it at any line start
)

COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?((?:19|20)\d\d)\b", re.IGNORECASE)

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

# "April 26, 2024", "26 April 2024", "2024-04-26".
FULL_DATE = re.compile(
    rf"\b(?P<month>{_MONTH_NAME}) (?P<day>\d{{1,2}}),? (?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}}) (?P<month2>{_MONTH_NAME}) (?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
)
# "April 26", "26 April" without a year.
MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_NAME}) (?P<day>\d{{1,2}})\b(?!,? \d)"
    rf"|\b(?P<day2>\d{{1,2}}) (?P<month2>{_MONTH_NAME})\b(?!,? \d)"
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# Right after a weekday, "Monday's earthquake", "Friday’s vote": the day of an event the story
# refers to, not its own day.
POSSESSIVE = re.compile(r"['’]s\b")

# A date or weekday does not mark the story's own day when it is qualified as another day: ahead
# ("by August 16", "until Monday", "next Friday") or behind ("since May 3", "last Tuesday") ...
OTHER_DAY_QUALIFIER = re.compile(
    r"\b(?:by|until|till|before|since|next|last|this coming|through)\s+(?:on\s+)?$", re.IGNORECASE
)
# ... or when its clause, up to the date, speaks of what is to come or of what is remembered: "the
# next decision is due on August 16", "talks will resume on Thursday", "the anniversary of the
# June 4 crackdown". A clause ends at punctuation; only its last OTHER_DAY_WINDOW characters count.
OTHER_DAY_CLAUSE = re.compile(
    r"\b(?:will|shall|due|scheduled|expected|set (?:for|to)|plans? to|planned for"
    r"|upcoming|deadline|ahead of|anniversary)\b|\b(?:won['’]t|\w+['’]ll)\b",
    re.IGNORECASE,
)
OTHER_DAY_WINDOW = 60
CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]—–\n]")

# Stated dates read at year or month precision: "2022", "2022-07".
STATED_YEAR = re.compile(r"(?:19|20)\d\d")
# A year a text mentions: "in 2008", "the 2013 season".
YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
STATED_MONTH = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)")
# A stated date of digits and separators only; unless ISO its day-month order is a guess.
NUMERIC_DATE = re.compile(r"[\d\s/.:-]+")

# Front matter at the top of a text file: "---\nkey: value\n---".
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# JSON's brackets and its strings (skipped whole, so a bracket inside a string is not counted).
# (The unrolled, possessive string pattern keeps no backtracking state per character.)
JSON_STRUCTURE = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]')
