"""Tests of `lib.grader` on exercise 1: scores, hints, tampering, robustness and the CLI.

Every notebook is built here from the course's own solution and exercise, and the
notebooks are graded together, a folder at a time, to keep the number of pytest runs
(about 2 s each) small.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode

from lib import grader, powerlaw
from lib.checks import ex01

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "ex01_power_laws.ipynb"
EXERCISE = ROOT / "exercises" / "ex01_power_laws.ipynb"
QUESTIONS = range(1, 6)
NOT_ANSWERED = "not answered yet"

# A plausible wrong answer per question: the answer cell's source, the same value
# computed here (to get the check's own message), and a word of its specific hint.
WRONG: dict[int, tuple[str, Callable[[], object], str]] = {
    1: ("factor = 10**0.076", lambda: 10**0.076, "mind the sign"),
    2: (
        "exponent = -powerlaw.fit_power_law(D, L).exponent",
        lambda: -powerlaw.fit_power_law(*ex01.data_q2()).exponent,
        "negative",
    ),
    3: ("floor = float(L.min())", lambda: float(ex01.data_q3()[1].min()), "above the floor"),
    4: ("slope = -0.34", lambda: -0.34, "reducible part alone"),
    5: ('choice = "a"', lambda: "a", "nothing new appears"),
}

FAKE_PASS = "\n".join(f"def q{k}(*args):\n    print('✔ Question {k}: correct')" for k in QUESTIONS)

# Tampered copies of the blank exercise: none of them may pass a question.
TAMPERING: dict[str, Callable[[NotebookNode], None]] = {}


def tampering(function: Callable[[NotebookNode], None]) -> Callable[[NotebookNode], None]:
    TAMPERING[function.__name__] = function
    return function


def _cell(notebook: NotebookNode, cell_id: str) -> NotebookNode:
    return next(cell for cell in notebook.cells if cell.get("id") == cell_id)


def _index(notebook: NotebookNode, cell_id: str) -> int:
    return next(i for i, cell in enumerate(notebook.cells) if cell.get("id") == cell_id)


def _insert_after(notebook: NotebookNode, cell_id: str, source: str) -> None:
    notebook.cells.insert(_index(notebook, cell_id) + 1, nbformat.v4.new_code_cell(source))


def _check(k: int) -> str:
    return f"ex01-check-q{k}"


@tampering
def edited_check_cells(notebook: NotebookNode) -> None:
    for k in QUESTIONS:
        _cell(notebook, _check(k)).source = f"print('✔ Question {k}: correct')"


@tampering
def deleted_check_cells(notebook: NotebookNode) -> None:
    notebook.cells = [cell for cell in notebook.cells if "check" not in cell.metadata.get("tags", [])]


@tampering
def raises_exception_and_skip_tags(notebook: NotebookNode) -> None:
    for k in QUESTIONS:
        tag = "raises-exception" if k % 2 else "nbval-skip"
        _cell(notebook, _check(k)).metadata["tags"].append(tag)


@tampering
def nbval_comment_markers(notebook: NotebookNode) -> None:
    for k in QUESTIONS:
        marker = "# NBVAL_RAISES_EXCEPTION" if k % 2 else "# NBVAL_SKIP"
        cell = _cell(notebook, _check(k))
        cell.source = f"{marker}\n{cell.source}"


@tampering
def duplicated_and_retyped_check_cells(notebook: NotebookNode) -> None:
    for k in (1, 2):
        fake = nbformat.v4.new_code_cell(f"print('✔ Question {k}: correct')")
        fake.id, fake.metadata = _check(k), {"tags": ["check"]}
        notebook.cells.insert(_index(notebook, _check(k)), fake)
    _cell(notebook, _check(3)).cell_type = "markdown"


@tampering
def monkeypatched_lib(notebook: NotebookNode) -> None:
    patches = [f"lib.checks.ex01.q{k} = lambda *args: None" for k in QUESTIONS]
    patches += [
        f"lib.grading.{name} = lambda *args, **kwargs: None"
        for name in ("check_number", "check_choice", "require_answer")
    ]
    _insert_after(notebook, "ex01-setup", "import lib.checks.ex01\nimport lib.grading\n" + "\n".join(patches))


@tampering
def rebound_ex01(notebook: NotebookNode) -> None:
    source = (
        "import sys\nimport lib.checks\n"
        "class Fake:\n    def __getattr__(self, name):\n        return lambda *args: None\n"
        "ex01 = Fake()\nlib.checks.ex01 = ex01\nsys.modules['lib.checks.ex01'] = ex01"
    )
    _insert_after(notebook, "ex01-setup", source)


@tampering
def rewritten_lib_copy_on_disk(notebook: NotebookNode) -> None:
    # The kernel runs in the grader's temporary folder; the assert guards the course's files.
    source = (
        "from pathlib import Path\n"
        "target = Path('lib/checks/ex01.py').resolve()\n"
        "assert 'grader-' in str(target), target\n"
        f"target.write_text(target.read_text() + {FAKE_PASS!r})"
    )
    _insert_after(notebook, "ex01-setup", source)


def _read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def _write(notebook: NotebookNode, path: Path) -> None:
    # json, not nbformat.write, which would rename duplicate cell ids
    path.write_text(json.dumps(notebook, indent=1), "utf-8")


def _solution_with(k: int, source: str) -> NotebookNode:
    """The solution with the answer cell of question `k` replaced by `source`."""
    notebook = _read(SOLUTION)
    _cell(notebook, f"ex01-answer-q{k}").source = source
    return notebook


def _build_folder(folder: Path) -> None:
    folder.mkdir()
    _write(_read(SOLUTION), folder / "solution.ipynb")
    _write(_read(EXERCISE), folder / "blank.ipynb")
    for k, (source, _, _) in WRONG.items():
        _write(_solution_with(k, source), folder / f"wrong_q{k}.ipynb")
    for name, tamper in TAMPERING.items():
        notebook = _read(EXERCISE)
        tamper(notebook)
        _write(notebook, folder / f"tamper_{name}.ipynb")
    _write(_solution_with(2, "exponent = ("), folder / "syntax_error.ipynb")
    (folder / "not_json_ex01.ipynb").write_text("this is not a notebook {", "utf-8")


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graded") / "submissions"
    _build_folder(folder)
    return folder


@pytest.fixture(scope="module")
def graded(folder: Path) -> tuple[dict[str, grader.NotebookResult], dict[str, str]]:
    before = _snapshot(folder)
    results = grader.grade([folder])
    return {result.path.stem: result for result in results}, before


@pytest.fixture(scope="module")
def results(graded: tuple[dict[str, grader.NotebookResult], dict[str, str]]) -> dict:
    return graded[0]


def _hints(result: grader.NotebookResult) -> dict[int, str]:
    return {k: question.hint for k, question in enumerate(result.questions, start=1)}


def test_solution_scores_full_marks(results: dict[str, grader.NotebookResult]) -> None:
    result = results["solution"]
    assert (result.score, result.total) == (5, 5)
    assert [q.label for q in result.questions] == [f"Question {k}" for k in QUESTIONS]
    assert result.problems == [] and result.error is None


def test_blank_exercise_scores_zero_not_answered(results: dict[str, grader.NotebookResult]) -> None:
    result = results["blank"]
    assert (result.score, result.total) == (0, 5)
    assert all(NOT_ANSWERED in question.hint for question in result.questions)
    assert result.problems == []


@pytest.mark.parametrize("k", QUESTIONS)
def test_wrong_answer_gets_its_specific_hint(results: dict[str, grader.NotebookResult], k: int) -> None:
    _, value, word = WRONG[k]
    with pytest.raises(AssertionError) as expected:
        getattr(ex01, f"q{k}")(value())
    result = results[f"wrong_q{k}"]
    passed = {j: q.passed for j, q in enumerate(result.questions, start=1)}
    assert passed == {j: j != k for j in QUESTIONS}
    hint = _hints(result)[k]
    assert hint == str(expected.value).removeprefix(f"Question {k}: ")
    assert "not correct yet" in hint and word in hint


@pytest.mark.parametrize("name", TAMPERING)
def test_tampering_gives_no_false_pass(results: dict[str, grader.NotebookResult], name: str) -> None:
    result = results[f"tamper_{name}"]
    assert result.total == 5 and result.score == 0
    if name == "rewritten_lib_copy_on_disk":
        assert "lib files" in (result.error or "")
    else:
        assert all(NOT_ANSWERED in question.hint for question in result.questions), _hints(result)


def test_student_files_are_not_modified(graded: tuple[dict, dict[str, str]], folder: Path) -> None:
    assert _snapshot(folder) == graded[1]


def test_unreadable_notebook_scores_zero(results: dict[str, grader.NotebookResult]) -> None:
    result = results["not_json_ex01"]
    assert result.graded and (result.score, result.total) == (0, 5)
    assert result.error.startswith("could not read notebook")


def test_syntax_error_fails_its_question_and_is_reported(results: dict) -> None:
    result = results["syntax_error"]
    assert [q.passed for q in result.questions] == [True, False, True, True, True]
    assert _hints(result)[2] == "NameError: name 'exponent' is not defined"
    [problem] = result.problems
    assert problem.first_line == "exponent = (" and "SyntaxError" in problem.error


def test_infinite_loop_times_out_and_grading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "loop.ipynb"
    _write(_solution_with(1, "while True:\n    pass"), path)
    [result] = grader.grade([path], timeout=3)
    assert [q.passed for q in result.questions] == [False, True, True, True, True]
    [problem] = result.problems
    assert problem.first_line == "while True:" and problem.error == "timed out after 3 s"


def test_restore_puts_deleted_check_cells_back_in_place() -> None:
    pristine = _read(EXERCISE)
    student = _read(EXERCISE)
    for cell_id in ("ex01-answer-q1", _check(1), _check(2)):
        del student.cells[_index(student, cell_id)]
    _cell(student, _check(3)).metadata["tags"].append("raises-exception")
    restored = grader.restore_check_cells(student, pristine, preamble="# preamble")
    ids = [cell.get("id") for cell in restored.cells]
    expected = [cell.id for cell in pristine.cells if cell.id != "ex01-answer-q1"]
    assert ids == expected
    for k in QUESTIONS:
        cell = _cell(restored, _check(k))
        assert cell.source == "# preamble\n" + _cell(pristine, _check(k)).source
        assert cell.metadata["tags"] == ["check"]


def test_cli_grades_a_folder_and_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    _write(_read(SOLUTION), folder / "alice.ipynb")
    (folder / "bob_ex01.ipynb").write_text("not a notebook", "utf-8")  # graded without a kernel
    grades = tmp_path / "grades.csv"
    assert grader.main([str(folder), "--csv", str(grades)]) == 0
    out = capsys.readouterr().out
    assert "Total: 5/5" in out and "Total: 0/5" in out and "Summary (2 notebooks)" in out
    with grades.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(Path(row["notebook"]).stem, row["question"]) for row in rows] == [
        (name, f"Question {k}") for name in ("alice", "bob_ex01") for k in QUESTIONS
    ]
    assert {(Path(row["notebook"]).stem, row["passed"]) for row in rows} == {
        ("alice", "1"),
        ("bob_ex01", "0"),
    }
    assert all(row["exercise"] == "ex01" for row in rows)


def test_cli_missing_path_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert grader.main([str(tmp_path / "nowhere.ipynb")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_cli_unidentifiable_notebook_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook = _read(EXERCISE)
    del notebook.metadata["course"]
    path = tmp_path / "homework.ipynb"
    _write(notebook, path)
    assert grader.main([str(path)]) == 2
    captured = capsys.readouterr()
    assert "unknown exercise" in captured.err and "Traceback" not in captured.err
