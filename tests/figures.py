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


def share_of_pixels_that_differ(fig: Figure, reference: Figure) -> float:
    """The share of pixels where the two rendered figures differ visibly (by over 30 of 255)."""
    pixels, reference_pixels = png_pixels(fig), png_pixels(reference)
    assert pixels.shape == reference_pixels.shape, "the figures render at different sizes"
    return float((np.abs(pixels - reference_pixels).max(axis=2) > 30).mean())
