"""Interactive explorers (ipywidgets) and the static figures of their default state.

A widget needs a running kernel; the website shows the static figure drawn by the same
function, so the two never disagree.
"""

from __future__ import annotations

import ipywidgets as ipw
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from lib import plotting
from lib.literature import published_law
from lib.powerlaw import PowerLaw

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


def update_power_law_figure(fig: Figure, alpha: float, floor: float, coefficient: float) -> None:
    """Redraw a figure made by `power_law_figure` for new constants (no new artists).

    Parameters
    ----------
    fig : Figure
        A figure returned by `power_law_figure`.
    alpha, floor, coefficient : float
        The new constants, as in `power_law_figure`.
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
    values = np.concatenate([law(_N), reducible(_N)])
    ax.set_ylim(values.min() / 1.5, values.max() * 3)


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
    fig = power_law_figure(alpha, floor, coefficient)
    plt.close(fig)
    # Solve the constrained layout once; re-solving it on every move doubles the redraw time.
    fig.canvas.draw()
    fig.set_layout_engine("none")

    def redraw(_change: object = None) -> None:
        update_power_law_figure(fig, alpha_slider.value, floor_slider.value, coefficient)
        with output:
            output.clear_output(wait=True)
            display(fig)

    alpha_slider.observe(redraw, names="value")
    floor_slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([ipw.HBox([alpha_slider, floor_slider]), output])
