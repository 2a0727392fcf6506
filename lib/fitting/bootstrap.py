"""Bootstrap intervals for approach 3: refits of runs resampled with replacement.

References
----------
Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt",
arXiv:2404.10102, §3 (bootstrap intervals; the original ones were implausibly narrow).
Hoffmann et al. 2022, Table 2 (10th-90th percentiles).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import _validate
from lib.fitting.approach3 import ChinchillaFit, _determined, _polish, _result, _search
from lib.fitting.objective import _N_PARAMS, PARAMETER_NAMES, HuberObjective, _delta, _runs, one_blas_thread

__all__ = ["Interval", "AllocationInterval", "BootstrapResult", "bootstrap_chinchilla"]


@dataclass(frozen=True)
class Interval:
    """A point estimate with a percentile interval.

    Attributes
    ----------
    estimate : float
        The value from the fit to all runs.
    low, high : float
        Percentiles ``(1 - level) / 2`` and ``(1 + level) / 2`` of the bootstrap samples.
    level : float
        Coverage, e.g. 0.8 for the 10th-90th percentiles Hoffmann et al. report.
    """

    estimate: float
    low: float
    high: float
    level: float

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low


@dataclass(frozen=True)
class AllocationInterval:
    """Compute-optimal allocation at one budget, with bootstrap intervals.

    Attributes
    ----------
    C : float
        The budget in FLOPs.
    N_opt, D_opt : Interval
        Parameters and tokens with ``6 N D = C``.
    tokens_per_parameter : Interval
        ``D_opt / N_opt``.
    """

    C: float
    N_opt: Interval
    D_opt: Interval
    tokens_per_parameter: Interval


def _allocation(samples: NDArray, C: float) -> tuple[NDArray, NDArray]:
    """``ChinchillaLaw.optimal_allocation`` for many laws at once (rows E, A, B, alpha, beta)."""
    _, A, B, alpha, beta = samples.T
    with np.errstate(all="ignore"):  # degenerate resamples give NaN, not warnings
        G = (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))
        N_opt = G * (C / 6.0) ** (beta / (alpha + beta))
        return N_opt, C / (6.0 * N_opt)


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Refits of approach 3 on runs resampled with replacement.

    Attributes
    ----------
    fit : ChinchillaFit
        The fit to all runs, the point estimate.
    samples : ndarray
        Shape ``(n_resamples, 5)``, columns `PARAMETER_NAMES` (E, A, B, alpha, beta).
    objectives : ndarray
        The objective of each refit.
    indices : ndarray
        Shape ``(n_resamples, n_runs)``: the runs drawn for each resample.
    seed : int
        Seed of ``numpy.random.default_rng`` that drew `indices`.
    """

    fit: ChinchillaFit
    samples: NDArray[np.float64]
    objectives: NDArray[np.float64]
    indices: NDArray[np.int64]
    seed: int

    @property
    def n_resamples(self) -> int:
        """Number of refits."""
        return int(self.samples.shape[0])

    def values(self, name: str) -> NDArray[np.float64]:
        """Bootstrap samples of one quantity.

        `name` is one of `PARAMETER_NAMES`, or ``"a"`` / ``"b"`` for the allocation
        exponents ``beta / (alpha + beta)`` and ``alpha / (alpha + beta)``
        (N_opt ∝ C**a, D_opt ∝ C**b).
        """
        if name in PARAMETER_NAMES:
            return self.samples[:, PARAMETER_NAMES.index(name)]
        alpha, beta = self.samples[:, 3], self.samples[:, 4]
        if name == "a":
            return beta / (alpha + beta)
        if name == "b":
            return alpha / (alpha + beta)
        raise ValueError(f"name must be one of {[*PARAMETER_NAMES, 'a', 'b']}, got {name!r}")

    def _estimate(self, name: str) -> float:
        law = self.fit.law
        if name in PARAMETER_NAMES:
            return float(getattr(law, name))
        return float(law.exponents[0] if name == "a" else law.exponents[1])

    def interval(self, name: str, level: float = 0.8) -> Interval:
        """Percentile interval of one quantity (see `values` for the names).

        Examples
        --------
        >>> from lib.datasets import chinchilla_fig4
        >>> runs = chinchilla_fig4(drop_highest=5)
        >>> boot = bootstrap_chinchilla(runs.N, runs.D, runs.loss, n_resamples=20, seed=1)
        >>> ci = boot.interval("a")
        >>> ci.low < ci.estimate < ci.high
        True
        """
        return _interval(self._estimate(name), self.values(name), level)

    def intervals(self, level: float = 0.8) -> dict[str, Interval]:
        """Intervals for E, A, B, alpha, beta and the exponents a and b."""
        return {name: self.interval(name, level) for name in (*PARAMETER_NAMES, "a", "b")}

    def allocation_ci(self, C: float, level: float = 0.8) -> AllocationInterval:
        """The compute-optimal N and D at budget `C` FLOPs, with percentile intervals.

        Each resample's law gives its own ``N_opt = G (C/6)**a`` (Hoffmann et al. 2022,
        §3.3); the estimate is the fit to all runs.
        """
        C = _validate.scalar(C, "C", _validate.positive)
        N_value, D_value = self.fit.law.optimal_allocation(C)
        N_opt, D_opt = float(N_value), float(D_value)  # floats: C is a single number
        N_samples, D_samples = _allocation(self.samples, C)
        return AllocationInterval(
            C=C,
            N_opt=_interval(N_opt, N_samples, level),
            D_opt=_interval(D_opt, D_samples, level),
            tokens_per_parameter=_interval(D_opt / N_opt, D_samples / N_samples, level),
        )


