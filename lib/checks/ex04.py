"""Checks for exercise 4, sizing a training run (``solutions/ex04_training_run.ipynb``).

A budget in GPU-days on one GPU becomes FLOPs (``lib.hardware``), FLOPs become the
compute-optimal N and D of the Chinchilla law (``lib.laws.CHINCHILLA``), and D is compared
with the stock of public text and with a pool of unique tokens repeated for several
epochs (``lib.datalimits``). The last two questions test published or claimed runs for
consistency. Every expected value and every planted mistake is computed here from `lib`.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from lib import datalimits, hardware
from lib.compute import training_flops
from lib.course import grading
from lib.laws import CHINCHILLA

GPU_NAME = "H100"
"""The GPU of the budget (its dense BF16 peak is ``lib.hardware.gpu("H100").peak_dense_flops``)."""

BUDGET_GPU_DAYS = 50_000.0
"""The budget: GPU-days on `GPU_NAME` (e.g. 1,000 GPUs for 50 days)."""

UTILISATION = 0.4
"""Fraction of the dense peak the run achieves (Llama 3 405B measured 38-43 % on H100)."""

UNIQUE_TOKENS = 1e12
"""A pool of unique tokens the team has for its domain (Question 4 and 5)."""


class _Claim(TypedDict):
    params: float
    tokens: float
    n_gpus: int
    days: float
    gpu: str


CLAIM: _Claim = {"params": 70e9, "tokens": 15e12, "n_gpus": 1024, "days": 10.0, "gpu": "H100"}
"""A made-up claim for Question 7: a dense 70B model on 15T tokens in 10 days on 1,024 H100."""

_DEEPSEEK = hardware.reported_runs()["DeepSeek-V3"]


def _reported(value: float | None, field: str) -> float:
    """A field of `_DEEPSEEK` that may be empty in ``reported_runs.csv`` but is given for DeepSeek-V3."""
    if value is None:
        raise ValueError(f"reported_runs.csv gives no {field} for DeepSeek-V3")
    return value


_DEEPSEEK_GPU_HOURS = _reported(_DEEPSEEK.gpu_hours, "gpu_hours")
_DEEPSEEK_GPU_HOURS_TOTAL = _reported(_DEEPSEEK.gpu_hours_total, "gpu_hours_total")


def _peak(name: str = GPU_NAME) -> float:
    return hardware.gpu(name).peak_dense_flops


def _sparse_peak(name: str = GPU_NAME) -> float:
    sparse = hardware.gpu(name).peak_sparse_flops
    return _peak(name) if sparse is None else sparse


def budget_flops(
    peak: float | None = None, utilisation: float = UTILISATION, hours_per_day: float = 24.0
) -> float:
    """FLOPs of the budget; the keyword arguments plant Question 1's mistakes."""
    peak = _peak() if peak is None else peak
    return BUDGET_GPU_DAYS * hours_per_day * hardware.SECONDS_PER_HOUR * peak * utilisation


def _optimum(flops: float | None = None) -> tuple[float, float]:
    N, D = CHINCHILLA.optimal_allocation(budget_flops() if flops is None else flops)
    return float(N), float(D)


def q1(flops: object) -> None:
    """FLOPs of `BUDGET_GPU_DAYS` GPU-days on `GPU_NAME` at `UTILISATION` of the dense peak."""
    grading.check_number(
        "Question 1",
        flops,
        budget_flops(),
        rtol=1e-3,
        mistakes=[
            (
                budget_flops(peak=_sparse_peak()),
                "Twice too much: that is the peak with 2:4 sparsity, the datasheet's headline figure. "
                "Dense training reaches only the dense peak, gpu(...).peak_dense_flops.",
            ),
            (
                budget_flops(utilisation=1.0),
                "Too much by 1 / utilisation: a run reaches only a fraction of the peak; "
                "multiply by UTILISATION.",
            ),
            (
                budget_flops(peak=_sparse_peak(), utilisation=1.0),
                f"{_sparse_peak() / _peak() / UTILISATION:.3g} times too much: the sparse peak and no "
                "utilisation. Use the dense peak times UTILISATION.",
            ),
            (
                budget_flops(hours_per_day=1.0),
                "24 times too little: a GPU-day is 24 GPU-hours, 86,400 seconds.",
            ),
            (
                budget_flops() / 60,
                "60 times too little: a GPU-hour is 3,600 seconds, not 60.",
            ),
        ],
        hint="FLOPs = GPU-days × 86,400 s × dense peak FLOP/s × utilisation.",
    )


