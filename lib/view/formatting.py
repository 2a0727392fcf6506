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

import math
from collections.abc import Sequence

from lib import _validate

__all__ = ["count", "power_of_ten", "times_ten", "optional", "cite", "myst_table"]

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


def power_of_ten(n: int) -> str:
    """An exact power of ten as LaTeX: ``10**16`` → ``"$10^{16}$"``.

    Examples
    --------
    >>> power_of_ten(10**100)
    '$10^{100}$'
    >>> power_of_ten(20)
    Traceback (most recent call last):
    ...
    ValueError: n must be a power of ten, got 20
    """
    n = _validate.integer(n, "n")
    digits = str(n)
    if digits.rstrip("0") != "1":
        raise ValueError(f"n must be a power of ten, got {n}")
    return f"$10^{{{len(digits) - 1}}}$"


def times_ten(x: float, digits: int = 1) -> str:
    r"""A positive number in LaTeX scientific notation: ``1.5e13`` → ``$1.5\times10^{13}$``.

    Examples
    --------
    >>> print(times_ten(1.5e13), times_ten(9.96e9, digits=2))
    $1.5\times10^{13}$ $9.96\times10^{9}$
    """
    x = _validate.scalar(x, "x", _validate.positive)
    exponent = math.floor(math.log10(x))
    return f"${x / 10**exponent:.{digits}f}\\times10^{{{exponent}}}$"


def optional(value: float | None, spec: str, missing: str = "—") -> str:
    """`value` formatted with `spec`, or `missing` (a dash) for a value no source gives.

    Examples
    --------
    >>> optional(700.0, ".0f"), optional(None, ".0f")
    ('700', '—')
    """
    return missing if value is None else format(value, spec)


def cite(keys: str, page: str) -> str:
    """MyST citations for the ``;``-separated BibTeX `keys` of a table row, on page `page`.

    Each page cites through its own key prefix (``ch05-dubey2024``), so that its
    reference list holds only what it cites.

    Examples
    --------
    >>> cite("dubey2024;deepseek2024", "ch05")
    '{cite:p}`ch05-dubey2024` {cite:p}`ch05-deepseek2024`'
    """
    return " ".join(f"{{cite:p}}`{page}-{key.strip()}`" for key in keys.split(";"))


def myst_table(caption: str, name: str, rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A numbered MyST table: `rows[0]` is the header, the rest the body.

    Parameters
    ----------
    caption : str
        The table's caption.
    name : str
        Its label, for ``{numref}`` (e.g. ``"tbl-ch04-models"``).
    rows : sequence of sequences of str
        Header row first; every row has the header's number of cells.
    align : str, optional
        One character per column, ``"l"`` or ``"r"``; default: Markdown's own.

    Examples
    --------
    >>> print(myst_table("Two runs.", "tbl-x", [["model", "N"], ["Gopher", "280B"]]))
    ```{table} Two runs.
    :name: tbl-x
    | model | N |
    |---|---|
    | Gopher | 280B |
    ```
    """
    header, *body = rows
    if any(len(row) != len(header) for row in body):
        raise ValueError(f"rows must all have {len(header)} cells like the header")
    if align and len(align) != len(header):
        raise ValueError(f"align must have one character per column ({len(header)}), got {align!r}")
    rule = "|" + "".join("---:|" if a == "r" else "---|" for a in (align or "l" * len(header)))
    lines = ["| " + " | ".join(header) + " |", rule, *("| " + " | ".join(row) + " |" for row in body)]
    return f"```{{table}} {caption}\n:name: {name}\n" + "\n".join(lines) + "\n```"
