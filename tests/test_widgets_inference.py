"""Tests for the inference explorer of lib.widgets (chapter 6): figure, updates, fast redraw, bad input."""

import ipywidgets as ipw
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from figures import lines_by_gid, share_of_pixels_that_differ

from lib import inference, widgets
from lib.laws import CHINCHILLA, EPOCH_REPLICATION
from lib.view import plotting

matplotlib.use("Agg")

DYNAMIC = ["inf-curve", "inf-optimum", "inf-chinchilla", "inf-mark", "inf-n-now", "inf-d-now"]
TARGET = widgets.default_inference_target()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_the_default_target_is_the_loss_of_a_compute_optimal_13B_model():
    # Sardana et al.'s example size (Fig. 1 caption, secondary sources)
    N, D = inference.chinchilla_allocation_for_loss(CHINCHILLA, TARGET)
    assert N == pytest.approx(13e9, rel=1e-9)
    assert CHINCHILLA.loss(13e9, inference.compute_optimal_tokens(CHINCHILLA, 13e9)) == pytest.approx(TARGET)


def test_the_figure_has_two_labelled_axes_the_moving_artists_and_one_legend():
    fig = widgets.inference_figure()
    ax, ax_demand = fig.axes
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"
    assert ax_demand.get_xscale() == ax_demand.get_yscale() == "log"
    assert ax.get_xlabel() == "N (parameters)" and "tokens" in ax_demand.get_xlabel()
    assert set(DYNAMIC) <= set(lines_by_gid(fig))
    assert len(fig.legends) == 1
    assert "2.00e12 tokens served" in fig.texts[0].get_text()


@pytest.mark.parametrize("demand", [1e9, 3e11, 2e12, 1e14, 1e16])
def test_update_moves_the_markers_to_what_lib_computes(demand):
    fig = widgets.inference_figure(D_inference=1e12)
    widgets.update_inference_figure(fig, demand)
    lines = lines_by_gid(fig)
    N_opt, D_opt = inference.inference_aware_allocation(CHINCHILLA, TARGET, demand)
    N_c, _ = inference.chinchilla_allocation_for_loss(CHINCHILLA, TARGET)
    saving = inference.lifetime_saving(CHINCHILLA, TARGET, demand)
    assert lines["inf-optimum"].get_xydata()[0] == pytest.approx([N_opt, 1 - saving], rel=1e-9, abs=1e-12)
    assert lines["inf-chinchilla"].get_xydata()[0] == pytest.approx([N_c, 1.0], rel=1e-9)
    assert lines["inf-n-now"].get_xydata()[0] == pytest.approx([demand, N_opt], rel=1e-9)
    assert lines["inf-d-now"].get_xydata()[0] == pytest.approx([demand, D_opt], rel=1e-9)
    assert f"saving {saving:.1%}" in fig.texts[0].get_text()


@pytest.mark.parametrize("demand", [1e10, 2e12, 1e15])
def test_the_optimum_is_the_lowest_point_of_the_iso_loss_curve(demand):
    fig = widgets.inference_figure(D_inference=demand)
    lines = lines_by_gid(fig)
    curve = lines["inf-curve"].get_ydata()
    assert lines["inf-optimum"].get_ydata()[0] <= curve.min() + 1e-12
    assert curve.min() == pytest.approx(lines["inf-optimum"].get_ydata()[0], abs=2e-3)


def test_every_model_on_the_curve_reaches_the_target_loss():
    N, D = widgets.inference_aware._iso_loss_curve(CHINCHILLA, TARGET)
    assert CHINCHILLA.loss(N, D) == pytest.approx(np.full(N.shape, TARGET), rel=1e-12)


def test_update_reuses_the_artists():
    fig = widgets.inference_figure()
    before = [(len(axes.lines), len(axes.collections), len(axes.texts)) for axes in fig.axes]
    optimum = lines_by_gid(fig)["inf-optimum"]
    widgets.update_inference_figure(fig, 1e15)
    after = [(len(axes.lines), len(axes.collections), len(axes.texts)) for axes in fig.axes]
    assert before == after and lines_by_gid(fig)["inf-optimum"] is optimum


def test_another_law_and_target_get_their_own_optimum():
    fig = widgets.inference_figure(EPOCH_REPLICATION, 2.1, 1e13)
    N_opt, _ = inference.inference_aware_allocation(EPOCH_REPLICATION, 2.1, 1e13)
    assert lines_by_gid(fig)["inf-optimum"].get_xdata()[0] == pytest.approx(N_opt)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: widgets.inference_figure("chinchilla"), "law must be a ChinchillaLaw"),
        (lambda: widgets.inference_figure(target_loss=1.6), "target_loss must be above .* got 1.6"),
        (lambda: widgets.inference_figure(D_inference=-1.0), "D_inference must be positive"),
        (lambda: widgets.inference_figure(D_inference=1e20), "D_inference must be between 1e.09 and 1e.16"),
        (lambda: widgets.inference_figure(D_inference=[1e12, 1e13]), "D_inference must be a single number"),
        (
            lambda: widgets.update_inference_figure(widgets.inference_figure(), 1e5),
            "D_inference must be between",
        ),
        (lambda: widgets.inference_explorer(D_inference=np.nan), "D_inference must be finite"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_fast_explorer_figure_renders_the_same_pixels_as_the_static_figure():
    plotting.use_house_style()
    fast = widgets.inference_aware._inference_explorer_figure(CHINCHILLA, TARGET, 2e12)
    widgets.update_inference_figure(fast, 5e14)
    static = widgets.inference_figure(D_inference=5e14)
    assert share_of_pixels_that_differ(fast, static) < 1e-3


def test_the_explorer_slider_spans_the_demand_on_a_log_scale_and_redraws(monkeypatch):
    explorer = widgets.inference_explorer()
    slider = explorer.children[0]
    assert isinstance(slider, ipw.FloatLogSlider)
    assert (slider.base, 10.0**slider.min, 10.0**slider.max) == (10, *widgets.INFERENCE_TOKEN_RANGE)
    assert slider.value == pytest.approx(2e12)
    demands = []
    monkeypatch.setattr(
        widgets.inference_aware,
        "update_inference_figure",
        lambda fig, demand, law, target: demands.append(demand),
    )
    slider.value = 1e14
    assert demands == [pytest.approx(1e14)]
