"""`parallax eval` prints every suite's metrics and fails when one is below its floor."""

import json
import re

import pytest

from app import evaluation
from app.cli import main
from app.evaluation.metrics import Metric


@pytest.fixture
def fake_suite(monkeypatch):
    """Makes the given metrics the one suite `parallax eval` runs; records the data root it got."""
    seen = {}

    def use(metrics):
        def evaluate(*, data_root):
            seen["data_root"] = data_root
            return metrics

        monkeypatch.setattr(evaluation, "SUITES", {"fake": evaluate})
        return seen

    return use


def test_eval_passes_when_every_metric_meets_its_floor(fake_suite, capsys):
    fake_suite([Metric("precision", 0.95, 0.9), Metric("reported only", 0.1)])
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "0.950" in out and "reported only" in out


def test_eval_fails_below_a_floor(fake_suite, capsys):
    fake_suite([Metric("recall", 0.80, 0.85)])
    assert main(["eval"]) == 1
    assert "BELOW FLOOR" in capsys.readouterr().out


def test_eval_fails_above_a_ceiling(fake_suite, capsys):
    fake_suite([Metric("wrong joins", 12, ceiling=10), Metric("recall", 0.9, 0.85)])
    assert main(["eval"]) == 1
    out = capsys.readouterr().out
    assert "ABOVE CEILING" in out and "(ceiling 10)" in out
    assert "FAILED: wrong joins (above ceiling)" in out


def test_eval_passes_at_a_ceiling(fake_suite, capsys):
    fake_suite([Metric("wrong joins", 10, ceiling=10)])
    assert main(["eval"]) == 0
    assert "ABOVE CEILING" not in capsys.readouterr().out


def test_eval_reads_the_checkout_holding_the_current_directory(fake_suite, monkeypatch, tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "tests" / "data").mkdir(parents=True)
    (tmp_path / "seeds" / "inner").mkdir()
    monkeypatch.chdir(tmp_path / "seeds" / "inner")
    seen = fake_suite([Metric("recall", 0.9, 0.85)])
    assert main(["eval"]) == 0
    assert seen["data_root"] == tmp_path.resolve()


def test_eval_reads_the_given_data_root(fake_suite, monkeypatch, tmp_path):
    (tmp_path / "labelled" / "seeds").mkdir(parents=True)
    (tmp_path / "labelled" / "tests" / "data").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    seen = fake_suite([Metric("recall", 0.9, 0.85)])
    assert main(["eval", "--data-root", str(tmp_path / "labelled")]) == 0
    assert seen["data_root"] == (tmp_path / "labelled").resolve()


@pytest.mark.parametrize("inside_checkout", [True, False])
def test_eval_without_its_data_exits_2_and_says_why(
    fake_suite, monkeypatch, tmp_path, capsys, inside_checkout
):
    if inside_checkout:
        (tmp_path / "pyproject.toml").write_text("")
        (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    seen = fake_suite([Metric("recall", 0.9, 0.85)])
    assert main(["eval"]) == 2
    error = capsys.readouterr().err
    assert "--data-root" in error
    if inside_checkout:
        assert "tests/data/" in error and "seeds/ or" not in error
    assert seen == {}


def test_eval_corpus_scores_events_on_the_given_folder(monkeypatch, tmp_path, capsys):
    seen = {}

    def corpus_metrics(folder, name):
        seen["folder"] = folder
        return [Metric(f"events {name} BCubed F1", 0.8)]

    monkeypatch.setattr(evaluation.events, "corpus_metrics", corpus_metrics)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "articles.jsonl").write_text("")
    assert main(["eval", "--corpus", str(tmp_path / "mine")]) == 0
    assert seen["folder"] == tmp_path / "mine"
    assert "events mine BCubed F1" in capsys.readouterr().out


def test_eval_corpus_without_articles_exits_2(tmp_path, capsys):
    assert main(["eval", "--corpus", str(tmp_path)]) == 2
    assert "articles.jsonl" in capsys.readouterr().err


def test_eval_corpus_scores_named_speakers_when_the_folder_has_attributions(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setattr(evaluation.events, "corpus_metrics", lambda folder, name: [])
    folder = tmp_path / "mine"
    folder.mkdir()
    quote = "“We will win this state by a mile and then some more,”"
    text = f"The rally ran late into the night in the old mill town.\n\n{quote} Jane Smith said."
    start = text.index(quote)
    source = text.index("Jane Smith")
    article = {"id": "a1", "text": text, "outlet": "x", "title": "Rally"}
    attribution = {
        "doc_id": "a1",
        "source": [{"start": source, "end": source + 10, "text": "Jane Smith"}],
        "cue": None,
        "content": [{"start": start, "end": start + len(quote), "text": quote}],
        "is_direct_quote": True,
    }
    (folder / "articles.jsonl").write_text(json.dumps(article) + "\n")
    (folder / "attributions.jsonl").write_text(json.dumps(attribution) + "\n")
    assert main(["eval", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "mine: named quotes" in out
    assert re.search(r"mine: speaker accuracy\s+1\.000", out)
