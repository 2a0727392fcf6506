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

Modules: ``gpus`` (the GPU table, supercomputers, reported runs), ``training_time`` (time,
GPU-hours and FLOPs, each from the others), ``utilisation`` (utilisation against GPU count),
``energy`` (energy and cost). Every public name is importable from ``lib.hardware`` itself.

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

from lib.hardware.energy import PUE_GOOGLE_2023, PUE_INDUSTRY_2023, energy_mwh, training_cost
from lib.hardware.gpus import (
    GPT4_FLOPS_ESTIMATES,
    GPU,
    LLAMA3_405B_MFU,
    SUPERCOMPUTER_FLOPS,
    ReportedRun,
    gpu,
    gpu_table,
    reported_runs,
)
from lib.hardware.training_time import (
    DAYS_PER_YEAR,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    flops_from_cluster,
    flops_from_gpu_hours,
    gpu_hours,
    implied_utilisation,
    required_gpus,
    training_days,
    training_time,
)
from lib.hardware.utilisation import (
    ESSAY_BERT_UTILISATION,
    UtilisationModel,
    gpus_where_doubling_gains_less_than,
)

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
