"""Scaling laws in two variables: Kaplan et al. (2020) and the Chinchilla form.

``ChinchillaLaw`` is ``L(N, D) = E + A / N**alpha + B / D**beta`` with its closed-form
compute-optimal allocation; ``KaplanLaw`` is the law of Kaplan et al. with its
single-variable limits, its learning-curve law L(N, S_min) and the compute needed to
reach a loss; ``batch_tradeoff`` is the steps/data trade-off behind the critical batch
size. Published constants are read from
``lib/data/published_power_laws.csv`` (one source for every chapter) or, for Kaplan's
Table 2, written here with the equation they come from.

References
----------
Kaplan et al. 2020, arXiv:2001.08361: eqs. 1.1-1.6, 4.4, 5.1-5.6, 6.1-6.2; Tables 2 and 3.
Hoffmann et al. 2022, arXiv:2203.15556: §3.3 (closed-form frontier), App. D.2 (constants).
Besiroglu et al. 2024, arXiv:2404.10102 (refit of the approach-3 constants).
McCandlish et al. 2018, arXiv:1812.06162 (the steps/data trade-off restated as Kaplan eq. 5.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.compute import PF_DAY
from lib.literature import published_law
from lib.powerlaw import FloatOrArray

__all__ = [
    "ChinchillaLaw",
    "KaplanLaw",
    "CHINCHILLA",
    "CHINCHILLA_UNROUNDED",
    "EPOCH_REPLICATION",
    "KAPLAN",
    "LECTURE_TOY",
    "LECTURE_TOY_POINTS",
    "LECTURE_SLIDE_E",
    "batch_tradeoff",
]


@dataclass(frozen=True)
class ChinchillaLaw:
    """``L(N, D) = E + A / N**alpha + B / D**beta`` in nats/token (Hoffmann et al. 2022, §3.3).

    Attributes
    ----------
    E : float
        Irreducible loss (nats/token).
    A, alpha : float
        Coefficient and exponent of the model term (N in parameters).
    B, beta : float
        Coefficient and exponent of the data term (D in tokens).
    source : str
        BibTeX key of the paper the constants come from ("" for made-up laws).

    Examples
    --------
    >>> round(CHINCHILLA.loss(70e9, 1.4e12), 3)
    1.937
    """

    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("E", "A", "B", "alpha", "beta"):
            _validate.scalar(getattr(self, name), name, _validate.positive)

    def loss(self, N: ArrayLike, D: ArrayLike) -> FloatOrArray:
        """Predicted loss for `N` parameters trained on `D` tokens (broadcasts).

        Examples
        --------
        >>> ChinchillaLaw(E=2, A=1000, B=1000, alpha=1/3, beta=1/4).loss(1e9, 1e8)
        13.0
        """
        N = _validate.positive(N, "N")
        D = _validate.positive(D, "D")
        return _validate.as_output(self.E + self.A / N**self.alpha + self.B / D**self.beta)

    def model_term(self, N: ArrayLike) -> FloatOrArray:
        """The part of the loss that a larger model removes, ``A / N**alpha``.

        Examples
        --------
        >>> round(LECTURE_TOY.model_term(1e9), 12)
        1.0
        """
        N = _validate.positive(N, "N")
        return _validate.as_output(self.A / N**self.alpha)

    def data_term(self, D: ArrayLike) -> FloatOrArray:
        """The part of the loss that more data removes, ``B / D**beta``.

        Examples
        --------
        >>> LECTURE_TOY.data_term(1e8)
        10.0
        """
        D = _validate.positive(D, "D")
        return _validate.as_output(self.B / D**self.beta)

    @property
    def exponents(self) -> tuple[float, float]:
        """``(a, b) = (beta / (alpha + beta), alpha / (alpha + beta))``: N_opt ∝ C**a, D_opt ∝ C**b.

        Examples
        --------
        >>> [round(x, 3) for x in CHINCHILLA.exponents]
        [0.452, 0.548]
        """
        total = self.alpha + self.beta
        return self.beta / total, self.alpha / total

    def optimal_allocation(self, C: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
        """``(N_opt, D_opt)`` minimising the loss subject to ``6 N D = C`` FLOPs.

        Setting the derivative of ``A N**-alpha + B (C / 6N)**-beta`` to zero gives
        ``N_opt = G (C/6)**a`` with ``G = (alpha A / (beta B))**(1 / (alpha + beta))``
        (Hoffmann et al. 2022, §3.3); ``D_opt = C / (6 N_opt)`` so the budget is spent
        exactly.

        Examples
        --------
        >>> N, D = CHINCHILLA.optimal_allocation(5.76e23)  # Gopher's budget
        >>> round(N / 1e9, 1), round(D / 1e12, 2)
        (32.2, 2.98)
        """
        C = _validate.positive(C, "C")
        a, _ = self.exponents
        G = (self.alpha * self.A / (self.beta * self.B)) ** (1.0 / (self.alpha + self.beta))
        N_opt = G * (C / 6.0) ** a
        D_opt = C / (6.0 * N_opt)
        return _validate.as_output(N_opt), _validate.as_output(D_opt)

    def loss_at_compute(self, C: ArrayLike) -> FloatOrArray:
        """The loss on the compute-optimal frontier: ``loss(*optimal_allocation(C))``.

        Examples
        --------
        >>> round(CHINCHILLA.loss_at_compute(5.76e23), 3)
        1.931
        """
        return self.loss(*self.optimal_allocation(C))


def _from_published(paper: str) -> ChinchillaLaw:
    model, data = published_law(f"{paper}_N"), published_law(f"{paper}_D")
    if model.law.floor != data.law.floor:
        raise ValueError(f"{paper}: the model and data rows disagree on E")
    return ChinchillaLaw(
        E=model.law.floor,
        A=model.law.coefficient,
        B=data.law.coefficient,
        alpha=model.alpha,
        beta=data.alpha,
        source=model.cite_key,
    )


CHINCHILLA = _from_published("hoffmann2022")
"""Approach 3 as published: E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28 (App. D.2)."""

CHINCHILLA_UNROUNDED = ChinchillaLaw(
    E=1.6934, A=406.4, B=410.7, alpha=0.33917, beta=0.28491, source="hoffmann2022"
)
"""Approach 3 with the unrounded E, alpha and beta behind App. D.2's rounded ones.

