"""The training-run explorer (chapter 5): GPUs, days and utilisation give FLOPs.

The FLOPs then give a compute-optimal model and its loss.
"""

from __future__ import annotations

from types import MappingProxyType

import ipywidgets as ipw
import numpy as np
from matplotlib.figure import Figure

from lib import _validate
from lib.datalimits import TEXT_STOCK_INTERVAL, TEXT_STOCK_TOKENS
from lib.hardware import GPU, flops_from_cluster, gpu, gpu_table, reported_runs
from lib.laws import CHINCHILLA, ChinchillaLaw
from lib.view import plotting
from lib.view.formatting import count
from lib.widgets.core import lines_by_gid, prepared_for_redraws, show_png, text_by_gid

__all__ = [
    "TRAINING_RUN_DEFAULTS",
    "TRAINING_RUN_RANGES",
    "training_run_figure",
    "update_training_run_figure",
    "training_run_explorer",
]

# ---- a training run on real hardware (chapter 5) -------------------------------------------

# One name per default so that each keeps its own type (float or str) in the signatures below.
_N_GPUS, _DAYS, _UTILISATION, _GPU_NAME = 1024.0, 30.0, 0.4, "H100"
TRAINING_RUN_DEFAULTS = MappingProxyType(
    {"n_gpus": _N_GPUS, "days": _DAYS, "utilisation": _UTILISATION, "gpu_name": _GPU_NAME}
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
    N_value, D_value = law.optimal_allocation(flops)
    N_opt, D_opt = float(N_value), float(D_value)  # floats: flops is a single number
    return {"flops": flops, "N": N_opt, "D": D_opt, "loss": float(law.loss(N_opt, D_opt))}


def training_run_figure(
    n_gpus: float = _N_GPUS,
    days: float = _DAYS,
    utilisation: float = _UTILISATION,
    gpu_name: str = _GPU_NAME,
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
    >>> import matplotlib.pyplot as plt
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
    >>> import matplotlib.pyplot as plt
    >>> fig = training_run_figure()
    >>> update_training_run_figure(fig, 16384, 70, 0.4, "H100")
    >>> point = [line for line in fig.axes[0].lines if line.get_gid() == "run-loss"][0]
    >>> f"{point.get_xdata()[0]:.3g}"  # FLOPs of 16K H100 for 70 days at 40 %
    '3.92e+25'
    >>> plt.close(fig)
    """
    numbers = _training_run_numbers(n_gpus, days, utilisation, gpu_name, law)
    flops = numbers["flops"]
    lines = lines_by_gid(fig)
    lines[_RUN_LOSS].set_data([flops], [numbers["loss"]])
    lines[_RUN_TOKENS].set_data([flops], [numbers["D"]])
    for gid in (_RUN_LOSS_GUIDE, _RUN_TOKENS_GUIDE):
        lines[gid].set_xdata([flops, flops])
    title = text_by_gid(fig, _RUN_TITLE)
    share = numbers["D"] / TEXT_STOCK_TOKENS
    title.set_text(
        f"{n_gpus:,.0f} × {gpu_name} for {days:.0f} days at {utilisation:.0%} of peak: "
        + f"C = {flops:.2e}".replace("e+", "e")
        + f" FLOPs\ncompute-optimal {count(numbers['N'])} parameters on {count(numbers['D'])} tokens "
        f"({share:.1%} of a 300T stock), L = {numbers['loss']:.3f}"
    )


def _training_run_explorer_figure(
    n_gpus: float, days: float, utilisation: float, gpu_name: str, law: ChinchillaLaw
) -> Figure:
    """`training_run_figure` prepared for fast redraws: layout frozen, static parts one image."""
    moving = {_RUN_LOSS, _RUN_LOSS_GUIDE, _RUN_TOKENS, _RUN_TOKENS_GUIDE, _RUN_TITLE}
    return prepared_for_redraws(training_run_figure(n_gpus, days, utilisation, gpu_name, law), moving)


def training_run_explorer(
    n_gpus: float = _N_GPUS,
    days: float = _DAYS,
    utilisation: float = _UTILISATION,
    gpu_name: str = _GPU_NAME,
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
        show_png(output, fig)

    for control in (gpus_slider, days_slider, util_slider, gpu_menu):
        control.observe(redraw, names="value")
    redraw()
    controls = ipw.VBox([ipw.HBox([gpus_slider, days_slider]), ipw.HBox([util_slider, gpu_menu])])
    return ipw.VBox([controls, output])
