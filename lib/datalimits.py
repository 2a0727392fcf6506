"""Running out of text: the stock of public text, repeated data, and how fast compute grows.

- The stock of public human text is about 300T tokens (90 % interval 100T-1000T), an
  estimate by Villalobos et al. that this course has only read in summaries.
- `DataDemand` projects the tokens a compute-optimal (or over-trained) model wants as
  training compute grows at a rate the reader sets, and finds the year that demand
  reaches the stock.
- `effective_data` is the data-constrained law of Muennighoff et al. (2023): repeated
  tokens are worth less than fresh ones, with meaningful gains up to about 16 epochs
  (where one more epoch still adds e**-1, about 37 %, of a fresh one) and a ceiling of
  ``1 + R*`` fresh epochs however often the data are repeated.
- `orders_of_magnitude` turns a doubling time into growth over a period (GPU
  price-performance doubles about every 2.5 years, Hobbhahn and Besiroglu 2022).

References
----------
Villalobos et al. 2024, "Will we run out of data? Limits of LLM scaling based on
human-generated data", arXiv:2211.04325 v2 (window 2026-2032; the stock figure is
[secondary]).
Muennighoff et al. 2023, "Scaling Data-Constrained Language Models", arXiv:2305.16264,
eq. 5 and the fitted R*_D ≈ 15.
Hobbhahn and Besiroglu 2022, "Trends in GPU price-performance" (Epoch), Table 1.
DeepSeek-AI 2024, "DeepSeek LLM", arXiv:2401.02954, Table 4 (allocation exponents by data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.laws import CHINCHILLA, ChinchillaLaw
from lib.powerlaw import FloatOrArray

__all__ = [
    "TEXT_STOCK_TOKENS",
    "TEXT_STOCK_INTERVAL",
    "EXHAUSTION_WINDOW",
    "R_STAR_D",
    "GPU_PRICE_PERFORMANCE_DOUBLING_YEARS",
    "DATA_QUALITY_EXPONENTS",
    "effective_data",
    "epochs_for_effective_data",
    "DataDemand",
    "annual_growth",
    "orders_of_magnitude",
]

TEXT_STOCK_TOKENS = 300e12
"""Stock of public human-generated text, tokens (Villalobos et al. 2024) [secondary]."""

TEXT_STOCK_INTERVAL = (100e12, 1000e12)
"""Its 90 % interval, tokens (Villalobos et al. 2024) [secondary]."""

EXHAUSTION_WINDOW = (2026, 2032)
"""Years in which training sets reach the stock, per Villalobos et al. 2024 (abstract)."""

R_STAR_D = 15.0
"""Muennighoff et al. 2023: repetitions after which repeated data has lost 1 - 1/e of its value."""

GPU_PRICE_PERFORMANCE_DOUBLING_YEARS = MappingProxyType(
    {"all GPUs": 2.46, "ML GPUs": 2.07, "top GPUs": 2.95, "FP16": 2.30}
)
"""Doubling times of FLOP/s per dollar, years (Hobbhahn and Besiroglu 2022, Table 1; 470 GPUs)."""

DATA_QUALITY_EXPONENTS = MappingProxyType(
    {
        "OpenAI (OpenWebText2)": (0.73, 0.27),
        "Chinchilla (MassiveText)": (0.49, 0.51),
        "DeepSeek, early data": (0.450, 0.550),
        "DeepSeek, current data": (0.524, 0.476),
        "DeepSeek, OpenWebText2": (0.578, 0.422),
    }
)
"""(a, b) with N_opt ∝ C**a and D_opt ∝ C**b, by dataset (DeepSeek LLM, Table 4).

DeepSeek rank the quality of their three datasets OpenWebText2 > current > early; the
first two rows are earlier papers' fits, which Table 4 lists for comparison."""


