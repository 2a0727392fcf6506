"""Tests of `lib.course.answers`: exact round trips through JSON, the unrecordable marker, bad input."""

from __future__ import annotations

import json
import math
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from lib.course import answers
from lib.course.answers import Unrecordable, decode, encode


def _round_trip(value: object) -> object:
    """`value` encoded, written as strict JSON, read back and decoded."""
    text = json.dumps(encode(value), allow_nan=False)
    return decode(json.loads(text))


def _same(a: object, b: object) -> bool:
    """Equal values of the same type, NaN equal to NaN, -0.0 distinct from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, complex):
        return _same(a.real, b.real) and _same(a.imag, b.imag)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind in "fc":
            return np.array_equal(a, b, equal_nan=True)
        return all(map(_same, a.ravel().tolist(), b.ravel().tolist()))
    if isinstance(a, Decimal):
        return str(a) == str(b)
    return a == b


PLAIN = [
    0.1,
    -0.0,
    5e-324,
    sys.float_info.max,
    math.nan,
    math.inf,
    -math.inf,
    0,
    -7,
    2**100,
    -(10**2000),
    2**5000 + 1,  # beyond what json writes as a number
    True,
    False,
    "",
    "b",
    "naïve ∞ \udcff",
    None,
    Ellipsis,
    (),
    (1,),
    (1, (2.5, "x"), [None, ...]),
    [],
    [1, [2, (3,)], "a"],
    complex(1, -0.0),
    complex(math.inf, math.nan),
    Fraction(1, 3),
    Fraction(-(2**80), 3),
    Decimal("0.1"),
    Decimal("-1.50E+3"),
    Decimal("NaN"),
    Decimal("-Infinity"),
]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_values_round_trip_exactly(value: object) -> None:
    assert _same(_round_trip(value), value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.float64(0.1), 0.1),
        (np.float32(0.1), float(np.float32(0.1))),
        (np.float16(-0.0), -0.0),
        (np.float64(np.nan), math.nan),
        (np.int64(-3), -3),
        (np.uint64(2**64 - 1), 2**64 - 1),
        (np.int8(-128), -128),
        (np.bool_(True), True),
        (np.complex128(1 + 2j), 1 + 2j),
        (np.str_("b"), "b"),
        ([np.float64(0.5), (np.int32(2),)], [0.5, (2,)]),
    ],
    ids=repr,
)
def test_numpy_scalars_become_python_values(value: object, expected: object) -> None:
    assert _same(_round_trip(value), expected)


ARRAYS = [
    np.array([[0.1, np.nan], [np.inf, -0.0]]),
    np.arange(6, dtype=np.int32).reshape(2, 3, 1),
    np.array([2**64 - 1, 0], dtype=np.uint64),
    np.array([True, False]),
    np.array([1 + 2j, complex(np.nan, -np.inf)], dtype=np.complex64),
    np.array(["a", "bcd"]),
    np.array([0.1, 65504.0], dtype=np.float16),
    np.array([1.5, -2.0], dtype=">f8"),
    np.array(3.25),
    np.zeros((0, 3)),
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.array([1, "a", None, (1, 2), 0.5], dtype=object),
]


@pytest.mark.parametrize("array", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_arrays_round_trip_with_dtype_and_shape(array: np.ndarray) -> None:
    back = _round_trip(array)
    assert isinstance(back, np.ndarray)
    assert _same(back, array)


@pytest.mark.parametrize(
    ("array", "floats"),
    [
        (np.array([1.6e12, -0.5, np.inf], dtype=np.longdouble), [1.6e12, -0.5, math.inf]),
        (np.array([[0.25], [np.nan]], dtype=np.longdouble), [0.25, math.nan]),
        (np.array([1 + 2j, complex(0.5, -np.inf)], dtype=np.clongdouble), [1.0, 2.0, 0.5, -math.inf]),
    ],
    ids=lambda a: str(getattr(a, "dtype", "")),
)
def test_long_double_arrays_are_recorded_as_python_floats(array: np.ndarray, floats: list[float]) -> None:
    # their tolist() keeps np.longdouble items, which json cannot write
    encoded = encode(array)
    text = json.dumps(encoded, allow_nan=False)  # raised "not JSON serializable" before
    parts = [(item["real"], item["imag"]) if np.iscomplexobj(array) else (item,) for item in encoded["data"]]
    items = [decode(part) for pair in parts for part in pair]
    assert all(type(item) is float for item in items)
    assert np.array_equal(items, floats, equal_nan=True)
    back = decode(json.loads(text))
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=True)


@pytest.mark.parametrize("value", [np.longdouble(2.5), np.clongdouble(1 - 1j)], ids=repr)
def test_long_double_scalars_become_python_numbers(value: object) -> None:
    assert _same(_round_trip(value), complex(value) if np.iscomplexobj(value) else float(value))


def test_a_masked_array_is_recorded_as_its_data() -> None:
    back = _round_trip(np.ma.masked_array([1.0, 2.0], mask=[False, True]))
    assert type(back) is np.ndarray and back.tolist() == [1.0, 2.0]


def test_subclasses_are_recorded_as_their_value() -> None:
    class Liar(float):
        def __float__(self) -> float:
            return 0.84

    class Shout(str):
        def __str__(self) -> str:
            return "b"

    assert _round_trip(Liar(1.5)) == 1.5
    assert _round_trip(Shout("a")) == "a"
    assert _round_trip(type("MyList", (list,), {})([1, 2])) == [1, 2]


class _Custom:
    def __repr__(self) -> str:
        return "<custom>"


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize(
    ("value", "type_name", "text"),
    [
        ({"a": 1}, "dict", "{'a': 1}"),
        ({1, 2}, "set", "{1, 2}"),
        (b"b", "bytes", "b'b'"),
        (_Custom(), "_Custom", "<custom>"),
        (_BadRepr(), "_BadRepr", "<unprintable>"),
        (print, "builtin_function_or_method", "<built-in function print>"),
        ([1, {"a": 1}], "list containing a dict", "[1, {'a': 1}]"),
        ((1, [2, {3}]), "tuple containing a list containing a set", "(1, [2, {3}])"),
        (np.array([{}, 1], dtype=object), "ndarray containing a dict", "array([{}, 1], dtype=object)"),
        ([[1, _Custom()]], "list containing a list containing a _Custom", "[[1, <custom>]]"),
        ((print,), "tuple containing a builtin_function_or_method", "(<built-in function print>,)"),
        (np.datetime64("2020-01-01"), "datetime64", None),
    ],
    ids=lambda x: type(x).__name__ if not isinstance(x, str) else x,
)
def test_other_values_become_an_unrecordable_marker(value: object, type_name: str, text: str | None) -> None:
    marker = _round_trip(value)
    assert isinstance(marker, Unrecordable)
    assert marker.type_name == type_name and marker.why == ""
    assert text is None or marker.text == text
    must = "answers must be numbers, strings, lists/tuples or arrays"
    assert marker.hint == f"the answer is {answers._a(type_name)}; {must}"


@pytest.mark.parametrize(
    "array", [np.array(["2020-01-01"], dtype="datetime64[D]"), np.zeros(2, dtype=[("x", "f8")])], ids=str
)
def test_arrays_of_other_dtypes_are_not_recorded(array: np.ndarray) -> None:
    marker = _round_trip([array])
    assert isinstance(marker, Unrecordable) and marker.type_name == f"array of dtype {array.dtype}"
    assert marker.hint.endswith("; arrays must hold bools, numbers or strings")


def test_the_marker_repr_is_short() -> None:
    marker = _round_trip({"x" * 500: 1})
    assert len(marker.text) <= 80 and marker.text.endswith("…")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ([0.0] * (answers.MAX_ITEMS + 1), "too large"),
        (np.zeros(answers.MAX_ITEMS + 1), "too large"),
        ("x" * (answers.MAX_STRING + 1), "too long"),
        (2**70_000, "too large"),
    ],
    ids=["list", "array", "str", "int"],
)
def test_values_too_large_are_not_recorded(value: object, why: str) -> None:
    marker = decode(encode(value))
    assert isinstance(marker, Unrecordable) and why in marker.why
    assert marker.hint.startswith(f"the answer is {answers._a(type(value).__name__)}; it is too")


def test_values_nested_too_deeply_or_in_a_cycle_are_not_recorded() -> None:
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    cycle: list = []
    cycle.append(cycle)
    for value in (deep, cycle):
        marker = decode(encode(value))
        assert isinstance(marker, Unrecordable) and "nested too deeply" in marker.why


def test_encode_never_raises_on_a_misbehaving_number() -> None:
    class Broken(Fraction):
        @property
        def numerator(self) -> int:
            raise ZeroDivisionError("broken")

    marker = decode(encode(Broken(1, 2)))
    assert isinstance(marker, Unrecordable) and "ZeroDivisionError" in marker.why


def test_the_encoding_is_strict_json() -> None:
    values = [math.nan, math.inf, np.array([np.nan]), complex(math.nan, 0), 10**5000]
    text = json.dumps(encode(values), allow_nan=False)
    assert json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard {name}")) is not None


@pytest.mark.parametrize(
    "obj",
    [
        {"answer": 1},
        {"$type": "nope"},
        {"$type": "tuple"},
        {"$type": "tuple", "items": 3},
        {"$type": "ellipsis", "extra": 1},
        {"$type": "float", "value": "1.5"},
        {"$type": "int", "hex": 5},
        {"$type": "int", "hex": "0xzz"},
        {"$type": "int", "hex": hex(2**70_000)},
        {"$type": "decimal", "value": "9" * (answers.MAX_STRING + 1)},
        {"$type": "complex", "real": "1", "imag": 0.0},
        {"$type": "fraction", "numerator": 1, "denominator": 0},
        {"$type": "fraction", "numerator": 1.5, "denominator": 2},
        {"$type": "fraction", "numerator": 1, "denominator": True},
        {"$type": "decimal", "value": 0.1},
        {"$type": "decimal", "value": "zero point one"},
        {"$type": "unrecordable", "type": 1, "repr": ""},
        {"$type": "ndarray", "dtype": "<f8", "shape": [2], "data": [1.0]},
        {"$type": "ndarray", "dtype": "<f8", "shape": [-1], "data": []},
        {"$type": "ndarray", "dtype": "<f8", "shape": [True], "data": [1.0]},
        {"$type": "ndarray", "dtype": "<f8", "shape": 2, "data": [1.0, 2.0]},
        {"$type": "ndarray", "dtype": "<f8", "shape": [10**9], "data": []},
        {"$type": "ndarray", "dtype": "<U100000000", "shape": [4], "data": ["", "", "", ""]},
        {"$type": "ndarray", "dtype": "<M8[D]", "shape": [1], "data": [0]},
        {"$type": "ndarray", "dtype": "i4,f8", "shape": [1], "data": [0]},
        {"$type": "ndarray", "dtype": "(2,)i4", "shape": [1], "data": [0]},
        {"$type": "ndarray", "dtype": "not a dtype", "shape": [1], "data": [0]},
        {"$type": "ndarray", "dtype": 8, "shape": [1], "data": [0]},
        {"$type": "ndarray", "dtype": "<i8", "shape": [1], "data": [True]},
        {"$type": "ndarray", "dtype": "<f8", "shape": [1], "data": ["1"]},
        {"$type": "ndarray", "dtype": "|b1", "shape": [1], "data": [1]},
        {"$type": "ndarray", "dtype": "|i1", "shape": [1], "data": [1000]},
        {"$type": "ndarray", "dtype": "<U1", "shape": [1], "data": [1]},
        "x" * (answers.MAX_STRING + 1),
        {1, 2},
        object(),
    ],
    ids=lambda obj: json.dumps(obj)[:60] if isinstance(obj, (dict, str)) else type(obj).__name__,
)
def test_decode_refuses_what_encode_does_not_make(obj: object) -> None:
    with pytest.raises(ValueError):
        decode(obj)


def test_record_appends_one_json_line_per_answer(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    answers.record(str(path), "ex01-check-q1", ...)
    answers.record(str(path), "ex01-check-q2", np.array([1.0, np.nan]))
    answers.record(str(path), "ex01-check-q1", 0.84)
    lines = path.read_text("utf-8").splitlines()
    assert [json.loads(line)["cell"] for line in lines] == ["ex01-check-q1", "ex01-check-q2", "ex01-check-q1"]
    recorded = answers.records(path.read_text("utf-8"))
    assert set(recorded) == {"ex01-check-q1", "ex01-check-q2"}
    assert decode(recorded["ex01-check-q1"]) == 0.84  # the last record wins
    assert _same(decode(recorded["ex01-check-q2"]), np.array([1.0, np.nan]))


def test_records_ignores_lines_that_are_not_records() -> None:
    text = "\n".join(
        [
            '{"cell": "q1", "answer": 1}',
            "",
            "not json",
            "[" * 100_000,
            '["cell", "answer"]',
            '{"cell": 3, "answer": 2}',
            '{"cell": "q1"}',
            '{"cell": "q2", "answer": {"$type": "bogus"}}',  # decoded (and refused) later
        ]
    )
    assert answers.records(text) == {"q1": 1, "q2": {"$type": "bogus"}}
