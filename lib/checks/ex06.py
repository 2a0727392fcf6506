"""Checks for exercise 6, the scaling lab (``solutions/ex06_scaling_lab.ipynb``).

The student fits approach 3 of Hoffmann et al. (2022, §3.3) to the shipped IsoFLOP sweep
of `lib.lab` up to `FIT_UP_TO` FLOPs, plans the compute-optimal run for the larger
`BUDGET`, and predicts its loss; Question 3 trains that run and scores the prediction.
`lib.lab.train` is deterministic on one machine (one BLAS thread, the lab's seed), so the
check in the kernel and the grader's own call on the recorded answer, run on the same
machine, see the same loss; the score's tolerance also covers another CPU's float32 rounding.
Every expected value is computed here from `lib`.
"""

from __future__ import annotations

import functools
import math

from lib import lab
from lib.course import grading
from lib.fitting import fit_chinchilla
from lib.laws import CHINCHILLA, ChinchillaLaw

FIT_UP_TO = 1e11
"""The student fits the shipped sweep's profiles with budgets up to this (FLOPs)."""
BUDGET = 5e11
"""The budget of the planned run: 5 times the largest fitted profile (FLOPs)."""
TOLERANCE = 0.3
"""Question 3 passes a prediction that misses the run's loss by less than 30 % of its reducible part.

The reducible part is the loss minus the exact entropy rate of the source: a few
thousandths of a nat at this budget, so "within 1 % of the loss" would pass a
prediction of the floor alone.
"""

_BUDGET_SLACK = 0.02  # 6 N D may miss BUDGET by 2 % (widths are integers)
_OPTIMUM_BAND = 1.5  # Question 2 passes an N within this factor of the fitted optimum
_LARGEST_N = 4 * lab.n_params(lab.WIDTHS[-1])  # keeps the check's training run small


def runs() -> lab.SweepRuns:
    """The runs to fit: the shipped sweep's IsoFLOP runs with budgets up to `FIT_UP_TO`."""
    sweep = lab.load_sweep().select("sweep")
    keep = sweep.budget <= FIT_UP_TO
    return lab.SweepRuns(**{name: getattr(sweep, name)[keep] for name in lab.COLUMNS})


@functools.lru_cache(maxsize=1)
def _law() -> ChinchillaLaw:
    fitted = runs()
    return fit_chinchilla(fitted.N, fitted.D, fitted.loss).law


@functools.lru_cache(maxsize=1)
def _law_all_budgets() -> ChinchillaLaw:
    sweep = lab.load_sweep().select("sweep")
    return fit_chinchilla(sweep.N, sweep.D, sweep.loss).law


@functools.lru_cache(maxsize=4)
def _outcome(width: int, tokens: int) -> float:
    """The exact loss of the lab's run of `width` on `tokens` tokens."""
    return lab.train(width, tokens).loss


def q1(E_fit: object) -> None:
    """The irreducible loss E of approach 3 fitted to `runs()`."""
    law = _law()
    grading.check_number(
        "Question 1",
        E_fit,
        law.E,
        rtol=2e-3,
        mistakes=[
            (
                lab.markov_source().entropy_rate,
                "That is the exact entropy rate of the source, which a real study never knows: "
                "fit the runs with fit_chinchilla and report the fitted law's E.",
            ),
            (
                _law_all_budgets().E,
                "That is the fit to every budget of the shipped sweep; fit only the runs of ex06.runs(), "
                f"the budgets up to {FIT_UP_TO:.0e} FLOPs.",
            ),
        ],
        hint="Fit approach 3 with fit_chinchilla(runs.N, runs.D, runs.loss) on runs = ex06.runs() and "
        "report fit.law.E.",
    )


