"""Helpers for the explorer tests: a figure's moving artists, and its pixels as a notebook shows them."""

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image


def lines_by_gid(fig: Figure) -> dict[str, Line2D]:
    """The figure's lines that carry a gid (the artists an explorer updates), by gid."""
    return {line.get_gid(): line for axes in fig.axes for line in axes.lines if line.get_gid()}


def png_pixels(fig: Figure) -> np.ndarray:
    """The figure rendered to PNG as the notebook's inline backend does (no tight bbox), as RGB ints."""
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", bbox_inches=None, dpi=fig.dpi)
    return np.asarray(Image.open(buffer).convert("RGB")).astype(int)
