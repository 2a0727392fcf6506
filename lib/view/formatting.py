"""Numbers for prose and tables: parameter and token counts as people write them ("70B", "1.4T").

The chapters put model sizes and token counts into tables next to the papers' own
figures, which print them as "70B" or "1.4T" (e.g. Hoffmann et al. 2022, Table 1);
`count` writes a number the same way, so every table formats counts alike.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
Table 1 (model sizes and tokens written as "280B", "1.4T").
"""

from __future__ import annotations

from lib import _validate

__all__ = ["count"]

_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_LARGEST = 1e15  # from here on "1000T" and beyond read better in scientific notation


def count(x: float) -> str:
    """A count of parameters or tokens in words: three significant digits and a unit.

    Units are k (1e3), M (1e6), B (1e9, billions) and T (1e12, trillions). The value
    is rounded to three significant digits before the unit is chosen, so 999.96e9
    reads "1T", not "1e+03B". Counts below 1,000 are written plainly, and counts of
    1e15 or more in scientific notation.

    Parameters
    ----------
    x : float
        A nonnegative, finite count (parameters, tokens, ...).

    Returns
    -------
    str
        For example "70B", "1.4T", "400M".

    Raises
    ------
    ValueError
        If `x` is negative, not finite or not a single number (the message names `x`).

    References
    ----------
    Hoffmann et al. 2022, arXiv:2203.15556, Table 1 (the "70B" / "1.4T" style).

    Examples
    --------
    >>> count(70e9), count(1.4e12), count(280e9), count(4e8)
    ('70B', '1.4T', '280B', '400M')
    >>> count(40.37e9), count(999.96e9), count(512), count(2.5e15)
    ('40.4B', '1T', '512', '2.5e+15')
    >>> count(-1)
    Traceback (most recent call last):
    ...
    ValueError: x must be non-negative, got -1.0
    """
    value = float(f"{_validate.scalar(x, 'x', _validate.nonnegative):.3g}")
    if value >= _LARGEST:
        return f"{value:.3g}"
    for size, unit in _UNITS:
        if value >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:.3g}"
