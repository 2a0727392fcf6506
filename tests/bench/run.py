"""Benchmarks for the course (`make bench`): wall time of the parts of `make test`.

Targets come from the foundation issue: each notebook <= 5 s under nbval, book build
cold <= 90 s and warm <= 10 s, the whole `make test` <= 3 min on 2 cores, an explorer
redraw <= 50 ms. Numbers are printed, not asserted: timing belongs here, not in tests.

Usage: python tests/bench/run.py [--full]   (--full also times a whole `make test`)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return elapsed


def _explorer_redraw_ms() -> float:
    os.environ.setdefault("MPLBACKEND", "Agg")
    from lib import widgets

    explorer = widgets.power_law_explorer()
    slider = explorer.children[0].children[0]
    start = time.perf_counter()
    for value in (0.1, 0.2, 0.3, 0.4, 0.5) * 4:
        slider.value = value
    return (time.perf_counter() - start) / 20 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also time a whole `make test`")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def measure(name: str, target: str, action: Callable[[], float], unit: str = "s") -> None:
        value = action()
        rows.append((name, f"{value:.2f} {unit}", target))
        print(f"{name:<44} {value:8.2f} {unit}", file=sys.stderr)

    unit_tests = [
        str(p)
        for p in sorted((ROOT / "tests").glob("test_*.py"))
        if p.name not in ("test_book.py", "test_grader.py", "test_exercises.py")
    ]
    measure(
        "lib unit tests + doctests", "-", lambda: _run([*PYTEST, "--doctest-modules", "lib", *unit_tests])
    )
    for notebook in sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("solutions/*.ipynb")]):
        rel = notebook.relative_to(ROOT)
        measure(f"nbval {rel}", "<= 5 s", lambda rel=rel: _run([*PYTEST, "--nbval-lax", str(rel)]))
    for exercise in sorted(ROOT.glob("exercises/*.ipynb")):
        rel = exercise.relative_to(ROOT)
        measure(
            f"grade {rel} (blank)", "-", lambda rel=rel: _run([sys.executable, "-m", "lib.grader", str(rel)])
        )
    with tempfile.TemporaryDirectory() as out:
        build = [str(BIN / "jupyter-book"), "build", ".", "--path-output", out, "-W", "-n", "--keep-going"]
        measure("book build, cold (fresh cache)", "<= 90 s", lambda: _run(build))
        measure("book build, warm (nothing changed)", "<= 10 s", lambda: _run(build))
    measure("power-law explorer redraw", "<= 50 ms", _explorer_redraw_ms, unit="ms")
    if args.full:
        measure("make test (whole suite)", "<= 180 s", lambda: _run(["make", "test"]))

    print("\n| part | wall time | target |\n|---|---:|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")


if __name__ == "__main__":
    main()
