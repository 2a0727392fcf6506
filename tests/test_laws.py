"""Tests for lib.laws: published values, the closed-form optimum, limits, bad input."""

import numpy as np
import pytest
from scipy import optimize

from lib.compute import training_flops
from lib.laws import CHINCHILLA, EPOCH_REPLICATION, KAPLAN, LECTURE_TOY, ChinchillaLaw, KaplanLaw

TOY = LECTURE_TOY
BUDGETS = [1e18, 1e21, 5.76e23, 1e26]


def test_chinchilla_constants_are_approach_3_as_published():
    # Hoffmann et al. 2022, App. D.2
    assert (CHINCHILLA.E, CHINCHILLA.A, CHINCHILLA.B) == (1.69, 406.4, 410.7)
    assert (CHINCHILLA.alpha, CHINCHILLA.beta, CHINCHILLA.source) == (0.34, 0.28, "hoffmann2022")


def test_replication_constants_are_the_refit():
    # Besiroglu et al. 2024: E 1.82 (1.817 in their notebook), A 482.01, B 2085.43, α 0.3478, β 0.3658
    law = EPOCH_REPLICATION
    assert law.E == pytest.approx(1.82, abs=0.005)
    assert (law.A, law.B, law.alpha, law.beta) == (482.01, 2085.43, 0.3478, 0.3658)


@pytest.mark.parametrize(
    ("N", "D", "expected"),
    [(1e9, 1e8, 13.0), (1e12, 1e16, 2.2), (1e3, 1e100, 102.0), (1e100, 1e4, 102.0)],
)
def test_the_lecture_toy_law_at_its_four_points(N, D, expected):
    assert TOY.loss(N, D) == pytest.approx(expected, rel=1e-12)


def test_chinchilla_predicts_a_lower_loss_for_chinchilla_than_for_gopher():
    # Table 1 sizes: Gopher 280B on 300B tokens, Chinchilla 70B on 1.4T
    assert CHINCHILLA.loss(70e9, 1.4e12) == pytest.approx(1.937, abs=5e-4)
    assert CHINCHILLA.loss(280e9, 300e9) == pytest.approx(1.993, abs=5e-4)


def test_gopher_budget_optimum_is_about_32B_with_rounded_constants():
    # STYLE.md / FACTS.md §2: rounded α, β give ≈ 32B (the paper's 40B uses unrounded ones)
    N, D = CHINCHILLA.optimal_allocation(5.76e23)
    assert N == pytest.approx(32.2e9, rel=0.01)


def test_approach_3_exponents_follow_from_alpha_and_beta():
    # a = β/(α+β) = 0.28/0.62 = 0.452 with the rounded constants; Table 2 of Hoffmann et al.
    # reports 0.46 from the unrounded fit. The replication's refit gives a = 0.513.
    a, b = CHINCHILLA.exponents
    assert a == pytest.approx(0.4516, abs=1e-4)
    assert a + b == pytest.approx(1.0)
    assert EPOCH_REPLICATION.exponents[0] == pytest.approx(0.513, abs=0.001)


@pytest.mark.parametrize("law", [CHINCHILLA, EPOCH_REPLICATION, TOY])
@pytest.mark.parametrize("budget", BUDGETS)
def test_optimal_allocation_spends_exactly_the_budget(law, budget):
    N, D = law.optimal_allocation(budget)
    assert training_flops(N, D) == pytest.approx(budget, rel=1e-9)


@pytest.mark.parametrize("law", [CHINCHILLA, EPOCH_REPLICATION, TOY])
@pytest.mark.parametrize("budget", BUDGETS)
def test_closed_form_matches_a_numerical_minimisation(law, budget):
    def loss_along_budget(log_N):
        N = np.exp(log_N)
        return law.loss(N, budget / (6 * N))

    result = optimize.minimize_scalar(
        loss_along_budget, bounds=(0, 80), method="bounded", options={"xatol": 1e-10}
    )
    N_opt, _ = law.optimal_allocation(budget)
    assert np.exp(result.x) == pytest.approx(N_opt, rel=1e-4)


@pytest.mark.parametrize("budget", BUDGETS)
def test_first_order_condition_holds_at_the_optimum(budget):
    # d/dN [A N^-α + B (C/6N)^-β] = 0  ⇔  α A N^-α = β B D^-β
    law = CHINCHILLA
    N, D = law.optimal_allocation(budget)
    assert law.alpha * law.A * N**-law.alpha == pytest.approx(law.beta * law.B * D**-law.beta, rel=1e-9)


