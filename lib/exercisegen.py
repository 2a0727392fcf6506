"""Generate the student notebooks ``exercises/exNN_*.ipynb`` from ``solutions/``.

A solution notebook is the only hand-written form of an exercise. In its code cells the
answer lines stand between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` at the start of
a line. The student copy replaces each such block by one placeholder line per name the
block assigns (``name = ...  # your code here``), so the check cell can say "not
answered yet". Outputs are stripped, cell ids and check cells are kept, and the
``hide-input`` tag and ``mystnb`` metadata (which hide solutions on the website behind
a "Show the solution" toggle) are dropped.

Markers that are unmatched, nested, indented or in a Markdown cell are errors, as is a
block that assigns no name.

Usage::

    python -m lib.exercisegen            # rewrite exercises/ from solutions/
    python -m lib.exercisegen --check    # exit 1 if exercises/ is stale
"""

from __future__ import annotations

import argparse
import ast
import copy
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = ["BEGIN", "END", "PLACEHOLDER", "strip_solutions", "make_exercise", "main"]

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
PLACEHOLDER = "...  # your code here"
_WEBSITE_ONLY_TAGS = {"hide-input"}
_WEBSITE_ONLY_METADATA = ("mystnb",)


def _target_names(target: ast.expr, where: str) -> list[str]:
    """Names bound by an assignment target; ``x[i] = ...`` or ``obj.x = ...`` are refused."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value, where)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element, where)]
    raise ValueError(
        f"{where}: a solution block may only assign plain names at its top level, "
        f"not {ast.unparse(target)!r}: build the value first, then assign it"
    )


def _assigned_names(block: str, where: str) -> list[str]:
    try:
        tree = ast.parse(block)
    except SyntaxError as error:
        raise ValueError(f"{where}: the solution block is not valid Python: {error}") from None
    names: list[str] = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        else:
            continue
        for target in targets:
            for name in _target_names(target, where):
                if name not in names:
                    names.append(name)
    if not names:
        raise ValueError(f"{where}: a solution block must assign the answer to a name")
    return names


def strip_solutions(source: str, where: str = "cell") -> str:
    r"""Replace every solution block in `source` by placeholder assignments.

    Parameters
    ----------
    source : str
        A code cell's source.
    where : str
        Where the cell is, for error messages.

    Returns
    -------
    str
        The source with each block replaced by ``name = ...  # your code here`` lines.

    Raises
    ------
    ValueError
        On unmatched, nested or indented markers, or a block that assigns no name.

    Examples
    --------
    >>> print(strip_solutions("x = 1\n# BEGIN SOLUTION\ny = x + 1\n# END SOLUTION"))
    x = 1
    y = ...  # your code here
    """
    kept: list[str] = []
    block: list[str] | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker in (BEGIN, END) and line != marker:
            raise ValueError(f"{where}, line {number}: markers must start the line: {line!r}")
        if line == BEGIN:
            if block is not None:
                raise ValueError(f"{where}, line {number}: nested {BEGIN}")
            block = []
        elif line == END:
            if block is None:
                raise ValueError(f"{where}, line {number}: {END} without {BEGIN}")
            kept.extend(f"{name} = {PLACEHOLDER}" for name in _assigned_names("\n".join(block), where))
            block = None
        elif block is not None:
            block.append(line)
        else:
            kept.append(line)
    if block is not None:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return "\n".join(kept)


def make_exercise(solution: NotebookNode, name: str = "notebook") -> NotebookNode:
    """The student copy of a solution notebook (the input is not modified)."""
    exercise = copy.deepcopy(solution)
    for cell in exercise.cells:
        where = f"{name}, cell {cell.get('id', '?')}"
        if cell.cell_type != "code":
            if BEGIN in cell.source or END in cell.source:
                raise ValueError(f"{where}: solution markers belong in code cells only")
            continue
        cell.source = strip_solutions(cell.source, where)
        cell.outputs = []
        cell.execution_count = None
        for key in _WEBSITE_ONLY_METADATA:
            cell.metadata.pop(key, None)
        tags = [tag for tag in cell.metadata.get("tags", []) if tag not in _WEBSITE_ONLY_TAGS]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    return exercise


def _pairs(root: Path) -> list[tuple[Path, Path]]:
    solutions = sorted((root / "solutions").glob("ex*.ipynb"))
    return [(path, root / "exercises" / path.name) for path in solutions]


def render(solution_path: Path) -> str:
    """The exact text of the student notebook generated from `solution_path`."""
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(make_exercise(solution, solution_path.name)) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every exercise; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m lib.exercisegen", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course folder (default: .)")
    parser.add_argument("--check", action="store_true", help="fail if exercises/ is stale")
    args = parser.parse_args(argv)
    pairs = _pairs(args.root)
    if not pairs:
        print(f"no solutions/ex*.ipynb under {args.root}", file=sys.stderr)
        return 2
    stale = []
    expected_names = {exercise.name for _, exercise in pairs}
    orphans = [p for p in sorted((args.root / "exercises").glob("*.ipynb")) if p.name not in expected_names]
    for solution, exercise in pairs:
        text = render(solution)
        current = exercise.read_text("utf-8") if exercise.exists() else None
        if current == text:
            continue
        stale.append(exercise)
        if not args.check:
            exercise.parent.mkdir(exist_ok=True)
            exercise.write_text(text, "utf-8")
            print(f"wrote {exercise}")
    if args.check and (stale or orphans):
        for path in stale:
            print(f"stale: {path} (run `make exercises`)", file=sys.stderr)
        for path in orphans:
            print(f"no solution for: {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
