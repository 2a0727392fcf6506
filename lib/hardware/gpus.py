"""GPUs, supercomputers and reported training runs: the published figures, one BibTeX key per row.

The GPU table (``lib/data/gpus.csv``) gives dense 16-bit tensor peaks; the reported runs
(``lib/data/reported_runs.csv``) give GPUs, days, GPU-hours and MFU as their papers state them.

References
----------
Dubey et al. 2024, "The Llama 3 Herd of Models", arXiv:2407.21783, §3.3 and Table 4
(38-43 % BF16 MFU on 8K-16K H100). DeepSeek-AI 2024, "DeepSeek-V3 Technical Report",
arXiv:2412.19437, §1 and Table 1 (H800 GPU-hours and the $2 per GPU-hour price).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from lib.compute import training_flops

__all__ = [
    "SUPERCOMPUTER_FLOPS",
    "GPT4_FLOPS_ESTIMATES",
    "LLAMA3_405B_MFU",
    "GPU",
    "gpu_table",
    "gpu",
    "ReportedRun",
    "reported_runs",
]


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
