"""Tests for lib.course.exercisegen: markers, placeholders, Markdown, and a fresh exercises/."""

import re
from pathlib import Path

import nbformat
import pytest

from lib.course import exercisegen

ROOT = Path(__file__).resolve().parents[1]

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


@pytest.mark.slow  # regenerates every exercise: about a minute
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


# --- Markdown: MyST → plain Markdown -------------------------------------------------------------

BIB = r"""
@misc{kaplan2020,
  author = {Kaplan, Jared and McCandlish, Sam and Henighan, Tom},
  title = {Scaling Laws for Neural Language Models},
  year = {2020},
  eprint = {2001.08361},
  archiveprefix = {arXiv}
}
@misc{pearce2024,
  author = {Pearce, Tim and Song, Jinyeop},
  title = {Reconciling {Kaplan} and {Chinchilla} Scaling Laws},
  year = {2024}
}
@misc{deepseekv3_2024,
  author = {{DeepSeek-AI}},
  title = {{DeepSeek-V3} Technical Report},
  year = {2024},
  howpublished = {\url{https://example.org/v3}}
}
@misc{dubey2024,
  author = {Dubey, Abhimanyu and others},
  title = {Are {Llama} Herds Real?},
  year = {2024}
}
@misc{re2024,
  author = {R{\'e}, Christopher},
  title = {One Author}
}
"""

WORKS = {
    "kaplan2020": exercisegen.Work("Kaplan et al.", "2020", "Scaling Laws for Neural Language Models", ""),
    "hoffmann2022": exercisegen.Work("Hoffmann et al.", "2022", "Training Compute-Optimal LLMs", ""),
}
DOCUMENTS = {"../chapters/ch01_power_laws": ("../chapters/ch01_power_laws.ipynb", "Power Laws")}


def test_works_are_read_from_bibtex_with_author_year_names_and_links(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB, "utf-8")
    works = exercisegen.read_works(tmp_path / "refs.bib")
    assert works["kaplan2020"] == exercisegen.Work(
        "Kaplan et al.",
        "2020",
        "Scaling Laws for Neural Language Models",
        "[arXiv:2001.08361](https://arxiv.org/abs/2001.08361)",
    )
    assert works["pearce2024"] == exercisegen.Work(
        "Pearce and Song", "2024", "Reconciling Kaplan and Chinchilla Scaling Laws", ""
    )
    assert works["deepseekv3_2024"].authors == "DeepSeek-AI"  # an organisation keeps its name
    assert works["deepseekv3_2024"].title == "DeepSeek-V3 Technical Report"
    assert works["deepseekv3_2024"].link == "<https://example.org/v3>"
    assert works["dubey2024"].authors == "Dubey et al."  # "and others" is more than two authors
    assert works["re2024"][:2] == ("Ré", "n.d.")


@pytest.mark.parametrize(
    ("myst", "plain"),
    [
        ("(ex01)=\n# Exercise 1", "# Exercise 1"),
        ("On {doc}`../chapters/ch01_power_laws`.", "On [Power Laws](../chapters/ch01_power_laws.ipynb)."),
        (
            "See {doc}`the first chapter <../chapters/ch01_power_laws>`.",
            "See [the first chapter](../chapters/ch01_power_laws.ipynb).",
        ),
        (
            "See {doc}`../chapters/ch09_missing`.",
            "See [../chapters/ch09_missing](../chapters/ch09_missing.ipynb).",
        ),
        ("{cite:t}`ex01-kaplan2020` fit", "Kaplan et al. (2020) fit"),
        (
            "a law {cite:p}`ex01-kaplan2020,ex01-hoffmann2022`.",
            "a law (Kaplan et al., 2020; Hoffmann et al., 2022).",
        ),
        ("a law {cite}`hoffmann2022`", "a law (Hoffmann et al., 2022)"),
        ("({eq}`eq-ch05-identity` in the chapter)", "(equation `eq-ch05-identity` in the chapter)"),
        ("{eq}`the identity <eq-ch05-identity>`", "the identity"),
        ("{numref}`fig-ch04-isoflop`", "figure `fig-ch04-isoflop`"),
        ("{numref}`Figure %s <fig-ch04-isoflop>`", "figure `fig-ch04-isoflop`"),
        ("{numref}`tbl-ch03-typo`", "table `tbl-ch03-typo`"),
        ("{ref}`ch02-batch`", "section `ch02-batch`"),
        ("{ref}`the batch section <ch02-batch>`", "the batch section"),
        ("$L = E + A/N^{\\alpha}$ and `x = {k}`", "$L = E + A/N^{\\alpha}$ and `x = {k}`"),
        (
            "## References\n\n```{bibliography}\n:filter: docname in docnames\n:keyprefix: ex01-\n```\n",
            "## References\n\n- the list\n",
        ),
    ],
)
def test_myst_becomes_plain_markdown(myst, plain):
    assert exercisegen.plain_markdown(myst, WORKS, DOCUMENTS, "- the list") == plain