def _interval(estimate: float, samples: NDArray, level: float) -> Interval:
    level = _validate.scalar(level, "level", _validate.positive)
    if not level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        raise ValueError("no finite bootstrap samples")
    low, high = np.percentile(samples, [50 * (1 - level), 50 * (1 + level)])
    return Interval(estimate=float(estimate), low=float(low), high=float(high), level=level)


def _refit_many(
    log_N: NDArray, log_D: NDArray, log_L: NDArray, delta: float, starts: NDArray, indices: NDArray
) -> tuple[NDArray, NDArray]:
    """Refit each row of `indices` from every start; best ``(a, b, e, alpha, beta)`` and objective.

    Module-level and built only from its arguments, so process pools (spawn) can run it.
    """
    params = np.empty((indices.shape[0], _N_PARAMS))
    objectives = np.empty(indices.shape[0])
    with one_blas_thread():
        for row, sample in enumerate(indices):
            problem = HuberObjective(log_N[sample], log_D[sample], log_L[sample], delta)
            optima = [_polish(problem, problem.from_paper(start), newton=False) for start in starts]
            best = min(optima, key=lambda o: o.objective)
            best = _polish(problem, best.t)  # Newton-settle the winner only
            params[row], objectives[row] = problem.to_paper(best.t), best.objective
    return params, objectives


def bootstrap_chinchilla(
    N: ArrayLike,
    D: ArrayLike,
    loss: ArrayLike,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    delta: float = 1e-3,
    workers: int = 1,
) -> BootstrapResult:
    """Bootstrap approach 3: refit runs resampled with replacement, for confidence intervals.

    All resamples are drawn first, ``numpy.random.default_rng(seed).integers(0, n,
    size=(n_resamples, n))``, so the result depends only on the data and `seed`, not
    on `workers`. Each resample is refitted from the full-data optimum (a warm start:
    a resample's optimum lies close to it) and from the other distinct optima
    `fit_chinchilla` found on all runs, in case a resample tips the balance between
    basins; the best is settled with Newton steps. That costs a few milliseconds per
    resample instead of a full search.

    Parameters
    ----------
    N, D, loss : array_like
        As in `fit_chinchilla`.
    n_resamples : int, optional
        Number of resamples (default 1000; the replication used 4000).
    seed : int, optional
        Seed of NumPy's default generator (default 0).
    delta : float, optional
        Huber threshold, default 1e-3.
    workers : int, optional
        Processes to use (default 1, in this process). More use a process pool with the
        spawn start method; each worker rebuilds its problem from its arguments.

    Returns
    -------
    BootstrapResult
        Samples of E, A, B, alpha, beta with percentile intervals (``.interval``) and
        the implied compute-optimal allocation (``.allocation_ci``).

    References
    ----------
    Besiroglu et al. 2024, §3 (bootstrap intervals; the original ones were implausibly
    narrow); Hoffmann et al. 2022, Table 2 (10th-90th percentiles).

    Examples
    --------
    >>> from lib.datasets import chinchilla_fig4
    >>> runs = chinchilla_fig4(drop_highest=5)
    >>> boot = bootstrap_chinchilla(runs.N, runs.D, runs.loss, n_resamples=10, seed=0)
    >>> boot.samples.shape
    (10, 5)
    """
    N, D, loss = _runs(N, D, loss)
    delta = _delta(delta)
    n_resamples = _validate.integer(n_resamples, "n_resamples")
    seed = _validate.integer(seed, "seed", 0)
    workers = _validate.integer(workers, "workers")
    log_N, log_D, log_L = np.log(N), np.log(D), np.log(loss)
    problem = HuberObjective(log_N, log_D, log_L, delta)
    with one_blas_thread():
        optima, n_starts, iterations = _search(problem)
    fit = _determined(_result(problem, optima[0], n_starts, iterations, N.size), N, D, loss)
    starts = np.array([problem.to_paper(o.t) for o in optima[:3]])

    indices = np.random.default_rng(seed).integers(0, N.size, size=(n_resamples, N.size))
    if workers == 1:
        params, objectives = _refit_many(log_N, log_D, log_L, delta, starts, indices)
    else:
        chunks = np.array_split(indices, min(workers, n_resamples))
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            futures = [
                pool.submit(_refit_many, log_N, log_D, log_L, delta, starts, chunk) for chunk in chunks
            ]
            parts = [future.result() for future in futures]
        params = np.concatenate([part[0] for part in parts])
        objectives = np.concatenate([part[1] for part in parts])

    a, b, e, alpha, beta = params.T
    samples = np.column_stack([np.exp(e), np.exp(a), np.exp(b), alpha, beta])
    for array in (samples, objectives, indices):
        array.setflags(write=False)
    return BootstrapResult(fit=fit, samples=samples, objectives=objectives, indices=indices, seed=seed)
