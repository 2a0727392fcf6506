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

from lib.hardware import energy, gpus, utilisation
from lib.hardware import training_time as _training_time  # `training_time` names its function
from lib.hardware.energy import *
from lib.hardware.gpus import *
from lib.hardware.training_time import *
from lib.hardware.utilisation import *

__all__ = [*gpus.__all__, *_training_time.__all__, *utilisation.__all__, *energy.__all__]
