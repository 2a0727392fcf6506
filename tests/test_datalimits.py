"""Tests for lib.datalimits: repeated data, the year demand meets the stock, growth arithmetic."""

import math

import numpy as np
import pytest

from lib import datalimits
from lib.datalimits import (
    EXHAUSTION_WINDOW,
    GPU_PRICE_PERFORMANCE_DOUBLING_YEARS,
    TEXT_STOCK_INTERVAL,
    TEXT_STOCK_TOKENS,
    DataDemand,
    annual_growth,
    effective_data,
    epochs_for_effective_data,
    orders_of_magnitude,
)
from lib.hardware import reported_runs
from lib.laws import CHINCHILLA, EPOCH_REPLICATION

RUNS = reported_runs()


# ---- repeated data (Muennighoff et al. 2023, eq. 5) ----------------------------------


def test_one_epoch_is_the_unique_data():
    assert effective_data(2e12, 1) == 2e12


def test_four_epochs_are_almost_as_good_as_unique_data():
    # "up to 4 epochs of repeated data yields negligible changes to loss compared to having
    # unique data": 4 epochs of U are worth 3.72 U, within 8 % of 4 U of fresh data
    assert effective_data(1.0, 4) == pytest.approx(1 + 15 * (1 - math.exp(-3 / 15)))
    assert 0.92 < effective_data(1.0, 4) / 4 < 0.93


def test_value_saturates_at_u_times_one_plus_r_star():
    # R*_D ≈ 15 "corresponding to 15 repetitions (or 16 epochs)": after 16 epochs the value is
    # 1 - 1/e of the way to its ceiling U (1 + R*)
    assert effective_data(1.0, 16) - 1 == pytest.approx(15 * (1 - math.exp(-1)))
    assert effective_data(1.0, 1e9) == pytest.approx(16.0)
    epochs = np.array([1, 2, 4, 8, 16, 40, 100])
    gains = np.diff(effective_data(1.0, epochs)) / np.diff(epochs)
    assert np.all(np.diff(gains) < 0)  # every extra epoch is worth less


