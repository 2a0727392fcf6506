"""Counting compute: training and inference FLOPs, transformer parameter counts.

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361,
§2.1: eq. 2.1 (parameters), eq. 2.2 (forward FLOPs per token), C ≈ 6N per training
token; §1.3: one PF-day is 8.64e19 FLOPs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.powerlaw import FloatOrArray

__all__ = [
    "PF_DAY",
    "training_flops",
    "tokens_for_budget",
    "inference_flops",
    "transformer_params",
    "transformer_params_with_embeddings",
    "forward_flops_per_token",
    "pf_days",
]

PF_DAY = 1e15 * 24 * 3600  # FLOPs in one petaflop/s-day (Kaplan et al. 2020, §1.3)


def training_flops(N: ArrayLike, D: ArrayLike) -> FloatOrArray:
    """Training compute ``C = 6 N D`` in FLOPs (Kaplan et al. 2020, §2.1).

    Two FLOPs per parameter per token for the forward pass and four for the backward
    pass; the attention term is left out, as in the scaling-law papers.

    Parameters
    ----------
    N : array_like
        Parameters (positive).
    D : array_like
        Training tokens (positive).

    Examples
    --------
    >>> training_flops(70e9, 1.4e12)  # Chinchilla
    5.88e+23
    """
    N = _validate.positive(N, "N")
    D = _validate.positive(D, "D")
    with np.errstate(over="ignore"):
        C = 6.0 * N * D
    if not np.all(np.isfinite(C)):
        raise ValueError("N * D is too large: 6 N D overflows floating point")
    return _validate.as_output(C)


def tokens_for_budget(C: ArrayLike, N: ArrayLike) -> FloatOrArray:
    """Tokens ``D = C / (6 N)`` that a budget of `C` FLOPs buys for a model of `N` parameters.

    The inverse of `training_flops` in D: every point of an iso-FLOP line.

    Parameters
    ----------
    C : array_like
        Training budget in FLOPs (positive).
    N : array_like
        Parameters (positive); broadcasts with `C`.

    Returns
    -------
    float or ndarray
        Training tokens.

    References
    ----------
    Kaplan et al. 2020, §2.1 (C ≈ 6 N D); Hoffmann et al. 2022, §3.2 (IsoFLOP profiles).

    Examples
    --------
    >>> tokens_for_budget(5.88e23, 70e9) / 1e12  # Chinchilla's budget and size: 1.4T tokens
    1.4
    """
    C = _validate.positive(C, "C")
    N = _validate.positive(N, "N")
    return _validate.as_output(C / (6.0 * N))


def inference_flops(N: ArrayLike, tokens: ArrayLike) -> FloatOrArray:
    """Inference compute ``2 N`` FLOPs per generated or read token (Kaplan et al. 2020, eq. 2.2).

    Examples
    --------
    >>> inference_flops(7e9, 1000)
    14000000000000.0
    """
    N = _validate.positive(N, "N")
    tokens = _validate.positive(tokens, "tokens")
    return _validate.as_output(2.0 * N * tokens)


def _whole(x: ArrayLike, name: str) -> np.ndarray:
    values = _validate.positive(x, name)
    if np.any(values != np.round(values)):
        raise ValueError(f"{name} must be a whole number, got {values[values != np.round(values)].flat[0]}")
    return values


def transformer_params(n_layer: ArrayLike, d_model: ArrayLike) -> FloatOrArray:
    """Non-embedding parameters ``12 n_layer d_model**2`` (Kaplan et al. 2020, eq. 2.1).

    Assumes ``d_attn = d_model`` and ``d_ff = 4 d_model``; biases, layer norms and the
    vocabulary and position embeddings are not counted.

    Examples
    --------
    >>> transformer_params(80, 8192) / 1e9  # Chinchilla's shape (Hoffmann et al. 2022, Table 4)
    64.42450944
    """
    n_layer = _whole(n_layer, "n_layer")
    d_model = _whole(d_model, "d_model")
    return _validate.as_output(12.0 * n_layer * d_model**2)


def transformer_params_with_embeddings(
    n_layer: ArrayLike, d_model: ArrayLike, n_vocab: ArrayLike, n_ctx: ArrayLike
) -> FloatOrArray:
    """Parameters including the token and position embeddings: ``12 L d**2 + (n_vocab + n_ctx) d``.

    Examples
    --------
    >>> transformer_params_with_embeddings(12, 768, 50257, 1024) / 1e6  # GPT-2 small's shape
    124.318464
    """
    non_embedding = transformer_params(n_layer, d_model)
    d_model = _whole(d_model, "d_model")
    embeddings = (_whole(n_vocab, "n_vocab") + _whole(n_ctx, "n_ctx")) * d_model
    return _validate.as_output(non_embedding + embeddings)


def forward_flops_per_token(
    N: ArrayLike, n_layer: ArrayLike, n_ctx: ArrayLike, d_model: ArrayLike
) -> FloatOrArray:
    """Forward-pass FLOPs per token ``2 N + 2 n_layer n_ctx d_model`` (Kaplan et al. 2020, eq. 2.2).

    The second term is attention over a context of ``n_ctx`` tokens; it matters only
    when ``n_ctx`` is comparable to ``12 d_model``.

    Examples
    --------
    >>> forward_flops_per_token(transformer_params(12, 768), 12, 1024, 768) / 1e6
    188.74368
    """
    N = _validate.positive(N, "N")
    n_layer = _whole(n_layer, "n_layer")
    n_ctx = _whole(n_ctx, "n_ctx")
    d_model = _whole(d_model, "d_model")
    return _validate.as_output(2.0 * N + 2.0 * n_layer * n_ctx * d_model)


def pf_days(flops: ArrayLike) -> FloatOrArray:
    """Convert FLOPs to petaflop/s-days (Kaplan et al. 2020, §1.3).

    Examples
    --------
    >>> round(pf_days(3.14e23))  # GPT-3 175B, about 3.64e3 PF-days
    3634
    """
    return _validate.as_output(_validate.positive(flops, "flops") / PF_DAY)
