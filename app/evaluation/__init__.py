"""`parallax eval`: scores the pipeline against the gold files, prints them, fails below a floor."""

import argparse
import importlib

SUITES = {
    "alignment": "app.evaluation.alignment",
    "events": "app.evaluation.events",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only", choices=sorted(SUITES), action="append", help="run only this suite (repeatable)"
    )


def main(_settings, args: argparse.Namespace) -> int:
    below_floor = []
    for suite in args.only or SUITES:
        print(f"== {suite}")
        for metric in importlib.import_module(SUITES[suite]).evaluate():
            floor = "" if metric.floor is None else f"  (floor {metric.floor:.2f})"
            verdict = "  BELOW FLOOR" if not metric.passed else ""
            print(f"{metric.name:<45} {metric.value:7.3f}{floor}{verdict}")
            if not metric.passed:
                below_floor.append(metric.name)
    if below_floor:
        print(f"FAILED: below floor: {', '.join(below_floor)}")
        return 1
    print("all metrics at or above their floors")
    return 0
