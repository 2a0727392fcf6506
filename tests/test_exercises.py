"""Every exercise grades as intended: its solution passes every question (in the kernel,
and again when the grader checks the recorded answers itself), and the student copy
generated from it fails every question with "not answered yet", at its check cells only
(no other cell fails). New ``solutions/ex*.ipynb`` are covered automatically; the grader
refuses a release whose check cells do not end with ``exNN.qK(answer)``.

All notebooks are graded in one run of the grader.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from lib import grader
from lib.course import exercisegen

pytestmark = pytest.mark.kernel  # the grader runs every notebook

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("ex*.ipynb"))

Results = dict[tuple[str, str], grader.NotebookResult]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    folder = tmp_path_factory.mktemp("exercises")
    for path in SOLUTIONS:
        solution = nbformat.read(path, as_version=4)
        nbformat.write(solution, folder / f"solution-{path.name}")
        nbformat.write(exercisegen.make_exercise(solution, path.name), folder / f"exercise-{path.name}")
    graded = grader.grade([folder])
    return {tuple(result.path.name.split("-", 1)): result for result in graded}


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.stem)
def test_solution_passes_every_question(results: Results, path: Path) -> None:
    result = results["solution", path.name]
    assert result.error is None and result.total > 0
    failed = {q.label: q.hint for q in result.questions if not q.passed}
    assert failed == {}
    assert result.problems == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.stem)
def test_exercise_fails_exactly_at_its_check_cells(results: Results, path: Path) -> None:
    result = results["exercise", path.name]
    assert result.error is None and result.total > 0
    not_failing = {q.label: q.hint for q in result.questions if q.passed or "not answered yet" not in q.hint}
    assert not_failing == {}
    assert result.problems == []
