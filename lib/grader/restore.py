"""Finding a notebook's exercise and putting its pristine check cells and `lib` back.

Check cells are restored from the release by cell id; each starts with a preamble that
imports `lib` afresh from the pristine copy beside the notebook, and records the argument of
its check call in the answers file (see the package docstring, "Anti-tampering").
"""

from __future__ import annotations

import ast
import copy
import hashlib
import importlib
import json
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

import lib
from lib.grader.results import (
    _CELL_TYPES,
    _CHECK_SHAPE,
    _EXERCISE,
    _NBVAL_TAGS,
    _UNREADABLE_ERRORS,
    ANSWERS_NAME,
    CHECK_TAG,
    CheckCall,
    _Check,
    _Release,
)

__all__ = [
    "default_release",
    "identify_exercise",
    "lib_preamble",
    "parse_check_cell",
    "record_line",
    "restore_check_cells",
]


def default_release() -> Path:
    """The ``solutions/`` folder of the course the grader's own `lib` belongs to.

    Its check cells are those of ``exercises/``, which students edit in place; when
    there is no ``solutions/`` (a course shipped without them), ``exercises/``.
    """
    course = Path(lib.__file__).resolve().parent.parent
    solutions = course / "solutions"
    return solutions if solutions.is_dir() else course / "exercises"


def identify_exercise(path: Path, notebook: dict | None) -> str | None:
    """The exercise ``"exNN"`` of a notebook: its metadata, else its file name, else None.

    Examples
    --------
    >>> identify_exercise(Path("alice-ex03.ipynb"), {"metadata": {"course": {"exercise": "ex01"}}})
    'ex01'
    >>> identify_exercise(Path("alice-ex03.ipynb"), None)
    'ex03'
    >>> print(identify_exercise(Path("homework.ipynb"), {"metadata": {}}))
    None
    """
    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    course = metadata.get("course") if isinstance(metadata, dict) else None
    exercise = course.get("exercise") if isinstance(course, dict) else None
    if isinstance(exercise, str) and _EXERCISE.fullmatch(exercise):
        return exercise
    found = _EXERCISE.search(path.name.lower())
    return found.group() if found else None


def _load_pristine(exercise: str, release: Path) -> _Release | str:
    """The released ``exNN_*.ipynb`` of `exercise` and its checks, or why it cannot be used.

    The check functions are imported here, from the grader's own `lib`, before any
    student code runs.
    """
    candidates = sorted(release.glob(f"{exercise}_*.ipynb"))
    if not candidates:
        return f"unknown exercise {exercise}: no {exercise}_*.ipynb in {release}"
    try:
        pristine = nbformat.read(candidates[0], as_version=4)
    except _UNREADABLE_ERRORS as error:
        return f"the release is wrong: cannot read {candidates[0]}: {error}"
    cells = _check_cells(pristine)
    if not cells:
        return f"{candidates[0]} has no check cells (code cells tagged {CHECK_TAG!r} with an id)"
    checks = []
    for cell in cells:
        try:
            checks.append(_Check(cell, _trusted_check(cell)))
        except ValueError as error:
            where = f"{candidates[0]}, check cell {cell['id']}"
            return f"the release is wrong, not the notebook: {where}: {error}"
    return _Release(pristine, checks)


