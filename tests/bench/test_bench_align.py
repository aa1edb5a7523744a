"""The alignment benchmark: events grown article by article, the added ones timed (printed)."""

import argparse
import re

from app.bench import align as bench


def test_bench_times_articles_added_to_events_of_each_size(capsys):
    args = argparse.Namespace(sizes=[2, 4], added=2, seed=3)
    assert bench.main(None, args) == 0
    out = capsys.readouterr().out
    rows = re.findall(r"^\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d)/2$", out, re.M)
    assert [size for size, _, _ in rows] == ["2", "4"]
    assert int(rows[1][1]) > int(rows[0][1])  # the larger event holds more mentions
    assert all(int(incremental) >= 1 for _, _, incremental in rows)
    assert "growth 2->4 articles (x2): align ms per added article x" in out
