"""Checks for exercise 3, compute-optimal training (``solutions/ex03_chinchilla.ipynb``).

The runs are those of Hoffmann et al. (2022, Fig. 4) as extracted by Besiroglu et al.
(2024) (`lib.datasets.chinchilla_fig4`); the laws are `lib.laws.CHINCHILLA` (App. D.2 as
printed), `CHINCHILLA_UNROUNDED` (the same fit with unrounded exponents) and
`EPOCH_REPLICATION` (the replication's refit); the models are `lib.models`. Every
expected value is computed here from `lib`, and each plausible mistake is computed the
same way, with the mistake in it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import grading
from lib.compute import training_flops
from lib.datasets import chinchilla_fig4
from lib.fitting import chinchilla_objective, fit_chinchilla
from lib.laws import CHINCHILLA, CHINCHILLA_UNROUNDED, EPOCH_REPLICATION, KAPLAN, ChinchillaLaw
from lib.models import model

__all__ = [
    "SUBSET_MAX_FLOPS",
    "BUDGET",
    "GOPHER_BUDGET",
    "PROPOSAL",
    "OPTIONS_Q6",
    "subset",
    "best_fit",
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
]

SUBSET_MAX_FLOPS = 1.2e21
"""Question 1 fits the 240 replication runs trained with less compute than this (FLOPs).

The runs' budgets cluster around IsoFLOP values; 1.2e21 lies in the gap between the
cluster at 1e21 FLOPs and the next one, so whole profiles stay together (220 runs)."""

BUDGET = 1e24
"""Question 2's training budget in FLOPs."""

GOPHER_BUDGET = 5.76e23
"""Gopher's training compute in FLOPs as Hoffmann et al. (2022) count it (Fig. 2, App. F)."""

PROPOSAL = (500e9, 500e9)
"""The training run judged in Questions 4-6: (parameters, tokens)."""

OPTIONS_Q6 = ("a", "b", "c", "d")

_RTOL = 1e-3
_OBJECTIVE_RTOL = 1e-3  # Question 1: objective at most 0.1 % above the global optimum
_EARLY_STOP = 1.2  # below this ratio of objectives L-BFGS stopped early in the right basin
_TWO_ND_HINT = "Training costs C = 6 N D FLOPs, not 2 N D (2 N per token is the forward pass alone)."


def subset() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """``(N, D, loss)`` of the replication's 240 runs with less than `SUBSET_MAX_FLOPS` FLOPs.

    Examples
    --------
    >>> N, D, loss = subset()
    >>> len(N), bool(training_flops(N, D).max() < SUBSET_MAX_FLOPS)
    (220, True)
    """
    runs = chinchilla_fig4(drop_highest=5)
    keep = runs.C < SUBSET_MAX_FLOPS
    return runs.N[keep], runs.D[keep], runs.loss[keep]


@cache
def best_fit() -> ChinchillaLaw:
    """The global optimum of approach 3 on `subset` (`lib.fitting.fit_chinchilla`)."""
    return fit_chinchilla(*subset()).law


@cache
def _all_runs_fit(drop_highest: int) -> ChinchillaLaw:
    runs = chinchilla_fig4(drop_highest=drop_highest)
    return fit_chinchilla(runs.N, runs.D, runs.loss).law


def _objective(law: ChinchillaLaw) -> float:
    return chinchilla_objective(law, *subset())


def _as_law(question: str, answer: object) -> ChinchillaLaw:
    grading.require_answer(question, answer)
    shape_hint = (
        "Store five numbers (E, A, B, alpha, beta), all positive, e.g. "
        "(law.E, law.A, law.B, law.alpha, law.beta) for a fitted ChinchillaLaw `law`."
    )
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        values = None
    if values is None or values.shape != (5,) or not np.all(np.isfinite(values) & (values > 0)):
        grading.check_true(question, answer, False, shape_hint)
    E, A, B, alpha, beta = (float(x) for x in values)
    return ChinchillaLaw(E=E, A=A, B=B, alpha=alpha, beta=beta)


def _same_exponents(law: ChinchillaLaw, other: ChinchillaLaw) -> bool:
    mine = (law.E, law.alpha, law.beta)
    theirs = (other.E, other.alpha, other.beta)
    return bool(np.allclose(mine, theirs, rtol=1e-2, atol=0.0))


