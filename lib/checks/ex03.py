"""Checks for exercise 3, compute-optimal training (``solutions/ex03_chinchilla.ipynb``).

The runs are those of Hoffmann et al. (2022, Fig. 4) as extracted by Besiroglu et al.
(2024) (`lib.datasets.chinchilla_fig4`); the laws are `lib.laws.CHINCHILLA` (App. D.2 as
printed), `CHINCHILLA_UNROUNDED` (the same fit with unrounded exponents) and
`EPOCH_REPLICATION` (the replication's refit); the models are `lib.models`. Every
expected value is computed here from `lib`, and each plausible mistake is computed the
same way, with the mistake in it.

Question 1 grades a fit by its objective. When a fit misses the optimum, the check runs a
short, tight L-BFGS from the student's constants: if that reaches the optimum, the
student's optimiser stopped early; if not, it stopped in another basin. The two need
different advice.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from lib.compute import training_flops
from lib.course import grading
from lib.datasets import chinchilla_fig4
from lib.fitting import chinchilla_objective, fit_chinchilla, fit_chinchilla_grid
from lib.fitting.objective import HuberObjective
from lib.laws import CHINCHILLA, CHINCHILLA_UNROUNDED, EPOCH_REPLICATION, KAPLAN, ChinchillaLaw
from lib.models import GOPHER_BUDGET, model
from lib.powerlaw import FloatOrArray

SUBSET_MAX_FLOPS = 1.2e21
"""Question 1 fits the 240 replication runs trained with less compute than this (FLOPs).

The runs' budgets cluster around IsoFLOP values; 1.2e21 lies in the gap between the
cluster at 1e21 FLOPs and the next one, so whole profiles stay together (220 runs)."""

POOR_START = (5.0, 5.0, 0.0, 0.5, 0.5)
"""Question 2's start for L-BFGS, ``(a, b, e, alpha, beta)`` with ``A = exp(a)``, ``B = exp(b)``,
``E = exp(e)``: one of the 4,500 starts of App. D.2 (`lib.fitting.paper_grid`)."""

BUDGET = 1e24
"""Question 3's training budget in FLOPs."""

PROPOSAL = (500e9, 500e9)
"""The training run judged in Questions 5-7: (parameters, tokens)."""

OPTIONS_Q7 = ("a", "b", "c", "d")

_RTOL = 1e-3
_OBJECTIVE_RTOL = 1e-3  # Question 1: objective at most 0.1 % above the global optimum
_ROUNDED_RTOL = 2e-2  # Question 5: within 2 % but not 0.1 % looks like a rounded answer
# Question 6 allows 1 %: the answer is a difference of two losses near 1.97 that differ by
# about 0.018, so rounding each loss to four decimals moves the difference by up to ~0.5 %.
_EXCESS_RTOL = 1e-2
# The polish of Question 1's hints: L-BFGS-B from the student's constants, tight tolerances.
_POLISH = {"maxiter": 1000, "ftol": 1e-15, "gtol": 1e-10}
_TWO_ND_HINT = "Training costs C = 6 N D FLOPs, not 2 N D (2 N per token is the forward pass alone)."

_Constants = tuple[float, float, float, float, float]
"""A law's ``(E, A, B, alpha, beta)``, the order of `ChinchillaLaw`'s fields."""


def _pair(split: tuple[FloatOrArray, FloatOrArray]) -> tuple[float, float]:
    """An ``(N, D)`` split of one budget (a scalar, so two floats) as a pair of floats."""
    N, D = split
    return float(N), float(D)


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
def _problem(centred: bool) -> HuberObjective:
    N, D, loss = subset()
    return HuberObjective(np.log(N), np.log(D), np.log(loss), 1e-3, centred=centred)


