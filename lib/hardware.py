"""From GPUs to FLOPs: training time, utilisation, energy and cost of a training run.

The identity behind every function here is

    FLOPs = time × GPUs × peak FLOP/s per GPU × utilisation,

where the peak is the dense 16-bit tensor throughput of one GPU and the utilisation is the
fraction of it a run achieves (model FLOPs utilisation, MFU, when the FLOPs are counted
as 6ND). The GPU table (``lib/data/gpus.csv``) and the reported runs
(``lib/data/reported_runs.csv``) carry one BibTeX key per row.

Utilisation falls as more GPUs communicate; `UtilisationModel` writes that as a power law
``U(G) = u_ref (G / g_ref)**-b``, so the useful throughput ``G P U(G)`` grows like
``G**(1 - b)`` and a loss that falls like ``C**-a`` falls like ``(G P U(G))**-a``, which is
proportional to ``(G**(1 - b) P)**-a``: utilisation enters once, through ``U(G)``. Its
parameters are assumptions the reader sets.

References
----------
Constantin 2023, "'Scaling Laws' for AI and some implications" (essay; the loss-in-GPUs
form and a BERT utilisation claim it attributes to Frey et al. 2022).
Dubey et al. 2024, "The Llama 3 Herd of Models", arXiv:2407.21783, §3.3 and Table 4
(38-43 % BF16 MFU on 8K-16K H100).
DeepSeek-AI 2024, "DeepSeek-V3 Technical Report", arXiv:2412.19437, §1 and Table 1
(H800 GPU-hours and the $2 per GPU-hour price).
Hoffmann et al. 2022, arXiv:2203.15556, §3.3 (the compute-optimal frontier used by
`gpus_where_doubling_gains_less_than`).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.compute import training_flops
from lib.laws import CHINCHILLA, ChinchillaLaw
from lib.powerlaw import FloatOrArray

__all__ = [
    "SECONDS_PER_HOUR",
    "SECONDS_PER_DAY",
    "DAYS_PER_YEAR",
    "PUE_GOOGLE_2023",
    "PUE_INDUSTRY_2023",
    "SUPERCOMPUTER_FLOPS",
    "GPT4_FLOPS_ESTIMATES",
    "LLAMA3_405B_MFU",
    "GPU",
    "gpu_table",
    "gpu",
    "ReportedRun",
    "reported_runs",
    "training_time",
    "training_days",
    "gpu_hours",
    "flops_from_gpu_hours",
    "flops_from_cluster",
    "required_gpus",
    "implied_utilisation",
    "UtilisationModel",
    "ESSAY_BERT_UTILISATION",
    "gpus_where_doubling_gains_less_than",
    "energy_mwh",
    "training_cost",
]

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
DAYS_PER_YEAR = 365.25

PUE_GOOGLE_2023 = 1.10
"""Google's fleet-wide power usage effectiveness in 2023 (Google 2024 Environmental Report)."""

PUE_INDUSTRY_2023 = 1.58
"""Industry-average power usage effectiveness in 2023 (Uptime Institute, Intelligence Update 221)."""


SUPERCOMPUTER_FLOPS = MappingProxyType(
    {
        "Fugaku, theoretical FP64 peak (Rpeak)": 537.212e15,
        "Frontier, measured FP64 (HPL Rmax)": 1.102e18,
        "Frontier, mixed precision (HPL-MxP)": 7.94e18,
    }
)
"""FLOP/s of the machines behind the essay's "7 years" (TOP500 lists of 2020-2022).

The essay's 5.3e17 is Fugaku's Rpeak; Frontier led the June and November 2022 lists."""

GPT4_FLOPS_ESTIMATES = MappingProxyType({"essay (April 2023)": 2.4e25, "Epoch AI database": 2.1e25})
"""Estimates of GPT-4's training compute, FLOPs; OpenAI has published none.

The essay credits Our World in Data (origin not traced); Epoch AI rates its own estimate
"speculative" (90 % interval 8.2e24-4.4e25)."""


LLAMA3_405B_MFU = MappingProxyType(
    {
        "8,192 GPUs": (8192, 0.43),
        "16,384 GPUs": (16384, 0.41),
        "16,384 GPUs, CP=16, 131K sequences": (16384, 0.38),
    }
)
"""Llama 3 405B's measured BF16 MFU by configuration, as (GPUs, MFU).

Dubey et al. 2024 (arXiv:2407.21783), Table 4: 430, 400 and 380 TFLOP/s per H100;
the last row uses context parallelism 16 at 131K-token sequences."""


