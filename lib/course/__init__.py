"""The course's own tooling, beside the maths.

- ``grading``: the helpers every check function uses (``check_close``, hints, ...).
- ``answers``: the answers file a check cell records for the grader (plain values only).
- ``exercisegen``: writes the student copies in ``exercises/`` from ``solutions/``
  (``python -m lib.course.exercisegen``).

The grader itself is ``lib.grader`` (``python -m lib.grader``), and the per-exercise checks
are ``lib.checks``.
"""