def objective(params: ArrayLike) -> tuple[float, NDArray[np.float64]]:
    """Approach 3's objective on `subset` and its gradient, for ``scipy.optimize.minimize(..., jac=True)``.

    Parameters
    ----------
    params : array_like
        ``(a, b, e, alpha, beta)`` with ``A = exp(a)``, ``B = exp(b)``, ``E = exp(e)``, the
        coordinates the paper optimises in (App. D.2). Any finite values are allowed, as
        an optimiser may try them.

    Returns
    -------
    value : float
        ``sum_i Huber_1e-3(log L_hat(N_i, D_i) - log L_i)`` over the runs of `subset`, the
        same number `lib.fitting.chinchilla_objective` gives for the law these constants make.
    gradient : ndarray
        Its derivatives with respect to ``(a, b, e, alpha, beta)``.

    References
    ----------
    Hoffmann et al. 2022, arXiv:2203.15556, §3.3 eq. (2) and App. D.2.

    Examples
    --------
    >>> law = best_fit()
    >>> value, gradient = objective([np.log(law.A), np.log(law.B), np.log(law.E), law.alpha, law.beta])
    >>> bool(np.isclose(value, chinchilla_objective(law, *subset()))), gradient.shape
    (True, (5,))
    """
    return _problem(False).value_and_gradient(np.asarray(params, dtype=float))


@cache
def best_fit() -> ChinchillaLaw:
    """The global optimum of approach 3 on `subset` (`lib.fitting.fit_chinchilla`)."""
    return fit_chinchilla(*subset()).law


@cache
def single_start() -> float:
    """Objective of one L-BFGS-B start from `POOR_START` over the global minimum (Question 2).

    Examples
    --------
    >>> round(single_start(), 2)
    1.59
    """
    stopped = fit_chinchilla_grid(*subset(), starts=[POOR_START]).objective
    return stopped / _objective(best_fit())


@cache
def _all_runs_fit(drop_highest: int) -> ChinchillaLaw:
    runs = chinchilla_fig4(drop_highest=drop_highest)
    return fit_chinchilla(runs.N, runs.D, runs.loss).law


def _objective(law: ChinchillaLaw) -> float:
    return chinchilla_objective(law, *subset())


def _as_law(question: str, answer: object) -> ChinchillaLaw:
    E, A, B, alpha, beta = grading.as_numbers(
        question,
        answer,
        (5,),
        positive=True,
        hint="Store five numbers (E, A, B, alpha, beta), all positive, e.g. "
        "(law.E, law.A, law.B, law.alpha, law.beta) for a fitted ChinchillaLaw `law`.",
    )
    return ChinchillaLaw(E=float(E), A=float(A), B=float(B), alpha=float(alpha), beta=float(beta))


def _polished_objective(law: ChinchillaLaw) -> float:
    """The objective after a short, tight L-BFGS-B run from `law`'s constants (centred coordinates)."""
    problem = _problem(True)
    start = problem.from_paper([np.log(law.A), np.log(law.B), np.log(law.E), law.alpha, law.beta])
    result = optimize.minimize(
        problem.value_and_gradient, start, jac=True, method="L-BFGS-B", options=_POLISH
    )
    return float(result.fun)


def _reordered(values: _Constants) -> list[tuple[_Constants, str]]:
    """The student's five numbers read in other plausible orders, with what went wrong."""
    E, A, B, alpha, beta = values
    order = "store (E, A, B, alpha, beta) in that order"
    candidates: list[tuple[_Constants, str]] = [
        ((E, B, A, beta, alpha), f"A and B are swapped, and so are alpha and beta: {order}."),
        ((E, B, A, alpha, beta), f"A and B are swapped: {order}."),
        ((E, A, B, beta, alpha), f"alpha and beta are swapped: {order}."),
        ((B, E, A, alpha, beta), f"E comes before A and B: {order}."),
    ]
    if max(E, A, B) < 700:  # exp() of larger numbers overflows
        candidates.append(
            (
                (float(np.exp(B)), float(np.exp(E)), float(np.exp(A)), alpha, beta),
                "those are fit.params, the paper's coordinates (log A, log B, log E, alpha, beta): "
                "store the constants (E, A, B, alpha, beta) of fit.law instead.",
            )
        )
    return candidates


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
        grading.passed(question)
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
            grading.fail(question, hint)
    for values, hint in _reordered((law.E, law.A, law.B, law.alpha, law.beta)):
        if min(values) > 0 and np.all(np.isfinite(values)):
            reordered = ChinchillaLaw(*values)
            if _objective(reordered) <= best * (1 + _OBJECTIVE_RTOL):
                grading.fail(question, f"Your numbers fit in another order: {hint}")
    if _polished_objective(law) <= best * (1 + _OBJECTIVE_RTOL):
        hint = (
            f"Your objective is {ratio:.3f} times the best one, and L-BFGS continued from your "
            "constants reaches the best: your optimiser stopped early. With delta = 1e-3 the "
            "objective is almost non-smooth and scipy's default tolerances stop too soon; tighten "
            "ftol and gtol, allow more iterations, and continue from where it stopped."
        )
    else:
        hint = (
            f"Your objective is {ratio:.3f} times the best one, and L-BFGS continued from your "
            "constants does not get below it: your fit is in another basin. The objective has "
            "several local minima and L-BFGS stops in the nearest; run it from several starting "
            "points (the paper used a grid of 4,500) and keep the best."
        )
    grading.fail(question, hint)


