"""Interactive explorers (ipywidgets) and the static figures of their default state.

A widget needs a running kernel; the website shows the static figure drawn by the same
function, so the two never disagree. Each explorer draws its figure once and, on every
slider move, only updates the data of the artists that change, then shows the figure
again as a PNG (what a notebook displays), which must take at most 50 ms.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556:
Fig. 3 (IsoFLOP profiles), Fig. 4 (loss contours with iso-FLOP lines), App. D.4.
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, eq. 6.1.
Sardana et al. 2024, "Beyond Chinchilla-Optimal", arXiv:2401.00448 (the inference explorer).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from types import MappingProxyType

import ipywidgets as ipw
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from lib import _validate, inference, plotting
from lib.compute import training_flops
from lib.datalimits import TEXT_STOCK_INTERVAL, TEXT_STOCK_TOKENS
from lib.hardware import GPU, flops_from_cluster, gpu, gpu_table, reported_runs
from lib.laws import CHINCHILLA, KAPLAN, ChinchillaLaw
from lib.literature import published_law
from lib.powerlaw import PowerLaw

__all__ = [
    "power_law_figure",
    "update_power_law_figure",
    "power_law_explorer",
    "GOPHER_BUDGET",
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

_N = np.logspace(6, 13, 200)
_DEFAULT = published_law("hoffmann2022_N").law
_WITH_FLOOR, _REDUCIBLE, _FLOOR = "with-floor", "reducible", "floor"


def _freeze_layout(fig: Figure) -> None:
    """Solve `fig`'s constrained layout once and keep it (re-solving it doubles a redraw).

    ``draw_without_rendering`` rather than ``fig.canvas.draw()``: once ``plt.close`` has
    detached the figure from pyplot its canvas is a bare ``FigureCanvasBase``, whose
    ``draw`` does nothing, so the layout would never be solved.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


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
    _freeze_layout(fig)
    ax = fig.axes[0]
    # a title with a fixed position: otherwise every draw measures the tick labels to place it
    ax.set_title(ax.get_title(), y=ax.title.get_position()[1])
    _show_static_parts_as_one_image(fig, [*ax.lines, ax.title])

    def redraw(_change: object = None) -> None:
        update_power_law_figure(fig, alpha_slider.value, floor_slider.value, coefficient, ylim=ylim)
        _show_png(output, fig)

    alpha_slider.observe(redraw, names="value")
    floor_slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([ipw.HBox([alpha_slider, floor_slider]), output])


# ---- L(N, D) with iso-FLOP lines ---------------------------------------------------------

GOPHER_BUDGET = 5.76e23
"""Gopher's training compute in FLOPs (Hoffmann et al. 2022, Fig. 2 and App. F)."""

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


