"""Fitting compute-optimal scaling laws: Hoffmann et al.'s three approaches, made reliable.

- ``fit_chinchilla`` is approach 3, the parametric fit of ``L(N, D) = E + A / N**alpha
  + B / D**beta``: the Huber loss (delta = 1e-3) of log-loss residuals, minimised with
  L-BFGS. It reaches the global optimum of that objective in well under a second;
  ``fit_chinchilla_grid`` is the paper's own procedure (L-BFGS from a grid of 4,500
  starts), kept as the reference it is checked against.
- ``bootstrap_chinchilla`` refits resampled runs, for the confidence intervals the
  replication of Besiroglu et al. (2024) reports.
- ``approach1_envelope`` (lowest loss per compute bin) and ``approach2_isoflop``
  (parabolas through IsoFLOP profiles) take plain arrays, so they work on any runs.

All functions take N in parameters, D in tokens, C in FLOPs and losses in nats/token.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556:
§3.1 (approach 1), §3.2 (approach 2), §3.3 and App. D.2 (approach 3: objective, grid of
starts), Table 2 (the exponents of the three approaches).
Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt",
arXiv:2404.10102 (the refit of approach 3 on the runs of Fig. 4, bootstrap intervals).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.laws import ChinchillaLaw
from lib.powerlaw import PowerLaw, fit_power_law

__all__ = [
    "PARAMETER_NAMES",
    "ChinchillaFit",
    "Interval",
    "AllocationInterval",
    "BootstrapResult",
    "EnvelopeFit",
    "IsoFlopProfile",
    "IsoFlopFit",
    "chinchilla_objective",
    "fit_chinchilla",
    "paper_grid",
    "fit_chinchilla_grid",
    "bootstrap_chinchilla",
    "approach1_envelope",
    "approach2_isoflop",
    "isoflop_groups",
]

PARAMETER_NAMES = ("E", "A", "B", "alpha", "beta")
"""Column order of bootstrap samples: the fields of ``lib.laws.ChinchillaLaw``."""

_N_PARAMS = 5
# Exponents tried for alpha and beta in the profile scan: geometric, dense where
# measured exponents live (0.05-1) and reaching past the paper's largest start (2).
_SCAN_EXPONENTS = np.geomspace(0.02, 3.0, 18)
_SCAN_STEPS = 5  # Gauss-Newton steps on (a, b, e) per exponent pair
_POLISHED = 5  # scan minima polished with L-BFGS
_LBFGS_TIGHT = {"maxiter": 2000, "maxcor": 10, "ftol": 1e-15, "gtol": 1e-10}
_NEWTON = {"maxiter": 100, "gtol": 1e-12}
_CONVERGED_GRADIENT = 1e-8  # largest |d objective / d parameter| (internal coordinates)


# ---------------------------------------------------------------------------------------
# One BLAS thread while optimising
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Run the block with one BLAS thread, then restore the previous setting.

    SciPy's L-BFGS-B (C since 1.15) calls BLAS on tiny arrays; with OpenBLAS's thread pool
    and other busy processes (parallel tests, notebooks) each call can stall, making a fit
    100 times slower (scipy/scipy#22438, OpenMathLib/OpenBLAS#5383). threadpoolctl finds
    the BLAS libraries actually loaded (NumPy's, SciPy's) on every platform.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# ---------------------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------------------


class _Objective:
    """The Huber objective of App. D.2 in centred, scaled coordinates, with derivatives.

    The paper's parameters are ``(a, b, e, alpha, beta)`` with ``A = exp(a)``,
    ``B = exp(b)``, ``E = exp(e)`` and the log-loss prediction
    ``LSE(a - alpha log N, b - beta log D, e)``. Internally the first term is written
    ``u1 - p * xi`` with ``xi = (log N - mean) / std``, ``p = alpha * std`` and
    ``u1 = a - alpha * mean`` (the same for the data term): a linear change of
    variables, so minima and objective values are unchanged, but ``a`` and ``alpha``
    are no longer almost collinear and L-BFGS converges far better.
    """

    def __init__(
        self, log_N: NDArray, log_D: NDArray, log_L: NDArray, delta: float, *, centred: bool = True
    ) -> None:
        self.delta = delta
        self.log_L = log_L
        if centred:
            self.shift = np.array([log_N.mean(), log_D.mean()])
            self.scale = np.array([max(log_N.std(), 1e-12), max(log_D.std(), 1e-12)])
        else:
            self.shift, self.scale = np.zeros(2), np.ones(2)
        self.xi = (log_N - self.shift[0]) / self.scale[0]
        self.eta = (log_D - self.shift[1]) / self.scale[1]

    def to_paper(self, t: NDArray) -> NDArray:
        """Internal coordinates -> ``(a, b, e, alpha, beta)``."""
        alpha, beta = t[3] / self.scale[0], t[4] / self.scale[1]
        return np.array([t[0] + alpha * self.shift[0], t[1] + beta * self.shift[1], t[2], alpha, beta])

    def from_paper(self, params: ArrayLike) -> NDArray:
        """``(a, b, e, alpha, beta)`` -> internal coordinates."""
        a, b, e, alpha, beta = np.asarray(params, dtype=float)
        return np.array(
            [
                a - alpha * self.shift[0],
                b - beta * self.shift[1],
                e,
                alpha * self.scale[0],
                beta * self.scale[1],
            ]
        )

    def _terms(self, t: NDArray) -> tuple[NDArray, NDArray, NDArray, NDArray]:
        z1 = t[0] - t[3] * self.xi
        z2 = t[1] - t[4] * self.eta
        top = np.maximum(np.maximum(z1, z2), t[2])
        e1, e2, e3 = np.exp(z1 - top), np.exp(z2 - top), np.exp(t[2] - top)
        total = e1 + e2 + e3
        residual = top + np.log(total) - self.log_L
        return residual, e1 / total, e2 / total, e3 / total

    def value(self, t: NDArray) -> float:
        return float(_huber(self._terms(t)[0], self.delta).sum())

    def value_and_gradient(self, t: NDArray) -> tuple[float, NDArray]:
        residual, w1, w2, w3 = self._terms(t)
        psi = np.clip(residual, -self.delta, self.delta)  # Huber'(r)
        g1, g2 = psi * w1, psi * w2
        gradient = np.array([g1.sum(), g2.sum(), psi @ w3, -(g1 @ self.xi), -(g2 @ self.eta)])
        return float(_huber(residual, self.delta).sum()), gradient

    def hessian(self, t: NDArray) -> NDArray:
        """Exact Hessian (the Huber loss is piecewise quadratic, so it jumps at |r| = delta)."""
        residual, w1, w2, w3 = self._terms(t)
        psi = np.clip(residual, -self.delta, self.delta)
        curvature = (np.abs(residual) <= self.delta).astype(float)
        G = np.column_stack([w1, w2, w3, -w1 * self.xi, -w2 * self.eta])  # d residual / d t
        # sum_i curvature_i g_i g_i^T + psi_i * Hessian(LSE_i), Hessian(LSE) = J^T (diag w - w w^T) J
        H = (G * (curvature - psi)[:, None]).T @ G
        p1, p2 = psi * w1, psi * w2
        H[0, 0] += p1.sum()
        H[1, 1] += p2.sum()
        H[2, 2] += psi @ w3
        H[3, 3] += p1 @ self.xi**2
        H[4, 4] += p2 @ self.eta**2
        H[0, 3] -= p1 @ self.xi
        H[3, 0] -= p1 @ self.xi
        H[1, 4] -= p2 @ self.eta
        H[4, 1] -= p2 @ self.eta
        return H


def _huber(r: NDArray, delta: float) -> NDArray:
    """``r**2 / 2`` for ``|r| <= delta``, else ``delta * (|r| - delta / 2)``."""
    size = np.abs(r)
    return np.where(size <= delta, 0.5 * r * r, delta * (size - 0.5 * delta))


def _runs(N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    N = _validate.positive(N, "N")
    D = _validate.positive(D, "D")
    loss = _validate.positive(loss, "loss")
    _validate.same_shape(N=N, D=D, loss=loss)
    if N.ndim != 1:
        raise ValueError(f"N, D and loss must be 1-d arrays, got shape {N.shape}")
    if N.size < _N_PARAMS:
        raise ValueError(f"need at least {_N_PARAMS} runs to fit 5 parameters, got {N.size}")
    for name, values in (("N", N), ("D", D)):
        if np.unique(values).size < 2:
            raise ValueError(f"{name} must contain at least 2 distinct values")
    return N, D, loss


def _delta(delta: float) -> float:
    return _validate.scalar(delta, "delta", _validate.positive)


def chinchilla_objective(
    law: ChinchillaLaw, N: ArrayLike, D: ArrayLike, loss: ArrayLike, *, delta: float = 1e-3
) -> float:
    """The objective approach 3 minimises, evaluated for `law` on runs ``(N, D, loss)``.

    ``sum_i Huber_delta(log L_hat(N_i, D_i) - log loss_i)``: a sum, not a mean, as in the
    paper and the replication, so values are comparable with theirs.

    Parameters
    ----------
    law : ChinchillaLaw
        Constants to evaluate.
    N, D, loss : array_like
        Parameters, tokens and final losses (nats/token) of the runs; positive 1-d arrays
        of equal length, at least 5 runs.
    delta : float, optional
        Huber threshold on log-loss residuals; 1e-3 as in the paper.

    Returns
    -------
    float
        The objective (dimensionless; lower is better).

    References
    ----------
    Hoffmann et al. 2022, §3.3 eq. (2) and App. D.2.

    Examples
    --------
    >>> from lib.laws import LECTURE_TOY
    >>> N, D = [1e8, 1e9, 1e9, 1e10, 1e10], [1e9, 1e9, 1e10, 1e10, 1e11]
    >>> chinchilla_objective(LECTURE_TOY, N, D, LECTURE_TOY.loss(N, D)) < 1e-20
    True
    >>> round(chinchilla_objective(LECTURE_TOY, N, D, [3.0, 2.8, 2.5, 2.3, 2.1]), 4)
    0.0048
    """
    N, D, loss = _runs(N, D, loss)
    problem = _Objective(np.log(N), np.log(D), np.log(loss), _delta(delta), centred=False)
    params = np.array([np.log(law.A), np.log(law.B), np.log(law.E), law.alpha, law.beta])
    return problem.value(params)


# ---------------------------------------------------------------------------------------
# Approach 3: the parametric fit
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChinchillaFit:
    """The result of fitting ``L(N, D) = E + A / N**alpha + B / D**beta`` (approach 3).

    Attributes
    ----------
    law : ChinchillaLaw
        The fitted law (``source`` is ``""``).
    params : tuple of float
        The optimum in the paper's coordinates ``(a, b, e, alpha, beta)``:
        ``A = exp(a)``, ``B = exp(b)``, ``E = exp(e)``.
    objective : float
        The Huber objective at the optimum (see `chinchilla_objective`).
    converged : bool
        True when the optimiser reported success and the largest partial derivative
        of the objective (in the optimiser's scaled coordinates) is below 1e-8.
    gradient_norm : float
        That largest partial derivative.
    n_starts : int
        How many starting points were polished with L-BFGS.
    n_iterations : int
        L-BFGS and Newton iterations, summed over the starts.
    n_runs : int
        Runs fitted.
    delta : float
        Huber threshold used.
    """

    law: ChinchillaLaw
    params: tuple[float, float, float, float, float]
    objective: float
    converged: bool
    gradient_norm: float
    n_starts: int
    n_iterations: int
    n_runs: int
    delta: float


@dataclass(frozen=True)
class _Optimum:
    t: NDArray  # internal coordinates
    objective: float
    gradient_norm: float
    success: bool
    iterations: int


def _polish(problem: _Objective, start: NDArray, *, newton: bool = True) -> _Optimum:
    """L-BFGS-B (analytic gradient, tight tolerances), then a few exact-Newton steps."""
    result = optimize.minimize(
        problem.value_and_gradient, start, jac=True, method="L-BFGS-B", options=_LBFGS_TIGHT
    )
    t, value, success, iterations = result.x, float(result.fun), bool(result.success), int(result.nit)
    if newton and np.all(np.isfinite(t)):
        # Near the optimum only a handful of residuals sit inside |r| <= delta; the objective
        # is piecewise smooth there and Newton's method settles it to machine precision.
        refined = optimize.minimize(
            problem.value_and_gradient,
            t,
            jac=True,
            hess=problem.hessian,
            method="trust-exact",
            options=_NEWTON,
        )
        iterations += int(refined.nit)
        if np.isfinite(refined.fun) and refined.fun <= value:
            t, value = refined.x, float(refined.fun)
            success = success or bool(refined.success)
    gradient = problem.value_and_gradient(t)[1]
    return _Optimum(t, value, float(np.max(np.abs(gradient))), success, iterations)


def _scan(problem: _Objective, exponents: NDArray) -> tuple[NDArray, NDArray]:
    """Profile scan: for every (alpha, beta) pair, good ``(a, b, e)`` and the objective there.

    For fixed exponents the prediction ``A u + B v + E`` (``u = N**-alpha``,
    ``v = D**-beta``) is linear in ``(A, B, E)``: a weighted least-squares fit in loss
    space gives a start, then a few Gauss-Newton steps on the Huber objective itself
    (iteratively reweighted, weights ``min(1, delta / |r|)``) move ``(a, b, e)`` towards
    its optimum. All pairs are done at once with array operations.

    Returns the objective per pair, shape ``(k, k)``, and the internal coordinates per
    pair, shape ``(k, k, 5)``.
    """
    k = exponents.size
    p = np.repeat(exponents * problem.scale[0], k)  # alpha varies along axis 0
    q = np.tile(exponents * problem.scale[1], k)
    U = np.exp(-np.outer(exponents * problem.scale[0], problem.xi))  # (k, runs): N**-alpha, up to a constant
    V = np.exp(-np.outer(exponents * problem.scale[1], problem.eta))
    loss = np.exp(problem.log_L)
    w = 1.0 / loss**2  # relative errors, as log residuals would be
    normal = np.empty((k, k, 3, 3))
    normal[..., 0, 0] = (U**2 @ w)[:, None]
    normal[..., 1, 1] = (V**2 @ w)[None, :]
    normal[..., 2, 2] = w.sum()
    normal[..., 0, 1] = normal[..., 1, 0] = (U * w) @ V.T
    normal[..., 0, 2] = normal[..., 2, 0] = (U @ w)[:, None]
    normal[..., 1, 2] = normal[..., 2, 1] = (V @ w)[None, :]
    rhs = np.empty((k, k, 3))
    rhs[..., 0] = (U @ (w * loss))[:, None]
    rhs[..., 1] = (V @ (w * loss))[None, :]
    rhs[..., 2] = w @ loss
    normal, rhs = normal.reshape(-1, 3, 3), rhs.reshape(-1, 3)
    ridge = 1e-12 * np.trace(normal, axis1=1, axis2=2)[:, None, None] * np.eye(3)
    coefficients = np.linalg.solve(normal + ridge, rhs[..., None])[..., 0]
    logs = np.log(np.maximum(coefficients, 1e-3 * loss.min()))  # (pairs, 3): u1, u2, e

    best_value = np.full(p.size, np.inf)
    best_logs = logs.copy()
    for step in range(_SCAN_STEPS + 1):
        z1 = logs[:, :1] - p[:, None] * problem.xi
        z2 = logs[:, 1:2] - q[:, None] * problem.eta
        z3 = logs[:, 2:3]
        top = np.maximum(np.maximum(z1, z2), z3)
        e1, e2, e3 = np.exp(z1 - top), np.exp(z2 - top), np.exp(z3 - top)
        total = e1 + e2 + e3
        residual = top + np.log(total) - problem.log_L
        value = _huber(residual, problem.delta).sum(axis=1)
        better = value < best_value
        best_value[better], best_logs[better] = value[better], logs[better]
        if step == _SCAN_STEPS:
            break
        # Gauss-Newton step for the reweighted least squares; d residual / d (u1, u2, e) = softmax
        weight = np.minimum(1.0, problem.delta / np.maximum(np.abs(residual), 1e-300)) / total**2
        jac = (e1, e2, e3)
        lhs = np.empty((p.size, 3, 3))
        for i, j in itertools.combinations_with_replacement(range(3), 2):
            lhs[:, i, j] = lhs[:, j, i] = (weight * jac[i] * jac[j]).sum(axis=1)
        lhs += (1e-12 * np.trace(lhs, axis1=1, axis2=2)[:, None, None] + 1e-300) * np.eye(3)
        grad = np.column_stack([(weight * total * residual * g).sum(axis=1) for g in jac])
        logs = logs - np.linalg.solve(lhs, grad[..., None])[..., 0]
    points = np.column_stack([best_logs[:, 0], best_logs[:, 1], best_logs[:, 2], p, q])
    best_value[~np.isfinite(best_value)] = np.inf
    return best_value.reshape(k, k), points.reshape(k, k, _N_PARAMS)


def _scan_minima(values: NDArray, points: NDArray, count: int) -> list[NDArray]:
    """The `count` lowest local minima of the scan (each no higher than its 8 neighbours)."""
    padded = np.pad(values, 1, constant_values=np.inf)
    k1, k2 = values.shape
    neighbours = np.stack(
        [padded[1 + di : 1 + di + k1, 1 + dj : 1 + dj + k2] for di in (-1, 0, 1) for dj in (-1, 0, 1)]
    )
    is_minimum = (values <= neighbours.min(axis=0)) & np.isfinite(values)
    order = np.argsort(np.where(is_minimum, values, np.inf), axis=None)[:count]
    return [points.reshape(-1, _N_PARAMS)[i] for i in order if is_minimum.flat[i]]


def _distinct(optima: list[_Optimum], tolerance: float = 1e-4) -> list[_Optimum]:
    """Optima sorted by objective, dropping any within `tolerance` of a better one."""
    kept: list[_Optimum] = []
    for optimum in sorted(optima, key=lambda o: o.objective):
        # the same point, or the same value (a flat direction, e.g. E -> 0, is one basin)
        if all(
            np.max(np.abs(optimum.t - other.t)) > tolerance
            and abs(optimum.objective - other.objective) > 1e-9 * abs(other.objective)
            for other in kept
        ):
            kept.append(optimum)
    return kept


def _search(problem: _Objective) -> tuple[list[_Optimum], int, int]:
    """Scan, polish the best scan minima: distinct optima (best first), starts, iterations."""
    with np.errstate(all="ignore"):  # pairs that overflow score inf and are skipped
        values, points = _scan(problem, _SCAN_EXPONENTS)
    starts = _scan_minima(values, points, _POLISHED)
    if not starts:  # every scanned pair overflowed: start from the middle of the scan
        k = _SCAN_EXPONENTS.size
        starts = [points[k // 2, k // 2]]
    optima = [_polish(problem, start) for start in starts]
    return _distinct(optima), len(starts), sum(o.iterations for o in optima)


def _law(params: NDArray) -> ChinchillaLaw:
    a, b, e, alpha, beta = (float(x) for x in params)
    with np.errstate(over="ignore", under="ignore"):
        E, A, B = float(np.exp(e)), float(np.exp(a)), float(np.exp(b))
    constants = {"E": E, "A": A, "B": B, "alpha": alpha, "beta": beta}
    if not all(np.isfinite(x) and x > 0 for x in constants.values()):
        described = ", ".join(f"{name} = {value:.3g}" for name, value in constants.items())
        raise ValueError(
            f"the best fit is degenerate ({described}): these runs do not determine a Chinchilla "
            "law with positive constants"
        )
    return ChinchillaLaw(**constants)


def _result(
    problem: _Objective, best: _Optimum, n_starts: int, iterations: int, n_runs: int
) -> ChinchillaFit:
    params = problem.to_paper(best.t)
    return ChinchillaFit(
        law=_law(params),
        params=tuple(float(x) for x in params),
        objective=best.objective,
        converged=bool(best.success and best.gradient_norm <= _CONVERGED_GRADIENT),
        gradient_norm=best.gradient_norm,
        n_starts=n_starts,
        n_iterations=iterations,
        n_runs=n_runs,
        delta=problem.delta,
    )


def fit_chinchilla(N: ArrayLike, D: ArrayLike, loss: ArrayLike, *, delta: float = 1e-3) -> ChinchillaFit:
    """Fit ``L = E + A / N**alpha + B / D**beta`` by approach 3, to its global optimum.

    The objective is the paper's: the sum over runs of ``Huber_delta(LSE(a - alpha log N,
    b - beta log D, e) - log L)`` with ``A = exp(a)``, ``B = exp(b)``, ``E = exp(e)``,
    minimised with L-BFGS and analytic gradients. It has several basins, and with
    delta = 1e-3 it is almost an absolute-value loss, whose kinks stall L-BFGS: from a
    single default start L-BFGS often stops early or in the wrong basin, which is why
    the paper runs it from 4,500 starts. This function gets the same answer from a
    handful:

    1. *Reduce.* For fixed exponents ``(alpha, beta)`` the prediction ``A N**-alpha +
       B D**-beta + E`` is linear in ``(A, B, E)``. On a geometric grid of 18 x 18
       exponent pairs (0.02 to 3) the remaining three parameters are set by weighted
       least squares in loss space, improved by five Gauss-Newton steps on the Huber
       objective itself, all pairs at once in array arithmetic. This maps the objective
       over the only directions where its basins differ.
    2. *Polish.* The lowest five local minima of that map start L-BFGS-B (scipy, analytic
       gradient, tight tolerances), in centred and scaled coordinates (``log N`` and
       ``log D`` standardised: the same minima, but ``a`` and ``alpha`` are no longer
       nearly collinear). A few exact-Newton steps (``trust-exact``, analytic Hessian)
       then settle each optimum to machine precision.
    3. The lowest objective wins.

    On the 240 runs of the replication this takes about 0.02 s and matches the best of
    the paper's 4,500-start grid (``tests/bench/bench_fitting.py``); the tests check it
    against exhaustive grids on synthetic data.

    Parameters
    ----------
    N : array_like
        Model sizes in parameters.
    D : array_like
        Training tokens.
    loss : array_like
        Final losses in nats/token. `N`, `D` and `loss` are positive, finite 1-d arrays
        of the same length, at least 5 runs (one per parameter), with at least two
        distinct values of `N` and of `D`.
    delta : float, optional
        Huber threshold on log-loss residuals, default 1e-3 as in the paper.

    Returns
    -------
    ChinchillaFit
        The law, the optimum ``(a, b, e, alpha, beta)``, the objective and convergence
        information.

    Raises
    ------
    ValueError
        For bad input (the message names the argument), or if the best fit is
        degenerate (a non-positive exponent, or a term that vanishes), so the runs
        determine no Chinchilla law.

    References
    ----------
    Hoffmann et al. 2022, §3.3 eq. (2) and App. D.2 (objective, delta, L-BFGS, grid);
    Besiroglu et al. 2024 (the refit on the extracted runs).

    Examples
    --------
    >>> from lib.laws import EPOCH_REPLICATION as law
    >>> N, D = np.meshgrid(np.geomspace(1e8, 1e10, 4), np.geomspace(1e9, 1e11, 4))
    >>> fit = fit_chinchilla(N.ravel(), D.ravel(), law.loss(N.ravel(), D.ravel()))
    >>> round(fit.law.E, 3), round(fit.law.alpha, 4), round(fit.law.beta, 4), fit.converged
    (1.817, 0.3478, 0.3658, True)
    """
    N, D, loss = _runs(N, D, loss)
    problem = _Objective(np.log(N), np.log(D), np.log(loss), _delta(delta))
    with _one_blas_thread():
        optima, n_starts, iterations = _search(problem)
    return _result(problem, optima[0], n_starts, iterations, N.size)


def paper_grid() -> NDArray[np.float64]:
    """The 4,500 starts of App. D.2 as rows ``(a, b, e, alpha, beta)``.

    ``alpha, beta`` in {0, 0.5, ..., 2}, ``e`` in {-1, -0.5, ..., 1}, ``a, b`` in
    {0, 5, ..., 25}: 5 x 5 x 5 x 6 x 6 starts.

    Returns
    -------
    ndarray
        Shape ``(4500, 5)``.

    References
    ----------
    Hoffmann et al. 2022, App. D.2.

    Examples
    --------
    >>> paper_grid().shape
    (4500, 5)
    """
    exponents = np.arange(0.0, 2.5, 0.5)
    e = np.arange(-1.0, 1.5, 0.5)
    ab = np.arange(0.0, 30.0, 5.0)
    grid = [
        (a, b, e_, alpha, beta)
        for alpha, beta, e_, a, b in itertools.product(exponents, exponents, e, ab, ab)
    ]
    return np.array(grid, dtype=float)


def fit_chinchilla_grid(
    N: ArrayLike, D: ArrayLike, loss: ArrayLike, *, starts: ArrayLike | None = None, delta: float = 1e-3
) -> ChinchillaFit:
    """Approach 3 the paper's way: L-BFGS-B from every start of a grid; keep the best.

    Each start is minimised in the paper's coordinates ``(a, b, e, alpha, beta)`` with
    scipy's default L-BFGS-B settings and the analytic gradient. With the full grid of
    `paper_grid` this takes about 9 s on the 240 replication runs and about 20 s on a
    few dozen runs (from bad starts L-BFGS wanders for thousands of iterations), and
    only one or two starts in a hundred stop within 1e-6 of the optimum: scipy's default
    tolerances stop early on this nearly non-smooth objective. `fit_chinchilla` is the
    fast way to the same optimum; this function is the reference it is checked against.

    Parameters
    ----------
    N, D, loss : array_like
        As in `fit_chinchilla`.
    starts : array_like, optional
        Rows ``(a, b, e, alpha, beta)``; default `paper_grid()`.
    delta : float, optional
        Huber threshold, default 1e-3.

    Returns
    -------
    ChinchillaFit
        The best start's optimum; ``n_starts`` is the number of starts.

    References
    ----------
    Hoffmann et al. 2022, App. D.2.

    Examples
    --------
    >>> from lib.laws import EPOCH_REPLICATION as law
    >>> N, D = np.meshgrid(np.geomspace(1e8, 1e10, 4), np.geomspace(1e9, 1e11, 4))
    >>> fit = fit_chinchilla_grid(N.ravel(), D.ravel(), law.loss(N.ravel(), D.ravel()),
    ...                           starts=[[6.0, 7.5, 0.5, 0.3, 0.3]])
    >>> round(fit.law.E, 2), fit.n_starts
    (1.82, 1)
    """
    N, D, loss = _runs(N, D, loss)
    problem = _Objective(np.log(N), np.log(D), np.log(loss), _delta(delta), centred=False)
    starts = paper_grid() if starts is None else _validate.finite(starts, "starts")
    if starts.ndim != 2 or starts.shape[1] != _N_PARAMS or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (k, 5) with k >= 1, got {starts.shape}")
    best, iterations = None, 0
    with _one_blas_thread():
        for start in starts:
            result = optimize.minimize(problem.value_and_gradient, start, jac=True, method="L-BFGS-B")
            iterations += int(result.nit)
            if np.isfinite(result.fun) and (best is None or result.fun < best.objective):
                gradient_norm = float(np.max(np.abs(result.jac)))
                best = _Optimum(result.x, float(result.fun), gradient_norm, bool(result.success), 0)
    if best is None:
        raise ValueError("no start gave a finite objective")
    return _result(problem, best, starts.shape[0], iterations, N.size)


# ---------------------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------------------


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
        N_opt, D_opt = self.fit.law.optimal_allocation(C)
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
    with _one_blas_thread():
        for row, sample in enumerate(indices):
            problem = _Objective(log_N[sample], log_D[sample], log_L[sample], delta)
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
    for name, value, least in (("n_resamples", n_resamples, 1), ("seed", seed, 0), ("workers", workers, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    log_N, log_D, log_L = np.log(N), np.log(D), np.log(loss)
    problem = _Objective(log_N, log_D, log_L, delta)
    with _one_blas_thread():
        optima, n_starts, iterations = _search(problem)
    fit = _result(problem, optima[0], n_starts, iterations, N.size)
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


# ---------------------------------------------------------------------------------------
# Approaches 1 and 2
# ---------------------------------------------------------------------------------------


def _compute_runs(
    N: ArrayLike, C: ArrayLike, loss: ArrayLike, minimum: int
) -> tuple[NDArray, NDArray, NDArray]:
    N = _validate.positive(N, "N")
    C = _validate.positive(C, "C")
    loss = _validate.positive(loss, "loss")
    _validate.same_shape(N=N, C=C, loss=loss)
    if N.ndim != 1:
        raise ValueError(f"N, C and loss must be 1-d arrays, got shape {N.shape}")
    if N.size < minimum:
        raise ValueError(f"need at least {minimum} runs, got {N.size}")
    return N, C, loss


def _count(value: int, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    return int(value)


class _AllocationExponents:
    """The exponents of fitted ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` laws (``N_law``, ``D_law``)."""

    N_law: PowerLaw
    D_law: PowerLaw

    @property
    def a(self) -> float:
        """Exponent of ``N_opt ∝ C**a``."""
        return self.N_law.exponent

    @property
    def b(self) -> float:
        """Exponent of ``D_opt ∝ C**b`` (``1 - a`` when ``D_opt = C / (6 N_opt)``)."""
        return self.D_law.exponent


@dataclass(frozen=True, eq=False)
class EnvelopeFit(_AllocationExponents):
    """Approach 1: the compute-optimal runs along the lower envelope, and power laws through them.

    Attributes
    ----------
    C, N_opt, D_opt, loss_opt : ndarray
        For each non-empty compute bin, the run with the lowest loss: its FLOPs,
        parameters, tokens ``C / (6 N)`` and loss.
    N_law, D_law : PowerLaw
        ``N_opt = N_law.coefficient * C**a`` and ``D_opt = D_law.coefficient * C**b``.
    """

    C: NDArray[np.float64]
    N_opt: NDArray[np.float64]
    D_opt: NDArray[np.float64]
    loss_opt: NDArray[np.float64]
    N_law: PowerLaw
    D_law: PowerLaw


def approach1_envelope(N: ArrayLike, C: ArrayLike, loss: ArrayLike, *, n_bins: int = 15) -> EnvelopeFit:
    """Approach 1: for bins of compute, the lowest loss gives N_opt(C); fit power laws.

    Hoffmann et al. plot every training curve against FLOPs and take, at each FLOP
    count, the model with the lowest loss: the lower envelope of the curves. Given
    points ``(N, C, loss)`` (final losses of runs, or points along training curves),
    this splits ``log C`` into `n_bins` equal bins, keeps the lowest-loss point of each
    non-empty bin, and fits ``N_opt ∝ C**a`` and ``D_opt = C / (6 N_opt) ∝ C**b`` by
    least squares in log-log space (`lib.powerlaw.fit_power_law`).

    Parameters
    ----------
    N : array_like
        Parameters of each run.
    C : array_like
        Training FLOPs of each run (or point on a training curve).
    loss : array_like
        Loss in nats/token. Positive, finite 1-d arrays of the same length, at least 2.
    n_bins : int, optional
        Number of equal bins in ``log C`` (default 15); at least 2 must be non-empty.

    Returns
    -------
    EnvelopeFit
        The envelope points and the fitted power laws (``.a``, ``.b``).

    References
    ----------
    Hoffmann et al. 2022, §3.1 and Fig. 2 (approach 1), Table 2 (a = 0.50, b = 0.50).

    Examples
    --------
    >>> fit = approach1_envelope([1e8, 2e8, 1e9, 2e9], [1e19, 1e19, 1e21, 1e21],
    ...                          [3.0, 3.1, 2.4, 2.3], n_bins=2)
    >>> fit.N_opt.tolist(), round(fit.a, 3)
    ([100000000.0, 2000000000.0], 0.651)
    """
    N, C, loss = _compute_runs(N, C, loss, minimum=2)
    n_bins = _count(n_bins, "n_bins", 2)
    log_C = np.log(C)
    edges = np.linspace(log_C.min(), log_C.max(), n_bins + 1)
    which = np.clip(np.searchsorted(edges, log_C, side="right") - 1, 0, n_bins - 1)
    chosen = []
    for b in range(n_bins):
        members = np.flatnonzero(which == b)
        if members.size:
            chosen.append(members[np.argmin(loss[members])])
    chosen = np.array(chosen)
    if chosen.size < 2 or np.unique(C[chosen]).size < 2:
        raise ValueError("C must span at least 2 non-empty bins to fit a power law")
    C_opt, N_opt = C[chosen], N[chosen]
    D_opt = C_opt / (6.0 * N_opt)
    return EnvelopeFit(
        C=C_opt,
        N_opt=N_opt,
        D_opt=D_opt,
        loss_opt=loss[chosen],
        N_law=fit_power_law(C_opt, N_opt),
        D_law=fit_power_law(C_opt, D_opt),
    )


@dataclass(frozen=True)
class IsoFlopProfile:
    """One IsoFLOP profile: the runs at one budget and the parabola through them.

    Attributes
    ----------
    C : float
        The budget in FLOPs.
    n_runs : int
        Runs in the profile.
    coefficients : tuple of float
        ``(c2, c1, c0)``: ``loss ≈ c2 x**2 + c1 x + c0`` with ``x = log10 N``.
    N_opt, D_opt, loss_opt : float
        The parabola's minimum ``x* = -c1 / (2 c2)``: ``N_opt = 10**x*``,
        ``D_opt = C / (6 N_opt)`` and the loss there (NaN if the parabola opens downwards).
    used : bool
        True if the parabola opens upwards and its minimum lies within the profile's
        range of N, so it is an interpolation; only these enter the power laws.
    """

    C: float
    n_runs: int
    coefficients: tuple[float, float, float]
    N_opt: float
    D_opt: float
    loss_opt: float
    used: bool


@dataclass(frozen=True, eq=False)
class IsoFlopFit(_AllocationExponents):
    """Approach 2: IsoFLOP profiles and power laws through their minima.

    Attributes
    ----------
    profiles : tuple of IsoFlopProfile
        Every profile, in order of budget, including those not used.
    N_law, D_law : PowerLaw
        ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` fitted to the used profiles.
    """

    profiles: tuple[IsoFlopProfile, ...]
    N_law: PowerLaw
    D_law: PowerLaw

    @property
    def C(self) -> NDArray[np.float64]:
        """Budgets of the used profiles."""
        return np.array([p.C for p in self.profiles if p.used])

    @property
    def N_opt(self) -> NDArray[np.float64]:
        """Optimal sizes of the used profiles."""
        return np.array([p.N_opt for p in self.profiles if p.used])

    @property
    def D_opt(self) -> NDArray[np.float64]:
        """Optimal tokens of the used profiles."""
        return np.array([p.D_opt for p in self.profiles if p.used])


_GROUP_BANDWIDTH = 0.02  # dex: width of the kernel that finds clusters of log10 C
_GROUP_RADIUS = 0.05  # dex: farthest a run may lie from its cluster's centre


def isoflop_groups(C: ArrayLike, *, min_runs: int = 5) -> NDArray[np.float64]:
    """Label runs by the FLOP budget they cluster around; NaN for runs in no cluster.

    Runs of an IsoFLOP sweep share one budget, but budgets read off a figure (or
    counted slightly differently per model) scatter around it, so rounding ``log10 C``
    splits clusters. Instead this finds the peaks of a Gaussian kernel density of
    ``log10 C`` (bandwidth 0.02 dex), assigns each run to the nearest peak if within
    0.05 dex, and keeps clusters with at least `min_runs` runs. A cluster's label is the
    median budget of its runs.

    Parameters
    ----------
    C : array_like
        Training FLOPs of each run (positive, 1-d).
    min_runs : int, optional
        Smallest cluster kept (default 5; a parabola needs at least 3).

    Returns
    -------
    ndarray
        One label (FLOPs) per run, NaN where the run belongs to no kept cluster.

    Examples
    --------
    >>> labels = isoflop_groups([1e19, 1.02e19, 0.98e19, 1e21, 1.01e21, 5e20], min_runs=2)
    >>> [f"{x:.2e}" for x in labels]
    ['1.00e+19', '1.00e+19', '1.00e+19', '1.00e+21', '1.00e+21', 'nan']
    """
    C = _validate.positive(C, "C")
    if C.ndim != 1:
        raise ValueError(f"C must be a 1-d array, got shape {C.shape}")
    min_runs = _count(min_runs, "min_runs", 1)
    x = np.log10(C)
    grid = np.arange(x.min() - 3 * _GROUP_BANDWIDTH, x.max() + 3 * _GROUP_BANDWIDTH, _GROUP_BANDWIDTH / 10)
    density = np.exp(-0.5 * ((grid[:, None] - x[None, :]) / _GROUP_BANDWIDTH) ** 2).sum(axis=1)
    interior = (density[1:-1] > density[:-2]) & (density[1:-1] >= density[2:])
    peaks = grid[1:-1][interior]
    nearest = np.argmin(np.abs(x[:, None] - peaks[None, :]), axis=1)
    close = np.abs(x - peaks[nearest]) <= _GROUP_RADIUS
    labels = np.full(C.shape, np.nan)
    for peak in np.unique(nearest[close]):
        members = close & (nearest == peak)
        if members.sum() >= min_runs:
            labels[members] = 10 ** np.median(x[members])
    return labels


def _profile(C: float, N: NDArray, loss: NDArray) -> IsoFlopProfile:
    x = np.log10(N)
    c2, c1, c0 = (float(c) for c in np.polyfit(x, loss, deg=2))
    if c2 > 0:
        vertex = -c1 / (2 * c2)
        used = bool(x.min() <= vertex <= x.max())
        N_opt = float(10**vertex)
        loss_opt = float(c0 - c1 * c1 / (4 * c2))
    else:
        used, N_opt, loss_opt = False, float("nan"), float("nan")
    return IsoFlopProfile(
        C=C,
        n_runs=int(N.size),
        coefficients=(c2, c1, c0),
        N_opt=N_opt,
        D_opt=C / (6.0 * N_opt),
        loss_opt=loss_opt,
        used=used,
    )


def approach2_isoflop(
    N: ArrayLike, C: ArrayLike, loss: ArrayLike, *, budgets: ArrayLike | None = None, min_runs: int = 5
) -> IsoFlopFit:
    """Approach 2: fit a parabola in ``log N`` per FLOP budget, take minima, fit power laws.

    Runs are grouped by budget, from explicit `budgets` labels or, by default, with
    `isoflop_groups`. For each group with at least `min_runs` runs and 3 distinct sizes
    the loss is fitted with a parabola in ``log10 N``; its minimum is ``N_opt(C)``, with
    ``D_opt = C / (6 N_opt)``. Profiles whose minimum is an extrapolation (outside the
    sizes trained) or whose parabola opens downwards are kept but not used. Power laws
    ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` are then fitted by least squares in log-log
    space; ``a + b = 1`` by construction.

    Parameters
    ----------
    N : array_like
        Parameters of each run.
    C : array_like
        Training FLOPs of each run.
    loss : array_like
        Final loss in nats/token. Positive, finite 1-d arrays of the same length.
    budgets : array_like, optional
        The budget (FLOPs) each run belongs to, same length as `N`; runs with equal
        labels form one profile, and the label is the budget used in the power laws.
        Default: found from `C` by `isoflop_groups`.
    min_runs : int, optional
        Smallest profile fitted (default 5).

    Returns
    -------
    IsoFlopFit
        The profiles and the fitted power laws (``.a``, ``.b``).

    Raises
    ------
    ValueError
        For bad input, or if fewer than 2 profiles have a usable minimum.

    References
    ----------
    Hoffmann et al. 2022, §3.2 and Fig. 3 (approach 2), Table 2 (a = 0.49, b = 0.51).

    Examples
    --------
    >>> from lib.laws import EPOCH_REPLICATION as law
    >>> C = np.repeat([1e19, 1e20, 1e21], 9)
    >>> N = np.tile(np.geomspace(0.2, 5, 9), 3) * law.optimal_allocation(C)[0]
    >>> fit = approach2_isoflop(N, C, law.loss(N, C / (6 * N)), budgets=C)
    >>> round(fit.a, 2), round(law.exponents[0], 2)
    (0.51, 0.51)
    """
    N, C, loss = _compute_runs(N, C, loss, minimum=3)
    min_runs = _count(min_runs, "min_runs", 3)
    if budgets is None:
        labels = isoflop_groups(C, min_runs=min_runs)
    else:
        labels = _validate.positive(budgets, "budgets")
        _validate.same_shape(N=N, budgets=labels)
    profiles = []
    for budget in np.unique(labels[np.isfinite(labels)]):
        members = labels == budget
        if members.sum() >= min_runs and np.unique(N[members]).size >= 3:
            profiles.append(_profile(float(budget), N[members], loss[members]))
    used = [p for p in profiles if p.used]
    if len(used) < 2:
        raise ValueError(
            f"need at least 2 IsoFLOP profiles with a minimum inside their range of N, got {len(used)} "
            f"(of {len(profiles)} profiles with >= {min_runs} runs)"
        )
    C_opt = np.array([p.C for p in used])
    return IsoFlopFit(
        profiles=tuple(profiles),
        N_law=fit_power_law(C_opt, np.array([p.N_opt for p in used])),
        D_law=fit_power_law(C_opt, np.array([p.D_opt for p in used])),
    )
