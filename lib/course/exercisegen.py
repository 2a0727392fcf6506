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

The Markdown cells are written for the book, in MyST, which JupyterLab shows raw. The
student copy gets plain Markdown instead (`plain_markdown`): ``(label)=`` lines are
dropped; ``{doc}`` becomes a link to the notebook, titled by its first ``# `` heading;
``{cite:t}``/``{cite:p}`` become author-year text looked up in ``references.bib``; ``{ref}``,
``{numref}`` and ``{eq}`` become their explicit text, else a kind and the label; and the
``{bibliography}`` block becomes a list of the works the notebook cites. Any other role
or directive, an unknown citation key included, is an error. ``$…$`` maths is kept.

Usage::

    python -m lib.course.exercisegen            # rewrite exercises/ from solutions/
    python -m lib.course.exercisegen --check    # exit 1 if exercises/ is stale
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbformat import NotebookNode
from pybtex.database import Entry, parse_file
from pybtex.richtext import Text

__all__ = [
    "BEGIN",
    "END",
    "PLACEHOLDER",
    "Work",
    "strip_solutions",
    "read_works",
    "document_title",
    "reference_list",
    "plain_markdown",
    "make_exercise",
    "main",
]

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
PLACEHOLDER = "...  # your code here"
_WEBSITE_ONLY_TAGS = {"hide-input"}
_WEBSITE_ONLY_METADATA = ("mystnb",)
COURSE = Path(__file__).resolve().parents[2]


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


# --- Markdown: the book's MyST as plain Markdown for JupyterLab --------------------------------------

