"""Approaches 1 and 2 of Hoffmann et al.: the training-curve envelope and IsoFLOP profiles.

Both take plain arrays (N in parameters, C in FLOPs, losses in nats/token), so they work
on any runs.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
§3.1 (approach 1), §3.2 (approach 2), Table 2 (the exponents of the three approaches).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import _validate
from lib.powerlaw import PowerLaw, fit_power_law

__all__ = [
    "EnvelopeFit",
    "IsoFlopProfile",
    "IsoFlopFit",
    "approach1_envelope",
    "approach2_isoflop",
    "isoflop_groups",
]


class _AllocationExponents:
    """The exponents of fitted ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` laws (``N_law``, ``D_law``)."""

    N_law: PowerLaw
    D_law: PowerLaw

    @property
    def a(self) -> float:
        """Exponent of ``N_opt ∝ C**a``."""
        return self.N_law.exponent

    @property
    def b(self) -> float:
        """Exponent of ``D_opt ∝ C**b`` (``1 - a`` when ``D_opt = C / (6 N_opt)``)."""
        return self.D_law.exponent


@dataclass(frozen=True, eq=False)
class EnvelopeFit(_AllocationExponents):
    """Approach 1: the compute-optimal runs along the lower envelope, and power laws through them.

    Attributes
    ----------
    C, N_opt, D_opt, loss_opt : ndarray
        For each non-empty compute bin, the run with the lowest loss: its FLOPs,
        parameters, tokens ``C / (6 N)`` and loss.
    N_law, D_law : PowerLaw
        ``N_opt = N_law.coefficient * C**a`` and ``D_opt = D_law.coefficient * C**b``.
    """

    C: NDArray[np.float64]
    N_opt: NDArray[np.float64]
    D_opt: NDArray[np.float64]
    loss_opt: NDArray[np.float64]
    N_law: PowerLaw
    D_law: PowerLaw


def approach1_envelope(N: ArrayLike, C: ArrayLike, loss: ArrayLike, *, n_bins: int = 15) -> EnvelopeFit:
    """Approach 1: for bins of compute, the lowest loss gives N_opt(C); fit power laws.

    Hoffmann et al. plot every training curve against FLOPs and take, at each FLOP
    count, the model with the lowest loss: the lower envelope of the curves. Given
    points ``(N, C, loss)`` (final losses of runs, or points along training curves),
    this splits ``log C`` into `n_bins` equal bins, keeps the lowest-loss point of each
    non-empty bin, and fits ``N_opt ∝ C**a`` and ``D_opt = C / (6 N_opt) ∝ C**b`` by
    least squares in log-log space (`lib.powerlaw.fit_power_law`).

    Parameters
    ----------
    N : array_like
        Parameters of each run.
    C : array_like
        Training FLOPs of each run (or point on a training curve).
    loss : array_like
        Loss in nats/token. Positive, finite 1-d arrays of the same length, at least 2.
    n_bins : int, optional
        Number of equal bins in ``log C`` (default 15); at least 2 must be non-empty.

    Returns
    -------
    EnvelopeFit
        The envelope points and the fitted power laws (``.a``, ``.b``).

    References
    ----------
    Hoffmann et al. 2022, §3.1 and Fig. 2 (approach 1), Table 2 (a = 0.50, b = 0.50).

    Examples
    --------
    >>> fit = approach1_envelope([1e8, 2e8, 1e9, 2e9], [1e19, 1e19, 1e21, 1e21],
    ...                          [3.0, 3.1, 2.4, 2.3], n_bins=2)
    >>> fit.N_opt.tolist(), round(fit.a, 3)
    ([100000000.0, 2000000000.0], 0.651)
    """
    N, C, loss = _validate.runs(2, N=N, C=C, loss=loss)
    n_bins = _validate.integer(n_bins, "n_bins", 2)
    log_C = np.log(C)
    edges = np.linspace(log_C.min(), log_C.max(), n_bins + 1)
    which = np.clip(np.searchsorted(edges, log_C, side="right") - 1, 0, n_bins - 1)
    picks = []
    for b in range(n_bins):
        members = np.flatnonzero(which == b)
        if members.size:
            picks.append(members[np.argmin(loss[members])])
    chosen = np.array(picks)
    if chosen.size < 2 or np.unique(C[chosen]).size < 2:
        raise ValueError("C must span at least 2 non-empty bins to fit a power law")
    C_opt, N_opt = C[chosen], N[chosen]
    D_opt = C_opt / (6.0 * N_opt)
    return EnvelopeFit(
        C=C_opt,
        N_opt=N_opt,
        D_opt=D_opt,
        loss_opt=loss[chosen],
        N_law=fit_power_law(C_opt, N_opt),
        D_law=fit_power_law(C_opt, D_opt),
    )


@dataclass(frozen=True)
class IsoFlopProfile:
    """One IsoFLOP profile: the runs at one budget and the parabola through them.

    Attributes
    ----------
    C : float
        The budget in FLOPs.
    n_runs : int
        Runs in the profile.
    coefficients : tuple of float
        ``(c2, c1, c0)``: ``loss ≈ c2 x**2 + c1 x + c0`` with ``x = log10 N``.
    N_opt, D_opt, loss_opt : float
        The parabola's minimum ``x* = -c1 / (2 c2)``: ``N_opt = 10**x*``,
        ``D_opt = C / (6 N_opt)`` and the loss there (NaN if the parabola opens downwards).
    used : bool
        True if the parabola opens upwards and its minimum lies within the profile's
        range of N, so it is an interpolation; only these enter the power laws.
    """

    C: float
    n_runs: int
    coefficients: tuple[float, float, float]
    N_opt: float
    D_opt: float
    loss_opt: float
    used: bool

    def loss_at(self, N: ArrayLike) -> NDArray[np.float64]:
        """The parabola's loss at `N` parameters: ``c2 x**2 + c1 x + c0`` with ``x = log10 N``.

        Examples
        --------
        >>> profile = IsoFlopProfile(1e21, 5, (0.5, -9.0, 42.5), 1e9, 1.67e11, 2.0, True)
        >>> profile.loss_at([1e8, 1e9]).tolist()
        [2.5, 2.0]
        """
        x = np.log10(_validate.positive(N, "N"))
        return np.asarray(np.polyval(self.coefficients, x), dtype=float)


@dataclass(frozen=True, eq=False)
class IsoFlopFit(_AllocationExponents):
    """Approach 2: IsoFLOP profiles and power laws through their minima.

    Attributes
    ----------
    profiles : tuple of IsoFlopProfile
        Every profile, in order of budget, including those not used.
    N_law, D_law : PowerLaw
        ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` fitted to the used profiles.
    """

    profiles: tuple[IsoFlopProfile, ...]
    N_law: PowerLaw
    D_law: PowerLaw

    @property
    def C(self) -> NDArray[np.float64]:
        """Budgets of the used profiles."""
        return np.array([p.C for p in self.profiles if p.used])

    @property
    def N_opt(self) -> NDArray[np.float64]:
        """Optimal sizes of the used profiles."""
        return np.array([p.N_opt for p in self.profiles if p.used])

    @property
    def D_opt(self) -> NDArray[np.float64]:
        """Optimal tokens of the used profiles."""
        return np.array([p.D_opt for p in self.profiles if p.used])


_GROUP_BANDWIDTH = 0.02  # dex: width of the kernel that finds clusters of log10 C
_GROUP_RADIUS = 0.05  # dex: farthest a run may lie from its cluster's centre


def isoflop_groups(C: ArrayLike, *, min_runs: int = 5) -> NDArray[np.float64]:
    """Label runs by the FLOP budget they cluster around; NaN for runs in no cluster.

    Runs of an IsoFLOP sweep share one budget, but budgets read off a figure (or
    counted slightly differently per model) scatter around it, so rounding ``log10 C``
    splits clusters. Instead this finds the peaks of a Gaussian kernel density of
    ``log10 C`` (bandwidth 0.02 dex), assigns each run to the nearest peak if within
    0.05 dex, and keeps clusters with at least `min_runs` runs. A cluster's label is the
    median budget of its runs.

    Parameters
    ----------
    C : array_like
        Training FLOPs of each run (positive, 1-d).
    min_runs : int, optional
        Smallest cluster kept (default 5; a parabola needs at least 3).

    Returns
    -------
    ndarray
        One label (FLOPs) per run, NaN where the run belongs to no kept cluster.

    Examples
    --------
    >>> labels = isoflop_groups([1e19, 1.02e19, 0.98e19, 1e21, 1.01e21, 5e20], min_runs=2)
    >>> [f"{x:.2e}" for x in labels]
    ['1.00e+19', '1.00e+19', '1.00e+19', '1.00e+21', '1.00e+21', 'nan']
    """
    C = _validate.positive(C, "C")
    if C.ndim != 1:
        raise ValueError(f"C must be a 1-d array, got shape {C.shape}")
    min_runs = _validate.integer(min_runs, "min_runs", 1)
    x = np.log10(C)
    grid = np.arange(x.min() - 3 * _GROUP_BANDWIDTH, x.max() + 3 * _GROUP_BANDWIDTH, _GROUP_BANDWIDTH / 10)
    density = np.exp(-0.5 * ((grid[:, None] - x[None, :]) / _GROUP_BANDWIDTH) ** 2).sum(axis=1)
    interior = (density[1:-1] > density[:-2]) & (density[1:-1] >= density[2:])
    peaks = grid[1:-1][interior]
    nearest = np.argmin(np.abs(x[:, None] - peaks[None, :]), axis=1)
    close = np.abs(x - peaks[nearest]) <= _GROUP_RADIUS
    labels = np.full(C.shape, np.nan)
    for peak in np.unique(nearest[close]):
        members = close & (nearest == peak)
        if members.sum() >= min_runs:
            labels[members] = 10 ** np.median(x[members])
    return labels


def _profile(C: float, N: NDArray, loss: NDArray) -> IsoFlopProfile:
    x = np.log10(N)
    c2, c1, c0 = (float(c) for c in np.polyfit(x, loss, deg=2))
    if c2 > 0:
        vertex = -c1 / (2 * c2)
        used = bool(x.min() <= vertex <= x.max())
        N_opt = float(10**vertex)
        loss_opt = float(c0 - c1 * c1 / (4 * c2))
    else:
        used, N_opt, loss_opt = False, float("nan"), float("nan")
    return IsoFlopProfile(
        C=C,
        n_runs=int(N.size),
        coefficients=(c2, c1, c0),
        N_opt=N_opt,
        D_opt=C / (6.0 * N_opt),
        loss_opt=loss_opt,
        used=used,
    )


def approach2_isoflop(
    N: ArrayLike, C: ArrayLike, loss: ArrayLike, *, budgets: ArrayLike | None = None, min_runs: int = 5
) -> IsoFlopFit:
    """Approach 2: fit a parabola in ``log N`` per FLOP budget, take minima, fit power laws.

    Runs are grouped by budget, from explicit `budgets` labels or, by default, with
    `isoflop_groups`. For each group with at least `min_runs` runs and 3 distinct sizes
    the loss is fitted with a parabola in ``log10 N``; its minimum is ``N_opt(C)``, with
    ``D_opt = C / (6 N_opt)``. Profiles whose minimum is an extrapolation (outside the
    sizes trained) or whose parabola opens downwards are kept but not used. Power laws
    ``N_opt ∝ C**a`` and ``D_opt ∝ C**b`` are then fitted by least squares in log-log
    space; ``a + b = 1`` by construction.

    Parameters
    ----------
    N : array_like
        Parameters of each run.
    C : array_like
        Training FLOPs of each run.
    loss : array_like
        Final loss in nats/token. Positive, finite 1-d arrays of the same length.
    budgets : array_like, optional
        The budget (FLOPs) each run belongs to, same length as `N`; runs with equal
        labels form one profile, and the label is the budget used in the power laws.
        Default: found from `C` by `isoflop_groups`.
    min_runs : int, optional
        Smallest profile fitted (default 5).

    Returns
    -------
    IsoFlopFit
        The profiles and the fitted power laws (``.a``, ``.b``).

    Raises
    ------
    ValueError
        For bad input, or if fewer than 2 profiles have a usable minimum.

    References
    ----------
    Hoffmann et al. 2022, §3.2 and Fig. 3 (approach 2), Table 2 (a = 0.49, b = 0.51).

    Examples
    --------
    >>> from lib.laws import EPOCH_REPLICATION as law
    >>> C = np.repeat([1e19, 1e20, 1e21], 9)
    >>> N = np.tile(np.geomspace(0.2, 5, 9), 3) * law.optimal_allocation(C)[0]
    >>> fit = approach2_isoflop(N, C, law.loss(N, C / (6 * N)), budgets=C)
    >>> round(fit.a, 2), round(law.exponents[0], 2)
    (0.51, 0.51)
    """
    N, C, loss = _validate.runs(3, N=N, C=C, loss=loss)
    min_runs = _validate.integer(min_runs, "min_runs", 3)
    if budgets is None:
        labels = isoflop_groups(C, min_runs=min_runs)
    else:
        labels = _validate.positive(budgets, "budgets")
        _validate.same_shape(N=N, budgets=labels)
    profiles = []
    for budget in np.unique(labels[np.isfinite(labels)]):
        members = labels == budget
        if members.sum() >= min_runs and np.unique(N[members]).size >= 3:
            profiles.append(_profile(float(budget), N[members], loss[members]))
    used = [p for p in profiles if p.used]
    if len(used) < 2:
        raise ValueError(
            f"need at least 2 IsoFLOP profiles with a minimum inside their range of N, got {len(used)} "
            f"(of {len(profiles)} profiles with >= {min_runs} runs)"
        )
    C_opt = np.array([p.C for p in used])
    return IsoFlopFit(
        profiles=tuple(profiles),
        N_law=fit_power_law(C_opt, np.array([p.N_opt for p in used])),
        D_law=fit_power_law(C_opt, np.array([p.D_opt for p in used])),
    )
