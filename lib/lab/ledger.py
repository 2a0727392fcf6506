"""The lab's budget: each run costs ``6 N D`` FLOPs, and one that would overspend is refused.

`Lab` trains and records runs; its `Ledger` is the table a student fits.

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, §2.1
(``C ≈ 6 N D``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.compute import training_flops
from lib.lab.model import init_model, loss_and_gradients, n_params
from lib.lab.source import SEED, MarkovSource, markov_source
from lib.lab.training import Adam, Run, TrainResult, schedule, train

__all__ = ["BudgetExceeded", "Run", "Estimate", "Ledger", "Lab"]


class BudgetExceeded(ValueError):
    """A run would spend more FLOPs than the lab has left."""


@dataclass(frozen=True)
class Estimate:
    """What a run would cost: its compute ``C = 6 N D`` and the expected wall time in seconds."""

    width: int
    N: int
    D: int
    C: float
    seconds: float


@dataclass(frozen=True)
class Ledger:
    """The runs of a lab, in order, with their columns as arrays for plotting and fitting.

    Displayed in a notebook as a Markdown table; ``str(ledger)`` gives the same table.
    """

    runs: tuple[Run, ...]

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def _column(self, name: str) -> NDArray[np.float64]:
        return np.array([getattr(run, name) for run in self.runs], dtype=float)

    @property
    def N(self) -> NDArray[np.float64]:
        """Parameters of each run."""
        return self._column("N")

    @property
    def D(self) -> NDArray[np.float64]:
        """Training tokens of each run."""
        return self._column("D")

    @property
    def C(self) -> NDArray[np.float64]:
        """Training FLOPs ``6 N D`` of each run."""
        return self._column("C")

    @property
    def loss(self) -> NDArray[np.float64]:
        """Exact expected loss of each run (nats/token)."""
        return self._column("loss")

    @property
    def seconds(self) -> NDArray[np.float64]:
        """Wall time of each run."""
        return self._column("seconds")

    def table(self, *, times: bool = True) -> str:
        """The ledger as a Markdown table; ``times=False`` leaves out the wall times.

        Everything but the wall time is the same every time the runs are repeated, so a
        page that must print the same text on every execution shows the table without it.
        """
        header = "| run | width | N | D | C (FLOPs) | loss (nats/token) |" + (" time (s) |" if times else "")
        lines = [header, "|---:" * header.count(" |") + "|"]
        for i, r in enumerate(self.runs, start=1):
            row = f"| {i} | {r.width} | {r.N:,} | {r.D:,} | {r.C:.3g} | {r.loss:.4f} |"
            lines.append(row + (f" {r.seconds:.2f} |" if times else ""))
        return "\n".join(lines)

    __str__ = table

    def _repr_markdown_(self) -> str:
        return self.table()


class Lab:
    """A compute budget for training runs, and the ledger of the runs made with it.

    Every run of ``N`` parameters on ``D`` tokens costs ``C = 6 N D`` FLOPs; a run that
    would spend more than the budget has left is refused before it starts.

    Parameters
    ----------
    budget_flops : float
        Total training compute available, in FLOPs (positive).
    source : MarkovSource, optional
        The source to train on; default `markov_source` with the default constants.
    seed : int, optional
        Seed of every run (weights and data).

    Attributes
    ----------
    last_result : TrainResult or None
        The full result of the latest run (trained model, training curve), None before.

    Examples
    --------
    >>> lab = Lab(budget_flops=1e9)
    >>> lab.estimate(width=8, tokens=20_000).C
    222720000.0
    >>> run = lab.run(width=8, tokens=20_000)
    >>> len(lab.ledger), round(lab.remaining / 1e6, 2)
    (1, 777.28)
    >>> lab.run(width=32, tokens=1_000_000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    lib.lab.ledger.BudgetExceeded: this run needs 6 N D = 6 x 13,472 x 1,000,000 = 8.08e+10 FLOPs, ...
    """

    def __init__(self, budget_flops: float, *, source: MarkovSource | None = None, seed: int = SEED) -> None:
        self.budget_flops = _validate.scalar(budget_flops, "budget_flops", _validate.positive)
        self.source = markov_source() if source is None else source
        self.seed = _validate.integer(seed, "seed", 0)
        self._runs: list[Run] = []
        self.last_result: TrainResult | None = None

    @property
    def spent(self) -> float:
        """FLOPs spent so far."""
        return float(sum(run.C for run in self._runs))

    @property
    def remaining(self) -> float:
        """FLOPs left."""
        return self.budget_flops - self.spent

    @property
    def ledger(self) -> Ledger:
        """The runs so far, as a `Ledger`."""
        return Ledger(tuple(self._runs))

    def _cost(self, width: int, tokens: int) -> tuple[int, int, int, float]:
        width = _validate.integer(width, "width")
        tokens = _validate.integer(tokens, "tokens")
        N = n_params(width, self.source.vocab, self.source.order)
        return width, N, tokens, float(training_flops(N, tokens))

    def estimate(self, width: int, tokens: int) -> Estimate:
        """Cost ``6 N D`` of a run and its expected wall time, from timing a few of its training steps.

        Spends nothing from the budget. The time is measured on this machine, as busy as it
        is now.
        """
        width, N, tokens, C = self._cost(width, tokens)
        plan = schedule(width, tokens)
        model = init_model(width, self.seed, self.source.vocab, self.source.order)
        optimiser = Adam(model)
        rng = np.random.default_rng(self.seed)

        def step() -> None:
            contexts, targets = self.source.sample(plan.batch, rng)
            optimiser.step(loss_and_gradients(model, contexts, targets)[1], plan.lr)

        repeats = 5
        with threadpool_limits(limits=1, user_api="blas"):  # as in `train`
            step()  # warm up
            start = time.perf_counter()
            for _ in range(repeats):
                step()
            per_step = (time.perf_counter() - start) / repeats
        return Estimate(width, N, tokens, C, seconds=per_step * plan.steps)

    def run(self, width: int, tokens: int, *, curve_points: int = 0) -> Run:
        """Train a model of `width` on `tokens` tokens, charge ``6 N D`` and record it in the ledger.

        Raises
        ------
        BudgetExceeded
            If ``6 N D`` exceeds the FLOPs left; nothing is trained or charged.
        ValueError
            If `width` or `tokens` is not a positive integer.
        """
        width, N, tokens, C = self._cost(width, tokens)
        if C > self.remaining * (1 + 1e-12):
            raise BudgetExceeded(
                f"this run needs 6 N D = 6 x {N:,} x {tokens:,} = {C:.3g} FLOPs, but the lab has "
                f"{self.remaining:.3g} of its {self.budget_flops:.3g} left; choose a smaller model or fewer "
                "tokens, or start a Lab with a larger budget_flops"
            )
        result = train(width, tokens, source=self.source, seed=self.seed, curve_points=curve_points)
        run = Run(width, N, tokens, C, result.loss, result.seconds)
        self._runs.append(run)
        self.last_result = result
        return run
