"""IsoFLOP sweeps of the lab: planned, run on worker processes, resumable, stored as CSV.

`run_sweep` trains every planned run (``python -m lib.lab sweep``), `load_sweep` reads a
sweep back, and ``SHIPPED_SWEEP`` is the one shipped with the course.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
§3.2 (IsoFLOP profiles).
"""

from __future__ import annotations

import csv
import math
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.lab.model import n_params, width_for_params
from lib.lab.source import SEED, markov_source
from lib.lab.training import train

__all__ = [
    "WIDTHS",
    "SWEEP_BUDGETS",
    "QUICK_BUDGETS",
    "WINDOW",
    "TOKENS_PER_PARAM_GUESS",
    "window",
    "SHIPPED_SWEEP",
    "COLUMNS",
    "SweepPoint",
    "sweep_plan",
    "SweepRuns",
    "load_sweep",
    "run_sweep",
]

WIDTHS = (8, 11, 14, 18, 23, 29, 36, 44, 54, 66, 80, 97, 117)
"""The ladder of model widths: N from 1.9k to 129k parameters, a factor of about sqrt(2) apart."""
WINDOW = 7
"""Widths per IsoFLOP profile: the 7 rungs of `WIDTHS` centred on a guess of the optimum."""
TOKENS_PER_PARAM_GUESS = 100
"""Where a sweep centres each profile: ``D = 100 N``, near the optimum a pilot sweep of this source found."""
SWEEP_BUDGETS = (1e9, 3e9, 1e10, 3e10, 1e11, 3e11, 1e12)
"""FLOP budgets of the shipped IsoFLOP sweep."""
QUICK_BUDGETS = (1e9, 3e9, 1e10)
"""Budgets of the quick sweep the chapter runs live."""
SHIPPED_SWEEP = Path(__file__).parent.parent / "data" / "lab_sweep.csv"
"""The full sweep shipped with the course (see ``lib/data/README.md`` for the command)."""

COLUMNS = ("kind", "budget", "width", "N", "D", "C", "loss", "predicted", "seconds", "seed")
"""Columns of a sweep CSV, in order. ``kind`` is ``sweep`` or ``prediction``."""


@dataclass(frozen=True)
class SweepPoint:
    """One run of a sweep: its budget, width, and the tokens ``round(budget / (6 N))``."""

    budget: float
    width: int
    N: int
    D: int


def window(budget: float) -> tuple[int, ...]:
    """The `WINDOW` widths of the ladder `WIDTHS` centred (in log N) on ``N = sqrt(C / (6 * 100))``.

    The centre is the compute-optimal size if the optimum were at ``D = 100 N``
    (`TOKENS_PER_PARAM_GUESS`, from a pilot sweep); the sweep then measures where it
    really lies. Near the ends of the ladder the window is shifted inside it.

    Examples
    --------
    >>> window(1e9), window(1e12)
    ((8, 11, 14, 18, 23, 29, 36), (36, 44, 54, 66, 80, 97, 117))
    """
    budget = _validate.scalar(budget, "budget", _validate.positive)
    centre = math.sqrt(budget / (6 * TOKENS_PER_PARAM_GUESS))
    sizes = np.log([n_params(w) for w in WIDTHS])
    middle = int(np.argmin(np.abs(sizes - math.log(centre))))
    first = min(max(0, middle - WINDOW // 2), len(WIDTHS) - WINDOW)
    return WIDTHS[first : first + WINDOW]


def sweep_plan(budgets: Sequence[float], widths: Sequence[int] | None = None) -> list[SweepPoint]:
    """The runs of an IsoFLOP sweep, each with ``D = C / (6 N)`` tokens.

    Parameters
    ----------
    budgets : sequence of float
        FLOP budgets (positive).
    widths : sequence of int, optional
        Widths trained at every budget; default: the `window` of each budget.

    Examples
    --------
    >>> [(p.width, p.D) for p in sweep_plan([1e9], widths=[8, 16])]
    [(8, 89799), (16, 35431)]
    >>> len(sweep_plan(SWEEP_BUDGETS))
    49
    """
    budget_values = _validate.positive(budgets, "budgets")
    if budget_values.ndim != 1 or budget_values.size == 0:
        raise ValueError("budgets must be a non-empty list of FLOP counts")
    if widths is not None:
        widths = sorted({_validate.integer(w, "width") for w in widths})
        if not widths:
            raise ValueError("widths must be a non-empty list of positive integers")
    return [
        SweepPoint(float(C), w, n_params(w), max(1, round(C / (6 * n_params(w)))))
        for C in budget_values
        for w in (window(C) if widths is None else widths)
    ]


@dataclass(frozen=True)
class SweepRuns:
    """The rows of a sweep CSV, as arrays (one entry per run).

    Attributes
    ----------
    kind : ndarray of str
        ``"sweep"`` for the IsoFLOP grid, ``"prediction"`` for a predict-then-run check.
    budget, C, loss, predicted, seconds : ndarray of float
        Budget of the IsoFLOP profile, compute ``6 N D``, exact loss, the loss predicted
        before the run (NaN for sweep runs) and wall time.
    width, N, D, seed : ndarray of int
    """

    kind: NDArray[np.str_]
    budget: NDArray[np.float64]
    width: NDArray[np.int64]
    N: NDArray[np.int64]
    D: NDArray[np.int64]
    C: NDArray[np.float64]
    loss: NDArray[np.float64]
    predicted: NDArray[np.float64]
    seconds: NDArray[np.float64]
    seed: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.kind)

    def select(self, kind: str) -> SweepRuns:
        """Only the rows of one kind (``"sweep"`` or ``"prediction"``)."""
        keep = self.kind == kind
        return SweepRuns(**{name: getattr(self, name)[keep] for name in COLUMNS})


_INT_COLUMNS = {"width", "N", "D", "seed"}

_Row = dict[str, str | float | int]
"""One run, by column name: ``kind`` a str, the `_INT_COLUMNS` ints, the others floats."""


def _parse_row(row: dict[str, str], path: Path, line: int) -> _Row:
    values: _Row = {}
    try:
        for name in COLUMNS:
            text = row[name]
            if name == "kind":
                if text not in ("sweep", "prediction"):
                    raise ValueError(f"kind must be 'sweep' or 'prediction', got {text!r}")
                values[name] = text
            elif name in _INT_COLUMNS:
                values[name] = int(text)
            else:
                values[name] = float(text)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{path}, line {line}: not a valid lab sweep row ({error}); fix or delete it"
        ) from None
    return values