def effective_data(unique_tokens: ArrayLike, epochs: ArrayLike, r_star: float = R_STAR_D) -> FloatOrArray:
    """Effective tokens of `epochs` passes over `unique_tokens`: ``U + U R* (1 - exp(-R / R*))``.

    ``R = epochs - 1`` counts the repetitions. One epoch gives ``U``; a few epochs are
    worth almost as much as fresh data; the value saturates at ``U (1 + R*)``.

    Parameters
    ----------
    unique_tokens : array_like
        Unique tokens U (positive).
    epochs : array_like
        Passes over them, at least 1 (need not be whole).
    r_star : float
        The decay constant R*_D (positive); 15 as fitted by Muennighoff et al.

    Returns
    -------
    float or ndarray
        Effective tokens D'.

    Raises
    ------
    ValueError
        For non-positive tokens or fewer than one epoch.

    References
    ----------
    Muennighoff et al. 2023, arXiv:2305.16264, eq. 5 and §5 (R*_D ≈ 15).

    Examples
    --------
    >>> round(effective_data(1.0, 4), 3)  # 4 epochs: worth 3.72 fresh epochs
    3.719
    >>> round(effective_data(1.0, 1e6), 3)  # the ceiling U (1 + R*)
    16.0
    """
    unique = _validate.positive(unique_tokens, "unique_tokens")
    epochs = _validate.positive(epochs, "epochs")
    if np.any(epochs < 1):
        raise ValueError(f"epochs must be at least 1, got {float(epochs[epochs < 1].flat[0])}")
    r_star = _validate.scalar(r_star, "r_star", _validate.positive)
    repeats = epochs - 1.0
    return _validate.as_output(unique + unique * r_star * (1.0 - np.exp(-repeats / r_star)))


def epochs_for_effective_data(
    effective_tokens: ArrayLike, unique_tokens: ArrayLike, r_star: float = R_STAR_D
) -> FloatOrArray:
    """Epochs over `unique_tokens` that give `effective_tokens`: the inverse of `effective_data`.

    ``epochs = 1 - R* ln(1 - (D'/U - 1) / R*)``; no number of epochs reaches
    ``U (1 + R*)``.

    Parameters
    ----------
    effective_tokens : array_like
        The effective data D' wanted (positive).
    unique_tokens : array_like
        Unique tokens U (positive).
    r_star : float
        R*_D, 15 by default.

    Returns
    -------
    float or ndarray
        Epochs (at least 1).

    Raises
    ------
    ValueError
        If `effective_tokens` is below one epoch or at or above the ceiling.

    Examples
    --------
    >>> round(epochs_for_effective_data(effective_data(2e12, 7.5), 2e12), 6)
    7.5
    """
    target = _validate.positive(effective_tokens, "effective_tokens")
    unique = _validate.positive(unique_tokens, "unique_tokens")
    r_star = _validate.scalar(r_star, "r_star", _validate.positive)
    ratio = target / unique
    if np.any(ratio < 1):
        raise ValueError("effective_tokens must be at least unique_tokens (one epoch)")
    if np.any(ratio >= 1 + r_star):
        raise ValueError(
            f"effective_tokens must stay below (1 + r_star) = {1 + r_star:g} times unique_tokens: "
            "no number of epochs gets there"
        )
    return _validate.as_output(1.0 - r_star * np.log(1.0 - (ratio - 1.0) / r_star))


