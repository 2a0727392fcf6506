"""The inference-aware explorer (chapter 6): the cheapest model over its life as demand grows.

References
----------
Sardana et al. 2024, "Beyond Chinchilla-Optimal", arXiv:2401.00448.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from lib import _validate, inference
from lib.laws import CHINCHILLA, ChinchillaLaw
from lib.view import plotting
from lib.view.formatting import count
from lib.widgets.core import lines_by_gid, log_slider_explorer, prepared_for_redraws, text_by_gid

__all__ = [
    "SARDANA_REFERENCE_N",
    "INFERENCE_TOKEN_RANGE",
    "default_inference_target",
    "inference_figure",
    "update_inference_figure",
    "inference_explorer",
]

# ---- inference-aware model sizes (chapter 6) -------------------------------------------------

SARDANA_REFERENCE_N = 13e9
"""The model size of Sardana et al.'s worked example (a 13B model; Fig. 1 caption, secondary sources)."""

INFERENCE_TOKEN_RANGE = (1e9, 1e16)
"""The lifetime inference tokens that `inference_figure` and its slider cover."""

_INF_DEMAND = np.logspace(9, 16, 57)  # tokens served, 8 per decade: the right panel's curves are smooth
_INF_CURVE_POINTS = 81  # models on the left panel's iso-loss curve
_INF_RELATIVE_LIM = (0.0, 2.0)
_INF_CURVE, _INF_OPTIMUM, _INF_CHINCHILLA = "inf-curve", "inf-optimum", "inf-chinchilla"
_INF_MARK, _INF_N_NOW, _INF_D_NOW, _INF_TITLE = "inf-mark", "inf-n-now", "inf-d-now", "inf-title"


def _check_inference_input(law: ChinchillaLaw, target_loss: float, D_inference: float) -> tuple[float, float]:
    target_loss = _validate.scalar(target_loss, "target_loss", _validate.positive)
    inference.reducible_loss(law, target_loss)  # raises for a law that is not a ChinchillaLaw, or ℓ <= E
    D_inference = _validate.scalar(D_inference, "D_inference", _validate.positive)
    low, high = INFERENCE_TOKEN_RANGE
    if not low <= D_inference <= high:
        raise ValueError(
            f"D_inference must be between {low:.0e} and {high:.0e} tokens, got {D_inference:.3g}"
        )
    return target_loss, D_inference


