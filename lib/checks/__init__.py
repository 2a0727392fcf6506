"""The check functions behind the exercises' check cells, one module per exercise.

A check cell calls one function here with the student's answer; the function computes
the expected value from `lib` (answers are never typed in) and calls `lib.grading`.
"""
