"""Benchmark of lib.fitting on the 240 replication runs: time and objective, one core.

Target (issue 5): `fit_chinchilla` at the global optimum of the paper's objective in
<= 1 s on one core, where the paper's own procedure (L-BFGS from 4,500 starts,
`fit_chinchilla_grid`) takes minutes. Numbers are printed, not asserted: timing belongs
here, not in tests.

Usage: python tests/bench/bench_fitting.py [--grid] [--repeats 7] [--resamples 200]
       (--grid also runs the 4,500-start grid once, ~10-60 s, and compares objectives)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from lib.fitting import ChinchillaFit

T = TypeVar("T")


def _timed(action: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Median wall time of `repeats` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _row(name: str, seconds: float, fit: ChinchillaFit) -> str:
    law = fit.law
    return (
        f"| {name} | {seconds:.3f} | {fit.objective:.15g} | {law.E:.4f} | {law.A:.2f} | {law.B:.2f} "
        f"| {law.alpha:.5f} | {law.beta:.5f} | {fit.n_starts} | {fit.converged} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true", help="also run the paper's 4,500-start grid once")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats of fit_chinchilla")
    parser.add_argument("--resamples", type=int, default=200, help="bootstrap resamples to time")
    args = parser.parse_args()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")  # one core; set before NumPy loads its BLAS
    from lib import fitting
    from lib.datasets import chinchilla_fig4
    from lib.laws import EPOCH_REPLICATION

    runs = chinchilla_fig4(drop_highest=5)
    N, D, C, loss = runs.N, runs.D, runs.C, runs.loss
    print(f"{len(runs)} runs; timing fit_chinchilla x{args.repeats}", file=sys.stderr)
    fit_time, fit = _timed(lambda: fitting.fit_chinchilla(N, D, loss), args.repeats)

    print("\n| method | time (s) | objective | E | A | B | alpha | beta | starts | converged |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(_row(f"fit_chinchilla (median of {args.repeats})", fit_time, fit))
    if args.grid:
        print("running the 4,500-start grid (minutes) ...", file=sys.stderr)
        grid_time, grid = _timed(lambda: fitting.fit_chinchilla_grid(N, D, loss), 1)
        print(_row("fit_chinchilla_grid (paper, 4,500 starts)", grid_time, grid))
    published = EPOCH_REPLICATION
    published_objective = fitting.chinchilla_objective(published, N, D, loss)
    print(
        f"| Besiroglu et al. 2024 as published | - | {published_objective:.15g} | {published.E:.4f} "
        f"| {published.A:.2f} | {published.B:.2f} | {published.alpha:.5f} | {published.beta:.5f} | - | - |"
    )
    if args.grid:
        gap = (fit.objective - grid.objective) / grid.objective
        print(f"\nfit_chinchilla - grid objective, relative: {gap:+.2e} (<= 0: at least as good as the grid)")
        print(f"speed-up: {grid_time / fit_time:.0f}x")

    boot_time, boot = _timed(
        lambda: fitting.bootstrap_chinchilla(N, D, loss, n_resamples=args.resamples, seed=0), 1
    )
    a = boot.interval("a")
    print(
        f"\nbootstrap_chinchilla, {args.resamples} resamples: {boot_time:.2f} s "
        f"({boot_time / args.resamples * 1000:.1f} ms per resample, including the full fit)"
    )
    print(
        f"  a = beta/(alpha+beta) = {a.estimate:.3f}, 80% interval ({a.low:.3f}, {a.high:.3f}), "
        f"width {a.width:.3f}"
    )

    iso_time, iso = _timed(lambda: fitting.approach2_isoflop(N, C, loss), 3)
    env_time, env = _timed(lambda: fitting.approach1_envelope(N, C, loss), 3)
    print(
        f"\napproach2_isoflop: a = {iso.a:.3f}, b = {iso.b:.3f} from {iso.C.size} profiles "
        f"({iso_time * 1000:.1f} ms); Hoffmann et al. Table 2: a = 0.49, b = 0.51"
    )
    print(
        f"approach1_envelope: a = {env.a:.3f}, b = {env.b:.3f} from {env.C.size} bins "
        f"({env_time * 1000:.1f} ms); Hoffmann et al. Table 2: a = 0.50, b = 0.50"
    )


if __name__ == "__main__":
    main()
