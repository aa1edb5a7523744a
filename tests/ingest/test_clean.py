"""Cleaning removes the boilerplate real pages carry and keeps every story sentence verbatim."""

import csv
from pathlib import Path

import pytest

from app.evaluation.corpora import load_corpus
from app.ingest import patterns
from app.ingest.clean import clean, is_story_line, line_key

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def seed_title(prefix: str) -> str:
    with (SEEDS / "manifest.csv").open(encoding="utf-8") as manifest:
        return next(row["title"] for row in csv.DictReader(manifest) if row["file"][:3] == prefix)


def clean_seed(prefix: str):
    return clean(seed(prefix), title=seed_title(prefix))


BOILERPLATE = {
    "000": [
        "stefani reynolds/Agence France-Presse/Getty Images",
        "Write to William Mauldin at",
        "Copyright ©2022 Dow Jones & Company",
        "Previous post",
        "Next post",
    ],
    "002": [
        "Arizona Public Radio | Your Source for NPR News",
        "Play Live Radio",
        "Next Up:",
        "0:00 0:00",
        "Available On Air Stations",
        "shakes hands with China's Foreign Minister Wang Yi",
        "Stefani Reynolds",
        "Pool Photo via AP",
        "Copyright 2022 NPR",
        "The Associated Press",
        "[Copyright 2024 NPR]",
    ],
    "003": [
        "Skip to Content",
        "Skip to content",
        "Story by Reuters",
        "The-CNN-Wire",
        "Cable News Network",
        "Article Topic Follows",
        "Jump to comments",
        "CNN Newssource",
        "BE PART OF THE CONVERSATION",
        "committed to providing a forum",
        "Community Guidelines",
        "share a story idea",
    ],
    "004": [
        "(Video: The Washington Post)",
        "Share post:",
        "More like this",
    ],
}

STORY_SENTENCES = {
    "000": [
        "NUSA DUA, Indonesia—U.S. Secretary of State Antony Blinken admonished Beijing over its "
        "support for Russia in a meeting with his Chinese counterpart",
        "“More than four months now into this brutal invasion, the PRC still stands by Russia,” "
        "Mr. Blinken said",
        "“important to stay committed to the principles put forward by President Xi Jinping—mutual "
        "respect, peaceful coexistence and win-win cooperation—because",
        "the director of the Federal Bureau of Investigation, Christopher Wray, and Ken McCallum, "
        "director-general of Britain’s domestic security service",
        "For Treasury Secretary Janet Yellen, her recent call with her Chinese counterpart",
        "For the chairman of the Joint Chiefs of Staff, Army Gen. Mark Milley, it was the first in "
        "18 months.",
        "National security adviser Jake Sullivan has had more regular meetings with his Chinese "
        "counterpart, Yang Jiechi.",
    ],
    "001": [
        "“We are concerned about the PRC’s alignment with Russia,” Blinken told reporters after "
        "the meeting in the Indonesian resort of Bali.",
        "“We’re committed to managing this relationship, this competition responsibly as the world "
        "expects us to do,” Blinken said.",
    ],
    "002": [
        "NUSA DUA, Indonesia — China's support for Russia's war in Ukraine is complicating "
        "U.S.-Chinese relations",
        '"Many people believe that the United States is suffering from a China-phobia," he said, '
        "according to a Chinese statement.",
        "At the same meeting in Singapore, Austin said China was causing instability with its "
        "claim to Taiwan and its increased military activity in the area.",
    ],
    "003": [
        "United States Secretary of State Antony Blinken said on Saturday he had discussed Russian "
        "aggression in Ukraine",
        "Question of tariffs",
        "Despite their rivalry, the world’s two largest economies remain major trading partners",
    ],
    "004": [
        "BEIJING — Chinese and U.S. leaders sought Friday to stabilize their contentious "
        "relationship",
        "Music is “the best connector, regardless of geography,” said Blinken, who has been known "
        "to pick up his guitar at State Department soirees.",
    ],
}


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_seed_boilerplate_is_removed(prefix):
    cleaned = clean_seed(prefix)
    for fragment in BOILERPLATE[prefix]:
        assert fragment not in cleaned.text
        assert any(fragment in line for line in cleaned.removed)