def _si(x: float) -> str:
    """``3.2e10`` → ``"32B"``: parameters and tokens in the units papers use."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if x >= scale:
            return f"{x / scale:.3g}{suffix}"
    return f"{x:.3g}"


def _tokens_on_budget_line(budget: float) -> np.ndarray:
    return budget / training_flops(_LND_N, 1.0)


def _add_choice_markers(
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
    budgets = np.logspace(*np.log10(LND_BUDGET_RANGE), 33)
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
    _add_choice_markers(ax, _OPTIMUM, _KAPLAN)
    plotting.label_loglog(ax, "N (parameters)", "D (tokens)")
    ax.set(xlim=(_LND_N[0], _LND_N[-1]), ylim=(_LND_D[0], _LND_D[-1]))
    ax_profile.plot(_LND_N, _LND_N, color=colours["vermillion"], linewidth=2.2, gid=_PROFILE)
    _add_choice_markers(
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
    >>> fig = lnd_figure()
    >>> update_lnd_figure(fig, 1e22)
    >>> optimum = [line for line in fig.axes[0].lines if line.get_gid() == "lnd-optimum"][0]
    >>> round(float(optimum.get_xdata()[0]) / 1e9, 2)  # CHINCHILLA.optimal_allocation(1e22)[0]
    5.16
    >>> plt.close(fig)
    """
    budget = _check_lnd_input(law, budget)
    lines = _lines_by_gid(fig)
    D_line = _tokens_on_budget_line(budget)
    N_opt, D_opt = law.optimal_allocation(budget)
    N_kap, D_kap = KAPLAN.allocation(budget)
    L_opt, L_kap = law.loss(N_opt, D_opt), law.loss(N_kap, D_kap)
    lines[_BUDGET_LINE].set_ydata(D_line)
    lines[_OPTIMUM].set_data([N_opt], [D_opt])
    lines[_KAPLAN].set_data([N_kap], [D_kap])
    lines[_PROFILE].set_ydata(law.loss(_LND_N, D_line))
    lines[_PROFILE_OPTIMUM].set_data([N_opt], [L_opt])
    lines[_PROFILE_KAPLAN].set_data([N_kap], [L_kap])
    title = _text_by_gid(fig, _TITLE)
    title.set_text(
        f"C = {budget:.2e}".replace("e+", "e")
        + f" FLOPs: optimum {_si(N_opt)} parameters on {_si(D_opt)} tokens, "
        f"L = {L_opt:.3f}\nKaplan et al.'s rule: {_si(N_kap)} parameters on {_si(D_kap)} tokens, "
        f"L = {L_kap:.3f}"
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


def _draw_unless_cached(artist: Artist, pixels: _Pixels) -> None:
    """Make `artist` skip its draw whenever `pixels` already shows it."""
    draw = artist.draw

    def draw_unless_cached(renderer: RendererBase) -> None:
        if not pixels.matches(renderer):
            draw(renderer)

    artist.draw = draw_unless_cached  # type: ignore[method-assign]


def _show_static_parts_as_one_image(fig: Figure, dynamic: Sequence[Artist]) -> None:
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
    fig.savefig(buffer, format="rgba", dpi=fig.dpi, bbox_inches=_whole_figure_bbox(fig))
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
            _draw_unless_cached(child, pixels)
            continue
        for grandchild in child.get_children():
            if grandchild not in dynamic:
                _draw_unless_cached(grandchild, pixels)
    fig.add_artist(pixels)


def _whole_figure_bbox(fig: Figure) -> Bbox | None:
    """A ``bbox_inches`` for savefig that means "the whole figure" whatever the rcParams.

    ``None`` falls back to ``rcParams["savefig.bbox"]``, which may be "tight".
    """
    return fig.bbox_inches if mpl.rcParams["savefig.bbox"] == "tight" else None


def _alt_text(fig: Figure) -> str:
    """What `fig` shows, in words: the quantities each panel plots and the figure's title.

    The title carries the numbers of the current slider position, so the text follows
    the figure as it is redrawn.
    """
    panels = [f"{ax.get_ylabel()} against {ax.get_xlabel()}" for ax in fig.axes if ax.get_xlabel()]
    titles = [text.get_text() for text in fig.texts] + [ax.get_title() for ax in fig.axes]
    title = " ".join(" ".join(titles).split())
    return f"Plot of {'; '.join(panels)}. {title}" if title else f"Plot of {'; '.join(panels)}."


def _lines_by_gid(fig: Figure) -> dict[str, Line2D]:
    """The lines an update moves: every line of `fig` that carries a gid, by gid."""
    return {line.get_gid(): line for axes in fig.axes for line in axes.lines if line.get_gid()}


def _text_by_gid(fig: Figure, gid: str) -> Text:
    """The figure-level text (a title an update rewrites) whose gid is `gid`."""
    return next(text for text in fig.texts if text.get_gid() == gid)


def _prepared_for_redraws(fig: Figure, gids: set[str]) -> Figure:
    """`fig` ready for fast redraws: closed to pyplot, layout frozen, static parts one image.

    Every artist whose gid is not in `gids` is drawn once into a single cached image.
    """
    plt.close(fig)
    _freeze_layout(fig)
    dynamic: list[Artist] = [line for axes in fig.axes for line in axes.lines if line.get_gid() in gids]
    dynamic += [text for text in fig.texts if text.get_gid() in gids]
    _show_static_parts_as_one_image(fig, dynamic)
    return fig


def _show_png(output: ipw.Output, fig: Figure) -> None:
    """Show `fig` in `output` as a PNG at its own size and dpi, with `_alt_text` as its alt.

    Rendered here rather than by the notebook's inline backend, whose settings
    ("retina", ``bbox_inches="tight"``) would otherwise change what the widget shows.
    An HTML ``<img>`` rather than an ``image/png`` output: JupyterLab and the website's
    widget manager show a PNG output with no alt text.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches=_whole_figure_bbox(fig))
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    image = f'<img src="data:image/png;base64,{data}" alt="{html.escape(_alt_text(fig))}">'
    with output:
        output.clear_output(wait=True)
        display(HTML(image))


def _lnd_explorer_figure(law: ChinchillaLaw, budget: float) -> Figure:
    """`lnd_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_BUDGET_LINE, _OPTIMUM, _KAPLAN, _PROFILE, _PROFILE_OPTIMUM, _PROFILE_KAPLAN, _TITLE}
    return _prepared_for_redraws(lnd_figure(law, budget), moving)


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
    low, high = np.log10(LND_BUDGET_RANGE)
    slider = ipw.FloatLogSlider(
        value=budget,
        base=10,
        min=low,
        max=high,
        step=0.01,
        description="budget C",
        readout=False,  # the figure's title gives C exactly; the readout would round it
        continuous_update=True,
        layout=ipw.Layout(width="60%"),
    )
    output = ipw.Output()
    fig = _lnd_explorer_figure(law, budget)

    def redraw(_change: object = None) -> None:
        update_lnd_figure(fig, slider.value, law)
        _show_png(output, fig)

    slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([slider, output])


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


def _check_inference_input(law: object, target_loss: float, D_inference: float) -> tuple[float, float]:
    target_loss = _validate.scalar(target_loss, "target_loss", _validate.positive)
    inference.reducible_loss(law, target_loss)  # raises for a law that is not a ChinchillaLaw, or ℓ <= E
    D_inference = _validate.scalar(D_inference, "D_inference", _validate.positive)
    low, high = INFERENCE_TOKEN_RANGE
    if not low <= D_inference <= high:
        raise ValueError(
            f"D_inference must be between {low:.0e} and {high:.0e} tokens, got {D_inference:.3g}"
        )
    return target_loss, D_inference


def _iso_loss_curve(law: ChinchillaLaw, target_loss: float) -> tuple[np.ndarray, np.ndarray]:
    """Models on the iso-loss curve: N from 0.1× to 3× Chinchilla's choice, and their D."""
    N_c, _ = inference.chinchilla_allocation_for_loss(law, target_loss)
    N = N_c * np.logspace(-1, np.log10(3), _INF_CURVE_POINTS)
    N = N[law.model_term(N) < 0.999 * (target_loss - law.E)]  # only models that can reach it
    return N, inference.iso_loss_tokens(law, N, target_loss)


def default_inference_target(law: ChinchillaLaw = CHINCHILLA) -> float:
    """The loss of the compute-optimal model of `SARDANA_REFERENCE_N` parameters under `law`.

    Examples
    --------
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
    ax.set_xticks(ticks, [_si(tick) for tick in ticks])
    ax.set(
        xlim=(N_curve[0], N_curve[-1]),
        ylim=_INF_RELATIVE_LIM,
        xlabel="N (parameters)",
        ylabel="lifetime FLOPs / Chinchilla's",
    )
    N_opt, D_opt = inference.inference_aware_allocation(law, target_loss, _INF_DEMAND)
    N_c, D_c = inference.chinchilla_allocation_for_loss(law, target_loss)
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
    lines = _lines_by_gid(fig)
    N_curve, D_curve = _iso_loss_curve(law, target_loss)
    N_opt, D_opt = inference.inference_aware_allocation(law, target_loss, D_inference)
    N_c, D_c = inference.chinchilla_allocation_for_loss(law, target_loss)
    reference = inference.lifetime_flops(N_c, D_c, D_inference)
    lines[_INF_CURVE].set_data(N_curve, inference.lifetime_flops(N_curve, D_curve, D_inference) / reference)
    saving = inference.lifetime_saving(law, target_loss, D_inference)
    lines[_INF_OPTIMUM].set_data([N_opt], [1.0 - saving])
    lines[_INF_CHINCHILLA].set_data([N_c], [1.0])
    lines[_INF_MARK].set_xdata([D_inference, D_inference])
    lines[_INF_N_NOW].set_data([D_inference], [N_opt])
    lines[_INF_D_NOW].set_data([D_inference], [D_opt])
    title = _text_by_gid(fig, _INF_TITLE)
    title.set_text(
        f"L = {target_loss:.3f}, {D_inference:.2e}".replace("e+", "e")
        + f" tokens served: {_si(N_opt)} parameters on {_si(D_opt)} tokens "
        f"({D_opt / N_opt:.0f} per parameter), saving {saving:.1%}\n"
        f"Chinchilla's choice: {_si(N_c)} parameters on {_si(D_c)} tokens ({D_c / N_c:.0f} per parameter)"
    )


def _inference_explorer_figure(law: ChinchillaLaw, target_loss: float, D_inference: float) -> Figure:
    """`inference_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_INF_CURVE, _INF_OPTIMUM, _INF_CHINCHILLA, _INF_MARK, _INF_N_NOW, _INF_D_NOW, _INF_TITLE}
    return _prepared_for_redraws(inference_figure(law, target_loss, D_inference), moving)


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
    low, high = np.log10(INFERENCE_TOKEN_RANGE)
    slider = ipw.FloatLogSlider(
        value=D_inference,
        base=10,
        min=low,
        max=high,
        step=0.01,
        description="tokens served",
        readout=False,  # the figure's title gives the demand exactly
        continuous_update=True,
        style={"description_width": "initial"},
        layout=ipw.Layout(width="60%"),
    )
    output = ipw.Output()
    fig = _inference_explorer_figure(law, target_loss, D_inference)

    def redraw(_change: object = None) -> None:
        update_inference_figure(fig, slider.value, law, target_loss)
        _show_png(output, fig)

    slider.observe(redraw, names="value")
    redraw()
    return ipw.VBox([slider, output])


