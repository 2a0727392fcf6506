"""Inference and test-time compute: lifetime cost, inference-aware model sizes, repeated sampling.

A model is trained once (``6 N D_train`` FLOPs) and then serves ``D_inference`` tokens at
``2 N`` FLOPs each. Minimising the sum at a fixed loss gives models smaller and longer
trained than Chinchilla's (Sardana et al.). At test time, a model can spend more compute
per problem by sampling k times: coverage (some sample is right) grows with k, while the
accuracy of a system that must pick one answer is capped by its verifier.

References
----------
Sardana, Portes, Doubov and Frankle 2024, "Beyond Chinchilla-Optimal: Accounting for
Inference in Language Model Scaling Laws", arXiv:2401.00448 (ICML 2024): the objective
``min 6 N D_tr + 2 N D_inf`` subject to ``L(N, D_tr) = ℓ``.
Kaplan et al. 2020, arXiv:2001.08361, eq. 2.2 (2N FLOPs per token) and §2.1 (6N per
training token); Hoffmann et al. 2022, arXiv:2203.15556, §3.3 (the law and its optimum).
Brown et al. 2024, "Large Language Monkeys", arXiv:2407.21787: coverage over k samples and
its fitted form ``exp(a k**b)``.
Jones 2021, "Scaling Scaling Laws with Board Games", arXiv:2104.03113: 10× train-time
compute trades for about 15× test-time compute; about 500 Elo per order of magnitude of compute.
Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally can be More Effective than
Scaling Model Parameters", arXiv:2408.03314: a FLOPs-matched comparison with a 14× larger model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import betaln

from lib import _validate
from lib.compute import inference_flops, training_flops
from lib.laws import ChinchillaLaw
from lib.powerlaw import FloatOrArray

__all__ = [
    "lifetime_flops",
    "lifetime_cost",
    "cost_per_flop",
    "reducible_loss",
    "iso_loss_tokens",
    "compute_optimal_tokens",
    "chinchilla_allocation_for_loss",
    "inference_aware_allocation",
    "inference_aware_allocation_by_cost",
    "implied_inference_tokens",
    "lifetime_saving",
    "coverage",
    "mean_coverage",
    "beta_coverage",
    "exp_power_coverage",
    "fit_exp_power_coverage",
    "verified_accuracy",
    "samples_needed",
    "TrainTestTradeoff",
    "JONES_TRADEOFF",
    "flops_matched_samples",
]


# ---- lifetime cost ------------------------------------------------------------------------


def lifetime_flops(N: ArrayLike, D_train: ArrayLike, D_inference: ArrayLike) -> FloatOrArray:
    """Training plus inference compute, ``6 N D_train + 2 N D_inference`` FLOPs.

    Parameters
    ----------
    N : array_like
        Parameters (positive).
    D_train : array_like
        Training tokens (positive).
    D_inference : array_like
        Tokens processed over the model's lifetime, prompts and outputs (non-negative).

    Returns
    -------
    float or ndarray
        FLOPs; the inputs broadcast.

    References
    ----------
    Kaplan et al. 2020, §2.1 and eq. 2.2; Sardana et al. 2024, arXiv:2401.00448 (the
    objective, as paraphrased in secondary sources).

    Examples
    --------
    >>> f"{lifetime_flops(7e9, 1e12, 2e12):.3g}"  # 4.2e22 to train, 2.8e22 to serve
    '7e+22'
    """
    D_inference = _validate.nonnegative(D_inference, "D_inference")
    train = training_flops(N, D_train)
    return _validate.as_output(train + inference_flops(N, 1.0) * D_inference)


def cost_per_flop(price_per_hour: ArrayLike, peak_flops: ArrayLike, utilisation: ArrayLike) -> FloatOrArray:
    """The price of one useful FLOP on hardware rented by the hour.

    ``price_per_hour / (3600 · peak_flops · utilisation)``: the same GPU costs more per
    useful FLOP when it is poorly utilised, as in small-batch inference.

    Parameters
    ----------
    price_per_hour : array_like
        Rental price of one accelerator per hour (positive; any currency).
    peak_flops : array_like
        Peak FLOP/s of the accelerator (positive).
    utilisation : array_like
        Fraction of the peak achieved, in (0, 1].

    Returns
    -------
    float or ndarray
        Price per FLOP.

    Examples
    --------
    >>> f"{cost_per_flop(2.0, 989e12, 0.4):.3g}"
    '1.4e-18'
    """
    price = _validate.positive(price_per_hour, "price_per_hour")
    peak = _validate.positive(peak_flops, "peak_flops")
    utilisation = _validate.fraction(utilisation, "utilisation")
    return _validate.as_output(price / (3600.0 * peak * utilisation))


def lifetime_cost(
    N: ArrayLike,
    D_train: ArrayLike,
    D_inference: ArrayLike,
    train_price: ArrayLike,
    inference_price: ArrayLike,
) -> FloatOrArray:
    """Price of training and serving: ``train_price · 6 N D_train + inference_price · 2 N D_inference``.

    Parameters
    ----------
    N, D_train, D_inference : array_like
        As in `lifetime_flops`.
    train_price, inference_price : array_like
        Price per training FLOP and per inference FLOP (positive), e.g. from `cost_per_flop`.

    Returns
    -------
    float or ndarray
        The lifetime price.

    Examples
    --------
    >>> lifetime_cost(7e9, 1e12, 2e12, 1.0, 2.0)  # serving FLOPs twice as dear
    9.8e+22
    """
    D_inference = _validate.nonnegative(D_inference, "D_inference")
    train_price = _validate.positive(train_price, "train_price")
    inference_price = _validate.positive(inference_price, "inference_price")
    train = training_flops(N, D_train)
    serve = inference_flops(N, 1.0) * D_inference
    return _validate.as_output(train_price * train + inference_price * serve)


# ---- inference-aware allocation -------------------------------------------------------------


def _check_law(law: object) -> ChinchillaLaw:
    if not isinstance(law, ChinchillaLaw):
        raise ValueError(f"law must be a ChinchillaLaw, got {type(law).__name__}")
    return law


def reducible_loss(law: ChinchillaLaw, target_loss: ArrayLike) -> NDArray[np.float64]:
    """``target_loss - law.E``: the loss the model and data terms may share between them.

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law.
    target_loss : array_like
        Loss to reach, in nats/token.

    Returns
    -------
    ndarray
        ``target_loss - law.E``, positive.

    Raises
    ------
    ValueError
        If `law` is not a ChinchillaLaw, or a target is not finite or not above ``law.E``
        (no finite model and data reach it).

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> float(reducible_loss(CHINCHILLA, 2.0).round(12))
    0.31
    """
    law = _check_law(law)
    target = _validate.positive(target_loss, "target_loss")
    if np.any(target <= law.E):
        bad = float(target[target <= law.E].flat[0])
        raise ValueError(
            f"target_loss must be above the law's irreducible loss E = {law.E:g}, got {bad:g}: "
            "no finite model and data reach it"
        )
    return target - law.E


def iso_loss_tokens(law: ChinchillaLaw, N: ArrayLike, target_loss: ArrayLike) -> FloatOrArray:
    """The training tokens with which a model of `N` parameters reaches `target_loss`.

    ``D_train(N) = (B / (target_loss - E - A / N**alpha))**(1 / beta)``: the iso-loss curve
    of `law`, defined where the model term ``A / N**alpha`` is below ``target_loss - E``.

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law.
    N : array_like
        Parameters (positive); broadcasts with `target_loss`.
    target_loss : array_like
        Loss to reach, in nats/token; above ``law.E``.

    Returns
    -------
    float or ndarray
        Training tokens.

    Raises
    ------
    ValueError
        If a model is too small to reach the target with any number of tokens, or an
        input is out of range.

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> D = iso_loss_tokens(CHINCHILLA, 70e9, 2.0)
    >>> round(float(CHINCHILLA.loss(70e9, D)), 12)
    2.0
    """
    reducible = reducible_loss(law, target_loss)
    N = _validate.positive(N, "N")
    left = reducible - law.model_term(N)
    if np.any(left <= 0):
        raise ValueError(
            "N is too small to reach target_loss with any number of tokens: it needs "
            "A / N**alpha below target_loss - E"
        )
    return _validate.as_output((law.B / left) ** (1.0 / law.beta))


def compute_optimal_tokens(law: ChinchillaLaw, N: ArrayLike) -> FloatOrArray:
    """The training tokens D that make a model of `N` parameters compute-optimal under `law`.

    On the compute-optimal frontier the model and data terms balance as
    ``alpha A / N**alpha = beta B / D**beta`` (Hoffmann et al. 2022, §3.3), so
    ``D = (beta B N**alpha / (alpha A))**(1 / beta)``.

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law.
    N : array_like
        Parameters (positive).

    Returns
    -------
    float or ndarray
        Training tokens.

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> N, D = CHINCHILLA.optimal_allocation(1e22)
    >>> round(compute_optimal_tokens(CHINCHILLA, N) / D, 9)
    1.0
    """
    law = _check_law(law)
    N = _validate.positive(N, "N")
    D = (law.beta * law.B * N**law.alpha / (law.alpha * law.A)) ** (1.0 / law.beta)
    return _validate.as_output(D)


def _allocation_from_share(
    law: ChinchillaLaw, reducible: NDArray[np.float64], share: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(N, D) whose data term is ``share · reducible`` and model term the rest."""
    N = (law.A / (reducible * (1.0 - share))) ** (1.0 / law.alpha)
    D = (law.B / (reducible * share)) ** (1.0 / law.beta)
    return N, D


