"""Fast redraws for every explorer: the figure's static parts as one image, only moving artists redrawn.

An explorer draws its figure once (`prepared_for_redraws` freezes the layout and caches the
static parts), then on every slider move updates the data of its moving artists, found by
their gid (`lines_by_gid`, `text_by_gid`), and shows the figure again as a PNG with its alt
text (`show_png`); a move must take at most 50 ms.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence

import ipywidgets as ipw
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from lib.view import plotting


def freeze_layout(fig: Figure) -> None:
    """Solve `fig`'s constrained layout once and keep it (re-solving it doubles a redraw).

    ``draw_without_rendering`` rather than ``fig.canvas.draw()``: once ``plt.close`` has
    detached the figure from pyplot its canvas is a bare ``FigureCanvasBase``, whose
    ``draw`` does nothing, so the layout would never be solved.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def add_choice_markers(
    ax: Axes, optimum_gid: str, kaplan_gid: str, labels: tuple[str | None, str | None] = (None, None)
) -> None:
    """Add the two moving markers (the law's optimum, Kaplan's choice) as placeholders to `ax`."""
    black, orange = plotting.PALETTE["black"], plotting.PALETTE["orange"]
    ax.plot(
        [1.0],
        [1.0],
        "o",
        color="white",
        markeredgecolor=black,
        markersize=9,
        gid=optimum_gid,
        label=labels[0],
    )
    ax.plot(
        [1.0], [1.0], "s", color=orange, markeredgecolor=black, markersize=8, gid=kaplan_gid, label=labels[1]
    )


class _Pixels(Artist):
    """An RGBA image copied to the canvas at (0, 0) as it is: no resampling, no colour map.

    Cheaper than ``figimage``, which resamples its image on every draw, and drawn
    behind everything else (``zorder`` -1). The image is only valid for the Agg renderer
    it was made for (same size, dpi and figure bounding box); `matches` tells whether a
    renderer is one, and the static artists draw themselves whenever it is not.
    """

    def __init__(self, rgba: np.ndarray, dpi: float, figure_bounds: tuple[float, ...]) -> None:
        super().__init__()
        self._rgba = rgba
        self._dpi = dpi
        self._figure_bounds = figure_bounds
        self.set_zorder(-1)

    def matches(self, renderer: RendererBase) -> bool:
        """Whether `renderer` draws the figure exactly as the cached image was drawn."""
        height, width = self._rgba.shape[:2]
        figure = self.get_figure(root=True)
        return (
            isinstance(renderer, RendererAgg)
            and (renderer.width, renderer.height) == (width, height)
            and renderer.dpi == self._dpi
            and figure is not None
            and tuple(figure.bbox.bounds) == self._figure_bounds
        )

    def draw(self, renderer: RendererBase) -> None:
        if not self.get_visible() or not self.matches(renderer):
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self._rgba)
        gc.restore()


def draw_unless_cached(artist: Artist, pixels: _Pixels) -> None:
    """Make `artist` skip its draw whenever `pixels` already shows it."""
    draw = artist.draw

    def draw_unless_cached(renderer: RendererBase) -> None:
        if not pixels.matches(renderer):
            draw(renderer)

    artist.draw = draw_unless_cached  # type: ignore[method-assign]


def show_static_parts_as_one_image(fig: Figure, dynamic: Sequence[Artist]) -> None:
    """Render every artist of `fig` except `dynamic` once, and show that image behind them.

    Afterwards a draw at the figure's own size and dpi (what the explorers' own PNGs
    use) only renders the image and the dynamic artists: ticks, labels, contours and
    colour bar are not recomputed on every slider move. Any other draw (another dpi,
    "retina", a tight bounding box, a vector format) draws the static artists as usual:
    slower, but right. Call after the layout is frozen.
    """
    for artist in dynamic:
        artist.set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="rgba", dpi=fig.dpi, bbox_inches=whole_figure_bbox(fig))
    width = round(fig.bbox.width)
    # savefig's rows run top to bottom; the renderer's draw_image wants them bottom to top
    rows = np.frombuffer(buffer.getvalue(), dtype=np.uint8).reshape(-1, width, 4)
    background = np.ascontiguousarray(rows[::-1])
    for artist in dynamic:
        artist.set_visible(True)
    pixels = _Pixels(background, fig.dpi, tuple(fig.bbox.bounds))
    hosts = {artist.axes for artist in dynamic} - {None}
    for child in fig.get_children():
        if child is fig.patch or child in dynamic:
            continue
        if child not in hosts:
            draw_unless_cached(child, pixels)
            continue
        for grandchild in child.get_children():
            if grandchild not in dynamic:
                draw_unless_cached(grandchild, pixels)
    fig.add_artist(pixels)


