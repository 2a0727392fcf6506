"""Repeated sampling: coverage over k samples, and the accuracy a verifier lets a system keep.

Coverage (some sample is right) grows with k, while the accuracy of a system that must pick
one answer is capped by its verifier.

References
----------
Brown et al. 2024, "Large Language Monkeys", arXiv:2407.21787: coverage over k samples and
its fitted form ``exp(a k**b)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import betaln

from lib import _validate
from lib.powerlaw import FloatOrArray

__all__ = [
    "coverage",
    "mean_coverage",
    "beta_coverage",
    "exp_power_coverage",
    "fit_exp_power_coverage",
    "verified_accuracy",
    "samples_needed",
]


def _probability(p: ArrayLike, name: str) -> NDArray[np.float64]:
    values = _validate.finite(p, name)
    bad = (values < 0) | (values > 1)
    if bad.any():
        raise ValueError(f"{name} must be in [0, 1], got {float(values[bad].flat[0])}")
    return values


def _samples(k: ArrayLike) -> NDArray[np.float64]:
    values = _validate.finite(k, "k")
    if np.any(values < 1):
        raise ValueError(f"k must be at least 1, got {float(values[values < 1].flat[0])}")
    return values


def coverage(p: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """Probability that at least one of `k` independent samples is correct, ``1 - (1 - p)**k``.

    Parameters
    ----------
    p : array_like
        Single-sample success probability of a problem, in [0, 1].
    k : array_like
        Samples drawn, at least 1 (non-integer k interpolates the curve); broadcasts with `p`.

    Returns
    -------
    float or ndarray
        Coverage (pass@k), in [0, 1].

    References
    ----------
    Brown et al. 2024, arXiv:2407.21787 (coverage as the fraction of problems solved by any
    sample).

    Examples
    --------
    >>> round(coverage(0.1, 10), 4)
    0.6513
    """
    p = _probability(p, "p")
    k = _samples(k)
    with np.errstate(divide="ignore"):
        return _validate.as_output(-np.expm1(k * np.log1p(-p)))


def mean_coverage(p_problems: ArrayLike, k: ArrayLike) -> FloatOrArray:
    """Coverage over a set of problems: `coverage` averaged over their success rates.

    Parameters
    ----------
    p_problems : array_like
        One single-sample success probability per problem (1-D, in [0, 1]).
    k : array_like
        Samples per problem, at least 1; the result has the shape of `k`.

    Returns
    -------
    float or ndarray
        The fraction of problems expected to be solved by at least one of k samples.

    Examples
    --------
    >>> round(mean_coverage([0.5, 0.01], 10), 4)  # one easy and one hard problem
    0.5473
    """
    p = _probability(p_problems, "p_problems")
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"p_problems must be a non-empty 1-D array, got shape {p.shape}")
    k = _samples(k)
    return _validate.as_output(np.mean(coverage(p[:, np.newaxis], k.reshape(1, -1)), axis=0).reshape(k.shape))


def beta_coverage(k: ArrayLike, beta_a: ArrayLike, beta_b: ArrayLike) -> FloatOrArray:
    """Mean coverage when per-problem success rates follow a Beta(beta_a, beta_b) distribution.

    ``1 - E[(1 - p)**k] = 1 - B(beta_a, beta_b + k) / B(beta_a, beta_b)`` with B the beta
    function. For large k the unsolved fraction falls like
    ``Γ(beta_a + beta_b) / Γ(beta_b) · k**-beta_a``: a power law in k, set by how many
    problems are nearly impossible (small p), not by the typical one.

    Parameters
    ----------
    k : array_like
        Samples, at least 1; broadcasts with `beta_a` and `beta_b`.
    beta_a, beta_b : array_like
        Shape parameters of the Beta distribution of success rates (positive); the mean
        success rate is ``beta_a / (beta_a + beta_b)``.

    Returns
    -------
    float or ndarray
        Expected coverage.

    Examples
    --------
    >>> round(beta_coverage(9, beta_a=1.0, beta_b=1.0), 4)  # uniform p: 1 - 1/(k + 1)
    0.9
    """
    k = _samples(k)
    beta_a = _validate.positive(beta_a, "beta_a")
    beta_b = _validate.positive(beta_b, "beta_b")
    return _validate.as_output(-np.expm1(betaln(beta_a, beta_b + k) - betaln(beta_a, beta_b)))


def exp_power_coverage(k: ArrayLike, a: ArrayLike, b: ArrayLike) -> FloatOrArray:
    """The exponentiated power law ``exp(a · k**b)`` that Brown et al. fit to coverage curves.

    Parameters
    ----------
    k : array_like
        Samples, at least 1.
    a, b : array_like
        Negative constants: ``exp(a)`` is the coverage at one sample and b how fast the
        log-coverage shrinks.

    Returns
    -------
    float or ndarray
        Coverage.

    References
    ----------
    Brown et al. 2024, arXiv:2407.21787 (the form). The example constants a = -1.33,
    b = -0.43 (Llama-3-8B-Instruct on MATH) come from a secondary description of their Fig. 5.

    Examples
    --------
    >>> round(exp_power_coverage(100, -1.33, -0.43), 3)
    0.832
    """
    k = _samples(k)
    a = _validate.finite(a, "a")
    b = _validate.finite(b, "b")
    if np.any(a >= 0):
        raise ValueError(f"a must be negative (coverage below 1), got {float(a[a >= 0].flat[0])}")
    if np.any(b >= 0):
        raise ValueError(f"b must be negative (coverage growing with k), got {float(b[b >= 0].flat[0])}")
    return _validate.as_output(np.exp(a * k**b))


def fit_exp_power_coverage(k: ArrayLike, c: ArrayLike) -> tuple[float, float]:
    """Fit ``c = exp(a · k**b)`` to measured coverage: a straight line of ``log(-log c)`` on ``log k``.

    Parameters
    ----------
    k : array_like
        Sample counts, at least 1, at least two distinct values.
    c : array_like
        Coverage at each k, strictly between 0 and 1; same shape as `k`.

    Returns
    -------
    (a, b) : tuple of float

    Examples
    --------
    >>> k = np.array([1, 10, 100, 1000])
    >>> a, b = fit_exp_power_coverage(k, exp_power_coverage(k, -1.33, -0.43))
    >>> round(a, 6), round(b, 6)
    (-1.33, -0.43)
    """
    k = _samples(k)
    c = _probability(c, "c")
    _validate.same_shape(k=k, c=c)
    if np.any((c <= 0) | (c >= 1)):
        raise ValueError("c must lie strictly between 0 and 1 for the fit (log(-log c) is undefined)")
    if np.unique(k).size < 2:
        raise ValueError("k must hold at least two distinct values to fit a line")
    slope, intercept = np.polyfit(np.log(k.ravel()), np.log(-np.log(c.ravel())), 1)
    return -float(np.exp(intercept)), float(slope)


def verified_accuracy(
    p: ArrayLike, k: ArrayLike, recall: ArrayLike = 1.0, false_positive_rate: ArrayLike = 0.0
) -> FloatOrArray:
    """Accuracy of best-of-k with an imperfect verifier on a problem with success rate `p`.

    The system draws up to `k` samples and answers with the first one the verifier
    accepts (the same accuracy as picking uniformly among the accepted ones), or abstains
    (counted wrong) if it accepts none. A correct sample is accepted with probability
    `recall`, a wrong one with `false_positive_rate`. With ``t = p · recall`` and
    ``w = (1 - p) · false_positive_rate`` per sample,

    ``accuracy = t / (t + w) · (1 - (1 - t - w)**k)``,

    which tends to the verifier's precision ``t / (t + w)`` as k grows, while coverage
    tends to 1. A perfect verifier (recall 1, no false positives) gives `coverage`.

    Parameters
    ----------
    p : array_like
        Single-sample success probability, in [0, 1].
    k : array_like
        Samples, at least 1.
    recall : array_like
        Probability the verifier accepts a correct sample, in [0, 1].
    false_positive_rate : array_like
        Probability it accepts a wrong one, in [0, 1].

    Returns
    -------
    float or ndarray
        Probability that the answer given is correct; the inputs broadcast.

    References
    ----------
    Brown et al. 2024, arXiv:2407.21787 (with majority voting and reward models, accuracy
    plateaus while coverage keeps growing).

    Examples
    --------
    >>> round(verified_accuracy(0.1, 10), 4) == round(coverage(0.1, 10), 4)
    True
    >>> round(verified_accuracy(0.1, 10_000, recall=0.9, false_positive_rate=0.05), 4)  # precision
    0.6667
    """
    p = _probability(p, "p")
    k = _samples(k)
    recall = _probability(recall, "recall")
    fpr = _probability(false_positive_rate, "false_positive_rate")
    precision, accept = _acceptance(p, recall, fpr)
    with np.errstate(divide="ignore"):  # accept = 1: log1p(-1) = -inf, and some sample is accepted
        some_accepted = -np.expm1(k * np.log1p(-accept))
    return _validate.as_output(precision * some_accepted)


def _acceptance(
    p: NDArray[np.float64], recall: NDArray[np.float64] | float, fpr: NDArray[np.float64] | float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(precision, acceptance rate) of a verifier per sample: ``t / (t + w)`` and ``t + w``.

    ``t = p · recall`` is the rate of accepted correct samples and ``w = (1 - p) · fpr``
    that of accepted wrong ones; the precision is 0 where nothing is ever accepted.
    """
    true_accept = p * recall
    accept = true_accept + (1.0 - p) * fpr
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(accept > 0, true_accept / accept, 0.0)
    return precision, accept


