"""Tests for lib.widgets: the L(N, D) explorer's figure, its updates, its fast redraw, bad input."""

import base64
import html
import io
import re

import ipywidgets as ipw
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from figures import lines_by_gid, png_pixels, share_of_pixels_that_differ
from PIL import Image

from lib import widgets
from lib.compute import training_flops
from lib.laws import CHINCHILLA, EPOCH_REPLICATION, KAPLAN, LECTURE_TOY
from lib.models import GOPHER_BUDGET
from lib.view import plotting

matplotlib.use("Agg")

DYNAMIC = [
    "lnd-budget",
    "lnd-optimum",
    "lnd-kaplan",
    "lnd-profile",
    "lnd-profile-optimum",
    "lnd-profile-kaplan",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_lnd_figure_has_contours_colour_bar_iso_flop_lines_and_the_moving_artists():
    fig = widgets.lnd_figure()
    ax, ax_profile, colour_bar = fig.axes
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax_profile.get_xscale() == "log"
    assert len(ax.collections) == 1, "one filled contour set, drawn once"
    assert colour_bar.get_ylabel() == "L (nats/token)"
    assert set(DYNAMIC) <= set(lines_by_gid(fig))
    # five fixed budgets, white on the contours and grey in the profile panel
    assert sum(line.get_gid() == "lnd-iso-flop" for line in ax.lines) == 5
    assert sum(line.get_gid() is None for line in ax_profile.lines) == 5
    assert len(fig.legends) == 1
    assert "C = 5.76e23 FLOPs" in fig.texts[0].get_text()


def test_lnd_figure_labels_its_axes_with_units():
    ax, ax_profile, _ = widgets.lnd_figure().axes
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("N (parameters)", "D (tokens)")
    assert "nats/token" in ax_profile.get_ylabel()


@pytest.mark.parametrize("budget", [1e18, 3.3e20, GOPHER_BUDGET, 1e26])
def test_update_moves_the_markers_to_the_optimum_and_to_kaplans_choice(budget):
    fig = widgets.lnd_figure(budget=1e21)
    widgets.update_lnd_figure(fig, budget)
    lines = lines_by_gid(fig)
    N_opt, D_opt = CHINCHILLA.optimal_allocation(budget)
    N_kap, D_kap = KAPLAN.allocation(budget)
    assert lines["lnd-optimum"].get_xydata()[0] == pytest.approx([N_opt, D_opt], rel=1e-12)
    assert lines["lnd-kaplan"].get_xydata()[0] == pytest.approx([N_kap, D_kap], rel=1e-12)
    assert lines["lnd-profile-optimum"].get_xydata()[0] == pytest.approx(
        [N_opt, CHINCHILLA.loss(N_opt, D_opt)], rel=1e-12
    )
    N, D = lines["lnd-budget"].get_data()
    assert np.allclose(training_flops(N, D), budget, rtol=1e-12)
    assert np.allclose(lines["lnd-profile"].get_ydata(), CHINCHILLA.loss(N, D), rtol=1e-12)


def test_the_optimum_is_the_lowest_point_of_the_highlighted_profile():
    fig = widgets.lnd_figure(budget=1e22)
    lines = lines_by_gid(fig)
    assert lines["lnd-profile-optimum"].get_ydata()[0] <= lines["lnd-profile"].get_ydata().min() + 1e-12


def test_update_reuses_the_artists():
    fig = widgets.lnd_figure()
    before = [(len(axes.lines), len(axes.collections), len(axes.texts)) for axes in fig.axes]
    optimum = lines_by_gid(fig)["lnd-optimum"]
    widgets.update_lnd_figure(fig, 1e20)
    after = [(len(axes.lines), len(axes.collections), len(axes.texts)) for axes in fig.axes]
    assert before == after and lines_by_gid(fig)["lnd-optimum"] is optimum


@pytest.mark.parametrize("law", [EPOCH_REPLICATION, LECTURE_TOY])
def test_other_chinchilla_form_laws_get_their_own_optimum(law):
    fig = widgets.lnd_figure(law, 1e22)
    assert lines_by_gid(fig)["lnd-optimum"].get_xdata()[0] == pytest.approx(law.optimal_allocation(1e22)[0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: widgets.lnd_figure(KAPLAN), "law must be a ChinchillaLaw .* got KaplanLaw"),
        (lambda: widgets.lnd_figure(budget=-1e20), "budget must be positive, got -1e"),
        (lambda: widgets.lnd_figure(budget=np.nan), "budget must be finite"),
        (lambda: widgets.lnd_figure(budget=1e30), "budget must be between 1e.18 and 1e.26 FLOPs, got 1e.30"),
        (lambda: widgets.lnd_figure(budget=[1e20, 1e21]), "budget must be a single number"),
        (lambda: widgets.update_lnd_figure(widgets.lnd_figure(), 1e10), "budget must be between"),
        (lambda: widgets.lnd_explorer(budget=0), "budget must be positive"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.slow  # renders both figures to PNG
def test_the_fast_explorer_figure_renders_the_same_pixels_as_the_static_figure():
    # the explorer shows its static parts as one pre-rendered image; a misplaced or
    # flipped image, or a stale static artist, would change many pixels
    plotting.use_house_style()
    fast = widgets.lnd._lnd_explorer_figure(CHINCHILLA, GOPHER_BUDGET)
    widgets.update_lnd_figure(fast, 3e19)
    static = widgets.lnd_figure(budget=3e19)
    assert share_of_pixels_that_differ(fast, static) < 1e-3


def test_the_explorer_slider_spans_the_budgets_on_a_log_scale_and_redraws(monkeypatch):
    explorer = widgets.lnd_explorer()
    slider = explorer.children[0]
    assert isinstance(slider, ipw.FloatLogSlider)
    assert (slider.base, 10.0**slider.min, 10.0**slider.max) == (10, *widgets.LND_BUDGET_RANGE)
    assert slider.value == pytest.approx(GOPHER_BUDGET)
    budgets = []
    monkeypatch.setattr(widgets.lnd, "update_lnd_figure", lambda fig, budget, law: budgets.append(budget))
    slider.value = 1e20
    assert budgets == [pytest.approx(1e20)]


def test_freezing_the_layout_solves_it_first_even_for_a_closed_figure():
    # after plt.close a figure's canvas is a bare FigureCanvasBase whose draw() does nothing
    fig = widgets.power_law_figure()
    reference = widgets.power_law_figure()
    reference.draw_without_rendering()
    plt.close(fig)
    widgets.core.freeze_layout(fig)
    assert fig.axes[0].get_position().bounds == pytest.approx(reference.axes[0].get_position().bounds)
    default = plt.figure(figsize=fig.get_size_inches()).add_subplot().get_position().bounds
    assert fig.axes[0].get_position().bounds != pytest.approx(default)


def _rendered(fig, **kwargs) -> np.ndarray:
    from IPython.core.pylabtools import print_figure

    return np.asarray(Image.open(io.BytesIO(print_figure(fig, **kwargs))).convert("RGB")).astype(int)


def _marker_centre(pixels: np.ndarray, colour: str) -> np.ndarray:
    rgb = np.array(matplotlib.colors.to_rgb(colour)) * 255
    rows, columns = np.nonzero(np.abs(pixels - rgb).max(axis=2) < 20)
    return np.array([rows.mean(), columns.mean()])


@pytest.mark.slow  # renders the figures three times over, at up to twice the dpi
@pytest.mark.parametrize(
    "kwargs",
    [
        {"fmt": "retina", "bbox_inches": None},  # %config InlineBackend.figure_format = "retina"
        {"fmt": "png", "bbox_inches": "tight"},  # IPython's default inline backend
        {"fmt": "retina", "bbox_inches": "tight"},
    ],
)
def test_the_fast_explorer_figure_is_right_at_another_dpi_or_with_a_tight_bounding_box(kwargs):
    # the cached background only fits a draw at the figure's own size and dpi; any other
    # draw must draw the static parts as usual, with the moving artists where they belong
    plotting.use_house_style()
    fast = widgets.lnd._lnd_explorer_figure(CHINCHILLA, GOPHER_BUDGET)
    widgets.update_lnd_figure(fast, 3e19)
    reference = widgets.lnd_figure(budget=3e19)  # the same frozen layout, without the cache
    widgets.core.freeze_layout(reference)
    fast_pixels, reference_pixels = _rendered(fast, **kwargs), _rendered(reference, **kwargs)
    assert fast_pixels.shape == reference_pixels.shape
    assert (np.abs(fast_pixels - reference_pixels).max(axis=2) > 30).mean() < 1e-3
    colour = lines_by_gid(fast)["lnd-profile-optimum"].get_markerfacecolor()
    assert _marker_centre(fast_pixels, colour) == pytest.approx(
        _marker_centre(reference_pixels, colour), abs=1
    )


_SHOWN_IMAGE = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)">')


def _shown_image(explorer) -> str:
    """The one output of an explorer's Output widget (its last child): the ``<img>`` it shows."""
    (shown,) = explorer.children[-1].outputs
    assert shown["output_type"] == "display_data"
    return shown["data"]["text/html"]


def test_the_explorers_show_their_own_png_whatever_the_inline_backend():
    # "retina" or a tight bounding box in the notebook must not change what the widget shows
    plotting.use_house_style()
    explorer = widgets.lnd_explorer()
    fast = widgets.lnd._lnd_explorer_figure(CHINCHILLA, GOPHER_BUDGET)
    png = base64.b64decode(_SHOWN_IMAGE.fullmatch(_shown_image(explorer)).group(1))
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), png_pixels(fast))
    assert _SHOWN_IMAGE.fullmatch(_shown_image(widgets.power_law_explorer()))


