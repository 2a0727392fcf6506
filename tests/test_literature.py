"""Tests for lib.literature: the published table matches the papers (Kaplan et al. 2020,
Hoffmann et al. 2022, Besiroglu et al. 2024)."""

import re
from pathlib import Path

import pytest

from lib.literature import published_law, published_laws

BIB_KEYS = set(re.findall(r"@\w+\{(\w+),", (Path(__file__).parents[1] / "references.bib").read_text()))


@pytest.mark.parametrize(
    ("key", "alpha"),
    [
        ("kaplan2020_N", 0.076),  # Kaplan et al. 2020, eq. 1.1
        ("kaplan2020_D", 0.095),  # eq. 1.2
        ("kaplan2020_C", 0.050),  # eq. 1.3
        ("hoffmann2022_N", 0.34),  # Hoffmann et al. 2022, App. D.2
        ("hoffmann2022_D", 0.28),
        ("besiroglu2024_N", 0.3478),  # Besiroglu et al. 2024, refit
        ("besiroglu2024_D", 0.3658),
    ],
)
def test_exponents_are_the_published_ones(key, alpha):
    assert published_law(key).alpha == alpha
    assert published_law(key).law.exponent == -alpha


def test_chinchilla_terms_carry_the_published_constants():
    model, data = published_law("hoffmann2022_N").law, published_law("hoffmann2022_D").law
    assert (model.floor, model.coefficient, data.coefficient) == (1.69, 406.4, 410.7)


def test_replication_floor_is_the_refit_value():
    assert published_law("besiroglu2024_N").law.floor == pytest.approx(1.817)


def test_every_row_cites_a_key_in_references_bib():
    assert {law.cite_key for law in published_laws()} <= BIB_KEYS


def test_fitted_ranges_are_those_of_the_papers_runs():
    # Kaplan et al. 2020 §2.2-3: 768 to 1.5e9 non-embedding parameters; Hoffmann et al. 2022
    # abstract: 70M to over 16B parameters, 5B to 500B tokens
    assert published_law("kaplan2020_N").fitted_range == (768, 1.5e9)
    assert published_law("hoffmann2022_D").fitted_range == (5e9, 5e11)
    assert published_law("kaplan2020_C").fitted_range is None


def test_unknown_key_lists_the_known_ones():
    with pytest.raises(ValueError, match="key must be one of .*kaplan2020_N"):
        published_law("gpt5_N")
