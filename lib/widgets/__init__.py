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

from lib.widgets import inference_aware, lnd, power_law, training_run
from lib.widgets.inference_aware import *
from lib.widgets.lnd import *
from lib.widgets.power_law import *
from lib.widgets.training_run import *

__all__ = [*power_law.__all__, *lnd.__all__, *training_run.__all__, *inference_aware.__all__]
