"""Tests for lib.models: Tables 1 and 6 of Hoffmann et al. 2022, and Llama 3 (Meta's model card)."""

import dataclasses
from pathlib import Path

import pytest

from lib.compute import training_flops
from lib.models import Model, llama3_models, mmlu, mmlu_results, model, models

# Hoffmann et al. 2022, Table 1: (parameters, training tokens)
TABLE_1 = {
    "LaMDA": (137e9, 168e9),
    "GPT-3": (175e9, 300e9),
    "Jurassic": (178e9, 300e9),
    "Gopher": (280e9, 300e9),
    "MT-NLG": (530e9, 270e9),
    "Chinchilla": (70e9, 1.4e12),
}


def test_models_are_table_1_in_order():
    assert [(m.name, m.parameters, m.tokens) for m in models()] == [
        (name, *sizes) for name, sizes in TABLE_1.items()
    ]


def test_every_model_cites_table_1_of_the_chinchilla_paper():
    assert {(m.cite_key, m.where) for m in models()} == {("hoffmann2022", "Table 1")}


@pytest.mark.parametrize(
    ("name", "ratio"),
    # D / N from Table 1: Chinchilla 1.4T / 70B = 20; Gopher 300B / 280B; MT-NLG 270B / 530B
    [("Chinchilla", 20.0), ("Gopher", 300 / 280), ("MT-NLG", 270 / 530), ("LaMDA", 168 / 137)],
)
def test_tokens_per_parameter(name, ratio):
    assert model(name).tokens_per_parameter == pytest.approx(ratio, rel=1e-12)


def test_chinchilla_is_the_only_model_with_more_than_two_tokens_per_parameter():
    # the paper's point: every large model of Table 1 but Chinchilla saw about 300B tokens or fewer
    assert [m.name for m in models() if m.tokens_per_parameter > 2] == ["Chinchilla"]


def test_training_flops_is_six_n_d():
    for m in models():
        assert m.training_flops == training_flops(m.parameters, m.tokens)
    # Gopher: 6 * 280e9 * 300e9 = 5.04e23, below the 5.76e23 the paper counts (Fig. 2, App. F)
    assert model("Gopher").training_flops == pytest.approx(5.04e23, rel=1e-12)


@pytest.mark.parametrize("name", ["gopher", "GOPHER", " Gopher ", "gpt-3", "mt-nlg"])
def test_lookup_ignores_case_and_surrounding_spaces(name):
    assert model(name).name.casefold() == name.strip().casefold()


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown model 'PaLM'; known: LaMDA, GPT-3, .*Chinchilla"):
        model("PaLM")


def test_lookup_needs_a_string():
    with pytest.raises(ValueError, match="name must be a string, got 280"):
        model(280)


def test_model_is_frozen_and_validated():
    with pytest.raises(dataclasses.FrozenInstanceError):
        model("Gopher").parameters = 1.0
    with pytest.raises(ValueError, match="tokens must be positive, got -1.0"):
        Model("x", 1e9, -1.0, "hoffmann2022", "Table 1")


@pytest.mark.parametrize(
    ("name", "accuracy"),
    # Hoffmann et al. 2022, Table 6 (MMLU, 5-shot)
    [
        ("Chinchilla", 67.6),
        ("Gopher", 60.0),
        ("GPT-3", 43.9),
        ("Random", 25.0),
        ("Average human rater", 34.5),
        ("Average human expert", 89.8),
        ("Forecast for June 2022", 57.1),
        ("Forecast for June 2023", 63.4),
    ],
)
def test_mmlu_table_6(name, accuracy):
    row = mmlu(name)
    assert row.accuracy == accuracy
    assert (row.cite_key, row.where) == ("hoffmann2022", "Table 6")


def test_mmlu_notes_that_the_abstract_rounds_chinchilla_to_67_5():
    assert "67.5" in mmlu("chinchilla").note


def test_chinchilla_beats_both_forecasts_and_gopher():
    results = {r.name: r.accuracy for r in mmlu_results()}
    assert results["Chinchilla"] > results["Forecast for June 2023"] > results["Gopher"]
    assert {r.kind for r in mmlu_results()} == {"model", "baseline", "forecast"}


def test_unknown_mmlu_entry_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown MMLU entry 'PaLM'; known: Random, "):
        mmlu("PaLM")


def test_llama3_rows_are_the_model_card_sizes_and_its_15T_lower_bound():
    # Meta's Llama 3 model card: 8B and 70B, "15T+" pretraining tokens for both
    rows = llama3_models()
    assert [(m.name, m.parameters, m.tokens) for m in rows] == [
        ("Llama 3 8B", 8e9, 15e12),
        ("Llama 3 70B", 70e9, 15e12),
    ]
    assert all(m.cite_key == "llama3_modelcard" and "MODEL_CARD" in m.where for m in rows)
    # arithmetic on the card: at least ~1,875 and ~214 tokens per parameter
    assert [m.tokens_per_parameter for m in rows] == pytest.approx([1875, 214.3], rel=1e-3)


def test_llama3_rows_are_not_in_table_1():
    assert not {m.name for m in llama3_models()} & {m.name for m in models()}
    with pytest.raises(ValueError, match="unknown model 'Llama 3 8B'"):
        model("Llama 3 8B")


def test_every_row_cites_a_key_of_the_bibliography():
    bib = (Path(__file__).resolve().parents[1] / "references.bib").read_text(encoding="utf-8")
    for m in (*models(), *llama3_models()):
        assert f"{{{m.cite_key}," in bib
