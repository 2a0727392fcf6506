"""Tests for lib.inference: lifetime cost, inference-aware allocation, repeated sampling, trade-offs."""

import dataclasses

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from lib import inference, models
from lib.compute import inference_flops, training_flops
from lib.laws import CHINCHILLA, EPOCH_REPLICATION, LECTURE_TOY

LAWS = [CHINCHILLA, EPOCH_REPLICATION, LECTURE_TOY]


def _scan_oracle(law, target, D_inference):
    """Minimise lifetime FLOPs over log N on the feasible interval with scipy (an independent route)."""
    reducible = target - law.E
    log_N_min = np.log(law.A / reducible) / law.alpha

    def log_lifetime(log_N):
        N = np.exp(log_N)
        D = (law.B / (reducible - law.A / N**law.alpha)) ** (1 / law.beta)
        return np.log(6 * N * D + 2 * N * D_inference)

    result = minimize_scalar(
        log_lifetime, bounds=(log_N_min + 1e-9, log_N_min + 40), method="bounded", options={"xatol": 1e-10}
    )
    return float(np.exp(result.x))


# ---- lifetime cost ------------------------------------------------------------------------


def test_lifetime_flops_is_6ND_plus_2N_per_inference_token():
    # Kaplan et al. 2020 §2.1 and eq. 2.2
    assert inference.lifetime_flops(7e9, 1e12, 2e12) == pytest.approx(6 * 7e9 * 1e12 + 2 * 7e9 * 2e12)
    assert inference.lifetime_flops(7e9, 1e12, 0.0) == training_flops(7e9, 1e12)
    assert inference.lifetime_flops(7e9, 10.0, 5.0) - training_flops(7e9, 10.0) == pytest.approx(
        inference_flops(7e9, 5.0), rel=1e-12
    )


def test_lifetime_cost_weights_the_two_phases_by_their_prices():
    cost = inference.lifetime_cost(7e9, 1e12, 2e12, train_price=2.0, inference_price=5.0)
    assert cost == pytest.approx(2.0 * training_flops(7e9, 1e12) + 5.0 * inference_flops(7e9, 2e12))


def test_cost_per_flop_grows_as_utilisation_falls():
    # the same GPU-hour buys 40x fewer useful FLOPs at 1% than at 40% utilisation
    assert inference.cost_per_flop(2.0, 1e15, 0.01) / inference.cost_per_flop(
        2.0, 1e15, 0.4
    ) == pytest.approx(40)
    assert inference.cost_per_flop(3600.0, 1.0, 1.0) == 1.0


# ---- inference-aware allocation -------------------------------------------------------------


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("D_inference", [1e9, 1e12, 1e14])
def test_the_allocation_reaches_the_target_loss_at_the_scan_oracles_optimum(law, D_inference):
    target = law.loss_at_compute(1e22)
    N, D = inference.inference_aware_allocation(law, target, D_inference)
    assert law.loss(N, D) == pytest.approx(target, rel=1e-12)
    assert N == pytest.approx(_scan_oracle(law, target, D_inference), rel=1e-5)


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("budget", [1e18, 1e22, 1e26])
def test_without_inference_it_is_the_chinchilla_optimum_at_the_compute_that_reaches_the_loss(law, budget):
    target = law.loss_at_compute(budget)
    expected = law.optimal_allocation(budget)
    assert inference.inference_aware_allocation(law, target, 0.0) == pytest.approx(expected, rel=1e-9)
    assert inference.chinchilla_allocation_for_loss(law, target) == pytest.approx(expected, rel=1e-9)
    # and the limit is continuous: a vanishing demand gives the same model
    assert inference.inference_aware_allocation(law, target, 1e-6) == pytest.approx(expected, rel=1e-6)


def test_more_inference_means_a_smaller_model_trained_longer():
    demand = np.logspace(9, 16, 30)
    N, D = inference.inference_aware_allocation(CHINCHILLA, 2.0, demand)
    assert np.all(np.diff(N) < 0) and np.all(np.diff(D) > 0)
    assert np.all(np.diff(D / N) > 0)
    assert np.all(np.diff(inference.lifetime_saving(CHINCHILLA, 2.0, demand)) > 0)


