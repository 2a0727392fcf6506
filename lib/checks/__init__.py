"""The check functions behind the exercises' check cells, one module per exercise.

A check cell calls one function here with the student's answer; the function computes
the expected value from `lib` (answers are never typed in) and calls `lib.course.grading`.

The grader re-imports `lib` before each check cell, so an object a student built
earlier (a ``PowerLaw``, say) belongs to the old class: checks must judge answers by
value (numbers, strings, arrays), never by ``isinstance`` or dataclass equality. The
grader also calls each check outside the kernel on the decoded answer, which is always a
plain value: a number, string, list, tuple or NumPy array.
"""
