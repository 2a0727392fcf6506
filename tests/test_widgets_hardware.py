"""Tests for the training-run explorer of lib.widgets (chapter 5): figure, updates, fast redraw."""

import ipywidgets as ipw
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from figures import lines_by_gid, share_of_pixels_that_differ

from lib import widgets
from lib.datalimits import TEXT_STOCK_TOKENS
from lib.hardware import flops_from_cluster, gpu
from lib.laws import CHINCHILLA, EPOCH_REPLICATION
from lib.view import plotting

matplotlib.use("Agg")

DYNAMIC = ["run-loss", "run-loss-guide", "run-tokens", "run-tokens-guide"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_the_figure_has_two_labelled_axes_the_moving_artists_and_the_stock():
    fig = widgets.training_run_figure()
    ax_loss, ax_tokens = fig.axes
    assert ax_loss.get_xscale() == "log" and ax_tokens.get_yscale() == "log"
    assert (ax_loss.get_xlabel(), ax_loss.get_ylabel()) == ("C (FLOPs)", "L (nats/token)")
    assert (ax_tokens.get_xlabel(), ax_tokens.get_ylabel()) == ("C (FLOPs)", "D (tokens)")
    assert set(DYNAMIC) <= set(lines_by_gid(fig))
    assert any(line.get_ydata()[0] == TEXT_STOCK_TOKENS for line in ax_tokens.lines)
    assert len(fig.legends) == 1
    assert "1,024 × H100 for 30 days at 40% of peak" in fig.texts[0].get_text()


@pytest.mark.parametrize(
    ("n_gpus", "days", "utilisation", "gpu_name"),
    [(1024, 30, 0.4, "H100"), (16384, 70, 0.41, "H100"), (8, 3, 0.3, "V100"), (2048, 54, 0.35, "H800")],
)
def test_update_puts_the_run_at_its_flops_and_the_laws_optimum(n_gpus, days, utilisation, gpu_name):
    fig = widgets.training_run_figure()
    widgets.update_training_run_figure(fig, n_gpus, days, utilisation, gpu_name)
    lines = lines_by_gid(fig)
    flops = flops_from_cluster(n_gpus, days, gpu(gpu_name).peak_dense_flops, utilisation)
    N_opt, D_opt = CHINCHILLA.optimal_allocation(flops)
    assert lines["run-loss"].get_xydata()[0] == pytest.approx(
        [flops, CHINCHILLA.loss(N_opt, D_opt)], rel=1e-12
    )
    assert lines["run-tokens"].get_xydata()[0] == pytest.approx([flops, D_opt], rel=1e-12)
    assert lines["run-loss-guide"].get_xdata()[0] == pytest.approx(flops)
    assert f"{n_gpus:,.0f} × {gpu_name}" in fig.texts[0].get_text()


def test_the_run_sits_on_the_drawn_frontier():
    fig = widgets.training_run_figure(2000, 40, 0.5, "B200")
    frontier = fig.axes[0].lines[0]
    C, L = lines_by_gid(fig)["run-loss"].get_xydata()[0]
    assert np.interp(np.log(C), np.log(frontier.get_xdata()), frontier.get_ydata()) == pytest.approx(
        L, rel=1e-3
    )


def test_another_law_gets_its_own_optimum():
    fig = widgets.training_run_figure(law=EPOCH_REPLICATION)
    C, D = lines_by_gid(fig)["run-tokens"].get_xydata()[0]
    assert D == pytest.approx(EPOCH_REPLICATION.optimal_allocation(C)[1])


def test_update_reuses_the_artists():
    fig = widgets.training_run_figure()
    before = [(len(axes.lines), len(axes.patches), len(axes.texts)) for axes in fig.axes]
    point = lines_by_gid(fig)["run-loss"]
    widgets.update_training_run_figure(fig, 100, 10, 0.2, "A100")
    after = [(len(axes.lines), len(axes.patches), len(axes.texts)) for axes in fig.axes]
    assert before == after and lines_by_gid(fig)["run-loss"] is point


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: widgets.training_run_figure(n_gpus=-3), "n_gpus must be positive, got -3"),
        (lambda: widgets.training_run_figure(n_gpus=1e7), "n_gpus must be between 1 and 1e.06"),
        (lambda: widgets.training_run_figure(days=0), "days must be positive"),
        (lambda: widgets.training_run_figure(utilisation=1.5), "utilisation must be between 0.05 and 1"),
        (lambda: widgets.training_run_figure(gpu_name="TPU"), "name must be one of"),
        (
            lambda: widgets.update_training_run_figure(widgets.training_run_figure(), 8, np.nan, 0.4, "H100"),
            "days must be finite",
        ),
        (lambda: widgets.training_run_explorer(utilisation=0), "utilisation must be positive"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_fast_explorer_figure_renders_the_same_pixels_as_the_static_figure():
    plotting.use_house_style()
    fast = widgets.training_run._training_run_explorer_figure(1024, 30, 0.4, "H100", CHINCHILLA)
    widgets.update_training_run_figure(fast, 50000, 200, 0.3, "B200")
    static = widgets.training_run_figure(50000, 200, 0.3, "B200")
    widgets.core.freeze_layout(static)
    assert share_of_pixels_that_differ(fast, static) < 1e-3


def test_the_explorer_has_its_controls_and_redraws_on_each(monkeypatch):
    explorer = widgets.training_run_explorer()
    controls, output = explorer.children
    (gpus_slider, days_slider), (util_slider, gpu_menu) = (row.children for row in controls.children)
    assert isinstance(gpus_slider, ipw.FloatLogSlider) and isinstance(gpu_menu, ipw.Dropdown)
    assert (10.0**gpus_slider.min, 10.0**gpus_slider.max) == widgets.TRAINING_RUN_RANGES["n_gpus"]
    assert list(gpu_menu.options) == ["V100", "A100", "H100", "H200", "H800", "B200"]
    assert isinstance(output, ipw.Output)
    calls = []
    monkeypatch.setattr(
        widgets.training_run, "update_training_run_figure", lambda fig, *run: calls.append(run)
    )
    gpus_slider.value = 4096
    days_slider.value = 90
    util_slider.value = 0.5
    gpu_menu.value = "B200"
    assert [call[:4] for call in calls] == [
        (pytest.approx(4096), 30.0, 0.4, "H100"),
        (pytest.approx(4096), 90.0, 0.4, "H100"),
        (pytest.approx(4096), 90.0, 0.5, "H100"),
        (pytest.approx(4096), 90.0, 0.5, "B200"),
    ]
