"""Tests for lib.hardware: the GPU table, the time/FLOPs identity checked on reported runs,
the utilisation model, energy and cost."""

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from lib import hardware
from lib.hardware import (
    DAYS_PER_YEAR,
    ESSAY_BERT_UTILISATION,
    GPT4_FLOPS_ESTIMATES,
    LLAMA3_405B_MFU,
    SUPERCOMPUTER_FLOPS,
    UtilisationModel,
    energy_mwh,
    flops_from_cluster,
    flops_from_gpu_hours,
    gpu,
    gpu_hours,
    gpu_table,
    gpus_where_doubling_gains_less_than,
    implied_utilisation,
    reported_runs,
    required_gpus,
    training_cost,
    training_days,
    training_time,
)
from lib.laws import CHINCHILLA

ROOT = Path(__file__).resolve().parents[1]
H100 = gpu("H100").peak_dense_flops
H800 = gpu("H800").peak_dense_flops
RUNS = reported_runs()


# ---- the GPU table -------------------------------------------------------------------


def test_the_table_has_the_six_gpus_with_their_dense_peaks():
    # vendors' datasheets: V100 125 (FP16), A100 312, H100 989.4, H200 = H100, B200 2250 (HGX, 1000 W);
    # H800 inferred equal to the H100 (DeepSeek, arXiv:2505.09343 §4.1)
    peaks = {name: row.peak_dense_flops / 1e12 for name, row in gpu_table().items()}
    assert peaks == {"V100": 125, "A100": 312, "H100": 989.4, "H200": 989.4, "H800": 989.4, "B200": 2250}


def test_sparse_headline_figures_are_twice_the_dense_peak():
    for row in gpu_table().values():
        if row.peak_sparse_flops is not None:
            assert row.peak_sparse_flops == pytest.approx(2 * row.peak_dense_flops, rel=1e-3), row.name
    assert gpu("V100").peak_sparse_flops is None  # Volta has no 2:4 sparsity


def test_memory_and_power_are_sourced_or_left_empty():
    # H100: "each running at 700W TDP with 80GB HBM3" (Llama 3 paper); A100 "400 W maximum"
    # and B200 "1000 W maximum" (Lockwood); B200 180 GB = DGX B200's 1,440 GB over 8 GPUs;
    # V100 16 GB (Volta whitepaper, Table 1); H200 141 GB (Lockwood)
    table = gpu_table()
    assert {name: (row.memory_gb, row.tdp_watts) for name, row in table.items()} == {
        "V100": (16, None),
        "A100": (80, 400),
        "H100": (80, 700),
        "H200": (141, None),
        "H800": (None, None),
        "B200": (180, 1000),
    }
    assert "inferred" in gpu("H800").note.lower()
    # no announcement year was read from a cited source
    assert all(row.year is None for row in table.values())


def _bib_keys():
    return set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text("utf-8"), re.MULTILINE))


def test_every_row_cites_keys_that_are_in_references_bib():
    keys = _bib_keys()
    rows = [*gpu_table().values(), *RUNS.values()]
    cited = {key for row in rows for key in row.cite_key.split(";")}
    assert cited and cited <= keys, cited - keys


def test_unknown_gpu_names_the_choices():
    with pytest.raises(ValueError, match=r"name must be one of V100, A100, .* got 'H900'"):
        gpu("H900")


# ---- the identity FLOPs = time x GPUs x peak x utilisation ---------------------------