def test_optimal_allocation_broadcasts_over_budgets():
    N, D = CHINCHILLA.optimal_allocation(np.array(BUDGETS))
    assert N.shape == D.shape == (4,)
    assert np.all(np.diff(N) > 0) and np.all(np.diff(D) > 0)


def test_optimal_size_grows_as_compute_to_the_a():
    a, _ = CHINCHILLA.exponents
    N1, _ = CHINCHILLA.optimal_allocation(1e21)
    N2, _ = CHINCHILLA.optimal_allocation(1e22)
    assert N2 / N1 == pytest.approx(10**a, rel=1e-12)


def test_loss_at_compute_is_the_lowest_loss_for_that_budget():
    budget = 1e22
    best = CHINCHILLA.loss_at_compute(budget)
    for N in np.logspace(8, 11, 31):
        assert CHINCHILLA.loss(N, budget / (6 * N)) >= best - 1e-12


def test_loss_falls_with_N_and_D_and_tends_to_E():
    N = np.logspace(6, 14, 9)
    assert np.all(np.diff(CHINCHILLA.loss(N, 1e12)) < 0)
    assert np.all(np.diff(CHINCHILLA.loss(1e10, N)) < 0)
    assert CHINCHILLA.loss(1e60, 1e60) == pytest.approx(CHINCHILLA.E, abs=1e-6)


def test_kaplan_table_2_constants():
    assert (KAPLAN.alpha_N, KAPLAN.alpha_D, KAPLAN.N_c, KAPLAN.D_c) == (0.076, 0.103, 6.4e13, 1.8e13)


def test_kaplan_joint_law_reduces_to_L_of_N_with_unlimited_data():
    N = np.logspace(6, 11, 6)
    assert np.allclose(KAPLAN.loss(N, 1e40), KAPLAN.loss_N(N), rtol=1e-9)


def test_kaplan_joint_law_reduces_to_L_of_D_with_an_unlimited_model():
    D = np.logspace(6, 11, 6)
    assert np.allclose(KAPLAN.loss(1e60, D), KAPLAN.loss_D(D), rtol=1e-9)


def test_kaplan_doubling_N_cuts_loss_by_five_percent():
    # §1.2: 2**-0.076 = 0.95
    assert KAPLAN.loss_N(2e9) / KAPLAN.loss_N(1e9) == pytest.approx(0.95, abs=0.002)


def test_kaplan_compute_law_uses_pf_days():
    # eq. 1.3: L = (3.1e8 PF-days / C)**0.050; at C_c itself the loss is 1
    assert KAPLAN.loss_C(3.1e8 * 8.64e19) == pytest.approx(1.0)


def test_kaplan_allocation_is_mostly_model_size():
    # §1.2 / Fig. 14: 10x compute → model ~5x, data ~2x
    model, data = KAPLAN.allocation_ratio(10.0)
    assert 5.0 < model < 5.6 and 1.8 < data < 2.0


def test_kaplan_critical_batch_doubles_for_a_13_percent_lower_loss():
    # Fig. 10: B_crit "approximately doubles for every 13% decrease in loss"
    assert KAPLAN.critical_batch_size(0.87 * 3.0) / KAPLAN.critical_batch_size(3.0) == pytest.approx(
        2.0, rel=0.05
    )


def test_overfitting_rule_grows_sublinearly():
    assert KAPLAN.tokens_to_avoid_overfitting(1e10) / KAPLAN.tokens_to_avoid_overfitting(
        1e9
    ) == pytest.approx(10**0.74)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: CHINCHILLA.loss(-1, 1e9), "N must be positive, got -1.0"),
        (lambda: CHINCHILLA.loss(1e9, np.nan), "D must be finite"),
        (lambda: CHINCHILLA.optimal_allocation(0), "C must be positive, got 0.0"),
        (lambda: CHINCHILLA.optimal_allocation([1e20, -1]), "C must be positive"),
        (lambda: ChinchillaLaw(E=-1, A=1, B=1, alpha=0.3, beta=0.3), "E must be positive"),
        (lambda: ChinchillaLaw(E=1, A=1, B=1, alpha=np.inf, beta=0.3), "alpha must be finite"),
        (lambda: ChinchillaLaw(E=1, A=[1, 2], B=1, alpha=0.3, beta=0.3), "A must be a single number"),
        (lambda: KAPLAN.loss(1e9, 0), "D must be positive"),
        (lambda: KaplanLaw(alpha_N=0), "alpha_N must be positive"),
        (lambda: KAPLAN.allocation_ratio(-10), "compute_factor must be positive"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_laws_are_immutable():
    with pytest.raises(AttributeError):
        CHINCHILLA.E = 1.61
