"""The ingest benchmark's corpus and report (figures are printed, never asserted)."""

import argparse
import random
import re
from collections import Counter
from datetime import timedelta

from app.bench import ingest as bench
from app.db import PROJECT_ROOT
from app.ingest.clean import clean
from app.ingest.copies import content_hash
from app.ingest.parse import parse_path


def test_corpus_is_varied_seed_like_text_with_a_few_reprints_and_duplicates(tmp_path):
    corpus = bench.write_corpus(tmp_path / "corpus", 120, random.Random(1))
    items = parse_path(corpus.folder)
    assert corpus.files == len(items) == 120
    texts = [clean(item.text).text for item in items]
    distinct = {content_hash(text) for text in texts}
    # about 1% duplicates by design (the same file twice) hash alike; every other article differs
    assert len(distinct) == len({item.text for item in items}) >= 110
    assert not any("Blinken" in text for text in texts)  # every article recast with other names
    outlets = {item.given.outlet for item in items if item.given.outlet}
    assert len(outlets) > 5
    first = texts[0].split("\n\n")
    assert re.match(r"^[A-ZÀ-Ý .'-]+, [A-Z][a-z]+ — ", first[1])  # dateline paragraph


def test_bench_prints_throughput_and_memory(capsys, databases, new_database):
    args = argparse.Namespace(
        articles=25,
        seed=3,
        story_share=0.0,
        largest_story=0,
        no_claims=True,
        no_text_worker=False,
        corpus=None,
        progress_every=10,
        database_url=new_database(),
    )
    assert bench.main(None, args) == 0
    out = capsys.readouterr().out
    assert re.search(r"^20 articles: [\d.]+ articles/s overall; last 10: ", out, re.MULTILINE)
    assert "30 articles:" not in out
    assert f"store: {databases.dialect}" in out
    assert "corpus: 25 articles in 25 files" in out
    assert re.search(
        r"ingest only \(--no-claims\): 25 articles in [\d.]+ s = [\d.]+ articles/s", out
    )
    assert re.search(r"text worker process: cpu time [\d.]+ s", out)
    assert re.search(r"peak memory: \d+ MB", out)


def test_bench_ingests_a_labelled_corpus_folder(tmp_path, capsys, new_database):
    lines = (PROJECT_ROOT / "tests" / "data" / "ecbplus" / "articles.jsonl").read_text(
        encoding="utf-8"
    )
    (tmp_path / "articles.jsonl").write_text("\n".join(lines.splitlines()[:4]), encoding="utf-8")
    args = argparse.Namespace(
        articles=0,
        seed=0,
        no_claims=False,
        no_text_worker=True,
        corpus=tmp_path,
        progress_every=0,
        database_url=new_database(),
    )
    assert bench.main(None, args) == 0
    out = capsys.readouterr().out
    assert "corpus: 4 articles in 1 files" in out
    assert re.search(r"with events and align hooks: 4 articles in [\d.]+ s", out)
    assert "text worker" not in out


def test_story_plan_halves_story_sizes_within_the_share_and_keeps_the_rest_apart():
    plan = bench.story_plan(1000, 0.5, 160, random.Random(2))
    assert len(plan) == 1000
    sizes = sorted(Counter(id(story) for story in plan if story is not None).values())
    assert sizes == [2, 5, 10, 20, 40, 80, 160, 160]  # halving, then again while within 500
    assert sum(story is None for story in plan) == 1000 - sum(sizes)
    assert bench.story_plan(50, 0.0, 160, random.Random(2)) == [None] * 50


def test_articles_of_one_story_share_people_and_days_but_not_sentences():
    rng = random.Random(4)
    story = bench.Story(bench._cast(rng), bench._day(rng))
    sentences = bench.seed_sentences()
    texts = [bench.article(sentences, rng, story) for _ in range(6)]
    days = {story.day.isoformat(), (story.day + timedelta(days=1)).isoformat()}
    people = [story.cast[key] for key in ("person_a", "person_b", "person_c")]
    for text in texts:
        assert set(re.findall(r"published_at: (\S+)", text)) <= days
        assert any(person in text for person in people)
    assert len(set(texts)) == len(texts)