def q2(single_ratio: object) -> None:
    """One L-BFGS-B start from `POOR_START`: its objective over the global minimum."""
    expected = single_start()
    best = _objective(best_fit())
    stopped = expected * best
    grading.check_number(
        "Question 2",
        single_ratio,
        expected,
        rtol=_RTOL,
        mistakes=[
            (
                1.0,
                "A ratio of 1 means your run reached the global optimum. Start L-BFGS-B once, from "
                "ex03.POOR_START, with scipy's default options (BFGS, scipy's default method, and "
                "tighter tolerances get there from this start).",
            ),
            (1 / expected, "Upside down: divide the objective where L-BFGS stopped by the global minimum."),
            (stopped, "That is the objective where L-BFGS stopped; divide it by the global minimum."),
            (
                stopped / _objective(CHINCHILLA),
                "That divides by the objective of the published constants; divide by the global "
                "minimum, the objective of your fit of Question 1.",
            ),
        ],
        hint="Minimise ex03.objective (it returns the value and the gradient: tell minimize) from "
        "ex03.POOR_START with scipy's L-BFGS-B and its default options, then divide the objective "
        "where it stopped by the objective of your fit of Question 1.",
    )


def _swapped_exponents(law: ChinchillaLaw, C: float) -> tuple[float, float]:
    """N_opt with the exponents a and b swapped: ``N = G (C/6)**b``, ``D = C / (6 N)``."""
    N_opt = float(law.optimal_allocation(C)[0]) * (C / 6.0) ** (law.exponents[1] - law.exponents[0])
    return N_opt, C / (6.0 * N_opt)


def q3(N_D: object) -> None:
    """Compute-optimal (N, D) at `BUDGET` under the published law `CHINCHILLA`."""
    expected = _pair(CHINCHILLA.optimal_allocation(BUDGET))
    two_nd = _pair(CHINCHILLA.optimal_allocation(3 * BUDGET))  # C = 2ND is C' = 6ND with C' = 3C
    grading.check_array(
        "Question 3",
        N_D,
        expected,
        rtol=_RTOL,
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
                _pair(KAPLAN.allocation(BUDGET)),
                "That is Kaplan's rule (N ∝ C**0.73); this question uses the Chinchilla law.",
            ),
            (
                _pair(CHINCHILLA_UNROUNDED.optimal_allocation(BUDGET)),
                "Those come from the unrounded exponents; this question uses CHINCHILLA as printed.",
            ),
            (
                _pair(EPOCH_REPLICATION.optimal_allocation(BUDGET)),
                "Those come from the replication's refit; this question uses CHINCHILLA as printed.",
            ),
            (
                _pair(best_fit().optimal_allocation(BUDGET)),
                "Those come from your fit of Question 1; this question uses CHINCHILLA as printed.",
            ),
        ],
        hint="Minimise the law's loss along the budget line 6 N D = C: the closed form of "
        "chapter 4 gives N_opt (or ask the law for its compute-optimal split), and the budget gives D.",
    )


def _gopher_factors(law: ChinchillaLaw, C: float) -> tuple[float, float]:
    gopher = model("Gopher")
    N_opt, D_opt = _pair(law.optimal_allocation(C))
    return gopher.parameters / N_opt, D_opt / gopher.tokens


