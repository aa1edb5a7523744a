"""A stored article into its event (joined or opened, with a reason); descriptions; storylines.

Pure parts: `features` (an article's features and event keys), `scoring` (features against an
event's profile). Store parts: `keys` (candidate events and profiles from EventKey rows),
`texts` (TF-IDF vectors, events' text profiles, words' document frequencies), `wording`
(verbatim passages an article shares with events), `assign` (joining, opening, rebuilding and
describing events), `storylines`.
"""

from app.ingest.events.assign import (
    absorb_event,
    assign_article,
    consolidate,
    describe_event,
    forget_words,
    ranked_matches,
    rebuild_event,
    retire_event,
)
from app.ingest.events.features import PERSON_PREFIX, Features, extract_features, person_key
from app.ingest.events.scoring import JOIN_THRESHOLD, Match, Profile, score
from app.ingest.events.storylines import link_storyline

__all__ = [
    "JOIN_THRESHOLD",
    "PERSON_PREFIX",
    "Features",
    "Match",
    "Profile",
    "absorb_event",
    "assign_article",
    "consolidate",
    "describe_event",
    "extract_features",
    "forget_words",
    "link_storyline",
    "person_key",
    "ranked_matches",
    "rebuild_event",
    "retire_event",
    "score",
]