def test_the_allocation_is_vectorised_over_inference_and_loss():
    demand = np.array([0.0, 1e11, 1e13])
    N, D = inference.inference_aware_allocation(CHINCHILLA, 2.0, demand)
    assert N.shape == D.shape == (3,)
    for n, d, d_inf in zip(N, D, demand, strict=True):
        assert (n, d) == pytest.approx(
            inference.inference_aware_allocation(CHINCHILLA, 2.0, d_inf), rel=1e-12
        )
    N_grid, _ = inference.inference_aware_allocation(CHINCHILLA, np.array([[1.9], [2.1]]), demand)
    assert N_grid.shape == (2, 3)


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("D_inference", [0.0, 1e10, 1e13, 1e16])
def test_lifetime_flops_never_exceed_chinchillas_at_the_same_loss(law, D_inference):
    target = law.loss_at_compute(1e23)
    N, D = inference.inference_aware_allocation(law, target, D_inference)
    N_c, D_c = inference.chinchilla_allocation_for_loss(law, target)
    ours, theirs = (inference.lifetime_flops(n, d, D_inference) for n, d in ((N, D), (N_c, D_c)))
    assert ours <= theirs * (1 + 1e-12)
    # and no other model on the iso-loss curve does better
    for factor in (0.9, 1.1):
        n = N * factor
        d = (law.B / (target - law.E - law.A / n**law.alpha)) ** (1 / law.beta)
        assert inference.lifetime_flops(n, d, D_inference) > ours


def test_sardanas_13B_example_moves_the_same_way_under_lib_laws():
    # Sardana et al. 2024, Fig. 1 caption [secondary: two reviews quote it]: a 13B model with
    # 2T inference tokens could be a 7B model trained longer, saving 1.7e22 FLOPs (17 %),
    # under their own fit. Under lib's laws the 13B compute-optimal model becomes:
    #   CHINCHILLA (App. D.2, rounded):   8.0B, saving 1.3e22 FLOPs (10 %)
    #   EPOCH_REPLICATION:                6.1B, saving 2.1e22 FLOPs (29 %)
    results = {}
    for law in (CHINCHILLA, EPOCH_REPLICATION):
        D0 = inference.compute_optimal_tokens(law, 13e9)
        target = law.loss(13e9, D0)
        N, D = inference.inference_aware_allocation(law, target, 2e12)
        saved = inference.lifetime_flops(13e9, D0, 2e12) - inference.lifetime_flops(N, D, 2e12)
        results[law.source] = (N, saved, inference.lifetime_saving(law, target, 2e12))
    assert results["hoffmann2022"] == pytest.approx((8.02e9, 1.31e22, 0.101), rel=1e-2)
    assert results["besiroglu2024"] == pytest.approx((6.10e9, 2.09e22, 0.290), rel=1e-2)
    for N, saved, _ in results.values():
        assert 5e9 < N < 10e9 and 1e22 < saved < 3e22  # the paper's direction and order of magnitude


def test_the_epoch_law_puts_a_13B_models_optimum_near_20_tokens_per_parameter():
    # Chinchilla's own ratio: 70B on 1.4T tokens (Hoffmann et al. 2022, Table 1)
    ratio = inference.compute_optimal_tokens(EPOCH_REPLICATION, 13e9) / 13e9
    assert ratio == pytest.approx(20.0, rel=0.01)


@pytest.mark.parametrize("law", LAWS)
def test_iso_loss_tokens_reach_the_target_and_grow_as_the_model_shrinks(law):
    target = law.loss_at_compute(1e22)
    N_c, D_c = law.optimal_allocation(1e22)
    N = N_c * np.array([0.5, 1.0, 2.0])
    D = inference.iso_loss_tokens(law, N, target)
    assert law.loss(N, D) == pytest.approx(np.full(3, target), rel=1e-12)
    assert D[1] == pytest.approx(D_c, rel=1e-9)
    assert np.all(np.diff(D) < 0)
    assert inference.reducible_loss(law, target) == pytest.approx(target - law.E, rel=1e-12)


