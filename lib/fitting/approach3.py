"""Approach 3, the parametric fit of ``L(N, D) = E + A / N**alpha + B / D**beta``, to its global optimum.

``fit_chinchilla`` reaches the global optimum of the paper's objective in well under a
second; ``fit_chinchilla_grid`` is the paper's own procedure (L-BFGS from a grid of 4,500
starts), kept as the reference it is checked against.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
§3.3 eq. (2) and App. D.2. Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A
replication attempt", arXiv:2404.10102 (the refit on the runs of Fig. 4).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from lib import _validate
from lib.fitting.objective import _N_PARAMS, HuberObjective, _delta, _huber, _runs, one_blas_thread
from lib.laws import ChinchillaLaw

__all__ = [
    "ChinchillaFit",
    "fit_chinchilla",
    "absent_terms",
    "log_residuals",
    "paper_grid",
    "fit_chinchilla_grid",
]

# Exponents tried for alpha and beta in the profile scan: geometric, dense where
# measured exponents live (0.05-1) and reaching past the paper's largest start (2).
_SCAN_EXPONENTS = np.geomspace(0.02, 3.0, 18)
_SCAN_STEPS = 5  # Gauss-Newton steps on (a, b, e) per exponent pair
_POLISHED = 5  # scan minima polished with L-BFGS
_LBFGS_TIGHT = {"maxiter": 2000, "maxcor": 10, "ftol": 1e-15, "gtol": 1e-10}
_NEWTON = {"maxiter": 100, "gtol": 1e-12}
_CONVERGED_GRADIENT = 1e-8  # largest |d objective / d parameter| (internal coordinates)
# A term whose largest value over the runs is below this fraction of the smallest loss is
# absent: the fit is degenerate whatever constant the optimiser stopped at.
_NEGLIGIBLE_TERM = 1e-6


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


def _polish(problem: HuberObjective, start: NDArray, *, newton: bool = True) -> _Optimum:
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


def _scan(problem: HuberObjective, exponents: NDArray) -> tuple[NDArray, NDArray]:
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
    normal: NDArray[np.float64] = np.empty((k, k, 3, 3))
    normal[..., 0, 0] = (U**2 @ w)[:, None]
    normal[..., 1, 1] = (V**2 @ w)[None, :]
    normal[..., 2, 2] = w.sum()
    normal[..., 0, 1] = normal[..., 1, 0] = (U * w) @ V.T
    normal[..., 0, 2] = normal[..., 2, 0] = (U @ w)[:, None]
    normal[..., 1, 2] = normal[..., 2, 1] = (V @ w)[None, :]
    rhs: NDArray[np.float64] = np.empty((k, k, 3))
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


def _search(problem: HuberObjective) -> tuple[list[_Optimum], int, int]:
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
        raise ValueError(
            f"the best fit is degenerate ({_described(constants)}): these runs do not determine a "
            "Chinchilla law with positive constants"
        )
    return ChinchillaLaw(E=E, A=A, B=B, alpha=alpha, beta=beta)


def _described(constants: dict[str, float]) -> str:
    return ", ".join(f"{name} = {value:.3g}" for name, value in constants.items())


def absent_terms(law: ChinchillaLaw, N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> list[str]:
    """The terms of `law` that the runs do not see: those a fit to them cannot determine.

    A term is absent when its largest value over the runs (``A / N**alpha`` at the
    smallest N, ``B / D**beta`` at the smallest D, or E) is below 1e-6 of the smallest
    loss. This judges a fit by the data, not by where the optimiser happened to stop:
    on the same runs L-BFGS may stop at A = 3.5e-21 on one CPU (AVX-512 kernels) and
    let A underflow to 0 on another, and both mean the same absent term.

    Parameters
    ----------
    law : ChinchillaLaw
        The law, usually a fit to the runs.
    N, D, loss : array_like
        The runs, as in `fit_chinchilla`.

    Returns
    -------
    list of str
        ``"A / N**alpha"``, ``"B / D**beta"`` and ``"E"``, for each absent term; empty
        when the runs see all three.

    Examples
    --------
    >>> from lib.laws import ChinchillaLaw, EPOCH_REPLICATION
    >>> N, D = np.array([1e8, 1e9, 1e10, 1e8, 1e9]), np.array([1e10, 1e10, 1e11, 1e12, 1e12])
    >>> absent_terms(EPOCH_REPLICATION, N, D, EPOCH_REPLICATION.loss(N, D))
    []
    >>> stopped = ChinchillaLaw(E=2.56, A=3.5e-21, B=735.0, alpha=1.24, beta=0.288)
    >>> absent_terms(stopped, N, D, EPOCH_REPLICATION.loss(N, D))
    ['A / N**alpha']
    """
    N, D, loss = _runs(N, D, loss)
    with np.errstate(under="ignore"):
        largest = {
            "A / N**alpha": float(law.A * N.min() ** -law.alpha),
            "B / D**beta": float(law.B * D.min() ** -law.beta),
            "E": float(law.E),
        }
    return [term for term, value in largest.items() if value < _NEGLIGIBLE_TERM * float(loss.min())]


def log_residuals(law: ChinchillaLaw, N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> NDArray[np.float64]:
    """``log L_hat - log L`` per run: the residuals approach 3 fits, positive where `law` predicts high.

    Parameters
    ----------
    law : ChinchillaLaw
        The law.
    N, D, loss : array_like
        The runs, as in `fit_chinchilla`.

    Returns
    -------
    ndarray
        One residual per run, in nats of log-loss (0.01 is a 1 % error).

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> N, D = np.array([1e9, 1e10]), np.array([2e10, 2e11])
    >>> np.round(log_residuals(CHINCHILLA, N, D, CHINCHILLA.loss(N, D) * [1.0, 1.01]), 5).tolist()
    [0.0, -0.00995]
    """
    N, D, loss = (_validate.positive(x, name) for x, name in ((N, "N"), (D, "D"), (loss, "loss")))
    _validate.same_shape(N=N, D=D, loss=loss)
    return np.asarray(np.log(law.loss(N, D)) - np.log(loss), dtype=float)


def _determined(fit: ChinchillaFit, N: NDArray, D: NDArray, loss: NDArray) -> ChinchillaFit:
    """`fit`, or a ValueError if the runs do not see one of its terms (`absent_terms`)."""
    absent = absent_terms(fit.law, N, D, loss)
    if absent:
        constants = {name: float(getattr(fit.law, name)) for name in ("E", "A", "B", "alpha", "beta")}
        raise ValueError(
            f"the best fit is degenerate ({_described(constants)}): {' and '.join(absent)} stays below "
            f"{_NEGLIGIBLE_TERM:g} of the smallest loss on these runs, so they do not determine a "
            "Chinchilla law"
        )
    return fit


def _result(
    problem: HuberObjective, best: _Optimum, n_starts: int, iterations: int, n_runs: int
) -> ChinchillaFit:
    params = problem.to_paper(best.t)
    law = _law(params)
    a, b, e, alpha, beta = (float(x) for x in params)
    return ChinchillaFit(
        law=law,
        params=(a, b, e, alpha, beta),
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
        degenerate (a non-positive exponent, or a term the runs do not see, see
        `absent_terms`), so the runs determine no Chinchilla law.

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
    problem = HuberObjective(np.log(N), np.log(D), np.log(loss), _delta(delta))
    with one_blas_thread():
        optima, n_starts, iterations = _search(problem)
    return _determined(_result(problem, optima[0], n_starts, iterations, N.size), N, D, loss)


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
    Like the paper's procedure it keeps whatever the best start reached, even in a basin
    where a term vanishes over the runs (`absent_terms` tells); `fit_chinchilla` refuses
    such a fit.

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
    problem = HuberObjective(np.log(N), np.log(D), np.log(loss), _delta(delta), centred=False)
    starts = paper_grid() if starts is None else _validate.finite(starts, "starts")
    if starts.ndim != 2 or starts.shape[1] != _N_PARAMS or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (k, 5) with k >= 1, got {starts.shape}")
    best, iterations = None, 0
    with one_blas_thread():
        for start in starts:
            result = optimize.minimize(problem.value_and_gradient, start, jac=True, method="L-BFGS-B")
            iterations += int(result.nit)
            if np.isfinite(result.fun) and (best is None or result.fun < best.objective):
                gradient_norm = float(np.max(np.abs(result.jac)))
                best = _Optimum(result.x, float(result.fun), gradient_norm, bool(result.success), 0)
    if best is None:
        raise ValueError("no start gave a finite objective")
    return _result(problem, best, starts.shape[0], iterations, N.size)
