"""The ex02 checks accept the solution and reject each planted mistake with its hint."""

import dataclasses
import decimal
from fractions import Fraction

import numpy as np
import pytest
from checks_helpers import placeholder_is_not_answered, solution_passes

from lib.checks import ex02
from lib.compute import training_flops
from lib.laws import CHINCHILLA, EPOCH_REPLICATION, LECTURE_TOY

QUESTIONS = [ex02.q1, ex02.q2, ex02.q3, ex02.q4, ex02.q5, ex02.q6, ex02.q7]

N_OPT, D_OPT = LECTURE_TOY.optimal_allocation(ex02.BUDGET)


def toy_losses(law=LECTURE_TOY):
    return [law.loss(N, D) for N, D in ex02.POINTS]


def model_losses(law=CHINCHILLA):
    return [law.loss(*ex02.GOPHER), law.loss(*ex02.CHINCHILLA_RUN)]


def scanned_N(per_decade=250, law=LECTURE_TOY, six=True):
    # a scan along the budget line from 1e6 to 1e22 parameters (the solution's: 250 per decade)
    N = np.logspace(6, 22, 16 * per_decade + 1)
    D = ex02.BUDGET / (training_flops(N, 1.0) if six else N)
    return float(N[np.argmin(law.loss(N, D))])


def closed_form_N(C=ex02.BUDGET):
    # alpha A / N**alpha = beta B / D**beta with D = C / (6 N), solved for N
    a, b, A, B = LECTURE_TOY.alpha, LECTURE_TOY.beta, LECTURE_TOY.A, LECTURE_TOY.B
    return (a * A / (b * B) * (C / 6) ** b) ** (1 / (a + b))


def solution_answers():
    return {
        ex02.q1: toy_losses(),
        ex02.q2: "b",
        ex02.q3: scanned_N(),
        ex02.q4: "a",
        ex02.q5: model_losses(),
        ex02.q6: "a",
        ex02.q7: closed_form_N(),
    }


test_the_solution_passes_with_one_verdict = solution_passes(QUESTIONS, solution_answers)
test_the_placeholder_is_not_answered_yet = placeholder_is_not_answered(QUESTIONS)


def test_the_lectures_expected_values_are_what_lib_computes():
    # the lecture's exercise: 13, 2.2, 102 and 102 (the last two up to 1e-22)
    assert toy_losses() == pytest.approx([13, 2.2, 102, 102], rel=1e-12)