def q4(factors: object) -> None:
    """How much smaller a model and how many more tokens Gopher's budget should have bought."""
    expected = _gopher_factors(CHINCHILLA_UNROUNDED, GOPHER_BUDGET)
    chinchilla, gopher = model("Chinchilla"), model("Gopher")
    grading.check_array(
        "Question 4",
        factors,
        expected,
        rtol=_RTOL,
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
        hint="Find the compute-optimal split of Gopher's budget under CHINCHILLA_UNROUNDED, then "
        "compare it with Gopher: its size over the optimal size, the optimal tokens over its tokens.",
    )


def _token_ratio(law: ChinchillaLaw) -> float:
    N, D = PROPOSAL
    N_opt, D_opt = _pair(law.optimal_allocation(training_flops(N, D)))
    return (D / N) / (D_opt / N_opt)


def q5(ratio: object) -> None:
    """Tokens per parameter of `PROPOSAL` over the compute-optimal ones at its compute (refit law)."""
    question = "Question 5"
    expected = _token_ratio(EPOCH_REPLICATION)
    N, D = PROPOSAL
    N_kaplan, D_kaplan = _pair(KAPLAN.allocation(training_flops(N, D)))
    grading.require_answer(question, ratio)
    try:
        value = float(ratio)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        value = float("nan")  # check_number says what it expected
    close = np.isclose(value, expected, rtol=_RTOL, atol=0.0)
    if not close and np.isclose(value, expected, rtol=_ROUNDED_RTOL, atol=0.0):
        grading.fail(
            question,
            f"Close, but rounded (got {value:.4g}): the optimum has about {1 / expected:.2f} tokens "
            "per parameter, not a round 18, and the check allows 0.1 %. Keep the full-precision "
            "values from the law instead of typing in rounded ones.",
        )
    grading.check_number(
        question,
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
        hint="Find the compute-optimal split of the proposal's own compute under EPOCH_REPLICATION, "
        "then compare tokens per parameter: the proposal's over the optimum's.",
    )


def _excess(law: ChinchillaLaw) -> float:
    return float(law.loss(*PROPOSAL) - law.loss_at_compute(training_flops(*PROPOSAL)))


def q6(excess_loss: object) -> None:
    """How far the loss of `PROPOSAL` lies above the compute-optimal loss at its compute (refit law)."""
    expected = _excess(EPOCH_REPLICATION)
    grading.check_number(
        "Question 6",
        excess_loss,
        expected,
        rtol=_EXCESS_RTOL,
        mistakes=[
            (-expected, "The sign is flipped: the proposal's loss minus the optimal loss is positive."),
            (
                _excess(CHINCHILLA),
                "That uses the published law CHINCHILLA; this question uses EPOCH_REPLICATION.",
            ),
            (
                float(EPOCH_REPLICATION.loss(*PROPOSAL)),
                "That is the proposal's loss itself; subtract the loss at the optimum of the same compute.",
            ),
            (
                float(EPOCH_REPLICATION.loss(*PROPOSAL) - EPOCH_REPLICATION.E),
                "That is the loss above E; subtract the compute-optimal loss, loss_at_compute(C), instead.",
            ),
        ],
        hint="Predict the proposal's loss with EPOCH_REPLICATION, then subtract the lowest loss the "
        "same law predicts for the same compute, in nats/token.",
    )


def q7(choice: object) -> None:
    """The verdict on `PROPOSAL`: under-trained (too large a model for its tokens)."""
    ratio = _token_ratio(EPOCH_REPLICATION)
    expected = "a" if ratio < 1 else "b"
    grading.check_choice(
        "Question 7",
        choice,
        expected=expected,
        options=OPTIONS_Q7,
        hints={
            "b": "Over-trained would mean more tokens per parameter than the optimum; your ratio of "
            "Question 5 is far below 1.",
            "c": "Its tokens per parameter are far from the optimum's, and its loss lies above the "
            "optimum of the same compute (Question 6).",
            "d": "The law judges it without training it: Questions 5 and 6 compare it with the optimum "
            "of the same compute.",
        },
    )
