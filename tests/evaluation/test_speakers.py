from app.evaluation.corpora import Attribution, CorpusArticle
from app.evaluation.speakers import named_quotes, same_speaker, source_name


def _attribution(source: str, content: str, direct: bool = True) -> Attribution:
    return Attribution((0, len(source), source), None, ((0, len(content), content),), direct)


def test_source_name_keeps_the_name_that_ends_the_head():
    assert source_name(_attribution("House Speaker Paul D. Ryan (R-Wis.)", "x")) == "Paul D. Ryan"
    assert source_name(_attribution("Flynn, a top Trump surrogate,", "x")) == "Flynn"
    assert source_name(_attribution("the New York businessman", "x")) is None
    assert source_name(_attribution("he", "x")) is None


def test_source_name_is_the_name_before_of_unless_only_a_title_stands_there():
    assert source_name(
        _attribution("Rep. Tom Cole of Oklahoma, an ally of GOP leadership,", "x")
    ) == ("Tom Cole")
    assert source_name(_attribution("Joel Pollak of Breitbart California", "x")) == "Joel Pollak"
    assert source_name(_attribution("Former Secretary of State Madeleine Albright", "x")).endswith(
        "Madeleine Albright"
    )


def test_a_description_is_no_named_source():
    assert source_name(_attribution("a longtime adviser to Trump", "x")) is None
    assert source_name(_attribution("a spokeswoman for committee Republicans", "x")) is None
    assert source_name(_attribution("one senior Democrat", "x")) is None
    assert source_name(_attribution("an Ohio Republican", "x")) is None
    assert source_name(_attribution("an angry Hollande", "x")) == "Hollande"


def test_a_heading_in_capitals_is_no_named_source():
    assert source_name(_attribution("SENATE PASSES THE BUDGET AT LAST", "x")) is None
    assert source_name(_attribution("CNN", "x")) == "CNN"


def test_source_name_drops_a_possessive_and_a_royal_title_but_not_a_surname():
    assert source_name(_attribution("Barrett’s", "x")) == "Barrett"
    assert source_name(_attribution("Prince Alwaleed", "x")) == "Alwaleed"
    assert source_name(_attribution("King", "x")) == "King"


def test_same_speaker_when_one_name_holds_the_other():
    assert same_speaker("Donald Trump", "Trump")
    assert same_speaker("Gwen Moore", "Rep. Gwen Moore")
    assert not same_speaker("Bill Clinton", "Hillary Clinton")


def test_named_quotes_are_direct_long_and_counted_once():
    quote = "“We will win this state and then the next one,”"
    article = CorpusArticle(
        "a",
        "text",
        attributions=(
            _attribution("Trump", quote),
            _attribution("Trump", quote),
            _attribution("Trump", "“Too short,”"),
            _attribution("Trump", "that we will win the state easily and soon", direct=False),
        ),
    )
    assert [q.quote for q in named_quotes(article)] == [quote]
