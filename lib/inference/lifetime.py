"""The lifetime compute and cost of a model: trained once, then serving tokens.

Training costs ``6 N D_train`` FLOPs; serving ``D_inference`` tokens costs ``2 N`` FLOPs each.

References
----------
Kaplan et al. 2020, arXiv:2001.08361, eq. 2.2 (2N FLOPs per token) and §2.1 (6N per
training token). Sardana, Portes, Doubov and Frankle 2024, "Beyond Chinchilla-Optimal",
arXiv:2401.00448.
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from lib import _validate
from lib.compute import inference_flops, training_flops
from lib.powerlaw import FloatOrArray

__all__ = ["lifetime_flops", "lifetime_cost", "cost_per_flop"]


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