@dataclass(frozen=True)
class DataDemand:
    """Tokens wanted by the compute-optimal model of each year, as compute grows.

    Compute grows as ``C(y) = start_flops × growth**(y - start_year)``; the model trained
    with it takes `law`'s compute-optimal tokens, multiplied by ``sqrt(overtrain)``:
    over-training by a factor k multiplies tokens per parameter by k at the same compute
    (``6 N D`` fixed), so D grows by ``sqrt(k)`` and N shrinks by it.

    Attributes
    ----------
    start_year : float
        The year of `start_flops`.
    start_flops : float
        Largest training compute in that year, FLOPs.
    growth : float
        Factor by which that compute grows per year (above 1).
    overtrain : float
        Tokens-per-parameter multiple of the compute-optimal ratio (at least 1).
    law : ChinchillaLaw
        The law that sets the compute-optimal split.

    References
    ----------
    Villalobos et al. 2024 project dataset sizes the same way, from compute trends and
    compute-optimal or over-trained allocations; their assumptions differ from the defaults
    here, which the reader is meant to change.

    Examples
    --------
    >>> demand = DataDemand(start_year=2024, start_flops=3.8e25, growth=3.0)
    >>> f"{demand.tokens(2024):.3g}"
    '2.97e+13'
    """

    start_year: float
    start_flops: float
    growth: float
    overtrain: float = 1.0
    law: ChinchillaLaw = CHINCHILLA

    def __post_init__(self) -> None:
        _validate.scalar(self.start_year, "start_year")
        _validate.scalar(self.start_flops, "start_flops", _validate.positive)
        growth = _validate.scalar(self.growth, "growth", _validate.positive)
        if growth <= 1:
            raise ValueError(f"growth must be above 1 (compute per year grows), got {growth}")
        overtrain = _validate.scalar(self.overtrain, "overtrain", _validate.positive)
        if overtrain < 1:
            raise ValueError(f"overtrain must be at least 1, got {overtrain}")

    def flops(self, year: ArrayLike) -> FloatOrArray:
        """Training compute of the largest run in `year`, FLOPs."""
        year = _validate.finite(year, "year")
        return _validate.as_output(self.start_flops * self.growth ** (year - self.start_year))

    def tokens(self, year: ArrayLike) -> FloatOrArray:
        """Training tokens that run wants."""
        _, tokens = self.law.optimal_allocation(self.flops(year))
        return _validate.as_output(np.asarray(tokens) * math.sqrt(self.overtrain))

    def year_reaching(self, stock: ArrayLike = TEXT_STOCK_TOKENS) -> FloatOrArray:
        """The (fractional) year in which `tokens` reaches `stock`.

        ``D_opt ∝ C**b`` (`ChinchillaLaw.exponents`), so tokens grow by ``growth**b`` a
        year and the year has a closed form.

        Examples
        --------
        >>> round(DataDemand(2024, 3.8e25, 3.0).year_reaching(300e12), 2)
        2027.84
        """
        stock = _validate.positive(stock, "stock")
        _, b = self.law.exponents
        start_tokens = float(np.asarray(self.tokens(self.start_year)))
        return _validate.as_output(
            self.start_year + np.log(stock / start_tokens) / (b * math.log(self.growth))
        )


def annual_growth(value_start: float, year_start: float, value_end: float, year_end: float) -> float:
    """The constant yearly factor that takes `value_start` to `value_end`.

    Parameters
    ----------
    value_start, value_end : float
        The quantity (positive) at the two dates, e.g. the compute of two training runs.
    year_start, year_end : float
        The dates, ``year_end > year_start``.

    Returns
    -------
    float
        ``(value_end / value_start) ** (1 / (year_end - year_start))``.

    Examples
    --------
    >>> round(annual_growth(1.0, 2020, 16.0, 2024), 6)
    2.0
    """
    value_start = _validate.scalar(value_start, "value_start", _validate.positive)
    value_end = _validate.scalar(value_end, "value_end", _validate.positive)
    year_start = _validate.scalar(year_start, "year_start")
    year_end = _validate.scalar(year_end, "year_end")
    if year_end <= year_start:
        raise ValueError(f"year_end must be after year_start, got {year_end} <= {year_start}")
    return (value_end / value_start) ** (1.0 / (year_end - year_start))


def orders_of_magnitude(years: ArrayLike, doubling_time_years: ArrayLike) -> FloatOrArray:
    """Powers of ten gained in `years` by something that doubles every `doubling_time_years`.

    ``years × log10(2) / doubling_time``.

    Parameters
    ----------
    years : array_like
        Length of the period (non-negative).
    doubling_time_years : array_like
        Doubling time (positive), e.g. `GPU_PRICE_PERFORMANCE_DOUBLING_YEARS`.

    Returns
    -------
    float or ndarray
        Orders of magnitude (powers of ten).

    References
    ----------
    Hobbhahn and Besiroglu 2022, Table 1 (doubling times of GPU FLOP/s per dollar).

    Examples
    --------
    >>> round(orders_of_magnitude(7, 2.46), 2)  # 2023-2030 at GPU price-performance's pace
    0.86
    """
    years = _validate.nonnegative(years, "years")
    doubling = _validate.positive(doubling_time_years, "doubling_time_years")
    return _validate.as_output(years * math.log10(2.0) / doubling)