def parse_check_cell(source: str) -> CheckCall:
    r"""The check call that ends the source of a pristine check cell.

    Parameters
    ----------
    source : str
        The cell's source.

    Returns
    -------
    CheckCall
        The module ``exNN``, the function ``qK``, the source of the argument and the
        line where the call starts.

    Raises
    ------
    ValueError
        If the last statement is not ``exNN.qK(<one expression>)`` at the start of a
        line, or the cell does not import ``exNN`` with ``from lib.checks import exNN``.

    Examples
    --------
    >>> parse_check_cell("from lib.checks import ex01\n\nex01.q1(factor)")
    CheckCall(module='ex01', function='q1', argument='factor', line=2)
    >>> parse_check_cell("from lib.checks import ex01\nex01.q1(factor, 2)")
    Traceback (most recent call last):
    ValueError: its last statement must be a check call `exNN.qK(answer)` with exactly one positional argument
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ValueError(f"it is not valid Python: {error.msg} (line {error.lineno})") from None
    last = tree.body[-1] if tree.body else None
    call = last.value if isinstance(last, ast.Expr) else None
    if not (
        isinstance(last, ast.Expr)
        and isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and len(call.args) == 1
        and not isinstance(call.args[0], ast.Starred)
        and not call.keywords
    ):
        raise ValueError(_CHECK_SHAPE)
    module, function = call.func.value.id, call.func.attr
    if not _EXERCISE.fullmatch(module) or function.startswith("_"):
        raise ValueError(f"{_CHECK_SHAPE}, not {module}.{function}(...)")
    imported = any(
        isinstance(statement, ast.ImportFrom)
        and statement.module == "lib.checks"
        and statement.level == 0
        and any(alias.name == module and alias.asname in (None, module) for alias in statement.names)
        for statement in tree.body[:-1]
    )
    if not imported:
        raise ValueError(f"it must import the module it calls with `from lib.checks import {module}`")
    if last.col_offset != 0:
        raise ValueError("its check call must start a line of its own")
    argument = ast.get_source_segment(source, call.args[0]) or ""
    return CheckCall(module, function, argument, last.lineno - 1)


def record_line(answers: Path, cell_id: str, argument: str) -> str:
    r"""The line, put before a check call, that records its `argument` in `answers`.

    Examples
    --------
    >>> line = record_line(Path("/tmp/a.jsonl"), "ex01-check-q1", "factor")
    >>> print(line.replace("; ", ";\n"))
    import lib.course.answers as _grader_answers;
    _grader_answers.record('/tmp/a.jsonl', 'ex01-check-q1', (factor))  # added by the grader
    """
    return (
        "import lib.course.answers as _grader_answers; "
        f"_grader_answers.record({str(answers)!r}, {cell_id!r}, ({argument}))  # added by the grader"
    )


def _with_record(source: str, answers: Path, cell_id: str) -> str:
    """`source` with the line that records the check's argument just before the check call."""
    call = parse_check_cell(source)
    lines = source.split("\n")
    lines.insert(call.line, record_line(answers, cell_id, call.argument))
    recording = "\n".join(lines)
    try:
        before, after = ast.parse(source).body, ast.parse(recording).body
    except SyntaxError:
        after = None
    if after is None or len(after) != len(before) + 2 or ast.dump(after[-1]) != ast.dump(before[-1]):
        raise ValueError("the line that records the answer cannot be put before its check call")
    return recording


def _trusted_check(cell: NotebookNode) -> Callable[[object], object]:
    """The grader's own check function that `cell` calls; ValueError if there is none."""
    call = parse_check_cell(cell["source"])
    _with_record(cell["source"], Path(ANSWERS_NAME), cell["id"])
    name = f"lib.checks.{call.module}"
    try:
        module = importlib.import_module(name)
    except Exception as error:
        raise ValueError(f"cannot import {name}: {type(error).__name__}: {error}") from None
    function = getattr(module, call.function, None)
    if not callable(function):
        raise ValueError(f"{name} has no check function {call.function}")
    return function


def _check_cells(pristine: NotebookNode) -> list[NotebookNode]:
    """The check cells of a pristine exercise: code cells tagged ``check``, with an id."""
    return [
        cell
        for cell in pristine.cells
        if cell.get("cell_type") == "code" and CHECK_TAG in _tags(cell) and "id" in cell
    ]


def _tags(cell: dict) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


# Reading and restoring notebooks ---------------------------------------------------------


def _is_cell(cell: object) -> bool:
    return (
        isinstance(cell, dict)
        and cell.get("cell_type") in _CELL_TYPES
        and isinstance(cell.get("source", ""), str)
        and isinstance(cell.get("metadata", {}), dict)
    )


