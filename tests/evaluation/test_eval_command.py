"""`parallax eval` prints every suite's metrics and fails when one is below its floor."""

import sys
import types

import pytest

from app import evaluation
from app.cli import main
from app.evaluation.metrics import Metric


@pytest.fixture
def fake_suite(monkeypatch):
    module = types.ModuleType("fake_suite")
    monkeypatch.setitem(sys.modules, "fake_suite", module)
    monkeypatch.setattr(evaluation, "SUITES", {"fake": "fake_suite"})
    return module


def test_eval_passes_when_every_metric_meets_its_floor(fake_suite, capsys):
    fake_suite.evaluate = lambda: [Metric("precision", 0.95, 0.9), Metric("reported only", 0.1)]
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "0.950" in out and "reported only" in out


def test_eval_fails_below_a_floor(fake_suite, capsys):
    fake_suite.evaluate = lambda: [Metric("recall", 0.80, 0.85)]
    assert main(["eval"]) == 1
    assert "BELOW FLOOR" in capsys.readouterr().out
