"""Tests for lib.powerlaw: published values, properties, fitting oracles, bad input."""

import numpy as np
import pytest
from scipy import optimize

from lib import powerlaw
from lib.literature import published_law
from lib.synthetic import noisy_measurements

KAPLAN_N = published_law("kaplan2020_N").law
CHINCHILLA_MODEL_TERM = published_law("hoffmann2022_N").law


def test_doubling_parameters_cuts_kaplan_loss_by_five_percent():
    # Kaplan et al. 2020 §1.2: doubling N gives a loss smaller by 2**-0.076 = 0.95
    assert KAPLAN_N(2e9) / KAPLAN_N(1e9) == pytest.approx(0.95, abs=0.002)


def test_tenfold_parameters_multiplies_kaplan_loss_by_ten_to_the_exponent():
    assert powerlaw.factor_per_decade(-0.076) == pytest.approx(0.8395, abs=1e-4)
    assert KAPLAN_N(1e10) / KAPLAN_N(1e9) == pytest.approx(powerlaw.factor_per_decade(-0.076))


def test_kaplan_law_evaluates_the_published_form():
    # eq. 1.1: L = (N_c / N)**alpha_N with N_c = 8.8e13, alpha_N = 0.076
    assert KAPLAN_N(1e9) == pytest.approx((8.8e13 / 1e9) ** 0.076, rel=1e-12)


@pytest.mark.parametrize("exponent", [-1.0, -0.34, -0.05, 0.5])
def test_pure_law_is_a_straight_line_in_log_log_space(exponent):
    X = np.logspace(0, 12, 25)
    slopes = powerlaw.empirical_local_exponent(X, powerlaw.power_law(X, 3.0, exponent))
    assert np.allclose(slopes, exponent, atol=1e-12)


def test_local_exponent_matches_the_numerical_slope_of_a_law_with_a_floor():
    X = np.logspace(6, 12, 2001)
    law = CHINCHILLA_MODEL_TERM
    numerical = powerlaw.empirical_local_exponent(X, law(X))
    assert np.allclose(numerical[1:-1], law.local_exponent(X)[1:-1], rtol=1e-4)


def test_local_exponent_flattens_towards_zero_near_the_floor():
    slopes = CHINCHILLA_MODEL_TERM.local_exponent(np.logspace(6, 16, 11))
    assert np.all(np.diff(slopes) > 0)
    assert slopes[0] > -0.34
    assert -0.002 < slopes[-1] < 0


def test_local_exponent_without_floor_is_the_exponent():
    assert powerlaw.local_exponent(123.0, 2.0, -0.7) == pytest.approx(-0.7)
    assert powerlaw.local_exponent(1e300, 1.0, -2.0) == -2.0


def test_local_exponent_is_zero_not_nan_where_the_reducible_part_underflows():
    slopes = powerlaw.local_exponent(np.array([1.0, 1e300]), 1.0, -2.0, floor=0.5)
    assert slopes[1] == 0.0
    assert slopes[0] == pytest.approx(-2.0 / 1.5)


def test_scalar_in_gives_float_out_and_arrays_broadcast():
    assert isinstance(powerlaw.power_law(10.0, 1.0, -1.0), float)
    grid = powerlaw.power_law(np.array([[1.0], [10.0]]) * np.ones(3), 1.0, -1.0)
    assert grid.shape == (2, 3)


def test_fit_recovers_a_pure_law_exactly():
    X = np.logspace(3, 9, 7)
    law = powerlaw.fit_power_law(X, powerlaw.power_law(X, 7.5, -0.095))
    assert law.exponent == pytest.approx(-0.095, rel=1e-10)
    assert law.coefficient == pytest.approx(7.5, rel=1e-10)
    assert law.floor == 0.0
    assert law.rms_log_residual < 1e-12


def test_fit_with_floor_recovers_chinchillas_model_term_from_noise_free_points():
    X = np.logspace(7, 11, 9)
    law = powerlaw.fit_power_law_with_floor(X, CHINCHILLA_MODEL_TERM(X))
    assert law.floor == pytest.approx(1.69, rel=1e-6)
    assert law.coefficient == pytest.approx(406.4, rel=1e-5)
    assert law.exponent == pytest.approx(-0.34, rel=1e-6)