def q1(fitted: object) -> None:
    """Approach 3 fitted to `subset`: graded on its objective against the global optimum."""
    question = "Question 1"
    law = _as_law(question, fitted)
    best = _objective(best_fit())
    ratio = _objective(law) / best
    if ratio <= 1 + _OBJECTIVE_RTOL:
        grading.check_true(question, fitted, True, "")
        return
    known = [
        (
            _all_runs_fit(5),
            "That is the fit to all 240 runs (the replication's constants come from them too): fit only "
            "the runs of ex03.subset(), those with less than 1.2e21 FLOPs.",
        ),
        (_all_runs_fit(0), "That is the fit to all 245 runs: fit only the runs of ex03.subset()."),
        (CHINCHILLA, "Those are the published constants of Hoffmann et al. (App. D.2): fit your own."),
    ]
    for other, hint in known:
        if _same_exponents(law, other):
            grading.check_true(question, fitted, False, hint)
    if ratio < _EARLY_STOP:
        hint = (
            f"Nearly: your objective is {ratio:.3f} times the best one. L-BFGS stopped before the "
            "optimum (scipy's default tolerances stop early on this almost non-smooth objective): "
            "restart from where it stopped with tighter ftol and gtol, or use fit_chinchilla."
        )
    else:
        hint = (
            f"Your objective is {ratio:.3g} times the best one: the fit missed the global optimum, "
            "most likely in another basin. "
            "The Huber objective has several local minima, and L-BFGS from one starting point stops "
            "in the nearest; start from many points (the paper used a grid of 4,500) and keep the "
            "best, or use fit_chinchilla, which searches the exponents first."
        )
    grading.check_true(question, fitted, False, hint)


def _check_pair(
    question: str, answer: object, expected: ArrayLike, mistakes: list[tuple[ArrayLike, str]], hint: str
) -> None:
    """`grading.check_array` for two numbers, with a hint for each known wrong pair."""
    grading.require_answer(question, answer)
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        values = None
    target = np.asarray(expected, dtype=float)
    if values is not None and values.shape == target.shape and np.all(np.isfinite(values)):
        if not np.allclose(values, target, rtol=_RTOL, atol=0.0):
            for wrong, wrong_hint in mistakes:
                if np.allclose(values, np.asarray(wrong, dtype=float), rtol=_RTOL, atol=0.0):
                    grading.check_true(question, answer, False, wrong_hint)
    grading.check_array(question, answer, target, rtol=_RTOL, hint=hint)


def _swapped_exponents(law: ChinchillaLaw, C: float) -> tuple[float, float]:
    """N_opt with the exponents a and b swapped: ``N = G (C/6)**b``, ``D = C / (6 N)``."""
    N_opt = law.optimal_allocation(C)[0] * (C / 6.0) ** (law.exponents[1] - law.exponents[0])
    return N_opt, C / (6.0 * N_opt)


def q2(N_D: object) -> None:
    """Compute-optimal (N, D) at `BUDGET` under the published law `CHINCHILLA`."""
    expected = CHINCHILLA.optimal_allocation(BUDGET)
    two_nd = CHINCHILLA.optimal_allocation(3 * BUDGET)  # C = 2ND is C' = 6ND with C' = 3C
    _check_pair(
        "Question 2",
        N_D,
        expected,
        mistakes=[
            (expected[::-1], "The pair is in the wrong order: N (parameters) first, then D (tokens)."),
            ((two_nd[0], BUDGET / (6 * two_nd[0])), _TWO_ND_HINT),
            (two_nd, _TWO_ND_HINT),
            (
                _swapped_exponents(CHINCHILLA, BUDGET),
                "The exponents are swapped: N_opt grows like C**a with a = beta / (alpha + beta), "
                "D_opt like C**b with b = alpha / (alpha + beta).",
            ),
            (
                KAPLAN.allocation(BUDGET),
                "That is Kaplan's rule (N ∝ C**0.73); this question uses the Chinchilla law.",
            ),
            (
                CHINCHILLA_UNROUNDED.optimal_allocation(BUDGET),
                "Those come from the unrounded exponents; this question uses CHINCHILLA as printed.",
            ),
            (
                EPOCH_REPLICATION.optimal_allocation(BUDGET),
                "Those come from the replication's refit; this question uses CHINCHILLA as printed.",
            ),
            (
                best_fit().optimal_allocation(BUDGET),
                "Those come from your fit of Question 1; this question uses CHINCHILLA as printed.",
            ),
        ],
        hint="Use CHINCHILLA.optimal_allocation(ex03.BUDGET), or the closed form "
        "N = G (C/6)**a with G = (alpha A / (beta B))**(1 / (alpha + beta)) and D = C / (6 N).",
    )


def _gopher_factors(law: ChinchillaLaw, C: float) -> tuple[float, float]:
    gopher = model("Gopher")
    N_opt, D_opt = law.optimal_allocation(C)
    return gopher.parameters / N_opt, D_opt / gopher.tokens


