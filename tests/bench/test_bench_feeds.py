"""The feed benchmark: a loopback feed of generated pages polled through the real path (figures
are printed, never asserted)."""

import argparse

from app.bench import feeds as bench


def test_bench_polls_every_generated_item_and_prints_items_per_second(capsys):
    assert bench.main(None, argparse.Namespace(items=8, seed=3)) == 0
    out = capsys.readouterr().out
    assert "8 article pages" in out
    assert "fetch only: 8 pages in" in out and "items/s" in out
    assert out.strip().endswith("stored 8")