@pytest.mark.parametrize("law", LAWS)
def test_compute_optimal_tokens_lie_on_the_optimal_frontier(law):
    N, D = law.optimal_allocation(np.array([1e19, 1e23]))
    assert inference.compute_optimal_tokens(law, N) == pytest.approx(D, rel=1e-9)


def test_the_cost_version_is_the_flop_version_with_rescaled_demand():
    by_cost = inference.inference_aware_allocation_by_cost(CHINCHILLA, 2.0, 1e12, 1.0, 10.0)
    assert by_cost == pytest.approx(inference.inference_aware_allocation(CHINCHILLA, 2.0, 1e13), rel=1e-12)
    # dearer inference FLOPs (e.g. 1 % utilisation while serving vs 40 % while training) shrink the model
    train, serve = inference.cost_per_flop(2.0, 1e15, 0.4), inference.cost_per_flop(2.0, 1e15, 0.01)
    cheap = inference.inference_aware_allocation_by_cost(CHINCHILLA, 2.0, 1e12, train, train)[0]
    dear = inference.inference_aware_allocation_by_cost(CHINCHILLA, 2.0, 1e12, train, serve)[0]
    assert dear < cheap


def test_implied_inference_tokens_inverts_the_allocation():
    demand = np.array([1e10, 1e13, 1e15])
    N, D = inference.inference_aware_allocation(CHINCHILLA, 2.0, demand)
    assert inference.implied_inference_tokens(CHINCHILLA, N, D) == pytest.approx(demand, rel=1e-6)
    N_c, D_c = CHINCHILLA.optimal_allocation(1e22)
    assert inference.implied_inference_tokens(CHINCHILLA, N_c, D_c * (1 + 1e-12)) < 1e-3 * D_c


def test_llama3_is_trained_past_the_training_only_optimum_by_these_factors():
    # Llama 3 model card: 8B and 70B on 15T+ tokens; the factor is (D / N) over
    # the compute-optimal D / N at the same N. App. D.2: 8B 27x, 70B 2.0x; Epoch refit: 91x, 12x
    factors = {}
    for law in (CHINCHILLA, EPOCH_REPLICATION):
        for m in models.llama3_models():
            optimal = inference.compute_optimal_tokens(law, m.parameters) / m.parameters
            factors[law.source, m.name] = m.tokens_per_parameter / optimal
    assert factors["hoffmann2022", "Llama 3 8B"] == pytest.approx(27.3, rel=0.01)
    assert factors["hoffmann2022", "Llama 3 70B"] == pytest.approx(1.96, rel=0.01)
    assert factors["besiroglu2024", "Llama 3 8B"] == pytest.approx(91, rel=0.01)
    assert factors["besiroglu2024", "Llama 3 70B"] == pytest.approx(11.6, rel=0.01)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: inference.inference_aware_allocation(CHINCHILLA, 1.69, 1e12),
            "target_loss must be above .* 1.69",
        ),
        (lambda: inference.inference_aware_allocation(CHINCHILLA, 1.5, 1e12), "target_loss .* got 1.5"),
        (lambda: inference.inference_aware_allocation(CHINCHILLA, [2.0, 1.0], 0.0), "target_loss"),
        (lambda: inference.inference_aware_allocation(CHINCHILLA, np.nan, 0.0), "target_loss must be finite"),
        (
            lambda: inference.inference_aware_allocation(CHINCHILLA, 2.0, -1.0),
            "D_inference must be non-negative",
        ),
        (lambda: inference.inference_aware_allocation("chinchilla", 2.0, 0.0), "law must be a ChinchillaLaw"),
        (lambda: inference.chinchilla_allocation_for_loss(CHINCHILLA, 1.0), "target_loss"),
        (lambda: inference.lifetime_flops(-1, 1e12, 0), "N must be positive"),
        (lambda: inference.lifetime_flops(1e9, 1e12, -5), "D_inference must be non-negative"),
        (lambda: inference.lifetime_cost(1e9, 1e12, 1, 0.0, 1.0), "train_price must be positive"),
        (lambda: inference.cost_per_flop(2.0, 1e15, 1.5), r"utilisation must be in \(0, 1\]"),
        (lambda: inference.inference_aware_allocation_by_cost(CHINCHILLA, 2, 1, 1, -1), "inference_price"),
        (lambda: inference.implied_inference_tokens(CHINCHILLA, 1e11, 1e9), "D_train must be at least"),
        (
            lambda: inference.inference_aware_allocation(CHINCHILLA, [2.0, 2.1], [1e12, 2e12, 3e12]),
            r"target_loss and D_inference must broadcast together, got shapes \(2,\) and \(3,\)",
        ),
        (lambda: inference.reducible_loss("chinchilla", 2.0), "law must be a ChinchillaLaw"),
        (lambda: inference.reducible_loss(CHINCHILLA, 1.0), "target_loss must be above .* got 1"),
        (lambda: inference.iso_loss_tokens(CHINCHILLA, 1e6, 2.0), "N is too small to reach target_loss"),
        (lambda: inference.iso_loss_tokens(CHINCHILLA, -1.0, 2.0), "N must be positive"),
    ],
)
def test_bad_allocation_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- repeated sampling and verifiers --------------------------------------------------------


