"""Tests for lib.course.grading: right answers pass, wrong ones fail with the right hint."""

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from lib.course import grading


def test_a_right_number_prints_correct(capsys):
    grading.check_number("Question 1", np.float64(0.5001), 0.5)
    assert capsys.readouterr().out == "✔ Question 1: correct\n"


@pytest.mark.parametrize("placeholder", [..., None])
def test_a_placeholder_is_not_answered_yet(placeholder):
    with pytest.raises(AssertionError, match="Question 2: not answered yet"):
        grading.check_number("Question 2", placeholder, 1.0)


@pytest.mark.parametrize(
    "answer", ["0.5", [0.5], (0.5,), [np.float64(0.5)], np.array([0.5, 0.6]), np.array(["0.5"]), True]
)
def test_a_non_number_is_rejected_with_its_type(answer):
    with pytest.raises(AssertionError, match="expected a single number"):
        grading.check_number("Question 1", answer, 0.5)


@pytest.mark.parametrize("answer", [np.inf, np.nan, float("-inf")])
def test_an_overflow_is_never_accepted(answer):
    with pytest.raises(AssertionError, match="expected a finite number"):
        grading.check_number("Question 1", answer, 1e308)


def test_a_known_mistake_gets_its_own_hint():
    with pytest.raises(AssertionError, match=re.escape("(got 2). Mind the sign.")):
        grading.check_number("Q", 2.0, -2.0, mistakes=[(2.0, "Mind the sign.")], hint="Other.")


def test_any_other_wrong_value_gets_the_general_hint():
    with pytest.raises(AssertionError, match=re.escape("(got 3). Other.")):
        grading.check_number("Q", 3.0, -2.0, mistakes=[(2.0, "Mind the sign.")], hint="Other.")


@pytest.mark.parametrize("exact", [Fraction(102, 1), Decimal("102"), 102])
def test_exact_arithmetic_is_accepted(exact, capsys):
    grading.check_number("Q", exact, 102.0)
    assert "correct" in capsys.readouterr().out


def test_a_zero_dimensional_array_counts_as_a_number(capsys):
    grading.check_number("Q", np.array(2.0), 2.0)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", [np.array([1.6e12]), np.array([[1.6e12]]), np.array([1.6e12], dtype=np.longdouble)]
)
def test_a_one_item_array_counts_as_a_number(answer, capsys):
    grading.check_number("Q", answer, 1.6e12)
    assert "correct" in capsys.readouterr().out


def test_choice_accepts_any_case_and_spacing(capsys):
    grading.check_choice("Question 5", " B ", "b", ["a", "b", "c"])
    assert "correct" in capsys.readouterr().out


def test_choice_rejects_an_option_that_does_not_exist():
    with pytest.raises(AssertionError, match="answer with one of 'a', 'b', 'c', got 'd'"):
        grading.check_choice("Question 5", "d", "b", ["a", "b", "c"])


def test_a_wrong_choice_says_why():
    with pytest.raises(AssertionError, match=re.escape("(chose 'a'). Nothing new appears.")):
        grading.check_choice("Q", "a", "b", ["a", "b"], hints={"a": "Nothing new appears."})


def test_fail_gives_the_hint_and_passed_says_correct(capsys):
    with pytest.raises(AssertionError, match="Q: not correct yet. Sort it."):
        grading.fail("Q", "Sort it.")
    grading.passed("Q")
    assert capsys.readouterr().out == "✔ Q: correct\n"


def test_as_numbers_checks_shape_and_sign_and_uses_the_hint():
    assert grading.as_numbers("Q", (1, 2.5), (2,), positive=True).tolist() == [1.0, 2.5]
    with pytest.raises(AssertionError, match="expected 2 values in shape"):
        grading.as_numbers("Q", [1.0], (2,))
    with pytest.raises(AssertionError, match="expected positive numbers"):
        grading.as_numbers("Q", [1.0, -2.0], (2,), positive=True)
    with pytest.raises(AssertionError, match="Store N and D."):
        grading.as_numbers("Q", "1 2", (2,), hint="Store N and D.")
    with pytest.raises(AssertionError, match="not answered yet"):
        grading.as_numbers("Q", ..., (2,), hint="Store N and D.")
    with pytest.raises(AssertionError, match="powers overflow"):
        grading.as_numbers("Q", [1.0, float("inf")], nonfinite_hint="powers overflow")


def test_check_array_names_a_known_mistake(capsys):
    mistakes = [([2.0, 1.0], "Reversed.")]
    with pytest.raises(AssertionError, match="not correct yet. Reversed."):
        grading.check_array("Q", [2.0, 1.0], [1.0, 2.0], mistakes=mistakes)
    with pytest.raises(AssertionError, match="element 0 is 5"):
        grading.check_array("Q", [5.0, 1.0], [1.0, 2.0], mistakes=mistakes, hint="Again.")
    grading.check_array("Q", [1.0, 2.0], [1.0, 2.0], mistakes=mistakes)
    assert "correct" in capsys.readouterr().out


def test_check_number_refuses_a_zero_target_without_an_absolute_tolerance():
    with pytest.raises(ValueError, match="atol"):
        grading.check_number("Q", 0.0, 0.0)


def test_an_array_of_right_values_passes(capsys):
    grading.check_array("Q", (13, 2.2, 102, 102), np.array([13.0, 2.2, 102.0, 102.0]))
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (..., "not answered yet"),
        ([13.0, 2.2, 102.0], "expected 4 values"),
        ([13.0, 2.2, np.inf, 102.0], "expected finite numbers"),
        ([13.0, 2.2, float("nan"), 102.0], "expected finite numbers"),
        ("13, 2.2", "expected a list or array of numbers"),
        (["13", "2.2", "102", "102"], "expected a list or array of numbers"),
        ([13.0, "2.2", 102.0, 102.0], "expected a list or array of numbers"),
        (np.array(["13", "2.2", "102", "102"]), "expected a list or array of numbers"),
        ([13.0, None, 102.0, 102.0], "expected a list or array of numbers"),
        ([13.0, 2.2 + 0j, 102.0, 102.0], "expected a list or array of numbers"),
        ([13.0, [2.2], 102.0, 102.0], "expected a list or array of numbers"),
        ([13.0, 2.2, 10**400, 102.0], "expected a list or array of numbers"),
        ([13.0, 2.2, 100.0, 102.0], "element 2 is 100"),
    ],
)
def test_a_wrong_array_is_rejected_with_a_reason(answer, message):
    with pytest.raises(AssertionError, match=message):
        grading.check_array("Q", answer, [13.0, 2.2, 102.0, 102.0])


@pytest.mark.parametrize(
    "answer",
    [
        [Fraction(13), Decimal("2.2"), 102, np.float32(102.0)],
        np.array([13, 2.2, 102, 102], dtype=np.longdouble),
        np.array([13, 2.2, 102, 102], dtype=object),
    ],
)
def test_an_array_of_exact_or_numpy_numbers_passes(answer, capsys):
    grading.check_array("Q", answer, [13.0, 2.2, 102.0, 102.0])
    assert "correct" in capsys.readouterr().out


def test_a_failed_check_shows_its_hint_but_not_the_source_of_the_check(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    result = shell.run_cell("from lib.checks import ex01\nex01.q1(2.0)")
    shown = capsys.readouterr().out
    assert isinstance(result.error_in_exec, grading.AnswerError)
    assert "AnswerError: Question 1: not correct yet" in shown
    assert "def q1" not in shown and "factor_per_decade" not in shown
    assert len(shown.strip().splitlines()) == 1