def _iso_loss_curve(
    law: ChinchillaLaw, target_loss: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Models on the iso-loss curve: N from 0.1× to 3× Chinchilla's choice, and their D."""
    N_c, _ = inference.chinchilla_allocation_for_loss(law, target_loss)
    N = N_c * np.logspace(-1, np.log10(3), _INF_CURVE_POINTS)
    N = N[law.model_term(N) < 0.999 * (target_loss - law.E)]  # only models that can reach it
    return N, np.asarray(inference.iso_loss_tokens(law, N, target_loss))


def default_inference_target(law: ChinchillaLaw = CHINCHILLA) -> float:
    """The loss of the compute-optimal model of `SARDANA_REFERENCE_N` parameters under `law`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> round(default_inference_target(), 4)
    2.0177
    """
    N = SARDANA_REFERENCE_N
    D = inference.compute_optimal_tokens(law, N)  # raises if law is not a ChinchillaLaw
    return float(law.loss(N, D))


def inference_figure(
    law: ChinchillaLaw = CHINCHILLA, target_loss: float | None = None, D_inference: float = 2e12
) -> Figure:
    """Lifetime FLOPs along an iso-loss curve, and the inference-aware N and D against tokens served.

    Left: every model reaching `target_loss` (N on the x axis, its D from the law), with
    its lifetime FLOPs ``6 N D + 2 N D_inference`` relative to those of Chinchilla's
    compute-optimal model at the same loss; the inference-aware optimum (circle) and
    Chinchilla's choice (square). Right: the inference-aware N and D against lifetime
    inference tokens, Chinchilla's (flat, dashed) and the chosen demand (vertical line).

    Parameters
    ----------
    law : ChinchillaLaw
        The loss law.
    target_loss : float, optional
        Loss every model must reach; by default `default_inference_target` (a
        compute-optimal 13B model).
    D_inference : float
        Lifetime inference tokens, within `INFERENCE_TOKEN_RANGE`.

    Returns
    -------
    Figure
        Two axes; `update_inference_figure` moves it to another demand.

    References
    ----------
    Sardana et al. 2024, arXiv:2401.00448 (the objective and the 13B example, Fig. 1).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = inference_figure()
    >>> sorted(line.get_gid() for line in fig.axes[0].lines if line.get_gid())
    ['inf-chinchilla', 'inf-curve', 'inf-optimum']
    >>> plt.close(fig)
    """
    if target_loss is None:
        target_loss = default_inference_target(law)
    target_loss, D_inference = _check_inference_input(law, target_loss, D_inference)
    colours = plotting.PALETTE
    fig, (ax, ax_demand) = plotting.new_figure(ncols=2, width=10.0, height=4.6)
    ax.axhline(1.0, color=colours["black"], linewidth=0.8, alpha=0.5)
    ax.plot([1.0], [1.0], color=colours["blue"], gid=_INF_CURVE, label="models reaching the target loss")
    ax.plot(
        [1.0],
        [1.0],
        "o",
        color="white",
        markeredgecolor=colours["black"],
        markersize=9,
        gid=_INF_OPTIMUM,
        label="inference-aware optimum",
    )
    ax.plot(
        [1.0],
        [1.0],
        "s",
        color=colours["orange"],
        markeredgecolor=colours["black"],
        markersize=8,
        gid=_INF_CHINCHILLA,
        label="Chinchilla's choice (compute-optimal)",
    )
    ax.set_xscale("log")
    N_curve, _ = _iso_loss_curve(law, target_loss)
    ticks = [m * 10.0**e for e in range(6, 15) for m in (1, 2, 5) if N_curve[0] <= m * 10.0**e <= N_curve[-1]]
    ax.set_xticks(ticks, [count(tick) for tick in ticks])
    ax.set(
        xlim=(N_curve[0], N_curve[-1]),
        ylim=_INF_RELATIVE_LIM,
        xlabel="N (parameters)",
        ylabel="lifetime FLOPs / Chinchilla's",
    )
    N_opt, D_opt = (
        np.asarray(x) for x in inference.inference_aware_allocation(law, target_loss, _INF_DEMAND)
    )
    N_c, D_c = (float(x) for x in inference.chinchilla_allocation_for_loss(law, target_loss))
    ax_demand.plot(_INF_DEMAND, N_opt, color=colours["blue"], label="N, inference-aware (parameters)")
    ax_demand.plot(_INF_DEMAND, D_opt, color=colours["vermillion"], label="D, inference-aware (tokens)")
    ax_demand.axhline(N_c, color=colours["blue"], linestyle="--", linewidth=1.2, label="N, Chinchilla")
    ax_demand.axhline(D_c, color=colours["vermillion"], linestyle="--", linewidth=1.2, label="D, Chinchilla")
    ax_demand.axvline(D_inference, color=colours["black"], linestyle=":", gid=_INF_MARK)
    ax_demand.plot(
        [1.0], [1.0], "o", color="white", markeredgecolor=colours["black"], markersize=8, gid=_INF_N_NOW
    )
    ax_demand.plot(
        [1.0], [1.0], "o", color="white", markeredgecolor=colours["black"], markersize=8, gid=_INF_D_NOW
    )
    plotting.label_loglog(
        ax_demand, "D_inference (tokens served over the lifetime)", "N (parameters), D (tokens)"
    )
    ax_demand.set(xlim=INFERENCE_TOKEN_RANGE, ylim=(N_opt.min() / 3, D_opt.max() * 3))
    handles = [*ax.get_legend_handles_labels()[0], *ax_demand.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=9)
    for axes in (ax, ax_demand):
        axes.minorticks_off()  # unlabelled minor ticks double the cost of every redraw
    fig.suptitle(" ", fontsize=11, fontweight="normal", gid=_INF_TITLE)
    update_inference_figure(fig, D_inference, law, target_loss)
    return fig


def update_inference_figure(
    fig: Figure, D_inference: float, law: ChinchillaLaw = CHINCHILLA, target_loss: float | None = None
) -> None:
    """Move a figure made by `inference_figure` to another demand (new data, no new artists).

    Parameters
    ----------
    fig : Figure
        A figure returned by `inference_figure`.
    D_inference : float
        Lifetime inference tokens, within `INFERENCE_TOKEN_RANGE`.
    law, target_loss
        As the figure was drawn with.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = inference_figure()
    >>> update_inference_figure(fig, 1e14)
    >>> optimum = [line for line in fig.axes[0].lines if line.get_gid() == "inf-optimum"][0]
    >>> round(float(optimum.get_xdata()[0]) / 1e9, 2)
    3.07
    >>> plt.close(fig)
    """
    if target_loss is None:
        target_loss = default_inference_target(law)
    target_loss, D_inference = _check_inference_input(law, target_loss, D_inference)
    lines = lines_by_gid(fig)
    N_curve, D_curve = _iso_loss_curve(law, target_loss)
    # One target loss and one demand: every number below is a float.
    N_opt, D_opt = (float(x) for x in inference.inference_aware_allocation(law, target_loss, D_inference))
    N_c, D_c = (float(x) for x in inference.chinchilla_allocation_for_loss(law, target_loss))
    reference = float(inference.lifetime_flops(N_c, D_c, D_inference))
    lines[_INF_CURVE].set_data(N_curve, inference.lifetime_flops(N_curve, D_curve, D_inference) / reference)
    saving = float(inference.lifetime_saving(law, target_loss, D_inference))
    lines[_INF_OPTIMUM].set_data([N_opt], [1.0 - saving])
    lines[_INF_CHINCHILLA].set_data([N_c], [1.0])
    lines[_INF_MARK].set_xdata([D_inference, D_inference])
    lines[_INF_N_NOW].set_data([D_inference], [N_opt])
    lines[_INF_D_NOW].set_data([D_inference], [D_opt])
    title = text_by_gid(fig, _INF_TITLE)
    title.set_text(
        f"L = {target_loss:.3f}, {D_inference:.2e}".replace("e+", "e")
        + f" tokens served: {count(N_opt)} parameters on {count(D_opt)} tokens "
        f"({D_opt / N_opt:.0f} per parameter), saving {saving:.1%}\n"
        f"Chinchilla's choice: {count(N_c)} parameters on {count(D_c)} tokens ({D_c / N_c:.0f} per parameter)"
    )


def _inference_explorer_figure(law: ChinchillaLaw, target_loss: float, D_inference: float) -> Figure:
    """`inference_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_INF_CURVE, _INF_OPTIMUM, _INF_CHINCHILLA, _INF_MARK, _INF_N_NOW, _INF_D_NOW, _INF_TITLE}
    return prepared_for_redraws(inference_figure(law, target_loss, D_inference), moving)


def inference_explorer(
    law: ChinchillaLaw = CHINCHILLA, target_loss: float | None = None, D_inference: float = 2e12
) -> ipw.VBox:
    """A log-scale slider for the lifetime inference tokens, moving `inference_figure`'s optimum.

    Parameters
    ----------
    law, target_loss, D_inference
        As in `inference_figure`.

    Returns
    -------
    ipywidgets.VBox
        The slider above the figure; needs a running kernel to respond.
    """
    if target_loss is None:
        target_loss = default_inference_target(law)
    target_loss, D_inference = _check_inference_input(law, target_loss, D_inference)
    fig = _inference_explorer_figure(law, target_loss, D_inference)
    return log_slider_explorer(
        fig,
        lambda value: update_inference_figure(fig, value, law, target_loss),
        D_inference,
        INFERENCE_TOKEN_RANGE,
        "tokens served",
        style={"description_width": "initial"},
    )
