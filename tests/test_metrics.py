"""Tests for lib.metrics: the loss-to-accuracy toy model."""

import numpy as np
import pytest

from lib import metrics


def test_one_token_accuracy_is_the_token_probability():
    assert metrics.exact_match_accuracy(0.7, 1) == pytest.approx(metrics.token_probability(0.7))


def test_accuracy_is_the_product_over_answer_tokens():
    assert metrics.exact_match_accuracy(0.3, 4) == pytest.approx(np.exp(-0.3) ** 4)


def test_accuracy_rises_steeply_while_loss_falls_smoothly():
    loss = np.linspace(2.0, 0.1, 20)
    accuracy = metrics.exact_match_accuracy(loss, 10)
    assert np.all(np.diff(accuracy) > 0)
    assert accuracy[0] < 1e-8 < 0.3 < accuracy[-1]


@pytest.mark.parametrize(
    ("loss", "tokens", "message"),
    [
        (-0.1, 1, "loss must be non-negative"),
        (np.nan, 1, "loss must be finite"),
        (0.5, 0, "answer_tokens must be positive"),
        (0.5, 2.5, "answer_tokens must be a positive integer"),
    ],
)
def test_bad_input_names_the_argument(loss, tokens, message):
    with pytest.raises(ValueError, match=message):
        metrics.exact_match_accuracy(loss, tokens)
