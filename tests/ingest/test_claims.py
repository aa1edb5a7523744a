"""Tests for app/ingest/claims.py: quotes and their speakers, statements, figures."""

from app.db import PROJECT_ROOT
from app.ingest.claims import extract_claims, extract_numbers, role_names
from app.ingest.clean import clean

SEEDS_DIR = PROJECT_ROOT / "seeds"


def claim_containing(claims, words: str):
    return next(c for c in claims if words in c.text)


def test_quote_speaker_is_resolved_from_title_and_pronoun():
    text = (
        "U.S. Secretary of State Antony Blinken met his counterpart in Bali. "
        "“More than four months now into this brutal invasion, the PRC still stands by Russia,” "
        "Mr. Blinken said.\n\n"
        "“We’re committed to managing this relationship, this competition, responsibly,” he said."
    )
    claims = extract_claims(text)
    first = claim_containing(claims, "More than four months")
    assert (first.kind, first.speaker, first.speaker_raw) == ("quote", "Antony Blinken", "Blinken")
    assert first.quote.startswith("More than four months now")
    second = claim_containing(claims, "committed to managing")
    assert (second.kind, second.speaker, second.speaker_raw) == ("quote", "Antony Blinken", "he")


def test_he_said_follows_the_last_named_subject_not_the_last_quote():
    text = clean((SEEDS_DIR / "002_1369dc01825edf46.txt").read_text()).text
    claims = extract_claims(text)
    phobia = claim_containing(claims, "China-phobia")
    assert (phobia.speaker, phobia.speaker_raw) == ("Wang Yi", "he")
    continued = claim_containing(claims, "If such threat-expansion is allowed to grow")
    assert continued.speaker == "Wang Yi"


def test_speaker_after_the_verb_and_role_references():
    text = (
        "The talks lasted five hours, said Wang Yi, China's foreign minister. "
        "U.S. Secretary of State Antony Blinken arrived late on Friday evening. "
        "The secretary said the meeting had been useful for both sides."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "said Wang Yi").speaker == "Wang Yi"
    role = claim_containing(claims, "The secretary said")
    assert (role.kind, role.speaker) == ("statement", "Antony Blinken")


def test_a_partial_quote_inside_a_paraphrase_counts_as_a_quote():
    text = clean((SEEDS_DIR / "003_7fc9efdcb6e9b017.txt").read_text()).text
    claims = extract_claims(text)
    sinophobia = claim_containing(claims, "Sinophobia")
    assert (sinophobia.kind, sinophobia.speaker) == ("quote", "Wang Yi")
    astray = claim_containing(claims, "led “astray”")
    assert (astray.kind, astray.quote, astray.speaker) == ("quote", "astray", "Wang Yi")


def test_reported_speech_without_quotation_marks_is_a_statement():
    text = (
        "In five hours of talks, Antony Blinken said he expressed deep concern about Beijing’s "
        "stance on Russia’s actions in Ukraine."
    )
    (claim,) = extract_claims(text)
    assert (claim.kind, claim.speaker, claim.quote) == ("statement", "Antony Blinken", None)
    assert claim.numbers == ({"value": 5.0, "unit": "hours", "text": "five hours"},)


def test_facts_are_figures_and_captions_are_skipped():
    text = "Stefani Reynolds\n\nThe two men met a day after they attended a gathering of the G20."
    (claim,) = extract_claims(text)
    assert claim.kind == "figure"
    assert claim.text.startswith("The two men met")


def test_two_separately_attributed_quotes_make_two_claims():
    text = (
        '"It was very important that he heard condemnation of Russia\'s aggression," Blinken said, '
        'adding: "We see no signs whatsoever that Russia is prepared to engage in diplomacy."'
    )
    first, second = extract_claims(text)
    assert first.text.endswith("Blinken said, adding:")
    assert second.text.startswith('"We see no signs')
    assert text[second.start : second.end] == second.text
    assert first.speaker == second.speaker == "Blinken"


def test_numbers_with_units_and_qualifiers():
    numbers = extract_numbers(
        "during more than five hours of talks on June 13, Musk abandoned a $44 billion deal, "
        "nearly 6 hours at the G-20 summit of the Group of 20"
    )
    assert numbers == [
        {"value": 13.0, "unit": "june", "text": "June 13"},
        {"value": 5.0, "unit": "hours", "text": "more than five hours", "qualifier": "more than"},
        {"value": 44e9, "unit": "$", "text": "$44 billion"},
        {"value": 6.0, "unit": "hours", "text": "nearly 6 hours", "qualifier": "nearly"},
    ]


