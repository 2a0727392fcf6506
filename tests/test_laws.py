"""Tests for lib.laws: published values, the closed-form optimum, limits, bad input."""

import numpy as np
import pytest
from scipy import optimize

from lib.compute import training_flops
from lib.laws import (
    CHINCHILLA,
    CHINCHILLA_UNROUNDED,
    EPOCH_REPLICATION,
    KAPLAN,
    LECTURE_TOY,
    ChinchillaLaw,
    KaplanLaw,
    batch_tradeoff,
)

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


def test_loss_is_floor_plus_model_term_plus_data_term():
    N, D = np.logspace(7, 12, 6), np.logspace(9, 14, 6)
    assert np.allclose(
        CHINCHILLA.loss(N, D), CHINCHILLA.E + CHINCHILLA.model_term(N) + CHINCHILLA.data_term(D)
    )


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
        (lambda: CHINCHILLA.loss(10**400, 1e9), "N is too large for floating point"),
        (
            lambda: ChinchillaLaw(E=1, A=1, B=1, alpha=True, beta=0.3),
            "alpha must be a number, not a truth value",
        ),
        (lambda: KaplanLaw(alpha_N=0), "alpha_N must be positive"),
        (lambda: KAPLAN.allocation_ratio(-10), "compute_factor must be positive"),
        (lambda: KAPLAN.loss_steps(1e9, 0), "S_min must be positive, got 0.0"),
        (lambda: KAPLAN.loss_steps(-5, 1e4), "N must be positive, got -5.0"),
        (lambda: KAPLAN.steps_to_loss(1e9, 2.0), "L must be above the model's converged loss"),
        (lambda: KAPLAN.steps_to_loss(1e9, [3.0, 1.0]), "L must be above .* got 1.0"),
        (lambda: KAPLAN.steps_to_loss(1e9, np.nan), "L must be finite"),
        (lambda: KAPLAN.compute_to_loss(1e9, 2.0), "L must be above"),
        (lambda: KAPLAN.compute_efficient_size(0), "L must be positive, got 0.0"),
        (lambda: KAPLAN.converged_loss([1e9, 0]), "N must be positive, got 0.0"),
        (lambda: KAPLAN.allocation(-1e21), "C must be positive"),
        (lambda: batch_tradeoff(0, 1e6), "B must be positive"),
        (lambda: batch_tradeoff(1e6, np.inf), "B_crit must be finite"),
        (lambda: KaplanLaw(alpha_S=-0.76), "alpha_S must be positive"),
        (lambda: KaplanLaw(S_c=[1, 2]), "S_c must be a single number"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_laws_are_immutable():
    with pytest.raises(AttributeError):
        CHINCHILLA.E = 1.61


# ---- Kaplan et al. 2020: learning curves L(N, S_min), compute to a loss, allocation, batch size ----

ALPHA_B = 0.21  # eq. 1.4: B_crit = B* / L**(1 / alpha_B)


def test_kaplan_table_3_constants():
    # Table 3 "Fits to L(N, S)": alpha_N 0.077, alpha_S 0.76, N_c 6.5e13, S_c 2.1e3
    assert (KAPLAN.alpha_N_S, KAPLAN.alpha_S, KAPLAN.N_c_S, KAPLAN.S_c) == (0.077, 0.76, 6.5e13, 2.1e3)


def test_learning_curve_is_the_sum_of_a_model_term_and_a_steps_term():
    # eq. 1.6 at N = N_c and S_min = S_c: each term is 1
    assert KAPLAN.loss_steps(6.5e13, 2.1e3) == pytest.approx(2.0, rel=1e-12)
    assert KAPLAN.loss_steps(6.5e13, 2.1e3 * 2**10) == pytest.approx(1 + 2 ** (-10 * 0.76), rel=1e-12)


def test_learning_curve_tends_to_the_converged_loss():
    N = np.logspace(6, 11, 6)
    converged = (6.5e13 / N) ** 0.077
    assert np.allclose(KAPLAN.converged_loss(N), converged, rtol=1e-12)
    assert np.allclose(KAPLAN.loss_steps(N, 1e40), converged, rtol=1e-12)


def test_converged_loss_of_table_3_is_close_to_table_2s_unlimited_data_limit():
    # the two fits "differ very slightly" (Kaplan et al. §4.2)
    N = np.logspace(7, 10, 4)
    assert np.allclose(KAPLAN.converged_loss(N), KAPLAN.loss_N(N), rtol=0.03)


def test_learning_curve_falls_with_steps_and_with_model_size():
    S = np.logspace(3, 6, 7)
    assert np.all(np.diff(KAPLAN.loss_steps(1e8, S)) < 0)
    assert np.all(np.diff(KAPLAN.loss_steps(np.logspace(6, 10, 5), 1e4)) < 0)


@pytest.mark.parametrize("N", [1e7, 1e9, 1e11])
def test_steps_to_loss_inverts_the_learning_curve(N):
    S = np.logspace(3, 6, 4)
    assert np.allclose(KAPLAN.steps_to_loss(N, KAPLAN.loss_steps(N, S)), S, rtol=1e-9)


def test_bigger_models_need_fewer_steps_to_reach_the_same_loss():
    # §1.1 "Sample efficiency": large models reach the same loss in fewer steps (Fig. 2)
    steps = KAPLAN.steps_to_loss(np.logspace(8, 11, 4), 3.0)
    assert np.all(np.diff(steps) < 0)


def test_compute_to_loss_is_six_N_times_the_minimum_examples():
    # §6.1: C_min = 6 N B_crit S_min, with E_min = B_crit S_min (eq. 5.2)
    N, L = 3e8, 3.0
    expected = 6 * N * 2e8 / L ** (1 / ALPHA_B) * KAPLAN.steps_to_loss(N, L)
    assert KAPLAN.compute_to_loss(N, L) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("L", [2.2, 2.5, 3.0, 4.0])
def test_compute_efficient_size_minimises_the_compute_to_reach_a_loss(L):
    smallest = 6.5e13 / L ** (1 / 0.077)  # a model this small only reaches L when converged
    result = optimize.minimize_scalar(
        lambda log_N: np.log(KAPLAN.compute_to_loss(np.exp(log_N), L)),
        bounds=(np.log(smallest) + 1e-6, np.log(smallest) + 20),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert np.exp(result.x) == pytest.approx(KAPLAN.compute_efficient_size(L), rel=1e-5)


def test_compute_efficient_training_stops_ten_percent_above_convergence():
    # first-order condition: L = (1 + alpha_N / alpha_S) * L(N, S → ∞)
    L = np.array([2.2, 3.0, 4.0])
    converged = KAPLAN.converged_loss(KAPLAN.compute_efficient_size(L))
    assert np.allclose(L / converged, 1 + 0.077 / 0.76, rtol=1e-12)


def test_compute_efficient_frontier_grows_N_as_C_to_about_0_68():
    # with the rounded constants, N_eff ∝ C_min**((1/a_N) / (1/a_N + 1/a_S + 1/a_B)) ≈ 0.68;
    # the paper's theory gives 0.71 (eq. 6.5) and its measurement 0.73 (eq. 6.1)
    L = np.array([2.0, 4.0])
    N = KAPLAN.compute_efficient_size(L)
    C = KAPLAN.compute_to_loss(N, L)
    slope = np.log(N[1] / N[0]) / np.log(C[1] / C[0])
    expected = (1 / 0.077) / (1 / 0.077 + 1 / 0.76 + 1 / ALPHA_B)
    assert slope == pytest.approx(expected, rel=1e-9)
    assert 0.67 < slope < 0.69


def test_kaplan_allocation_passes_through_hoffmanns_test_point():
    # Hoffmann et al. 2022, App. D.4: Kaplan's rule gives 4.68B parameters at 1e21 FLOPs
    N, D = KAPLAN.allocation(1e21)
    assert N == pytest.approx(4.68e9, rel=1e-12)
    assert training_flops(N, D) == pytest.approx(1e21, rel=1e-12)


@pytest.mark.parametrize("budget", BUDGETS)
def test_kaplan_allocation_spends_the_budget_and_grows_as_C_to_the_0_73(budget):
    N, D = KAPLAN.allocation(budget)
    N10, _ = KAPLAN.allocation(10 * budget)
    assert training_flops(N, D) == pytest.approx(budget, rel=1e-12)
    assert N10 / N == pytest.approx(10**0.73, rel=1e-12)


def test_kaplan_allocation_gives_a_bigger_model_than_chinchillas_at_gophers_budget():
    # Hoffmann et al. 2022: for large budgets the compute-optimal model is much smaller
    assert KAPLAN.allocation(5.76e23)[0] > 3 * CHINCHILLA.optimal_allocation(5.76e23)[0]


def test_batch_tradeoff_doubles_steps_and_examples_at_the_critical_batch():
    # Kaplan §5.1: training at B_crit takes 2 S_min steps and 2 E_min examples
    assert batch_tradeoff(3e6, 3e6) == (2.0, 2.0)


def test_batch_tradeoff_satisfies_mccandlishs_hyperbola_and_E_equals_B_S():
    B = np.logspace(3, 9, 13)
    B_crit = 1e6
    steps, examples = batch_tradeoff(B, B_crit)
    assert np.allclose((steps - 1) * (examples - 1), 1.0, rtol=1e-12)
    # E / S = B, with E_min / S_min = B_crit (eq. 5.2)
    assert np.allclose(examples * B_crit / steps, B, rtol=1e-12)
    assert np.all(np.diff(steps) < 0) and np.all(np.diff(examples) > 0)


def test_rounded_constants_put_gophers_optimum_near_32B():
    # Hoffmann et al. 2022, App. D.2 constants (alpha 0.34, beta 0.28) at Gopher's 5.76e23 FLOPs:
    # about 32B (the paper's 40B comes from the unrounded exponents, see the next test)
    assert CHINCHILLA.optimal_allocation(5.76e23)[0] == pytest.approx(32.2e9, rel=2e-3)


def test_unrounded_exponents_put_gophers_optimum_at_the_papers_40B():
    # Epoch's notebook: E 1.6934, alpha 0.33917, beta 0.28491 (A, B as printed); paper Fig. 4: 40B
    assert CHINCHILLA_UNROUNDED.optimal_allocation(5.76e23)[0] == pytest.approx(40.4e9, rel=2e-3)
    assert (CHINCHILLA_UNROUNDED.A, CHINCHILLA_UNROUNDED.B) == (CHINCHILLA.A, CHINCHILLA.B)


def test_rounding_moves_the_loss_by_a_hundredth_but_the_allocation_by_a_quarter():
    C = 5.76e23
    assert CHINCHILLA_UNROUNDED.loss_at_compute(C) == pytest.approx(CHINCHILLA.loss_at_compute(C), abs=0.02)
    ratio = CHINCHILLA_UNROUNDED.optimal_allocation(C)[0] / CHINCHILLA.optimal_allocation(C)[0]
    assert 1.2 < ratio < 1.3
