"""The energy and the cost of a training run, from its GPU-hours."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.powerlaw import FloatOrArray

__all__ = ["PUE_GOOGLE_2023", "PUE_INDUSTRY_2023", "energy_mwh", "training_cost"]

PUE_GOOGLE_2023 = 1.10
"""Google's fleet-wide power usage effectiveness in 2023 (Google 2024 Environmental Report)."""

PUE_INDUSTRY_2023 = 1.58
"""Industry-average power usage effectiveness in 2023 (Uptime Institute, Intelligence Update 221)."""


def energy_mwh(gpu_hours: ArrayLike, tdp_watts: ArrayLike, pue: ArrayLike = 1.0) -> FloatOrArray:
    """Energy in MWh of GPUs drawing their TDP: ``gpu_hours × tdp × pue / 1e6``.

    An upper-bound style estimate for the GPUs alone: real GPUs draw less than TDP on
    average, while CPUs, network and storage add to it; PUE scales IT power to the
    whole data centre.

    Parameters
    ----------
    gpu_hours : array_like
        GPU-hours (positive).
    tdp_watts : array_like
        Power per GPU in W, e.g. ``gpu("H100").tdp_watts``.
    pue : array_like
        Power usage effectiveness, at least 1 (`PUE_GOOGLE_2023`, `PUE_INDUSTRY_2023`).

    Returns
    -------
    float or ndarray
        MWh.

    Raises
    ------
    ValueError
        For a non-positive input or a PUE below 1.

    Examples
    --------
    >>> round(energy_mwh(30.84e6, 700, PUE_GOOGLE_2023))  # Llama 3.1 405B's GPU-hours on H100s
    23747
    """
    hours = _validate.positive(gpu_hours, "gpu_hours")
    watts = _validate.positive(tdp_watts, "tdp_watts")
    pue = _validate.positive(pue, "pue")
    if np.any(pue < 1):
        raise ValueError(f"pue must be at least 1, got {float(pue[pue < 1].flat[0])}")
    return _validate.as_output(hours * watts * pue / 1e6)


def training_cost(gpu_hours: ArrayLike, price_per_gpu_hour: ArrayLike) -> FloatOrArray:
    """Rental cost of `gpu_hours` at `price_per_gpu_hour` (same currency).

    Parameters
    ----------
    gpu_hours : array_like
        GPU-hours (positive).
    price_per_gpu_hour : array_like
        Price of one GPU-hour (positive), a choice: DeepSeek assumed 2 dollars for the H800.

    Returns
    -------
    float or ndarray
        Cost.

    References
    ----------
    DeepSeek-AI 2024, arXiv:2412.19437, §1 and Table 1 ($5.576M for 2.788M GPU-hours).

    Examples
    --------
    >>> from lib.hardware import reported_runs
    >>> run = reported_runs()["DeepSeek-V3"]
    >>> training_cost(run.gpu_hours_total, 2.0) / 1e6  # at DeepSeek's assumed $2 per H800-hour
    5.576
    """
    hours = _validate.positive(gpu_hours, "gpu_hours")
    price = _validate.positive(price_per_gpu_hour, "price_per_gpu_hour")
    return _validate.as_output(hours * price)