Hoffmann et al. print their fit rounded: E 1.69, alpha 0.34, beta 0.28. The analysis
notebook of Besiroglu et al. (2024) works with more digits of the same fit, E 1.6934
(log E = 0.5267228), alpha 0.33917 and beta 0.28491. A = 406.4 and B = 410.7 stay as
printed: the sources checked for this course give only E, alpha and beta with more
digits, and A and B barely matter for the allocation. N_opt depends on them through
(A / B)**(1 / (alpha + beta)), so moving A and B anywhere within their printed rounding
(±0.05) changes N_opt at Gopher's budget by less than 0.05 %. The exponents' rounding
matters for the allocation, not for the loss: at Gopher's budget (5.76e23 FLOPs) this
law gives N_opt ≈ 40.4e9 parameters, the 40B of the paper's Fig. 4, while `CHINCHILLA`
gives ≈ 32.2e9, because N_opt ∝ C**(beta / (alpha + beta)) and a small change of an
exponent moves a power of 1e23 a long way.

References
----------
Hoffmann et al. 2022, arXiv:2203.15556, App. D.2 (rounded constants) and Fig. 4 (40B);
Besiroglu et al. 2024, arXiv:2404.10102, analysis notebook (unrounded E, alpha, beta).
"""

EPOCH_REPLICATION = _from_published("besiroglu2024")
"""The replication's refit: E 1.82, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658."""

LECTURE_TOY = ChinchillaLaw(E=2.0, A=1000.0, B=1000.0, alpha=1 / 3, beta=1 / 4)
"""A made-up law with round numbers, ``2 + 1000/N**(1/3) + 1000/D**(1/4)``, from a
university lecture's exercise (chapter 3): it has the Chinchilla form, not fitted constants."""