@pytest.mark.parametrize("prefix", sorted(STORY_SENTENCES))
def test_seed_story_sentences_survive_verbatim(prefix):
    cleaned = clean_seed(prefix)
    for sentence in STORY_SENTENCES[prefix]:
        assert sentence in cleaned.text


@pytest.mark.parametrize("prefix", sorted(STORY_SENTENCES))
def test_removed_lines_hold_no_story_sentence(prefix):
    raw = seed(prefix)
    cleaned = clean_seed(prefix)
    for sentence in STORY_SENTENCES[prefix]:
        assert not any(sentence in line for line in cleaned.removed)
    assert len(cleaned.text.split()) > 0.8 * len(raw.split())


def test_repeated_headline_is_kept_once():
    cleaned = clean(seed("000"))
    headline = "Blinken Reproves China Counterpart Over Support for Russia"
    assert cleaned.text.count(headline) == 1
    assert cleaned.text.startswith(headline)


def test_repeated_caption_next_to_credit_goes_entirely():
    cleaned = clean_seed("002")
    assert "shakes hands" not in cleaned.text
    assert cleaned.text.startswith(
        "U.S. tells China that its support for Russia in Ukraine complicates relations\n\n"
    )


def test_repeated_headline_keeps_its_first_copy_even_near_a_photo_credit():
    headline = "Floods force thousands from their homes in Kerala"
    page = "\n".join(
        [
            headline,
            headline,
            "Rescue teams reached the worst-hit villages by boat on Tuesday.",
            "Photo: Jane Doe/Getty Images",
            "Officials said more rain was forecast for the rest of the week.",
        ]
    )
    cleaned = clean(page)
    assert cleaned.text.split("\n\n") == [
        headline,
        "Rescue teams reached the worst-hit villages by boat on Tuesday.",
        "Officials said more rain was forecast for the rest of the week.",
    ]


def test_story_paragraphs_after_an_end_marker_are_kept():
    story = [
        "KYIV, Ukraine — Air defences shot down most of the drones launched overnight, officials "
        "said on Sunday.",
        "The mayor said debris had damaged homes in two districts but no one was hurt.",
        "Residents spent hours in shelters as sirens sounded across the capital.",
    ]
    rest = [
        "Power was restored to most of the city by the afternoon, the energy ministry said.",
        "Repairs to the damaged homes would begin on Monday, according to the mayor.",
    ]
    for marker in (
        "Share post:",
        "More like this",
        "Write to Olena Petrenko at [email protected]",
        "© 2024 Example News",
    ):
        cleaned = clean("\n".join([*story, marker, *rest]))
        assert cleaned.text.split("\n\n") == story + rest
        assert cleaned.removed == [marker]


def test_end_marker_followed_by_teasers_still_cuts_the_footer():
    page = [
        "BEIJING — Chinese and U.S. leaders sought Friday to stabilize their relationship.",
        "Blinken met Xi Jinping for about 80 minutes at the Great Hall of the People.",
        "He later met the foreign minister, Wang Yi, for a second round of talks.",
        "More like this",
        "Why China and the U.S. keep talking despite their rivalry",
        "The Pentagon's new plan for the Pacific",
        "Opinion: What Blinken should have said in Beijing",
    ]
    cleaned = clean("\n".join(page))
    assert cleaned.text.split("\n\n") == page[:3]
    assert cleaned.removed == page[3:]


def test_paragraphs_are_separated_by_blank_lines():
    cleaned = clean(seed("001"))
    paragraphs = cleaned.text.split("\n\n")
    assert len(paragraphs) == 17
    assert all(paragraph.strip() == paragraph and "\n" not in paragraph for paragraph in paragraphs)


