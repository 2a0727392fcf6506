"""Tests of `lib.grader` on exercise 1: scores, hints, tampering, robustness and the CLI.

Every notebook is built here from the course's own solution and exercise, and the
notebooks are graded together, a folder at a time, to keep the number of pytest runs
(about 2 s each) small: one for the scores, hints and tampering, one for cells that
loop or kill the kernel, one for the CLI. The tests that need those runs are marked
``kernel``; the other tests start no kernel.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
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
# An exception in a cell is shown as usual, but not reported to nbval: the cell "passes".
SWALLOW_ASSERTIONS = "get_ipython().set_custom_exc((AssertionError,), lambda *args, **kwargs: None)"

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
        f"lib.course.grading.{name} = lambda *args, **kwargs: None"
        for name in ("check_number", "check_choice", "require_answer")
    ]
    _insert_after(
        notebook, "ex01-setup", "import lib.checks.ex01\nimport lib.course.grading\n" + "\n".join(patches)
    )


@tampering
def rebound_ex01(notebook: NotebookNode) -> None:
    source = (
        "import sys\nimport lib.checks\n"
        "class Fake:\n    def __getattr__(self, name):\n        return lambda *args: None\n"
        "ex01 = Fake()\nlib.checks.ex01 = ex01\nsys.modules['lib.checks.ex01'] = ex01"
    )
    _insert_after(notebook, "ex01-setup", source)


@tampering
def custom_exception_handler(notebook: NotebookNode) -> None:
    # The checks' AssertionErrors are swallowed, so every check cell passes under nbval.
    _insert_after(notebook, "ex01-setup", SWALLOW_ASSERTIONS)


@tampering
def fake_sys_module(notebook: NotebookNode) -> None:
    # With a fake `sys` in sys.modules, the preamble's `import sys` gets it and its
    # re-import of lib does nothing: the check cells import the fake lib.checks.ex01.
    source = (
        "import sys, types\nimport lib.checks\n"
        "fake = types.ModuleType('lib.checks.ex01')\n"
        "for k in range(1, 6):\n    setattr(fake, f'q{k}', lambda *args: print('✔ correct'))\n"
        "sys.modules['lib.checks.ex01'] = lib.checks.ex01 = fake\n"
        "class FakeSys:\n"
        "    def __init__(self, real):\n        self.__dict__['real'] = real\n"
        "    def __getattr__(self, name):\n"
        "        return {} if name == 'modules' else getattr(self.real, name)\n"
        "sys.modules['sys'] = FakeSys(sys)"
    )
    _insert_after(notebook, "ex01-setup", source)


@tampering
def lib_copy_edited_and_put_back(notebook: NotebookNode) -> None:
    # The fake checks are in the lib copy while the check cells run, but the copy is
    # as before when the run ends, so the comparison of the copy sees nothing.
    source = (
        "from pathlib import Path\n"
        "target = Path('lib/checks/ex01.py').resolve()\n"
        "assert 'grader-' in str(target), target\n"
        "original = target.read_text()\n"
        f"target.write_text(original + {FAKE_PASS!r})"
    )
    _insert_after(notebook, "ex01-setup", source)
    notebook.cells.append(nbformat.v4.new_code_cell("target.write_text(original)"))


@tampering
def nothing_recorded(notebook: NotebookNode) -> None:
    # Recording fails (no `open`), and every error is swallowed, so the check cells pass
    # under nbval without recording an answer.
    source = (
        "import builtins\nbuiltins.open = None\n"
        "get_ipython().set_custom_exc((Exception,), lambda *args, **kwargs: None)"
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


def _all_wrong() -> NotebookNode:
    """The solution with the wrong answer of `WRONG` to every question."""
    notebook = _read(SOLUTION)
    for k, (source, _, _) in WRONG.items():
        _cell(notebook, f"ex01-answer-q{k}").source = source
    return notebook


def _check_message(k: int, value: object) -> str:
    """The hint the check of question `k` gives for `value` (it must fail)."""
    with pytest.raises(AssertionError) as failure:
        getattr(ex01, f"q{k}")(value)
    return str(failure.value).removeprefix(f"Question {k}: ")


# Wrong answers made to pass in the kernel: every question must still fail.
PASSED_IN_KERNEL: dict[str, str] = {
    "patched_abs": "import builtins\nbuiltins.abs = lambda x: 0.0",
    "swallowed_assertions": SWALLOW_ASSERTIONS,
}


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
    for name, source in PASSED_IN_KERNEL.items():
        notebook = _all_wrong()
        _insert_after(notebook, "ex01-setup", source)
        _write(notebook, folder / f"wrong_{name}.ipynb")
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


@pytest.mark.kernel
def test_solution_scores_full_marks(results: dict[str, grader.NotebookResult]) -> None:
    result = results["solution"]
    assert (result.score, result.total) == (5, 5)
    assert [q.label for q in result.questions] == [f"Question {k}" for k in QUESTIONS]
    assert result.problems == [] and result.error is None


@pytest.mark.kernel
def test_blank_exercise_scores_zero_not_answered(results: dict[str, grader.NotebookResult]) -> None:
    result = results["blank"]
    assert (result.score, result.total) == (0, 5)
    assert all(NOT_ANSWERED in question.hint for question in result.questions)
    assert result.problems == []


@pytest.mark.kernel
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


@pytest.mark.kernel
@pytest.mark.parametrize("name", TAMPERING)
def test_tampering_gives_no_false_pass(results: dict[str, grader.NotebookResult], name: str) -> None:
    result = results[f"tamper_{name}"]
    assert result.total == 5 and result.score == 0
    if name == "rewritten_lib_copy_on_disk":
        assert "lib files" in (result.error or "")
    elif name == "nothing_recorded":
        assert all(question.hint == grader.NOT_RECORDED for question in result.questions), _hints(result)
    else:
        assert all(NOT_ANSWERED in question.hint for question in result.questions), _hints(result)


@pytest.mark.kernel
@pytest.mark.parametrize("name", PASSED_IN_KERNEL)
def test_wrong_answers_passed_in_the_kernel_still_fail(results: dict, name: str) -> None:
    result = results[f"wrong_{name}"]
    assert result.total == 5 and result.score == 0
    for k, question in enumerate(result.questions, start=1):
        # the check's own hint (the kernel passed it), or the error the patch caused there
        own_hint = _check_message(k, WRONG[k][1]())
        assert question.hint == own_hint or re.match(r"\w+Error: ", question.hint), question.hint
    if name == "swallowed_assertions":
        assert _hints(result) == {k: _check_message(k, WRONG[k][1]()) for k in QUESTIONS}


@pytest.mark.kernel
def test_student_files_are_not_modified(graded: tuple[dict, dict[str, str]], folder: Path) -> None:
    assert _snapshot(folder) == graded[1]


@pytest.mark.kernel
def test_unreadable_notebook_scores_zero(results: dict[str, grader.NotebookResult]) -> None:
    result = results["not_json_ex01"]
    assert result.graded and (result.score, result.total) == (0, 5)
    assert result.error.startswith("could not read notebook")


@pytest.mark.kernel
def test_syntax_error_fails_its_question_and_is_reported(results: dict) -> None:
    result = results["syntax_error"]
    assert [q.passed for q in result.questions] == [True, False, True, True, True]
    assert _hints(result)[2] == "NameError: name 'exponent' is not defined"
    [problem] = result.problems
    assert problem.first_line == "exponent = (" and "SyntaxError" in problem.error


@pytest.mark.kernel
def test_infinite_loop_times_out_and_a_dead_kernel_is_reported(tmp_path: Path) -> None:
    _write(_solution_with(1, "while True:\n    pass"), tmp_path / "loop.ipynb")
    _write(_solution_with(4, "import os\nos._exit(0)"), tmp_path / "exits.ipynb")
    # 15 s: a loaded machine takes several seconds for the imports of the first cell alone
    loop, exits = grader.grade([tmp_path / "loop.ipynb", tmp_path / "exits.ipynb"], timeout=15)
    assert [q.passed for q in loop.questions] == [False, True, True, True, True]
    [problem] = loop.problems
    assert problem.first_line == "while True:" and problem.error == "timed out after 15 s"
    assert [q.passed for q in exits.questions] == [True, True, True, False, False]
    assert all("kernel had died" in q.hint for q in exits.questions[3:])
    first, *later = exits.problems
    assert first.first_line == "import os" and first.error.startswith(
        "the kernel died while running this cell"
    )
    assert later and all("kernel had died" in problem.error for problem in later)


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


def test_restored_check_cells_record_the_answer_just_before_the_check(tmp_path: Path) -> None:
    pristine = _read(SOLUTION)
    answers = tmp_path / "answers.jsonl"
    restored = grader.restore_check_cells(_read(EXERCISE), pristine, "# preamble", answers)
    for k in QUESTIONS:
        source = _cell(pristine, _check(k)).source
        *head, call = source.split("\n")
        argument = grader.parse_check_cell(source).argument
        recording = grader.record_line(answers, _check(k), argument)
        assert _cell(restored, _check(k)).source == "\n".join(["# preamble", *head, recording, call])
    # the record line runs: it records the value the check is about to get
    source = _cell(restored, _check(1)).source.removeprefix("# preamble\n")
    namespace = {"factor": 0.5, "__name__": "check"}
    with pytest.raises(AssertionError, match="Question 1: not correct yet"):
        exec(compile(source, "check", "exec"), namespace)
    assert json.loads(answers.read_text("utf-8")) == {"cell": _check(1), "answer": 0.5}


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("from lib.checks import ex01\nex01.q1(factor, 2)", "exactly one positional argument"),
        ("from lib.checks import ex01\nex01.q1(answer=factor)", "exactly one positional argument"),
        ("from lib.checks import ex01\nex01.q1(*factor)", "exactly one positional argument"),
        ("from lib.checks import ex01\nq1(factor)", "exactly one positional argument"),
        ("from lib.checks import ex01\nex01.q1(factor)\nx = 1", "exactly one positional argument"),
        ("from lib.checks import ex01\ngrading.q1(factor)", "not grading.q1"),
        ("import lib.checks.ex01 as ex01\nex01.q1(factor)", "from lib.checks import ex01"),
        ("from lib.checks import ex01 as ex02\nex02.q1(factor)", "from lib.checks import ex02"),
        ("from lib.checks import ex01; ex01.q1(factor)", "a line of its own"),
        ("from lib.checks import ex01\nex01.q1(factor", "not valid Python"),
        ("", "exactly one positional argument"),
    ],
)
def test_check_cells_of_the_wrong_shape_are_refused(source: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        grader.parse_check_cell(source)


def test_check_call_arguments_may_span_lines() -> None:
    source = "from lib.checks import ex01\n# the answer\nex01.q1(\n    factor  # from above\n)"
    call = grader.parse_check_cell(source)
    assert call == grader.CheckCall("ex01", "q1", "factor", 2)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, id=_check(1), metadata={"tags": ["check"]})
    notebook.cells = [cell]
    restored = grader.restore_check_cells(notebook, notebook, answers=Path("a.jsonl"))
    assert restored.cells[0].source.split("\n")[2].startswith("import lib.course.answers")


@pytest.mark.parametrize(
    ("check_call", "error"),
    [
        ("ex01.q1(factor, 2)", "exactly one positional argument"),
        ("ex01.q9(factor)", "lib.checks.ex01 has no check function q9"),
    ],
)
def test_a_wrong_release_is_a_grading_error(tmp_path: Path, check_call: str, error: str) -> None:
    release = tmp_path / "release"
    release.mkdir()
    notebook = _read(SOLUTION)
    _cell(notebook, _check(3)).source = f"from lib.checks import ex01\n\n{check_call}"
    _write(notebook, release / SOLUTION.name)
    [result] = grader.grade([SOLUTION], release=release)  # no kernel starts
    assert not result.graded
    assert result.error.startswith("the release is wrong, not the notebook") and _check(3) in result.error
    assert error in result.error


def test_default_release_is_the_solutions() -> None:
    assert grader.default_release() == ROOT / "solutions"


# The grader's own re-check of recorded answers, without a kernel --------------------------


def _job_check(k: int) -> grader.results._Check:
    release = grader.restore._load_pristine("ex01", ROOT / "solutions")
    return release.checks[k - 1]


@pytest.mark.parametrize(
    ("encoded", "hint"),
    [
        (powerlaw.factor_per_decade(-ex01.KAPLAN_ALPHA_N), None),
        ({"$type": "ellipsis"}, "not answered yet — replace the `...` in the answer cell."),
        (10**0.076, "not correct yet (got 1.191). The loss falls"),
        ({"$type": "float", "value": "nan"}, "expected a finite number, got nan"),
        ({"$type": "fraction", "numerator": 1, "denominator": 2}, "not correct yet (got 0.5)."),
        ({"$type": "decimal", "value": "sNaN"}, "ValueError: "),
        (
            {"$type": "unrecordable", "type": "dict", "repr": "{}"},
            "the answer is a dict; answers must be numbers, strings, lists/tuples or arrays",
        ),
        ({"$type": "bogus"}, "the recorded answer could not be read: not an encoded answer"),
    ],
)
def test_recheck_judges_the_recorded_value(encoded: object, hint: str | None) -> None:
    result = grader.run._recheck(_job_check(1), {_check(1): encoded})
    assert result == hint if hint is None else result.startswith(hint)


def test_recheck_without_a_record_fails() -> None:
    assert grader.run._recheck(_job_check(1), {_check(2): 0.84}) == grader.NOT_RECORDED


def test_recheck_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert grader.run._recheck(_job_check(5), {_check(5): "b"}) is None
    assert capsys.readouterr() == ("", "")


def test_answers_file_last_record_wins_and_junk_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    lines = ['{"cell": "a", "answer": 1}', "junk", "[1, 2]", '{"cell": "a", "answer": 2}', '{"cell": "b"}']
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert grader.run._read_answers(path) == ({"a": 2}, "")
    assert grader.run._read_answers(tmp_path / "missing.jsonl") == ({}, "")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_answers_file_that_is_a_pipe_or_a_link_is_not_read(tmp_path: Path) -> None:
    fifo, link, other, hard = (tmp_path / f"{name}.jsonl" for name in ("fifo", "link", "other", "hard"))
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    link.symlink_to(os.devnull)
    other.write_text('{"cell": "a", "answer": 1}\n', "utf-8")  # another notebook's answers
    os.link(other, hard)
    for path in (fifo, link, hard):
        recorded, why = grader.run._read_answers(path)
        assert recorded == {} and why.startswith("the answers could not be read")


@pytest.mark.kernel
def test_cli_grades_a_folder_and_writes_csv_in_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    _write(_read(SOLUTION), folder / "alice.ipynb")
    (folder / "bob_ex01.ipynb").write_text("not a notebook", "utf-8")  # graded without a kernel
    # --release may name the exercises too: their check cells are the solutions'
    assert grader.main([str(folder), "--release", str(EXERCISE.parent)]) == 0
    out = capsys.readouterr().out
    assert "Total: 5/5" in out and "Total: 0/5" in out and "Summary (2 notebooks)" in out
    grades = folder / "grades.csv"
    assert f"Grades written to {grades}" in out
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


def test_cli_csv_option_overrides_the_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "carol_ex01.ipynb").write_text("not a notebook", "utf-8")  # no kernel needed
    grades = tmp_path / "elsewhere.csv"
    assert grader.main([str(folder), "--csv", str(grades)]) == 0
    assert f"Grades written to {grades}" in capsys.readouterr().out
    assert grades.exists() and not (folder / "grades.csv").exists()


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