def q2(allocation: object) -> None:
    """``[N_opt, D_opt]`` of the Chinchilla law for the budget of Question 1."""
    question = "Question 2"
    expected = np.array(_optimum())
    flops = budget_flops()
    N, D = grading.as_numbers(question, allocation, (2,))
    mistakes = [
        (expected[::-1], "N and D are swapped: N (parameters) comes first, then D (tokens)."),
        (
            np.array(_optimum(3 * flops)),
            "That split spends 3 × C: it solves 2 N D = C. Training costs 6 FLOPs per parameter "
            "and token (2 forward, 4 backward), C = 6 N D.",
        ),
        (
            np.array(_optimum(budget_flops(peak=_sparse_peak()))),
            "That is the optimum for twice the budget: Question 1's sparse-peak mistake carried over.",
        ),
        (
            np.array([np.sqrt(flops / 120), 20 * np.sqrt(flops / 120)]),
            "That is the '20 tokens per parameter' rule of thumb; use the law's own optimum, "
            "CHINCHILLA.optimal_allocation(C).",
        ),
    ]
    ratio = float(training_flops(N, D)) / flops if N > 0 and D > 0 else 1.0
    hint = (
        "Use CHINCHILLA.optimal_allocation(flops), with the FLOPs of Question 1."
        if np.isclose(ratio, 1.0, rtol=1e-2)
        else f"6 N D is {ratio:.3g} times the budget: the optimum spends exactly C = 6 N D."
    )
    grading.check_array(
        question, allocation, expected, rtol=1e-3, mistakes=mistakes, mistake_rtol=1e-2, hint=hint
    )


def q3(share: object) -> None:
    """D_opt as a fraction of the estimated stock of public text (300T tokens)."""
    _, D = _optimum()
    stock = datalimits.TEXT_STOCK_TOKENS
    grading.check_number(
        "Question 3",
        share,
        D / stock,
        rtol=1e-3,
        mistakes=[
            (100 * D / stock, "That is a percentage; give the fraction (between 0 and 1 here)."),
            (stock / D, "Upside down: divide the tokens by the stock."),
            (_optimum()[0] / stock, "That divides N (parameters) by the stock; use D (tokens)."),
        ],
        hint="share = D_opt / TEXT_STOCK_TOKENS.",
    )


def q4(epochs: object) -> None:
    """Epochs over `UNIQUE_TOKENS` needed to train on D_opt tokens."""
    _, D = _optimum()
    grading.check_number(
        "Question 4",
        epochs,
        D / UNIQUE_TOKENS,
        rtol=1e-3,
        mistakes=[
            (D / UNIQUE_TOKENS - 1, "That counts repetitions R = epochs − 1; the question asks for epochs."),
            (UNIQUE_TOKENS / D, "Upside down: epochs = training tokens / unique tokens."),
        ],
        hint="epochs = D_opt / UNIQUE_TOKENS.",
    )


def q5(effective: object) -> None:
    """Effective tokens of those epochs over `UNIQUE_TOKENS` (Muennighoff et al. 2023, eq. 5)."""
    _, D = _optimum()
    epochs = D / UNIQUE_TOKENS
    r_star = datalimits.R_STAR_D
    no_minus_one = UNIQUE_TOKENS * (1 + r_star * (1 - np.exp(-epochs / r_star)))
    grading.check_number(
        "Question 5",
        effective,
        float(datalimits.effective_data(UNIQUE_TOKENS, epochs)),
        rtol=1e-3,
        mistakes=[
            (
                float(no_minus_one),
                "R in the formula counts repetitions, R = epochs − 1: the first pass is not a repeat.",
            ),
            (D, "That is the tokens read, not what they are worth: repeated tokens count for less."),
            (
                float(UNIQUE_TOKENS * r_star * (1 - np.exp(-(epochs - 1) / r_star))),
                "The first term U is missing: D' = U + U R* (1 − exp(−R / R*)).",
            ),
        ],
        hint="D' = U + U R* (1 − exp(−R / R*)) with R = epochs − 1 and R* = 15: datalimits.effective_data.",
    )


