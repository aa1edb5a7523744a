"""Event clustering evaluation: BCubed arithmetic, the gold files, and the gated scores."""

import json

import pytest

from app.db import PROJECT_ROOT
from app.evaluation import events as evaluation

ECBPLUS = PROJECT_ROOT / "tests" / "data" / "ecbplus"


def test_bcubed_is_perfect_for_identical_clusterings_whatever_the_ids():
    gold = {"a": "x", "b": "x", "c": "y"}
    score = evaluation.bcubed({"a": 7, "b": 7, "c": 9}, gold)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_bcubed_one_big_cluster_keeps_recall_and_loses_precision():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    score = evaluation.bcubed(dict.fromkeys(gold, 1), gold)
    assert score.recall == 1.0
    assert score.precision == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)


def test_bcubed_all_singletons_keeps_precision_and_loses_recall():
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    score = evaluation.bcubed({item: item for item in gold}, gold)
    assert score.precision == 1.0
    assert score.recall == pytest.approx((1 / 3 * 3 + 1) / 4)


def test_gold_sets_label_every_article_once_and_the_files_exist():
    for _, file_name, _ in evaluation.GOLD_SETS:
        folder, labels, storylines = evaluation.load_gold(file_name)
        assert sorted(p.name for p in folder.glob("*.txt")) == sorted(labels)
        assert {label for line in storylines for label in line} <= set(labels.values())
    _, corpus, _ = evaluation.load_gold("events_corpus.json")
    assert len(corpus) == 30 and len(set(corpus.values())) == 10


def test_evaluate_scores_both_gold_sets_and_gates_f1():
    metrics = {m.name: m for m in evaluation.evaluate()}
    for name in ("seeds", "corpus"):
        f1 = metrics[f"events {name} BCubed F1"]
        assert f1.floor == 0.95 and f1.passed
        assert 0.0 <= metrics[f"events {name} BCubed precision"].value <= 1.0
    assert metrics["events holdout BCubed F1"].floor is None
    assert metrics["events seeds BCubed F1"].value == 1.0


def test_look_alikes_apart_counts_topics_whose_incidents_share_no_predicted_event():
    gold = {"a1": "1a", "a2": "1b", "b1": "2a", "b2": "2b", "c1": "3a"}
    topics = {"a1": "1", "a2": "1", "b1": "2", "b2": "2", "c1": "3"}
    predicted = {"a1": 10, "a2": 11, "b1": 20, "b2": 20, "c1": 30}
    assert evaluation.look_alikes_apart(predicted, gold, topics) == 0.5
    assert evaluation.look_alikes_apart(predicted, gold, dict.fromkeys(gold)) is None


def test_corpus_metrics_score_a_labelled_folder_in_two_orders_and_by_topic_half(tmp_path):
    ids = {"14_10ecb", "14_1ecb", "14_2ecb", "14_10ecbplus", "14_11ecbplus", "13_1ecb"}
    lines = (ECBPLUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = [line for line in lines if json.loads(line)["id"] in ids]
    (tmp_path / "articles.jsonl").write_text("\n".join(chosen), encoding="utf-8")
    metrics = {m.name: m for m in evaluation.corpus_metrics(tmp_path, "mine", floor=0.5)}
    assert metrics["events mine gold events"].value == 3
    assert metrics["events mine BCubed F1"].floor == 0.5
    assert 0.0 < metrics["events mine BCubed F1, shuffled order"].value <= 1.0
    assert {"events mine BCubed F1, odd topics", "events mine BCubed F1, even topics"} <= set(
        metrics
    )
    assert metrics["events mine look-alike incidents kept apart"].value in (0.0, 1.0)
