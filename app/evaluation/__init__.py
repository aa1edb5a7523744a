"""`parallax eval`: scores the pipeline against labelled data, prints them, fails below a floor
or above a ceiling."""

import argparse
import sys
from pathlib import Path

from app.evaluation import alignment, events, quotes, speakers
from app.evaluation.metrics import Metric

SUITES = {
    "alignment": alignment.evaluate,
    "events": events.evaluate,
    "events-ecbplus": events.evaluate_ecbplus,
    "quotes": quotes.evaluate,
    "speakers": speakers.evaluate,
}
# What the suites read under the data root: the seed articles and the gold files with their corpora.
DATA_FOLDERS = ("seeds", "tests/data")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only", choices=sorted(SUITES), action="append", help="run only this suite (repeatable)"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="FOLDER",
        help="score event assignment on your own labelled corpus instead: a folder holding "
        "articles.jsonl (id, text, event_id; optional title, outlet, url, published_at, topic); "
        "with an attributions.jsonl (PolNeAR's fields), named speakers too",
    )
    parser.add_argument(
        "--data-root",
        type=Path,
        help="folder holding seeds/ and tests/data/ "
        "(default: the project checkout holding the current directory)",
    )


def find_checkout(start: Path) -> Path | None:
    """The nearest of `start` and its parents holding a pyproject.toml: the project checkout."""
    return next((d for d in (start, *start.parents) if (d / "pyproject.toml").is_file()), None)


def data_root_problem(root: Path | None) -> str | None:
    if root is None:
        return "no project checkout holds the current directory: pass --data-root FOLDER"
    missing = [f"{name}/" for name in DATA_FOLDERS if not (root / name).is_dir()]
    if missing:
        return (
            f"{root} has no {' or '.join(missing)}: pass --data-root FOLDER holding "
            "seeds/ and tests/data/"
        )
    return None


def _print(metric: Metric) -> None:
    floor = "" if metric.floor is None else f"  (floor {metric.floor:.2f})"
    ceiling = "" if metric.ceiling is None else f"  (ceiling {metric.ceiling:g})"
    verdict = f"  {metric.verdict}" if metric.verdict else ""
    print(f"{metric.name:<45} {metric.value:7.3f}{floor}{ceiling}{verdict}")


def score_corpus(folder: Path) -> int:
    if not (folder / "articles.jsonl").is_file():
        print(f"parallax eval: {folder} has no articles.jsonl", file=sys.stderr)
        return 2
    print(f"== events on {folder}")
    for metric in events.corpus_metrics(folder, folder.name):
        _print(metric)
    if (folder / "attributions.jsonl").is_file():
        print(f"== speakers on {folder}")
        for metric in speakers.corpus_metrics(folder, folder.name):
            _print(metric)
    return 0


def main(_settings, args: argparse.Namespace) -> int:
    if args.corpus:
        return score_corpus(args.corpus)
    root = args.data_root or find_checkout(Path.cwd())
    problem = data_root_problem(root)
    if problem:
        print(f"parallax eval: {problem}", file=sys.stderr)
        return 2
    failed = []
    for suite in args.only or SUITES:
        print(f"== {suite}")
        for metric in SUITES[suite](data_root=root.resolve()):
            _print(metric)
            if not metric.passed:
                failed.append(f"{metric.name} ({metric.verdict.lower()})")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all metrics within their floors and ceilings")
    return 0
