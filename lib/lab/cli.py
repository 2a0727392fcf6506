"""The command line of the lab: ``python -m lib.lab sweep --budgets ... --out runs.csv``."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from lib.lab.source import SEED
from lib.lab.sweep import run_sweep

__all__ = ["main"]


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of FLOPs, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.lab", description="The scaling lab: IsoFLOP sweeps of tiny language models."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sweep = commands.add_parser(
        "sweep",
        help="train every width at every budget and save the runs to a CSV file (resumable)",
        description="Train every width at every FLOP budget (D = C / 6N) and save each run to --out as it "
        "finishes. Run again with the same arguments to resume: finished runs are skipped.",
    )
    sweep.add_argument("--budgets", type=_positive_float, nargs="+", required=True, help="FLOP budgets")
    sweep.add_argument("--out", type=Path, required=True, help="CSV file to create or resume")
    sweep.add_argument(
        "--widths",
        type=_positive_int,
        nargs="+",
        help="widths trained at every budget (default: for each budget, the 7 widths of the ladder "
        "around N = sqrt(C / 600))",
    )
    sweep.add_argument("--seed", type=int, default=SEED, help="seed of every run (default: %(default)s)")
    sweep.add_argument("--workers", type=_positive_int, default=2, help="processes (default: %(default)s)")
    sweep.add_argument(
        "--predict",
        type=_positive_float,
        metavar="FACTOR",
        help="afterwards, fit the sweep, predict the loss of the compute-optimal run at FACTOR x the "
        "largest budget, and run it",
    )
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m lib.lab``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        runs = run_sweep(
            args.budgets,
            args.out,
            widths=args.widths,
            seed=args.seed,
            workers=args.workers,
            predict=args.predict,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: finished runs are saved in {args.out}; run the same command to resume",
            file=sys.stderr,
        )
        return 130
    except ValueError as error:
        print(f"python -m lib.lab: error: {error}", file=sys.stderr)
        return 2
    print(f"{len(runs)} runs in {args.out}")
    return 0
