"""The objective of approach 3: the Huber loss of log-loss residuals, with its derivatives.

``chinchilla_objective`` is the function Hoffmann et al. minimise; ``HuberObjective`` is the
same objective in centred, scaled coordinates with an analytic gradient and Hessian, the
form every fit in `lib.fitting` optimises.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
§3.3 and App. D.2 (the objective, delta = 1e-3).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.laws import ChinchillaLaw

__all__ = ["PARAMETER_NAMES", "chinchilla_objective"]

PARAMETER_NAMES = ("E", "A", "B", "alpha", "beta")
"""Column order of bootstrap samples: the fields of ``lib.laws.ChinchillaLaw``."""

_N_PARAMS = 5


# ---------------------------------------------------------------------------------------
# One BLAS thread while optimising
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
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


class HuberObjective:
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
        self.log_N, self.log_D, self.log_L = log_N, log_D, log_L
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
    N, D, loss = _validate.runs(_N_PARAMS, f" to fit {_N_PARAMS} parameters", N=N, D=D, loss=loss)
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
    problem = HuberObjective(np.log(N), np.log(D), np.log(loss), _delta(delta), centred=False)
    params = np.array([np.log(law.A), np.log(law.B), np.log(law.E), law.alpha, law.beta])
    return problem.value(params)
