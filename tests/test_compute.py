"""Tests for lib.compute: FLOP and parameter counts against the papers."""

import pytest

from lib import compute


def test_gpt3_compute_is_6ND():
    # GPT-3 175B on 300B tokens: 3.14e23 FLOPs (Brown et al. 2020, Table D.1)
    assert compute.training_flops(175e9, 300e9) == pytest.approx(3.14e23, rel=0.005)


def test_chinchilla_and_gopher_share_a_budget():
    # Hoffmann et al. 2022: Gopher's budget 5.76e23; Chinchilla 70B on 1.4T is about the same
    assert compute.training_flops(70e9, 1.4e12) == pytest.approx(5.76e23, rel=0.03)


def test_tokens_for_budget_inverts_training_flops():
    N = [1e8, 1e9, 1e10]
    assert compute.training_flops(N, compute.tokens_for_budget(1e21, N)) == pytest.approx([1e21] * 3)


def test_one_pf_day():
    assert compute.PF_DAY == 8.64e19  # Kaplan et al. 2020, §1.3
    assert compute.pf_days(3.14e23) == pytest.approx(3.64e3, rel=0.005)  # GPT-3, Table D.1


def test_inference_is_a_third_of_training_per_token():
    assert compute.inference_flops(1e9, 1.0) * 3 == compute.training_flops(1e9, 1.0)


def test_non_embedding_parameters_are_12_L_d_squared():
    assert compute.transformer_params(80, 8192) == 12 * 80 * 8192**2


def test_embeddings_add_vocabulary_and_positions():
    extra = compute.transformer_params_with_embeddings(2, 64, 1000, 128) - compute.transformer_params(2, 64)
    assert extra == (1000 + 128) * 64


def test_attention_term_is_small_for_short_contexts():
    N = compute.transformer_params(80, 8192)
    forward = compute.forward_flops_per_token(N, 80, 2048, 8192)
    assert forward / (2 * N) == pytest.approx(1 + 2048 / (12 * 8192))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: compute.training_flops(-3, 1e9), "N must be positive, got -3.0"),
        (lambda: compute.training_flops(1e9, float("inf")), "D must be finite"),
        (lambda: compute.inference_flops(1e9, 0), "tokens must be positive"),
        (lambda: compute.transformer_params(12.5, 768), "n_layer must be a whole number, got 12.5"),
        (lambda: compute.transformer_params(12, -768), "d_model must be positive"),
        (lambda: compute.pf_days(0), "flops must be positive"),
        (lambda: compute.tokens_for_budget(-1, 1e9), "C must be positive"),
        (lambda: compute.training_flops(1e200, 1e200), "overflows floating point"),
        (lambda: compute.transformer_params(True, 768), "n_layer must be a number, not a truth value"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
