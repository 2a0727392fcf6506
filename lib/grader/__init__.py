"""Grade student notebooks: ``python -m lib.grader PATH [PATH...]``.

A PATH is a notebook or a folder of notebooks. Each notebook is graded against its
exercise, named by the notebook metadata ``course.exercise`` or else by ``exNN`` in the
file name. The pristine release of exercise ``exNN`` is ``solutions/exNN_*.ipynb`` next
to the installed `lib` package (``exercises/`` when there is no ``solutions/``), or the
``exNN_*.ipynb`` in ``--release DIR``, which may hold either kind. Only its check cells
are used, and the generator keeps them identical in a solution and its exercise;
``exercises/`` is not the default because students work there in place (``make lab``).

A check cell is a code cell tagged ``check`` with id ``exNN-check-qK``; its last
statement, on a line of its own, calls ``exNN.qK(answer)`` with one argument, and the
cell imports the module with ``from lib.checks import exNN``. A release whose check
cells do not have this shape is a grading error. A question passes when

1. its check cell runs without raising under nbval (``pytest --nbval-lax``),
2. the answer handed to the check was recorded, and
3. the check function, called again by the grader in its own process, from its own
   `lib`, on the recorded answer, raises nothing.

Otherwise its hint is the error of the check cell in the kernel, or the message of
the check outside it, or "the answer was not recorded". The student's files are never
written: every notebook is graded from a copy in a temporary folder, in one pytest
run for all of them. For a folder, the grades also go to ``FOLDER/grades.csv``.

Anti-tampering
--------------
The notebook is the student's, so everything in it is treated as untrusted. There are
two layers.

*In the kernel*, the check cells run as released, against a pristine `lib`:

- Check cells are restored from the pristine release by cell id, with the release's
  source, tags and metadata. An edited check cell, a ``raises-exception`` or
  ``nbval-skip`` tag, an ``# NBVAL_SKIP`` or ``# NBVAL_RAISES_EXCEPTION`` comment are
  thereby undone; duplicates of a check cell's id are dropped and a deleted check cell
  is put back after the cell that precedes it in the release. Outputs are stripped.
- The `lib` package is restored too: a copy of the grader's own `lib` is placed next to
  the copied notebook (the kernel's working folder, so ``import lib`` in the notebook
  finds the copy), and every check cell starts with a one-line preamble that drops all
  ``lib`` modules from ``sys.modules`` and imports `lib` afresh from that copy, so
  that a monkeypatched check or helper, or a rebound ``exNN``, is not what runs. Lib
  files edited on the student's own disk are never used.
- After the run the lib copy is compared with its state before the run; if a notebook
  wrote to it, every question of that notebook fails.
- A check cell that is skipped or missing from the report counts as failed.

This layer alone can be fooled, since the student's code runs in the same kernel
before the check cells: an IPython custom exception handler, a fake ``sys`` in
``sys.modules`` (which makes the preamble a no-op), patched builtins, or a lib copy
edited in an early cell and put back in the last all made wrong answers pass.

*Outside the kernel*, the value is judged by trusted code. Just before its check call,
every restored check cell records the call's argument with `lib.course.answers.record` in
``answers.jsonl`` in the notebook's folder (JSON that decodes only to plain values:
numbers, strings, lists, tuples, arrays). After the run the grader takes the last
answer recorded for each check cell and calls the check function on it itself, in its
own process, with the check modules it imported before any notebook ran. Patched checks,
faked ``sys.modules``, custom exception handlers, patched builtins or NumPy, or an
edited-and-restored lib copy therefore cannot turn a wrong value into a pass: at most
they lose the record, and a question with no record fails.

Limits: the grade says that the right value reached the check, not how it was found.
A student who obtains the right value some other way gets credit: by calling `lib` in
the notebook (the checks compute the expected values from `lib`, and a helper patched
in the kernel can capture them), by reading the solutions, or by copying a classmate's,
then writing it to the answers file directly. Notebook code runs with the grader's
user rights, so it can read and write any file the grader can: the other notebooks of
the batch and their answers files (they run side by side in one temporary folder), the
submissions, the course, the venv, the grader itself for later runs. Grade untrusted
notebooks in a container or as an unprivileged user, one notebook per container for
a batch of mutually untrusted students, and read the notebooks that score surprisingly.

Modules: ``results`` (results and constants), ``restore`` (finding the exercise,
restoring check cells and `lib`), ``run`` (nbval on the copies, re-checking outside the
kernel, `grade`), ``report`` (tables and CSV), ``cli`` (the command line). Every public
name is importable from ``lib.grader`` itself.

Usage::

    python -m lib.grader exercises/ex01_power_laws.ipynb
    python -m lib.grader submissions/ --timeout 120      # also writes submissions/grades.csv
    python -m lib.grader submissions/ --csv grades.csv --release exercises/
"""

from lib.grader import cli, report, restore, results, run
from lib.grader.cli import *
from lib.grader.report import *
from lib.grader.restore import *
from lib.grader.results import *
from lib.grader.run import *

__all__ = [*results.__all__, *restore.__all__, *run.__all__, *report.__all__, *cli.__all__]