def test_the_explorer_image_has_alt_text_that_follows_the_slider():
    explorer = widgets.lnd_explorer()
    shown = [_shown_image(explorer)]
    explorer.children[0].value = 1e21
    shown.append(_shown_image(explorer))  # replaced, not appended to
    alts = [html.unescape(_SHOWN_IMAGE.fullmatch(image).group(2)) for image in shown]
    assert alts[0].startswith("Plot of D (tokens) against N (parameters); L (nats/token) along C = 6ND")
    assert "C = 5.76e23 FLOPs: optimum" in alts[0] and "Kaplan et al.'s rule" in alts[0]
    assert "C = 1.00e21 FLOPs" in alts[1]


def test_the_power_law_explorer_keeps_its_y_limits_and_redraws_like_the_uncached_figure(monkeypatch):
    figures = []
    show_png = widgets.core.show_png
    monkeypatch.setattr(
        widgets.power_law, "show_png", lambda output, fig: (figures.append(fig), show_png(output, fig))
    )
    explorer = widgets.power_law_explorer()
    alpha_slider, floor_slider = explorer.children[0].children
    fig = figures[-1]
    ylim = fig.axes[0].get_ylim()
    alpha_slider.value, floor_slider.value = 0.8, 0.0
    assert fig.axes[0].get_ylim() == ylim
    # both curves stay inside the fixed limits at the sliders' extremes
    for line in fig.axes[0].lines[:2]:
        assert ylim[0] <= line.get_ydata().min() and line.get_ydata().max() <= ylim[1]
    assert "α = 0.80" in fig.axes[0].get_title()
    reference = widgets.power_law_figure(0.8, 0.0)
    widgets.update_power_law_figure(reference, 0.8, 0.0, widgets.power_law._DEFAULT.coefficient, ylim=ylim)
    widgets.core.freeze_layout(reference)
    for kwargs in ({"fmt": "png", "bbox_inches": None}, {"fmt": "retina", "bbox_inches": "tight"}):
        fast_pixels, reference_pixels = _rendered(fig, **kwargs), _rendered(reference, **kwargs)
        assert fast_pixels.shape == reference_pixels.shape
        assert (np.abs(fast_pixels - reference_pixels).max(axis=2) > 30).mean() < 1e-3