def _log_marginal_inference(
    law: ChinchillaLaw, reducible: NDArray[np.float64], log_share: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Log of h, the inference tokens at which a model with this data-term share is optimal.

    Along the iso-loss curve, ``d lifetime / d log N = 2 N (D_inference - h)`` with
    ``h = 3 D (alpha - (alpha + beta) s) / (beta s)`` and s the share of the reducible loss
    held by the data term; h falls from +inf (s → 0) to 0 at Chinchilla's
    ``s = alpha / (alpha + beta)``.
    """
    share = np.exp(log_share)
    log_D = (np.log(law.B) - np.log(reducible) - log_share) / law.beta
    with np.errstate(divide="ignore"):
        gap = np.log(np.maximum(law.alpha - (law.alpha + law.beta) * share, 0.0))
    return np.log(3.0) + log_D + gap - np.log(law.beta) - log_share


def inference_aware_allocation(
    law: ChinchillaLaw, target_loss: ArrayLike, D_inference: ArrayLike
) -> tuple[FloatOrArray, FloatOrArray]:
    """``(N, D_train)`` reaching `target_loss` with the least lifetime FLOPs (Sardana et al. 2024).

    Minimises ``6 N D_train + 2 N D_inference`` subject to ``law.loss(N, D_train) =
    target_loss``. On that curve ``D_train(N) = (B / (ℓ - E - A / N**alpha))**(1 / beta)``
    for ``N > (A / (ℓ - E))**(1 / alpha)``, and the lifetime FLOPs have a single minimum
    in log N, where the derivative changes sign. It is found by bisection (120 halvings,
    vectorised) on the share of the reducible loss ``ℓ - E`` held by the data term, a
    monotone reparametrisation of log N. With ``D_inference = 0`` the share is
    ``alpha / (alpha + beta)``, which is Chinchilla's optimum for the compute that reaches
    the loss (`chinchilla_allocation_for_loss`); more inference moves it to a smaller model
    trained on more tokens.

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law ``L(N, D)``.
    target_loss : array_like
        Loss to reach, in nats/token; above ``law.E``.
    D_inference : array_like
        Lifetime inference tokens (non-negative); broadcasts with `target_loss`.

    Returns
    -------
    (N, D_train) : tuple of float or ndarray
        Parameters and training tokens.

    Raises
    ------
    ValueError
        If ``target_loss <= law.E`` (unreachable), an input is not a finite number of
        the right sign, or the shapes of `target_loss` and `D_inference` do not broadcast.

    References
    ----------
    Sardana et al. 2024, arXiv:2401.00448 (the objective; read in secondary sources);
    Hoffmann et al. 2022, §3.3 (the law).

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> N, D = inference_aware_allocation(CHINCHILLA, 2.0, [0.0, 1e13])
    >>> [round(float(n) / 1e9, 2) for n in N]
    [15.3, 6.49]
    >>> bool(np.allclose(CHINCHILLA.loss(N, D), 2.0))
    True
    """
    reducible = reducible_loss(law, target_loss)
    D_inference = _validate.nonnegative(D_inference, "D_inference")
    try:
        reducible, D_inference = np.broadcast_arrays(reducible, D_inference)
    except ValueError:
        raise ValueError(
            f"target_loss and D_inference must broadcast together, got shapes {reducible.shape} "
            f"and {D_inference.shape}"
        ) from None
    with np.errstate(divide="ignore"):
        log_demand = np.log(D_inference)
    # h(s) is decreasing in s: bisect log s between a share where h is astronomically
    # large (s = e**-700) and Chinchilla's share, where h = 0
    low = np.full(reducible.shape, -700.0)
    high = np.full(reducible.shape, np.log(law.alpha / (law.alpha + law.beta)))
    for _ in range(120):
        middle = 0.5 * (low + high)
        too_small_share = _log_marginal_inference(law, reducible, middle) > log_demand
        low = np.where(too_small_share, middle, low)
        high = np.where(too_small_share, high, middle)
    N, D = _allocation_from_share(law, reducible, np.exp(0.5 * (low + high)))
    return _validate.as_output(N), _validate.as_output(D)


def chinchilla_allocation_for_loss(
    law: ChinchillaLaw, target_loss: ArrayLike
) -> tuple[FloatOrArray, FloatOrArray]:
    """The compute-optimal ``(N, D)`` reaching `target_loss`: the training-only optimum.

    Equal to ``law.optimal_allocation(C)`` at the budget C whose optimum reaches the loss,
    and to `inference_aware_allocation` with no inference.

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> N, D = chinchilla_allocation_for_loss(CHINCHILLA, CHINCHILLA.loss_at_compute(1e22))
    >>> round(N / CHINCHILLA.optimal_allocation(1e22)[0], 9)
    1.0
    """
    reducible = reducible_loss(law, target_loss)
    share = np.full(reducible.shape, law.alpha / (law.alpha + law.beta))
    N, D = _allocation_from_share(law, reducible, share)
    return _validate.as_output(N), _validate.as_output(D)


def inference_aware_allocation_by_cost(
    law: ChinchillaLaw,
    target_loss: ArrayLike,
    D_inference: ArrayLike,
    train_price: ArrayLike,
    inference_price: ArrayLike,
) -> tuple[FloatOrArray, FloatOrArray]:
    """``(N, D_train)`` reaching `target_loss` at the least `lifetime_cost`.

    Scaling the cost by ``1 / train_price`` shows it is the FLOP problem with
    ``D_inference · inference_price / train_price`` inference tokens: dearer inference
    FLOPs (lower utilisation while serving, say) act like more inference demand.

    Parameters
    ----------
    law, target_loss, D_inference
        As in `inference_aware_allocation`.
    train_price, inference_price : array_like
        Price per training FLOP and per inference FLOP (positive).

    Returns
    -------
    (N, D_train) : tuple of float or ndarray

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> by_cost = inference_aware_allocation_by_cost(CHINCHILLA, 2.0, 1e12, 1.0, 10.0)
    >>> by_flops = inference_aware_allocation(CHINCHILLA, 2.0, 1e13)
    >>> bool(np.allclose(by_cost, by_flops))
    True
    """
    D_inference = _validate.nonnegative(D_inference, "D_inference")
    ratio = _validate.positive(inference_price, "inference_price") / _validate.positive(
        train_price, "train_price"
    )
    return inference_aware_allocation(law, target_loss, D_inference * ratio)


def implied_inference_tokens(law: ChinchillaLaw, N: ArrayLike, D_train: ArrayLike) -> FloatOrArray:
    """The lifetime inference tokens for which ``(N, D_train)`` is the inference-aware optimum.

    The inverse of `inference_aware_allocation` at the model's own loss: the demand that
    would justify training this model this long. Zero for a compute-optimal model.

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law.
    N, D_train : array_like
        Parameters and training tokens (positive); the model must be trained at least
        as long as compute-optimal (`compute_optimal_tokens`), since no inference demand
        favours a larger model.

    Returns
    -------
    float or ndarray
        Inference tokens.

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> N, D = inference_aware_allocation(CHINCHILLA, 2.0, 1e13)
    >>> f"{implied_inference_tokens(CHINCHILLA, N, D):.4g}"
    '1e+13'
    """
    law = _check_law(law)
    N = _validate.positive(N, "N")
    D_train = _validate.positive(D_train, "D_train")
    N, D_train = np.broadcast_arrays(N, D_train)
    if np.any(D_train < compute_optimal_tokens(law, N) * (1 - 1e-9)):
        raise ValueError(
            "D_train must be at least the compute-optimal tokens for N (compute_optimal_tokens): "
            "no inference demand makes a model larger than compute-optimal the cheapest"
        )
    model, data = law.model_term(N), law.data_term(D_train)
    share = data / (model + data)
    with np.errstate(divide="ignore"):
        log_h = _log_marginal_inference(law, model + data, np.log(share))
    return _validate.as_output(np.exp(log_h))


def lifetime_saving(law: ChinchillaLaw, target_loss: ArrayLike, D_inference: ArrayLike) -> FloatOrArray:
    """Fraction of lifetime FLOPs the inference-aware model saves over Chinchilla's at the same loss.

    ``1 - lifetime(inference-aware) / lifetime(compute-optimal)``, both reaching
    `target_loss` and serving `D_inference` tokens; in [0, 1).

    Examples
    --------
    >>> from lib.laws import CHINCHILLA
    >>> round(lifetime_saving(CHINCHILLA, 2.0, 1e13), 3)
    0.326
    """
    N, D = inference_aware_allocation(law, target_loss, D_inference)
    N_c, D_c = chinchilla_allocation_for_loss(law, target_loss)
    return _validate.as_output(
        1.0 - lifetime_flops(N, D, D_inference) / lifetime_flops(N_c, D_c, D_inference)
    )


# ---- repeated sampling and verifiers --------------------------------------------------------


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
    p: NDArray[np.float64], recall: ArrayLike, fpr: ArrayLike
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


# ---- train-time vs test-time compute ---------------------------------------------------------


@dataclass(frozen=True)
class TrainTestTradeoff:
    """A board-game agent's strength as a plane in log compute, in the spirit of Jones (2021).

    ``Elo = elo_per_decade · (log10(C_train / train_ref) + log10(C_test / test_ref) / log10(r))``

    with ``r = test_per_train_decade``: along an iso-Elo contour, every 10× of train
    compute removes ``test_per_train_decade``× of test compute. Jones reports about 500 Elo
    per order of magnitude of compute; reading that as 500 Elo per 10× train-time compute
    at fixed test-time compute is this model's assumption. The plane is built to
    reproduce the paper's two summary numbers, not its fitted surface, which bends and
    ends at a floor of a single-node tree search (`test_floor`).

    Attributes
    ----------
    elo_per_decade : float
        Elo gained per 10× train-time compute at fixed test-time compute (a model
        assumption built on Jones's "about 500 Elo per order of magnitude of compute").
    test_per_train_decade : float
        Test-time compute factor equivalent to 10× train-time compute (Jones: about 15).
    train_ref, test_ref : float
        Compute (FLOPs) at which the Elo is 0.
    test_floor : float
        The smallest test-time compute an agent can use (FLOPs per move).

    References
    ----------
    Jones 2021, arXiv:2104.03113: "for each additional 10× of train-time compute, about
    15× of test-time compute can be eliminated, down to a floor of a single-node tree
    search"; "500 Elo per order of magnitude increase in compute" (quoted from the body
    text in a secondary copy).

    Examples
    --------
    >>> round(JONES_TRADEOFF.elo(1e13, 1e6) - JONES_TRADEOFF.elo(1e12, 15e6), 9)
    0.0
    """

    elo_per_decade: float = 500.0
    test_per_train_decade: float = 15.0
    train_ref: float = 1e12
    test_ref: float = 1e6
    test_floor: float = 1e6

    def __post_init__(self) -> None:
        for name in ("elo_per_decade", "train_ref", "test_ref", "test_floor"):
            _validate.scalar(getattr(self, name), name, _validate.positive)
        if _validate.scalar(self.test_per_train_decade, "test_per_train_decade", _validate.positive) <= 1:
            raise ValueError(f"test_per_train_decade must be above 1, got {self.test_per_train_decade}")

    def elo(self, C_train: ArrayLike, C_test: ArrayLike) -> FloatOrArray:
        """Elo of an agent trained with `C_train` FLOPs searching with `C_test` FLOPs per move."""
        C_train = _validate.positive(C_train, "C_train")
        C_test = _validate.positive(C_test, "C_test")
        if np.any(C_test < self.test_floor):
            raise ValueError(f"C_test must be at least the floor test_floor = {self.test_floor:g}")
        decades = np.log10(C_train / self.train_ref) + np.log10(C_test / self.test_ref) / np.log10(
            self.test_per_train_decade
        )
        return _validate.as_output(self.elo_per_decade * decades)

    def test_compute_for(self, elo: ArrayLike, C_train: ArrayLike) -> FloatOrArray:
        """Test-time FLOPs per move that reach `elo` with `C_train`; NaN-free, raises below the floor.

        Examples
        --------
        >>> round(JONES_TRADEOFF.test_compute_for(500.0, 1e12) / 1e6, 6)  # 10× train ≙ 15× test
        15.0
        """
        elo = _validate.finite(elo, "elo")
        C_train = _validate.positive(C_train, "C_train")
        train_decades = np.log10(C_train / self.train_ref)
        test_decades = (elo / self.elo_per_decade - train_decades) * np.log10(self.test_per_train_decade)
        C_test = self.test_ref * 10.0**test_decades
        if np.any(C_test < self.test_floor * (1 - 1e-12)):
            raise ValueError(
                "elo is reached below the test-time floor with this C_train: the agent needs less "
                "train-time compute, or the floor (a single-node search) is the answer"
            )
        return _validate.as_output(C_test)


JONES_TRADEOFF = TrainTestTradeoff()
"""The default plane: 500 Elo per 10× train compute, 10× train ≙ 15× test (Jones 2021)."""


def flops_matched_samples(
    N_small: ArrayLike, N_large: ArrayLike, D_train: ArrayLike = 0.0, D_inference: ArrayLike = 1.0
) -> FloatOrArray:
    """Samples per query a small model can draw for the FLOPs of one sample of a large one.

    Both models are trained on `D_train` tokens and the large one serves `D_inference`
    tokens (one sample per query); the small model serving ``k · D_inference`` tokens costs
    the same lifetime FLOPs when

    ``k = N_large / N_small + 3 D_train (N_large - N_small) / (N_small D_inference)``.

    With inference alone (``D_train = 0``) this is the size ratio: 14 samples for a 14×
    larger model. Training compute saved by the small model buys more samples, the more
    so the less the model is used.

    Parameters
    ----------
    N_small, N_large : array_like
        Parameters (positive), ``N_large >= N_small``.
    D_train : array_like
        Pretraining tokens of both models (non-negative).
    D_inference : array_like
        Inference tokens of the large model (positive).

    Returns
    -------
    float or ndarray
        k, not rounded.

    References
    ----------
    Snell et al. 2024, arXiv:2408.03314 (FLOPs-matched comparison with a 14× larger
    model). The pretraining term is this course's extension, with 6N FLOPs per training
    token and 2N per inference token (Kaplan et al. 2020, §2.1 and eq. 2.2).

    Examples
    --------
    >>> flops_matched_samples(1e9, 14e9)
    14.0
    >>> k = flops_matched_samples(1e9, 14e9, D_train=1e12, D_inference=1e12)
    >>> k, bool(np.isclose(lifetime_flops(1e9, 1e12, k * 1e12), lifetime_flops(14e9, 1e12, 1e12)))
    (53.0, True)
    """
    N_small = _validate.positive(N_small, "N_small")
    N_large = _validate.positive(N_large, "N_large")
    if np.any(N_large < N_small):
        raise ValueError("N_large must be at least N_small")
    D_train = _validate.nonnegative(D_train, "D_train")
    D_inference = _validate.positive(D_inference, "D_inference")
    # training FLOPs the small model saves: 6 (N_large - N_small) D_train
    extra_training = training_flops(1.0, 1.0) * (N_large - N_small) * D_train
    per_token_small = inference_flops(N_small, 1.0)
    return _validate.as_output(
        (inference_flops(N_large, D_inference) + extra_training) / (per_token_small * D_inference)
    )
