"""The maths of the course, written once and tested once.

Notebooks import what they need by name, e.g. ``from lib import laws, fitting`` or
``from lib.view import plotting``. The package has three layers, and each layer imports
only from the ones above it.

The maths, one idea per module or subpackage:

- ``powerlaw``: evaluate, fit (with and without a floor) and read off power laws.
- ``literature``: published single-variable laws with their sources (CSV in ``data/``).
- ``laws``: the two-variable laws, Kaplan et al.'s and the Chinchilla form, with their constants.
- ``compute``: training and inference FLOPs, transformer parameter counts.
- ``models``: the models of the Chinchilla paper and of Llama 3, with MMLU scores.
- ``datasets``: the Chinchilla training runs recovered by the replication.
- ``fitting``: Hoffmann et al.'s three approaches (objective, approach 3, bootstrap,
  approaches 1 and 2).
- ``hardware``: GPUs, training time and utilisation, energy and cost.
- ``datalimits``: the stock of text, repeated data and growth arithmetic.
- ``inference``: lifetime cost, inference-aware sizes, repeated sampling, test-time trade-offs.
- ``metrics``: the toy model that turns a smooth loss into sudden-looking accuracy.
- ``synthetic``: seeded synthetic measurements for exercises.
- ``lab``: the scaling lab (source, model, training, ledger, sweeps; ``python -m lib.lab``).

Presentation:

- ``view``: the house plot style (``plotting``) and numbers in words (``formatting``).
- ``widgets``: the interactive explorers, one module each, on a shared fast-redraw core.

The course's tooling:

- ``course``: check helpers (``grading``), the answers file (``answers``) and the
  exercise generator (``exercisegen``).
- ``checks``: the checks behind each exercise's check cells (``from lib.checks import exNN``).
- ``grader``: grading student notebooks under nbval (``python -m lib.grader``).

``_validate`` holds the input checks every module shares.
"""

LAYERS = {
    "maths": (
        "powerlaw",
        "literature",
        "laws",
        "compute",
        "models",
        "datasets",
        "fitting",
        "hardware",
        "datalimits",
        "inference",
        "metrics",
        "synthetic",
        "lab",
    ),
    "presentation": ("view", "widgets"),
    "tooling": ("course", "checks", "grader"),
}
"""The three layers, top first; each imports only from the layers above it (tests/test_layout.py)."""

__all__ = [name for layer in LAYERS.values() for name in layer]