def q2(plan: object) -> None:
    """A compute-optimal ``(N, D)`` for `BUDGET` under the fitted law."""
    question = "Question 2"
    N, D = grading.as_numbers(
        question,
        plan,
        (2,),
        positive=True,
        hint=f"Expected a pair (N, D) of parameters and tokens: 2 positive numbers, got {plan!r}.",
    )
    law = _law()
    N_opt, D_opt = (float(x) for x in law.optimal_allocation(BUDGET))
    cost = 6 * N * D
    if abs(cost / BUDGET - 1) > _BUDGET_SLACK:
        if abs(N * D / BUDGET - 1) <= _BUDGET_SLACK:
            hint = "N x D equals the budget: the 6 of C = 6 N D is missing, D = C / (6 N)."
        else:
            hint = f"6 N D = {cost:.3g} FLOPs, but the budget is {BUDGET:.0e}: take D = C / (6 N)."
        grading.fail(question, hint)
    if not 1 / _OPTIMUM_BAND <= N / N_opt <= _OPTIMUM_BAND:
        rule_of_thumb = math.sqrt(BUDGET / (6 * 20))
        if abs(math.log(N / D_opt)) < math.log(_OPTIMUM_BAND):
            hint = "N and D are swapped: N is parameters, D is tokens."
        elif abs(math.log(N / rule_of_thumb)) < math.log(_OPTIMUM_BAND):
            hint = (
                "That is the rule of thumb of 20 tokens per parameter, found for text; this source has its "
                "own optimum: use law.optimal_allocation(ex06.BUDGET) of your fit."
            )
        elif abs(math.log(N / float(law.optimal_allocation(FIT_UP_TO)[0]))) < math.log(_OPTIMUM_BAND):
            hint = f"That is the optimum for {FIT_UP_TO:.0e} FLOPs; plan for ex06.BUDGET = {BUDGET:.0e}."
        else:
            hint = f"Your law puts the best N for {BUDGET:.0e} FLOPs elsewhere: see law.optimal_allocation."
        grading.fail(question, hint)
    grading.passed(question)


def q3(prediction: object) -> None:
    """``(N, D, loss)``: a run within `BUDGET` and its predicted loss; the check trains it and compares."""
    question = "Question 3"
    N, D, predicted = grading.as_numbers(
        question,
        prediction,
        (3,),
        positive=True,
        hint=f"Expected a triple (N, D, predicted loss): 3 positive numbers, got {prediction!r}.",
    )
    if N > _LARGEST_N:
        if D <= _LARGEST_N:
            hint = "N and D look swapped: the triple is (parameters, tokens, predicted loss)."
        else:
            hint = f"N = {N:.3g} is far beyond the lab's models (up to {_LARGEST_N:,})."
        grading.fail(question, hint)
    width = lab.width_for_params(N)
    tokens = max(1, round(D))
    cost = 6 * lab.n_params(width) * tokens
    if cost > BUDGET * (1 + _BUDGET_SLACK):
        grading.fail(
            question,
            f"The run costs 6 N D = {cost:.3g} FLOPs (N = {lab.n_params(width):,}, the model of width "
            f"{width}), over the budget of {BUDGET:.0e}: take D = C / (6 N).",
        )
    outcome = _outcome(width, tokens)
    entropy = lab.markov_source().entropy_rate
    error = predicted / outcome - 1
    miss = (predicted - outcome) / (outcome - entropy)
    print(
        f"Your run: width {width}, N = {lab.n_params(width):,}, D = {tokens:,}: loss {outcome:.4f} "
        f"nats/token; you predicted {predicted:.4f} ({100 * error:+.2f} % of the loss, "
        f"{100 * miss:+.0f} % of its part above the entropy rate {entropy:.4f})."
    )
    law = _law()
    if abs(miss) >= TOLERANCE:
        N_run = lab.n_params(width)
        if abs(predicted / law.E - 1) < 1e-3 or abs(predicted / entropy - 1) < 1e-3:
            hint = "That is a floor alone: add the model and data terms of your law, law.loss(N, D)."
        elif any(abs(predicted / CHINCHILLA.loss(n, tokens) - 1) < 1e-3 for n in (N, N_run)):
            hint = (
                "That is the law Hoffmann et al. fitted to text (lib.laws.CHINCHILLA), whose E alone is "
                f"{CHINCHILLA.E}: use the law you fitted to this lab's runs in Question 1."
            )
        elif predicted < entropy:
            hint = f"{predicted:.4f} is below the entropy rate of the source, {entropy:.4f}: impossible."
        else:
            hint = (
                f"A miss below {100 * TOLERANCE:.0f} % of the part above the entropy rate passes. Evaluate "
                "your fitted law at the N of the model trained, lab.n_params(lab.width_for_params(N)), "
                "and your D: law.loss(N, D)."
            )
        grading.fail(question, hint)
    grading.passed(question)
