"""Checks for exercise 1, power laws (``solutions/ex01_power_laws.ipynb``)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from lib import powerlaw
from lib.course import grading
from lib.literature import published_law
from lib.powerlaw import PowerLaw
from lib.synthetic import noisy_measurements

KAPLAN_ALPHA_N = published_law("kaplan2020_N").alpha
CHINCHILLA_MODEL_TERM = published_law("hoffmann2022_N").law
Q4_N = 70e9  # Chinchilla's size (Hoffmann et al. 2022, Table 1)


# The laws behind the synthetic runs of Questions 2 and 3 are deliberately not published
# ones, so that the answers cannot be copied from a table: they must be fitted.
_Q2_LAW = PowerLaw(coefficient=18.7, exponent=-0.083)
_Q3_LAW = PowerLaw(coefficient=350.0, exponent=-0.31, floor=1.93)


def data_q2() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Twelve synthetic (D tokens, loss) runs from a pure power law with 2 % noise."""
    D = np.logspace(7, 10, 12)
    return D, np.asarray(noisy_measurements(_Q2_LAW, D, relative_noise=0.02, seed=5))


def data_q3() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Twelve synthetic (N parameters, loss) runs from a law with a floor and 0.4 % noise."""
    N = np.logspace(7, 11, 12)
    return N, np.asarray(noisy_measurements(_Q3_LAW, N, relative_noise=0.004, seed=3))


def q1(factor: object) -> None:
    """Loss factor for ten times more parameters under Kaplan's L(N)."""
    alpha = KAPLAN_ALPHA_N
    grading.check_number(
        "Question 1",
        factor,
        float(powerlaw.factor_per_decade(-alpha)),
        mistakes=[
            (10**alpha, "The loss falls as N grows, so the factor must be below 1: mind the sign."),
            (2**-alpha, "That is the factor for doubling N; the question asks for ten times N."),
            (1 - alpha, "A power law multiplies, it does not subtract: compute 10 to a power."),
            (np.exp(-alpha), "Use 10**(-alpha), not exp(-alpha): the step is a factor of 10."),
        ],
        hint="Multiply N by 10 in L = (N_c/N)**alpha and see what happens to L.",
    )


def q2(exponent: object) -> None:
    """Signed exponent of a pure power law fitted to ``data_q2`` in log-log space."""
    D, L = data_q2()
    expected = powerlaw.fit_power_law(D, L).exponent
    linear_slope = float(np.polyfit(D, L, deg=1)[0])
    grading.check_number(
        "Question 2",
        exponent,
        expected,
        rtol=1e-2,
        mistakes=[
            (-expected, "The loss falls with D, so the signed exponent a is negative."),
            (linear_slope, "That is a slope of L against D; fit log L against log D."),
        ],
        hint="Fit a straight line to (log D, log L); its slope is the exponent a.",
    )


def q3(floor: object) -> None:
    """Irreducible loss E fitted to ``data_q3`` with a floor."""
    N, L = data_q3()
    expected = powerlaw.fit_power_law_with_floor(N, L).floor
    grading.check_number(
        "Question 3",
        floor,
        expected,
        rtol=2e-2,
        mistakes=[
            (float(L.min()), "The smallest loss measured is still above the floor: fit E."),
            (0.0, "A pure power law has no floor; fit L = E + c * N**a instead."),
        ],
        hint="Use powerlaw.fit_power_law_with_floor(N, L) and read its .floor.",
    )


def q4(slope: object) -> None:
    """Local slope d log L / d log N of Chinchilla's model term at N = 70e9."""
    law = CHINCHILLA_MODEL_TERM
    expected = float(law.local_exponent(Q4_N))
    grading.check_number(
        "Question 4",
        slope,
        expected,
        rtol=1e-2,
        mistakes=[
            (law.exponent, "−0.34 is the slope of the reducible part alone; L also has E."),
            (-expected, "The loss falls as N grows, so the slope is negative."),
        ],
        hint="The slope is a * c N**a / (E + c N**a); powerlaw.local_exponent computes it.",
    )


def q5(choice: object) -> None:
    """Which explanation of a sudden jump in exact-match accuracy fits the toy model."""
    grading.check_choice(
        "Question 5",
        choice,
        expected="b",
        options=["a", "b", "c"],
        hints={
            "a": "In the toy model nothing new appears: the per-token loss falls smoothly.",
            "c": "The loss curve is smooth and correct; the jump comes from the metric.",
        },
    )
