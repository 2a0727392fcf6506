"""Answers given to check cells, recorded as JSON lines for the grader.

The grader (``python -m lib.grader``) adds a line to every check cell that calls
`record` with the check's argument just before the check runs. After the notebook has
run, the grader reads the file back, decodes each answer with `decode` and calls the
check again in its own process, so the value is judged by trusted code outside the
student's kernel. Decoding builds only plain values (numbers, strings, lists, tuples,
arrays): nothing in the file can run code or pass a check except a right value.

The encoding is JSON. None, bools, ints, finite floats, strings and lists stand for
themselves (lists item by item); every other value is a tagged object
``{"$type": TAG, ...}``:

=================  =============================================  ====================
tag                fields                                         decoded as
=================  =============================================  ====================
``float``          ``value``: ``"nan"``, ``"inf"`` or ``"-inf"``  float
``int``            ``hex``: ``hex(n)``, for ints over 4096 bits   int
``ellipsis``                                                      ``...``
``tuple``          ``items``: encoded items                       tuple
``complex``        ``real``, ``imag``: encoded floats             complex
``fraction``       ``numerator``, ``denominator``: ints           Fraction
``decimal``        ``value``: ``str(d)``                          Decimal
``ndarray``        ``dtype`` (``dtype.str``), ``shape``, ``data`` numpy.ndarray
``unrecordable``   ``type``, ``repr``, optional ``why``           `Unrecordable`
=================  =============================================  ====================

NumPy scalars and array items become Python bools, ints, floats or complex numbers
(``longdouble`` and ``clongdouble`` precision is rounded to float). Arrays keep their
dtype and shape; the dtype must be bool, integer, float, complex, unicode or object
(items encoded one by one). Any other value, such as a dict or a DataFrame, is recorded
as an `Unrecordable` marker naming its type, and the grader fails the question with
`Unrecordable.hint`. So is an answer with
more than `MAX_ITEMS` items, a string longer than `MAX_STRING` characters or an int
over 65536 bits: the grader must not spend long on any answer.
"""

from __future__ import annotations

import decimal
import fractions
import json
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_ITEMS", "MAX_STRING", "Unrecordable", "decode", "encode", "record", "records"]

MAX_ITEMS = 1_000_000
MAX_STRING = 100_000
_MAX_BYTES = 1 << 28  # largest decoded array, in bytes
_MAX_DIMS = 32
_BIG_INT_BITS = 4096  # json cannot write ints of more than 4300 digits
_MAX_INT_BITS = 1 << 16  # arithmetic on larger ints could keep the grader busy for long
_TAG = "$type"
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_ARRAY_KINDS = frozenset("biufcUO")
_TYPE_LENGTH = 80
_REPR_LENGTH = 80
_TOO_LONG = f"it is too long to record (more than {MAX_STRING} characters)"


@dataclass(frozen=True)
class Unrecordable:
    """Stands for an answer that could not be recorded, such as a dict.

    Attributes
    ----------
    type_name : str
        What the answer is, e.g. ``"dict"`` or ``"list containing a set"``.
    text : str
        A short repr of the answer.
    why : str
        Why it was not recorded, when it is not its type (e.g. its size).

    Examples
    --------
    >>> Unrecordable("dict", "{'a': 1}").hint
    'the answer is a dict; answers must be numbers, strings, lists/tuples or arrays'
    """

    type_name: str
    text: str
    why: str = ""

    @property
    def hint(self) -> str:
        """The grader's hint for a question answered with this value."""
        reason = self.why or "answers must be numbers, strings, lists/tuples or arrays"
        return f"the answer is {_a(self.type_name)}; {reason}"


class _Refused(Exception):
    """Raised inside `encode` for a value that cannot be recorded."""

    def __init__(self, type_name: str, why: str = "", *, huge: bool = False) -> None:
        super().__init__(type_name)
        self.type_name = type_name
        self.why = why
        self.huge = huge


def _a(name: str) -> str:
    """`name` after "a" or "an".

    Examples
    --------
    >>> _a("dict"), _a("int")
    ('a dict', 'an int')
    """
    return f"{'an' if name[:1].lower() in tuple('aeio') else 'a'} {name}"


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _type_name(value: object) -> str:
    return _short(type(value).__name__, _TYPE_LENGTH)