def samples_needed(target: float, p: ArrayLike, recall: float = 1.0, false_positive_rate: float = 0.0) -> int:
    """The fewest samples k whose verified accuracy reaches `target`, for one problem or a set.

    With a scalar `p` this is ``ceil(log(1 - target / precision) / log(1 - t - w))`` in
    the notation of `verified_accuracy` (ceil: k must be a whole number of samples at
    which the target is met, not just approached); for a 1-D array of per-problem rates
    the mean accuracy is used and k found by doubling and bisection (it grows with k).

    Parameters
    ----------
    target : float
        Accuracy to reach, in (0, 1). With a perfect verifier (the defaults) it is a
        coverage target.
    p : array_like
        One success probability, or a 1-D array of them (one per problem).
    recall, false_positive_rate : float
        The verifier, as in `verified_accuracy`.

    Returns
    -------
    int
        The number of samples, at least 1.

    Raises
    ------
    ValueError
        If `target` is not below the accuracy that infinitely many samples reach (the
        verifier's precision, averaged over problems), or an input is out of range.

    Examples
    --------
    >>> samples_needed(0.9, 0.1)  # 1 - 0.9**21 = 0.891, 1 - 0.9**22 = 0.902
    22
    >>> samples_needed(0.9, 0.1, recall=0.8)
    28
    """
    target = _validate.scalar(target, "target")
    if not 0 < target < 1:
        raise ValueError(f"target must be between 0 and 1 (exclusive), got {target}")
    p = _probability(p, "p")
    if p.ndim > 1 or p.size == 0:
        raise ValueError(f"p must be a number or a non-empty 1-D array, got shape {p.shape}")
    recall = _validate.scalar(recall, "recall", _probability)
    fpr = _validate.scalar(false_positive_rate, "false_positive_rate", _probability)
    problems = p.reshape(-1)
    precision, accept = _acceptance(problems, recall, fpr)
    limit = float(np.mean(precision))
    if target >= limit - 1e-12:
        raise ValueError(
            f"target {target:g} is out of reach: even infinitely many samples give accuracy {limit:.4g} "
            "(the verifier's precision, averaged over problems)"
        )

    def accuracy(k: int) -> float:
        return float(np.mean(verified_accuracy(problems, k, recall, fpr)))

    if problems.size == 1:
        k_real = np.log1p(-target / limit) / np.log1p(-float(accept[0]))
        k = max(1, int(np.ceil(k_real - 1e-9)))
        while accuracy(k) < target:  # guard against rounding in the closed form
            k += 1
        return k
    high = 1
    while accuracy(high) < target:
        high *= 2
    low = high // 2  # accuracy(low) < target, or low = 0
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if accuracy(middle) >= target else (middle, high)
    return high