def _read_notebook(path: Path) -> NotebookNode:
    """Read a notebook as nbformat 4 without repairing it (duplicate ids stay)."""
    text = path.read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise ValueError("JSON, but not a Jupyter notebook (no nbformat field)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        notebook = nbformat.convert(nbformat.reader.reads(text), 4)
    if not isinstance(notebook.get("cells"), list) or not all(map(_is_cell, notebook.cells)):
        raise ValueError("its list of cells is malformed")
    return notebook


def lib_preamble(lib_dir: Path) -> str:
    r"""One line that re-imports `lib` from `lib_dir`, dropping every loaded ``lib`` module.

    Examples
    --------
    >>> line = lib_preamble(Path("/tmp/x/lib"))
    >>> "\n" in line, "spec_from_file_location" in line
    (False, True)
    """
    init = str(lib_dir / "__init__.py")
    return (
        "import importlib.util as _grader_util, sys as _grader_sys; "
        "[_grader_sys.modules.pop(_grader_name) for _grader_name in list(_grader_sys.modules) "
        "if _grader_name == 'lib' or _grader_name.startswith('lib.')]; "
        f"_grader_spec = _grader_util.spec_from_file_location('lib', {init!r}, "
        f"submodule_search_locations=[{str(lib_dir)!r}]); "
        "_grader_lib = _grader_util.module_from_spec(_grader_spec); "
        "_grader_sys.modules['lib'] = _grader_lib; "
        "_grader_spec.loader.exec_module(_grader_lib)  # added by the grader"
    )


def _without_outputs(cell: NotebookNode) -> NotebookNode:
    cell = copy.deepcopy(cell)
    cell.setdefault("source", "")
    cell.setdefault("metadata", {})
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def _restored(check: NotebookNode, preamble: str, answers: Path | None) -> NotebookNode:
    cell = _without_outputs(check)
    source = check["source"] if answers is None else _with_record(check["source"], answers, check["id"])
    cell["source"] = f"{preamble}\n{source}" if preamble else source
    tags = [tag for tag in _tags(cell) if tag not in _NBVAL_TAGS]
    cell["metadata"]["tags"] = tags
    return cell


def _insertion_point(cells: list[NotebookNode], earlier_ids: Sequence[str]) -> int:
    positions = {cell.get("id"): index for index, cell in reversed(list(enumerate(cells)))}
    for cell_id in reversed(earlier_ids):
        if cell_id in positions:
            return positions[cell_id] + 1
    return len(cells)


def restore_check_cells(
    student: NotebookNode, pristine: NotebookNode, preamble: str = "", answers: Path | None = None
) -> NotebookNode:
    """A copy of `student` whose check cells are those of `pristine`, outputs stripped.

    Parameters
    ----------
    student : NotebookNode
        The student's notebook (not modified).
    pristine : NotebookNode
        The released exercise.
    preamble : str
        A line put before the source of every check cell (see `lib_preamble`).
    answers : Path, optional
        If given, every check cell records its check's argument in this file (see
        `record_line`), on a line put just before the check call.

    Returns
    -------
    NotebookNode
        Each student cell with a check cell's id is replaced by the pristine cell (the
        first one; later duplicates are dropped); each missing check cell is inserted
        after the nearest cell that precedes it in `pristine` and is still present, or
        at the end.

    Raises
    ------
    ValueError
        If `answers` is given and a pristine check cell does not end with a check call
        (see `parse_check_cell`).
    """
    checks = {cell["id"]: cell for cell in _check_cells(pristine)}
    cells: list[NotebookNode] = []
    present: set[str] = set()
    for cell in student.cells:
        cell_id = cell.get("id")
        if cell_id not in checks:
            cells.append(_without_outputs(cell))
        elif cell_id not in present:
            cells.append(_restored(checks[cell_id], preamble, answers))
            present.add(cell_id)
    pristine_ids = [cell.get("id") for cell in pristine.cells]
    for index, cell_id in enumerate(pristine_ids):
        if cell_id in checks and cell_id not in present:
            position = _insertion_point(cells, pristine_ids[:index])
            cells.insert(position, _restored(checks[cell_id], preamble, answers))
            present.add(cell_id)
    restored = copy.deepcopy(student)
    restored["cells"] = cells
    return restored


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()
