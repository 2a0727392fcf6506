"""Scaling laws in two variables: Kaplan et al. (2020) and the Chinchilla form.

``ChinchillaLaw`` is ``L(N, D) = E + A / N**alpha + B / D**beta`` with its closed-form
compute-optimal allocation; ``KaplanLaw`` is the law of Kaplan et al. with its
single-variable limits. Published constants are read from
``lib/data/published_power_laws.csv`` (one source for every chapter) or, for Kaplan's
Table 2, written here with the equation they come from.

References
----------
Kaplan et al. 2020, arXiv:2001.08361: eqs. 1.1-1.5, 4.4, 5.3, 6.1-6.2; Table 2.
Hoffmann et al. 2022, arXiv:2203.15556: §3.3 (closed-form frontier), App. D.2 (constants).
Besiroglu et al. 2024, arXiv:2404.10102 (refit of the approach-3 constants).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from numpy.typing import ArrayLike

from lib import _validate
from lib.compute import PF_DAY
from lib.literature import published_law
from lib.powerlaw import FloatOrArray

__all__ = ["ChinchillaLaw", "KaplanLaw", "CHINCHILLA", "EPOCH_REPLICATION", "KAPLAN", "LECTURE_TOY"]


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

EPOCH_REPLICATION = _from_published("besiroglu2024")
"""The replication's refit: E 1.82, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658."""

LECTURE_TOY = ChinchillaLaw(E=2.0, A=1000.0, B=1000.0, alpha=1 / 3, beta=1 / 4)
"""A made-up law with round numbers, ``2 + 1000/N**(1/3) + 1000/D**(1/4)``, from a
university lecture's exercise (chapter 3): it has the Chinchilla form, not fitted constants."""


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

    ALLOCATION_EXPONENTS: ClassVar[dict[str, float]] = {"N": 0.73, "B": 0.24, "S": 0.03}
    """Compute-efficient training: N ∝ C**0.73, batch B ∝ C**0.24, steps S ∝ C**0.03 (eqs. 6.1-6.2)."""

    def __post_init__(self) -> None:
        for name in ("alpha_N", "N_c", "alpha_D", "D_c", "alpha_C", "C_c"):
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
        """Eq. 4.4: the data, ``5e3 * N**0.74`` tokens, above which overfitting stays small.

        Examples
        --------
        >>> round(KAPLAN.tokens_to_avoid_overfitting(1e9) / 1e9, 1)
        22.9
        """
        N = _validate.positive(N, "N")
        return _validate.as_output(5e3 * N**0.74)

    def critical_batch_size(self, L: ArrayLike) -> FloatOrArray:
        """Eq. 1.4: ``B_crit = 2e8 tokens / L**(1 / 0.21)``, L in nats/token.

        Examples
        --------
        >>> round(KAPLAN.critical_batch_size(2.0) / 1e6, 1)
        7.4
        """
        L = _validate.positive(L, "L")
        return _validate.as_output(2e8 / L ** (1.0 / 0.21))

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


KAPLAN = KaplanLaw()
"""Kaplan et al. (2020) with the Table 2 joint fit and the eq. 1.3 compute law."""
