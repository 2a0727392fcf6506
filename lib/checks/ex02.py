"""Checks for exercise 2, the L(N, D) exercise (``solutions/ex02_lnd.ipynb``).

The toy law ``2 + 1000/N**(1/3) + 1000/D**(1/4)`` comes from a university lecture's
exercise (``lib.laws.LECTURE_TOY``); the fitted law is approach 3 of Hoffmann et al.
(2022), App. D.2 (``lib.laws.CHINCHILLA``). Every expected value is computed here from
`lib`; the plausible mistakes are computed the same way, from a law with the mistake in it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from lib.compute import training_flops
from lib.course import grading
from lib.laws import CHINCHILLA, EPOCH_REPLICATION, LECTURE_TOY, ChinchillaLaw
from lib.laws import LECTURE_SLIDE_E as SLIDE_E
from lib.laws import LECTURE_TOY_POINTS as POINTS
from lib.models import model

OPTIONS_Q2 = ("a", "b", "c", "d")
"""Question 2's options, one per point of `POINTS`, in order."""

BUDGET = float(training_flops(*POINTS[1]))
"""The training compute of the point (10**12, 10**16): C = 6 N D = 6e28 FLOPs."""

GOPHER = (model("Gopher").parameters, model("Gopher").tokens)
"""Gopher's (parameters, tokens), 280e9 and 300e9 (Hoffmann et al. 2022, Table 1; `lib.models`)."""

CHINCHILLA_RUN = (model("Chinchilla").parameters, model("Chinchilla").tokens)
"""Chinchilla's (parameters, tokens), 70e9 and 1.4e12 (Hoffmann et al. 2022, Table 1; `lib.models`)."""

_SWAPPED_EXPONENTS = dataclasses.replace(LECTURE_TOY, alpha=LECTURE_TOY.beta, beta=LECTURE_TOY.alpha)

_OVERFLOW_HINT = (
    "The answer contains inf or nan: a power overflowed or wrapped around. NumPy integers have 64 bits, so "
    "10**100 in an integer array silently wraps to 0 (and 10**19 to a negative number); "
    "use floats such as 1e100, Python ints or fractions.Fraction, or LECTURE_TOY.loss."
)


_FAR_FROM_MINIMUM = (
    "That is far from the minimum. If the smallest loss of your scan sits at the first or last "
    "point of its grid, the minimum lies outside the grid: widen it (N from 1e6 to 1e22 covers "
    "the budget line) and give every N its own D = C / (6 N) rather than a fixed D."
)


def _toy_losses(law: ChinchillaLaw = LECTURE_TOY) -> NDArray[np.float64]:
    N, D = (np.array(column, dtype=float) for column in zip(*POINTS, strict=True))
    return np.asarray(law.loss(N, D))


def q1(losses: object) -> None:
    """The toy loss at the four points of `POINTS`, in order."""
    expected = _toy_losses()
    grading.check_array(
        "Question 1",
        losses,
        expected,
        mistakes=[
            (
                _toy_losses(_SWAPPED_EXPONENTS),
                "The exponents (or N and D) are swapped: N gets the power 1/3 and D the power 1/4.",
            ),
            (expected - LECTURE_TOY.E, "These are 2 too low: the law starts with the constant E = 2."),
            (expected[::-1], "The values are in reverse order: follow ex02.POINTS from first to last."),
        ],
        hint="Evaluate 2 + 1000/N**(1/3) + 1000/D**(1/4) at each (N, D) of ex02.POINTS, in order.",
        nonfinite_hint=_OVERFLOW_HINT,
    )


def q2(choice: object) -> None:
    """Which of the four points has the lowest loss."""
    expected = OPTIONS_Q2[int(np.argmin(_toy_losses()))]
    grading.check_choice(
        "Question 2",
        choice,
        expected=expected,
        options=OPTIONS_Q2,
        hints={
            "a": "At (1e9, 1e8) the data term alone is 1000/100 = 10: too few tokens for the model.",
            "c": "A 1000-parameter model has a model term of 100 however much data it sees.",
            "d": "With 10**4 tokens the data term is 100 however large the model is.",
        },
    )


_MAX_EXCESS = 1e-4
"""Question 3 passes an N whose loss on the budget line is at most this far above the minimum."""

_GRID_BAND = 1.15
"""Question 3 says "use a finer grid" for an N within this factor of the optimum."""


def _excess_loss(N: float) -> float:
    """How far the toy loss at (N, C / 6N) lies above the minimum of the budget line."""
    return float(LECTURE_TOY.loss(N, BUDGET / (6.0 * N)) - LECTURE_TOY.loss_at_compute(BUDGET))


def _scalar_mistakes() -> list[tuple[float, str]]:
    """Plausible wrong values of the compute-optimal N, each computed from a law with the mistake."""
    _, D_opt = LECTURE_TOY.optimal_allocation(BUDGET)
    return [
        (float(D_opt), "That is the best D (tokens), not the best N (parameters); or N and D were swapped."),
        (
            float(LECTURE_TOY.optimal_allocation(6 * BUDGET)[0]),
            "That is the best N when D = C / N: the 6 of C = 6 N D is missing. Each N gets "
            "D = C / (6 N) tokens, tokens_for_budget(C, N).",
        ),
        (
            float(CHINCHILLA.optimal_allocation(BUDGET)[0]),
            "That is the best N of the fitted CHINCHILLA law; this question uses the toy law LECTURE_TOY.",
        ),
    ]


