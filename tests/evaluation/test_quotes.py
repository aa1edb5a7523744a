from app.evaluation.corpora import CorpusArticle
from app.evaluation.quotes import must_not_link_pairs, quotations, shared_quote_pairs


def test_quotations_of_six_words_or_more():
    text = "He said “this is a long enough quotation here” and “too short” then."
    assert quotations(text) == ["this is a long enough quotation here"]


def test_shared_quote_pairs_only_within_one_gold_event():
    quote = "“We appreciate your respect for her privacy at this time,” he said."
    articles = [
        CorpusArticle("a", quote, event_id="e1"),
        CorpusArticle("b", quote.replace("this time", "this time."), event_id="e1"),
        CorpusArticle("c", quote, event_id="e2"),
    ]
    pairs = shared_quote_pairs(articles)
    assert [(p.first[0], p.second[0]) for p in pairs] == [("a", "b")]


def test_must_not_link_gold_names_two_sides_per_pair():
    pairs = must_not_link_pairs()
    assert len(pairs) == 32
    assert all(p.first[1] and p.second[1] and p.first != p.second for p in pairs)
