"""Training time from FLOPs, and back: ``FLOPs = time × GPUs × peak FLOP/s per GPU × utilisation``.

The peak is the dense 16-bit tensor throughput of one GPU and the utilisation the fraction
of it a run achieves (model FLOPs utilisation, MFU, when the FLOPs are counted as 6ND).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.powerlaw import FloatOrArray

__all__ = [
    "SECONDS_PER_HOUR",
    "SECONDS_PER_DAY",
    "DAYS_PER_YEAR",
    "training_time",
    "training_days",
    "gpu_hours",
    "flops_from_gpu_hours",
    "flops_from_cluster",
    "required_gpus",
    "implied_utilisation",
]

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
DAYS_PER_YEAR = 365.25


def training_time(
    flops: ArrayLike, n_gpus: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike
) -> FloatOrArray:
    """Seconds to spend `flops`: ``flops / (n_gpus × peak × utilisation)``.

    Parameters
    ----------
    flops : array_like
        Training compute in FLOPs (positive).
    n_gpus : array_like
        Number of GPUs (positive).
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU, e.g. ``gpu("H100").peak_dense_flops``.
    utilisation : array_like
        Fraction of the peak achieved, in (0, 1].

    Returns
    -------
    float or ndarray
        Wall-clock seconds; the inputs broadcast.

    Raises
    ------
    ValueError
        For a non-positive input or a utilisation above 1, naming the argument.

    References
    ----------
    Constantin 2023 (FLOPs = time × GPUs × peak × utilisation); Llama 3, Table 4 (MFU).

    Examples
    --------
    >>> round(training_time(3.8e25, 16384, 989.4e12, 0.41) / SECONDS_PER_DAY, 1)  # Llama 3 405B
    66.2
    """
    flops = _validate.positive(flops, "flops")
    n_gpus = _validate.positive(n_gpus, "n_gpus")
    peak = _validate.positive(peak_flops_per_gpu, "peak_flops_per_gpu")
    utilisation = _validate.fraction(utilisation, "utilisation")
    return _validate.as_output(flops / (n_gpus * peak * utilisation))


def training_days(
    flops: ArrayLike, n_gpus: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike
) -> FloatOrArray:
    """`training_time` in days.

    Parameters
    ----------
    flops, n_gpus, peak_flops_per_gpu, utilisation : array_like
        As in `training_time`.

    Returns
    -------
    float or ndarray
        Wall-clock days.

    Examples
    --------
    >>> from lib.compute import PF_DAY
    >>> round(training_days(PF_DAY, 1, 1e15, 1.0), 6)  # one PF-day on a 1 PFLOP/s machine
    1.0
    """
    seconds = training_time(flops, n_gpus, peak_flops_per_gpu, utilisation)
    return _validate.as_output(np.asarray(seconds) / SECONDS_PER_DAY)


def gpu_hours(flops: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike) -> FloatOrArray:
    """GPU-hours to spend `flops`, whatever the number of GPUs: ``flops / (peak × U × 3600 s)``.

    Parameters
    ----------
    flops, peak_flops_per_gpu, utilisation : array_like
        As in `training_time`.

    Returns
    -------
    float or ndarray
        GPU-hours: wall-clock hours times the number of GPUs.

    Examples
    --------
    >>> f"{gpu_hours(3.8e25, 989.4e12, 0.40):.3g}"  # Llama 3 405B at 40 % MFU
    '2.67e+07'
    """
    seconds = training_time(flops, 1.0, peak_flops_per_gpu, utilisation)
    return _validate.as_output(np.asarray(seconds) / SECONDS_PER_HOUR)


def flops_from_gpu_hours(
    gpu_hours: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike
) -> FloatOrArray:
    """FLOPs that `gpu_hours` deliver: ``gpu_hours × 3600 × peak × utilisation``.

    Parameters
    ----------
    gpu_hours : array_like
        GPU-hours (positive).
    peak_flops_per_gpu, utilisation : array_like
        As in `training_time`.

    Returns
    -------
    float or ndarray
        FLOPs.

    Examples
    --------
    >>> f"{flops_from_gpu_hours(2.664e6, 989.4e12, 1.0):.3g}"  # DeepSeek-V3 pre-training at peak
    '9.49e+24'
    """
    hours = _validate.positive(gpu_hours, "gpu_hours")
    peak = _validate.positive(peak_flops_per_gpu, "peak_flops_per_gpu")
    utilisation = _validate.fraction(utilisation, "utilisation")
    return _validate.as_output(hours * SECONDS_PER_HOUR * peak * utilisation)


def flops_from_cluster(
    n_gpus: ArrayLike, days: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike
) -> FloatOrArray:
    """FLOPs of `n_gpus` GPUs running for `days`: ``days × 86400 × G × peak × U``.

    Parameters
    ----------
    n_gpus, days : array_like
        Cluster size and run length in days (positive).
    peak_flops_per_gpu, utilisation : array_like
        As in `training_time`.

    Returns
    -------
    float or ndarray
        FLOPs: `flops_from_gpu_hours` of ``n_gpus × days × 24`` GPU-hours.

    Examples
    --------
    >>> f"{flops_from_cluster(1024, 30, 989.4e12, 0.4):.3g}"
    '1.05e+24'
    """
    n_gpus = _validate.positive(n_gpus, "n_gpus")
    days = _validate.positive(days, "days")
    return flops_from_gpu_hours(n_gpus * days * 24.0, peak_flops_per_gpu, utilisation)


def required_gpus(
    flops: ArrayLike, days: ArrayLike, peak_flops_per_gpu: ArrayLike, utilisation: ArrayLike
) -> FloatOrArray:
    """GPUs needed to spend `flops` in `days` (a real number: round it up for a cluster).

    Parameters
    ----------
    days : array_like
        Deadline in days (positive).
    flops, peak_flops_per_gpu, utilisation : array_like
        As in `training_time`.

    Returns
    -------
    float or ndarray
        GPUs.

    Examples
    --------
    >>> round(required_gpus(1e24, 30, 1e15, 0.5))  # 1e24 FLOPs in 30 days at half of 1 PFLOP/s
    772
    """
    days = _validate.positive(days, "days")
    seconds = training_time(flops, 1.0, peak_flops_per_gpu, utilisation)
    return _validate.as_output(np.asarray(seconds) / (days * SECONDS_PER_DAY))


def implied_utilisation(
    flops: ArrayLike, gpu_hours: ArrayLike, peak_flops_per_gpu: ArrayLike
) -> FloatOrArray:
    """The utilisation that makes `gpu_hours` deliver `flops`: ``flops / (gpu_hours × 3600 × peak)``.

    Not restricted to (0, 1]: a value above 1 means the claimed numbers are inconsistent
    (or the peak is the wrong one, e.g. lower precision).

    Parameters
    ----------
    flops : array_like
        Compute the run claims or implies, e.g. ``6 N D`` (positive).
    gpu_hours : array_like
        GPU-hours it claims (positive).
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU.

    Returns
    -------
    float or ndarray
        The implied fraction of the peak.

    References
    ----------
    DeepSeek-AI 2024, arXiv:2412.19437, Table 1 (2.664M H800 GPU-hours of pre-training).

    Examples
    --------
    >>> round(implied_utilisation(6 * 37e9 * 14.8e12, 2.664e6, 989.4e12), 3)  # DeepSeek-V3
    0.346
    """
    flops = _validate.positive(flops, "flops")
    hours = _validate.positive(gpu_hours, "gpu_hours")
    peak = _validate.positive(peak_flops_per_gpu, "peak_flops_per_gpu")
    return _validate.as_output(flops / (hours * SECONDS_PER_HOUR * peak))
