"""The L(N, D) explorer (chapter 2): loss contours with iso-FLOP lines.

The law's compute-optimal choice and Kaplan et al.'s rule move along the budget line.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556:
Fig. 3 (IsoFLOP profiles), Fig. 4 (loss contours with iso-FLOP lines), App. D.4.
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, eq. 6.1.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import NDArray

from lib import _validate
from lib.compute import training_flops
from lib.laws import CHINCHILLA, KAPLAN, ChinchillaLaw
from lib.models import GOPHER_BUDGET
from lib.view import plotting
from lib.view.formatting import count
from lib.widgets.core import (
    add_choice_markers,
    lines_by_gid,
    log_slider_explorer,
    prepared_for_redraws,
    text_by_gid,
)

__all__ = ["LND_BUDGET_RANGE", "lnd_figure", "update_lnd_figure", "lnd_explorer"]

# ---- L(N, D) with iso-FLOP lines ---------------------------------------------------------

LND_BUDGET_RANGE = (1e18, 1e26)
"""The budgets, in FLOPs, that `lnd_figure` and its slider cover."""

_LND_N = np.logspace(7, 14, 241)  # parameters
_LND_D = np.logspace(8, 14, 181)  # tokens
_LND_BUDGETS = (1e18, 1e20, 1e22, 1e24, 1e26)  # the fixed iso-FLOP lines
_LND_LEVELS = (1.7, 1.8, 1.9, 2.0, 2.1, 2.25, 2.5, 2.75, 3.0, 3.5, 4.0, 5.0, 7.0)
_LND_LOSS_LIM = (1.75, 4.25)
_LND_FONT = 12  # points; larger than the house style's 11, as the figure is shown wide and scaled down
_BUDGET_LINE, _OPTIMUM, _KAPLAN, _ISO_FLOP = "lnd-budget", "lnd-optimum", "lnd-kaplan", "lnd-iso-flop"
_PROFILE, _PROFILE_OPTIMUM, _PROFILE_KAPLAN, _TITLE = (
    "lnd-profile",
    "lnd-profile-optimum",
    "lnd-profile-kaplan",
    "lnd-title",
)


def _check_lnd_input(law: object, budget: float) -> float:
    if not isinstance(law, ChinchillaLaw):
        raise ValueError(
            "law must be a ChinchillaLaw (its optimal_allocation has a closed form), "
            f"got {type(law).__name__}"
        )
    budget = _validate.scalar(budget, "budget", _validate.positive)
    low, high = LND_BUDGET_RANGE
    if not low <= budget <= high:
        raise ValueError(f"budget must be between {low:.0e} and {high:.0e} FLOPs, got {budget:.3g}")
    return budget


def _tokens_on_budget_line(budget: float) -> NDArray[np.float64]:
    return np.asarray(budget / training_flops(_LND_N, 1.0))


def lnd_figure(law: ChinchillaLaw = CHINCHILLA, budget: float = GOPHER_BUDGET) -> Figure:
    """Loss contours of ``law`` over N × D with iso-FLOP lines, and the loss along one budget.

    Left: filled contours of ``law.loss(N, D)``, the iso-FLOP lines ``6 N D = C`` for
    1e18 to 1e26 FLOPs, the compute-optimal frontier of ``law`` and Kaplan et al.'s rule
    ``N ∝ C**0.73``; the line of `budget` is highlighted, with its optimum (circle) and
    Kaplan's choice (square). Right: the loss along each iso-FLOP line against N (an
    IsoFLOP profile), the highlighted one with the same two points.

    Parameters
    ----------
    law : ChinchillaLaw
        The law drawn; its closed-form `optimal_allocation` gives the optimum.
    budget : float
        Training compute C in FLOPs, within `LND_BUDGET_RANGE`.

    Returns
    -------
    Figure
        Two axes (plus a colour bar); `update_lnd_figure` moves it to another budget.

    References
    ----------
    Hoffmann et al. 2022, Figs. 3-4 (the same two views of their fitted law) and App. D.4
    (Kaplan's rule at 1e21 FLOPs, which anchors ``KaplanLaw.allocation``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = lnd_figure(budget=1e21)
    >>> [line.get_gid() for line in fig.axes[0].lines][-3:]
    ['lnd-budget', 'lnd-optimum', 'lnd-kaplan']
    >>> plt.close(fig)
    """
    budget = _check_lnd_input(law, budget)
    colours = plotting.PALETTE
    fig, (ax, ax_profile) = plotting.new_figure(ncols=2, width=10.0, height=4.8)
    loss = law.loss(_LND_N[np.newaxis, :], _LND_D[:, np.newaxis])
    filled = ax.contourf(_LND_N, _LND_D, loss, levels=_LND_LEVELS, cmap="viridis_r", extend="max")
    colour_bar = fig.colorbar(filled, ax=ax, ticks=_LND_LEVELS[::2])
    colour_bar.set_label("L (nats/token)", fontsize=_LND_FONT)
    colour_bar.ax.tick_params(labelsize=_LND_FONT - 1)
    log_low, log_high = np.log10(LND_BUDGET_RANGE)
    budgets = np.logspace(log_low, log_high, 33)
    for C in _LND_BUDGETS:
        D_line = _tokens_on_budget_line(C)
        ax.plot(_LND_N, D_line, color="white", linewidth=0.8, alpha=0.8, gid=_ISO_FLOP)
        ax_profile.plot(_LND_N, law.loss(_LND_N, D_line), color=colours["black"], linewidth=0.8, alpha=0.35)
        inside = np.flatnonzero((D_line <= _LND_D[-1] / 2) & (D_line >= _LND_D[0]))[0]
        ax.annotate(
            f"{C:.0e}".replace("e+", "e"),
            (_LND_N[inside], D_line[inside]),
            color="white",
            fontsize=9,
            xytext=(3, 2),
            textcoords="offset points",
        )
    ax.plot(
        *law.optimal_allocation(budgets),
        "--",
        color=colours["black"],
        linewidth=1.2,
        label="compute-optimal N, D (this law)",
    )
    ax.plot(
        *KAPLAN.allocation(budgets),
        ":",
        color=colours["orange"],
        linewidth=2,
        label=r"Kaplan et al.'s rule, $N \propto C^{0.73}$",
    )
    ax.plot(_LND_N, _LND_N, color=colours["vermillion"], linewidth=2.2, gid=_BUDGET_LINE, label="budget C")
    add_choice_markers(ax, _OPTIMUM, _KAPLAN)
    plotting.label_loglog(ax, "N (parameters)", "D (tokens)")
    ax.set(xlim=(_LND_N[0], _LND_N[-1]), ylim=(_LND_D[0], _LND_D[-1]))
    ax_profile.plot(_LND_N, _LND_N, color=colours["vermillion"], linewidth=2.2, gid=_PROFILE)
    add_choice_markers(
        ax_profile,
        _PROFILE_OPTIMUM,
        _PROFILE_KAPLAN,
        labels=("optimum on this line", "Kaplan et al.'s choice on this line"),
    )
    ax_profile.set_xscale("log")
    ax_profile.set(
        xlabel="N (parameters)",
        ylabel="L (nats/token) along C = 6ND",
        xlim=(_LND_N[0], _LND_N[-1]),
        ylim=_LND_LOSS_LIM,
    )
    iso_lines = Line2D(
        [], [], color=colours["black"], linewidth=0.8, alpha=0.35, label="iso-FLOP lines, 1e18 to 1e26 FLOPs"
    )
    handles = [*ax.get_legend_handles_labels()[0], *ax_profile.get_legend_handles_labels()[0], iso_lines]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=_LND_FONT - 1)
    for axes in (ax, ax_profile):
        axes.minorticks_off()  # unlabelled minor ticks double the cost of every redraw
        axes.tick_params(labelsize=_LND_FONT)
        axes.xaxis.label.set_fontsize(_LND_FONT + 1)
        axes.yaxis.label.set_fontsize(_LND_FONT + 1)
    fig.suptitle(" ", fontsize=_LND_FONT + 0.5, fontweight="normal", gid=_TITLE)
    update_lnd_figure(fig, budget, law)
    return fig


def update_lnd_figure(fig: Figure, budget: float, law: ChinchillaLaw = CHINCHILLA) -> None:
    """Move a figure made by `lnd_figure` to another budget (new data, no new artists).

    Parameters
    ----------
    fig : Figure
        A figure returned by `lnd_figure`.
    budget : float
        Training compute C in FLOPs, within `LND_BUDGET_RANGE`.
    law : ChinchillaLaw
        The law the figure was drawn for.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = lnd_figure()
    >>> update_lnd_figure(fig, 1e22)
    >>> optimum = [line for line in fig.axes[0].lines if line.get_gid() == "lnd-optimum"][0]
    >>> round(float(optimum.get_xdata()[0]) / 1e9, 2)  # CHINCHILLA.optimal_allocation(1e22)[0]
    5.16
    >>> plt.close(fig)
    """
    budget = _check_lnd_input(law, budget)
    lines = lines_by_gid(fig)
    D_line = _tokens_on_budget_line(budget)
    N_opt, D_opt = (float(x) for x in law.optimal_allocation(budget))  # floats: one budget
    N_kap, D_kap = (float(x) for x in KAPLAN.allocation(budget))
    L_opt, L_kap = float(law.loss(N_opt, D_opt)), float(law.loss(N_kap, D_kap))
    lines[_BUDGET_LINE].set_ydata(D_line)
    lines[_OPTIMUM].set_data([N_opt], [D_opt])
    lines[_KAPLAN].set_data([N_kap], [D_kap])
    lines[_PROFILE].set_ydata(law.loss(_LND_N, D_line))
    lines[_PROFILE_OPTIMUM].set_data([N_opt], [L_opt])
    lines[_PROFILE_KAPLAN].set_data([N_kap], [L_kap])
    title = text_by_gid(fig, _TITLE)
    title.set_text(
        f"C = {budget:.2e}".replace("e+", "e")
        + f" FLOPs: optimum {count(N_opt)} parameters on {count(D_opt)} tokens, "
        f"L = {L_opt:.3f}\nKaplan et al.'s rule: {count(N_kap)} parameters on {count(D_kap)} tokens, "
        f"L = {L_kap:.3f}"
    )


def _lnd_explorer_figure(law: ChinchillaLaw, budget: float) -> Figure:
    """`lnd_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_BUDGET_LINE, _OPTIMUM, _KAPLAN, _PROFILE, _PROFILE_OPTIMUM, _PROFILE_KAPLAN, _TITLE}
    return prepared_for_redraws(lnd_figure(law, budget), moving)


def lnd_explorer(law: ChinchillaLaw = CHINCHILLA, budget: float = GOPHER_BUDGET) -> ipw.VBox:
    """A log-scale slider for the budget C, moving `lnd_figure`'s highlighted line and points.

    Parameters
    ----------
    law : ChinchillaLaw
        The law drawn, as in `lnd_figure`.
    budget : float
        Starting budget in FLOPs, within `LND_BUDGET_RANGE`.

    Returns
    -------
    ipywidgets.VBox
        The slider above the figure; needs a running kernel to respond.
    """
    budget = _check_lnd_input(law, budget)
    fig = _lnd_explorer_figure(law, budget)
    return log_slider_explorer(
        fig, lambda value: update_lnd_figure(fig, value, law), budget, LND_BUDGET_RANGE, "budget C"
    )
