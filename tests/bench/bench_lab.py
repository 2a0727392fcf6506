"""Benchmark of lib.lab: training throughput against a plain matmul, sweep times, peak memory.

Targets (issue 8): training throughput >= 50 % of NumPy's float32 matmul on the same
shapes, measured in the same run; the chapter's quick sweep <= 60 s and the full sweep
<= 10 min on 2 cores; memory <= 1 GiB. Numbers are printed, not asserted: on a shared
machine every wall time is pessimistic, the ratios less so.

For each width, one training step (sampling a batch, forward, backward, Adam) is timed
on one BLAS thread against the seven matrix products of that step alone (forward 2,
backward 4, embedding gradient 1), with the same shapes and dtype, each the fastest of
its repeats. The ratio ``matmul time / step time`` is the fraction of the matmul rate
that the training loop keeps.

Usage: python tests/bench/bench_lab.py [--repeats 30] [--skip-sweep]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lib import lab  # noqa: E402


def _best_time(action: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` calls: other jobs on a shared machine only ever add time."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _matmuls(width: int, batch: int) -> tuple[Callable[[], None], float]:
    """The step's matrix products on random float32 arrays of its shapes, and their FLOPs."""
    rng = np.random.default_rng(0)
    V, k, h = lab.VOCAB, lab.ORDER, lab.hidden_size(width)

    def random(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    x, W1, u, W2, dz, du, dx, onehot = (
        random(batch, k * width),
        random(k * width, h),
        random(batch, h),
        random(h, V),
        random(batch, V),
        random(batch, h),
        random(batch * k, width),
        random(batch * k, V),
    )

    def products() -> None:
        x @ W1
        u @ W2
        dz @ W2.T
        u.T @ dz
        du @ W1.T
        x.T @ du
        onehot.T @ dx

    flops = 2.0 * batch * (3 * k * width * h + 3 * h * V + k * V * width)
    return products, flops


def _step(width: int, batch: int) -> Callable[[], None]:
    source = lab.markov_source()
    model = lab.init_model(width)
    optimiser = lab.Adam(model)
    rng = np.random.default_rng(1)

    def step() -> None:
        contexts, targets = source.sample(batch, rng)
        _, gradients = lab.loss_and_gradients(model, contexts, targets)
        optimiser.step(gradients, 1e-3)

    return step


def throughput(repeats: int) -> None:
    print("\n## Training throughput, one BLAS thread\n")
    print("| width | N | batch | step (ms) | matmuls alone (ms) | matmul GFLOP/s | step vs matmul |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with threadpool_limits(limits=1, user_api="blas"):
        for width in (8, 23, 44, 66, 97, 117):
            batch = lab.schedule(width, 10**7).batch
            products, flops = _matmuls(width, batch)
            matmul = _best_time(products, repeats)
            step = _best_time(_step(width, batch), repeats)
            print(
                f"| {width} | {lab.n_params(width):,} | {batch} | {1e3 * step:.2f} | {1e3 * matmul:.2f} "
                f"| {flops / matmul / 1e9:.0f} | {100 * matmul / step:.0f} % |"
            )
        big = np.ones((1024, 1024), dtype=np.float32)
        peak = _best_time(lambda: big @ big, repeats)
        print(f"\nPlain 1024 x 1024 float32 matmul, one thread: {2 * 1024**3 / peak / 1e9:.0f} GFLOP/s")


def sweeps() -> None:
    print("\n## Sweeps (2 spawned workers)\n")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        lab.run_sweep(lab.QUICK_BUDGETS, Path(folder) / "quick.csv", progress=False)
        quick = time.perf_counter() - start
    print(f"Quick sweep ({len(lab.sweep_plan(lab.QUICK_BUDGETS))} runs, the chapter's): {quick:.1f} s")
    shipped = lab.load_sweep()
    sweep, check = shipped.select("sweep"), shipped.select("prediction")
    # the shipped sweep's own wall times, as two workers share them out longest first
    loads = [0.0, 0.0]
    for seconds in sorted(sweep.seconds, reverse=True):
        loads[loads.index(min(loads))] += seconds
    print(
        f"Full sweep ({len(sweep)} runs) as recorded in lib/data/lab_sweep.csv: "
        f"{sweep.seconds.sum():.0f} s of training, about {max(loads):.0f} s on 2 workers, "
        f"plus {check.seconds.sum():.0f} s for the predict-then-run check"
    )
    estimate = 0.0
    for point in lab.sweep_plan(lab.SWEEP_BUDGETS):
        estimate += lab.Lab(point.budget * 2).estimate(point.width, point.D).seconds
    print(
        f"Full sweep estimated now by Lab.estimate: {estimate:.0f} s of training, "
        f"~{estimate / 2:.0f} s on 2 cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed repeats per measurement")
    parser.add_argument("--skip-sweep", action="store_true", help="only the throughput table")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} (others' work slows every timing)")
    throughput(args.repeats)
    if not args.skip_sweep:
        sweeps()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nPeak resident memory: this process {own:.0f} MiB, largest worker {children:.0f} MiB")


if __name__ == "__main__":
    main()