def q3(factors: object) -> None:
    """How much smaller a model and how many more tokens Gopher's budget should have bought."""
    expected = _gopher_factors(CHINCHILLA_UNROUNDED, GOPHER_BUDGET)
    chinchilla, gopher = model("Chinchilla"), model("Gopher")
    _check_pair(
        "Question 3",
        factors,
        expected,
        mistakes=[
            (
                _gopher_factors(CHINCHILLA, GOPHER_BUDGET),
                "Those come from the rounded exponents 0.34 and 0.28 (about 32B parameters); the "
                "paper's 40B at Gopher's budget needs CHINCHILLA_UNROUNDED.",
            ),
            (
                _gopher_factors(CHINCHILLA_UNROUNDED, gopher.training_flops),
                "That budget is 6 N D of Gopher's Table 1 sizes (5.04e23 FLOPs); the paper counts "
                "Gopher's compute as 5.76e23 FLOPs, ex03.GOPHER_BUDGET.",
            ),
            (
                (1 / expected[0], 1 / expected[1]),
                "Both factors are upside down: divide Gopher's N by N_opt, and D_opt by Gopher's D.",
            ),
            (
                (gopher.parameters / chinchilla.parameters, chinchilla.tokens / gopher.tokens),
                "Those are Chinchilla's actual 70B and 1.4T, at the top of the paper's range of 40B "
                "to 70B; this question asks what approach 3 (CHINCHILLA_UNROUNDED) says.",
            ),
        ],
        hint="N_opt, D_opt = CHINCHILLA_UNROUNDED.optimal_allocation(ex03.GOPHER_BUDGET); then "
        "Gopher's N / N_opt and D_opt / Gopher's D.",
    )


def _token_ratio(law: ChinchillaLaw) -> float:
    N, D = PROPOSAL
    N_opt, D_opt = law.optimal_allocation(training_flops(N, D))
    return (D / N) / (D_opt / N_opt)


def q4(ratio: object) -> None:
    """Tokens per parameter of `PROPOSAL` over the compute-optimal ones at its compute (refit law)."""
    expected = _token_ratio(EPOCH_REPLICATION)
    N, D = PROPOSAL
    N_kaplan, D_kaplan = KAPLAN.allocation(training_flops(N, D))
    grading.check_number(
        "Question 4",
        ratio,
        expected,
        rtol=_RTOL,
        mistakes=[
            (1 / expected, "Upside down: divide the proposal's D / N by the optimum's D_opt / N_opt."),
            (
                _token_ratio(CHINCHILLA),
                "That uses the published law CHINCHILLA; this question uses EPOCH_REPLICATION.",
            ),
            (
                (D / N) / 20.0,
                "That compares with the rule of thumb of 20 tokens per parameter; compute the "
                "optimum at the proposal's own compute from EPOCH_REPLICATION.",
            ),
            ((D / N) / (D_kaplan / N_kaplan), "That is Kaplan's allocation; use EPOCH_REPLICATION."),
        ],
        hint="C = training_flops(5e11, 5e11); N_opt, D_opt = EPOCH_REPLICATION.optimal_allocation(C); "
        "the answer is (D / N) / (D_opt / N_opt).",
    )


def _excess(law: ChinchillaLaw) -> float:
    return float(law.loss(*PROPOSAL) - law.loss_at_compute(training_flops(*PROPOSAL)))


def q5(excess_loss: object) -> None:
    """How far the loss of `PROPOSAL` lies above the compute-optimal loss at its compute (refit law)."""
    expected = _excess(EPOCH_REPLICATION)
    grading.check_number(
        "Question 5",
        excess_loss,
        expected,
        rtol=1e-2,
        mistakes=[
            (-expected, "The sign is flipped: the proposal's loss minus the optimal loss is positive."),
            (
                _excess(CHINCHILLA),
                "That uses the published law CHINCHILLA; this question uses EPOCH_REPLICATION.",
            ),
            (
                EPOCH_REPLICATION.loss(*PROPOSAL),
                "That is the proposal's loss itself; subtract the loss at the optimum of the same compute.",
            ),
            (
                float(EPOCH_REPLICATION.loss(*PROPOSAL) - EPOCH_REPLICATION.E),
                "That is the loss above E; subtract the compute-optimal loss, loss_at_compute(C), instead.",
            ),
        ],
        hint="EPOCH_REPLICATION.loss(5e11, 5e11) - EPOCH_REPLICATION.loss_at_compute(C) with "
        "C = training_flops(5e11, 5e11), in nats/token.",
    )


def q6(choice: object) -> None:
    """The verdict on `PROPOSAL`: under-trained (too large a model for its tokens)."""
    ratio = _token_ratio(EPOCH_REPLICATION)
    expected = "a" if ratio < 1 else "b"
    grading.check_choice(
        "Question 6",
        choice,
        expected=expected,
        options=OPTIONS_Q6,
        hints={
            "b": "Over-trained would mean more tokens per parameter than the optimum; your ratio of "
            "Question 4 is far below 1.",
            "c": "Its tokens per parameter are far from the optimum's, and its loss lies above the "
            "optimum of the same compute (Question 5).",
            "d": "The law judges it without training it: Questions 4 and 5 compare it with the optimum "
            "of the same compute.",
        },
    )
