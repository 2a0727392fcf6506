"""Check helpers for the exercises' check cells.

Every check prints one line saying the answer is correct, or raises ``AnswerError`` (an
``AssertionError``) whose message starts with the question's label and gives a hint. An answer that is
still the placeholder ``...`` (or ``None``) fails with "not answered yet" rather than
a ``TypeError`` from deep inside NumPy. Known mistakes are passed as ``(value, hint)``
pairs so that a plausible wrong answer gets a hint that names it.

The grader (``python -m lib.grader``) counts a question as passed when its check cell
runs without raising and the same check, called again outside the student's kernel on
the recorded answer, passes too.
"""

from __future__ import annotations

import decimal
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import NoReturn

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "check_number",
    "check_array",
    "check_choice",
    "require_answer",
    "as_number",
    "as_numbers",
    "fail",
    "passed",
    "NOT_ANSWERED",
    "AnswerError",
]

NOT_ANSWERED = "not answered yet"


class AnswerError(AssertionError):
    """A missing or wrong answer, shown in a notebook as its message alone.

    A plain traceback would print the source of the check, and with it the expected value
    and the hints for every other mistake. IPython shows what ``_render_traceback_``
    returns instead of the traceback; the grader still sees the cell fail with this line.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def _fail(question: str, message: str) -> AnswerError:
    return AnswerError(f"{question}: {message}")


def _correct(question: str) -> None:
    print(f"✔ {question}: correct")


def fail(question: str, hint: str) -> NoReturn:
    """Fail `question` with `hint`: for wrong answers a check recognises by its own reasoning.

    Examples
    --------
    >>> fail("Question 4", "The pair is swapped.")
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 4: not correct yet. The pair is swapped.
    """
    raise _fail(question, f"not correct yet. {hint}")


def passed(question: str) -> None:
    """Say that `question` is answered correctly: for checks that judge an answer themselves.

    Examples
    --------
    >>> passed("Question 4")
    ✔ Question 4: correct
    """
    _correct(question)


def require_answer(question: str, answer: object) -> None:
    """Raise ``AssertionError`` saying "not answered yet" if `answer` is ``...`` or ``None``.

    Examples
    --------
    >>> require_answer("Question 1", ...)
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 1: not answered yet — replace the `...` in the answer cell.
    """
    if answer is Ellipsis or answer is None:
        raise _fail(question, f"{NOT_ANSWERED} — replace the `...` in the answer cell.")


def _as_real(question: str, answer: object) -> float:
    require_answer(question, answer)
    if isinstance(answer, np.ndarray) and answer.size == 1:  # np.array(1.6e12), np.array([1.6e12])
        answer = answer.item()
    if isinstance(answer, decimal.Decimal):  # exact arithmetic is welcome (so is Fraction)
        answer = float(answer)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise _fail(question, f"expected a single number, got {type(answer).__name__} {answer!r}.")
    value = float(answer)
    if not math.isfinite(value):
        raise _fail(
            question,
            f"expected a finite number, got {value}. An overflow or a division by zero "
            "usually means the formula was evaluated in a way floating point cannot hold.",
        )
    return value


def as_number(question: str, answer: object) -> float:
    """`answer` as one finite float, or a failed check that says what is wrong with it.

    NumPy scalars, one-item arrays, ``Decimal`` and ``Fraction`` are welcome; a bool, a
    string, a list or a non-finite value is not.

    Examples
    --------
    >>> as_number("Question 3", np.array([2.5]))
    2.5
    >>> as_number("Question 3", "2.5")
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 3: expected a single number, got str '2.5'.
    """
    return _as_real(question, answer)


def as_numbers(
    question: str,
    answer: object,
    shape: tuple[int, ...] | None = None,
    *,
    positive: bool = False,
    hint: str = "",
    nonfinite_hint: str = "",
) -> NDArray[np.float64]:
    """`answer` as a float array, or a failed check that says what is wrong with it.

    Parameters
    ----------
    question : str
        Label used in every message.
    answer : object
        A list, tuple or array of real numbers (``Fraction`` and ``Decimal`` are fine).
    shape : tuple of int, optional
        The shape the answer must have, e.g. ``(2,)`` for a pair.
    positive : bool
        Whether every number must be positive.
    hint : str
        Replaces the message for an answer that is not numbers, has the wrong shape or is
        not positive (e.g. "Store five numbers (E, A, B, alpha, beta)").
    nonfinite_hint : str
        Added to the message for inf or nan, e.g. why the exercise's numbers overflow.

    Examples
    --------
    >>> as_numbers("Question 2", [7e10, 1.4e12], (2,), positive=True).tolist()
    [70000000000.0, 1400000000000.0]
    >>> as_numbers("Question 2", [7e10], (2,))
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 2: expected 2 values in shape (2,), got shape (1,).
    """
    require_answer(question, answer)
    try:
        values = _as_real_array(question, answer, nonfinite_hint)
    except AnswerError:
        if not hint:
            raise
        raise _fail(question, hint) from None
    if shape is not None and values.shape != tuple(shape):
        size = math.prod(shape)
        raise _fail(
            question, hint or f"expected {size} values in shape {tuple(shape)}, got shape {values.shape}."
        )
    if positive and not np.all(values > 0):
        raise _fail(question, hint or f"expected positive numbers, got {answer!r}.")
    return values


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    return abs(a - b) <= atol + rtol * abs(b)


def check_number(
    question: str,
    answer: object,
    expected: float,
    *,
    rtol: float = 1e-3,
    atol: float = 0.0,
    mistakes: Iterable[tuple[float, str]] = (),
    hint: str = "",
) -> None:
    """Check a numeric answer against `expected` within ``atol + rtol * |expected|``.

    Parameters
    ----------
    question : str
        Label used in every message, e.g. ``"Question 2"``.
    answer : object
        The student's answer; a real number (NumPy scalars and one-item arrays are fine;
        lists are not).
    expected : float
        The right value, computed from `lib`, never typed in.
    rtol, atol : float
        Relative and absolute tolerance.
    mistakes : iterable of (float, str)
        Plausible wrong values and the hint each one gets (same tolerance).
    hint : str
        Hint for any other wrong value.

    Examples
    --------
    >>> check_number("Question 1", 0.8395, 10**-0.076)
    ✔ Question 1: correct
    >>> check_number("Question 1", 1.191, 10**-0.076, mistakes=[(10**0.076, "Check the sign.")])
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 1: not correct yet (got 1.191). Check the sign.
    """
    if expected == 0 and atol == 0:
        raise ValueError("expected is 0: give an absolute tolerance atol > 0")
    value = _as_real(question, answer)
    if _close(value, expected, rtol, atol):
        _correct(question)
        return
    for wrong, wrong_hint in mistakes:
        if _close(value, wrong, rtol, atol):
            raise _fail(question, f"not correct yet (got {value:.4g}). {wrong_hint}")
    raise _fail(question, f"not correct yet (got {value:.4g}). {hint}".rstrip())


def _is_real(item: object) -> bool:
    """A real number for `_as_real_array`: not a bool, a string, None or a complex number."""
    return isinstance(item, (numbers.Real, decimal.Decimal)) and not isinstance(item, (bool, np.bool_))


def _as_real_array(question: str, answer: object, nonfinite_hint: str = "") -> NDArray[np.float64]:
    require_answer(question, answer)
    if isinstance(answer, (str, bytes, dict, set)):
        raise _fail(question, f"expected a list or array of numbers, got {type(answer).__name__}.")
    try:
        # no dtype here: np.array(["13", "2.2"], dtype=float) would parse the strings
        raw = np.asarray(answer)
        if raw.dtype.kind == "O":
            items = raw.ravel().tolist()
            if not all(_is_real(item) for item in items):
                raise TypeError("not all items are real numbers")
        elif raw.dtype.kind not in "iuf":  # strings, bools, complex numbers, dates...
            raise TypeError(f"items of dtype {raw.dtype}")
        values = raw.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise _fail(question, f"expected a list or array of numbers, got {answer!r}.") from None
    if not np.all(np.isfinite(values)):
        raise _fail(
            question,
            nonfinite_hint
            or "expected finite numbers, got inf or nan: a value overflowed floating point, "
            "e.g. a power of a huge number; rewrite the formula or use exact arithmetic.",
        )
    return values


def check_array(
    question: str,
    answer: object,
    expected: ArrayLike,
    *,
    rtol: float = 1e-3,
    atol: float = 0.0,
    mistakes: Iterable[tuple[ArrayLike, str]] = (),
    mistake_rtol: float | None = None,
    hint: str = "",
    nonfinite_hint: str = "",
) -> None:
    """Check a list or array of numbers element by element against `expected`.

    Parameters
    ----------
    question : str
        Label used in every message.
    answer : object
        The student's answer: a list, tuple or array of real numbers.
    expected : array_like
        The right values, computed from `lib`; the answer must have the same shape.
    rtol, atol : float
        Relative and absolute tolerance per element.
    mistakes : iterable of (array_like, str)
        Plausible wrong arrays (same shape) and the hint each one gets.
    mistake_rtol : float, optional
        Relative tolerance for recognising a mistake; default `rtol`.
    hint : str
        Hint shown when a value is wrong; the message also names the first wrong element.
    nonfinite_hint : str
        Message for an answer holding inf or nan, e.g. why the exercise's numbers overflow.

    Examples
    --------
    >>> check_array("Question 1", [13, 2.2], [13.0, 2.2])
    ✔ Question 1: correct
    >>> check_array("Question 1", [13, 2.5], [13.0, 2.2], hint="Recompute the second point.")
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 1: not correct yet: element 1 is 2.5, not right. Recompute ...
    >>> check_array("Question 1", [2.2, 13], [13.0, 2.2], mistakes=[([2.2, 13.0], "Reverse the order.")])
    Traceback (most recent call last):
    lib.course.grading.AnswerError: Question 1: not correct yet. Reverse the order.
    """
    target = np.asarray(expected, dtype=float)
    values = as_numbers(question, answer, target.shape, nonfinite_hint=nonfinite_hint)
    wrong = ~(np.abs(values - target) <= atol + rtol * np.abs(target))
    if not wrong.any():
        _correct(question)
        return
    near = rtol if mistake_rtol is None else mistake_rtol
    for mistake, mistake_hint in mistakes:
        if np.allclose(values, np.asarray(mistake, dtype=float), rtol=near, atol=atol):
            fail(question, mistake_hint)
    index = int(np.flatnonzero(wrong)[0])
    position = np.unravel_index(index, target.shape) if target.ndim > 1 else index
    got = values.flat[index]
    raise _fail(question, f"not correct yet: element {position} is {got:.4g}, not right. {hint}".rstrip())


def check_choice(
    question: str,
    answer: object,
    expected: str,
    options: Sequence[str],
    *,
    hints: dict[str, str] | None = None,
) -> None:
    """Check a multiple-choice answer: one of `options` (letters, case-insensitive).

    Parameters
    ----------
    question : str
        Label used in every message.
    answer : object
        The student's choice, e.g. ``"b"``.
    expected : str
        The right option.
    options : sequence of str
        All valid options.
    hints : dict, optional
        A hint for each wrong option, saying why it does not hold.

    Examples
    --------
    >>> check_choice("Question 5", "B", "b", ["a", "b", "c"])
    ✔ Question 5: correct
    """
    require_answer(question, answer)
    valid = [option.lower() for option in options]
    if not isinstance(answer, str) or answer.strip().lower() not in valid:
        raise _fail(question, f"answer with one of {', '.join(map(repr, valid))}, got {answer!r}.")
    choice = answer.strip().lower()
    if choice == expected.lower():
        _correct(question)
        return
    reason = (hints or {}).get(choice, "Re-read the options.")
    raise _fail(question, f"not correct yet (chose {choice!r}). {reason}")