def whole_figure_bbox(fig: Figure) -> Bbox | None:
    """A ``bbox_inches`` for savefig that means "the whole figure" whatever the rcParams.

    ``None`` falls back to ``rcParams["savefig.bbox"]``, which may be "tight".
    """
    return fig.bbox_inches if mpl.rcParams["savefig.bbox"] == "tight" else None


def alt_text(fig: Figure) -> str:
    """What `fig` shows, in words: the quantities each panel plots and the figure's title.

    The title carries the numbers of the current slider position, so the text follows
    the figure as it is redrawn.
    """
    panels = [f"{ax.get_ylabel()} against {ax.get_xlabel()}" for ax in fig.axes if ax.get_xlabel()]
    titles = [text.get_text() for text in fig.texts] + [ax.get_title() for ax in fig.axes]
    title = " ".join(" ".join(titles).split())
    return f"Plot of {'; '.join(panels)}. {title}" if title else f"Plot of {'; '.join(panels)}."


def lines_by_gid(fig: Figure) -> dict[str, Line2D]:
    """The lines an update moves: every line of `fig` that carries a gid, by gid."""
    return {gid: line for axes in fig.axes for line in axes.lines if (gid := line.get_gid())}


def text_by_gid(fig: Figure, gid: str) -> Text:
    """The figure-level text (a title an update rewrites) whose gid is `gid`."""
    return next(text for text in fig.texts if text.get_gid() == gid)


def prepared_for_redraws(fig: Figure, gids: set[str]) -> Figure:
    """`fig` ready for fast redraws: closed to pyplot, layout frozen, static parts one image.

    Every artist whose gid is not in `gids` is drawn once into a single cached image.
    """
    plt.close(fig)
    freeze_layout(fig)
    dynamic: list[Artist] = [line for axes in fig.axes for line in axes.lines if line.get_gid() in gids]
    dynamic += [text for text in fig.texts if text.get_gid() in gids]
    show_static_parts_as_one_image(fig, dynamic)
    return fig


def log_slider_explorer(
    fig: Figure,
    update: Callable[[float], object],
    value: float,
    bounds: tuple[float, float],
    description: str,
    **options: object,
) -> ipw.VBox:
    """A base-10 log slider over `bounds` above `fig`: each move calls ``update(value)`` and shows `fig`.

    The slider has no readout: the figure's title gives the value exactly, where the
    readout would round it. `options` are further ``ipywidgets.FloatLogSlider`` arguments.
    """
    low, high = np.log10(bounds)
    slider = ipw.FloatLogSlider(
        value=value,
        base=10,
        min=low,
        max=high,
        step=0.01,
        description=description,
        readout=False,
        continuous_update=True,
        layout=ipw.Layout(width="60%"),
        **options,
    )
    output = ipw.Output()

    def redraw(_change: object = None) -> None:
        update(slider.value)
        show_png(output, fig)

    slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([slider, output])


def show_png(output: ipw.Output, fig: Figure) -> None:
    """Show `fig` in `output` as a PNG at its own size and dpi, with `alt_text` as its alt.

    Rendered here rather than by the notebook's inline backend, whose settings
    ("retina", ``bbox_inches="tight"``) would otherwise change what the widget shows.
    An HTML ``<img>`` rather than an ``image/png`` output: JupyterLab and the website's
    widget manager show a PNG output with no alt text.

    The output is replaced by assigning ``output.outputs`` in the kernel, not captured with
    ``with output: display(...)``. Under capture, a kernel client with no browser (nbclient
    in the book build) echoes each captured output back to the kernel on the shell channel
    while it waits on that channel for the cell's reply, and pyzmq can then miss the reply
    until the cell's whole execution timeout has passed: chapter 2's build stalled 120 s.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches=whole_figure_bbox(fig))
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    image = f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt_text(fig))}">'
    output.outputs = ({"output_type": "display_data", "data": {"text/html": image}, "metadata": {}},)
