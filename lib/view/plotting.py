"""House plot style: one look for every figure in the course.

Colours are the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness; scaling plots are log-log with the unit in each axis label.

References
----------
Okabe and Ito 2008, "Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people", jfly.uni-koeln.de/color/.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.rcsetup import cycler

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from lib import _validate

__all__ = ["PALETTE", "use_house_style", "new_figure", "label_loglog", "plain_log_ticks"]

PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

_STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.constrained_layout.use": True,
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "legend.frameon": False,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
}


def use_house_style() -> None:
    """Apply the course's Matplotlib style to every later figure.

    Every figure then uses constrained layout, so labels fit without the inline
    backend's "tight" bounding-box pass, which this also turns off in a notebook
    (that extra pass costs about 0.05 s per figure).
    """
    mpl.rcParams.update(_STYLE)
    shell = _ipython_shell()
    if shell is not None:
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': None}")


def _ipython_shell() -> Any:
    """The running IPython shell, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "run_line_magic") else None


def new_figure(ncols: int = 1, width: float = 6.4, height: float = 4.0) -> tuple[Figure, list[Axes]]:
    """A figure in house style with `ncols` side-by-side axes.

    Parameters
    ----------
    ncols : int
        Number of axes, side by side (at least 1).
    width, height : float
        Figure size in inches.

    Returns
    -------
    (Figure, list of Axes)
        The axes always come as a list, even for one.
    """
    ncols = _validate.integer(ncols, "ncols")
    with mpl.rc_context(_STYLE):
        fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, list(axes) if ncols > 1 else [axes]


def label_loglog(ax: Axes, x_label: str, y_label: str, *, title: str = "") -> Axes:
    """Make `ax` log-log and label it.

    Parameters
    ----------
    ax : Axes
        The axes to change.
    x_label, y_label : str
        Quantity and unit, e.g. ``"N (parameters)"``, ``"L (nats/token)"``; required.
    title : str, optional
        Axes title.

    Returns
    -------
    Axes
        `ax`, for chaining.
    """
    if not x_label or not y_label:
        raise ValueError("x_label and y_label must name the quantity and its unit")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if title:
        ax.set_title(title)
    return ax


def plain_log_ticks(ax: Axes, ticks: Sequence[float], axis: str = "y") -> Axes:
    """Label a log axis that spans less than a decade at `ticks`, written plainly ("1.5", "2").

    On such an axis Matplotlib labels few or no major ticks, or writes them as powers of ten;
    a loss axis from 1.5 to 6 nats/token reads better with plain numbers.

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> _ = ax.set_yscale("log")
    >>> [label.get_text() for label in plain_log_ticks(ax, (1.5, 2, 3)).get_yticklabels()]
    ['1.5', '2', '3']
    >>> plt.close(fig)
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    values = _validate.positive(ticks, "ticks")
    set_ticks = ax.set_xticks if axis == "x" else ax.set_yticks
    set_ticks(values, labels=[f"{tick:g}" for tick in values])
    ax.minorticks_off()
    return ax