def _read_rows(path: Path) -> list[_Row]:
    """The rows of a sweep CSV, checked; a foreign or corrupt file is a ValueError saying so."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if header != COLUMNS:
                raise ValueError(
                    f"{path} is not a lab sweep file: its header is {','.join(header) or '(empty)'}, "
                    f"expected {','.join(COLUMNS)}; choose another --out file"
                )
            return [_parse_row(row, path, i) for i, row in enumerate(reader, start=2)]
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a lab sweep file (not UTF-8 text); choose another file") from None


def load_sweep(path: str | os.PathLike | None = None) -> SweepRuns:
    """Read a sweep CSV written by `run_sweep`; default: the sweep shipped with the course.

    Raises
    ------
    ValueError
        If the file is not a sweep CSV (wrong header) or a row is corrupt.

    Examples
    --------
    >>> runs = load_sweep()
    >>> sorted(set(runs.kind.tolist()))
    ['prediction', 'sweep']
    >>> bool(np.allclose(runs.C, 6.0 * runs.N * runs.D))
    True
    """
    path = SHIPPED_SWEEP if path is None else Path(path)
    rows = _read_rows(path)
    columns = {name: [row[name] for row in rows] for name in COLUMNS}
    dtypes = {"kind": str, **{name: np.int64 for name in _INT_COLUMNS}}
    return SweepRuns(**{name: np.array(columns[name], dtype=dtypes.get(name, float)) for name in COLUMNS})


def _format_row(values: _Row) -> list[str]:
    out = []
    for name in COLUMNS:
        value = values[name]
        if name == "seconds":
            out.append(f"{value:.3f}")
        elif isinstance(value, float):
            out.append(repr(value))
        else:
            out.append(str(value))
    return out


def _worker_init() -> None:
    """Spawned workers: one BLAS thread each (deterministic), and Ctrl-C is the parent's job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1, user_api="blas")


def _run_point(job: tuple[str, float, int, int, int, float]) -> _Row:
    """Train one run in a worker, rebuilding the source from the constants and the seed."""
    kind, budget, width, tokens, seed, predicted = job
    result = train(width, tokens, source=markov_source(), seed=seed)
    return {
        "kind": kind,
        "budget": budget,
        "width": width,
        "N": result.N,
        "D": result.D,
        "C": result.C,
        "loss": result.loss,
        "predicted": predicted,
        "seconds": result.seconds,
        "seed": seed,
    }


def _key(row: _Row) -> tuple[str, float, int, int]:
    return (str(row["kind"]), float(row["budget"]), int(row["width"]), int(row["seed"]))


def _write_rows(path: Path, rows: list[_Row]) -> None:
    """Write all rows, sorted, atomically (a temporary file, then a rename)."""
    ordered = sorted(rows, key=lambda r: (r["kind"] != "sweep", float(r["budget"]), int(r["width"])))
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_format_row(row) for row in ordered)
    os.replace(partial, path)


