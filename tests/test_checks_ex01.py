"""The ex01 checks accept the solution and reject each planted mistake with its hint."""

import numpy as np
import pytest
from checks_helpers import placeholder_is_not_answered, solution_passes

from lib import powerlaw
from lib.checks import ex01

QUESTIONS = [ex01.q1, ex01.q2, ex01.q3, ex01.q4, ex01.q5]


def solution_answers():
    D, L2 = ex01.data_q2()
    N, L3 = ex01.data_q3()
    return {
        ex01.q1: powerlaw.factor_per_decade(-ex01.KAPLAN_ALPHA_N),
        ex01.q2: powerlaw.fit_power_law(D, L2).exponent,
        ex01.q3: powerlaw.fit_power_law_with_floor(N, L3).floor,
        ex01.q4: ex01.CHINCHILLA_MODEL_TERM.local_exponent(ex01.Q4_N),
        ex01.q5: "b",
    }


test_the_solution_passes_with_one_verdict = solution_passes(QUESTIONS, solution_answers)
test_the_placeholder_is_not_answered_yet = placeholder_is_not_answered(QUESTIONS)


@pytest.mark.parametrize(
    ("question", "wrong", "hint"),
    [
        (ex01.q1, 10**0.076, "mind the sign"),
        (ex01.q1, 2**-0.076, "factor for doubling"),
        (ex01.q1, 1 - 0.076, "does not subtract"),
        (ex01.q1, np.exp(-0.076), "not exp"),
        (ex01.q2, 0.081, "negative"),
        (ex01.q2, float(np.polyfit(*ex01.data_q2(), deg=1)[0]), "fit log L against log D"),
        (ex01.q3, float(ex01.data_q3()[1].min()), "smallest loss"),
        (ex01.q3, 0.0, "no floor"),
        (ex01.q4, -0.34, "reducible part alone"),
        (ex01.q4, 0.016, "slope is negative"),
        (ex01.q5, "a", "nothing new appears"),
        (ex01.q5, "c", "comes from the metric"),
    ],
)
def test_a_plausible_mistake_fails_with_its_hint(question, wrong, hint):
    with pytest.raises(AssertionError, match=f"(?i){hint}"):
        question(wrong)


def test_the_data_sets_are_pinned():
    # a change here changes what students fit: regenerate the exercise and its text too
    assert ex01.data_q2()[1][0] == pytest.approx(4.8292, abs=1e-4)
    assert ex01.data_q3()[1][-1] == pytest.approx(2.0633, abs=1e-4)


@pytest.mark.parametrize(
    ("question", "published"),
    [(ex01.q2, -0.095), (ex01.q2, -0.076), (ex01.q3, 1.69), (ex01.q3, 1.817)],
)
def test_published_values_do_not_pass_questions_that_ask_for_a_fit(question, published):
    with pytest.raises(AssertionError, match="not correct yet"):
        question(published)