# ---- a training run on real hardware (chapter 5) -------------------------------------------

TRAINING_RUN_DEFAULTS = MappingProxyType(
    {"n_gpus": 1024.0, "days": 30.0, "utilisation": 0.4, "gpu_name": "H100"}
)
"""The explorer's starting run: 1,024 H100 for 30 days at 40 % of the dense BF16 peak."""

TRAINING_RUN_RANGES = MappingProxyType(
    {"n_gpus": (1.0, 1e6), "days": (1.0, 365.0), "utilisation": (0.05, 1.0)}
)
"""The ranges the explorer's sliders (and `training_run_figure`) accept."""

_RUN_C = np.logspace(17, 29.5, 126)  # FLOPs on the x axes
_RUN_REFERENCES = ("GPT-3 175B", "Chinchilla 70B", "Llama 3 405B")  # dense runs with N and D reported
_RUN_LOSS, _RUN_LOSS_GUIDE, _RUN_TOKENS, _RUN_TOKENS_GUIDE, _RUN_TITLE = (
    "run-loss",
    "run-loss-guide",
    "run-tokens",
    "run-tokens-guide",
    "run-title",
)


def _check_training_run_input(n_gpus: float, days: float, utilisation: float, gpu_name: str) -> GPU:
    values = {"n_gpus": n_gpus, "days": days, "utilisation": utilisation}
    for name, value in values.items():
        low, high = TRAINING_RUN_RANGES[name]
        value = _validate.scalar(value, name, _validate.positive)
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
    return gpu(gpu_name)


