"""The grader's command line: ``python -m lib.grader PATH [PATH...]``."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from lib.grader.report import format_result, format_summary, write_csv
from lib.grader.results import DEFAULT_TIMEOUT, GradingError
from lib.grader.run import grade

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.grader",
        description="Grade exercise notebooks; the student's files are not modified.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebook or folder of notebooks")
    parser.add_argument("--release", metavar="DIR", help="folder of pristine exercises")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit per cell (default: %(default)g)",
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="parallel workers (default: notebooks, at most the CPUs)"
    )
    parser.add_argument(
        "--csv", metavar="PATH", help="write grades here (default when grading a folder: FOLDER/grades.csv)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Grade from the command line; return 0 when grading completed, 2 on a grading error."""
    args = _parser().parse_args(argv)
    try:
        results = grade(args.paths, release=args.release, timeout=args.timeout, workers=args.workers)
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    width = max(shutil.get_terminal_size((100, 24)).columns, 60)
    print("\n\n".join(format_result(result, width) for result in results))
    if len(results) > 1:
        print(f"\n{format_summary(results)}")
    folders = [Path(path) for path in args.paths if Path(path).is_dir()]
    csv_path = args.csv or (folders[0] / "grades.csv" if folders else None)
    if csv_path:
        try:
            write_csv(results, csv_path)
        except OSError as error:
            print(f"error: could not write {csv_path}: {error}", file=sys.stderr)
            return 2
        print(f"\nGrades written to {csv_path}")
    failed = [result for result in results if not result.graded]
    for result in failed:
        print(f"error: {result.path}: {result.error}", file=sys.stderr)
    return 2 if failed else 0
