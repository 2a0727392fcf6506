"""Seeded synthetic measurements for exercises and demonstrations."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import _validate
from lib.powerlaw import PowerLaw

__all__ = ["noisy_measurements"]


def noisy_measurements(
    law: PowerLaw, X: ArrayLike, *, relative_noise: float, seed: int
) -> NDArray[np.float64]:
    """Values of `law` at `X` with multiplicative log-normal noise, reproducible by `seed`.

    Each value is ``law(X) * exp(eps)`` with ``eps ~ Normal(0, relative_noise)``, so the
    noise is a relative error of about ``relative_noise`` and the values stay positive.

    Examples
    --------
    >>> law = PowerLaw(coefficient=10.0, exponent=-0.5)
    >>> noisy_measurements(law, [1.0, 100.0], relative_noise=0.0, seed=0).tolist()
    [10.0, 1.0]
    """
    X = _validate.positive(X, "X")
    sigma = float(_validate.nonnegative(relative_noise, "relative_noise"))
    rng = np.random.default_rng(seed)
    return np.asarray(law(X)) * np.exp(rng.normal(0.0, sigma, size=X.shape))
