"""Utilisation falling as more GPUs communicate, and what that does to a loss bought with GPUs.

`UtilisationModel` writes it as a power law ``U(G) = u_ref (G / g_ref)**-b``, so the useful
throughput ``G P U(G)`` grows like ``G**(1 - b)`` and a loss that falls like ``C**-a`` falls
like ``(G P U(G))**-a``, which is proportional to ``(G**(1 - b) P)**-a``: utilisation enters
once, through ``U(G)``. Its parameters are assumptions the reader sets.

References
----------
Constantin 2023, "'Scaling Laws' for AI and some implications" (essay; the loss-in-GPUs
form and a BERT utilisation claim it attributes to Frey et al. 2022). Hoffmann et al. 2022,
arXiv:2203.15556, §3.3 (the compute-optimal frontier used by
`gpus_where_doubling_gains_less_than`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.hardware.training_time import SECONDS_PER_DAY
from lib.laws import CHINCHILLA, ChinchillaLaw
from lib.powerlaw import FloatOrArray

__all__ = ["UtilisationModel", "ESSAY_BERT_UTILISATION", "gpus_where_doubling_gains_less_than"]


@dataclass(frozen=True)
class UtilisationModel:
    """Utilisation falling as a power of the GPU count: ``U(G) = u_ref (G / g_ref)**-b``.

    Useful throughput is then ``G P U(G) ∝ G**(1 - b) P``: more GPUs add throughput as
    long as ``b < 1``, at a cost per useful FLOP that grows like ``G**b``.

    Attributes
    ----------
    u_ref : float
        Utilisation at `g_ref` GPUs, in (0, 1].
    g_ref : float
        The GPU count where `u_ref` holds (positive).
    b : float
        How fast utilisation falls (non-negative); 0 means perfect scaling.

    References
    ----------
    Constantin 2023: a loss ``∝ C**-a`` becomes ``∝ (G P U(G))**-a ∝ (G**(1-b) P)**-a``.

    Examples
    --------
    >>> model = UtilisationModel(u_ref=0.43, g_ref=8192, b=0.07)
    >>> round(model.at(16384), 3)
    0.41
    """

    u_ref: float
    g_ref: float
    b: float

    def __post_init__(self) -> None:
        _validate.scalar(self.u_ref, "u_ref", _validate.fraction)
        _validate.scalar(self.g_ref, "g_ref", _validate.positive)
        _validate.scalar(self.b, "b", _validate.nonnegative)

    @classmethod
    def from_two_points(
        cls, g_small: float, u_small: float, g_large: float, u_large: float
    ) -> UtilisationModel:
        """The model through two measurements ``(g_small, u_small)`` and ``(g_large, u_large)``.

        ``b = ln(u_small / u_large) / ln(g_large / g_small)``.

        Raises
        ------
        ValueError
            If ``g_large <= g_small`` or utilisation rises with G (``b`` would be negative).

        Examples
        --------
        >>> round(UtilisationModel.from_two_points(2, 0.33, 128, 0.20).b, 4)
        0.1204
        """
        g_small = _validate.scalar(g_small, "g_small", _validate.positive)
        g_large = _validate.scalar(g_large, "g_large", _validate.positive)
        u_small = _validate.scalar(u_small, "u_small", _validate.fraction)
        u_large = _validate.scalar(u_large, "u_large", _validate.fraction)
        if g_large <= g_small:
            raise ValueError(f"g_large must be larger than g_small, got {g_large} <= {g_small}")
        if u_large > u_small:
            raise ValueError(f"u_large must not exceed u_small (utilisation falls with G), got {u_large}")
        return cls(u_ref=u_small, g_ref=g_small, b=math.log(u_small / u_large) / math.log(g_large / g_small))

    def at(self, n_gpus: ArrayLike) -> FloatOrArray:
        """Utilisation at `n_gpus` GPUs.

        Raises
        ------
        ValueError
            If the power law exceeds 1 there (far below `g_ref` with a large `b`).
        """
        n_gpus = _validate.positive(n_gpus, "n_gpus")
        utilisation = self.u_ref * (n_gpus / self.g_ref) ** -self.b
        if np.any(utilisation > 1):
            bad = float(np.broadcast_to(n_gpus, utilisation.shape)[utilisation > 1].flat[0])
            raise ValueError(f"n_gpus is too small for this model: utilisation above 1 at n_gpus={bad:g}")
        return _validate.as_output(utilisation)

    def throughput(self, n_gpus: ArrayLike, peak_flops_per_gpu: ArrayLike) -> FloatOrArray:
        """Useful FLOP/s of the cluster, ``G × peak × U(G)``.

        Examples
        --------
        >>> f"{ESSAY_BERT_UTILISATION.throughput(128, 1e15):.3g}"
        '2.56e+16'
        """
        n_gpus = _validate.positive(n_gpus, "n_gpus")
        peak = _validate.positive(peak_flops_per_gpu, "peak_flops_per_gpu")
        return _validate.as_output(n_gpus * peak * np.asarray(self.at(n_gpus)))


ESSAY_BERT_UTILISATION = UtilisationModel.from_two_points(2, 0.33, 128, 0.20)
"""The essay's claim, not verified: BERT at about 33 % utilisation on 2 GPUs and 20 % on 128
(Constantin 2023, citing Frey et al. 2022, whose full text could not be checked); b ≈ 0.12."""


def gpus_where_doubling_gains_less_than(
    gain: float,
    days: float,
    peak_flops_per_gpu: float,
    model: UtilisationModel,
    law: ChinchillaLaw = CHINCHILLA,
) -> float:
    """The GPU count beyond which doubling the GPUs lowers the loss by less than `gain` nats.

    With a fixed run length, ``C(G) = days × 86400 × G P U(G) ∝ G**(1 - b)``. On the
    compute-optimal frontier of a Chinchilla-form law the reducible loss is a power of C,
    ``L(C) - E = K C**-gamma`` with ``gamma = alpha beta / (alpha + beta)``, so one
    doubling of G removes the fraction ``1 - 2**(-gamma (1 - b))`` of the reducible loss.
    Setting that equal to `gain` gives G in closed form.

    Parameters
    ----------
    gain : float
        The loss reduction (nats/token) one doubling must buy to be worth it (positive).
    days : float
        Run length (positive).
    peak_flops_per_gpu : float
        Dense peak FLOP/s of one GPU.
    model : UtilisationModel
        How utilisation falls with G; with ``b >= 1`` more GPUs never help.
    law : ChinchillaLaw
        The law whose compute-optimal loss is used.

    Returns
    -------
    float
        The GPU count; 0 when ``b >= 1``, where no doubling gains anything.

    References
    ----------
    Hoffmann et al. 2022, §3.3 (the frontier); Constantin 2023 (the utilisation form).

    Examples
    --------
    >>> model = UtilisationModel(u_ref=0.4, g_ref=1, b=0.0)
    >>> G = gpus_where_doubling_gains_less_than(0.01, 30, 989.4e12, model)
    >>> f"{G:.3g}"
    '1.83e+05'
    """
    gain = _validate.scalar(gain, "gain", _validate.positive)
    days = _validate.scalar(days, "days", _validate.positive)
    peak = _validate.scalar(peak_flops_per_gpu, "peak_flops_per_gpu", _validate.positive)
    if model.b >= 1:
        return 0.0
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    exponent = gamma * (1.0 - model.b)
    flops_at_ref = days * SECONDS_PER_DAY * float(np.asarray(model.throughput(model.g_ref, peak)))
    reducible_at_ref = law.loss_at_compute(flops_at_ref) - law.E
    gain_at_ref = reducible_at_ref * (1.0 - 2.0**-exponent)
    return float(model.g_ref * (gain_at_ref / gain) ** (1.0 / exponent))
