"""The tests every exercise's checks (lib.checks.exNN) get: the solution's answer passes
with one verdict, and the blank exercise's placeholder (``...``) fails as not answered yet.

A test file assigns what these return to module-level ``test_`` names, so pytest collects
them there, parametrised by question::

    test_the_solution_passes_with_one_verdict = solution_passes(QUESTIONS, solution_answers)
    test_the_placeholder_is_not_answered_yet = placeholder_is_not_answered(QUESTIONS)
"""

from collections.abc import Callable, Sequence

import pytest

Question = Callable[[object], None]


def solution_passes(questions: Sequence[Question], solution_answers: Callable[[], dict]) -> Callable:
    """A test that each question accepts ``solution_answers()[question]`` and prints one verdict."""

    @pytest.mark.parametrize("question", questions)
    def test(question, capsys):
        question(solution_answers()[question])
        assert capsys.readouterr().out.count("correct") == 1

    return test


def placeholder_is_not_answered(questions: Sequence[Question]) -> Callable:
    """A test that each question refuses the placeholder ``...`` as not answered yet."""

    @pytest.mark.parametrize("question", questions)
    def test(question):
        with pytest.raises(AssertionError, match="not answered yet"):
            question(...)

    return test