_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]*)`")
_CITE_ROLES = ("cite", "cite:p", "cite:t")
_LABEL_LINE = re.compile(r"^\([^()\s]+\)=[ \t]*(?:\n|\Z)", re.MULTILINE)
_BIBLIOGRAPHY = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{bibliography\}.*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)
_DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{[^}\n]*\}.*$", re.MULTILINE)
_EXPLICIT = re.compile(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", re.DOTALL)
_PAGE_PREFIX = re.compile(r"^[A-Za-z]+\d*-")
_HEADING_NUMBER = re.compile(r"^(?:(?:[A-Za-z]+\s+)?\d+(?:\.\d+)*[.:]|\d+(?:\.\d+)*)\s+")
_LABEL_KINDS = {"fig": "figure", "tbl": "table", "eq": "equation"}
_URL = re.compile(r"\\url\{([^}]*)\}")


class Work(NamedTuple):
    """A work of ``references.bib`` as the student copy cites it."""

    authors: str
    """``"Kaplan et al."``, ``"Pearce and Song"`` or ``"DeepSeek-AI"``."""
    year: str
    title: str
    link: str
    """A Markdown link to the arXiv page or the URL, or ``""``."""


def _plain(latex: str) -> str:
    return Text.from_latex(latex).render_as("text")


def _work(entry: Entry) -> Work:
    names = [_plain(" ".join(p.prelast_names + p.last_names)) for p in entry.persons.get("author", [])]
    authors = f"{names[0]} et al." if len(names) > 2 or "others" in names else " and ".join(names)
    fields = entry.fields
    if fields.get("archiveprefix", "").lower() == "arxiv" and "eprint" in fields:
        link = f"[arXiv:{fields['eprint']}](https://arxiv.org/abs/{fields['eprint']})"
    else:
        urls = [fields["url"]] if "url" in fields else _URL.findall(fields.get("howpublished", ""))
        link = f"<{urls[0]}>" if urls else ""
    return Work(authors, fields.get("year", "n.d."), _plain(fields.get("title", "")), link)


def read_works(bib: Path) -> dict[str, Work]:
    """Every entry of the BibTeX file `bib`, by key (organisations keep their braced name)."""
    return {key: _work(entry) for key, entry in parse_file(bib, "bibtex").entries.items()}


def document_title(path: Path) -> str | None:
    """The first ``# `` heading of a notebook or Markdown file, without a leading number.

    ``# 1. Power laws`` and ``# Chapter 1: Power laws`` both give ``"Power laws"``; a file
    without such a heading gives None.
    """
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    else:
        text = path.read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return _HEADING_NUMBER.sub("", line[2:].strip())
    return None


def _explicit(content: str) -> tuple[str | None, str]:
    """``text <target>`` → (text, target); a bare target → (None, target)."""
    match = _EXPLICIT.fullmatch(content.strip())
    return (match["text"], match["target"]) if match else (None, content.strip())


def _cited_work(key: str, works: Mapping[str, Work], where: str) -> Work:
    for candidate in (key, _PAGE_PREFIX.sub("", key)):
        if candidate in works:
            return works[candidate]
    raise ValueError(f"{where}: unknown citation key {key!r}: it is not in references.bib")


def _cite_keys(markdown: str) -> list[str]:
    """The citation keys of `markdown`, in order, repeats included."""
    return [
        key.strip()
        for match in _ROLE.finditer(markdown)
        if match["name"] in _CITE_ROLES
        for key in match["content"].split(",")
        if key.strip()
    ]


def reference_list(cited: Iterable[Work]) -> str:
    """A Markdown list of the `cited` works, each once, sorted by author and year.

    Examples
    --------
    >>> pearce = Work("Pearce and Song", "2024", "Reconciling Kaplan and Chinchilla", "")
    >>> print(reference_list([pearce, pearce]))
    - Pearce and Song (2024). *Reconciling Kaplan and Chinchilla*.
    """
    lines = []
    for work in sorted(set(cited)):
        stop = "" if work.title.endswith(("?", "!", ".")) else "."
        link = f" {work.link}" if work.link else ""
        lines.append(f"- {work.authors} ({work.year}). *{work.title}*{stop}{link}")
    return "\n".join(lines)


def plain_markdown(
    source: str,
    works: Mapping[str, Work],
    documents: Mapping[str, tuple[str, str]],
    references: str = "",
    where: str = "cell",
) -> str:
    r"""Rewrite the MyST of a Markdown cell as plain Markdown that JupyterLab renders.

    Parameters
    ----------
    source : str
        The cell's MyST Markdown.
    works : Mapping[str, Work]
        The bibliography by key (`read_works`); a cited key may carry a page prefix (``ex01-``).
    documents : Mapping[str, tuple[str, str]]
        ``{doc}`` target as written → (link path, title); a missing target links to
        ``target.ipynb`` under its own path as the title.
    references : str
        What replaces a ``{bibliography}`` block (`reference_list`).
    where : str
        Where the cell is, for error messages.

    Returns
    -------
    str
        The cell without ``(label)=`` lines, roles or directives.

    Raises
    ------
    ValueError
        On an unknown citation key, or a role or directive with no plain form (e.g. glue).

    Examples
    --------
    >>> works = {"kaplan2020": Work("Kaplan et al.", "2020", "Scaling Laws", "")}
    >>> documents = {"../chapters/ch01": ("../chapters/ch01.ipynb", "Power Laws")}
    >>> source = "(ex01)=\n# Ex 1\n\nOn {doc}`../chapters/ch01`, after {cite:t}`ex01-kaplan2020`."
    >>> print(plain_markdown(source, works, documents))
    # Ex 1
    <BLANKLINE>
    On [Power Laws](../chapters/ch01.ipynb), after Kaplan et al. (2020).
    """

    def plain_role(match: re.Match[str]) -> str:
        name, content = match["name"], match["content"]
        if name in _CITE_ROLES:
            cited = [_cited_work(key, works, where) for key in _cite_keys(match[0])]
            if name == "cite:t":
                return ", ".join(f"{work.authors} ({work.year})" for work in cited)
            return "(" + "; ".join(f"{work.authors}, {work.year}" for work in cited) + ")"
        text, target = _explicit(content)
        if name == "doc":
            link, title = documents.get(target, (f"{target}.ipynb", target))
            return f"[{text or title}]({link})"
        if name in ("ref", "numref", "eq"):
            if text and "%s" not in text and "{" not in text:
                return text
            kind = "equation" if name == "eq" else _LABEL_KINDS.get(target.split("-")[0], "section")
            return f"{kind} `{target}`"
        raise ValueError(
            f"{where}: the role {match[0]!r} has no plain-Markdown form for JupyterLab "
            "(doc, cite, ref, numref and eq roles are converted; glue values exist only in the built book)"
        )

    text = _LABEL_LINE.sub("", source).lstrip("\n")
    text = _BIBLIOGRAPHY.sub(lambda _: references, text)
    text = _ROLE.sub(plain_role, text)
    directive = _DIRECTIVE.search(text)
    if directive:
        raise ValueError(
            f"{where}: the directive {directive[0]!r} has no plain-Markdown form for JupyterLab "
            "(only {bibliography} is converted)"
        )
    return text


def _documents(targets: Iterable[str], folder: Path, root: Path) -> dict[str, tuple[str, str]]:
    """Resolve ``{doc}`` targets (relative to `folder`, or to `root` with a leading ``/``)."""
    found = {}
    for target in targets:
        path = Path(os.path.normpath((root if target.startswith("/") else folder) / target.lstrip("/")))
        for candidate in (path, path.with_name(f"{path.name}.ipynb"), path.with_name(f"{path.name}.md")):
            if candidate.is_file():
                link = Path(os.path.relpath(candidate, folder)).as_posix()
                found[target] = (link, document_title(candidate) or target)
                break
    return found


def make_exercise(solution: NotebookNode, name: str = "notebook", root: Path = COURSE) -> NotebookNode:
    """The student copy of a solution notebook (the input is not modified).

    The notebook is taken to live in ``root/solutions``: ``{doc}`` targets are resolved from
    there (``exercises/`` is its sibling, so the links hold), and citations are looked up in
    ``root/references.bib``.
    """
    exercise = copy.deepcopy(solution)
    markdown = "\n".join(cell.source for cell in exercise.cells if cell.cell_type == "markdown")
    works = read_works(root / "references.bib") if _cite_keys(markdown) else {}
    cited = [
        _cited_work(key, works, f"{name}, cell {cell.get('id', '?')}")
        for cell in exercise.cells
        if cell.cell_type == "markdown"
        for key in _cite_keys(cell.source)
    ]
    doc_targets = [_explicit(m["content"])[1] for m in _ROLE.finditer(markdown) if m["name"] == "doc"]
    documents = _documents(doc_targets, root / "solutions", root)
    references = reference_list(cited)
    for cell in exercise.cells:
        where = f"{name}, cell {cell.get('id', '?')}"
        if cell.cell_type != "code":
            if BEGIN in cell.source or END in cell.source:
                raise ValueError(f"{where}: solution markers belong in code cells only")
            if cell.cell_type == "markdown":
                cell.source = plain_markdown(cell.source, works, documents, references, where)
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
    return nbformat.writes(make_exercise(solution, solution_path.name, solution_path.parent.parent)) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every exercise; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m lib.course.exercisegen", description=__doc__.split("\n")[0]
    )
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
