"""Running the restored copies under nbval and turning its report into results.

Every notebook is graded from a copy in a temporary folder, in one pytest run for all of
them; each question's answer is then checked again outside the kernel.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from nbformat import NotebookNode

import lib
from lib.course.answers import Unrecordable, decode, records
from lib.grader.restore import (
    _digest,
    _load_pristine,
    _read_notebook,
    default_release,
    identify_exercise,
    lib_preamble,
    restore_check_cells,
)
from lib.grader.results import (
    _ANSI,
    _EXCEPTION_LINE,
    _MAX_ANSWERS_BYTES,
    _NOTEBOOK_DIR,
    _NOTEBOOK_NAME,
    _UNREADABLE_ERRORS,
    ANSWERS_NAME,
    DEFAULT_TIMEOUT,
    NOT_RECORDED,
    UNREADABLE,
    CellProblem,
    GradingError,
    NotebookResult,
    QuestionResult,
    _Check,
    _Job,
    _Outcome,
    _Release,
)

__all__ = ["describe_failure", "grade"]


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
                text = child.text or child.get("message") or ""
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
    return records(data.decode("utf-8", "replace")), ""


def _without_label(message: str, label: str) -> str:
    message = message.removeprefix("AssertionError: ")
    return message.removeprefix(f"{label}: ")


def _recheck(check: _Check, recorded: dict[str, object]) -> str | None:
    """Why the recorded answer of `check` fails the grader's own check; None if it passes."""
    if check.cell_id not in recorded:
        return NOT_RECORDED
    try:
        answer = decode(recorded[check.cell_id])
    except Exception as error:
        return f"the recorded answer could not be read: {error}"
    if isinstance(answer, Unrecordable):
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