class _Encoder:
    """Encodes one answer, counting its items against `MAX_ITEMS`."""

    def __init__(self) -> None:
        self.items = 0

    def count(self, items: int) -> None:
        self.items += items
        if self.items > MAX_ITEMS:
            raise _Refused("value", f"it is too large to record (more than {MAX_ITEMS} items)", huge=True)

    def float(self, value: float) -> object:
        # a Python float even for NumPy items of any precision (longdouble's tolist keeps them)
        value = float(value)
        return value if math.isfinite(value) else {_TAG: "float", "value": repr(value)}

    def int(self, value: int) -> object:
        if value.bit_length() <= _BIG_INT_BITS:
            return value
        if value.bit_length() > _MAX_INT_BITS:
            raise _Refused("int", f"it is too large to record (more than {_MAX_INT_BITS} bits)", huge=True)
        return {_TAG: "int", "hex": hex(value)}

    def complex(self, value: complex) -> object:
        return {_TAG: "complex", "real": self.float(value.real), "imag": self.float(value.imag)}

    def encode(self, value: object) -> object:
        self.count(1)
        if value is None or isinstance(value, (bool, np.bool_)):
            return None if value is None else bool(value)
        if value is Ellipsis:
            return {_TAG: "ellipsis"}
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise _Refused("str", _TOO_LONG, huge=True)
            return str.__str__(value)  # the characters, whatever a subclass's __str__ says
        if isinstance(value, numbers.Integral):
            return self.int(int(value))
        if isinstance(value, float):
            return self.float(float.__float__(value))
        if isinstance(value, fractions.Fraction):
            numerator, denominator = self.int(value.numerator), value.denominator
            return {_TAG: "fraction", "numerator": numerator, "denominator": denominator}
        if isinstance(value, decimal.Decimal):
            return {_TAG: "decimal", "value": str(value)}
        if isinstance(value, np.ndarray):
            return self.array(value)
        if isinstance(value, (list, tuple)):
            items = [self.nested(value, item) for item in value]
            return {_TAG: "tuple", "items": items} if isinstance(value, tuple) else items
        if isinstance(value, numbers.Real):  # NumPy floats that are not Python floats, and others
            return self.float(float(value))  # type: ignore[arg-type]
        if isinstance(value, numbers.Complex):
            return self.complex(complex(value))  # type: ignore[arg-type]
        raise _Refused(_type_name(value))

    def nested(self, container: object, item: object) -> object:
        try:
            return self.encode(item)
        except _Refused as refused:
            if refused.why:
                raise
            raise _Refused(f"{_type_name(container)} containing {_a(refused.type_name)}") from None

    def array(self, value: np.ndarray) -> object:
        array = np.asarray(value)
        if array.dtype.kind not in _ARRAY_KINDS or array.dtype.fields is not None:
            raise _Refused(f"array of dtype {array.dtype}", "arrays must hold bools, numbers or strings")
        if array.dtype.kind != "O":  # an object array's items are counted one by one
            self.count(array.size)
        if array.dtype.kind == "U" and array.dtype.itemsize > 4 * MAX_STRING:
            raise _Refused("str", _TOO_LONG, huge=True)
        flat = array.ravel().tolist()
        if array.dtype.kind == "O":
            data = [self.nested(value, item) for item in flat]
        elif array.dtype.kind == "f":
            data = [self.float(item) for item in flat]
        elif array.dtype.kind == "c":
            data = [self.complex(item) for item in flat]
        elif array.dtype.kind in "iu":
            data = [self.int(item) for item in flat]
        else:
            data = flat
        return {_TAG: "ndarray", "dtype": array.dtype.str, "shape": list(array.shape), "data": data}


def _safe_repr(value: object) -> str:
    try:
        return _short(repr(value), _REPR_LENGTH)
    except Exception:
        return "<unprintable>"


