"""Interactive explorers (ipywidgets) and the static figures of their default state.

A widget needs a running kernel; the website shows the static figure drawn by the same
function, so the two never disagree. Each explorer draws its figure once and, on every
slider move, only updates the data of the artists that change, then shows the figure
again as a PNG (what a notebook displays), which must take at most 50 ms.

Modules: ``core`` (the fast-redraw machinery every explorer shares) and one module per
explorer: ``power_law`` (chapter 1), ``lnd`` (chapter 2), ``training_run`` (chapter 5),
``inference_aware`` (chapter 6). Every public name is importable from ``lib.widgets``.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556:
Fig. 3 (IsoFLOP profiles), Fig. 4 (loss contours with iso-FLOP lines), App. D.4.
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, eq. 6.1.
Sardana et al. 2024, "Beyond Chinchilla-Optimal", arXiv:2401.00448 (the inference explorer).
"""

from lib.widgets.inference_aware import (
    INFERENCE_TOKEN_RANGE,
    SARDANA_REFERENCE_N,
    default_inference_target,
    inference_explorer,
    inference_figure,
    update_inference_figure,
)
from lib.widgets.lnd import LND_BUDGET_RANGE, lnd_explorer, lnd_figure, update_lnd_figure
from lib.widgets.power_law import power_law_explorer, power_law_figure, update_power_law_figure
from lib.widgets.training_run import (
    TRAINING_RUN_DEFAULTS,
    TRAINING_RUN_RANGES,
    training_run_explorer,
    training_run_figure,
    update_training_run_figure,
)

__all__ = [
    "power_law_figure",
    "update_power_law_figure",
    "power_law_explorer",
    "LND_BUDGET_RANGE",
    "lnd_figure",
    "update_lnd_figure",
    "lnd_explorer",
    "TRAINING_RUN_DEFAULTS",
    "TRAINING_RUN_RANGES",
    "training_run_figure",
    "update_training_run_figure",
    "training_run_explorer",
    "SARDANA_REFERENCE_N",
    "INFERENCE_TOKEN_RANGE",
    "default_inference_target",
    "inference_figure",
    "update_inference_figure",
    "inference_explorer",
]