def test_an_unknown_citation_key_is_an_error_naming_the_key():
    with pytest.raises(
        ValueError, match=r"ex99_demo.ipynb, cell ex99-q1: unknown citation key 'ex99-nobody2031'"
    ):
        exercisegen.plain_markdown(
            "{cite:p}`ex99-nobody2031`", WORKS, DOCUMENTS, where="ex99_demo.ipynb, cell ex99-q1"
        )


@pytest.mark.parametrize(
    ("myst", "message"),
    [
        ("The loss is {glue:text}`loss:.3g`.", r"role '\{glue:text\}`loss:.3g`'.*glue values exist only"),
        ("```{note}\nRead the chapter first.\n```", r"directive '```\{note\}'"),
        (":::{math}\nx\n:::", r"directive ':::\{math\}'"),
    ],
)
def test_myst_without_a_plain_form_is_an_error(myst, message):
    with pytest.raises(ValueError, match=message):
        exercisegen.plain_markdown(myst, WORKS, DOCUMENTS)


def test_the_reference_list_holds_each_cited_work_once_sorted_with_its_link():
    pearce = exercisegen.Work("Pearce and Song", "2024", "Why?", "<https://x.org>")
    assert exercisegen.reference_list([pearce, WORKS["kaplan2020"], pearce]) == (
        "- Kaplan et al. (2020). *Scaling Laws for Neural Language Models*.\n"
        "- Pearce and Song (2024). *Why?* <https://x.org>"
    )


def test_a_document_title_drops_a_leading_number(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("(ch01)=\n# 1. Power laws\n\n## Intro")]
    nbformat.write(notebook, tmp_path / "ch01.ipynb")
    (tmp_path / "ch02.md").write_text("# Chapter 2: Kaplan's laws\n", "utf-8")
    (tmp_path / "ch03.md").write_text("## no title\n", "utf-8")
    assert exercisegen.document_title(tmp_path / "ch01.ipynb") == "Power laws"
    assert exercisegen.document_title(tmp_path / "ch02.md") == "Kaplan's laws"
    assert exercisegen.document_title(tmp_path / "ch03.md") is None


def _course(tmp_path):
    """A course folder with references.bib, one chapter and a solution that uses MyST."""
    (tmp_path / "references.bib").write_text(BIB, "utf-8")
    (tmp_path / "chapters").mkdir()
    chapter = nbformat.v4.new_notebook()
    chapter.cells = [nbformat.v4.new_markdown_cell("(ch01)=\n# Power Laws")]
    nbformat.write(chapter, tmp_path / "chapters" / "ch01_power_laws.ipynb")
    solution = _solution_notebook()
    solution.cells[
        0
    ].source = "(ex99)=\n# Ex 99\n\nOn {doc}`../chapters/ch01_power_laws`, after {cite:t}`ex99-pearce2024`."
    solution.cells[1].source = "# see {cite:t}`ex99-kaplan2020`\n" + SOLUTION_CELL
    solution.cells.append(
        nbformat.v4.new_markdown_cell(
            "## References\n\n```{bibliography}\n:filter: docname in docnames\n:keyprefix: ex99-\n```",
            id="ex99-refs",
        )
    )
    return solution


def test_the_student_copy_has_plain_markdown_and_untouched_code(tmp_path):
    solution = _course(tmp_path)
    exercise = exercisegen.make_exercise(solution, "ex99_demo.ipynb", tmp_path)
    assert exercise.cells[0].source == (
        "# Ex 99\n\nOn [Power Laws](../chapters/ch01_power_laws.ipynb), after Pearce and Song (2024)."
    )
    assert exercise.cells[1].source.startswith("# see {cite:t}`ex99-kaplan2020`\n")  # code is code
    assert exercise.cells[-1].source == (
        "## References\n\n- Pearce and Song (2024). *Reconciling Kaplan and Chinchilla Scaling Laws*."
    )
    assert solution.cells[0].source.startswith("(ex99)="), "the solution notebook must not be modified"


def test_an_unknown_key_in_a_solution_names_the_notebook(tmp_path):
    solution = _course(tmp_path)
    solution.cells[0].source += " And {cite:p}`ex99-kaplan2030`."
    with pytest.raises(
        ValueError, match=r"ex99_demo.ipynb, cell ex99-title: unknown citation key 'ex99-kaplan2030'"
    ):
        exercisegen.make_exercise(solution, "ex99_demo.ipynb", tmp_path)


MYST_LEFTOVERS = re.compile(
    r"\{cite|\{doc\}|\{numref\}|\{eq\}|\{bibliography\}|^\([^()\s]+\)=\s*$", re.MULTILINE
)


@pytest.mark.parametrize("path", sorted((ROOT / "exercises").glob("ex*.ipynb")), ids=lambda path: path.stem)
def test_no_generated_exercise_shows_raw_myst(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert MYST_LEFTOVERS.findall(markdown) == []
