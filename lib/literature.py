"""Single-variable power laws as published, read from ``lib/data/published_power_laws.csv``.

Each row is one law with its paper, BibTeX key, the place in the paper it comes from
and the range its runs covered: Kaplan et al. 2020, §2.2-3 (models of 768 to 1.5e9
non-embedding parameters, 22M to 23B tokens); Hoffmann et al. 2022, abstract (70M to
16B parameters, 5B to 500B tokens; the replication refits the same runs).

Kaplan et al. (2020) publish pure laws ``L = (X_c / X)**alpha``; Hoffmann et al.
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
    fitted_range : tuple of float, or None
        The smallest and largest X among the paper's runs, in `units`: the law was
        measured there and is an extrapolation elsewhere. None where not recorded.
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
    fitted_range: tuple[float, float] | None


def _row_to_law(row: dict[str, str]) -> PublishedLaw:
    alpha = float(row["alpha"])
    if row["form"] == "pure":
        coefficient = float(row["scale"]) ** alpha
    else:
        coefficient = float(row["coefficient"])
    law = PowerLaw(coefficient=coefficient, exponent=-alpha, floor=float(row["floor"]))
    fitted_range = (float(row["fit_min"]), float(row["fit_max"])) if row["fit_min"] else None
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
        fitted_range=fitted_range,
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
