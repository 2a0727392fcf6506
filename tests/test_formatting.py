"""lib.view.formatting.count writes counts the way the papers' tables do."""

import numpy as np
import pytest

from lib.view.formatting import count


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        # Hoffmann et al. 2022, Table 1: Chinchilla 70B / 1.4T, Gopher 280B / 300B, MT-NLG 530B / 270B
        (70e9, "70B"),
        (1.4e12, "1.4T"),
        (280e9, "280B"),
        (300e9, "300B"),
        (530e9, "530B"),
        # Table 3: the smallest row, 400M parameters on 8.0B tokens
        (400e6, "400M"),
        (8.0e9, "8B"),
    ],
)
def test_published_sizes_read_as_in_the_papers(x, expected):
    assert count(x) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(40.37e9, "40.4B"), (2.378e12, "2.38T"), (1.5e3, "1.5k"), (999.0, "999"), (0.0, "0")],
)
def test_three_significant_digits_and_the_largest_unit_below(x, expected):
    assert count(x) == expected


@pytest.mark.parametrize(("x", "expected"), [(999.96e9, "1T"), (999.96e6, "1B"), (999.96, "1k")])
def test_rounding_up_moves_to_the_next_unit(x, expected):
    assert count(x) == expected


def test_very_large_counts_use_scientific_notation():
    assert count(2.5e15) == "2.5e+15"


def test_numpy_scalars_are_accepted():
    assert count(np.float64(70e9)) == "70B"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (-1.0, "x must be non-negative"),
        (np.inf, "x must be finite"),
        (np.nan, "x must be finite"),
        ("70B", "x must be a number"),
        ([1e9, 2e9], "x must be a single number"),
    ],
)
def test_bad_input_names_the_argument(bad, message):
    with pytest.raises(ValueError, match=message):
        count(bad)
