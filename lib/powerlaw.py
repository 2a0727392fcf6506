"""Power laws: evaluate, read off, and fit ``L(X) = E + c * X**a``.

The course writes a power law with a *signed* exponent ``a`` (negative when the loss
falls as ``X`` grows) and an optional irreducible floor ``E``. Papers usually quote
``alpha = -a > 0`` in the form ``L = (X_c / X)**alpha``; Kaplan et al. (2020) use the
pure law (``E = 0``), Hoffmann et al. (2022) the law with a floor.

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, eqs. 1.1-1.3.
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556, §3.3.
Caballero et al. 2023, "Broken Neural Scaling Laws", arXiv:2210.14891, eq. 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from lib import _validate

__all__ = [
    "PowerLaw",
    "power_law",
    "factor_per_decade",
    "local_exponent",
    "empirical_local_exponent",
    "fit_power_law",
    "fit_power_law_with_floor",
    "broken_power_law",
]

FloatOrArray = float | NDArray[np.float64]


@dataclass(frozen=True)
class PowerLaw:
    """The law ``L(X) = floor + coefficient * X**exponent``, e.g. as returned by a fit.

    Attributes
    ----------
    coefficient : float
        ``c > 0``, the value of the reducible term at ``X = 1``.
    exponent : float
        ``a``; negative when ``L`` falls as ``X`` grows.
    floor : float
        ``E >= 0``, the irreducible part of ``L`` (0 for a pure power law).
    rms_log_residual : float
        Root-mean-square of ``log L_data - log L_fit`` for a fitted law (0 otherwise).

    Examples
    --------
    >>> law = PowerLaw(coefficient=2.0, exponent=-0.5, floor=1.0)
    >>> law(4.0)
    2.0
    """

    coefficient: float
    exponent: float
    floor: float = 0.0
    rms_log_residual: float = 0.0

    def __post_init__(self) -> None:
        _validate.scalar(self.coefficient, "coefficient", _validate.positive)
        _validate.scalar(self.exponent, "exponent")
        _validate.scalar(self.floor, "floor", _validate.nonnegative)

    def __call__(self, X: ArrayLike) -> FloatOrArray:
        """Evaluate the law at `X` (positive, broadcasts)."""
        return power_law(X, self.coefficient, self.exponent, self.floor)

    def local_exponent(self, X: ArrayLike) -> FloatOrArray:
        """The slope ``d log L / d log X`` of this law at `X`."""
        return local_exponent(X, self.coefficient, self.exponent, self.floor)


def power_law(X: ArrayLike, coefficient: float, exponent: float, floor: float = 0.0) -> FloatOrArray:
    """Evaluate ``L(X) = floor + coefficient * X**exponent``.

    Parameters
    ----------
    X : array_like
        The scale variable (parameters, tokens or FLOPs); must be positive.
    coefficient : float
        ``c > 0``.
    exponent : float
        ``a`` (negative for a falling loss).
    floor : float, optional
        Irreducible part ``E >= 0``; default 0, a pure power law.

    Returns
    -------
    float or ndarray
        ``L(X)``, a float for a scalar `X`.

    References
    ----------
    Kaplan et al. 2020, eq. 1.1 (pure law); Hoffmann et al. 2022, §3.3 (law with a floor).

    Examples
    --------
    >>> power_law(100.0, coefficient=10.0, exponent=-0.5)
    1.0
    """
    X = _validate.positive(X, "X")
    c = _validate.scalar(coefficient, "coefficient", _validate.positive)
    a = _validate.scalar(exponent, "exponent")
    E = _validate.scalar(floor, "floor", _validate.nonnegative)
    return _validate.as_output(E + c * X**a)


def factor_per_decade(exponent: ArrayLike) -> FloatOrArray:
    """The factor by which a pure power law changes when `X` grows tenfold: ``10**a``.

    Parameters
    ----------
    exponent : array_like
        The signed exponent ``a`` (finite).

    Returns
    -------
    float or ndarray
        ``L(10 X) / L(X) = 10**a``, the same at every `X`.

    References
    ----------
    Kaplan et al. 2020, §1.2, which quotes the factor for doubling N, ``2**-0.076 = 0.95``.

    Examples
    --------
    >>> round(factor_per_decade(-0.076), 3)
    0.839
    """
    a = _validate.finite(exponent, "exponent")
    return _validate.as_output(10.0**a)


def local_exponent(X: ArrayLike, coefficient: float, exponent: float, floor: float = 0.0) -> FloatOrArray:
    """The slope ``d log L / d log X`` of ``L = floor + c X**a`` at `X`.

    For a pure law the slope is ``a`` everywhere; with a floor it is
    ``a * c X**a / (floor + c X**a)``, which shrinks towards 0 as ``L`` nears the floor.
    That is why a curve with a floor bends on log-log axes.

    Parameters
    ----------
    X : array_like
        Positive scale values.
    coefficient, exponent, floor : float
        The law ``floor + coefficient * X**exponent``; see `power_law`.

    Returns
    -------
    float or ndarray
        The local slope at each `X` (0 where the reducible part underflows).

    References
    ----------
    Derivative of the law of Hoffmann et al. 2022, §3.3, in one variable.

    Examples
    --------
    >>> local_exponent(1e6, coefficient=1.0, exponent=-0.5)
    -0.5
    >>> round(local_exponent(1e4, coefficient=1.0, exponent=-0.5, floor=0.01), 3)
    -0.25
    """
    X = _validate.positive(X, "X")
    c = _validate.scalar(coefficient, "coefficient", _validate.positive)
    a = _validate.scalar(exponent, "exponent")
    E = _validate.scalar(floor, "floor", _validate.nonnegative)
    if E == 0:
        return _validate.as_output(np.full_like(X, a))
    with np.errstate(divide="ignore", over="ignore"):  # a reducible part of 0 gives slope 0
        return _validate.as_output(a / (1.0 + E / (c * X**a)))


def empirical_local_exponent(X: ArrayLike, L: ArrayLike) -> NDArray[np.float64]:
    """Slope of ``log L`` against ``log X`` estimated from data points (finite differences).

    Parameters
    ----------
    X : array_like
        Strictly increasing positive scale values, at least 2.
    L : array_like
        Positive losses at `X`, same shape.

    Returns
    -------
    ndarray
        ``d log L / d log X`` at each point (``numpy.gradient`` in log-log space:
        centred differences inside, one-sided at the two ends).

    Raises
    ------
    ValueError
        If `X` is not strictly increasing, the shapes differ or there are fewer than 2 points.

    Examples
    --------
    >>> np.round(empirical_local_exponent([1.0, 10.0, 100.0], [1.0, 0.1, 0.01]), 6).tolist()
    [-1.0, -1.0, -1.0]
    """
    X = _validate.positive(X, "X")
    L = _validate.positive(L, "L")
    _validate.same_shape(X=X, L=L)
    if X.ndim != 1 or X.size < 2:
        raise ValueError(f"X must be a 1-d array of at least 2 points, got shape {X.shape}")
    if np.any(np.diff(X) <= 0):
        raise ValueError("X must be strictly increasing")
    return np.gradient(np.log(L), np.log(X))


def _fit_data(X: ArrayLike, L: ArrayLike, minimum: int) -> tuple[NDArray, NDArray]:
    X = _validate.positive(X, "X")
    L = _validate.positive(L, "L")
    _validate.same_shape(X=X, L=L)
    if X.ndim != 1:
        raise ValueError(f"X must be 1-d, got shape {X.shape}")
    if X.size < minimum:
        raise ValueError(f"need at least {minimum} points to fit, got {X.size}")
    if np.unique(X).size < 2:
        raise ValueError("X must contain at least 2 distinct values")
    return X, L


def fit_power_law(X: ArrayLike, L: ArrayLike) -> PowerLaw:
    """Fit a pure power law ``L = c X**a`` by least squares on ``log L`` against ``log X``.

    Parameters
    ----------
    X, L : array_like
        Positive 1-d arrays of the same length, at least 2 points with distinct `X`.

    Returns
    -------
    PowerLaw
        With ``floor = 0`` and the root-mean-square log residual of the fit.

    References
    ----------
    Kaplan et al. 2020, §3: single-variable fits of ``L = (X_c / X)**alpha``.

    Examples
    --------
    >>> law = fit_power_law([1e6, 1e7, 1e8], [4.0, 2.0, 1.0])
    >>> round(law.exponent, 4)
    -0.301
    """
    X, L = _fit_data(X, L, minimum=2)
    slope, intercept = np.polyfit(np.log(X), np.log(L), deg=1)
    residual = np.log(L) - (intercept + slope * np.log(X))
    return PowerLaw(
        coefficient=float(np.exp(intercept)),
        exponent=float(slope),
        rms_log_residual=float(np.sqrt(np.mean(residual**2))),
    )


def fit_power_law_with_floor(X: ArrayLike, L: ArrayLike) -> PowerLaw:
    """Fit ``L = E + c X**a`` with ``0 <= E < min(L)`` by least squares on ``log L``.

    For a fixed floor ``E`` the problem is a straight-line fit of ``log(L - E)``
    against ``log X``; the function scans candidate floors that way, then refines
    all three parameters together (``scipy.optimize.least_squares``) from the best
    candidate. Residuals are taken in ``log L``, as Hoffmann et al. (2022, §3.3) do.

    Parameters
    ----------
    X, L : array_like
        As in `fit_power_law`, but at least 3 points.

    Returns
    -------
    PowerLaw
        The fitted law with its root-mean-square log residual.

    References
    ----------
    Hoffmann et al. 2022, §3.3: they fit log-loss residuals too, with a Huber loss
    (delta = 1e-3) and L-BFGS from a grid of starts; this function uses plain least squares.

    Examples
    --------
    >>> X = np.logspace(6, 10, 9)
    >>> law = fit_power_law_with_floor(X, 1.7 + 400 * X**-0.34)
    >>> round(law.floor, 3), round(law.exponent, 3)
    (1.7, -0.34)
    """
    X, L = _fit_data(X, L, minimum=3)
    log_X, log_L = np.log(X), np.log(L)
    ceiling = float(L.min())

    def residuals(params: NDArray[np.float64]) -> NDArray[np.float64]:
        floor, log_c, a = params
        return np.log(floor + np.exp(log_c + a * log_X)) - log_L

    candidates = []
    for floor in ceiling * (1.0 - np.logspace(-4, 0, 41)):
        a, log_c = np.polyfit(log_X, np.log(L - floor), deg=1)
        params = np.array([floor, log_c, a])
        candidates.append((float(np.sum(residuals(params) ** 2)), params))
    start = min(candidates, key=lambda item: item[0])[1]
    upper_floor = ceiling * (1.0 - 1e-12)
    start[0] = min(max(start[0], 0.0), upper_floor)
    result = optimize.least_squares(
        residuals,
        start,
        bounds=([0.0, -np.inf, -np.inf], [upper_floor, np.inf, np.inf]),
        x_scale="jac",
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    floor, log_c, a = result.x
    return PowerLaw(
        coefficient=float(np.exp(log_c)),
        exponent=float(a),
        floor=float(floor),
        rms_log_residual=float(np.sqrt(np.mean(result.fun**2))),
    )


def broken_power_law(
    X: ArrayLike,
    floor: float,
    coefficient: float,
    exponent_before: float,
    exponent_change: float,
    break_at: float,
    sharpness: float,
) -> FloatOrArray:
    """A smoothly broken power law with one break (Caballero et al. 2023, eq. 1).

    ``L = floor + coefficient * X**(-c0) * (1 + (X / d1)**(1 / f1))**(-c1 * f1)``
    with ``c0 = exponent_before``, ``c1 = exponent_change``, ``d1 = break_at`` and
    ``f1 = sharpness``: well below ``d1`` the reducible part falls like ``X**-c0``,
    well above it like ``X**-(c0 + c1)``; small ``f1`` makes the bend sharp.

    Parameters
    ----------
    X : array_like
        Positive scale values.
    floor : float
        ``a`` in the paper, the value approached as ``X`` grows (``>= 0``).
    coefficient : float
        ``b > 0``.
    exponent_before, exponent_change : float
        ``c0`` and ``c1``: the exponent before the break and its change after it.
    break_at : float
        ``d1 > 0``, where the bend happens.
    sharpness : float
        ``f1 > 0``; smaller is sharper.

    Returns
    -------
    float or ndarray
        ``L(X)``.

    References
    ----------
    Caballero et al. 2023, "Broken Neural Scaling Laws", arXiv:2210.14891, eq. 1 (one break).

    Examples
    --------
    >>> L = broken_power_law([1e2, 1e8], 0.0, 1.0, 0.1, 0.4, 1e5, 0.1)
    >>> [round(float(v), 3) for v in L]
    [0.631, 0.01]
    """
    X = _validate.positive(X, "X")
    E = _validate.scalar(floor, "floor", _validate.nonnegative)
    b = _validate.scalar(coefficient, "coefficient", _validate.positive)
    c0 = _validate.scalar(exponent_before, "exponent_before")
    c1 = _validate.scalar(exponent_change, "exponent_change")
    d1 = _validate.scalar(break_at, "break_at", _validate.positive)
    f1 = _validate.scalar(sharpness, "sharpness", _validate.positive)
    return _validate.as_output(E + b * X**-c0 * (1.0 + (X / d1) ** (1.0 / f1)) ** (-c1 * f1))
