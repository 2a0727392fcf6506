"""Training the lab's models: Adam with a width-scaled learning rate, warmed up and decayed to zero.

References
----------
Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980,
Algorithm 1. Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models",
arXiv:2203.15556, App. D.1 (a cosine schedule matched to each run's length).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.compute import training_flops
from lib.lab.model import Model, expected_loss, init_model, loss_and_gradients
from lib.lab.source import SEED, MarkovSource, markov_source

__all__ = [
    "LR_SCALE",
    "LR_WIDTH_EXPONENT",
    "LR_BATCH_EXPONENT",
    "Schedule",
    "schedule",
    "TrainResult",
    "Adam",
    "train",
]

LR_SCALE = 0.264
"""Peak Adam learning rate of a width-1 model at batch 1024 (see `schedule`)."""
LR_WIDTH_EXPONENT = 0.8
"""The peak learning rate falls as ``width**-0.8``."""
LR_BATCH_EXPONENT = 0.2
"""The peak learning rate grows as ``(batch / 1024)**0.2``."""
_MIN_BATCH, _MAX_BATCH, _TARGET_STEPS = 32, 2048, 1000
_WARMUP = 0.05  # fraction of steps with a linearly rising learning rate
_FINAL_LR = 0.0  # the cosine decay ends at this fraction of the peak
_BETAS, _EPS = (0.9, 0.99), 1e-8


@dataclass(frozen=True)
class Schedule:
    """How a run of `tokens` tokens is trained.

    Attributes
    ----------
    lr : float
        Peak Adam learning rate.
    batch : int
        Positions per step (the last step takes the remainder).
    steps : int
        Optimiser steps, ``ceil(tokens / batch)``.
    warmup : int
        Steps of linear warm-up before the cosine decay to zero.
    """

    lr: float
    batch: int
    steps: int
    warmup: int

    def lr_at(self, step: int) -> float:
        """Learning rate of step ``1 <= step <= steps``."""
        rise = min(1.0, step / self.warmup)
        decay = _FINAL_LR + (1.0 - _FINAL_LR) * 0.5 * (1.0 + math.cos(math.pi * step / self.steps))
        return self.lr * rise * decay


def schedule(width: int, tokens: int) -> Schedule:
    """The lab's training rule: batch size from the tokens, learning rate from width and batch.

    - Batch: the power of two nearest ``tokens / 1000``, between 32 and 2048, so a run
      takes about 1000 Adam steps unless it is very short or very long.
    - Peak learning rate ``0.264 * width**-0.8 * (batch / 1024)**0.2``. Wider models need
      smaller steps, because every hidden unit adds its own update to each output; larger
      batches, whose gradients are less noisy, allow slightly larger ones, so the rate
      also grows with the data. The constant and both exponents were tuned once, from
      the best of a grid of rates at widths 8 to 128 and budgets 1e10 to 1e12 FLOPs
      (on a pilot source with ``zipf = 1``); chapter 7 checks them on the lab's source by
      training with half and twice the rate (``train(..., lr_factor=...)``). With one rate for
      every width, the widest models diverge or the narrowest crawl, and a fitted law
      would blame their size.
    - Warm-up over the first 5 % of steps, then a cosine decay to zero over exactly the
      run's steps: every run gets a full schedule of its own, as in Hoffmann et al. (2022,
      App. D.1), who matched the cosine cycle to each run's length. They decayed the rate
      by 10x; here a decay to 10 % of the peak leaves an optimiser noise floor that is not
      small next to the few thousandths of a nat by which the best runs exceed E (it
      flattened the largest runs of a pilot sweep), so the decay goes to zero.

    Examples
    --------
    >>> plan = schedule(32, 1_000_000)
    >>> round(plan.lr, 5), plan.batch, plan.steps, plan.warmup
    (0.0165, 1024, 977, 49)
    """
    width = _validate.integer(width, "width")
    tokens = _validate.integer(tokens, "tokens")
    batch = int(np.clip(2 ** round(math.log2(max(tokens / _TARGET_STEPS, 1.0))), _MIN_BATCH, _MAX_BATCH))
    steps = math.ceil(tokens / batch)
    lr = LR_SCALE * width**-LR_WIDTH_EXPONENT * (batch / 1024) ** LR_BATCH_EXPONENT
    return Schedule(lr=lr, batch=batch, steps=steps, warmup=max(1, round(_WARMUP * steps)))


@dataclass(frozen=True)
class Run:
    """One finished run, as the ledger records it (N, D, C in parameters, tokens, FLOPs).

    Defined here, as the part of a `TrainResult` that `lib.lab.ledger` keeps, and exported
    from there.
    """

    width: int
    N: int
    D: int
    C: float
    loss: float
    seconds: float


@dataclass(frozen=True)
class TrainResult(Run):
    """The outcome of one training run: its `Run` record, the learning curve and the weights.

    Attributes
    ----------
    width, N, D : int
        Width, parameters and training tokens.
    C : float
        Training compute ``6 N D`` in FLOPs.
    loss : float
        Exact expected loss of the final model (nats/token).
    seconds : float
        Wall time of the training loop.
    curve : tuple of (int, float)
        ``(tokens seen, exact expected loss)`` at evenly spaced steps, if asked for.
    model : Model
        The trained weights.
    """

    curve: tuple[tuple[int, float], ...]
    model: Model


class Adam:
    """Adam's update rule (Kingma and Ba 2015, Algorithm 1) for a model's weights, in place.

    Parameters
    ----------
    model : Model
        The weights to update.
    betas : tuple of float, optional
        Decay rates of the first and second moment estimates (0.9, 0.99; Kingma and Ba
        suggest 0.999 for the second).
    eps : float, optional
        Added to the root of the second moment (1e-8).
    """

    def __init__(self, model: Model, betas: tuple[float, float] = _BETAS, eps: float = _EPS) -> None:
        self.model = model
        self.betas = betas
        self.eps = np.float32(eps)
        self.steps = 0
        self._first = {name: np.zeros_like(p) for name, p in model.params.items()}
        self._second = {name: np.zeros_like(p) for name, p in model.params.items()}

    def step(self, gradients: dict[str, NDArray[np.float32]], lr: float) -> None:
        """Move every weight by ``-lr * m_hat / (sqrt(v_hat) + eps)``."""
        self.steps += 1
        beta1, beta2 = self.betas
        step_size = np.float32(lr / (1.0 - beta1**self.steps))
        unbias = np.float32(1.0 / (1.0 - beta2**self.steps))
        for name, p in self.model.params.items():
            g, m, v = gradients[name], self._first[name], self._second[name]
            m *= beta1
            m += np.float32(1.0 - beta1) * g
            v *= beta2
            v += np.float32(1.0 - beta2) * g * g
            p -= step_size * m / (np.sqrt(v * unbias) + self.eps)


def train(
    width: int,
    tokens: int,
    *,
    source: MarkovSource | None = None,
    seed: int = SEED,
    curve_points: int = 0,
    lr_factor: float = 1.0,
) -> TrainResult:
    """Train a model of `width` on `tokens` fresh positions of the source with Adam.

    Every position is seen once (no repeated data). Training runs on one BLAS thread,
    whatever the caller's setting: matrices this small gain little from more threads,
    and on a busy machine a thread pool that waits for its other threads can make each
    step many times slower. The run is therefore deterministic for a given seed, width
    and tokens, in any process (on the same CPU and NumPy build).

    Parameters
    ----------
    width : int
        Model width (positive integer); N is `n_params` of it.
    tokens : int
        Training tokens D (positive integer).
    source : MarkovSource, optional
        Default: `markov_source` with the default constants.
    seed : int, optional
        Seeds the initial weights and the sampled data.
    curve_points : int, optional
        Number of evenly spaced points of the training curve to record (0: none).
    lr_factor : float, optional
        Multiplies the peak learning rate of `schedule` (positive; 1 keeps the lab's rule).
        Other values are for checking the rule, as chapter 7 does with 0.5 and 2.

    Returns
    -------
    TrainResult

    Raises
    ------
    ValueError
        If `width` or `tokens` is not a positive integer, or `lr_factor` is not positive.

    References
    ----------
    Kingma and Ba 2015, arXiv:1412.6980, Algorithm 1 (Adam).

    Examples
    --------
    >>> import math
    >>> from lib.lab import VOCAB, markov_source
    >>> result = train(8, 20_000)
    >>> result.N, result.D, result.C
    (1856, 20000, 222720000.0)
    >>> bool(markov_source().entropy_rate < result.loss < math.log(VOCAB))
    True
    """
    width = _validate.integer(width, "width")
    tokens = _validate.integer(tokens, "tokens")
    curve_points = _validate.integer(curve_points, "curve_points", 0)
    lr_factor = _validate.scalar(lr_factor, "lr_factor", _validate.positive)
    source = markov_source() if source is None else source
    model = init_model(width, seed, source.vocab, source.order)
    plan = schedule(width, tokens)
    plan = replace(plan, lr=plan.lr * lr_factor)
    rng = np.random.default_rng([seed, width, tokens, 1])
    optimiser = Adam(model)
    marks = set(np.linspace(0, plan.steps, curve_points + 1).round().astype(int)[1:] if curve_points else [])
    curve, seen = [], 0
    start = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        for step in range(1, plan.steps + 1):
            contexts, targets = source.sample(min(plan.batch, tokens - seen), rng)
            _, gradients = loss_and_gradients(model, contexts, targets)
            optimiser.step(gradients, plan.lr_at(step))
            seen += len(targets)
            if step in marks:
                curve.append((seen, expected_loss(model, source)))
    seconds = time.perf_counter() - start
    N = model.n_params
    return TrainResult(
        width=width,
        N=N,
        D=tokens,
        C=float(training_flops(N, tokens)),
        loss=expected_loss(model, source),
        seconds=seconds,
        curve=tuple(curve),
        model=model,
    )
