"""The grader's report: a table per notebook, a summary, and the grades as CSV."""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Sequence
from pathlib import Path

from lib.grader.results import NotebookResult

__all__ = ["format_result", "format_summary", "write_csv"]


def _wrap(text: str, width: int, indent: int) -> list[str]:
    lines = textwrap.wrap(text, max(width - indent, 30), break_on_hyphens=False)
    return lines or [""]


def format_result(result: NotebookResult, width: int = 100) -> str:
    """The report of one notebook: a ``Question | Result | Hint`` table and the total.

    Examples
    --------
    >>> from pathlib import Path
    >>> from lib.grader import QuestionResult
    >>> result = NotebookResult(Path("a.ipynb"), "ex01", [
    ...     QuestionResult("Question 1", "ex01-check-q1", True),
    ...     QuestionResult("Question 2", "ex01-check-q2", False, "not answered yet")])
    >>> print(format_result(result))
    a.ipynb (ex01)
      Question    Result  Hint
      ----------  ------  ----------------
      Question 1  PASS
      Question 2  FAIL    not answered yet
      Total: 1/2
    """
    lines = [f"{result.path} ({result.exercise or 'unknown exercise'})"]
    if result.error:
        lines += [f"  ! {line}" for line in _wrap(result.error, width, 4)]
    if result.questions:
        label_width = max(len("Question"), *(len(q.label) for q in result.questions))
        indent = 2 + label_width + 2 + len("Result") + 2
        hint_width = min(width - indent, max(len("Hint"), *(len(q.hint) for q in result.questions)))
        lines.append(f"  {'Question':<{label_width}}  Result  Hint")
        lines.append(f"  {'-' * label_width}  ------  {'-' * max(hint_width, 4)}")
        for question in result.questions:
            hint = _wrap(question.hint, width, indent)
            verdict = "PASS" if question.passed else "FAIL"
            lines.append(f"  {question.label:<{label_width}}  {verdict:<6}  {hint[0]}".rstrip())
            lines += [" " * indent + line for line in hint[1:]]
        lines.append(f"  Total: {result.score}/{result.total}")
    if result.problems:
        lines.append("\n  Problems in other cells:")
        for problem in result.problems:
            first = problem.first_line if len(problem.first_line) <= 40 else problem.first_line[:39] + "…"
            text = f"cell {problem.cell} `{first}`: {problem.error}"
            lines += [("    " if i == 0 else "      ") + line for i, line in enumerate(_wrap(text, width, 6))]
    return "\n".join(lines)


def format_summary(results: Sequence[NotebookResult]) -> str:
    """One line per notebook: name, exercise and score (or the grading error)."""
    name_width = max(len(str(result.path)) for result in results)
    lines = [f"Summary ({len(results)} notebooks):"]
    for result in results:
        score = f"{result.score}/{result.total}" if result.graded else "not graded (see above)"
        lines.append(f"  {str(result.path):<{name_width}}  {result.exercise or '?':<4}  {score}")
    return "\n".join(lines)


def write_csv(results: Sequence[NotebookResult], path: str | Path) -> None:
    """Write one row per notebook and question: notebook, exercise, question, passed, hint.

    A notebook that could not be graded gets one row with an empty question and its
    error as the hint.
    """
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["notebook", "exercise", "question", "passed", "hint"])
        for result in results:
            rows = [(q.label, int(q.passed), q.hint) for q in result.questions]
            for label, passed, hint in rows or [("", 0, result.error or "")]:
                writer.writerow([str(result.path), result.exercise or "", label, passed, hint])
