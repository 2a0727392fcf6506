"""Benchmarks for the course (`make bench`): wall time of the parts of `make test`.

Targets come from the issues: each notebook <= 5 s under nbval (as pytest reports it; the
wall time adds about 1.5 s of interpreter and plugin start-up), except the scaling lab's
chapter (its live sweep <= 60 s) and exercise (its check cell trains a model, <= 30 s);
book build cold <= 90 s and warm <= 10 s, the whole `make test` <= 3 min on 2 cores, an
explorer redraw <= 50 ms. Numbers are printed, not asserted: timing belongs here, not in tests.
One guard fails the run: a page of the book that takes over 30 s to execute in the build
(`page_times.py`), the sign of a cell waiting for a timeout.

Usage: python tests/bench/run.py [--full]   (--full also times a whole `make test`)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import page_times

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]


_NOTEBOOK_TARGETS = {
    "ch07_scaling_lab": "<= 60 s (live sweep)",
    "ex06_scaling_lab": "check cell <= 30 s",
}


def _has_code(notebook: Path) -> bool:
    """Skeleton pages without code cells give nbval nothing to time."""
    return any(cell["cell_type"] == "code" for cell in json.loads(notebook.read_text("utf-8"))["cells"])


def _run(command: list[str]) -> float:
    return _run_with_output(command)[0]


def _run_with_output(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return elapsed, result.stdout


def _pytest_reported(command: list[str]) -> float:
    """Seconds pytest itself reports (the notebook's run, without interpreter start-up)."""
    output = _run_with_output(command)[1]
    return float(re.findall(r" in ([0-9.]+)s", output)[-1])


def _explorer_redraw_ms(
    make_explorer: Callable[[], Any], slider_of: Callable[[Any], Any], values: Sequence[float]
) -> float:
    """One slider move of a real explorer, with its figure rendered as a notebook would.

    `make_explorer` builds the explorer (an ipywidgets box), `slider_of` picks the slider
    to move in it, and each of `values` is one move. An IPython shell with the inline
    backend formats each displayed figure to PNG, which is the cost a student waits for;
    what it prints is discarded.
    """
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    matplotlib.use("Agg")
    # As in a course notebook after plotting.use_house_style(): no tight bounding box.
    select_figure_formats(InteractiveShell.instance(), {"png"}, bbox_inches=None)

    with contextlib.redirect_stdout(io.StringIO()):
        explorer = make_explorer()
        slider = slider_of(explorer)
        start = time.perf_counter()
        for value in values:
            slider.value = value
        elapsed = time.perf_counter() - start
    return elapsed / len(values) * 1000


def _power_law_explorer_ms() -> float:
    from lib import widgets

    return _explorer_redraw_ms(
        widgets.power_law_explorer, lambda box: box.children[0].children[0], (0.1, 0.2, 0.3, 0.4, 0.5) * 4
    )


def _lnd_explorer_ms() -> float:
    from lib import widgets
    from lib.view import plotting

    plotting.use_house_style()  # chapter 2 draws it in house style (sizes, fonts)
    budgets = (1e19, 3e20, 5e21, 2e23, 7e24) * 4
    return _explorer_redraw_ms(widgets.lnd_explorer, lambda box: box.children[0], budgets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also time a whole `make test`")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def measure(name: str, target: str, action: Callable[[], float], unit: str = "s") -> None:
        value = action()
        rows.append((name, f"{value:.2f} {unit}", target))
        print(f"{name:<44} {value:8.2f} {unit}", file=sys.stderr)

    site_tests = ("test_book.py", "test_site_browser.py", "test_jupyterlab.py")
    unit_tests = [
        str(p)
        for p in sorted((ROOT / "tests").glob("test_*.py"))
        if p.name not in (*site_tests, "test_grader.py", "test_exercises.py")
    ]
    measure(
        "lib unit tests + doctests", "-", lambda: _run([*PYTEST, "--doctest-modules", "lib", *unit_tests])
    )
    measure(
        "book build + every page in chromium + JupyterLab",
        "-",
        lambda: _run([*PYTEST, *(str(ROOT / "tests" / name) for name in site_tests)]),
    )
    for notebook in filter(
        _has_code, sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
    ):
        rel = notebook.relative_to(ROOT)
        command = [*PYTEST, "--nbval-lax", str(rel)]
        measure(f"nbval {rel}, wall", "-", lambda command=command: _run(command))
        target = _NOTEBOOK_TARGETS.get(notebook.stem, "<= 5 s")
        measure(f"nbval {rel}, as pytest reports", target, lambda c=command: _pytest_reported(c))
    for exercise in sorted(ROOT.glob("exercises/*.ipynb")):
        rel = exercise.relative_to(ROOT)
        measure(
            f"grade {rel} (blank)", "-", lambda rel=rel: _run([sys.executable, "-m", "lib.grader", str(rel)])
        )
    with tempfile.TemporaryDirectory() as out:
        build = [str(BIN / "jupyter-book"), "build", ".", "--path-output", out, "-W", "-n", "--keep-going"]
        measure("book build, cold (fresh cache)", "<= 90 s", lambda: _run(build))
        print("\nExecution time of each page in the cold build:", file=sys.stderr)
        with contextlib.redirect_stdout(sys.stderr):
            pages_ok = page_times.report(Path(out) / "_build") == 0
        measure("book build, warm (nothing changed)", "<= 10 s", lambda: _run(build))
    measure("power-law explorer redraw", "<= 50 ms", _power_law_explorer_ms, unit="ms")
    measure("L(N, D) explorer redraw (chapter 2)", "<= 50 ms", _lnd_explorer_ms, unit="ms")
    if args.full:
        measure("make test (whole suite)", "<= 180 s", lambda: _run(["make", "test"]))

    print("\n| part | wall time | target |\n|---|---:|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    if not pages_ok:
        raise SystemExit(f"FAILED: a page of the book took over {page_times.LIMIT:g} s to execute (above)")


if __name__ == "__main__":
    main()
