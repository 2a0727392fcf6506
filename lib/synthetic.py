"""Seeded synthetic measurements for exercises and demonstrations."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import _validate
from lib.powerlaw import PowerLaw

__all__ = ["noisy_measurements"]


def noisy_measurements(
    law: PowerLaw, X: ArrayLike, *, relative_noise: float, seed: int
) -> float | NDArray[np.float64]:
    """Values of `law` at `X` with multiplicative log-normal noise, reproducible by `seed`.

    Each value is ``law(X) * exp(eps)`` with ``eps ~ Normal(0, relative_noise)``, so the
    noise is a relative error of about ``relative_noise`` and the values stay positive.

    Parameters
    ----------
    law : PowerLaw
        The law the measurements follow.
    X : array_like
        Positive scale values.
    relative_noise : float
        Standard deviation of the log noise, ``>= 0`` (0.01 is about 1 %).
    seed : int
        Seed of NumPy's default generator; required, so data are reproducible.

    Returns
    -------
    float or ndarray
        One noisy value per `X`.

    Examples
    --------
    >>> law = PowerLaw(coefficient=10.0, exponent=-0.5)
    >>> noisy_measurements(law, [1.0, 100.0], relative_noise=0.0, seed=0).tolist()
    [10.0, 1.0]
    """
    X = _validate.positive(X, "X")
    sigma = _validate.scalar(relative_noise, "relative_noise", _validate.nonnegative)
    rng = np.random.default_rng(_validate.integer(seed, "seed", 0))
    return _validate.as_output(np.asarray(law(X)) * np.exp(rng.normal(0.0, sigma, size=X.shape)))