def test_generic_page_furniture_is_removed():
    page = "\n".join(
        [
            "By Jan Strupczewski and Philip Blenkinsop, Reuters",
            "Advertisement",
            "Sign up for our morning newsletter",
            "MADRID — Spain's parliament approved a new housing law on Thursday, capping rents.",
            "Photograph: Juan Medina/Reuters",
            "Related: Spain's housing crisis explained",
            "Read more",
            "1:02 / 3:45",
            "The law, which passed by 176 votes to 167, also lets regions declare stressed areas.",
            "Follow us on Twitter and Facebook",
            "Click here to get the app",
            "© 2023 Example Media Group. All rights reserved.",
            "Ten things to know about rent Next article",
        ]
    )
    cleaned = clean(page)
    assert cleaned.text.split("\n\n") == [
        "MADRID — Spain's parliament approved a new housing law on Thursday, capping rents.",
        "The law, which passed by 176 votes to 167, also lets regions declare stressed areas.",
    ]
    assert len(cleaned.removed) == 11


def test_photo_credits_and_captions_in_many_styles():
    page = "\n\n".join(
        [
            "Firefighters battle the blaze near Athens on Monday. (AP Photo/Petros Giannakouris)",
            "ATHENS, Greece (AP) — Wildfires fanned by strong winds forced thousands to flee.",
            "Louisa Gouliamaki/Reuters",
            "Getty Images",
            "Angelos Tzortzinis / AFP via Getty Images",
            "Officials said the fires were the worst since 2018.",
        ]
    )
    assert clean(page).text.split("\n\n") == [
        "ATHENS, Greece (AP) — Wildfires fanned by strong winds forced thousands to flee.",
        "Officials said the fires were the worst since 2018.",
    ]


def test_story_lines_that_merely_mention_boilerplate_words_stay():
    page = "\n\n".join(
        [
            "The minister said the government would share more details about the plan next week.",
            "Reuters reported on Monday that talks had stalled over the question of tariffs.",
            "Previous governments had tried and failed to pass the same law, she said.",
            "By Tuesday, officials said the talks would resume in Vienna",
            "By Friday Night",
            "By comparison, it was small",
            "by early morning the rescuers",
            "Editing by hand is slow, the archivists said.",
            "Published in 2019, the study was cited",
            "Write to your MP at once, the campaign urged",
            "Copyright law in the EU was rewritten in 2019, and critics said",
            "the reforms went too far.",
            "Copyright holders welcomed it.",
        ]
    )
    assert clean(page).text == page
    assert clean(page).removed == []


def test_hard_wrapped_text_joins_into_paragraphs():
    text = (
        "WAJIMA, Japan (AP) — Rescuers raced on Wednesday to reach towns cut off by the\n"
        "powerful earthquake that struck Japan's western coast on New Year's Day, as the\n"
        "number of confirmed deaths rose to 64.\n"
        "\n"
        "Prime Minister Fumio Kishida said more than 1,000 troops had been deployed and\n"
        "that roads to the northern tip of the Noto Peninsula had been partly reopened.\n"
    )
    paragraphs = clean(text).text.split("\n\n")
    assert paragraphs == [
        "WAJIMA, Japan (AP) — Rescuers raced on Wednesday to reach towns cut off by the powerful "
        "earthquake that struck Japan's western coast on New Year's Day, as the number of "
        "confirmed deaths rose to 64.",
        "Prime Minister Fumio Kishida said more than 1,000 troops had been deployed and that roads "
        "to the northern tip of the Noto Peninsula had been partly reopened.",
    ]


def test_broken_out_name_rejoins_only_when_the_sentence_continues():
    text = "\n\n".join(
        [
            "The meeting was chaired by Foreign Secretary",
            "David Cameron,",
            "who arrived late.",
            "Joe Biden",
            "The president spoke later.",
        ]
    )
    assert clean(text).text.split("\n\n") == [
        "The meeting was chaired by Foreign Secretary David Cameron, who arrived late.",
        "Joe Biden",
        "The president spoke later.",
    ]


def test_cleaning_is_stable_when_rerun():
    cleaned = clean(seed("000"))
    again = clean(cleaned.text)
    assert again.text == cleaned.text
    assert again.removed == []