def test_one_sample_covers_with_probability_p():
    p = np.array([0.0, 0.1, 0.5, 1.0])
    assert inference.coverage(p, 1) == pytest.approx(p, abs=1e-15)
    assert inference.verified_accuracy(p, 1) == pytest.approx(p, abs=1e-15)


def test_coverage_known_values_and_monotonicity():
    assert inference.coverage(0.1, 10) == pytest.approx(1 - 0.9**10, rel=1e-12)
    assert inference.coverage(1.0, 3) == 1.0 and inference.coverage(0.0, 1000) == 0.0
    k = np.arange(1, 200)
    assert np.all(np.diff(inference.coverage(0.02, k)) > 0)
    assert np.all(np.diff(inference.mean_coverage([0.3, 0.01, 0.001], k)) > 0)


def test_mean_coverage_averages_over_problems():
    assert inference.mean_coverage([0.5, 0.01], 10) == pytest.approx((1 - 0.5**10 + 1 - 0.99**10) / 2)
    assert inference.mean_coverage([0.2], [1, 5]).shape == (2,)


def test_beta_coverage_matches_a_monte_carlo_average_and_the_uniform_closed_form():
    rng = np.random.default_rng(0)
    p = rng.beta(0.5, 3.0, size=200_000)
    k = np.array([1, 10, 100])
    expected = inference.mean_coverage(p, k)
    assert inference.beta_coverage(k, beta_a=0.5, beta_b=3.0) == pytest.approx(expected, abs=3e-3)
    # uniform p: E[(1 - p)**k] = 1 / (k + 1)
    assert inference.beta_coverage(k, beta_a=1.0, beta_b=1.0) == pytest.approx(1 - 1 / (k + 1), rel=1e-12)


def test_beta_coverage_failures_fall_as_a_power_law_with_exponent_beta_a():
    k = np.array([1e4, 1e5])
    unsolved = 1 - inference.beta_coverage(k, beta_a=0.4, beta_b=2.0)
    slope = np.diff(np.log(unsolved)) / np.diff(np.log(k))
    assert slope[0] == pytest.approx(-0.4, abs=1e-3)


def test_exp_power_fit_recovers_brown_et_als_constants():
    # Brown et al. 2024 Fig. 5, Llama-3-8B-Instruct on MATH: a = -1.33, b = -0.43 [secondary description]
    k = np.array([1, 3, 10, 30, 100, 300, 1000, 3000, 10000])
    c = inference.exp_power_coverage(k, -1.33, -0.43)
    assert c[0] == pytest.approx(np.exp(-1.33))
    assert np.all(np.diff(c) > 0)
    assert inference.fit_exp_power_coverage(k, c) == pytest.approx((-1.33, -0.43), rel=1e-9)


def test_an_imperfect_verifier_makes_accuracy_plateau_at_its_precision_while_coverage_goes_to_1():
    p, recall, fpr = 0.1, 0.9, 0.05
    precision = p * recall / (p * recall + (1 - p) * fpr)
    k = np.array([1, 10, 100, 10_000])
    accuracy = inference.verified_accuracy(p, k, recall, fpr)
    assert np.all(np.diff(accuracy) >= 0) and accuracy[-1] == pytest.approx(precision, rel=1e-9)
    assert inference.coverage(p, k[-1]) == pytest.approx(1.0)
    assert np.all(accuracy <= inference.coverage(p, k) + 1e-15)