def _training_run_numbers(
    n_gpus: float, days: float, utilisation: float, gpu_name: str, law: ChinchillaLaw
) -> dict[str, float]:
    card = _check_training_run_input(n_gpus, days, utilisation, gpu_name)
    flops = float(np.asarray(flops_from_cluster(n_gpus, days, card.peak_dense_flops, utilisation)))
    N_opt, D_opt = law.optimal_allocation(flops)
    return {"flops": flops, "N": N_opt, "D": D_opt, "loss": law.loss(N_opt, D_opt)}


def training_run_figure(
    n_gpus: float = TRAINING_RUN_DEFAULTS["n_gpus"],
    days: float = TRAINING_RUN_DEFAULTS["days"],
    utilisation: float = TRAINING_RUN_DEFAULTS["utilisation"],
    gpu_name: str = TRAINING_RUN_DEFAULTS["gpu_name"],
    law: ChinchillaLaw = CHINCHILLA,
) -> Figure:
    """A training run's compute on `law`'s compute-optimal frontier, and the tokens it needs.

    The run delivers ``C = days × 86400 × n_gpus × peak × utilisation`` FLOPs
    (`lib.hardware.flops_from_cluster`, dense BF16 peak of `gpu_name`). Left: the loss of
    the compute-optimal model, ``law.loss_at_compute(C)``, with the run marked and, for
    comparison, GPT-3, Chinchilla and Llama 3 405B at their reported N and D. Right: the
    compute-optimal tokens ``D_opt(C)`` against the stock of public text (about 300T
    tokens, 90 % interval 100T-1000T, a secondary figure).

    Parameters
    ----------
    n_gpus, days, utilisation : float
        Cluster size, run length and fraction of the dense peak, within `TRAINING_RUN_RANGES`.
    gpu_name : str
        A name in `lib.hardware.gpu_table`.
    law : ChinchillaLaw
        The law whose compute-optimal allocation and loss are drawn.

    Returns
    -------
    Figure
        Two axes; `update_training_run_figure` moves the run.

    References
    ----------
    Hoffmann et al. 2022, §3.3 and App. D.2; Villalobos et al. 2024 (the stock).

    Examples
    --------
    >>> fig = training_run_figure()
    >>> sorted(line.get_gid() for line in fig.axes[0].lines if line.get_gid())
    ['run-loss', 'run-loss-guide']
    >>> plt.close(fig)
    """
    _check_training_run_input(n_gpus, days, utilisation, gpu_name)
    colours = plotting.PALETTE
    fig, (ax_loss, ax_tokens) = plotting.new_figure(ncols=2, width=10.0, height=4.4)
    ax_loss.plot(_RUN_C, law.loss_at_compute(_RUN_C), color=colours["blue"], label="compute-optimal loss")
    ax_tokens.plot(
        _RUN_C, law.optimal_allocation(_RUN_C)[1], color=colours["blue"], label="compute-optimal D"
    )
    runs = reported_runs()
    for name, marker in zip(_RUN_REFERENCES, "^sD", strict=True):
        run = runs[name]
        C = run.flops_6nd
        ax_loss.plot(
            C, law.loss(run.params, run.tokens), marker, color=colours["orange"], markeredgecolor="black"
        )
        ax_tokens.plot(C, run.tokens, marker, color=colours["orange"], markeredgecolor="black", label=name)
    low, high = TEXT_STOCK_INTERVAL
    stock_label = "text stock: 300T, 90 % interval 100T-1000T"
    ax_tokens.axhspan(low, high, color=colours["green"], alpha=0.15, label=stock_label)
    ax_tokens.axhline(TEXT_STOCK_TOKENS, color=colours["green"], linestyle="--", linewidth=1.2)
    for axes, gid in ((ax_loss, _RUN_LOSS_GUIDE), (ax_tokens, _RUN_TOKENS_GUIDE)):
        axes.axvline(1e20, color=colours["vermillion"], linestyle=":", linewidth=1.2, gid=gid)
    ax_loss.plot(
        [1e20], [2.0], "o", color=colours["vermillion"], markeredgecolor="black", markersize=9, gid=_RUN_LOSS
    )
    ax_tokens.plot(
        [1e20],
        [1e12],
        "o",
        color=colours["vermillion"],
        markeredgecolor="black",
        markersize=9,
        gid=_RUN_TOKENS,
        label="this run",
    )
    ax_loss.set_xscale("log")
    ax_loss.set(xlabel="C (FLOPs)", ylabel="L (nats/token)", xlim=(_RUN_C[0], _RUN_C[-1]), ylim=(law.E, 3.5))
    ax_loss.axhline(law.E, color=colours["black"], linestyle=":", linewidth=1)
    plotting.label_loglog(ax_tokens, "C (FLOPs)", "D (tokens)")
    ax_tokens.set(xlim=(_RUN_C[0], _RUN_C[-1]), ylim=(1e9, 1e16))
    fig.legend(*ax_tokens.get_legend_handles_labels(), loc="outside lower center", ncols=4, fontsize=9)
    for axes in (ax_loss, ax_tokens):
        axes.minorticks_off()  # unlabelled minor ticks double the cost of every redraw
    fig.suptitle(" ", fontsize=11, fontweight="normal", gid=_RUN_TITLE)
    update_training_run_figure(fig, n_gpus, days, utilisation, gpu_name, law)
    return fig