def test_every_claim_span_is_exact_in_the_seeds():
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = clean(path.read_text()).text
        claims = extract_claims(text)
        assert len(claims) > 10, path.name
        assert all(text[c.start : c.end] == c.text for c in claims), path.name


def test_a_surname_means_the_person_of_that_name_introduced_last():
    text = (
        "Blinken met China’s top diplomat, Wang Yi, for nearly six hours on Friday.\n\n"
        "Welcoming Blinken to the State Guesthouse, Wang offered a cautious assessment.\n\n"
        "“Overall the China-U.S. relationship is beginning to stabilize,” he told Blinken.\n\n"
        "“There’s a U.S. election backdrop” to all this, said Wang Huiyao, a Beijing analyst.\n\n"
        "“They want China to confront Russia, yeah, China can,” Wang said on Friday afternoon."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "beginning to stabilize").speaker == "Wang Yi"
    assert claim_containing(claims, "election backdrop").speaker == "Wang Huiyao"
    assert claim_containing(claims, "confront Russia").speaker == "Wang Huiyao"


def test_a_surname_means_the_namesake_named_in_its_paragraph_else_the_one_named_most():
    text = (
        "Hillary Clinton spoke in Des Moines on Monday.\n\n"
        "Hillary Clinton promised to raise the minimum wage within her first year.\n\n"
        "Her husband, Bill Clinton, campaigned in New Hampshire for her on Sunday.\n\n"
        "“We are going to win this state and then the whole country,” Clinton said.\n\n"
        "Bill Clinton spoke later. “She is the best prepared of them all,” Clinton said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "win this state").speaker == "Hillary Clinton"
    assert claim_containing(claims, "best prepared").speaker == "Bill Clinton"


def test_a_lone_word_is_a_surname_before_it_is_the_first_word_of_a_place():
    text = (
        "Donald Trump flew home on Monday night after the rally.\n\n"
        "Reporters waited for hours in the lobby of Trump Tower in Manhattan.\n\n"
        "“We are going to win and we are going to win big,” Trump said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "win big").speaker == "Donald Trump"


def test_a_name_with_an_appositive_before_the_verb_is_the_speaker():
    text = (
        "Wang Yi, China’s foreign minister, said the talks were “useful and candid” and helped "
        "both sides understand each other.\n\n"
        "Sergei Lavrov, Russia’s foreign minister, told reporters that “the West wants war” with "
        "Moscow.\n\n"
        "“We will not be isolated by anyone at this meeting,” he said."
    )
    claims = extract_claims(text)
    candid = claim_containing(claims, "useful and candid")
    assert (candid.kind, candid.speaker_raw, candid.speaker) == ("quote", "Wang Yi", "Wang Yi")
    war = claim_containing(claims, "the West wants war")
    assert (war.kind, war.speaker) == ("quote", "Sergei Lavrov")
    assert claim_containing(claims, "not be isolated").speaker == "Sergei Lavrov"


def test_the_object_of_said_is_not_the_speaker():
    text = clean((SEEDS_DIR / "000_7dde30d644e8acaf.txt").read_text()).text
    claims = extract_claims(text)
    concerns = claim_containing(claims, "Chinese diplomats have repeatedly said")
    assert concerns.speaker_raw is None
    assert concerns.speaker is None
    inline = extract_claims(
        "Officials in Beijing said Moscow’s troops had withdrawn from the area."
    )
    assert inline[0].speaker_raw is None


def test_said_then_a_name_after_a_comma_or_a_closing_quote():
    text = (
        "The talks were long and at times difficult, said Wang Yi, China’s foreign minister.\n\n"
        "Music is “the best connector, regardless of geography,” said Blinken on Friday."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "long and at times").speaker == "Wang Yi"
    assert claim_containing(claims, "best connector").speaker == "Blinken"


def test_speaker_of_mixed_quotation_marks_and_accented_names():
    text = '"We will not pay for such a wall,” Calderón said in an interview with CNBC.'
    assert extract_claims(text)[0].speaker == "Calderón"


def test_speaker_after_inverted_verb_is_the_name_ending_the_descriptor():
    text = "“This is simple, what he says is dangerous,” said Clinton campaign manager Robby Mook."
    assert extract_claims(text)[0].speaker == "Robby Mook"
    text = (
        "“This has gone from being a matter of curiosity to a national security issue,” said "
        "Clinton’s top foreign policy aide Jake Sullivan."
    )
    assert extract_claims(text)[0].speaker == "Jake Sullivan"


def test_colon_frame_names_the_speaker_of_the_quotation():
    text = "Surveying the desolation, Williamson concludes: “Nobody did this to them at all.”"
    assert extract_claims(text)[0].speaker == "Williamson"


def test_party_state_tag_does_not_hide_the_speaker():
    text = "“It is a disgusting day for all of us,” Rep. Gwen Moore (D-Wis.) said Friday."
    assert extract_claims(text)[0].speaker == "Gwen Moore"


def test_a_figure_needs_a_number_amount_date_or_count():
    text = (
        "The meeting in the resort lasted well into the evening without agreement.\n\n"
        "The talks on July 9 ran for more than five hours at the resort."
    )
    kinds = [claim.kind for claim in extract_claims(text)]
    assert kinds == ["statement", "figure"]


def test_a_long_description_with_a_quoted_phrase_between_name_and_verb():
    text = (
        "“We’ve had more successful conventions than this one,” Texas delegate Bill Eastland, "
        "wearing a cowboy hat and “Ted Cruz” campaign pins, said as confetti fluttered down."
    )
    assert extract_claims(text)[0].speaker == "Bill Eastland"
    text = (
        "Maria Lopez, 41, a nurse who has worked at the hospital for twenty years, said the "
        "ward had lost a third of its staff since the spring."
    )
    assert extract_claims(text)[0].speaker == "Maria Lopez"


def test_an_unattributed_quotation_is_its_paragraphs_speaker_or_the_previous_ones():
    text = (
        "“How big is that wall going to be, governor?” Mike Pence said in response. "
        "“As big as it needs to be for all of us.”\n\n"
        "Senator Jane Doe told reporters the plan was dead before the vote.\n\n"
        "Reince Priebus rejected that idea.\n\n"
        "“We know she can’t be trusted with national secrets at all.”\n\n"
        "The crowd then sang for ten more minutes before the speech.\n\n"
        "Nobody had expected the rain.\n\n"
        "“This is not what anyone here came to hear tonight.”\n\n"
        "John Bolton distanced himself from the movement by offering his help. "
        "“I’m going to support him, and support him enthusiastically.”\n\n"
        "Gwen Moore thanked him for “stepping up and taking action when Congress won’t.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "How big is that wall").speaker == "Mike Pence"
    assert claim_containing(claims, "As big as it needs").speaker == "Mike Pence"
    assert claim_containing(claims, "We know she").speaker == "Reince Priebus"
    assert claim_containing(claims, "This is not what anyone").speaker is None
    assert claim_containing(claims, "support him enthusiastically").speaker == "John Bolton"
    assert claim_containing(claims, "stepping up").speaker == "Gwen Moore"


def test_reporting_verbs_frames_and_initials_name_the_speaker():
    text = (
        "“Jeb wants to be a tough guy tonight,” Donald Trump shot back at the debate.\n\n"
        "“Imagine him going up against both of them on the same stage,” mused co-host "
        "Stu Burguiere.\n\n"
        "Hillary Clinton, who called Sanders shortly after the winner was declared, told her "
        "supporters, “I still love New Hampshire, and I always will.”\n\n"
        "“We have to be thoughtful about having a few voices at one time,” said Sen. Robert P. "
        "Casey Jr. (D-Pa.), a Clinton backer."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "tough guy").speaker == "Donald Trump"
    assert claim_containing(claims, "Imagine him").speaker == "Stu Burguiere"
    assert claim_containing(claims, "I still love").speaker == "Hillary Clinton"
    assert claim_containing(claims, "thoughtful").speaker == "Robert Casey"


def test_places_are_not_speakers_unless_the_article_names_such_a_person():
    text = (
        "Tuesday in Berea, after winning Ohio in the primary, Gov. John Kasich (R-OH), said, "
        "“I’m getting ready to rent a covered wagon for the ride.”\n\n"
        "“I kind of got into a panic about the whole thing,” Ki Hong, 33, said of it.\n\n"
        "Georgia Smith, a voter, said the line was long but moved along.\n\n"
        "“Georgia has never voted like this before in its history,” Georgia Smith said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "covered wagon").speaker == "John Kasich"
    assert claim_containing(claims, "got into a panic").speaker == "Ki Hong"
    assert claim_containing(claims, "never voted").speaker == "Georgia Smith"


def test_organisations_speak_for_themselves():
    text = (
        "“The emails released Monday were largely sent or received in 2012,” CBS News reported.\n\n"
        "“We are very disappointed he has decided at the last minute to drop out,” the ACU said "
        "in a statement.\n\n"
        "“Nothing truly prepares you for the demands of the Oval Office,” the two-term president "
        "will say, according to excerpts released by the White House."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "emails released").speaker == "CBS News"
    assert claim_containing(claims, "very disappointed").speaker == "ACU"
    assert claim_containing(claims, "Oval Office").speaker == "White House"


def test_affiliations_objects_and_capitalized_common_words_are_not_speakers():
    text = (
        "Critics of the plan were loud, and critics will stay loud.\n\n"
        "“Building such a weapon would seem to be a bit of a stretch,” Jeffrey Lewis of the "
        "James Martin Center for Nonproliferation Studies wrote in December.\n\n"
        "“This will be a challenge for the whole party” for Hillary Clinton, said "
        "Madeleine Kunin.\n\n"
        "Critics said, “This is the worst plan we have seen in a decade.”\n\n"
        "Former Secretary of State Madeleine Albright recently urged women to vote, saying, "
        "“There’s a special place in hell for women who don’t help each other.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "bit of a stretch").speaker == "Jeffrey Lewis"
    assert claim_containing(claims, "challenge for the whole").speaker == "Madeleine Kunin"
    assert claim_containing(claims, "worst plan").speaker is None
    assert claim_containing(claims, "special place").speaker == "Madeleine Albright"


def test_the_source_of_a_named_statement_and_a_participle_before_a_colon_speak():
    text = (
        "Mayor Ann Price said the city would appeal the ruling.\n\n"
        "“The evidence cannot prove all legally required elements of the crime alleged,” "
        "according to a court document filed by state attorney Dave Aronberg.\n\n"
        "Consider this new headline from the Daily Ledger, which sums it up: “Surge in "
        "robberies alters residents’ routines and lifestyles.”\n\n"
        "Protesters were pushed out of the hall, with Ann Price reportedly shouting: “Get "
        "them out of here right now, please!”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "legally required").speaker == "Dave Aronberg"
    assert claim_containing(claims, "Surge in robberies").speaker == "Daily Ledger"
    assert claim_containing(claims, "Get them out").speaker == "Ann Price"


def test_who_issues_a_statement_speaks_in_the_quotation_given_of_it():
    text = (
        "At the chair’s direction, the DNC issued a statement apologizing to Bernie Sanders for "
        "the emails.\n\n"
        "“We want to offer a deep and sincere apology to Senator Sanders and his supporters.”\n\n"
        "The dean of the Graduate School of Journalism published a letter disputing the claims."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "sincere apology").speaker == "DNC"
    assert claim_containing(claims, "dean of the").speaker is None


def test_an_organisation_keeps_the_words_a_persons_title_would_lose():
    text = (
        "The Democratic National Committee said the emails did not reflect its values.\n\n"
        "“We will review every request we get,” the State Department said on Monday."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "its values").speaker == "Democratic National Committee"
    assert claim_containing(claims, "every request").speaker == "State Department"


def test_he_or_she_stands_for_a_person_not_an_organisation():
    text = (
        "Senator Ann Price voted against the bill on Monday.\n\n"
        "“The vote was close, closer than anyone expected,” CBS News reported.\n\n"
        "“I will keep fighting this bill until the very end,” she said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "keep fighting").speaker == "Ann Price"


def test_a_name_qualifying_a_role_is_not_the_person_holding_it():
    text = (
        "Former Obama speechwriter Jon Favreau published a column in a magazine, entitled, "
        "“Why electing her this year matters more than electing him did eight years ago.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "Favreau").speaker == "Jon Favreau"


def test_descriptive_compounds_and_prepositions_are_no_part_of_a_name():
    text = (
        "“Support was soft to begin with, and it has eroded,” said Texas-based strategist "
        "Matt Mackowiak.\n\n"
        "“The race is far from over for anyone on this stage,” Co-anchor Norah Dunn said.\n\n"
        "Across town, “shouting from the rooftops” for the campaign, is a volunteer canvasser."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "soft to begin").speaker == "Matt Mackowiak"
    assert claim_containing(claims, "far from over").speaker == "Norah Dunn"
    assert claim_containing(claims, "rooftops").speaker is None


def test_an_attribution_after_an_exclamation_with_a_capitalized_verb():
    text = (
        "A small plane wrote messages above the Rose Bowl on Friday.\n\n"
        "“Not us but can’t argue with it!” Murphy, the head of Right to Rise USA, Tweeted on "
        "Friday with an image of the skywriting."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "argue with it").speaker == "Murphy"


def test_inverted_and_tail_attributions_with_any_verb_and_split_party_tags():
    text = (
        "“It's unusual,“ said Larry Noble, an attorney with the Campaign Legal Center.\n\n"
        "“Thanks, Clarkston, for welcoming these refugees,” said master of ceremonies "
        "Asab Al-Tabchi, a Syrian engineer.\n\n"
        "“For a start, his wife has explained why she chose not to speak,” John Oliver barked.\n\n"
        "Sen. Ron Johnson, R-Wis., said in an op-ed piece, “The State Department failed us.”\n\n"
        "“Tell her I promised you a picture,” Ebeling said, and her husband cut in."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "unusual").speaker == "Larry Noble"
    assert claim_containing(claims, "welcoming these").speaker == "Asab Al-Tabchi"
    assert claim_containing(claims, "his wife").speaker == "John Oliver"
    assert claim_containing(claims, "failed us").speaker == "Ron Johnson"
    assert claim_containing(claims, "a picture").speaker == "Ebeling"


def test_an_attribution_inside_one_quotation_does_not_split_it():
    text = (
        "Ana Moreno runs the bakery on Main Street.\n\n"
        "“Nobody in this town wanted it to close,” Moreno said, “but nobody asked us.”"
    )
    quote = claim_containing(extract_claims(text), "Nobody in this town")
    assert quote.text.endswith("nobody asked us.”")
    assert (quote.kind, quote.speaker) == ("quote", "Ana Moreno")


def test_a_subject_in_a_side_clause_is_not_the_speaker():
    text = (
        "Mayor Luis Ruiz and Dana Pike of the city council met on Monday.\n\n"
        "When Ruiz criticised the budget, Pike shot back: “We balanced it twice in a row.”\n\n"
        "“The deficit is a story the mayor tells,” said Pike, though he added that talks go on."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "balanced it twice").speaker == "Dana Pike"
    assert claim_containing(claims, "a story the mayor tells").speaker == "Dana Pike"


def test_a_quotation_is_the_speaker_s_who_signs_it_on_the_line_below():
    text = (
        "Two candidates answered our questions on water.\n\n"
        '"Every farm in the valley will pay less for water by next spring."\n\n'
        "- Tom Reyes.\n\n"
        '"We have to stop pumping more than the rain puts back into the ground.\n\n'
        'Lena Ortiz, Institute for Water Policy."'
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "Every farm in the valley").speaker == "Tom Reyes"
    assert claim_containing(claims, "stop pumping").speaker == "Lena Ortiz"


def test_a_quotation_paragraph_quotes_the_one_person_the_paragraph_before_names():
    text = (
        "Governor Alma Reyes took questions on the drought for an hour.\n\n"
        "What “tough choices” means is anyone's guess, since Reyes spoke only in generalities.\n\n"
        "“We will get through this summer the way we got through the last one.”"
    )
    quote = claim_containing(extract_claims(text), "get through this summer")
    assert quote.speaker == "Alma Reyes"


def test_an_adverb_or_common_noun_opening_the_sentence_is_not_the_speaker():
    text = (
        "Dana Ortiz grows almonds near Fresno.\n\n"
        "Earlier this week, Ortiz shared her worry with growers, “We lost the whole harvest.”\n\n"
        "Estimates of the damage came from the county: “Half the orchards will not recover.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "We lost the whole harvest").speaker == "Dana Ortiz"
    assert claim_containing(claims, "Half the orchards").speaker != "Estimates"


def test_the_subject_past_a_name_that_only_qualifies_a_title_owns_an_embedded_quotation():
    text = (
        "The state pension plan drew fire on Tuesday.\n\n"
        "Former Ohio Gov. Mary Stone, for her part, is calling the plan “a reckless raid on "
        "the savings of teachers.”\n\n"
        "Stone campaign manager Jeff Rowe released a memo on Monday.\n\n"
        "He writes that the governor has “lost the trust of every teacher in the state.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "a reckless raid").speaker == "Mary Stone"
    assert claim_containing(claims, "lost the trust").speaker == "Jeff Rowe"


def test_a_name_right_after_a_quotation_speaks_past_a_long_description():
    text = (
        "“The river has never been this low in August,” Ruth Adler, the county hydrologist who "
        "has measured it every summer since the drought of 1988 tweeted on Friday."
    )
    assert extract_claims(text)[0].speaker == "Ruth Adler"


def test_a_name_before_a_comma_and_said_is_an_object_when_a_name_follows_the_verb():
    text = (
        "Mayor Luis Ruiz wants a third term.\n\n"
        '"He can say so, but it seems very unlikely" that anyone can beat Ruiz, said Ana Soto, '
        "a former city clerk."
    )
    assert extract_claims(text)[1].speaker == "Ana Soto"


def test_frames_skip_adverbs_and_objects_and_read_according_to_at_a_sentence_start():
    text = (
        "Maria Lopez spoke twice on Tuesday.\n\n"
        "In a KTLA interview later that day, Lopez went further: “The dam will not hold.”\n\n"
        "She added that the county had been warned. Specifically, “the engineers told us in "
        "March and nobody listened.”\n\n"
        "According to the Daily Ledger, “the county ignored three reports about the dam.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "The dam will not hold").speaker == "Maria Lopez"
    assert claim_containing(claims, "nobody listened").speaker == "Maria Lopez"
    assert claim_containing(claims, "three reports").speaker == "Daily Ledger"


def test_more_reporting_verbs_and_a_title_s_stop_inside_the_description():
    text = (
        "“Voters should leave their signs at home,” opined the Daily Ledger.\n\n"
        "“I am a voter and I will be heard,” declares Stephanie Ruiz, a nurse.\n\n"
        "“Nobody will remember this debate in a week,” Ruiz went on.\n\n"
        "“The party has to win back the rust belt,” said former Ohio Gov. and party chairman "
        "Ed Carter."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "leave their signs").speaker == "Daily Ledger"
    assert claim_containing(claims, "I am a voter").speaker == "Stephanie Ruiz"
    assert claim_containing(claims, "Nobody will remember").speaker == "Stephanie Ruiz"
    assert claim_containing(claims, "rust belt").speaker == "Ed Carter"


def test_a_straight_closing_mark_glued_to_the_next_name_still_closes_the_quotation():
    text = (
        "Mayor Luis Ruiz skipped the debate.\n\n"
        '"This shows voters cannot trust him on the budget,"Ana Soto, who is chair of the '
        "Taxpayers League said in a statement."
    )
    assert claim_containing(extract_claims(text), "cannot trust him").speaker == "Ana Soto"


def test_a_speaker_given_as_known_as_a_name_after_the_verb():
    text = (
        '"Nobody ever told us to stand down," said the station chief known as Mark, in his '
        "first interview."
    )
    assert extract_claims(text)[0].speaker == "Mark"


def test_a_quotation_after_a_colon_frame_naming_nobody_continues_the_paragraph_before():
    text = (
        "Mayor Luis Ruiz denied the report on Monday.\n\n"
        "Later that week on KTLA: “I never promised a new stadium to anyone in this city.”"
    )
    assert claim_containing(extract_claims(text), "new stadium").speaker == "Luis Ruiz"


def test_a_name_joined_to_an_affiliation_is_not_the_speaker():
    text = (
        "“The new reactor could be running within two years,” analysts Ruth Kemp and Omar Dahl "
        "of the Institute for Energy and Nuclear Safety wrote in March."
    )
    (quote,) = extract_claims(text)
    assert (quote.kind, quote.speaker) == ("quote", "Omar Dahl")


def test_a_capitalized_preposition_opens_no_name():
    text = (
        "Voters in the district know both candidates well.\n\n"
        "Of Whitman, Garza, who has given money to Carla Ortiz, said, “She is out of touch "
        "with the people of this valley.”"
    )
    quote = claim_containing(extract_claims(text), "out of touch")
    assert (quote.kind, quote.speaker) == ("quote", "Garza")


def test_a_persons_statement_named_as_theirs_attributes_the_quotation():
    text = (
        "Senator Dana Whitfield spoke first at the rally in Dayton.\n\n"
        "From Governor Ray Ellison’s Facebook post: “We must move past the anger and rebuild "
        "the trust of every voter in this state.”\n\n"
        "“Nobody here will forget what happened on that bridge,” in Ellison’s view, and he "
        "wants a full inquiry."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "rebuild the trust").speaker == "Ray Ellison"
    assert claim_containing(claims, "that bridge").speaker == "Ray Ellison"


def test_the_quotation_after_a_passive_question_is_the_askers():
    text = (
        "Mayor Lena Brandt joined the morning show on Tuesday.\n\n"
        "Brandt was asked by host Tom Heller, who has backed her rival, “Do you still think the "
        "budget can pass before the summer recess?”"
    )
    quote = claim_containing(extract_claims(text), "budget can pass")
    assert (quote.kind, quote.speaker) == ("quote", "Tom Heller")


def test_a_colon_frame_names_its_main_clause_not_a_side_clause():
    text = (
        "When Harlan Moss died in 2004, Governor Edith Crane released the following statement:\n\n"
        "“Our state has lost a stubborn, generous public servant, and I have lost a friend.”\n\n"
        "As Maria Lopez reported on Monday, the City Council was split:\n\n"
        "“Half of the members want the vote delayed until the audit is finished.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "lost a friend").speaker == "Edith Crane"
    assert claim_containing(claims, "audit is finished").speaker == "Maria Lopez"


def test_a_titled_surname_is_who_he_stands_for():
    text = (
        "Witnesses said the square emptied within minutes.\n\n"
        "In Ottawa, Prime Minister Lavoie released a statement condemning “what appears to be "
        "a cowardly and deliberate attack on people celebrating.” He said he had called the "
        "city's mayor."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "cowardly").speaker == "Lavoie"
    assert claim_containing(claims, "He said he had called").speaker == "Lavoie"


def test_speech_verbs_in_the_present_tense_attribute():
    text = (
        "Containment shaped the party for decades, a policy which historian Nora Feld calls "
        "“the one idea both parties never dared to abandon.”"
    )
    (quote,) = extract_claims(text)
    assert (quote.kind, quote.speaker) == ("quote", "Nora Feld")


def test_he_in_a_later_clause_is_the_sentences_subject():
    text = (
        "Senator Paul Brandt backed the bill on Monday.\n\n"
        "Ivo Marsh mocks in a long essay what he calls the “naive dream” of a tax cut "
        "that pays for itself.\n\n"
        "When Marsh attacked Senator Brandt, he said “the numbers will prove me right by the "
        "end of the year.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "naive dream").speaker == "Ivo Marsh"
    assert claim_containing(claims, "prove me right").speaker != "Ivo Marsh"


def test_a_title_before_an_affiliation_is_not_the_speaker():
    text = (
        "Dora Pike, president and CEO of Northern Grocers Association stated, “It is not a "
        "political problem; it is a problem of arithmetic.”"
    )
    (quote,) = extract_claims(text)
    assert (quote.kind, quote.speaker) == ("quote", "Dora Pike")


def test_an_article_and_adjective_before_the_name_after_a_quotation():
    text = (
        "Prime Minister Odile Ferrand met President Tom Vance after the summit.\n\n"
        "Vance said the talks had gone badly for both sides.\n\n"
        "“Our country will always stand by its word,” a visibly angry Ferrand retaliated."
    )
    quote = claim_containing(extract_claims(text), "stand by its word")
    assert (quote.kind, quote.speaker) == ("quote", "Odile Ferrand")


def test_a_role_holder_is_named_without_a_possessive():
    text = "The papers show that former President Bill Clinton’s foundation took the money."
    assert role_names(text) == {"president": "Bill Clinton"}


def test_a_possessive_subject_is_the_person_he_refers_to():
    text = (
        "Mayor Carl Denning spoke in Leeds on Monday.\n\n"
        "Governor Hal Brook’s support has grown since the spring, and he said “the numbers "
        "will keep growing until the vote in November.”"
    )
    quote = claim_containing(extract_claims(text), "keep growing")
    assert quote.speaker == "Hal Brook"


def test_name_particles_and_a_joined_article_belong_to_the_name():
    text = (
        "“The court has made a grave mistake and we will appeal at once,” said Ursula von der "
        "Leyen.\n\n"
        "“The talks will continue next week in Geneva with all parties,” Mohammed bin Salman "
        "said.\n\n"
        "“It is time for the international community to act now,” said Ahmed al-Sharaa.\n\n"
        "“We are close to a deal but we are not there yet,” von der Leyen said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "grave mistake").speaker == "Ursula von der Leyen"
    assert claim_containing(claims, "talks will continue").speaker == "Mohammed bin Salman"
    assert claim_containing(claims, "act now").speaker == "Ahmed al-Sharaa"
    close = claim_containing(claims, "close to a deal")
    assert (close.speaker_raw, close.speaker) == ("von der Leyen", "Ursula von der Leyen")


def test_a_quotation_left_open_at_its_paragraphs_end_goes_on_in_the_next_one():
    text = (
        "Critics of the plan spoke at the council meeting on Monday evening.\n\n"
        "“We will rebuild the bridge before the end of next year, and nobody will stop us,\n\n"
        "“and we will not stop until every family is back in its home,” said Mayor Anne "
        "Hidalgo.\n\n"
        "“It spread very quickly through the old building,” said fire chief Tom Daly. “We had "
        "crews inside within minutes.\n\n"
        "“Two people could not be saved despite all the efforts of our firefighters.”"
    )
    claims = extract_claims(text)
    opened = claim_containing(claims, "rebuild the bridge")
    assert (opened.kind, opened.speaker) == ("quote", "Anne Hidalgo")
    assert opened.quote.startswith("We will rebuild the bridge")
    crews = claim_containing(claims, "crews inside")
    assert (crews.kind, crews.speaker, crews.quote) == (
        "quote",
        "Tom Daly",
        "We had crews inside within minutes",
    )
    assert claim_containing(claims, "could not be saved").speaker == "Tom Daly"


def test_a_title_names_the_role_a_later_reference_takes_up():
    text = (
        "Indiana Gov. Mike Pence met Mayor Joe Hogsett and Pope Francis on Monday.\n\n"
        "“We will not let this law stand in the way of our growth,” the Indiana governor said.\n\n"
        "“Nobody in this city wants to see the convention leave,” the mayor told reporters.\n\n"
        "“War is always a defeat for humanity and for every one of us,” the pope said."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "this law").speaker == "Mike Pence"
    assert claim_containing(claims, "convention leave").speaker == "Joe Hogsett"
    assert claim_containing(claims, "a defeat").speaker == "Francis"
    assert role_names(text)["governor"] == "Mike Pence"


def test_a_party_or_a_people_named_in_the_plural_speaks_as_a_group():
    text = (
        "Senate Republicans said the bill would not get a vote before the summer recess.\n\n"
        "“The bill is dead on arrival and everyone in this town knows it,” House Democrats "
        "said.\n\n"
        "“We will defend our territory with every means we have,” the Israelis say.\n\n"
        "“The kingdom is one of the leading nations in fighting terrorism,” the Saudis state in "
        "the white paper.\n\n"
        "Saudi state media reported that the king had met the envoy on Sunday."
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "kingdom is one").speaker == "Saudis"
    assert claim_containing(claims, "state media").speaker is None
    assert claim_containing(claims, "summer recess").speaker == "Senate Republicans"
    assert claim_containing(claims, "dead on arrival").speaker == "House Democrats"
    assert claim_containing(claims, "our territory").speaker == "Israelis"


def test_an_organisation_speaks_through_a_spokesperson_and_by_a_name_holding_of_and_and():
    text = (
        "“The company will cooperate fully with the investigation,” a spokesperson for Boeing "
        "said.\n\n"
        "“We are reviewing the report and will respond in due course,” a Boeing spokesman said.\n\n"
        "“We do not comment on ongoing litigation of any kind,” said a spokeswoman for the Ford "
        "Motor Company.\n\n"
        "“The senator has no comment at this time,” Warren’s spokeswoman, Alexis Krieg, said.\n\n"
        "“The findings raise serious questions about the drug,” the Food and Drug "
        "Administration said.\n\n"
        "The Department of Justice said it would appeal the ruling next week.\n\n"
        "“Inflation will fall back to target next year,” said the Bank of England.\n\n"
        "Jeffrey Lewis of the James Martin Center for Nonproliferation Studies wrote that the "
        "test failed."
    )
    expected = {
        "cooperate fully": "Boeing",
        "reviewing the report": "Boeing",
        "ongoing litigation": "Ford Motor Company",
        "no comment": "Alexis Krieg",
        "the drug": "Food and Drug Administration",
        "appeal the ruling": "Department of Justice",
        "Inflation": "Bank of England",
        "test failed": "Jeffrey Lewis",
    }
    claims = extract_claims(text)
    assert {words: claim_containing(claims, words).speaker for words in expected} == expected


def test_a_dash_after_a_quotation_or_a_digest_frame_before_it_names_its_source():
    text = (
        "Polls moved late in the race.\n\n"
        "“We are not going anywhere and we will keep fighting for our rights.” — Maria "
        "Gonzalez, union organizer\n\n"
        "What that means for this year - More from Jones: “The partisanship of the state "
        "population is a starting point in determining a state’s likely vote.”\n\n"
        "This from the Washington Post: “The mayor was seen leaving the building late on Friday.”"
    )
    claims = extract_claims(text)
    assert claim_containing(claims, "fighting").speaker == "Maria Gonzalez"
    assert claim_containing(claims, "partisanship").speaker == "Jones"
    assert claim_containing(claims, "leaving the building").speaker == "Washington Post"