def test_a_verifier_with_no_false_positives_acts_like_a_lower_success_rate():
    assert inference.verified_accuracy(0.2, 7, recall=0.5) == pytest.approx(inference.coverage(0.1, 7))


def test_samples_needed_uses_the_ceiling_and_the_verifiers_recall():
    # 1 - 0.9**21 = 0.8906 < 0.9 <= 1 - 0.9**22 = 0.9015: 21.85 samples round up to 22, not down to 21
    assert inference.samples_needed(0.9, 0.1) == 22
    assert inference.coverage(0.1, 21) < 0.9 <= inference.coverage(0.1, 22)
    k = inference.samples_needed(0.9, 0.1, recall=0.8, false_positive_rate=0.001)
    assert (
        inference.verified_accuracy(0.1, k - 1, 0.8, 0.001)
        < 0.9
        <= inference.verified_accuracy(0.1, k, 0.8, 0.001)
    )
    assert inference.samples_needed(0.5, 0.6) == 1


def test_samples_needed_over_a_set_of_problems_is_the_first_k_reaching_the_mean():
    p = np.array([0.5, 0.1, 0.02])
    k = inference.samples_needed(0.8, p)
    assert inference.mean_coverage(p, k - 1) < 0.8 <= inference.mean_coverage(p, k)
    # with a verifier: the mean of verified_accuracy over the problems crosses the target at k
    k = inference.samples_needed(0.6, p, recall=0.9, false_positive_rate=0.01)
    mean_accuracy = [np.mean(inference.verified_accuracy(p, j, 0.9, 0.01)) for j in (k - 1, k)]
    assert mean_accuracy[0] < 0.6 <= mean_accuracy[1]


def test_samples_needed_over_a_set_is_capped_by_the_mean_precision():
    # precisions 0.5 * 0.9 / (0.45 + 0.5 * 0.1) = 0.9 and 0.1 * 0.9 / (0.09 + 0.9 * 0.1) = 0.5: mean 0.7
    p = np.array([0.5, 0.1])
    assert inference.samples_needed(0.69, p, recall=0.9, false_positive_rate=0.1) > 1
    with pytest.raises(ValueError, match="target 0.7 is out of reach: .* accuracy 0.7"):
        inference.samples_needed(0.7, p, recall=0.9, false_positive_rate=0.1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: inference.coverage(1.2, 3), r"p must be in \[0, 1\], got 1.2"),
        (lambda: inference.coverage(-0.1, 3), r"p must be in \[0, 1\]"),
        (lambda: inference.coverage(0.5, 0), "k must be at least 1, got 0"),
        (lambda: inference.coverage(0.5, np.nan), "k must be finite"),
        (lambda: inference.mean_coverage([[0.5]], 3), "p_problems must be a non-empty 1-D array"),
        (lambda: inference.beta_coverage(3, 0, 1), "beta_a must be positive, got 0"),
        (lambda: inference.beta_coverage(3, 1, 0), "beta_b must be positive, got 0"),
        (lambda: inference.beta_coverage(3, 1, -2), "beta_b must be positive, got -2"),
        (lambda: inference.beta_coverage(0.5, 1, 1), "k must be at least 1, got 0.5"),
        (lambda: inference.exp_power_coverage(0.5, -1.0, -0.4), "k must be at least 1, got 0.5"),
        (lambda: inference.exp_power_coverage([1, 0], -1.0, -0.4), "k must be at least 1, got 0"),
        (lambda: inference.exp_power_coverage(10, 1.0, -0.4), "a must be negative"),
        (lambda: inference.exp_power_coverage(10, -1.0, 0.4), "b must be negative"),
        (lambda: inference.fit_exp_power_coverage([1, 10], [0.5, 1.0]), "strictly between 0 and 1"),
        (lambda: inference.fit_exp_power_coverage([5, 5], [0.2, 0.3]), "two distinct values"),
        (lambda: inference.verified_accuracy(0.5, 3, recall=2), r"recall must be in \[0, 1\]"),
        (lambda: inference.verified_accuracy(0.5, 3, false_positive_rate=-1), "false_positive_rate"),
        (lambda: inference.samples_needed(0.95, 0.1, 0.9, 0.05), "target 0.95 is out of reach"),
        (lambda: inference.samples_needed(1.0, 0.1), "target must be between 0 and 1"),
        (lambda: inference.samples_needed(0.5, 0.0), "out of reach"),
        (lambda: inference.samples_needed(0.5, 0.1, recall=[0.5, 1]), "recall must be a single number"),
        (
            lambda: inference.samples_needed(0.5, [[0.1, 0.2], [0.3, 0.4]]),
            r"p must be a number or a non-empty 1-D array, got shape \(2, 2\)",
        ),
        (lambda: inference.samples_needed(0.5, []), "p must be a number or a non-empty 1-D array"),
    ],
)
def test_bad_sampling_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- train-time vs test-time compute ---------------------------------------------------------


