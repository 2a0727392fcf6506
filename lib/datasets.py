"""Training runs shipped with the course: the Chinchilla runs of Hoffmann et al. (2022), Figure 4.

Provenance
----------
Hoffmann et al. (2022) published their runs only as a figure. Figure 4 (left) of
"Training Compute-Optimal Large Language Models" plots every run they used for the
parametric fit (approach 3) as a point in the (training FLOPs, model size) plane,
coloured by its final loss. Besiroglu, Erdil, Barnett and You read the 245 points back
out of the figure's SVG (positions give N and C, colours give the loss) for "Chinchilla
Scaling: A replication attempt" (2024), and published them with their analysis in the
repository ``epoch-research/analyzing-chinchilla`` as ``data/svg_extracted_data.csv``.
The course ships an unmodified copy as ``lib/data/chinchilla_fig4_epoch_extracted.csv``.

Of its columns, this module reads ``Model Size`` (N, parameters), ``Training FLOP``
(C, FLOPs) and ``loss`` (final training loss, nats/token); the others are the pixel
positions and colours of the extraction. Tokens are ``D = C / (6 N)``, the convention
the replication uses. Losses were read from a colour scale, so many runs share a value
(99 distinct losses among 245 runs). The replication fits drop the 5 runs with the
highest loss, which leaves 240 (``chinchilla_fig4(drop_highest=5)``).

Cite both papers wherever the data is used.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
Figure 4 and §3.3.
Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt",
arXiv:2404.10102; data: github.com/epoch-research/analyzing-chinchilla,
``data/svg_extracted_data.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from lib import _validate

__all__ = ["ChinchillaRuns", "chinchilla_fig4", "CHINCHILLA_FIG4_CSV"]

CHINCHILLA_FIG4_CSV = "data/chinchilla_fig4_epoch_extracted.csv"
"""Path of the extracted runs inside the ``lib`` package."""


@dataclass(frozen=True, eq=False)
class ChinchillaRuns:
    """Training runs as four read-only float arrays of the same length, one entry per run.

    Attributes
    ----------
    N : ndarray
        Model size in parameters.
    C : ndarray
        Training compute in FLOPs.
    D : ndarray
        Training tokens, ``C / (6 N)``.
    loss : ndarray
        Final training loss in nats/token.
    source : str
        BibTeX keys to cite with the data.

    Examples
    --------
    >>> runs = chinchilla_fig4()
    >>> len(runs), f"{runs.N.min():.2e}", f"{runs.N.max():.2e}"
    (245, '5.73e+07', '1.62e+10')
    """

    N: NDArray[np.float64]
    C: NDArray[np.float64]
    D: NDArray[np.float64]
    loss: NDArray[np.float64]
    source: str = field(default="hoffmann2022, besiroglu2024")

    def __len__(self) -> int:
        """Number of runs."""
        return int(self.N.size)


def _read_columns() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    text = resources.files("lib").joinpath(CHINCHILLA_FIG4_CSV).read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    N = np.array([float(row["Model Size"]) for row in rows])
    C = np.array([float(row["Training FLOP"]) for row in rows])
    loss = np.array([float(row["loss"]) for row in rows])
    return N, C, loss


def _read_only(values: NDArray[np.float64]) -> NDArray[np.float64]:
    values = np.ascontiguousarray(values, dtype=float)
    values.setflags(write=False)
    return values


def chinchilla_fig4(*, drop_highest: int = 0) -> ChinchillaRuns:
    """The 245 runs of Hoffmann et al. (2022, Fig. 4) as extracted by Besiroglu et al. (2024).

    Parameters
    ----------
    drop_highest : int, optional
        Leave out this many runs with the highest loss (default 0, all 245 runs).
        ``drop_highest=5`` gives the 240 runs the replication fits; its notebook keeps
        the runs whose loss is below the fifth-highest, which is the same set because
        the five highest losses are distinct. Runs keep their file order.

    Returns
    -------
    ChinchillaRuns
        Read-only arrays ``N`` (parameters), ``C`` (FLOPs), ``D = C / (6 N)`` (tokens)
        and ``loss`` (nats/token).

    Raises
    ------
    ValueError
        If `drop_highest` is not an integer between 0 and the number of runs minus 1.

    References
    ----------
    Hoffmann et al. 2022, arXiv:2203.15556, Fig. 4; Besiroglu et al. 2024,
    arXiv:2404.10102 (extraction and the 240-run fit).

    Examples
    --------
    >>> runs = chinchilla_fig4(drop_highest=5)
    >>> len(runs), round(float(runs.loss.max()), 3)
    (240, 3.406)
    """
    N, C, loss = _read_columns()
    drop_highest = _validate.integer(drop_highest, "drop_highest", 0)
    if drop_highest >= N.size:
        raise ValueError(f"drop_highest must be between 0 and {N.size - 1}, got {drop_highest}")
    if drop_highest:
        highest = np.argsort(loss, kind="stable")[N.size - drop_highest :]
        keep = np.setdiff1d(np.arange(N.size), highest)
        N, C, loss = N[keep], C[keep], loss[keep]
    return ChinchillaRuns(
        N=_read_only(N), C=_read_only(C), D=_read_only(C / (6.0 * N)), loss=_read_only(loss)
    )
