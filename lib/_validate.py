"""Input checks shared by every `lib` module.

Each check converts its input to a float array, tests one rule and raises a
``ValueError`` that names the argument and the value that broke the rule, so a
reader sees ``ValueError: X must be positive, got -3.0`` instead of a silent NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "finite",
    "positive",
    "nonnegative",
    "fraction",
    "scalar",
    "integer",
    "same_shape",
    "runs",
    "as_output",
]


def _first_offender(values: NDArray[np.float64], bad: NDArray[np.bool_]) -> float:
    return float(values[bad].flat[0])


def finite(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return `x` as a float array, or raise if any element is NaN or infinite."""
    if x is None or isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be a number or an array of numbers, got {x!r}")
    if isinstance(x, (bool, np.bool_)) or getattr(x, "dtype", None) == np.bool_:
        raise ValueError(f"{name} must be a number, not a truth value, got {x!r}")
    try:
        values = np.asarray(x, dtype=float)
    except OverflowError:
        raise ValueError(f"{name} is too large for floating point (above about 1.8e308)") from None
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {x!r}") from None
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{name} must be finite, got {_first_offender(values, bad)}")
    return values


def positive(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return `x` as a float array, or raise if any element is not finite and > 0."""
    values = finite(x, name)
    bad = values <= 0
    if bad.any():
        raise ValueError(f"{name} must be positive, got {_first_offender(values, bad)}")
    return values


def nonnegative(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return `x` as a float array, or raise if any element is not finite and >= 0."""
    values = finite(x, name)
    bad = values < 0
    if bad.any():
        raise ValueError(f"{name} must be non-negative, got {_first_offender(values, bad)}")
    return values


def fraction(x: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return `x` as a float array, or raise if any element is not in (0, 1] (a utilisation, a share)."""
    values = positive(x, name)
    bad = values > 1
    if bad.any():
        raise ValueError(f"{name} must be in (0, 1], got {_first_offender(values, bad)}")
    return values


def scalar(x: ArrayLike, name: str, rule: Callable[[ArrayLike, str], NDArray[np.float64]] = finite) -> float:
    """Return `x` as a float, or raise if it breaks `rule` or is not a single number."""
    values = rule(x, name)
    if values.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {values.shape}")
    return float(values)


def integer(value: object, name: str, least: int = 1) -> int:
    """Return `value` as an int >= `least`, or raise.

    Whole-valued floats are accepted (``tokens=1e6``); truth values, strings and
    fractions are not.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        result = int(value)
    elif isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        result = int(value)
    else:
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(least, f"an integer >= {least}")
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    if result < least:
        bound = {0: "non-negative", 1: "positive"}.get(least, f">= {least}")
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return result


def same_shape(**arrays: NDArray[np.float64]) -> None:
    """Raise if the named arrays do not all have the same shape."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    if len(set(shapes.values())) > 1:
        described = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"arrays must have the same shape, got {described}")


def runs(minimum: int, purpose: str = "", **columns: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    """Return the named columns of a set of runs as positive 1-d float arrays, or raise.

    The columns must have one shape and at least `minimum` rows; `purpose` ends the
    message of a set that is too small (``" to fit 5 parameters"``).
    """
    arrays = {name: positive(x, name) for name, x in columns.items()}
    same_shape(**arrays)
    first = next(iter(arrays.values()))
    if first.ndim != 1:
        *others, last = arrays
        raise ValueError(f"{', '.join(others)} and {last} must be 1-d arrays, got shape {first.shape}")
    if first.size < minimum:
        raise ValueError(f"need at least {minimum} runs{purpose}, got {first.size}")
    return tuple(arrays.values())


def as_output(values: NDArray[np.float64] | float) -> float | NDArray[np.float64]:
    """Return a plain float for a 0-d result (float in, float out), else the array."""
    return float(values) if np.ndim(values) == 0 else values
