"""The ex05 checks accept the solution and reject each planted mistake with its hint."""

import numpy as np
import pytest
from checks_helpers import placeholder_is_not_answered, solution_passes

from lib.checks import ex05
from lib.inference import (
    coverage,
    inference_aware_allocation,
    lifetime_flops,
    samples_needed,
    verified_accuracy,
)
from lib.laws import CHINCHILLA

QUESTIONS = [ex05.q1, ex05.q2, ex05.q3, ex05.q4, ex05.q5, ex05.q6]
TARGET = ex05.target_loss()
N_C, D_C = CHINCHILLA.optimal_allocation(ex05.BUDGET)
N_A, D_A = inference_aware_allocation(CHINCHILLA, TARGET, ex05.SERVED)
LIFETIME_C = lifetime_flops(N_C, D_C, ex05.SERVED)
LIFETIME_A = lifetime_flops(N_A, D_A, ex05.SERVED)
P_ACCEPT = ex05.P_SAMPLE * ex05.RECALL
WRONG_ACCEPT = (1 - ex05.P_SAMPLE) * ex05.FALSE_POSITIVE_RATE


def D_for(N, law=CHINCHILLA, target=TARGET):
    """Training tokens that bring a model of N parameters to the target loss."""
    return (law.B / (target - law.E - law.A / N**law.alpha)) ** (1 / law.beta)


# A pair that trades a little loss for a cheaper model: 17 % smaller than the optimum, with
# the tokens that reach target + 0.0018 (within 1e-3 of the total loss, so a check on the
# loss alone would pass it; its lifetime FLOPs are even below the optimum's)
SLACK_PAIR = (0.83 * N_A, D_for(0.83 * N_A, target=TARGET + 0.0018))


def scanned_pair(per_decade=1000, demand=ex05.SERVED):
    N_min = (CHINCHILLA.A / (TARGET - CHINCHILLA.E)) ** (1 / CHINCHILLA.alpha)
    N = N_min * np.logspace(0.001, 2, int(2 * per_decade) + 1)
    D = D_for(N)
    best = np.argmin(lifetime_flops(N, D, demand))
    return (N[best], D[best])


def solution_answers():
    return {
        ex05.q1: 6 * N_C * D_C + 2 * N_C * ex05.SERVED,
        ex05.q2: scanned_pair(),
        ex05.q3: 1 - LIFETIME_A / LIFETIME_C,
        ex05.q4: int(np.ceil(np.log(1 - ex05.TARGET_ACCURACY) / np.log(1 - P_ACCEPT))),
        ex05.q5: P_ACCEPT / (P_ACCEPT + WRONG_ACCEPT),
        ex05.q6: "b",
    }


test_the_solution_passes_with_one_verdict = solution_passes(QUESTIONS, solution_answers)
test_the_placeholder_is_not_answered_yet = placeholder_is_not_answered(QUESTIONS)


@pytest.mark.parametrize("per_decade", [100, 300, 1000])
def test_question_2_passes_a_scan_on_a_reasonable_grid_and_lib_itself(per_decade, capsys):
    ex05.q2(scanned_pair(per_decade))
    ex05.q2(np.array([N_A, D_A]))
    assert capsys.readouterr().out.count("correct") == 2


def test_the_answers_hand_check_what_lib_computes():
    # Question 4: 1 - (1 - 0.072)**40 = 0.9499 < 0.95 <= 1 - 0.928**41 = 0.9536
    assert solution_answers()[ex05.q4] == samples_needed(0.95, 0.08, recall=0.9) == 41
    assert verified_accuracy(0.08, 40, 0.9) < 0.95 <= verified_accuracy(0.08, 41, 0.9)
    assert coverage(0.08, 36) >= 0.95  # a perfect verifier would need only 36
    # Question 5: the plateau is the checker's precision, well below the 95 % target
    assert verified_accuracy(0.08, 1e5, 0.9, 0.02) == pytest.approx(solution_answers()[ex05.q5], rel=1e-9)
    assert solution_answers()[ex05.q5] < ex05.TARGET_ACCURACY


def test_the_slack_pair_is_within_the_old_loss_tolerance_and_cheaper_than_the_optimum():
    # why Question 2 projects onto the iso-loss curve instead of judging the loss relative to it
    N, D = SLACK_PAIR
    assert abs(CHINCHILLA.loss(N, D) / TARGET - 1) <= 1e-3
    assert lifetime_flops(N, D, ex05.SERVED) < LIFETIME_A