def encode(value: object) -> Any:
    """A JSON-able form of `value` from which `decode` gives the value back.

    Never raises: a value that cannot be recorded (a dict, a set, an object of a
    class of its own, something too large or too deeply nested) is encoded as an
    `Unrecordable` marker.

    Parameters
    ----------
    value : object
        A check's argument.

    Returns
    -------
    object
        None, a bool, an int, a float, a str, a list or a dict (a tagged value).

    Examples
    --------
    >>> encode([1, 2.5, "b", None])
    [1, 2.5, 'b', None]
    >>> encode((1, ...))
    {'$type': 'tuple', 'items': [1, {'$type': 'ellipsis'}]}
    >>> encode(float("-inf"))
    {'$type': 'float', 'value': '-inf'}
    >>> encode(np.arange(3.0))
    {'$type': 'ndarray', 'dtype': '<f8', 'shape': [3], 'data': [0.0, 1.0, 2.0]}
    >>> encode({"a": 1})
    {'$type': 'unrecordable', 'type': 'dict', 'repr': "{'a': 1}"}
    """
    try:
        return _Encoder().encode(value)
    except _Refused as refused:
        if refused.huge:  # then its repr could be huge too
            marker = {_TAG: "unrecordable", "type": _type_name(value), "repr": f"<{_type_name(value)}>"}
        else:
            marker = {_TAG: "unrecordable", "type": refused.type_name, "repr": _safe_repr(value)}
        if refused.why:
            marker["why"] = refused.why
        return marker
    except RecursionError:
        why = "it is nested too deeply to record"
        return {_TAG: "unrecordable", "type": _type_name(value), "repr": "<deep>", "why": why}
    except Exception as error:  # a value whose conversion misbehaves
        why = f"it could not be recorded ({type(error).__name__})"
        return {_TAG: "unrecordable", "type": _type_name(value), "repr": _safe_repr(value), "why": why}


# Decoding --------------------------------------------------------------------------------


def _fields(obj: dict, *names: str, optional: tuple[str, ...] = ()) -> None:
    keys = set(obj) - {_TAG}
    missing = set(names) - keys
    extra = keys - set(names) - set(optional)
    if missing or extra:
        problem = f"missing {sorted(missing)}" if missing else f"unexpected {sorted(extra)}"
        raise ValueError(f"bad {obj[_TAG]!r} value: {problem}")


def _is_int(obj: object) -> bool:
    return isinstance(obj, int) and not isinstance(obj, bool)


def _decode_float(obj: object) -> float:
    value = decode(obj)
    if _is_int(value) or isinstance(value, float):
        return float(value)
    raise ValueError(f"expected a float, got {type(obj).__name__}")


def _decode_array(obj: dict) -> np.ndarray:
    _fields(obj, "dtype", "shape", "data")
    if not isinstance(obj["dtype"], str):
        raise ValueError("bad array: dtype must be a string")
    try:
        dtype = np.dtype(obj["dtype"])
    except (TypeError, ValueError, SyntaxError) as error:
        raise ValueError(f"bad array dtype {_short(obj['dtype'], 40)!r}: {error}") from None
    if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"bad array dtype {dtype}: not bool, number, unicode or object")
    shape, data = obj["shape"], obj["data"]
    if not isinstance(shape, list) or len(shape) > _MAX_DIMS or not all(_is_int(n) and n >= 0 for n in shape):
        raise ValueError("bad array shape: must be a list of non-negative ints")
    size = math.prod(shape)
    if size > MAX_ITEMS or size * dtype.itemsize > _MAX_BYTES:
        raise ValueError(f"bad array: too large ({size} items of {dtype.itemsize} bytes)")
    if not isinstance(data, list) or len(data) != size:
        raise ValueError(f"bad array data: expected a list of {size} items")
    items = [decode(item) for item in data]
    expected = {
        "b": (bool,),
        "i": (int,),
        "u": (int,),
        "f": (float, int),
        "c": (complex, float, int),
        "U": (str,),
    }.get(dtype.kind)
    if expected and not all(isinstance(item, expected) for item in items):
        raise ValueError(f"bad array data: items of the wrong type for dtype {dtype}")
    if dtype.kind in "iufc" and any(isinstance(item, bool) for item in items):
        raise ValueError(f"bad array data: bools in an array of dtype {dtype}")
    try:
        if dtype.kind == "O":
            array = np.empty(size, dtype=object)
            for index, item in enumerate(items):
                array[index] = item
        else:
            array = np.array(items, dtype=dtype)
        return array.reshape(shape)
    except (OverflowError, TypeError, ValueError) as error:
        raise ValueError(f"bad array data: {error}") from None