@dataclass(frozen=True)
class GPU:
    """One row of the GPU table.

    Attributes
    ----------
    name, variant : str
        E.g. ``"H100"``, ``"SXM5 80 GB"``.
    year : int or None
        Year the part was announced; None where no source for it was read.
    peak_dense_flops : float
        Dense BF16 (FP16 for the V100) tensor-core peak, FLOP/s per GPU.
    peak_sparse_flops : float or None
        The same with 2:4 structured sparsity, the headline figure of NVIDIA's datasheets;
        training runs do not reach it. None where the GPU has no sparsity support.
    memory_gb, tdp_watts : float or None
        Memory in GB and thermal design power in W; None where no source was found.
    cite_key, note : str
        BibTeX key(s), separated by ``;``, and where each value comes from.
    """

    name: str
    variant: str
    year: int | None
    peak_dense_flops: float
    peak_sparse_flops: float | None
    memory_gb: float | None
    tdp_watts: float | None
    cite_key: str
    note: str


def _optional(text: str, scale: float = 1.0) -> float | None:
    return float(text) * scale if text.strip() else None


@cache
def _gpu_rows() -> tuple[GPU, ...]:
    text = resources.files("lib").joinpath("data/gpus.csv").read_text("utf-8")
    return tuple(
        GPU(
            name=row["gpu"],
            variant=row["variant"],
            year=int(row["year"]) if row["year"].strip() else None,
            peak_dense_flops=float(row["peak_dense_tflops"]) * 1e12,
            peak_sparse_flops=_optional(row["peak_sparse_tflops"], 1e12),
            memory_gb=_optional(row["memory_gb"]),
            tdp_watts=_optional(row["tdp_w"]),
            cite_key=row["cite_key"],
            note=row["note"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def gpu_table() -> dict[str, GPU]:
    """The GPU table in the CSV's order (by generation), keyed by name (``lib/data/gpus.csv``).

    Returns
    -------
    dict of str to GPU
        V100, A100, H100, H200, H800 and B200.

    References
    ----------
    See each row's ``cite_key`` and ``note``; the H800's peak is inferred from DeepSeek's
    description of it as an H100 with cut interconnect (arXiv:2505.09343, §4.1).

    Examples
    --------
    >>> [name for name in gpu_table()]
    ['V100', 'A100', 'H100', 'H200', 'H800', 'B200']
    """
    return {row.name: row for row in _gpu_rows()}


def gpu(name: str) -> GPU:
    """One GPU of the table by name.

    Parameters
    ----------
    name : str
        ``"V100"``, ``"A100"``, ``"H100"``, ``"H200"``, ``"H800"`` or ``"B200"``.

    Returns
    -------
    GPU

    Raises
    ------
    ValueError
        For a name not in the table.

    Examples
    --------
    >>> gpu("H100").peak_dense_flops / 1e12
    989.4
    """
    table = gpu_table()
    if name not in table:
        raise ValueError(f"name must be one of {', '.join(table)}, got {name!r}")
    return table[name]


@dataclass(frozen=True)
class ReportedRun:
    """A training run as its authors reported it (``lib/data/reported_runs.csv``).

    Attributes
    ----------
    name : str
        E.g. ``"Llama 3 405B"``.
    year : int
        Year of the report.
    params, active_params : float
        Parameters, and those active per token (they differ for a mixture of experts).
    tokens : float
        Training tokens.
    reported_flops : float or None
        Training compute as reported.
    gpu : str or None
        Name in `gpu_table`.
    n_gpus : float or None
        Cluster size.
    gpu_hours, gpu_hours_total : float or None
        GPU-hours of pre-training, and of the whole training as reported (they differ
        for DeepSeek-V3, whose total adds context extension and post-training).
    mfu_low, mfu_high : float or None
        The reported range of model FLOPs utilisation (see `LLAMA3_405B_MFU` for where
        Llama 3's ends come from).
    cite_key, note : str
        BibTeX key(s) and provenance.
    """

    name: str
    year: int
    params: float
    active_params: float
    tokens: float
    reported_flops: float | None
    gpu: str | None
    n_gpus: float | None
    gpu_hours: float | None
    gpu_hours_total: float | None
    mfu_low: float | None
    mfu_high: float | None
    cite_key: str
    note: str

    @property
    def flops_6nd(self) -> float:
        """``6 N D`` with the active parameters (`lib.compute.training_flops`)."""
        return float(training_flops(self.active_params, self.tokens))


def reported_runs() -> dict[str, ReportedRun]:
    """The reported training runs, keyed by name.

    Returns
    -------
    dict of str to ReportedRun
        GPT-3 175B, Chinchilla 70B, Llama 3 405B, DeepSeek-V3 and Phi-4 14B.

    References
    ----------
    Brown et al. 2020 (arXiv:2005.14165), Table D.1; Hoffmann et al. 2022, App. F;
    Dubey et al. 2024 (arXiv:2407.21783) and the Llama 3.1 model card; DeepSeek-AI
    2024 (arXiv:2412.19437), Table 1; Microsoft's Phi-4 model card (read in copies).

    Examples
    --------
    >>> run = reported_runs()["GPT-3 175B"]
    >>> f"{run.flops_6nd:.3g}"
    '3.15e+23'
    """
    text = resources.files("lib").joinpath("data/reported_runs.csv").read_text("utf-8")
    runs = {}
    for row in csv.DictReader(text.splitlines()):
        runs[row["run"]] = ReportedRun(
            name=row["run"],
            year=int(row["year"]),
            params=float(row["params"]),
            active_params=float(row["active_params"]),
            tokens=float(row["tokens"]),
            reported_flops=_optional(row["reported_flops"]),
            gpu=row["gpu"] or None,
            n_gpus=_optional(row["n_gpus"]),
            gpu_hours=_optional(row["gpu_hours"]),
            gpu_hours_total=_optional(row["gpu_hours_total"]),
            mfu_low=_optional(row["mfu_low"]),
            mfu_high=_optional(row["mfu_high"]),
            cite_key=row["cite_key"],
            note=row["note"],
        )
    return runs


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
    flops : array_like
        Training compute in FLOPs (positive).
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU.
    utilisation : array_like
        In (0, 1].

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
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU.
    utilisation : array_like
        In (0, 1].

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
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU.
    utilisation : array_like
        In (0, 1].

    Returns
    -------
    float or ndarray
        FLOPs.

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
    flops : array_like
        Training compute in FLOPs (positive).
    days : array_like
        Deadline in days (positive).
    peak_flops_per_gpu : array_like
        Dense peak FLOP/s of one GPU.
    utilisation : array_like
        In (0, 1].

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


@dataclass(frozen=True)
class UtilisationModel:
    """Utilisation falling as a power of the GPU count: ``U(G) = u_ref (G / g_ref)**-b``.

    Useful throughput is then ``G P U(G) ∝ G**(1 - b) P``: more GPUs add throughput as
    long as ``b < 1``, at a cost per useful FLOP that grows like ``G**b``.

    Attributes
    ----------
    u_ref : float
        Utilisation at `g_ref` GPUs, in (0, 1].
    g_ref : float
        The GPU count where `u_ref` holds (positive).
    b : float
        How fast utilisation falls (non-negative); 0 means perfect scaling.

    References
    ----------
    Constantin 2023: a loss ``∝ C**-a`` becomes ``∝ (G P U(G))**-a ∝ (G**(1-b) P)**-a``.

    Examples
    --------
    >>> model = UtilisationModel(u_ref=0.43, g_ref=8192, b=0.07)
    >>> round(model.at(16384), 3)
    0.41
    """

    u_ref: float
    g_ref: float
    b: float

    def __post_init__(self) -> None:
        _validate.scalar(self.u_ref, "u_ref", _validate.fraction)
        _validate.scalar(self.g_ref, "g_ref", _validate.positive)
        _validate.scalar(self.b, "b", _validate.nonnegative)

    @classmethod
    def from_two_points(
        cls, g_small: float, u_small: float, g_large: float, u_large: float
    ) -> UtilisationModel:
        """The model through two measurements ``(g_small, u_small)`` and ``(g_large, u_large)``.

        ``b = ln(u_small / u_large) / ln(g_large / g_small)``.

        Raises
        ------
        ValueError
            If ``g_large <= g_small`` or utilisation rises with G (``b`` would be negative).

        Examples
        --------
        >>> round(UtilisationModel.from_two_points(2, 0.33, 128, 0.20).b, 4)
        0.1204
        """
        g_small = _validate.scalar(g_small, "g_small", _validate.positive)
        g_large = _validate.scalar(g_large, "g_large", _validate.positive)
        u_small = _validate.scalar(u_small, "u_small", _validate.fraction)
        u_large = _validate.scalar(u_large, "u_large", _validate.fraction)
        if g_large <= g_small:
            raise ValueError(f"g_large must be larger than g_small, got {g_large} <= {g_small}")
        if u_large > u_small:
            raise ValueError(f"u_large must not exceed u_small (utilisation falls with G), got {u_large}")
        return cls(u_ref=u_small, g_ref=g_small, b=math.log(u_small / u_large) / math.log(g_large / g_small))

    def at(self, n_gpus: ArrayLike) -> FloatOrArray:
        """Utilisation at `n_gpus` GPUs.

        Raises
        ------
        ValueError
            If the power law exceeds 1 there (far below `g_ref` with a large `b`).
        """
        n_gpus = _validate.positive(n_gpus, "n_gpus")
        utilisation = self.u_ref * (n_gpus / self.g_ref) ** -self.b
        if np.any(utilisation > 1):
            bad = float(np.broadcast_to(n_gpus, utilisation.shape)[utilisation > 1].flat[0])
            raise ValueError(f"n_gpus is too small for this model: utilisation above 1 at n_gpus={bad:g}")
        return _validate.as_output(utilisation)

    def throughput(self, n_gpus: ArrayLike, peak_flops_per_gpu: ArrayLike) -> FloatOrArray:
        """Useful FLOP/s of the cluster, ``G × peak × U(G)``.

        Examples
        --------
        >>> f"{ESSAY_BERT_UTILISATION.throughput(128, 1e15):.3g}"
        '2.56e+16'
        """
        n_gpus = _validate.positive(n_gpus, "n_gpus")
        peak = _validate.positive(peak_flops_per_gpu, "peak_flops_per_gpu")
        return _validate.as_output(n_gpus * peak * np.asarray(self.at(n_gpus)))


ESSAY_BERT_UTILISATION = UtilisationModel.from_two_points(2, 0.33, 128, 0.20)
"""The essay's claim, not verified: BERT at about 33 % utilisation on 2 GPUs and 20 % on 128
(Constantin 2023, citing Frey et al. 2022, whose full text could not be checked); b ≈ 0.12."""


def gpus_where_doubling_gains_less_than(
    gain: float,
    days: float,
    peak_flops_per_gpu: float,
    model: UtilisationModel,
    law: ChinchillaLaw = CHINCHILLA,
) -> float:
    """The GPU count beyond which doubling the GPUs lowers the loss by less than `gain` nats.

    With a fixed run length, ``C(G) = days × 86400 × G P U(G) ∝ G**(1 - b)``. On the
    compute-optimal frontier of a Chinchilla-form law the reducible loss is a power of C,
    ``L(C) - E = K C**-gamma`` with ``gamma = alpha beta / (alpha + beta)``, so one
    doubling of G removes the fraction ``1 - 2**(-gamma (1 - b))`` of the reducible loss.
    Setting that equal to `gain` gives G in closed form.

    Parameters
    ----------
    gain : float
        The loss reduction (nats/token) one doubling must buy to be worth it (positive).
    days : float
        Run length (positive).
    peak_flops_per_gpu : float
        Dense peak FLOP/s of one GPU.
    model : UtilisationModel
        How utilisation falls with G; with ``b >= 1`` more GPUs never help.
    law : ChinchillaLaw
        The law whose compute-optimal loss is used.

    Returns
    -------
    float
        The GPU count; 0 when ``b >= 1``, where no doubling gains anything.

    References
    ----------
    Hoffmann et al. 2022, §3.3 (the frontier); Constantin 2023 (the utilisation form).

    Examples
    --------
    >>> model = UtilisationModel(u_ref=0.4, g_ref=1, b=0.0)
    >>> G = gpus_where_doubling_gains_less_than(0.01, 30, 989.4e12, model)
    >>> f"{G:.3g}"
    '1.83e+05'
    """
    gain = _validate.scalar(gain, "gain", _validate.positive)
    days = _validate.scalar(days, "days", _validate.positive)
    peak = _validate.scalar(peak_flops_per_gpu, "peak_flops_per_gpu", _validate.positive)
    if model.b >= 1:
        return 0.0
    gamma = law.alpha * law.beta / (law.alpha + law.beta)
    exponent = gamma * (1.0 - model.b)
    flops_at_ref = days * SECONDS_PER_DAY * float(np.asarray(model.throughput(model.g_ref, peak)))
    reducible_at_ref = law.loss_at_compute(flops_at_ref) - law.E
    gain_at_ref = reducible_at_ref * (1.0 - 2.0**-exponent)
    return float(model.g_ref * (gain_at_ref / gain) ** (1.0 / exponent))


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
    >>> run = reported_runs()["DeepSeek-V3"]
    >>> training_cost(run.gpu_hours_total, 2.0) / 1e6  # at DeepSeek's assumed $2 per H800-hour
    5.576
    """
    hours = _validate.positive(gpu_hours, "gpu_hours")
    price = _validate.positive(price_per_gpu_hour, "price_per_gpu_hour")
    return _validate.as_output(hours * price)
