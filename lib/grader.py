"""Grade student notebooks: ``python -m lib.grader PATH [PATH...]``.

A PATH is a notebook or a folder of notebooks. Each notebook is graded against its
exercise, named by the notebook metadata ``course.exercise`` or else by ``exNN`` in the
file name. The pristine release of exercise ``exNN`` is ``solutions/exNN_*.ipynb`` next
to the installed `lib` package (``exercises/`` when there is no ``solutions/``), or the
``exNN_*.ipynb`` in ``--release DIR``, which may hold either kind. Only its check cells
are used, and the generator keeps them identical in a solution and its exercise;
``exercises/`` is not the default because students work there in place (``make lab``).

A check cell is a code cell tagged ``check`` with id ``exNN-check-qK``; its last
statement, on a line of its own, calls ``exNN.qK(answer)`` with one argument, and the
cell imports the module with ``from lib.checks import exNN``. A release whose check
cells do not have this shape is a grading error. A question passes when

1. its check cell runs without raising under nbval (``pytest --nbval-lax``),
2. the answer handed to the check was recorded, and
3. the check function, called again by the grader in its own process, from its own
   `lib`, on the recorded answer, raises nothing.

Otherwise its hint is the error of the check cell in the kernel, or the message of
the check outside it, or "the answer was not recorded". The student's files are never
written: every notebook is graded from a copy in a temporary folder, in one pytest
run for all of them. For a folder, the grades also go to ``FOLDER/grades.csv``.

Anti-tampering
--------------
The notebook is the student's, so everything in it is treated as untrusted. There are
two layers.

*In the kernel*, the check cells run as released, against a pristine `lib`:

- Check cells are restored from the pristine release by cell id, with the release's
  source, tags and metadata. An edited check cell, a ``raises-exception`` or
  ``nbval-skip`` tag, an ``# NBVAL_SKIP`` or ``# NBVAL_RAISES_EXCEPTION`` comment are
  thereby undone; duplicates of a check cell's id are dropped and a deleted check cell
  is put back after the cell that precedes it in the release. Outputs are stripped.
- The `lib` package is restored too: a copy of the grader's own `lib` is placed next to
  the copied notebook (the kernel's working folder, so ``import lib`` in the notebook
  finds the copy), and every check cell starts with a one-line preamble that drops all
  ``lib`` modules from ``sys.modules`` and imports `lib` afresh from that copy, so
  that a monkeypatched check or helper, or a rebound ``exNN``, is not what runs. Lib
  files edited on the student's own disk are never used.
- After the run the lib copy is compared with its state before the run; if a notebook
  wrote to it, every question of that notebook fails.
- A check cell that is skipped or missing from the report counts as failed.

This layer alone can be fooled, since the student's code runs in the same kernel
before the check cells: an IPython custom exception handler, a fake ``sys`` in
``sys.modules`` (which makes the preamble a no-op), patched builtins, or a lib copy
edited in an early cell and put back in the last all made wrong answers pass.

*Outside the kernel*, the value is judged by trusted code. Just before its check call,
every restored check cell records the call's argument with `lib._answers.record` in
``answers.jsonl`` in the notebook's folder (JSON that decodes only to plain values:
numbers, strings, lists, tuples, arrays). After the run the grader takes the last
answer recorded for each check cell and calls the check function on it itself, in its
own process, with the check modules it imported before any notebook ran. Patched checks,
faked ``sys.modules``, custom exception handlers, patched builtins or NumPy, or an
edited-and-restored lib copy therefore cannot turn a wrong value into a pass: at most
they lose the record, and a question with no record fails.

Limits: the grade says that the right value reached the check, not how it was found.
A student who obtains the right value some other way gets credit: by calling `lib` in
the notebook (the checks compute the expected values from `lib`, and a helper patched
in the kernel can capture them), by reading the solutions, or by copying a classmate's,
then writing it to the answers file directly. Notebook code runs with the grader's
user rights, so it can read and write any file the grader can: the other notebooks of
the batch and their answers files (they run side by side in one temporary folder), the
submissions, the course, the venv, the grader itself for later runs. Grade untrusted
notebooks in a container or as an unprivileged user, one notebook per container for
a batch of mutually untrusted students, and read the notebooks that score surprisingly.

Usage::

    python -m lib.grader exercises/ex01_power_laws.ipynb
    python -m lib.grader submissions/ --timeout 120      # also writes submissions/grades.csv
    python -m lib.grader submissions/ --csv grades.csv --release exercises/
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import csv
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbformat import NotebookNode

import lib
from lib import _answers

__all__ = [
    "ANSWERS_NAME",
    "NOT_RECORDED",
    "CellProblem",
    "CheckCall",
    "GradingError",
    "NotebookResult",
    "QuestionResult",
    "default_release",
    "describe_failure",
    "format_result",
    "format_summary",
    "grade",
    "identify_exercise",
    "lib_preamble",
    "main",
    "parse_check_cell",
    "record_line",
    "restore_check_cells",
    "write_csv",
]

CHECK_TAG = "check"
DEFAULT_TIMEOUT = 60.0
UNREADABLE = "could not read notebook"
ANSWERS_NAME = "answers.jsonl"
NOT_RECORDED = "the answer was not recorded: the check cell did not run normally"
_MAX_ANSWERS_BYTES = 64 << 20
_CHECK_SHAPE = (
    "its last statement must be a check call `exNN.qK(answer)` with exactly one positional argument"
)
_EXERCISE = re.compile(r"ex\d\d")
_QUESTION_NUMBER = re.compile(r"-q(\d+)$")
_NBVAL_TAGS = frozenset(
    {
        "raises-exception",
        "nbval-raises-exception",
        "nbval-skip",
        "nbval-check-output",
        "nbval-ignore-output",
        "pytest-validate-ignore-output",
    }
)
_ANSI = re.compile(r"(?:\x1b|#x1B)\[[0-9;]*[A-Za-z]")
_EXCEPTION_LINE = re.compile(r"^(?:E\s+)?[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit)(?::|$)")
_CELL_TYPES = frozenset({"code", "markdown", "raw"})
_NOTEBOOK_DIR = "notebook"
_NOTEBOOK_NAME = "notebook.ipynb"
_UNREADABLE_ERRORS = (
    OSError,
    ValueError,  # includes nbformat's NotJSONError and UnicodeDecodeError
    TypeError,
    KeyError,
    AttributeError,
    RecursionError,
    nbformat.ValidationError,
)


class GradingError(Exception):
    """Grading could not be done at all (a missing path, no notebooks, a bad option)."""


@dataclass(frozen=True)
class QuestionResult:
    """The result of one question (one pristine check cell).

    Attributes
    ----------
    label : str
        ``"Question K"``, from the check cell id ``exNN-check-qK``.
    cell_id : str
        The check cell's id.
    passed : bool
        Whether the check cell ran without raising and the grader's own check of the
        recorded answer passed too.
    hint : str
        Why it failed (the check's message or the error), empty when passed.
    """

    label: str
    cell_id: str
    passed: bool
    hint: str = ""


@dataclass(frozen=True)
class CellProblem:
    """A cell other than a check cell that failed while the notebook was graded.

    Attributes
    ----------
    cell : int
        Position of the cell in the graded notebook, counting all cells from 1.
    first_line : str
        The first non-blank line of the cell's source.
    error : str
        The error it raised, e.g. ``"SyntaxError: invalid syntax"``.
    """

    cell: int
    first_line: str
    error: str


@dataclass
class NotebookResult:
    """The grade of one notebook.

    Attributes
    ----------
    path : Path
        The student's notebook, as given.
    exercise : str or None
        ``"exNN"``, or None when it could not be identified.
    questions : list of QuestionResult
        One per check cell of the pristine exercise; empty when the notebook could not
        be graded at all.
    problems : list of CellProblem
        Other cells that failed.
    error : str or None
        Why the notebook was not graded normally: it is unreadable, it wrote to the
        course's lib files, its exercise is unknown, or pytest gave no result for it.
    """

    path: Path
    exercise: str | None
    questions: list[QuestionResult]
    problems: list[CellProblem] = field(default_factory=list)
    error: str | None = None

    @property
    def graded(self) -> bool:
        """True when the notebook got a score (possibly 0), False on a grading error."""
        return bool(self.questions)

    @property
    def score(self) -> int:
        """Number of questions passed."""
        return sum(question.passed for question in self.questions)

    @property
    def total(self) -> int:
        """Number of questions."""
        return len(self.questions)


class CheckCall(NamedTuple):
    """The call ``module.function(argument)`` that ends a check cell, on line ``line``."""

    module: str
    function: str
    argument: str  # the source of the argument expression
    line: int  # where the call starts, counting lines of the cell's source from 0


class _Outcome(NamedTuple):
    status: str  # "passed", "failed" or "skipped"
    text: str


@dataclass(frozen=True)
class _Check:
    cell: NotebookNode  # the pristine check cell
    function: Callable[[object], object]  # the grader's own lib.checks.exNN.qK

    @property
    def cell_id(self) -> str:
        return self.cell["id"]

    @property
    def label(self) -> str:
        return _label(self.cell["id"])


@dataclass(frozen=True)
class _Release:
    notebook: NotebookNode
    checks: list[_Check]


@dataclass(frozen=True)
class _Job:
    path: Path
    exercise: str
    notebook: Path
    cells: list[NotebookNode]
    checks: list[_Check]
    lib_digest: str
    answers: Path


# Finding the exercise --------------------------------------------------------------------


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
        isinstance(call, ast.Call)
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
    import lib._answers as _grader_answers;
    _grader_answers.record('/tmp/a.jsonl', 'ex01-check-q1', (factor))  # added by the grader
    """
    return (
        "import lib._answers as _grader_answers; "
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


def _label(check_id: str) -> str:
    found = _QUESTION_NUMBER.search(check_id)
    return f"Question {found.group(1)}" if found else check_id


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


# Preparing the copies --------------------------------------------------------------------


def _copy_lib(folder: Path) -> Path:
    """Copy the grader's own `lib` package to ``folder/lib`` (the kernel's working folder)."""
    source = Path(lib.__file__).resolve().parent
    return Path(shutil.copytree(source, folder / "lib", ignore=shutil.ignore_patterns("__pycache__")))


def _failed_everywhere(
    path: Path, exercise: str, checks: list[_Check], hint: str, error: str
) -> NotebookResult:
    questions = [QuestionResult(check.label, check.cell_id, False, hint) for check in checks]
    return NotebookResult(path, exercise, questions, error=error)


def _prepare(
    path: Path, folder: Path, release: Path, pristines: dict[str, _Release | str]
) -> _Job | NotebookResult:
    """Copy `path` into `folder` ready to run, or return its result if it cannot run."""
    try:
        student: NotebookNode | None = _read_notebook(path)
        reason = ""
    except _UNREADABLE_ERRORS as error:
        student, reason = None, f"{UNREADABLE}: {error}"
    exercise = identify_exercise(path, student)
    if exercise is None:
        why = reason or "no course.exercise in the notebook metadata"
        return NotebookResult(path, None, [], error=f"unknown exercise: {why}, and no exNN in the file name")
    if exercise not in pristines:
        pristines[exercise] = _load_pristine(exercise, release)
    pristine = pristines[exercise]
    if isinstance(pristine, str):
        return NotebookResult(path, exercise, [], error=pristine)
    if student is None:
        return _failed_everywhere(path, exercise, pristine.checks, UNREADABLE, reason)
    lib_copy = _copy_lib(folder)
    answers = folder / ANSWERS_NAME
    graded = restore_check_cells(student, pristine.notebook, lib_preamble(lib_copy), answers)
    notebook = folder / _NOTEBOOK_NAME
    notebook.write_text(json.dumps(graded, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return _Job(path, exercise, notebook, graded.cells, pristine.checks, _digest(lib_copy), answers)


# Running nbval ---------------------------------------------------------------------------


def _pytest_command(notebooks: list[Path], workdir: Path, timeout: float, workers: int) -> list[str]:
    ini = workdir / "pytest.ini"  # empty: no project configuration applies
    ini.write_text("", "utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini)]
    command += ["--rootdir", str(workdir), "--junitxml", str(workdir / "report.xml")]
    command += ["--nbval-lax", "--nbval-current-env", f"--nbval-cell-timeout={timeout:g}"]
    # nbval marks every cell after a timed-out one xfail; --runxfail runs them for real.
    command += ["--runxfail", "--continue-on-collection-errors"]
    if workers > 1:
        command += ["-n", str(workers), "--dist", "loadfile"]
    return command + [str(notebook) for notebook in notebooks]


def _parse_report(report: Path) -> dict[str, dict[int, _Outcome]]:
    """Outcomes by notebook folder name and nbval cell number (code cells from 0)."""
    outcomes: dict[str, dict[int, _Outcome]] = {}
    for case in ET.parse(report).iter("testcase"):
        folder = case.get("classname", "").split(".", 1)[0]
        name = case.get("name", "")
        if not name.startswith("Cell "):
            continue
        status, text = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status = "skipped" if child.tag == "skipped" else "failed"
                text = child.text or child.get("message", "")
        outcomes.setdefault(folder, {})[int(name.removeprefix("Cell "))] = _Outcome(status, text)
    return outcomes


def _run_nbval(
    jobs: list[_Job], workdir: Path, timeout: float, workers: int
) -> dict[str, dict[int, _Outcome]]:
    """Run all `jobs` in one pytest process; raise GradingError if it gives no report.

    The output goes to a file, not a pipe, so that a process left behind by a notebook
    cannot keep the grader waiting.
    """
    log = workdir / "pytest.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = _pytest_command([job.notebook for job in jobs], workdir, timeout, workers)
    with log.open("w", encoding="utf-8") as out:
        status = subprocess.run(
            command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode
    report = workdir / "report.xml"
    if status not in (0, 1) or not report.exists():
        tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-15:])
        raise GradingError(f"pytest failed (exit status {status}):\n{tail}")
    return _parse_report(report)


# Turning outcomes into results -----------------------------------------------------------


def describe_failure(text: str, timeout: float) -> str:
    r"""The line a reader needs from an nbval failure report.

    Examples
    --------
    >>> describe_failure("Cell 3: Cell execution caused an exception\n\nTraceback:\n"
    ...                  "----> 1 f(x)\nNameError: name 'x' is not defined", 60)
    "NameError: name 'x' is not defined"
    >>> describe_failure("Cell 2: Timeout of 3 seconds exceeded executing cell", 3)
    'timed out after 3 s'
    >>> describe_failure("Cell 4: Timeout of 3 seconds exceeded while executing cell. Failed to "
    ...                  "interrupt kernel in 5 seconds, so failing without traceback.", 3)
    'the kernel died while running this cell (or it ran over 3 s and could not be interrupted)'
    """
    text = _ANSI.sub("", text)
    if "Failed to interrupt kernel" in text:  # nbval's words when the kernel died (or froze)
        hung = f"it ran over {timeout:g} s and could not be interrupted"
        return f"the kernel died while running this cell (or {hung})"
    if "Timeout of" in text:
        return f"timed out after {timeout:g} s"
    if "Kernel dead" in text:
        return "not run: the kernel had died (an earlier cell crashed or exited it)"
    lines = [line.strip() for line in text.rpartition("Traceback:")[2].splitlines()]
    lines = [line for line in lines if line]
    for line in reversed(lines):
        if _EXCEPTION_LINE.match(line):
            return re.sub(r"^E\s+", "", line)
    return lines[-1] if lines else "failed"


def _question_hint(outcome: _Outcome | None, label: str, timeout: float) -> str:
    if outcome is None:
        return "not run (the report has no result for this cell)"
    if outcome.status == "skipped":
        return f"skipped: {outcome.text}"
    error = describe_failure(outcome.text, timeout)
    message = re.sub(r"^(?:AssertionError|AnswerError): ", "", error)
    return message.removeprefix(f"{label}: ") if message != error else error


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def _read_answers(path: Path) -> tuple[dict[str, object], str]:
    """The encoded answers recorded in `path` by check cell id, or why they cannot be read.

    The file is the notebook's to write, so it is opened without following a symbolic
    link or waiting on a pipe, must be a regular file with no other (hard) link, such as
    one to another notebook's answers, and is read up to a size limit.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return {}, ""
    except OSError as error:
        return {}, f"the answers could not be read: {error.strerror or error}"
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1:
            return {}, f"the answers could not be read: {ANSWERS_NAME} is not a regular file of its own"
        data = file.read(_MAX_ANSWERS_BYTES + 1)
    if len(data) > _MAX_ANSWERS_BYTES:
        return {}, f"the answers could not be read: {ANSWERS_NAME} is over {_MAX_ANSWERS_BYTES >> 20} MiB"
    return _answers.records(data.decode("utf-8", "replace")), ""


def _without_label(message: str, label: str) -> str:
    message = message.removeprefix("AssertionError: ")
    return message.removeprefix(f"{label}: ")


def _recheck(check: _Check, recorded: dict[str, object]) -> str | None:
    """Why the recorded answer of `check` fails the grader's own check; None if it passes."""
    if check.cell_id not in recorded:
        return NOT_RECORDED
    try:
        answer = _answers.decode(recorded[check.cell_id])
    except Exception as error:
        return f"the recorded answer could not be read: {error}"
    if isinstance(answer, _answers.Unrecordable):
        return answer.hint
    output = io.StringIO()
    try:
        with (
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            check.function(answer)
    except AssertionError as error:
        return _without_label(str(error), check.label) or "AssertionError"
    except Exception as error:
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return None


def _result(job: _Job, outcomes: dict[int, _Outcome], timeout: float) -> NotebookResult:
    code_cells = [
        (position, cell)
        for position, cell in enumerate(job.cells, start=1)
        if cell.get("cell_type") == "code"
    ]
    number = {cell.get("id"): index for index, (_, cell) in enumerate(code_cells)}
    recorded, unreadable = _read_answers(job.answers)
    questions = []
    for check in job.checks:
        outcome = outcomes.get(number[check.cell_id])
        if outcome is None or outcome.status != "passed":  # the kernel's verdict comes first
            failure: str | None = _question_hint(outcome, check.label, timeout) or "failed"
        else:
            failure = unreadable or _recheck(check, recorded)
        passed = failure is None
        questions.append(QuestionResult(check.label, check.cell_id, passed, failure or ""))
    check_ids = {check.cell_id for check in job.checks}
    problems = [
        CellProblem(position, _first_line(cell.get("source", "")), describe_failure(outcome.text, timeout))
        for index, (position, cell) in enumerate(code_cells)
        if cell.get("id") not in check_ids
        and (outcome := outcomes.get(index)) is not None
        and outcome.status == "failed"
    ]
    return NotebookResult(job.path, job.exercise, questions, problems)


def _finish(job: _Job, outcomes: dict[int, _Outcome] | None, timeout: float) -> NotebookResult:
    if _digest(job.notebook.parent / "lib") != job.lib_digest:
        error = "the notebook wrote to the course's lib files during grading"
        return _failed_everywhere(job.path, job.exercise, job.checks, f"not graded: {error}", error)
    if not outcomes:
        return NotebookResult(job.path, job.exercise, [], error="pytest gave no result for this notebook")
    return _result(job, outcomes, timeout)


# Grading ---------------------------------------------------------------------------------


def _notebooks(paths: Iterable[str | Path]) -> list[Path]:
    notebooks: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = [
                p for p in sorted(path.glob("*.ipynb")) if p.is_file() and ".ipynb_checkpoints" not in p.parts
            ]
            if not found:
                raise GradingError(f"no notebooks (*.ipynb) in folder {path}")
            notebooks += found
        elif path.is_file():
            notebooks.append(path)
        else:
            raise GradingError(f"no such file or folder: {path}")
    if not notebooks:
        raise GradingError("no notebooks to grade")
    return notebooks


def grade(
    paths: Iterable[str | Path],
    *,
    release: str | Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int | None = None,
) -> list[NotebookResult]:
    """Grade notebooks without modifying them.

    Parameters
    ----------
    paths : iterable of str or Path
        Notebooks and folders of notebooks (``*.ipynb`` directly inside).
    release : str or Path, optional
        Folder of pristine exercises; default: `default_release`.
    timeout : float
        Seconds each cell may run.
    workers : int, optional
        Parallel pytest workers; default: as many as notebooks, at most the CPU count.

    Returns
    -------
    list of NotebookResult
        One per notebook, in the order given (folders sorted by name). A result with
        no questions (``graded`` False) is a grading error, explained by ``error``.

    Raises
    ------
    GradingError
        If a path does not exist, a folder has no notebooks, an option is invalid, or
        pytest fails without a report.
    """
    if timeout <= 0:
        raise GradingError(f"the timeout must be positive, got {timeout}")
    if workers is not None and workers < 1:
        raise GradingError(f"the number of workers must be at least 1, got {workers}")
    notebooks = _notebooks(paths)
    release = Path(release) if release is not None else default_release()
    pristines: dict[str, _Release | str] = {}
    with tempfile.TemporaryDirectory(prefix="grader-") as tmp:
        workdir = Path(tmp)
        prepared = [
            _prepare(path, workdir / f"{_NOTEBOOK_DIR}{index:03d}", release, pristines)
            for index, path in enumerate(notebooks)
        ]
        jobs = [item for item in prepared if isinstance(item, _Job)]
        count = min(workers or os.cpu_count() or 1, len(jobs))
        outcomes = _run_nbval(jobs, workdir, timeout, count) if jobs else {}
        return [
            _finish(item, outcomes.get(item.notebook.parent.name), timeout)
            if isinstance(item, _Job)
            else item
            for item in prepared
        ]


# Reporting -------------------------------------------------------------------------------


def _wrap(text: str, width: int, indent: int) -> list[str]:
    lines = textwrap.wrap(text, max(width - indent, 30), break_on_hyphens=False)
    return lines or [""]


def format_result(result: NotebookResult, width: int = 100) -> str:
    """The report of one notebook: a ``Question | Result | Hint`` table and the total.

    Examples
    --------
    >>> result = NotebookResult(Path("a.ipynb"), "ex01", [
    ...     QuestionResult("Question 1", "ex01-check-q1", True),
    ...     QuestionResult("Question 2", "ex01-check-q2", False, "not answered yet")])
    >>> print(format_result(result))
    a.ipynb (ex01)
      Question    Result  Hint
      ----------  ------  ----------------
      Question 1  PASS
      Question 2  FAIL    not answered yet
      Total: 1/2
    """
    lines = [f"{result.path} ({result.exercise or 'unknown exercise'})"]
    if result.error:
        lines += [f"  ! {line}" for line in _wrap(result.error, width, 4)]
    if result.questions:
        label_width = max(len("Question"), *(len(q.label) for q in result.questions))
        indent = 2 + label_width + 2 + len("Result") + 2
        hint_width = min(width - indent, max(len("Hint"), *(len(q.hint) for q in result.questions)))
        lines.append(f"  {'Question':<{label_width}}  Result  Hint")
        lines.append(f"  {'-' * label_width}  ------  {'-' * max(hint_width, 4)}")
        for question in result.questions:
            hint = _wrap(question.hint, width, indent)
            verdict = "PASS" if question.passed else "FAIL"
            lines.append(f"  {question.label:<{label_width}}  {verdict:<6}  {hint[0]}".rstrip())
            lines += [" " * indent + line for line in hint[1:]]
        lines.append(f"  Total: {result.score}/{result.total}")
    if result.problems:
        lines.append("\n  Problems in other cells:")
        for problem in result.problems:
            first = problem.first_line if len(problem.first_line) <= 40 else problem.first_line[:39] + "…"
            text = f"cell {problem.cell} `{first}`: {problem.error}"
            lines += [("    " if i == 0 else "      ") + line for i, line in enumerate(_wrap(text, width, 6))]
    return "\n".join(lines)


def format_summary(results: Sequence[NotebookResult]) -> str:
    """One line per notebook: name, exercise and score (or the grading error)."""
    name_width = max(len(str(result.path)) for result in results)
    lines = [f"Summary ({len(results)} notebooks):"]
    for result in results:
        score = f"{result.score}/{result.total}" if result.graded else "not graded (see above)"
        lines.append(f"  {str(result.path):<{name_width}}  {result.exercise or '?':<4}  {score}")
    return "\n".join(lines)


def write_csv(results: Sequence[NotebookResult], path: str | Path) -> None:
    """Write one row per notebook and question: notebook, exercise, question, passed, hint.

    A notebook that could not be graded gets one row with an empty question and its
    error as the hint.
    """
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["notebook", "exercise", "question", "passed", "hint"])
        for result in results:
            rows = [(q.label, int(q.passed), q.hint) for q in result.questions]
            for label, passed, hint in rows or [("", 0, result.error or "")]:
                writer.writerow([str(result.path), result.exercise or "", label, passed, hint])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.grader",
        description="Grade exercise notebooks; the student's files are not modified.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebook or folder of notebooks")
    parser.add_argument("--release", metavar="DIR", help="folder of pristine exercises")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit per cell (default: %(default)g)",
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="parallel workers (default: notebooks, at most the CPUs)"
    )
    parser.add_argument(
        "--csv", metavar="PATH", help="write grades here (default when grading a folder: FOLDER/grades.csv)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Grade from the command line; return 0 when grading completed, 2 on a grading error."""
    args = _parser().parse_args(argv)
    try:
        results = grade(args.paths, release=args.release, timeout=args.timeout, workers=args.workers)
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    width = max(shutil.get_terminal_size((100, 24)).columns, 60)
    print("\n\n".join(format_result(result, width) for result in results))
    if len(results) > 1:
        print(f"\n{format_summary(results)}")
    folders = [Path(path) for path in args.paths if Path(path).is_dir()]
    csv_path = args.csv or (folders[0] / "grades.csv" if folders else None)
    if csv_path:
        try:
            write_csv(results, csv_path)
        except OSError as error:
            print(f"error: could not write {csv_path}: {error}", file=sys.stderr)
            return 2
        print(f"\nGrades written to {csv_path}")
    failed = [result for result in results if not result.graded]
    for result in failed:
        print(f"error: {result.path}: {result.error}", file=sys.stderr)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