def update_training_run_figure(
    fig: Figure,
    n_gpus: float,
    days: float,
    utilisation: float,
    gpu_name: str,
    law: ChinchillaLaw = CHINCHILLA,
) -> None:
    """Move a figure made by `training_run_figure` to another run (no new artists).

    Examples
    --------
    >>> fig = training_run_figure()
    >>> update_training_run_figure(fig, 16384, 70, 0.4, "H100")
    >>> point = [line for line in fig.axes[0].lines if line.get_gid() == "run-loss"][0]
    >>> f"{point.get_xdata()[0]:.3g}"  # FLOPs of 16K H100 for 70 days at 40 %
    '3.92e+25'
    >>> plt.close(fig)
    """
    numbers = _training_run_numbers(n_gpus, days, utilisation, gpu_name, law)
    flops = numbers["flops"]
    lines = _lines_by_gid(fig)
    lines[_RUN_LOSS].set_data([flops], [numbers["loss"]])
    lines[_RUN_TOKENS].set_data([flops], [numbers["D"]])
    for gid in (_RUN_LOSS_GUIDE, _RUN_TOKENS_GUIDE):
        lines[gid].set_xdata([flops, flops])
    title = _text_by_gid(fig, _RUN_TITLE)
    share = numbers["D"] / TEXT_STOCK_TOKENS
    title.set_text(
        f"{n_gpus:,.0f} × {gpu_name} for {days:.0f} days at {utilisation:.0%} of peak: "
        + f"C = {flops:.2e}".replace("e+", "e")
        + f" FLOPs\ncompute-optimal {_si(numbers['N'])} parameters on {_si(numbers['D'])} tokens "
        f"({share:.1%} of a 300T stock), L = {numbers['loss']:.3f}"
    )