def _deepseek_util(
    params: float = _DEEPSEEK.active_params,
    peak: float | None = None,
    per: float = 6.0,
    hours: float = _DEEPSEEK_GPU_HOURS,
) -> float:
    flops = per * params * _DEEPSEEK.tokens
    return flops / (hours * hardware.SECONDS_PER_HOUR * (_peak("H800") if peak is None else peak))


def q6(utilisation: object) -> None:
    """Utilisation of the dense BF16 peak implied by DeepSeek-V3's pre-training claims.

    The tolerance, 2 %, accepts NVIDIA's preliminary Hopper figure of 1,000 TFLOP/s as well
    as the table's 989.4.
    """
    grading.check_number(
        "Question 6",
        utilisation,
        _deepseek_util(),
        rtol=2e-2,
        mistakes=[
            (
                _deepseek_util(params=_DEEPSEEK.params),
                "Above 1, impossible: that uses all 671B parameters. A mixture of experts computes "
                "with the 37B active per token.",
            ),
            (
                _deepseek_util(hours=_DEEPSEEK_GPU_HOURS_TOTAL),
                f"That uses all {_DEEPSEEK_GPU_HOURS_TOTAL / 1e6:.3f}M GPU-hours; the "
                f"{_DEEPSEEK.tokens / 1e12:.1f}T tokens are pre-training only: "
                f"{_DEEPSEEK_GPU_HOURS / 1e6:.3f}M GPU-hours (run.gpu_hours).",
            ),
            (
                _deepseek_util(peak=_sparse_peak("H800")),
                "Half too small: that divides by twice the dense BF16 peak, which is both the 2:4-sparse "
                'headline and the FP8 peak. Use the dense BF16 peak, gpu("H800").peak_dense_flops.',
            ),
            (
                100 * _deepseek_util(),
                "That is a percentage; give the fraction (between 0 and 1 here).",
            ),
            (_deepseek_util(per=2.0), "A third too small: training is 6 N D FLOPs, not 2 N D (inference)."),
            (_deepseek_util() * 24, "24 times too large: the claim is in GPU-hours; do not multiply by 24."),
            (_deepseek_util() / 60, "60 times too small: an hour is 3,600 seconds."),
        ],
        hint="U = 6 N_active D / (GPU-hours × 3,600 × dense peak): hardware.implied_utilisation.",
    )


def _claim_util(per: float = 6.0, peak: float | None = None) -> float:
    flops = per * CLAIM["params"] * CLAIM["tokens"]
    seconds = CLAIM["n_gpus"] * CLAIM["days"] * hardware.SECONDS_PER_DAY
    return flops / (seconds * (_peak(CLAIM["gpu"]) if peak is None else peak))


def q7(utilisation: object) -> None:
    """Utilisation the made-up `CLAIM` would need (above 1: the claim cannot be true)."""
    grading.check_number(
        "Question 7",
        utilisation,
        _claim_util(),
        rtol=1e-2,
        mistakes=[
            (_claim_util(per=2.0), "A third too small: training is 6 N D FLOPs, not 2 N D."),
            (_claim_util(peak=_sparse_peak(CLAIM["gpu"])), "Half too small: use the dense peak."),
            (_claim_util() * 24, "24 times too large: 10 days are 10 × 86,400 seconds."),
            (_claim_util() * CLAIM["n_gpus"], "Far too large: the work is shared by all 1,024 GPUs."),
            (
                100 * _claim_util(),
                "That is a percentage; give the fraction (1 means the whole dense peak).",
            ),
        ],
        hint="U = 6 N D / (GPUs × days × 86,400 × dense peak); above 1, the claim is impossible.",
    )
