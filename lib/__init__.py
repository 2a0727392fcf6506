"""The maths of the course, written once and tested once.

Modules, one idea each:

- ``powerlaw``: evaluate, fit (with and without a floor) and read off power laws.
- ``literature``: published single-variable laws with their sources (CSV in ``data/``).
- ``metrics``: the toy model that turns a smooth loss into sudden-looking accuracy.
- ``synthetic``: seeded synthetic measurements for exercises.
- ``plotting``: the house plot style; ``widgets``: interactive explorers.
- ``grading`` and ``checks``: the helpers and per-exercise checks behind check cells.
- ``exercisegen`` and ``grader``: generate student notebooks; grade them under nbval.

Notebooks import the modules they need, e.g. ``from lib import powerlaw``.
"""
