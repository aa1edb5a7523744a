"""Scoring an article against an event: a look-alike about other people does not join on text."""

import os
import subprocess
import sys
from dataclasses import replace

from app.db import PROJECT_ROOT
from app.ingest.events import extract_features
from app.ingest.events.scoring import WORDING_THRESHOLD, Profile, Rarity, score
from app.models import Article

TITLE_FIGHT = (
    "Daniel Marsh stops Tom Rivers to keep his heavyweight title",
    "Daniel Marsh kept his heavyweight title on Saturday night, stopping Tom Rivers in the seventh "
    "round in front of a sold-out arena.\n\nMarsh landed a left hook that sent Rivers to the "
    "canvas, and the referee waved the fight off as Rivers rose.\n\nRivers had never been stopped "
    "in his career. Marsh said the champion's belt stays at home.",
)
REMATCH_REPORT = (
    "Marsh beats Rivers again in heavyweight title fight",
    "Tom Rivers could not survive the seventh round against champion Daniel Marsh, who kept his "
    "heavyweight title on Saturday night.\n\nMarsh put Rivers on the canvas with a left hook "
    "and the referee stopped it. Rivers said he would be back.",
)
OTHER_FIGHT = (
    "Champion Marsh retains belt with sixth-round win over Benton",
    "Carl Benton was stopped in the sixth by Daniel Marsh, who retained his heavyweight belt.\n\n"
    "Benton, a late replacement, went down twice before his corner threw in the towel. Benton "
    "said he had not had enough time to prepare.",
)


def features(title: str, text: str):
    article = Article(title=title, raw_text=text, clean_text=text, content_hash=title)
    return extract_features(article)


def event_of(title: str, text: str) -> Profile:
    keys = features(title, text).keys()
    return Profile(1, title, dict.fromkeys(keys, 1.0), 1, content_squares=float(len(keys)))


def test_the_people_a_story_is_about_are_those_in_its_title_or_named_again_and_again():
    found = features(*TITLE_FIGHT)
    assert {"marsh", "rivers"} <= found.leads
    passing = features("Champion keeps his title", "Daniel Marsh won. Ringside was Anna Cole.")
    assert passing.leads == frozenset()


def test_a_look_alike_about_someone_the_event_never_names_does_not_join_on_text():
    event = event_of(*TITLE_FIGHT)
    rarity = Rarity({}, events=10)
    other = score(features(*OTHER_FIGHT), event, rarity, text=0.45)
    assert not other.joinable
    assert "about benton, not rivers" in other.reason
    same = score(features(*REMATCH_REPORT), event, rarity, text=0.45)
    assert same.joinable


def test_a_text_alike_enough_joins_whoever_it_is_about():
    event = event_of(*TITLE_FIGHT)
    assert score(features(*OTHER_FIGHT), event, Rarity({}, events=10), text=0.6).joinable


CHAMPION_QUOTED = (
    "Champion says he saw the end coming",
    "“I saw him drop his right hand twice, so I waited for the third time,” the champion said.",
)


def test_an_article_printing_the_events_wording_joins_with_too_little_else_in_common():
    event = event_of(*TITLE_FIGHT)
    rarity = Rarity({}, events=10)
    quoted = features(*CHAMPION_QUOTED)
    assert not score(quoted, event, rarity).joinable
    same_words = score(quoted, event, rarity, wording=WORDING_THRESHOLD)
    assert same_words.joinable
    assert f"{WORDING_THRESHOLD} passages in the same words" in same_words.reason
    assert not score(quoted, event, rarity, wording=WORDING_THRESHOLD - 1).joinable


def test_shared_wording_does_not_join_a_look_alike_elsewhere():
    event = event_of(*TITLE_FIGHT)
    event.weights["place:manila"] = 1.0
    quoted = replace(features(*CHAMPION_QUOTED), places=frozenset({"las vegas"}))
    assert not score(quoted, event, Rarity({}, events=10), wording=5).joinable


SCORE_IN_ANY_PROCESS = """
from tests.ingest.events.test_scoring import REMATCH_REPORT, TITLE_FIGHT, features
from app.ingest.events.scoring import Profile, Rarity, _content_score, similarity
known = features(*TITLE_FIGHT).keys()
event = Profile(1, TITLE_FIGHT[0], {k: 1 + (i * 7 % 19) / 10 for i, k in enumerate(known)}, 3, 7.7)
article = features(*REMATCH_REPORT)
rarity = Rarity({k: i % 5 for i, k in enumerate(sorted(known))}, events=40)
print(repr(_content_score(article, event)[0]), repr(similarity(article, event, rarity)))
"""


def test_a_score_is_the_same_to_the_last_bit_whatever_order_sets_iterate_in():
    """Sums over sets follow the process's string hashing; a join decided at the threshold
    must not change with it (two runs of one corpus once put one report in different events)."""
    runs = {
        subprocess.run(
            [sys.executable, "-c", SCORE_IN_ANY_PROCESS],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert len(runs) == 1, runs