def _training_run_explorer_figure(
    n_gpus: float, days: float, utilisation: float, gpu_name: str, law: ChinchillaLaw
) -> Figure:
    """`training_run_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_RUN_LOSS, _RUN_LOSS_GUIDE, _RUN_TOKENS, _RUN_TOKENS_GUIDE, _RUN_TITLE}
    return _prepared_for_redraws(training_run_figure(n_gpus, days, utilisation, gpu_name, law), moving)


def training_run_explorer(
    n_gpus: float = TRAINING_RUN_DEFAULTS["n_gpus"],
    days: float = TRAINING_RUN_DEFAULTS["days"],
    utilisation: float = TRAINING_RUN_DEFAULTS["utilisation"],
    gpu_name: str = TRAINING_RUN_DEFAULTS["gpu_name"],
    law: ChinchillaLaw = CHINCHILLA,
) -> ipw.VBox:
    """Sliders for GPUs, days and utilisation and a GPU menu, moving `training_run_figure`.

    Parameters
    ----------
    n_gpus, days, utilisation, gpu_name : float, float, float, str
        The starting run, as in `training_run_figure`.
    law : ChinchillaLaw
        The law drawn.

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure; needs a running kernel to respond.
    """
    _check_training_run_input(n_gpus, days, utilisation, gpu_name)
    low, high = np.log10(TRAINING_RUN_RANGES["n_gpus"])
    gpus_slider = ipw.FloatLogSlider(
        value=n_gpus, base=10, min=low, max=high, step=0.05, description="GPUs", readout_format=",.0f"
    )
    days_low, days_high = TRAINING_RUN_RANGES["days"]
    days_slider = ipw.FloatSlider(
        value=days, min=days_low, max=days_high, step=1, description="days", readout_format=".0f"
    )
    util_low, util_high = TRAINING_RUN_RANGES["utilisation"]
    util_slider = ipw.FloatSlider(
        value=utilisation,
        min=util_low,
        max=util_high,
        step=0.01,
        description="utilisation",
        readout_format=".0%",
    )
    gpu_menu = ipw.Dropdown(options=list(gpu_table()), value=gpu_name, description="GPU")
    output = ipw.Output()
    fig = _training_run_explorer_figure(n_gpus, days, utilisation, gpu_name, law)

    def redraw(_change: object = None) -> None:
        update_training_run_figure(
            fig, gpus_slider.value, days_slider.value, util_slider.value, gpu_menu.value, law
        )
        _show_png(output, fig)

    for control in (gpus_slider, days_slider, util_slider, gpu_menu):
        control.observe(redraw, names="value")
    redraw()
    controls = ipw.VBox([ipw.HBox([gpus_slider, days_slider]), ipw.HBox([util_slider, gpu_menu])])
    return ipw.VBox([controls, output])