def test_time_flops_and_gpu_counts_are_inverses_of_each_other():
    flops, n_gpus, util, days = 1e24, 512.0, 0.37, 21.0
    seconds = training_time(flops, n_gpus, H100, util)
    assert flops_from_cluster(n_gpus, seconds / 86400, H100, util) == pytest.approx(flops, rel=1e-12)
    assert training_days(flops, n_gpus, H100, util) == pytest.approx(seconds / 86400, rel=1e-12)
    assert gpu_hours(flops, H100, util) == pytest.approx(n_gpus * seconds / 3600, rel=1e-12)
    assert flops_from_gpu_hours(gpu_hours(flops, H100, util), H100, util) == pytest.approx(flops, rel=1e-12)
    G = required_gpus(flops, days, H100, util)
    assert training_days(flops, G, H100, util) == pytest.approx(days, rel=1e-12)
    assert implied_utilisation(flops, gpu_hours(flops, H100, util), H100) == pytest.approx(util, rel=1e-12)


def test_the_functions_broadcast():
    days = training_days(1e24, np.array([256, 512, 1024]), H100, 0.4)
    assert days.shape == (3,) and days[0] == pytest.approx(2 * days[1]) == pytest.approx(4 * days[2])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: training_time(1e24, -3, H100, 0.4), "n_gpus must be positive, got -3"),
        (lambda: training_time(1e24, 0, H100, 0.4), "n_gpus must be positive, got 0"),
        (lambda: training_time(-1e24, 8, H100, 0.4), "flops must be positive"),
        (lambda: training_time(1e24, 8, 0, 0.4), "peak_flops_per_gpu must be positive"),
        (lambda: training_time(1e24, 8, H100, 1.5), r"utilisation must be in \(0, 1\], got 1.5"),
        (lambda: training_time(1e24, 8, H100, 0), "utilisation must be positive, got 0"),
        (lambda: training_days(1e24, 8, H100, np.nan), "utilisation must be finite"),
        (lambda: flops_from_gpu_hours(-5, H100, 0.4), "gpu_hours must be positive"),
        (lambda: flops_from_cluster(8, 0, H100, 0.4), "days must be positive"),
        (lambda: required_gpus(1e24, -1, H100, 0.4), "days must be positive"),
        (lambda: gpu_hours(1e24, H100, 43), r"utilisation must be in \(0, 1\], got 43"),
        (lambda: implied_utilisation(0, 1e6, H100), "flops must be positive, got 0"),
        (lambda: implied_utilisation(-1e24, 1e6, H100), "flops must be positive"),
        (lambda: implied_utilisation(1e24, 0, H100), "gpu_hours must be positive, got 0"),
        (lambda: implied_utilisation(1e24, -5, H100), "gpu_hours must be positive"),
        (lambda: flops_from_cluster(0, 30, H100, 0.4), "n_gpus must be positive, got 0"),
        (lambda: flops_from_cluster(-8, 30, H100, 0.4), "n_gpus must be positive"),
        (lambda: flops_from_cluster(8, 30, H100, 1.2), r"utilisation must be in \(0, 1\], got 1.2"),
        (lambda: required_gpus(1e24, 30, H100, 1.5), r"utilisation must be in \(0, 1\], got 1.5"),
        (lambda: energy_mwh(1e6, 700, 0.9), "pue must be at least 1, got 0.9"),
        (lambda: energy_mwh(1e6, -700), "tdp_watts must be positive"),
        (lambda: training_cost(1e6, 0), "price_per_gpu_hour must be positive"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- reported runs: each computed figure within its stated tolerance -----------------


def test_gpt3_6nd_matches_the_reported_3_14e23_within_1_percent():
    # Brown et al. 2020, Table D.1: 3.14e23 FLOPs for 175B parameters on 300B tokens
    run = RUNS["GPT-3 175B"]
    assert run.flops_6nd == pytest.approx(3.15e23, rel=1e-3)
    assert run.flops_6nd == pytest.approx(run.reported_flops, rel=0.01)


def test_chinchilla_6nd_matches_gophers_budget_within_5_percent():
    # Hoffmann et al. 2022: 70B on 1.4T tokens sized for Gopher's 5.76e23 FLOPs; their own
    # detailed FLOP counts differ from 6ND by 0.99-1.10 (Table A4), hence 5 %
    run = RUNS["Chinchilla 70B"]
    assert run.flops_6nd == pytest.approx(5.88e23, rel=1e-3)
    assert run.flops_6nd == pytest.approx(run.reported_flops, rel=0.05)


def test_llama3_405b_6nd_matches_3_8e25_within_1_percent():
    # Dubey et al. 2024: 3.8e25 FLOPs, 405B parameters, 15.6T tokens
    run = RUNS["Llama 3 405B"]
    assert run.flops_6nd == pytest.approx(run.reported_flops, rel=0.01)


def test_llama3_405b_takes_66_to_71_days_on_16k_h100_at_table_4s_16k_mfu():
    # 3.8e25 FLOPs on 16,384 H100 at 989.4 TFLOP/s dense BF16; Table 4 on 16,384 GPUs:
    # 41 % MFU, and 38 % with CP=16 at 131K sequences (43 % was measured on 8,192 GPUs)
    run = RUNS["Llama 3 405B"]
    days = {
        config: training_days(run.reported_flops, gpus, H100, mfu)
        for config, (gpus, mfu) in LLAMA3_405B_MFU.items()
        if gpus == run.n_gpus
    }
    assert sorted(days.values()) == [pytest.approx(66.2, abs=0.1), pytest.approx(71.4, abs=0.1)]
    assert (run.mfu_low, run.mfu_high) == (
        min(mfu for _, mfu in LLAMA3_405B_MFU.values()),
        max(mfu for _, mfu in LLAMA3_405B_MFU.values()),
    )


def test_llama3_405b_model_card_gpu_hours_imply_less_than_the_measured_mfu():
    # 30.84M GPU-hours (Llama 3.1 model card) cover the whole training, restarts included:
    # with 6ND FLOPs the implied utilisation, 34.5 %, lies below the 38-43 % MFU of steady training
    run = RUNS["Llama 3 405B"]
    util = implied_utilisation(run.flops_6nd, run.gpu_hours, H100)
    assert util == pytest.approx(0.345, abs=0.001)
    assert 0.30 < util < run.mfu_low
    assert run.gpu_hours / run.n_gpus / 24 == pytest.approx(78.4, abs=0.1)  # days on 16K GPUs


def test_deepseek_v3_implies_about_35_percent_of_bf16_peak():
    # arithmetic on DeepSeek-V3's Table 1: 6 x 37e9 x 14.8e12 ≈ 3.3e24 FLOP over 2.664M H800-hours
    # at 989 TFLOP/s ≈ 35 % of BF16 peak, ≈ 17 % of FP8 peak (twice BF16 on Hopper)
    run = RUNS["DeepSeek-V3"]
    assert run.flops_6nd == pytest.approx(3.29e24, rel=0.01)
    util = implied_utilisation(run.flops_6nd, run.gpu_hours, H800)
    assert util == pytest.approx(0.35, abs=0.01)
    assert implied_utilisation(run.flops_6nd, run.gpu_hours, 2 * H800) == pytest.approx(0.17, abs=0.01)
    # all 2.788M GPU-hours (with context extension and post-training): 33 %
    assert run.gpu_hours_total == 2.788e6
    assert implied_utilisation(run.flops_6nd, run.gpu_hours_total, H800) == pytest.approx(0.33, abs=0.01)


def test_deepseek_v3_pre_training_matches_180k_gpu_hours_per_trillion_tokens():
    # DeepSeek-V3 §1: "each trillion tokens requires only 180K H800 GPU hours, i.e., 3.7 days
    # on our cluster with 2048 H800 GPUs"; Table 1: 2,664K GPU-hours of pre-training on 14.8T
    run = RUNS["DeepSeek-V3"]
    assert run.gpu_hours / (run.tokens / 1e12) == pytest.approx(180e3, rel=0.01)
    assert run.gpu_hours / (run.tokens / 1e12) / run.n_gpus / 24 == pytest.approx(3.7, abs=0.05)


def test_deepseek_v3_cost_is_5_576_million_at_2_dollars_per_gpu_hour():
    # DeepSeek-V3 Table 1: 2,788K GPU-hours at $2 = $5.576M
    assert training_cost(RUNS["DeepSeek-V3"].gpu_hours_total, 2.0) == pytest.approx(5.576e6, rel=1e-9)


def test_the_reported_runs_are_sane():
    # every count positive, pre-training within the total, 0 < mfu_low <= mfu_high <= 1
    text = (ROOT / "lib" / "data" / "reported_runs.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert [row["run"] for row in rows] == list(RUNS)
    for run in RUNS.values():
        counts = [
            run.params,
            run.active_params,
            run.tokens,
            run.reported_flops,
            run.n_gpus,
            run.gpu_hours,
            run.gpu_hours_total,
        ]
        assert all(value > 0 for value in counts if value is not None), run.name
        assert run.active_params <= run.params, run.name
        if run.gpu_hours is not None:
            assert run.gpu_hours <= run.gpu_hours_total, run.name
        if run.mfu_low is not None:
            assert 0 < run.mfu_low <= run.mfu_high <= 1, run.name
        if run.gpu is not None:
            gpu(run.gpu)  # a name in the GPU table


def test_phi4_secondary_figures_are_consistent():
    # Microsoft's model card, read in copies (secondary): 14.66B parameters, 9.8T tokens
    # -> 6ND ≈ 8.6e23; 1,920 H100 for 21 days ≈ 0.97M GPU-hours, an implied utilisation near 25 %
    run = RUNS["Phi-4 14B"]
    assert run.flops_6nd == pytest.approx(8.6e23, rel=0.01)
    assert run.gpu_hours == pytest.approx(1920 * 21 * 24)
    assert implied_utilisation(run.flops_6nd, run.gpu_hours, H100) == pytest.approx(0.25, abs=0.01)


def test_epochs_gpt4_estimate_follows_from_its_assumptions_within_5_percent():
    # Epoch AI: 25,000 A100 for 2,280 h at utilisation 0.34 -> 2.1e25 (recomputed here: ≈ 2.2e25)
    flops = flops_from_gpu_hours(25_000 * 2_280, gpu("A100").peak_dense_flops, 0.34)
    assert flops == pytest.approx(GPT4_FLOPS_ESTIMATES["Epoch AI database"], rel=0.05)
    # and backwards: 2.1e25 FLOPs in 2,280 hours at 0.34 need about 25,000 A100 GPUs
    gpus = required_gpus(
        GPT4_FLOPS_ESTIMATES["Epoch AI database"], 2_280 / 24, gpu("A100").peak_dense_flops, 0.34
    )
    assert gpus == pytest.approx(25_000, rel=0.05)


@pytest.mark.parametrize(
    ("estimate", "machine", "years"),
    [
        ("essay (April 2023)", "Fugaku, theoretical FP64 peak (Rpeak)", 7.1),
        ("Epoch AI database", "Fugaku, theoretical FP64 peak (Rpeak)", 6.2),
        ("essay (April 2023)", "Frontier, measured FP64 (HPL Rmax)", 3.45),
        ("Epoch AI database", "Frontier, measured FP64 (HPL Rmax)", 3.0),
    ],
)
def test_the_essays_seven_years_recomputed(estimate, machine, years):
    # recomputed: 2.4e25 / (5.37e17 x 0.2) ≈ 7.1 years; 6.2 with 2.1e25; 3.0-3.5 on Frontier
    flops = GPT4_FLOPS_ESTIMATES[estimate]
    time = training_days(flops, 1, SUPERCOMPUTER_FLOPS[machine], 0.2) / DAYS_PER_YEAR
    assert time == pytest.approx(years, abs=0.05)


# ---- utilisation falling with the GPU count ------------------------------------------


def test_the_essays_bert_claim_gives_b_of_0_12():
    # the essay's (unverified) 33 % at 2 GPUs and 20 % at 128
    assert ESSAY_BERT_UTILISATION.at(2) == pytest.approx(0.33)
    assert ESSAY_BERT_UTILISATION.at(128) == pytest.approx(0.20)
    assert ESSAY_BERT_UTILISATION.b == pytest.approx(0.1204, abs=1e-4)


def test_llama3_table4_gives_a_much_flatter_fall():
    # 43 % MFU on 8,192 H100 and 41 % on 16,384 (Llama 3, Table 4)
    model = UtilisationModel.from_two_points(*LLAMA3_405B_MFU["8,192 GPUs"], *LLAMA3_405B_MFU["16,384 GPUs"])
    assert model.b == pytest.approx(0.0687, abs=1e-3)
    # extrapolated to 16K GPUs, the BERT model predicts far less than Llama 3 measured
    assert ESSAY_BERT_UTILISATION.at(16384) < 0.12 < model.at(16384)


def test_throughput_grows_like_g_to_the_one_minus_b():
    model = UtilisationModel(u_ref=0.4, g_ref=8, b=0.25)
    ratio = model.throughput(8 * 16, H100) / model.throughput(8, H100)
    assert ratio == pytest.approx(16**0.75)


def test_doubling_stops_paying_where_the_closed_form_says():
    model = ESSAY_BERT_UTILISATION
    G = gpus_where_doubling_gains_less_than(0.01, 30, H100, model)

    def loss(n):
        return CHINCHILLA.loss_at_compute(flops_from_cluster(n, 30, H100, model.at(n)))

    assert loss(G) - loss(2 * G) == pytest.approx(0.01, rel=1e-9)
    assert loss(G / 2) - loss(G) > 0.01 > loss(2 * G) - loss(4 * G)
    assert gpus_where_doubling_gains_less_than(0.01, 30, H100, UtilisationModel(0.4, 1, 1.0)) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: UtilisationModel(u_ref=1.2, g_ref=1, b=0.1), r"u_ref must be in \(0, 1\]"),
        (lambda: UtilisationModel(u_ref=0, g_ref=1, b=0.1), "u_ref must be positive, got 0"),
        (lambda: ESSAY_BERT_UTILISATION.at(0), "n_gpus must be positive, got 0"),
        (lambda: UtilisationModel.from_two_points(2, 1.3, 128, 0.2), r"u_small must be in \(0, 1\]"),
        (lambda: UtilisationModel.from_two_points(2, 0.3, 128, 1.1), r"u_large must be in \(0, 1\]"),
        (lambda: UtilisationModel(u_ref=0.3, g_ref=0, b=0.1), "g_ref must be positive"),
        (lambda: UtilisationModel(u_ref=0.3, g_ref=1, b=-0.1), "b must be non-negative"),
        (lambda: UtilisationModel(0.9, 1000, 0.5).at(1), "utilisation above 1 at n_gpus=1"),
        (lambda: UtilisationModel.from_two_points(128, 0.3, 2, 0.2), "g_large must be larger"),
        (lambda: UtilisationModel.from_two_points(2, 0.2, 128, 0.3), "u_large must not exceed u_small"),
        (lambda: gpus_where_doubling_gains_less_than(0, 30, H100, ESSAY_BERT_UTILISATION), "gain must be"),
    ],
)
def test_utilisation_model_rejects_bad_parameters(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- energy and cost ------------------------------------------------------------------


def test_energy_is_gpu_hours_times_power_times_pue():
    # 1,000 GPU-hours at 700 W = 0.7 MWh; Google's 2023 PUE 1.10, industry 1.58
    assert energy_mwh(1000, 700) == pytest.approx(0.7)
    assert energy_mwh(1000, 700, hardware.PUE_GOOGLE_2023) == pytest.approx(0.77)
    assert energy_mwh(1000, 700, hardware.PUE_INDUSTRY_2023) == pytest.approx(1.106)