@pytest.mark.parametrize("factor", [0.99, 1.0, 1.01])
def test_question_2_passes_models_within_a_percent_of_the_optimum_on_the_curve(factor, capsys):
    ex05.q2((factor * N_A, D_for(factor * N_A) * (1 + 5e-4)))
    assert capsys.readouterr().out.count("correct") == 1


def test_the_inference_aware_model_is_smaller_trained_longer_and_cheaper():
    assert N_A < N_C and D_A > D_C and LIFETIME_A < LIFETIME_C
    assert CHINCHILLA.loss(N_A, D_A) == pytest.approx(TARGET, rel=1e-12)


@pytest.mark.parametrize(
    ("question", "wrong", "hint"),
    [
        (ex05.q1, lifetime_flops(N_C, D_C, 3 * ex05.SERVED), "6 N FLOPs per inference token"),
        (ex05.q1, 2 * N_C * ex05.SERVED, "serving cost alone"),
        (ex05.q1, 6 * N_C * ex05.SERVED, "serving alone, and at 6 N"),
        (ex05.q1, ex05.BUDGET, "training cost alone"),
        (ex05.q1, 1.0, "Add training"),
        (ex05.q1, "4e23", "expected a single number"),
        (ex05.q2, (N_C, D_C), "Chinchilla's choice"),
        (ex05.q2, scanned_pair(demand=3 * ex05.SERVED), "6 N FLOPs per inference token"),
        (ex05.q2, (D_A, N_A), "swapped"),
        (ex05.q2, (N_A, D_A / 2), "not the target"),
        (ex05.q2, SLACK_PAIR, "not the target"),
        (ex05.q2, (N_A, D_A * 1.002), "not the target"),
        (ex05.q2, (1e6, 1e13), "No number of tokens brings a model of 1e\\+06 parameters"),
        (ex05.q2, (0.95 * N_A, D_for(0.95 * N_A)), "another model on the same iso-loss curve"),
        (ex05.q2, (3 * N_A, D_for(3 * N_A)), "another model on the same iso-loss curve"),
        (ex05.q2, (N_A, D_A, 1.0), "expected 2 values"),
        (ex05.q2, N_A, "expected 2 values"),
        (ex05.q3, 100 * (1 - LIFETIME_A / LIFETIME_C), "percentage"),
        (ex05.q3, LIFETIME_C - LIFETIME_A, "saving in FLOPs"),
        (ex05.q3, 1 - N_A * D_A / (N_C * D_C), "training costs only"),
        (ex05.q3, LIFETIME_A / LIFETIME_C, "ratio of the two costs"),
        (ex05.q3, 0.9, "1 - lifetime"),
        (ex05.q4, 40, "Rounded down"),
        (ex05.q4, samples_needed(0.95, 0.08), "ignores the verifier's recall"),
        (ex05.q4, samples_needed(0.95, 0.08) - 1, "ignores the verifier's recall and rounds down"),
        (ex05.q4, 100, "smallest whole k"),
        (ex05.q5, 1.0, "limit of coverage"),
        (ex05.q5, ex05.P_SAMPLE / (ex05.P_SAMPLE + WRONG_ACCEPT), "leaves out the recall"),
        (ex05.q5, P_ACCEPT / (P_ACCEPT + ex05.FALSE_POSITIVE_RATE), r"\(1 - p\)"),
        (ex05.q6, "a", "stops at the verifier's precision"),
        (ex05.q6, "c", "does not fall"),
        (ex05.q6, "d", "false positives"),
        (ex05.q6, "e", "answer with one of"),
    ],
)
def test_a_plausible_mistake_fails_with_its_hint(question, wrong, hint):
    with pytest.raises(AssertionError, match=f"(?i){hint}"):
        question(wrong)


def test_the_six_n_mistake_in_question_3_is_far_from_the_right_saving():
    N6, D6 = inference_aware_allocation(CHINCHILLA, TARGET, 3 * ex05.SERVED)
    wrong = 1 - lifetime_flops(N6, D6, 3 * ex05.SERVED) / lifetime_flops(N_C, D_C, 3 * ex05.SERVED)
    with pytest.raises(AssertionError, match="6 N FLOPs per inference token"):
        ex05.q3(wrong)
