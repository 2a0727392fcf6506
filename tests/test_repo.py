"""Repository guards: lint, notebooks stored clean, every page in the table of contents."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p for folder in ("chapters", "exercises", "solutions") for p in (ROOT / folder).glob("*.ipynb")
)


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text("utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}, cell {cell['id']} has outputs: strip them"
            assert cell["execution_count"] is None, f"{path.name}, cell {cell['id']} was executed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_cell_ids_and_the_course_kernel(path):
    nb = json.loads(path.read_text("utf-8"))
    ids = [cell.get("id") for cell in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: every cell needs a unique id"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_every_chapter_and_solution_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text("utf-8")
    pages = [p for p in NOTEBOOKS if p.parent.name in ("chapters", "solutions")]
    missing = [p.relative_to(ROOT).with_suffix("").as_posix() for p in pages]
    missing = [page for page in missing if f"file: {page}\n" not in toc]
    assert not missing, f"pages missing from _toc.yml: {missing}"


def test_there_are_notebooks_to_test():
    assert any(p.parent.name == "chapters" for p in NOTEBOOKS)
    assert any(p.parent.name == "solutions" for p in NOTEBOOKS)