def test_wire_page_stamps_credits_and_contributor_lines():
    page = "\n".join(
        [
            "Updated 3:45 PM EDT, Sat July 9, 2022",
            "WASHINGTON (AP) — The Senate passed the bill late Saturday after a marathon session.",
            "Image source, Getty Images",
            "Image caption, Senators leave the chamber after the vote",
            "The measure now goes to the House, where its fate is less certain.",
            "Associated Press writer Mary Clare Jalonick contributed to this report.",
        ]
    )
    cleaned = clean(page)
    assert cleaned.text.split("\n\n") == [
        "WASHINGTON (AP) — The Senate passed the bill late Saturday after a marathon session.",
        "The measure now goes to the House, where its fate is less certain.",
    ]
    assert cleaned.removed[0] == "Updated 3:45 PM EDT, Sat July 9, 2022"


def test_a_story_sentence_holding_a_boilerplate_phrase_stays():
    page = "\n".join(
        [
            "BlackBerry's new handset will reach T-Mobile stores in the spring, the carrier said.",
            "Pricing was not released, but customers can sign up for alerts on T-Mobile's website.",
            "Sign up for our morning newsletter",
        ]
    )
    cleaned = clean(page)
    assert cleaned.text.split("\n\n") == page.split("\n")[:2]
    assert cleaned.removed == ["Sign up for our morning newsletter"]


def test_a_footer_with_a_few_notices_goes_with_the_labels_above_its_marker():
    story = [
        "WASHINGTON (Reuters) - The Senate passed the spending bill late on Friday after a long "
        "session.",
        "The measure now goes to the House, where its fate is less certain.",
        "Leaders of both parties said they expected a vote there early next week.",
        "The bill funds the government through the end of September, aides said.",
        "It also includes disaster aid for states hit by last year's floods and fires.",
        "Several senators who voted against it said the spending was too high.",
    ]
    footer = [
        "The-Example-Wire",
        "© 2024 Example Network, Inc. All rights reserved.",
        "Filed under: Politics - US",
        "Comments",
        "Example News 7 is committed to providing a forum for civil and constructive debate.",
        "Please keep your comments respectful and relevant to the story you are reading here.",
        "Newsletter desk",
        "Contact the newsroom",
    ]
    cleaned = clean("\n\n".join(story + footer))
    assert cleaned.text.split("\n\n") == story
    assert cleaned.removed == footer


def test_labels_above_the_known_title_are_navigation():
    page = [
        "Example Radio | Your Source for News",
        "Schedule:",
        "Kerala floods force thousands from their homes",
        "Rescue teams reached the worst-hit villages by boat on Tuesday, officials said.",
    ]
    titled = clean("\n".join(page), title="Kerala floods force thousands from their homes")
    assert titled.text.split("\n\n") == page[2:]
    untitled = clean("\n".join(page[1:]))
    assert untitled.text.split("\n\n") == page[1:]


def test_a_bar_of_labels_heading_the_page_goes_but_a_short_headline_stays():
    story = "Rescue teams reached the worst-hit villages by boat on Tuesday, officials said."
    bar = ["Listen Live", "Schedule:", "Kerala floods force thousands from their homes", story]
    assert clean("\n".join(bar)).text.split("\n\n") == bar[2:]
    headline = ["Floods hit Kerala", "Thousands forced from their homes as rivers burst", story]
    assert clean("\n".join(headline)).text.split("\n\n") == headline


def test_no_story_sentence_of_the_ecbplus_articles_is_lost():
    """ECB+ texts are stories with a few time stamps: every story-length line that cleaning
    removes is a time stamp ("Published: Tuesday, Aug. 2 2011 7:08 p. m. MDT") or a later copy
    of a line it keeps."""
    articles = load_corpus(Path(__file__).resolve().parents[1] / "data" / "ecbplus")
    lost = []
    for article in articles:
        cleaned = clean(article.text)
        lost += [
            line
            for line in cleaned.removed
            if is_story_line(line)
            and line_key(line) not in line_key(cleaned.text)
            and not any(form.search(line) for form in patterns.BOILERPLATE_REGEXES)
        ]
    assert len(articles) > 900
    assert lost == []
