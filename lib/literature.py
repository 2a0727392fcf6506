"""Single-variable power laws as published, read from ``lib/data/published_power_laws.csv``.

Each row is one law with its paper, BibTeX key and the place in the paper it comes
from. Kaplan et al. (2020) publish pure laws ``L = (X_c / X)**alpha``; Hoffmann et al.
(2022) and the replication by Besiroglu et al. (2024) publish ``L = E + A / N**alpha
+ B / D**beta``, whose one-variable slices (the other variable taken to infinity) are
``E + A / X**alpha``.

References
----------
Kaplan et al. 2020, arXiv:2001.08361, eqs. 1.1-1.3.
Hoffmann et al. 2022, arXiv:2203.15556, App. D.2.
Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt", arXiv:2404.10102.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from lib.powerlaw import PowerLaw

__all__ = ["PublishedLaw", "published_laws", "published_law"]


@dataclass(frozen=True)
class PublishedLaw:
    """One published power law and where it comes from.

    Attributes
    ----------
    key : str
        Identifier, e.g. ``"kaplan2020_N"``.
    paper, cite_key, where : str
        Short citation, BibTeX key and the equation or table.
    variable, units : str
        What scales (``N``, ``D``, ``C_min``) and its units.
    form : str
        ``"pure"`` (no floor) or ``"floor"`` (with an irreducible loss).
    alpha : float
        The exponent as published, positive: ``L`` falls like ``X**-alpha``.
    law : PowerLaw
        The law itself, in the course's signed form ``E + c * X**(-alpha)``.
    """

    key: str
    paper: str
    cite_key: str
    variable: str
    units: str
    form: str
    alpha: float
    where: str
    law: PowerLaw


def _row_to_law(row: dict[str, str]) -> PublishedLaw:
    alpha = float(row["alpha"])
    if row["form"] == "pure":
        coefficient = float(row["scale"]) ** alpha
    else:
        coefficient = float(row["coefficient"])
    law = PowerLaw(coefficient=coefficient, exponent=-alpha, floor=float(row["floor"]))
    return PublishedLaw(
        key=row["key"],
        paper=row["paper"],
        cite_key=row["cite_key"],
        variable=row["variable"],
        units=row["units"],
        form=row["form"],
        alpha=alpha,
        where=row["where"],
        law=law,
    )


def published_laws() -> list[PublishedLaw]:
    """All published laws in the table, in file order.

    Examples
    --------
    >>> [law.key for law in published_laws()][:2]
    ['kaplan2020_N', 'kaplan2020_D']
    """
    text = resources.files("lib").joinpath("data/published_power_laws.csv").read_text("utf-8")
    return [_row_to_law(row) for row in csv.DictReader(text.splitlines())]


def published_law(key: str) -> PublishedLaw:
    """The published law with this `key`; ``ValueError`` lists the keys if it is unknown.

    Examples
    --------
    >>> published_law("hoffmann2022_N").law.floor
    1.69
    """
    laws = {law.key: law for law in published_laws()}
    if key not in laws:
        raise ValueError(f"key must be one of {sorted(laws)}, got {key!r}")
    return laws[key]