def test_fit_with_floor_beats_scipy_curve_fit_and_the_truth_on_noisy_data():
    # Oracle: the objective at our optimum is no worse than at the generating law
    # or at scipy's curve_fit (same log residuals) started from the truth.
    X = np.logspace(7, 11, 15)
    L = noisy_measurements(CHINCHILLA_MODEL_TERM, X, relative_noise=0.01, seed=3)
    ours = powerlaw.fit_power_law_with_floor(X, L)

    def sse(E, c, a):
        return float(np.sum((np.log(L) - np.log(E + c * X**a)) ** 2))

    def model(log_x, E, log_c, a):
        return np.log(E + np.exp(log_c + a * log_x))

    (E, log_c, a), _ = optimize.curve_fit(model, np.log(X), np.log(L), p0=(1.69, np.log(406.4), -0.34))
    best = sse(ours.floor, ours.coefficient, ours.exponent)
    assert best <= sse(1.69, 406.4, -0.34) + 1e-15
    assert best <= sse(E, np.exp(log_c), a) + 1e-12
    assert ours.rms_log_residual == pytest.approx(np.sqrt(best / X.size))


def test_fitting_a_pure_law_to_bending_data_underestimates_the_exponent():
    X = np.logspace(8, 11, 10)
    pure = powerlaw.fit_power_law(X, CHINCHILLA_MODEL_TERM(X))
    assert -0.34 < pure.exponent < -0.01


def test_broken_power_law_has_the_two_asymptotic_slopes():
    def law(x):
        return powerlaw.broken_power_law(x, 0.0, 1.0, 0.1, 0.4, 1e5, 0.2)

    X_low, X_high = np.logspace(-2, 0, 5), np.logspace(11, 13, 5)
    assert np.allclose(powerlaw.empirical_local_exponent(X_low, law(X_low)), -0.1, atol=1e-3)
    assert np.allclose(powerlaw.empirical_local_exponent(X_high, law(X_high)), -0.5, atol=1e-3)


def test_power_law_dataclass_evaluates_like_the_function():
    law = powerlaw.PowerLaw(coefficient=406.4, exponent=-0.34, floor=1.69)
    assert law(7e10) == powerlaw.power_law(7e10, 406.4, -0.34, 1.69)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: powerlaw.power_law(-3, 1.0, -0.5), "X must be positive, got -3.0"),
        (lambda: powerlaw.power_law(0, 1.0, -0.5), "X must be positive, got 0.0"),
        (lambda: powerlaw.power_law(np.nan, 1.0, -0.5), "X must be finite, got nan"),
        (lambda: powerlaw.power_law(10, -1.0, -0.5), "coefficient must be positive"),
        (lambda: powerlaw.power_law(10, 1.0, np.inf), "exponent must be finite"),
        (lambda: powerlaw.power_law(10, 1.0, -0.5, floor=-1), "floor must be non-negative"),
        (lambda: powerlaw.power_law("ten", 1.0, -0.5), "X must be a number"),
        (lambda: powerlaw.fit_power_law([1, 2, 3], [1, 2]), "same shape"),
        (lambda: powerlaw.fit_power_law([1.0], [1.0]), "at least 2 points"),
        (lambda: powerlaw.fit_power_law([2.0, 2.0], [1.0, 3.0]), "2 distinct values"),
        (lambda: powerlaw.fit_power_law_with_floor([1, 2], [2, 1]), "at least 3 points"),
        (lambda: powerlaw.fit_power_law([1, 2, 3], [1, -2, 3]), "L must be positive"),
        (lambda: powerlaw.empirical_local_exponent([3, 2, 1], [1, 2, 3]), "strictly increasing"),
        (lambda: powerlaw.PowerLaw(coefficient=0.0, exponent=-1), "coefficient must be positive"),
        (lambda: powerlaw.broken_power_law(10, 0, 1, 0.1, 0.4, 1e5, 0), "sharpness must be positive"),
        (lambda: powerlaw.power_law(1.0, None, -0.5), "coefficient must be a number"),
        (lambda: powerlaw.power_law(1.0, [1.0, 2.0], -0.5), "coefficient must be a single number"),
        (lambda: powerlaw.local_exponent(1.0, 1.0, np.array([-1.0, -2.0])), "exponent must be a single"),
        (lambda: powerlaw.PowerLaw(coefficient=np.array([1.0, 2.0]), exponent=-1), "a single number"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()