@pytest.mark.parametrize(
    "exact",
    [
        [Fraction(13), Fraction(11, 5), 102 + Fraction(1, 10**22), Fraction(102)],
        [decimal.Decimal(13), decimal.Decimal("2.2"), decimal.Decimal(102), decimal.Decimal(102)],
        (13, 2.2, 102, 102),
        np.array([13, 2.2, 102, 102], dtype=np.float32),
    ],
    ids=["fractions", "decimals", "tuple", "float32"],
)
def test_question_1_accepts_exact_and_other_numeric_answers(exact, capsys):
    ex02.q1(exact)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("question", "wrong", "hint"),
    [
        (ex02.q1, [13, 2.2, 102, np.inf], "overflowed or wrapped"),
        (ex02.q1, [13, 2.2, np.nan, 102], "inf or nan"),
        (ex02.q1, np.array([13, 2.2, np.inf]), "inf or nan"),
        (ex02.q1, toy_losses(dataclasses.replace(LECTURE_TOY, alpha=0.25, beta=1 / 3)), "swapped"),
        (ex02.q1, [11, 0.2, 100, 100], "2 too low"),
        (ex02.q1, [102, 102, 2.2, 13], "reverse order"),
        (ex02.q1, [13, 2.2, 102], "expected 4 values"),
        (ex02.q1, [14, 2.2, 102, 102], "element 0"),
        (ex02.q2, "a", "too few tokens"),
        (ex02.q2, "c", "1000-parameter"),
        (ex02.q2, "d", "10\\*\\*4 tokens"),
        (ex02.q2, "e", "answer with one of"),
        (ex02.q3, D_OPT, "best D"),
        (ex02.q3, 1e12, "lecture's point"),
        (ex02.q3, 1e22, "far from the minimum"),
        (ex02.q3, 1e6, "far from the minimum"),
        (ex02.q3, 0.0, "far from the minimum"),
        (ex02.q3, 5 * N_OPT, "far from the minimum"),
        (ex02.q3, 1.12 * N_OPT, "finer grid"),
        (ex02.q3, N_OPT / 1.12, "finer grid"),
        (ex02.q3, scanned_N(law=CHINCHILLA), "fitted CHINCHILLA"),
        (ex02.q3, scanned_N(six=False), "6 of C = 6 N D"),
        (ex02.q3, scanned_N(per_decade=10, six=False), "6 of C = 6 N D"),
        (ex02.q3, np.inf, "finite"),
        (ex02.q3, [N_OPT], "single number"),
        (ex02.q4, "b", "not equal"),
        (ex02.q4, "c", "same at every point"),
        (ex02.q4, "d", "thousands of times"),
        (ex02.q5, model_losses(dataclasses.replace(CHINCHILLA, E=1.61)), "E = 1.61"),
        (ex02.q5, model_losses()[::-1], "Gopher first"),
        (ex02.q5, [CHINCHILLA.loss(300e9, 280e9), CHINCHILLA.loss(1.4e12, 70e9)], "swapped"),
        (ex02.q5, model_losses(EPOCH_REPLICATION), "replication"),
        (ex02.q5, model_losses(LECTURE_TOY), "toy law"),
        (ex02.q5, [np.nan, 1.94], "inf or nan"),
        (ex02.q6, "b", "losses do change"),
        (ex02.q6, "c", "cannot move"),
        (ex02.q6, "d", "0.08 nats/token lower"),
        (ex02.q7, scanned_N(), "not exact"),
        (ex02.q7, scanned_N(per_decade=10), "not exact"),
        (ex02.q7, closed_form_N(6 * ex02.BUDGET), "6 of C = 6 N D"),
        (ex02.q7, D_OPT, "best D"),
        (ex02.q7, CHINCHILLA.optimal_allocation(ex02.BUDGET)[0], "fitted CHINCHILLA"),
        (ex02.q7, 1e12, "collect the powers"),
        (ex02.q7, np.nan, "finite"),
    ],
)
def test_a_plausible_mistake_fails_with_its_hint(question, wrong, hint):
    with pytest.raises(AssertionError, match=f"(?i){hint}"):
        question(wrong)


def test_the_budget_is_that_of_the_lectures_second_point():
    assert ex02.BUDGET == pytest.approx(6e28, rel=1e-12)


def test_the_slide_typo_shifts_every_loss_and_keeps_the_optimum():
    # the fact behind Question 6: E only shifts the loss, so the optimum stays where it is
    slide = dataclasses.replace(CHINCHILLA, E=ex02.SLIDE_E)
    shift = np.subtract(model_losses(slide), model_losses())
    assert shift == pytest.approx([-0.08, -0.08], abs=1e-12)
    assert slide.optimal_allocation(5.76e23) == pytest.approx(CHINCHILLA.optimal_allocation(5.76e23))


@pytest.mark.parametrize("per_decade", [10, 20, 30, 60, 250])
def test_question_3_passes_a_correct_scan_on_any_reasonable_grid(per_decade, capsys):
    # 10 or 30 points per decade find 1.585e12, 3 % from the optimum but 9e-6 above its loss
    ex02.q3(scanned_N(per_decade))
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("N", [1.585e12, 1.78e12, N_OPT])
def test_question_3_grades_on_the_loss_along_the_budget_line(N, capsys):
    ex02.q3(N)
    assert "correct" in capsys.readouterr().out


def test_question_3_mistakes_are_far_from_the_optimum_in_loss():
    # the lecture's 1e12 and the forgot-the-6 answer both lose more than the tolerance
    excess = [ex02._excess_loss(N) for N in (1e12, scanned_N(six=False), scanned_N(law=CHINCHILLA))]
    assert min(excess) > 10 * ex02._MAX_EXCESS


def test_forgetting_the_6_scales_the_optimum_by_6_to_the_a():
    # D = C / N is the budget line of 6 C, so N_opt grows by 6**(beta / (alpha + beta)) = 6**(3/7)
    a, _ = LECTURE_TOY.exponents
    assert LECTURE_TOY.optimal_allocation(6 * ex02.BUDGET)[0] == pytest.approx(N_OPT * 6**a, rel=1e-12)
    assert scanned_N(six=False) == pytest.approx(N_OPT * 6**a, rel=1e-2)


def test_the_closed_form_is_what_lib_computes():
    assert closed_form_N() == pytest.approx(N_OPT, rel=1e-12)
