"""Inference-aware model sizes: the cheapest model, over its whole life, that reaches a given loss.

Minimising ``6 N D_tr + 2 N D_inf`` subject to ``L(N, D_tr) = ℓ`` gives models smaller and
longer trained than Chinchilla's.

References
----------
Sardana, Portes, Doubov and Frankle 2024, "Beyond Chinchilla-Optimal: Accounting for
Inference in Language Model Scaling Laws", arXiv:2401.00448 (ICML 2024). Hoffmann et al.
2022, arXiv:2203.15556, §3.3 (the law and its optimum).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import _validate
from lib.inference.lifetime import lifetime_flops
from lib.laws import ChinchillaLaw
from lib.powerlaw import FloatOrArray

__all__ = [
    "reducible_loss",
    "iso_loss_tokens",
    "compute_optimal_tokens",
    "chinchilla_allocation_for_loss",
    "inference_aware_allocation",
    "inference_aware_allocation_by_cost",
    "implied_inference_tokens",
    "lifetime_saving",
]


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
        log_h = _log_marginal_inference(law, np.asarray(model + data), np.log(share))
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
