"""The ex06 checks accept the solution and reject each planted mistake with its hint.

Question 3 trains a model; here its outcome is replaced by a stand-in (`monkeypatch`),
except in the one test that checks the training is the lab's own, deterministic run.
"""

import math

import numpy as np
import pytest
from checks_helpers import placeholder_is_not_answered
from threadpoolctl import threadpool_limits

from lib import fitting, lab
from lib.checks import ex06
from lib.laws import CHINCHILLA

RUNS = ex06.runs()
LAW = fitting.fit_chinchilla(RUNS.N, RUNS.D, RUNS.loss).law
N_OPT, D_OPT = LAW.optimal_allocation(ex06.BUDGET)
WIDTH = lab.width_for_params(N_OPT)
N = lab.n_params(WIDTH)
D = round(ex06.BUDGET / (6 * N))
PREDICTED = float(LAW.loss(N, D))


@pytest.fixture
def outcome(monkeypatch):
    """Replace the training run of Question 3 by a chosen loss."""

    def use(loss):
        monkeypatch.setattr(ex06, "_outcome", lambda width, tokens: loss)

    return use


def test_the_fitted_runs_are_the_small_budgets_of_the_shipped_sweep():
    assert set(RUNS.kind) == {"sweep"} and RUNS.budget.max() == ex06.FIT_UP_TO
    assert len(np.unique(RUNS.budget)) >= 4 and ex06.BUDGET >= 4 * ex06.FIT_UP_TO


ENTROPY = lab.markov_source().entropy_rate


def outcome_missed_by(fraction):
    """The outcome for which PREDICTED misses by `fraction` of the outcome's part above the entropy."""
    return (PREDICTED + fraction * ENTROPY) / (1 + fraction)


def test_the_solution_passes(outcome, capsys):
    outcome(outcome_missed_by(-0.25))
    ex06.q1(LAW.E)
    ex06.q2((N, D))
    ex06.q3((N, D, PREDICTED))
    printed = capsys.readouterr().out
    assert printed.count("correct") == 3 and "you predicted" in printed


test_the_placeholder_is_not_answered_yet = placeholder_is_not_answered([ex06.q1, ex06.q2, ex06.q3])


def test_q1_hints():
    with pytest.raises(AssertionError, match="exact entropy rate of the source"):
        ex06.q1(lab.markov_source().entropy_rate)
    with pytest.raises(AssertionError, match="Fit approach 3"):
        ex06.q1(LAW.E * 1.05)
    every_budget = lab.load_sweep().select("sweep")
    E_all = fitting.fit_chinchilla(every_budget.N, every_budget.D, every_budget.loss).law.E
    assert abs(E_all / LAW.E - 1) > 2e-3  # else the hint could not be told apart from the right answer
    with pytest.raises(AssertionError, match="fit only the runs of ex06.runs"):
        ex06.q1(E_all)


@pytest.mark.parametrize(
    ("plan", "hint"),
    [
        ((N, round(ex06.BUDGET / N)), "the 6 of C = 6 N D is missing"),
        ((N, D / 3), "take D = C / \\(6 N\\)"),
        ((D_OPT, N_OPT), "N and D are swapped"),
        ((N_OPT / 5, 5 * ex06.BUDGET / (6 * N_OPT)), "puts the best N"),
        ("big", "Expected a pair"),
        ((N, D, 1.0), "Expected a pair"),
        ((N, -D), "Expected a pair"),
    ],
)
def test_q2_hints(plan, hint):
    with pytest.raises(AssertionError, match=hint):
        ex06.q2(plan)


def test_q2_hint_for_the_optimum_of_the_last_fitted_budget():
    N_small = float(LAW.optimal_allocation(ex06.FIT_UP_TO)[0])
    assert N_small < N_OPT / 1.5  # else the plan below would pass
    with pytest.raises(AssertionError, match="That is the optimum for 1e\\+11 FLOPs"):
        ex06.q2((N_small, ex06.BUDGET / (6 * N_small)))


def test_q2_hint_for_twenty_tokens_per_parameter():
    N_rule = math.sqrt(ex06.BUDGET / 120)
    assert not 1 / 1.5 <= N_rule / N_OPT <= 1.5  # else the rule of thumb would pass
    with pytest.raises(AssertionError, match="rule of thumb of 20 tokens per parameter"):
        ex06.q2((N_rule, ex06.BUDGET / (6 * N_rule)))


def test_q3_scores_the_prediction_against_the_outcome(outcome):
    outcome(outcome_missed_by(0.31))
    with pytest.raises(AssertionError, match="A miss below 30 % of the part above the entropy rate passes"):
        ex06.q3((N, D, PREDICTED))
    outcome(outcome_missed_by(-0.32))
    with pytest.raises(AssertionError, match="A miss below 30 %"):
        ex06.q3((N, D, PREDICTED))
    outcome(outcome_missed_by(0.29))
    ex06.q3((N, D, PREDICTED))


@pytest.mark.parametrize(
    ("prediction", "hint"),
    [
        ((N, 3 * D, PREDICTED), "over the budget"),
        ((N, D, 0.5 * lab.markov_source().entropy_rate), "below the entropy rate"),
        ((N, D, LAW.E), "That is a floor alone"),
        ((N, D, ENTROPY), "That is a floor alone"),
        ((N, D, float(CHINCHILLA.loss(N, D))), "the law Hoffmann et al. fitted to text"),
        ((1e9, 1e9, PREDICTED), "far beyond the lab's models"),
        ((D, N, PREDICTED), "N and D look swapped"),
        ((N, D), "Expected a triple"),
        ((N, D, float("nan")), "Expected a triple"),
    ],
)
def test_q3_hints(outcome, prediction, hint):
    outcome(PREDICTED * 1.01)
    with pytest.raises(AssertionError, match=hint):
        ex06.q3(prediction)


def test_q3_trains_the_labs_own_deterministic_run():
    ex06._outcome.cache_clear()
    with threadpool_limits(limits=2, user_api="blas"):  # lab.train pins one thread itself
        checked = ex06._outcome(8, 5_000)
    with threadpool_limits(limits=1, user_api="blas"):
        assert checked == lab.train(8, 5_000).loss