LECTURE_TOY_POINTS = ((10**9, 10**8), (10**12, 10**16), (10**3, 10**100), (10**100, 10**4))
"""The lecture exercise's four (N parameters, D tokens) for `LECTURE_TOY`, as exact Python ints."""

LECTURE_SLIDE_E = 1.61
"""The irreducible loss a lecture slide prints for the Chinchilla law; App. D.2 of Hoffmann
et al. (2022) says 1.69 (`CHINCHILLA`)."""


@dataclass(frozen=True)
class KaplanLaw:
    """The laws of Kaplan et al. (2020) for non-embedding parameters N and tokens D.

    ``loss(N, D) = ((N_c / N)**(alpha_N / alpha_D) + D_c / D)**alpha_D`` (eq. 1.5) with
    the joint fit of Table 2 by default; its limits are ``loss_N`` (D → ∞) and
    ``loss_D`` (N → ∞). ``loss_C`` is the compute-efficient frontier of eq. 1.3.

    Attributes
    ----------
    alpha_N, N_c, alpha_D, D_c : float
        Table 2 ("Fits to L(N, D)"): 0.076, 6.4e13 parameters, 0.103, 1.8e13 tokens.
    alpha_C, C_c : float
        Eq. 1.3: 0.050 and 3.1e8 PF-days.
    source : str
        BibTeX key.
    alpha_N_S, N_c_S, alpha_S, S_c : float
        Table 3 ("Fits to L(N, S)"), the learning-curve law of eq. 1.6: 0.077,
        6.5e13 parameters, 0.76 and 2.1e3 steps.
    overfit_coefficient, overfit_exponent : float
        Eq. 4.4, the data that keeps overfitting small: ``D ≳ 5e3 N**0.74`` tokens.
    B_star, alpha_B : float
        Eq. 1.4, the critical batch size ``B_crit = B_star / L**(1 / alpha_B)``: 2e8
        tokens and 0.21.

    Examples
    --------
    >>> round(KAPLAN.loss(1e9, 1e12), 3)
    2.32
    """

    alpha_N: float = 0.076
    N_c: float = 6.4e13
    alpha_D: float = 0.103
    D_c: float = 1.8e13
    alpha_C: float = 0.050
    C_c: float = 3.1e8
    source: str = "kaplan2020"
    alpha_N_S: float = 0.077
    N_c_S: float = 6.5e13
    alpha_S: float = 0.76
    S_c: float = 2.1e3
    overfit_coefficient: float = 5e3
    overfit_exponent: float = 0.74
    B_star: float = 2e8
    alpha_B: float = 0.21

    ALLOCATION_EXPONENTS: ClassVar[Mapping[str, float]] = MappingProxyType({"N": 0.73, "B": 0.24, "S": 0.03})
    """Compute-efficient training: N ∝ C**0.73, batch B ∝ C**0.24, steps S ∝ C**0.03 (eqs. 6.1-6.2)."""

    ALLOCATION_ANCHOR: ClassVar[tuple[float, float]] = (1e21, 4.68e9)
    """(C in FLOPs, N): the size Hoffmann et al. (2022, App. D.4) took from Kaplan's rule at 1e21 FLOPs."""

    def __post_init__(self) -> None:
        for name in ("alpha_N", "N_c", "alpha_D", "D_c", "alpha_C", "C_c"):
            _validate.scalar(getattr(self, name), name, _validate.positive)
        for name in ("alpha_N_S", "N_c_S", "alpha_S", "S_c", "overfit_coefficient", "overfit_exponent"):
            _validate.scalar(getattr(self, name), name, _validate.positive)
        for name in ("B_star", "alpha_B"):
            _validate.scalar(getattr(self, name), name, _validate.positive)

    def loss(self, N: ArrayLike, D: ArrayLike) -> FloatOrArray:
        """Eq. 1.5: the loss of `N` non-embedding parameters trained (early-stopped) on `D` tokens."""
        N = _validate.positive(N, "N")
        D = _validate.positive(D, "D")
        return _validate.as_output(
            ((self.N_c / N) ** (self.alpha_N / self.alpha_D) + self.D_c / D) ** self.alpha_D
        )

    def loss_N(self, N: ArrayLike) -> FloatOrArray:
        """The limit of `loss` with unlimited data, ``(N_c / N)**alpha_N`` (eq. 1.1 form).

        Examples
        --------
        >>> round(KAPLAN.loss_N(2e9) / KAPLAN.loss_N(1e9), 3)  # §1.2: "0.95"
        0.949
        """
        N = _validate.positive(N, "N")
        return _validate.as_output((self.N_c / N) ** self.alpha_N)

    def loss_D(self, D: ArrayLike) -> FloatOrArray:
        """The limit of `loss` with an unlimited model, ``(D_c / D)**alpha_D`` (eq. 1.2 form)."""
        D = _validate.positive(D, "D")
        return _validate.as_output((self.D_c / D) ** self.alpha_D)

    def loss_C(self, C: ArrayLike) -> FloatOrArray:
        """Eq. 1.3: the loss at compute `C` FLOPs spent compute-efficiently, ``(C_c / C)**alpha_C``."""
        C = _validate.positive(C, "C")
        return _validate.as_output((self.C_c * PF_DAY / C) ** self.alpha_C)

    def tokens_to_avoid_overfitting(self, N: ArrayLike) -> FloatOrArray:
        """Eq. 4.4: ``overfit_coefficient * N**overfit_exponent`` tokens keep overfitting small.

        Examples
        --------
        >>> round(KAPLAN.tokens_to_avoid_overfitting(1e9) / 1e9, 1)
        22.9
        """
        N = _validate.positive(N, "N")
        return _validate.as_output(self.overfit_coefficient * N**self.overfit_exponent)

    def critical_batch_size(self, L: ArrayLike) -> FloatOrArray:
        """Eq. 1.4: ``B_crit = B_star / L**(1 / alpha_B)`` tokens, L in nats/token.

        Examples
        --------
        >>> round(KAPLAN.critical_batch_size(2.0) / 1e6, 1)
        7.4
        """
        L = _validate.positive(L, "L")
        return _validate.as_output(self.B_star / L ** (1.0 / self.alpha_B))

    def allocation_ratio(self, compute_factor: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
        """How N and D = B S grow when compute grows by `compute_factor` (eqs. 6.1-6.2).

        Examples
        --------
        >>> [round(x, 1) for x in KAPLAN.allocation_ratio(10.0)]
        [5.4, 1.9]
        """
        k = _validate.positive(compute_factor, "compute_factor")
        e = self.ALLOCATION_EXPONENTS
        return _validate.as_output(k ** e["N"]), _validate.as_output(k ** (e["B"] + e["S"]))

    def allocation(self, C: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
        """Kaplan's rule for spending `C` FLOPs: ``N ∝ C**0.73`` and ``D = C / (6 N)`` tokens.

        The exponent is eq. 6.1's; a power law also needs a point it passes through, and
        this one is the point Hoffmann et al. used when they tested the rule against their
        own: 4.68e9 parameters at 1e21 FLOPs (`ALLOCATION_ANCHOR`).

        Parameters
        ----------
        C : array_like
            Training compute in FLOPs (positive).

        Returns
        -------
        (N, D) : tuple of float or ndarray
            Parameters and training tokens, with ``6 N D = C``.

        References
        ----------
        Kaplan et al. 2020, eq. 6.1 and Fig. 14; Hoffmann et al. 2022, App. D.4 and Table 2
        (which lists Kaplan's exponents as a = 0.73, b = 0.27).

        Examples
        --------
        >>> N, D = KAPLAN.allocation(1e21)
        >>> round(N / 1e9, 2), round(D / 1e9, 1)
        (4.68, 35.6)
        """
        C = _validate.positive(C, "C")
        C_ref, N_ref = self.ALLOCATION_ANCHOR
        N = N_ref * (C / C_ref) ** self.ALLOCATION_EXPONENTS["N"]
        return _validate.as_output(N), _validate.as_output(C / (6.0 * N))

    def loss_steps(self, N: ArrayLike, S_min: ArrayLike) -> FloatOrArray:
        """Eq. 1.6: the loss of `N` parameters after `S_min` steps, with unlimited data.

        ``L(N, S_min) = (N_c / N)**alpha_N + (S_c / S_min)**alpha_S`` with the constants of
        Table 3. `S_min` counts steps as if the batch were far above the critical batch
        size (eq. 5.4); the fit starts after the learning-rate warm-up, so it does not
        describe the first steps of training. As ``S_min → ∞`` it tends to the converged
        loss ``(N_c / N)**alpha_N``.

        Parameters
        ----------
        N : array_like
            Non-embedding parameters (positive).
        S_min : array_like
            Optimisation steps at a large batch (positive).

        Returns
        -------
        float or ndarray
            Loss in nats/token; `N` and `S_min` broadcast.

        References
        ----------
        Kaplan et al. 2020, eq. 1.6 (repeated as eq. 5.6) and Table 3.

        Examples
        --------
        >>> round(KAPLAN.loss_steps(1e9, 1e5), 3)
        2.401
        """
        N = _validate.positive(N, "N")
        S_min = _validate.positive(S_min, "S_min")
        return _validate.as_output((self.N_c_S / N) ** self.alpha_N_S + (self.S_c / S_min) ** self.alpha_S)

    def converged_loss(self, N: ArrayLike) -> FloatOrArray:
        """The limit of `loss_steps` for unlimited steps, ``(N_c / N)**alpha_N`` with Table 3's constants.

        Close to, but not the same as, `loss_N`, which uses the joint fit of Table 2.

        Parameters
        ----------
        N : array_like
            Non-embedding parameters (positive).

        Returns
        -------
        float or ndarray
            Loss in nats/token: the lowest loss `loss_steps` allows for this model.

        References
        ----------
        Kaplan et al. 2020, eq. 1.6 and Table 3.

        Examples
        --------
        >>> round(KAPLAN.converged_loss(1e9), 3)
        2.347
        """
        N = _validate.positive(N, "N")
        return _validate.as_output((self.N_c_S / N) ** self.alpha_N_S)

    def steps_to_loss(self, N: ArrayLike, L: ArrayLike) -> FloatOrArray:
        """The steps ``S_min`` a model of `N` parameters needs to reach loss `L` (eq. 1.6 inverted).

        ``S_min = S_c / (L - (N_c / N)**alpha_N)**(1 / alpha_S)``. A model cannot go below
        its converged loss ``(N_c / N)**alpha_N``, so `L` must lie above it.

        Parameters
        ----------
        N : array_like
            Non-embedding parameters (positive).
        L : array_like
            Target loss in nats/token, above the model's converged loss.

        Returns
        -------
        float or ndarray
            Steps at a batch far above the critical batch size; `N` and `L` broadcast.

        References
        ----------
        Kaplan et al. 2020, eq. 1.6 and Table 3.

        Examples
        --------
        >>> round(KAPLAN.steps_to_loss(1e9, KAPLAN.loss_steps(1e9, 1e5)))
        100000
        """
        N = _validate.positive(N, "N")
        L = _validate.positive(L, "L")
        gap = L - self.converged_loss(N)
        if np.any(gap <= 0):
            bad = np.broadcast_to(L, gap.shape)[gap <= 0].flat[0]
            raise ValueError(
                f"L must be above the model's converged loss (N_c_S / N)**alpha_N_S, got {float(bad)}"
            )
        return _validate.as_output(self.S_c * gap ** (-1.0 / self.alpha_S))

    def compute_to_loss(self, N: ArrayLike, L: ArrayLike) -> FloatOrArray:
        """The least compute ``C_min = 6 N B_crit(L) S_min`` FLOPs for `N` parameters to reach `L`.

        Training far below the critical batch size uses the fewest examples,
        ``E_min = B_crit S_min`` (eq. 5.2), at ``6 N`` FLOPs per token; `S_min` comes
        from `steps_to_loss` and ``B_crit`` from `critical_batch_size`.

        Parameters
        ----------
        N, L : array_like
            As in `steps_to_loss`.

        Returns
        -------
        float or ndarray
            Compute in FLOPs; `N` and `L` broadcast.

        References
        ----------
        Kaplan et al. 2020, eqs. 1.4, 1.6, 5.2 and §6.1 ("C_min ≡ 6 N B_crit S").

        Examples
        --------
        >>> f"{KAPLAN.compute_to_loss(1e9, 2.5):.2e}"
        '3.81e+20'
        """
        N = _validate.positive(N, "N")
        return _validate.as_output(6.0 * N * self.critical_batch_size(L) * self.steps_to_loss(N, L))

    def compute_efficient_size(self, L: ArrayLike) -> FloatOrArray:
        """The model size that reaches loss `L` with the least compute (`compute_to_loss`).

        ``B_crit`` depends on `L` only, so the best N minimises ``N S_min(N, L)``; setting
        its derivative to zero gives ``(N_c / N)**alpha_N = L / (1 + alpha_N / alpha_S)``.
        Such a model stops at a loss ``1 + alpha_N / alpha_S`` times its converged loss:
        compute-efficient training ends well short of convergence.

        Parameters
        ----------
        L : array_like
            Target loss in nats/token (positive).

        Returns
        -------
        float or ndarray
            Non-embedding parameters.

        References
        ----------
        Kaplan et al. 2020, eq. 1.6, §6 and Fig. 12 (one model size is optimal for a
        budget).

        Examples
        --------
        >>> f"{KAPLAN.compute_efficient_size(2.5):.2e}"
        '1.55e+09'
        """
        L = _validate.positive(L, "L")
        ratio = 1.0 + self.alpha_N_S / self.alpha_S
        return _validate.as_output(self.N_c_S * (ratio / L) ** (1.0 / self.alpha_N_S))


KAPLAN = KaplanLaw()
"""Kaplan et al. (2020) with the Table 2 joint fit and the eq. 1.3 compute law."""


def batch_tradeoff(B: ArrayLike, B_crit: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
    """Steps and examples needed at batch size `B`, relative to their minima: ``(S/S_min, E/E_min)``.

    McCandlish et al. (2018) found ``(S/S_min - 1)(E/E_min - 1) = 1`` when training to a
    fixed loss, with ``E = B S`` examples and ``B_crit = E_min / S_min``; solved for one
    batch size, ``S/S_min = 1 + B_crit/B`` and ``E/E_min = 1 + B/B_crit``. A small batch
    wastes steps (time), a large one wastes examples (compute); at ``B = B_crit`` both
    are doubled.

    Parameters
    ----------
    B : array_like
        Batch size (positive), in the same unit as `B_crit` (tokens, say).
    B_crit : array_like
        Critical batch size (positive), e.g. `KaplanLaw.critical_batch_size`.

    Returns
    -------
    (steps, examples) : tuple of float or ndarray
        ``S / S_min`` and ``E / E_min``, each at least 1; the inputs broadcast.

    References
    ----------
    McCandlish et al. 2018, "An Empirical Model of Large-Batch Training", arXiv:1812.06162;
    restated by Kaplan et al. 2020 as eqs. 5.1-5.2, with eqs. 5.4-5.5 for S_min and C_min.

    Examples
    --------
    >>> batch_tradeoff(2**19, 2**19)
    (2.0, 2.0)
    """
    B = _validate.positive(B, "B")
    B_crit = _validate.positive(B_crit, "B_crit")
    return _validate.as_output(1.0 + B_crit / B), _validate.as_output(1.0 + B / B_crit)