def test_epochs_for_effective_data_inverts_effective_data():
    epochs = np.array([1.0, 2.5, 4.0, 16.0, 60.0])
    assert epochs_for_effective_data(effective_data(3e12, epochs), 3e12) == pytest.approx(epochs)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: effective_data(1e12, 0.5), "epochs must be at least 1, got 0.5"),
        (lambda: effective_data(-1e12, 2), "unique_tokens must be positive"),
        (lambda: effective_data(1e12, 2, r_star=0), "r_star must be positive"),
        (lambda: epochs_for_effective_data(16e12, 1e12), r"effective_tokens must stay below \(1 \+ r_star\)"),
        (lambda: epochs_for_effective_data(0.5e12, 1e12), "at least unique_tokens"),
        (
            lambda: annual_growth(1.0, 2024, 10.0, 2024),
            "year_end must be after year_start, got 2024.0 <= 2024",
        ),
        (lambda: annual_growth(1.0, 2024, 10.0, 2020), "year_end must be after year_start"),
        (lambda: orders_of_magnitude(-1, 2.46), "years must be non-negative, got -1"),
        (lambda: orders_of_magnitude(7, 0), "doubling_time_years must be positive, got 0"),
        (lambda: DataDemand(2024, 3.8e25, 3.0).year_reaching(0), "stock must be positive, got 0"),
        (lambda: DataDemand(2024, 3.8e25, 3.0).year_reaching(-3e14), "stock must be positive"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- data demand against the stock ------------------------------------------------------


def test_stock_constants_are_the_secondary_figures():
    # Villalobos et al. 2024, as quoted by secondary sources: ~300T tokens, 90 % CI 100T-1000T;
    # exhaustion window 2026-2032
    assert TEXT_STOCK_TOKENS == 300e12 and TEXT_STOCK_INTERVAL == (100e12, 1000e12)
    assert EXHAUSTION_WINDOW == (2026, 2032)


def test_demand_is_the_compute_optimal_tokens_of_each_years_compute():
    demand = DataDemand(start_year=2024, start_flops=3.8e25, growth=3.0)
    assert demand.flops(2026) == pytest.approx(3.8e25 * 9)
    assert demand.tokens(2026) == pytest.approx(CHINCHILLA.optimal_allocation(3.8e25 * 9)[1])


def test_overtraining_by_k_multiplies_tokens_by_sqrt_k_at_the_same_compute():
    plain = DataDemand(2024, 3.8e25, 3.0)
    over = DataDemand(2024, 3.8e25, 3.0, overtrain=4.0)
    assert over.tokens(2025) == pytest.approx(2 * plain.tokens(2025))
    assert over.year_reaching() < plain.year_reaching()


def test_year_reaching_is_where_tokens_equal_the_stock():
    for law in (CHINCHILLA, EPOCH_REPLICATION):
        demand = DataDemand(2024, 3.8e25, 2.5, overtrain=5.0, law=law)
        year = demand.year_reaching(TEXT_STOCK_TOKENS)
        assert demand.tokens(year) == pytest.approx(TEXT_STOCK_TOKENS, rel=1e-9)


def test_two_point_growth_from_gpt3_to_llama3_lands_in_villalobos_window():
    # growth of the largest reported run from GPT-3 (2020, 3.14e23) to Llama 3 405B (2024,
    # 3.8e25); with Chinchilla's split the central 300T is reached inside Villalobos et al.'s
    # 2026-2032 (a consistency check, not a reproduction of their model), and the interval
    # 100T-1000T moves that year by less than two years either way
    gpt3, llama = RUNS["GPT-3 175B"], RUNS["Llama 3 405B"]
    growth = annual_growth(gpt3.reported_flops, gpt3.year, llama.reported_flops, llama.year)
    assert growth == pytest.approx(3.32, abs=0.01)
    demand = DataDemand(llama.year, llama.reported_flops, growth)
    early, late = demand.year_reaching(np.array(TEXT_STOCK_INTERVAL))
    central = demand.year_reaching()
    assert EXHAUSTION_WINDOW[0] <= central <= EXHAUSTION_WINDOW[1]
    assert central == pytest.approx(2027.5, abs=0.05)
    assert 0 < central - early < 2 and 0 < late - central < 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"growth": 1.0}, "growth must be above 1"),
        ({"growth": -2.0}, "growth must be positive"),
        ({"overtrain": 0.5}, "overtrain must be at least 1, got 0.5"),
        ({"start_flops": 0.0}, "start_flops must be positive"),
    ],
)
def test_data_demand_rejects_bad_assumptions(kwargs, message):
    arguments = {"start_year": 2024, "start_flops": 3.8e25, "growth": 3.0} | kwargs
    with pytest.raises(ValueError, match=message):
        DataDemand(**arguments)


# ---- growth arithmetic ----------------------------------------------------------------


def test_gpu_price_performance_doubling_times_are_table_1():
    # Hobbhahn & Besiroglu 2022, Table 1: all 2.46, ML 2.07, top 2.95, FP16 2.30 years
    assert dict(GPU_PRICE_PERFORMANCE_DOUBLING_YEARS) == {
        "all GPUs": 2.46,
        "ML GPUs": 2.07,
        "top GPUs": 2.95,
        "FP16": 2.30,
    }


def test_the_essays_three_orders_of_magnitude_recomputed():
    # the essay: GPUs 2x every 2.31 years -> about one order of magnitude by 2030, two more from
    # buying GPUs; at 2.46 years (FLOP/s per dollar) 2023-2030 gives 0.86 orders, and the
    # remaining ~2.1 orders must come from spending (~130x)
    hardware = orders_of_magnitude(7, GPU_PRICE_PERFORMANCE_DOUBLING_YEARS["all GPUs"])
    assert hardware == pytest.approx(0.857, abs=1e-3)
    assert orders_of_magnitude(7, 2.31) == pytest.approx(0.912, abs=1e-3)
    assert 10 ** (3 - hardware) == pytest.approx(139, abs=1)


def test_annual_growth_and_orders_of_magnitude_agree():
    factor = annual_growth(1.0, 2020, 1000.0, 2030)
    assert orders_of_magnitude(10, math.log(2) / math.log(factor)) == pytest.approx(3.0)


def test_quality_exponents_sum_to_one():
    # DeepSeek LLM Table 4: a + b = 1 in every row
    for a, b in datalimits.DATA_QUALITY_EXPONENTS.values():
        assert a + b == pytest.approx(1.0)