def _run_jobs(
    jobs: list[tuple[str, float, int, int, int, float]],
    path: Path,
    rows: list[_Row],
    workers: int,
    progress: bool,
) -> None:
    """Run `jobs` on `workers` spawned processes, saving `rows` to `path` after each finished run."""
    from tqdm.auto import tqdm

    if not jobs:
        return
    jobs = sorted(jobs, key=lambda job: -job[1])  # the longest runs first: better load balance
    bar = tqdm(total=len(jobs), unit="run", desc="sweep", disable=not progress, file=sys.stderr)
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(min(workers, len(jobs)), initializer=_worker_init)
    try:
        for row in pool.imap_unordered(_run_point, jobs):
            rows.append(row)
            _write_rows(path, rows)
            bar.set_postfix_str(f"last: width {row['width']}, loss {row['loss']:.4f}")
            bar.update()
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl-C or an error: every finished run is already on disk
        raise
    finally:
        pool.join()
        bar.close()


def run_sweep(
    budgets: Sequence[float],
    out: str | os.PathLike,
    *,
    widths: Sequence[int] | None = None,
    seed: int = SEED,
    workers: int = 2,
    predict: float | None = None,
    progress: bool = True,
) -> SweepRuns:
    """Run an IsoFLOP sweep (every width at every budget) into the CSV file `out`, resumably.

    Runs already in `out` (same kind, budget, width and seed) are skipped, and every run
    is saved as soon as it finishes, so an interrupted sweep (Ctrl-C) loses only the runs
    in progress and continues where it stopped when started again. Each worker is a
    spawned process (not forked: a fork of a process whose BLAS already started threads
    can hang) with one BLAS thread that rebuilds the source from its constants, so losses
    do not depend on which worker ran what.

    With `predict` (a factor, at least 1), the sweep is then fitted with approach 3
    (`lib.fitting.fit_chinchilla`); the compute-optimal model for ``predict`` times the
    largest budget is chosen (the width nearest the fitted N_opt, ``D = C / (6 N)``), its
    loss predicted from the fitted law, and the run made and saved as kind ``prediction``.

    Parameters
    ----------
    budgets : sequence of float
        FLOP budgets (positive).
    out : path
        CSV file to create or resume.
    widths : sequence of int, optional
        Model widths trained at every budget; default: the `window` of each budget.
    seed : int, optional
        Seed of every run.
    workers : int, optional
        Worker processes (default 2).
    predict : float, optional
        Factor for the predict-then-run check (default: no check).
    progress : bool, optional
        Show a tqdm progress bar on stderr.

    Returns
    -------
    SweepRuns
        Every row of `out` after the sweep.

    Raises
    ------
    ValueError
        For bad arguments, or if `out` exists but is not a sweep CSV of the lab, or holds
        rows made with another seed.
    """
    path = Path(out)
    workers = _validate.integer(workers, "workers")
    seed = _validate.integer(seed, "seed", 0)
    plan = sweep_plan(budgets, widths)
    if predict is not None:
        predict = _validate.scalar(predict, "predict", _validate.positive)
        if predict < 1:
            raise ValueError(f"predict must be a factor of at least 1, got {predict}")
    rows = _read_rows(path) if path.exists() else []
    foreign = {int(row["seed"]) for row in rows} - {seed}
    if foreign:
        raise ValueError(
            f"{path} holds runs made with seed {sorted(foreign)}, not {seed}; choose another file"
        )
    done = {_key(row) for row in rows}
    jobs = [
        ("sweep", p.budget, p.width, p.D, seed, math.nan)
        for p in plan
        if ("sweep", p.budget, p.width, seed) not in done
    ]
    _run_jobs(jobs, path, rows, workers, progress)
    if predict is not None:
        job = _prediction_job(rows, budgets, predict, seed)
        if ("prediction", job[1], job[2], seed) not in done:
            _run_jobs([job], path, rows, 1, progress)
    if not path.exists():
        _write_rows(path, rows)
    return load_sweep(path)


def _prediction_job(
    rows: list[_Row], budgets: Sequence[float], factor: float, seed: int
) -> tuple[str, float, int, int, int, float]:
    """Fit the sweep at `budgets` (approach 3); plan the compute-optimal run at `factor` x the largest."""
    from lib.fitting import fit_chinchilla

    wanted = {float(C) for C in budgets}
    sweep = [r for r in rows if r["kind"] == "sweep" and float(r["budget"]) in wanted]
    N, D, loss = (np.array([r[name] for r in sweep], dtype=float) for name in ("N", "D", "loss"))
    law = fit_chinchilla(N, D, loss).law
    budget = factor * max(wanted)
    width = width_for_params(float(law.optimal_allocation(budget)[0]))
    N_run = n_params(width)
    tokens = max(1, round(budget / (6 * N_run)))
    return ("prediction", budget, width, tokens, seed, float(law.loss(N_run, tokens)))
