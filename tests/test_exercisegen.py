"""Tests for lib.exercisegen: markers, placeholders, and the freshness of exercises/."""

import nbformat
import pytest

from lib import exercisegen

SOLUTION_CELL = (
    "import numpy as np\n# BEGIN SOLUTION\nlosses = [1, 2]\n"
    "best, worst = min(losses), max(losses)\n# END SOLUTION\nprint(best)"
)


def test_starred_and_nested_targets_give_their_names():
    source = "# BEGIN SOLUTION\n(a, [b, *c]) = 1, [2, 3, 4]\n# END SOLUTION"
    assert exercisegen.strip_solutions(source).splitlines() == [
        f"{name} = ...  # your code here" for name in "abc"
    ]


def test_a_block_becomes_one_placeholder_per_assigned_name():
    assert exercisegen.strip_solutions(SOLUTION_CELL) == (
        "import numpy as np\n"
        "losses = ...  # your code here\n"
        "best = ...  # your code here\n"
        "worst = ...  # your code here\n"
        "print(best)"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# BEGIN SOLUTION\nx = 1", "BEGIN SOLUTION without # END SOLUTION"),
        ("x = 1\n# END SOLUTION", "END SOLUTION without # BEGIN SOLUTION"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION", "nested"),
        ("if True:\n    # BEGIN SOLUTION\n    x = 1\n    # END SOLUTION", "markers must start the line"),
        ("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION", "must assign the answer"),
        ("# BEGIN SOLUTION\nx = (\n# END SOLUTION", "not valid Python"),
        ("# BEGIN SOLUTION\nx[i] = 1\n# END SOLUTION", "only assign plain names"),
    ],
)
def test_malformed_markers_are_errors(source, message):
    with pytest.raises(ValueError, match=message):
        exercisegen.strip_solutions(source)


def _solution_notebook():
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell(SOLUTION_CELL, id="ex99-answer-q1")
    answer.metadata["tags"] = ["answer", "hide-input"]
    answer.metadata["mystnb"] = {"code_prompt_show": "Show the solution"}
    answer.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    answer.execution_count = 3
    check = nbformat.v4.new_code_cell("ex99.q1(best)", id="ex99-check-q1")
    check.metadata["tags"] = ["check"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Ex 99", id="ex99-title"), answer, check]
    return nb


def test_the_student_copy_keeps_ids_and_check_cells_and_drops_outputs_and_website_tags():
    solution = _solution_notebook()
    exercise = exercisegen.make_exercise(solution)
    assert [cell.id for cell in exercise.cells] == [cell.id for cell in solution.cells]
    answer, check = exercise.cells[1], exercise.cells[2]
    assert "BEGIN SOLUTION" not in answer.source and "min(losses)" not in answer.source
    assert answer.outputs == [] and answer.execution_count is None
    assert answer.metadata == {"tags": ["answer"]}
    assert check == solution.cells[2]
    assert solution.cells[1].outputs, "the solution notebook must not be modified"


def test_markers_in_markdown_are_errors():
    nb = _solution_notebook()
    nb.cells[0].source = "# BEGIN SOLUTION"
    with pytest.raises(ValueError, match="code cells only"):
        exercisegen.make_exercise(nb)


def test_exercises_folder_is_fresh(capsys):
    status = exercisegen.main(["--check"])
    assert status == 0, capsys.readouterr().err


def test_a_stale_exercise_is_reported(tmp_path, capsys):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "exercises").mkdir()
    nbformat.write(_solution_notebook(), tmp_path / "solutions" / "ex99_demo.ipynb")
    assert exercisegen.main(["--root", str(tmp_path), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert exercisegen.main(["--root", str(tmp_path)]) == 0
    assert exercisegen.main(["--root", str(tmp_path), "--check"]) == 0
