"""The power-law explorer (chapter 1, exercise 1): ``L = c X**-alpha + floor`` on log-log axes.

The reducible part and the floor are drawn apart from their sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from lib.literature import published_law
from lib.powerlaw import PowerLaw
from lib.view import plotting
from lib.widgets.core import freeze_layout, show_png, show_static_parts_as_one_image

__all__ = ["power_law_figure", "update_power_law_figure", "power_law_explorer"]

_N = np.logspace(6, 13, 200)
_DEFAULT = published_law("hoffmann2022_N").law
_WITH_FLOOR, _REDUCIBLE, _FLOOR = "with-floor", "reducible", "floor"


def power_law_figure(
    alpha: float = -_DEFAULT.exponent,
    floor: float = _DEFAULT.floor,
    coefficient: float = _DEFAULT.coefficient,
) -> Figure:
    """Draw ``L(N) = floor + coefficient * N**-alpha`` next to its reducible part and floor.

    Parameters
    ----------
    alpha : float
        Exponent of the reducible part, positive (the loss falls like ``N**-alpha``).
    floor : float
        Irreducible loss E, ``>= 0``.
    coefficient : float
        ``A > 0``.

    Returns
    -------
    Figure
        A log-log figure of N from 1e6 to 1e13 parameters, updated by `update_power_law_figure`.

    References
    ----------
    The defaults are the model term of Hoffmann et al. 2022, App. D.2, with the data term
    taken to zero (infinite data): ``1.69 + 406.4 / N**0.34``.
    """
    fig, (ax,) = plotting.new_figure()
    ax.plot(_N, _N, color=plotting.PALETTE["blue"], label="L = E + A·N^(−α)", gid=_WITH_FLOOR)
    ax.plot(
        _N,
        _N,
        color=plotting.PALETTE["orange"],
        linestyle="--",
        label="reducible part A·N^(−α)",
        gid=_REDUCIBLE,
    )
    ax.axhline(1.0, color=plotting.PALETTE["black"], linewidth=1, linestyle=":", label="floor E", gid=_FLOOR)
    plotting.label_loglog(ax, "N (parameters)", "L (nats/token)")
    ax.minorticks_off()  # unlabelled minor ticks double the cost of every redraw
    ax.legend(loc="lower left")
    update_power_law_figure(fig, alpha, floor, coefficient)
    return fig


def update_power_law_figure(
    fig: Figure,
    alpha: float,
    floor: float,
    coefficient: float,
    *,
    ylim: tuple[float, float] | None = None,
) -> None:
    """Redraw a figure made by `power_law_figure` for new constants (no new artists).

    Parameters
    ----------
    fig : Figure
        A figure returned by `power_law_figure`.
    alpha, floor, coefficient : float
        The new constants, as in `power_law_figure`.
    ylim : tuple of float, optional
        Fixed y-limits; by default they follow the curves.
    """
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.lines}
    with_floor, pure, floor_line = lines[_WITH_FLOOR], lines[_REDUCIBLE], lines[_FLOOR]
    law = PowerLaw(coefficient=coefficient, exponent=-alpha, floor=floor)
    reducible = PowerLaw(coefficient=coefficient, exponent=-alpha)
    with_floor.set_ydata(law(_N))
    pure.set_ydata(reducible(_N))
    floor_line.set_ydata([max(floor, 1e-3)] * 2)
    floor_line.set_visible(floor > 0)
    slope = law.local_exponent(_N[-1])
    ax.set_title(f"α = {alpha:.2f}, E = {floor:.2f}: slope at N = 1e13 is {slope:.3f}")
    if ylim is None:
        ylim = _power_law_ylim(coefficient, [alpha], [floor])
    ax.set_ylim(ylim)


def _power_law_ylim(
    coefficient: float, alphas: Sequence[float], floors: Sequence[float]
) -> tuple[float, float]:
    """y-limits showing both curves of `power_law_figure` for every alpha and floor given."""
    values = np.concatenate(
        [
            PowerLaw(coefficient=coefficient, exponent=-alpha, floor=floor)(_N)
            for alpha in alphas
            for floor in (*floors, 0.0)
        ]
    )
    return float(values.min() / 1.5), float(values.max() * 3)


def power_law_explorer(
    alpha: float = -_DEFAULT.exponent,
    floor: float = _DEFAULT.floor,
    coefficient: float = _DEFAULT.coefficient,
) -> ipw.VBox:
    """Sliders for the exponent and the floor, redrawing `power_law_figure` as they move.

    Parameters
    ----------
    alpha, floor, coefficient : float
        Starting values, as in `power_law_figure`.

    Returns
    -------
    ipywidgets.VBox
        The sliders above the figure; needs a running kernel to respond.
    """
    alpha_slider = ipw.FloatSlider(value=alpha, min=0.02, max=0.8, step=0.01, description="α")
    floor_slider = ipw.FloatSlider(value=floor, min=0.0, max=3.0, step=0.01, description="floor E")
    output = ipw.Output()
    # fixed y-limits for the whole session, wide enough for every slider position, so
    # that the axes, ticks and legend are drawn once and cached as one image
    ylim = _power_law_ylim(coefficient, [alpha_slider.min, alpha_slider.max], [floor_slider.max])
    fig = power_law_figure(alpha_slider.value, floor_slider.value, coefficient)
    update_power_law_figure(fig, alpha_slider.value, floor_slider.value, coefficient, ylim=ylim)
    plt.close(fig)
    freeze_layout(fig)
    ax = fig.axes[0]
    # a title with a fixed position: otherwise every draw measures the tick labels to place it
    ax.set_title(ax.get_title(), y=ax.title.get_position()[1])
    show_static_parts_as_one_image(fig, [*ax.lines, ax.title])

    def redraw(_change: object = None) -> None:
        update_power_law_figure(fig, alpha_slider.value, floor_slider.value, coefficient, ylim=ylim)
        show_png(output, fig)

    alpha_slider.observe(redraw, names="value")
    floor_slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([ipw.HBox([alpha_slider, floor_slider]), output])
