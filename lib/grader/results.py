"""What grading produces: a result per question and per notebook, and the grader's constants."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbformat import NotebookNode

__all__ = [
    "ANSWERS_NAME",
    "NOT_RECORDED",
    "CellProblem",
    "CheckCall",
    "GradingError",
    "NotebookResult",
    "QuestionResult",
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


def _label(check_id: str) -> str:
    found = _QUESTION_NUMBER.search(check_id)
    return f"Question {found.group(1)}" if found else check_id


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