def _decode_tagged(obj: dict) -> object:
    tag = obj.get(_TAG)
    if tag == "float":
        _fields(obj, "value")
        if obj["value"] not in _NON_FINITE:
            raise ValueError(f"bad float: {_short(str(obj['value']), 40)!r}")
        return _NON_FINITE[obj["value"]]
    if tag == "int":
        _fields(obj, "hex")
        if not isinstance(obj["hex"], str) or len(obj["hex"]) > _MAX_INT_BITS // 4 + 3:
            raise ValueError("bad int: hex must be a string of a size that encode writes")
        return int(obj["hex"], 16)
    if tag == "ellipsis":
        _fields(obj)
        return Ellipsis
    if tag == "tuple":
        _fields(obj, "items")
        if not isinstance(obj["items"], list):
            raise ValueError("bad tuple: items must be a list")
        return tuple(decode(item) for item in obj["items"])
    if tag == "complex":
        _fields(obj, "real", "imag")
        return complex(_decode_float(obj["real"]), _decode_float(obj["imag"]))
    if tag == "fraction":
        _fields(obj, "numerator", "denominator")
        numerator, denominator = decode(obj["numerator"]), obj["denominator"]
        if not (_is_int(numerator) and _is_int(denominator) and denominator > 0):
            raise ValueError("bad fraction: needs an int numerator and a positive int denominator")
        return fractions.Fraction(numerator, denominator)
    if tag == "decimal":
        _fields(obj, "value")
        if not isinstance(obj["value"], str) or len(obj["value"]) > MAX_STRING:
            raise ValueError("bad decimal: value must be a string of a size that encode writes")
        try:
            return decimal.Decimal(obj["value"])
        except decimal.InvalidOperation:
            raise ValueError(f"bad decimal: {_short(obj['value'], 40)!r}") from None
    if tag == "ndarray":
        return _decode_array(obj)
    if tag == "unrecordable":
        _fields(obj, "type", "repr", optional=("why",))
        texts = [obj["type"], obj["repr"], obj.get("why", "")]
        if not all(isinstance(text, str) for text in texts):
            raise ValueError("bad unrecordable marker: its fields must be strings")
        type_name, text, why = _short(texts[0], _TYPE_LENGTH), _short(texts[1], _REPR_LENGTH), texts[2]
        return Unrecordable(type_name, text, _short(why, 200))
    raise ValueError(f"not an encoded answer: a dict with {_TAG} {_short(str(tag), 40)!r}")


def decode(obj: object) -> Any:
    """The value that `encode` turned into `obj`.

    Parameters
    ----------
    obj : object
        A value of JSON (as `json.loads` gives it) made by `encode`.

    Returns
    -------
    object
        The answer, or an `Unrecordable` marker.

    Raises
    ------
    ValueError
        If `obj` is not something `encode` makes (an unknown tag, missing or extra
        fields, an array whose data does not fit its dtype and shape).

    Examples
    --------
    >>> decode({"$type": "tuple", "items": [1, {"$type": "float", "value": "nan"}]})
    (1, nan)
    >>> decode({"$type": "ndarray", "dtype": "<i8", "shape": [2, 1], "data": [3, 4]})
    array([[3],
           [4]])
    >>> decode({"$type": "unrecordable", "type": "dict", "repr": "{}"}).hint
    'the answer is a dict; answers must be numbers, strings, lists/tuples or arrays'
    >>> decode({"answer": 1})
    Traceback (most recent call last):
    ValueError: not an encoded answer: a dict with $type 'None'
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        if isinstance(obj, str) and len(obj) > MAX_STRING:
            raise ValueError(f"string too long: {len(obj)} characters")
        return obj
    if isinstance(obj, list):
        return [decode(item) for item in obj]
    if isinstance(obj, dict):
        return _decode_tagged(obj)
    raise ValueError(f"not an encoded answer: {type(obj).__name__}")


# The answers file ------------------------------------------------------------------------


def record(path: str, cell_id: str, value: object) -> None:
    """Append the answer `value` given to check cell `cell_id` to the file `path`.

    The line is ``{"cell": cell_id, "answer": encode(value)}`` in JSON.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "answers.jsonl")
    >>> record(path, "ex01-check-q1", 0.5)
    >>> record(path, "ex01-check-q2", (1, 2))
    >>> print(open(path).read(), end="")
    {"cell": "ex01-check-q1", "answer": 0.5}
    {"cell": "ex01-check-q2", "answer": {"$type": "tuple", "items": [1, 2]}}
    """
    line = json.dumps({"cell": str(cell_id), "answer": encode(value)}, allow_nan=False)
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")


def records(text: str) -> dict[str, Any]:
    r"""The last encoded answer of each check cell in the text of an answers file.

    Lines that are not a record as `record` writes it are ignored.

    Examples
    --------
    >>> records('{"cell": "q1", "answer": 1}\nnot json\n{"cell": "q1", "answer": 2}\n')
    {'q1': 2}
    """
    answers: dict[str, Any] = {}
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("cell"), str) and "answer" in entry:
            answers[entry["cell"]] = entry["answer"]
    return answers