def test_ten_times_train_compute_replaces_fifteen_times_test_compute():
    # Jones 2021: "for each additional 10x of train-time compute, about 15x of test-time
    # compute can be eliminated"
    t = inference.JONES_TRADEOFF
    assert t.elo(1e13, 1e7) == pytest.approx(t.elo(1e12, 15e7))
    assert t.elo(1e13, 1e6) - t.elo(1e12, 1e6) == pytest.approx(500.0)  # "500 Elo per order of magnitude"
    assert t.test_compute_for(t.elo(1e12, 3e8), 1e13) == pytest.approx(3e8 / 15)


def test_iso_elo_contours_have_slope_minus_log10_15():
    t = inference.JONES_TRADEOFF
    train = np.logspace(12, 14, 5)
    test = t.test_compute_for(1500.0, train)
    assert np.diff(np.log10(test)) / np.diff(np.log10(train)) == pytest.approx(-np.log10(15))
    assert t.elo(train, test) == pytest.approx(1500.0)


def test_the_tradeoff_rejects_compute_below_its_floor_and_bad_constants():
    with pytest.raises(ValueError, match="C_test must be at least the floor"):
        inference.JONES_TRADEOFF.elo(1e12, 1e3)
    with pytest.raises(ValueError, match="below the test-time floor"):
        inference.JONES_TRADEOFF.test_compute_for(0.0, 1e14)
    with pytest.raises(ValueError, match="test_per_train_decade must be above 1"):
        dataclasses.replace(inference.JONES_TRADEOFF, test_per_train_decade=0.5)
    with pytest.raises(ValueError, match="elo_per_decade must be positive, got -500"):
        inference.TrainTestTradeoff(elo_per_decade=-500.0)
    with pytest.raises(ValueError, match="elo_per_decade must be positive, got 0"):
        inference.TrainTestTradeoff(elo_per_decade=0.0)


def test_flops_matched_samples_for_a_14x_larger_model():
    # Snell et al. 2024: inference-only matching gives 14 samples for a 14x larger model
    assert inference.flops_matched_samples(1e9, 14e9) == pytest.approx(14.0)
    # counting pretraining on the same tokens, the saved 6 * 13 N D buys more samples when use is light
    light = inference.flops_matched_samples(1e9, 14e9, D_train=1e12, D_inference=1e11)
    heavy = inference.flops_matched_samples(1e9, 14e9, D_train=1e12, D_inference=1e14)
    assert light > heavy > 14
    assert inference.lifetime_flops(1e9, 1e12, light * 1e11) == pytest.approx(
        inference.lifetime_flops(14e9, 1e12, 1e11), rel=1e-12
    )
    with pytest.raises(ValueError, match="N_large must be at least N_small"):
        inference.flops_matched_samples(14e9, 1e9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"N_small": 1e9, "N_large": 14e9, "D_inference": 0.0}, "D_inference must be positive, got 0"),
        ({"N_small": 0.0, "N_large": 14e9}, "N_small must be positive, got 0"),
        ({"N_small": -1e9, "N_large": 14e9}, "N_small must be positive, got -1000000000.0"),
        ({"N_small": 1e9, "N_large": 14e9, "D_train": -1.0}, "D_train must be non-negative"),
    ],
)
def test_flops_matched_samples_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        inference.flops_matched_samples(**kwargs)