def q3(N_best: object) -> None:
    """N minimising the toy loss along the budget line 6 N D = `BUDGET`, found by a scan.

    Graded on the loss: an N passes when its loss on the budget line is within `_MAX_EXCESS`
    of the minimum, so a correct scan on a grid of 10 points per decade passes.
    """
    question = "Question 3"
    N_opt = float(LECTURE_TOY.optimal_allocation(BUDGET)[0])
    N = grading.as_number(question, N_best)
    if N > 0 and _excess_loss(N) <= _MAX_EXCESS:
        grading.passed(question)
        return
    # a scan with a mistake in it lands near the mistaken optimum, as near as its grid allows
    for wrong, hint in _scalar_mistakes():
        if wrong / _GRID_BAND < N < wrong * _GRID_BAND:
            grading.fail(question, hint)
    if np.isclose(N, float(POINTS[1][0]), rtol=2e-2, atol=0.0):
        grading.fail(
            question,
            "1e12 is the N of the lecture's point, which spends this budget but is not quite "
            "its best split: scan N along the budget line.",
        )
    if N_opt / _GRID_BAND < N < N_opt * _GRID_BAND:
        grading.fail(
            question,
            f"Close, but its loss is {_excess_loss(N):.1e} above the minimum of the budget line "
            f"(at most {_MAX_EXCESS:g} passes): use a finer grid, at least 20 points per decade of N.",
        )
    grading.fail(question, _FAR_FROM_MINIMUM)


def q4(choice: object) -> None:
    """Why the best split of a fixed budget lies inside the budget line, not at an end."""
    grading.check_choice(
        "Question 4",
        choice,
        expected="a",
        options=["a", "b", "c", "d"],
        hints={
            "b": "The exponents are 1/3 and 1/4, not equal, and the minimum is inside the line "
            "for any positive exponents.",
            "c": "E is the same at every point of the budget line, so it cannot favour one of them.",
            "d": "A = B does not make N = D best: the scan of Question 3 puts D thousands of times above N.",
        },
    )


def _model_runs(law: ChinchillaLaw = CHINCHILLA, swap: bool = False) -> NDArray[np.float64]:
    N, D = (np.array(column) for column in zip(GOPHER, CHINCHILLA_RUN, strict=True))
    return np.asarray(law.loss(D, N) if swap else law.loss(N, D))


def q5(losses: object) -> None:
    """Predicted loss of Gopher and of Chinchilla under the published Chinchilla law."""
    expected = _model_runs()
    slide = dataclasses.replace(CHINCHILLA, E=SLIDE_E)
    grading.check_array(
        "Question 5",
        losses,
        expected,
        mistakes=[
            (
                _model_runs(slide),
                "Both are 0.08 too low: that is E = 1.61 from the lecture slide, a misprint; "
                "Hoffmann et al. (App. D.2) give E = 1.69.",
            ),
            (expected[::-1], "The pair is in the wrong order: Gopher first, then Chinchilla."),
            (_model_runs(swap=True), "N and D are swapped: N is parameters, D is tokens."),
            (
                _model_runs(EPOCH_REPLICATION),
                "Those come from the replication's refit (EPOCH_REPLICATION); use the published law.",
            ),
            (_model_runs(LECTURE_TOY), "Those come from the toy law; use the fitted CHINCHILLA law."),
        ],
        hint="Evaluate 1.69 + 406.4/N**0.34 + 410.7/D**0.28 at Gopher's and Chinchilla's N and D.",
        nonfinite_hint=_OVERFLOW_HINT,
    )


def q6(choice: object) -> None:
    """What printing E = 1.61 instead of 1.69 changes."""
    slide = dataclasses.replace(CHINCHILLA, E=SLIDE_E)
    optimum_moves = not np.allclose(
        [float(x) for x in slide.optimal_allocation(BUDGET)],
        [float(x) for x in CHINCHILLA.optimal_allocation(BUDGET)],
        rtol=1e-12,
    )
    grading.check_choice(
        "Question 6",
        choice,
        expected="c" if optimum_moves else "a",
        options=["a", "b", "c", "d"],
        hints={
            "b": "E is added to every predicted loss, so the losses do change; and E is absent "
            "from dL/dN along the budget line, so the best N and D do not.",
            "c": "E is absent from dL/dN along the budget line (a constant has no slope), so the "
            "best N and D cannot move.",
            "d": "E is added to every predicted loss, so each prediction is 0.08 nats/token lower.",
        },
    )


def q7(N_closed: object) -> None:
    """The compute-optimal N of the toy law from the first-order condition, in closed form."""
    question = "Question 7"
    N_opt = float(LECTURE_TOY.optimal_allocation(BUDGET)[0])
    N = grading.as_number(question, N_closed)
    if N > 0:
        if not np.isclose(N, N_opt, rtol=1e-6, atol=0.0) and N_opt / _GRID_BAND < N < N_opt * _GRID_BAND:
            grading.fail(
                question,
                "Close, but not exact: a scan on a grid is not precise enough here. Solve "
                "alpha A / N**alpha = beta B / D**beta with D = C / (6 N) for N and evaluate the formula.",
            )
    grading.check_number(
        question,
        N_closed,
        N_opt,
        rtol=1e-6,
        mistakes=_scalar_mistakes(),
        hint="Put D = C / (6 N) into alpha A / N**alpha = beta B / D**beta, collect the powers of N "
        "on one side, solve for N and evaluate with the constants of LECTURE_TOY.",
    )
