"""Tests for lib.datasets: the shipped Chinchilla runs are those of the replication
(Besiroglu et al. 2024)."""

from pathlib import Path

import numpy as np
import pytest

from lib.datasets import chinchilla_fig4

SHARED_COPY = Path(__file__).parents[1] / "lib" / "data" / "chinchilla_fig4_epoch_extracted.csv"


def test_all_245_extracted_runs_are_shipped():
    # Besiroglu et al. 2024: 245 points read off the SVG of Hoffmann et al.'s Figure 4
    runs = chinchilla_fig4()
    assert len(runs) == 245
    assert all(a.shape == (245,) for a in (runs.N, runs.C, runs.D, runs.loss))


def test_dropping_the_five_highest_losses_leaves_the_240_runs_the_replication_fits():
    runs, kept = chinchilla_fig4(), chinchilla_fig4(drop_highest=5)
    assert len(kept) == 240
    # The notebook keeps runs with loss below the fifth-highest: the same 240 runs
    assert np.array_equal(kept.loss, runs.loss[runs.loss < np.sort(runs.loss)[-5]])
    assert kept.loss.max() < np.sort(runs.loss)[-5]


def test_tokens_are_compute_over_six_n():
    runs = chinchilla_fig4()
    assert np.allclose(runs.D, runs.C / (6 * runs.N), rtol=1e-15)


def test_values_are_positive_finite_and_in_the_papers_range():
    # Hoffmann et al. 2022 abstract: 70M to over 16B parameters, 5 to 500B tokens; the
    # extraction reaches a little below 70M (57M) and a few runs below 5B tokens
    runs = chinchilla_fig4()
    for values in (runs.N, runs.C, runs.D, runs.loss):
        assert np.all(np.isfinite(values)) and np.all(values > 0)
    assert 5e7 < runs.N.min() < 7e7 and 1.6e10 < runs.N.max() < 1.7e10
    assert runs.D.max() < 5e11
    assert 2.0 < runs.loss.min() < runs.loss.max() < 5.1


def test_arrays_are_read_only():
    runs = chinchilla_fig4()
    with pytest.raises(ValueError):
        runs.loss[0] = 0.0


def test_the_shipped_file_is_the_extracted_csv():
    header = SHARED_COPY.read_text("utf-8").splitlines()[0]
    assert header == "x,y,color,Model Size,Training FLOP,hex_color,loss"


@pytest.mark.parametrize("bad", [-1, 245, 1000, 2.5, "5", True, None])
def test_bad_drop_highest_is_rejected(bad):
    with pytest.raises(ValueError, match="drop_highest must be"):
        chinchilla_fig4(drop_highest=bad)
