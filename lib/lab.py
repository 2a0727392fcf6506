"""The scaling lab: tiny language models trained on a CPU against a source whose loss floor is known.

The pieces, in the order a scaling study uses them:

- `MarkovSource` (built by `markov_source`): an order-k Markov chain over a small
  vocabulary. Its next-token logits are a Zipf-like preference for a few tokens plus
  seeded Gaussian noise per context, so every context predicts the next token a little
  differently. Its entropy rate, computed exactly from the stationary distribution of
  the chain, is the irreducible loss E that no model can beat.
- The model: embeddings of the last k tokens, concatenated, feed one ReLU layer of
  ``4 * width`` units and a softmax over the vocabulary. `n_params` gives its parameter
  count N as an exact function of the width. `loss_and_gradients` is the forward and
  backward pass in NumPy float32, written out by hand; `train` runs Adam with the
  learning-rate rule of `schedule`.
- `expected_loss`: the loss of a trained model is the exact expected cross-entropy
  under the source, a sum over every context weighted by its stationary probability,
  so a measured loss carries no evaluation noise.
- `Lab`: a compute budget; each run costs ``6 N D`` FLOPs (`lib.compute.training_flops`)
  and one that would overspend is refused; its `Ledger` is the table a student fits.
- `run_sweep` (``python -m lib.lab sweep --budgets ... --out runs.csv``): an IsoFLOP
  sweep on worker processes, resumable, written to CSV; `load_sweep` reads one, and the
  sweep shipped with the course (``lib/data/lab_sweep.csv``).

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, §2.1
(``C ≈ 6 N D``). Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models",
arXiv:2203.15556, §3.2 (IsoFLOP profiles), §3.3 (``L = E + A/N**alpha + B/D**beta``,
where E is the entropy of natural text) and App. D.1 (a cosine schedule matched to each
run's length, decaying the learning rate 10x). Cover and Thomas 2006, *Elements of
Information Theory*, 2nd ed., §4.2 (the entropy rate of a stationary Markov chain).
Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980,
Algorithm 1.
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from lib import _validate
from lib.compute import training_flops

__all__ = [
    "VOCAB",
    "ORDER",
    "ZIPF",
    "NOISE",
    "SEED",
    "WIDTHS",
    "SWEEP_BUDGETS",
    "QUICK_BUDGETS",
    "WINDOW",
    "TOKENS_PER_PARAM_GUESS",
    "window",
    "SHIPPED_SWEEP",
    "COLUMNS",
    "MarkovSource",
    "markov_source",
    "hidden_size",
    "n_params",
    "width_for_params",
    "Model",
    "init_model",
    "loss_and_gradients",
    "log_probs",
    "expected_loss",
    "Schedule",
    "schedule",
    "TrainResult",
    "Adam",
    "train",
    "BudgetExceeded",
    "Run",
    "Estimate",
    "Ledger",
    "Lab",
    "SweepPoint",
    "sweep_plan",
    "SweepRuns",
    "load_sweep",
    "run_sweep",
    "main",
]

VOCAB = 32
"""Tokens in the source's vocabulary."""
ORDER = 2
"""The source's order k: the next token depends on the last k tokens."""
ZIPF = 2.0
"""Exponent s of the Zipf-like preference: token of rank r gets logit ``-s log r``."""
NOISE = 1.5
"""Standard deviation of the seeded Gaussian noise added to every context's logits."""
SEED = 0
"""Seed of the source and of every run."""

WIDTHS = (8, 11, 14, 18, 23, 29, 36, 44, 54, 66, 80, 97, 117)
"""The ladder of model widths: N from 1.9k to 129k parameters, a factor of about sqrt(2) apart."""
WINDOW = 7
"""Widths per IsoFLOP profile: the 7 rungs of `WIDTHS` centred on a guess of the optimum."""
TOKENS_PER_PARAM_GUESS = 100
"""Where a sweep centres each profile: ``D = 100 N``, near the optimum a pilot sweep of this source found."""
SWEEP_BUDGETS = (1e9, 3e9, 1e10, 3e10, 1e11, 3e11, 1e12)
"""FLOP budgets of the shipped IsoFLOP sweep."""
QUICK_BUDGETS = (1e9, 3e9, 1e10)
"""Budgets of the quick sweep the chapter runs live."""
SHIPPED_SWEEP = Path(__file__).parent / "data" / "lab_sweep.csv"
"""The full sweep shipped with the course (see ``lib/data/README.md`` for the command)."""

COLUMNS = ("kind", "budget", "width", "N", "D", "C", "loss", "predicted", "seconds", "seed")
"""Columns of a sweep CSV, in order. ``kind`` is ``sweep`` or ``prediction``."""

_EVAL_BATCH = 4096  # contexts per block when evaluating the exact loss


# ---------------------------------------------------------------------------------------
# The source
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MarkovSource:
    """An order-k Markov chain over ``vocab`` tokens, with its exact stationary law.

    Contexts (the last k tokens, oldest first) are numbered in base ``vocab``:
    context ``(c_1, ..., c_k)`` has index ``c_1 * vocab**(k-1) + ... + c_k``.

    Attributes
    ----------
    vocab, order : int
        Vocabulary size V and order k.
    zipf, noise : float
        Zipf exponent of the token preference and standard deviation of the logit noise.
    seed : int
        Seed of the noise.
    transition : ndarray
        ``P(next | context)``, shape ``(V**k, V)``, float64; rows sum to 1.
    stationary : ndarray
        Stationary probability of each context, shape ``(V**k,)``.
    entropy_rate : float
        ``H = -sum_c pi(c) sum_x P(x|c) log P(x|c)`` in nats/token: the irreducible loss.
    """

    vocab: int
    order: int
    zipf: float
    noise: float
    seed: int
    transition: NDArray[np.float64]
    stationary: NDArray[np.float64]
    entropy_rate: float

    @property
    def n_contexts(self) -> int:
        """Number of contexts, ``V**k``."""
        return self.vocab**self.order

    def contexts(self) -> NDArray[np.int64]:
        """Every context as k token ids, oldest first, in index order; shape ``(V**k, k)``."""
        return _digits(np.arange(self.n_contexts), self.vocab, self.order)

    @functools.cached_property
    def _joint_cdf(self) -> NDArray[np.float64]:
        joint = (self.stationary[:, None] * self.transition).ravel()
        cdf = np.cumsum(joint)
        return cdf / cdf[-1]

    def sample(self, n: int, rng: np.random.Generator) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """`n` training positions of a stationary stream: contexts ``(n, k)`` and next tokens ``(n,)``.

        Each position is drawn independently from the joint law ``pi(c) P(x|c)``: exactly the
        law of any one position of the chain in its stationary state, without the correlation
        between neighbouring positions of one long stream (which the model never sees: it
        reads only the last k tokens).
        """
        index = np.searchsorted(self._joint_cdf, rng.random(n), side="right")
        context, target = np.divmod(np.minimum(index, self._joint_cdf.size - 1), self.vocab)
        return _digits(context, self.vocab, self.order), target

    def stream(self, length: int, n_streams: int, seed: int) -> NDArray[np.int64]:
        """Token streams generated by running the chain; shape ``(n_streams, length)``.

        Each stream starts from a context drawn uniformly at random, so its first tokens are
        not yet stationary (the chain forgets its start within a few steps).
        """
        rng = np.random.default_rng(seed)
        cdf = np.cumsum(self.transition, axis=1)
        tokens = np.empty((n_streams, length + self.order), dtype=np.int64)
        tokens[:, : self.order] = rng.integers(0, self.vocab, size=(n_streams, self.order))
        context = _index(tokens[:, : self.order], self.vocab)
        for t in range(self.order, length + self.order):
            u = rng.random(n_streams)[:, None]
            nxt = np.minimum((cdf[context] < u).sum(axis=1), self.vocab - 1)
            tokens[:, t] = nxt
            context = (context * self.vocab + nxt) % self.n_contexts
        return tokens[:, self.order :]

    def cross_entropy(self, log_q: NDArray) -> float:
        """Exact expected loss ``-sum_c pi(c) sum_x P(x|c) log q(x|c)`` of predictions `log_q`.

        `log_q` holds a model's log-probabilities for every context, shape ``(V**k, V)``.
        """
        return float(-(self.stationary @ (self.transition * np.asarray(log_q, dtype=np.float64)).sum(axis=1)))


def _digits(index: NDArray[np.int64], base: int, width: int) -> NDArray[np.int64]:
    """Context indices -> token ids, oldest first; shape ``index.shape + (width,)``."""
    powers = base ** np.arange(width - 1, -1, -1)
    return (np.asarray(index)[..., None] // powers) % base


def _index(tokens: NDArray[np.int64], base: int) -> NDArray[np.int64]:
    """Token ids (oldest first, last axis) -> context indices."""
    powers = base ** np.arange(tokens.shape[-1] - 1, -1, -1)
    return tokens @ powers


@functools.lru_cache(maxsize=8)
def markov_source(
    vocab: int = VOCAB, order: int = ORDER, zipf: float = ZIPF, noise: float = NOISE, seed: int = SEED
) -> MarkovSource:
    """Build the lab's source: Zipf-like preferences plus seeded noise, and its exact entropy rate.

    The logit of token x after context c is ``-zipf * log(rank(x)) + noise * g(c, x)``
    with a seeded random ranking of the tokens and independent standard normal
    ``g(c, x)``. The stationary distribution of the contexts is found by power iteration
    (the noise makes every transition possible, so the chain is ergodic and the iteration
    converges); the entropy rate is then the stationary average of the per-context entropy
    (Cover and Thomas 2006, §4.2): the contexts form a first-order chain, whose entropy
    rate is ``-sum_c pi(c) sum_x P(x|c) log P(x|c)``.

    Parameters
    ----------
    vocab : int, optional
        Vocabulary size V (at least 2).
    order : int, optional
        Order k (at least 1); there are ``V**k`` contexts.
    zipf : float, optional
        Zipf exponent (non-negative).
    noise : float, optional
        Standard deviation of the logit noise (non-negative).
    seed : int, optional
        Seed of the ranking and the noise.

    Returns
    -------
    MarkovSource

    Raises
    ------
    ValueError
        For a bad argument, or more than 2**20 contexts.

    References
    ----------
    Cover and Thomas 2006, *Elements of Information Theory*, 2nd ed., §4.2 (entropy rate).

    Examples
    --------
    >>> source = markov_source()
    >>> source.n_contexts, round(source.entropy_rate, 4)
    (1024, 0.8747)
    >>> bool(source.entropy_rate < math.log(source.vocab))
    True
    """
    vocab = _validate.integer(vocab, "vocab", 2)
    order = _validate.integer(order, "order", 1)
    zipf = _validate.scalar(zipf, "zipf", _validate.nonnegative)
    noise = _validate.scalar(noise, "noise", _validate.nonnegative)
    seed = _validate.integer(seed, "seed", 0)
    if vocab**order > 2**20:
        raise ValueError(f"vocab**order must be at most 2**20 contexts, got {vocab}**{order}")
    rng = np.random.default_rng(seed)
    rank = rng.permutation(vocab) + 1
    logits = -zipf * np.log(rank)[None, :] + noise * rng.standard_normal((vocab**order, vocab))
    transition = np.exp(logits - logits.max(axis=1, keepdims=True))
    transition /= transition.sum(axis=1, keepdims=True)
    # pi'(c_2..c_k, x) = sum_{c_1} pi(c_1..c_k) P(x | c_1..c_k)
    flow = transition.reshape(vocab, vocab ** (order - 1), vocab)
    stationary = np.full(vocab**order, 1.0 / vocab**order)
    for _ in range(100_000):
        updated = np.einsum("ab,abx->bx", stationary.reshape(vocab, -1), flow).ravel()
        converged = np.abs(updated - stationary).sum() < 1e-14
        stationary = updated
        if converged:
            break
    stationary /= stationary.sum()
    entropy = -(stationary @ (transition * np.log(transition)).sum(axis=1))
    return MarkovSource(vocab, order, zipf, noise, seed, transition, stationary, float(entropy))


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------


def hidden_size(width: int) -> int:
    """Units of the hidden layer of a model of `width`: ``4 * width``."""
    return 4 * _validate.integer(width, "width")


def n_params(width: int, vocab: int = VOCAB, order: int = ORDER) -> int:
    """Parameters N of the model of `width`: embeddings, hidden layer, output layer.

    ``N = V w + (k w) h + h + h V + V`` with ``h = 4 w``: a ``V x w`` embedding table
    shared by the k positions, a ``(k w) x h`` hidden weight matrix and its bias, a
    ``h x V`` output matrix and its bias.

    Parameters
    ----------
    width : int
        Embedding width w (a positive integer).
    vocab, order : int, optional
        Vocabulary size V and context length k.

    Returns
    -------
    int

    Examples
    --------
    >>> n_params(8), n_params(128)
    (1856, 152096)
    """
    width = _validate.integer(width, "width")
    vocab = _validate.integer(vocab, "vocab", 2)
    order = _validate.integer(order, "order", 1)
    hidden = hidden_size(width)
    return vocab * width + order * width * hidden + hidden + hidden * vocab + vocab


def width_for_params(N: float, vocab: int = VOCAB, order: int = ORDER) -> int:
    """The width whose parameter count is nearest to `N` (in log N).

    Examples
    --------
    >>> width_for_params(40_000), n_params(width_for_params(40_000))
    (61, 39804)
    """
    N = _validate.scalar(N, "N", _validate.positive)
    # N(w) = 4 k w**2 + (5 V + 4) w + V: solve the quadratic, then check both neighbours
    a, b, c = 4 * order, 5 * vocab + 4, vocab - N
    root = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a) if b * b - 4 * a * c >= 0 else 1.0
    candidates = {max(1, math.floor(root)), max(1, math.ceil(root))}
    return min(candidates, key=lambda w: (abs(math.log(n_params(w, vocab, order) / N)), w))


@dataclass
class Model:
    """A model's weights (float32), updated in place by `train`.

    Attributes
    ----------
    width : int
        Embedding width w.
    params : dict of str to ndarray
        ``embed`` (V, w), ``W1`` (k w, h), ``b1`` (h,), ``W2`` (h, V), ``b2`` (V,).
    """

    width: int
    params: dict[str, NDArray[np.float32]]

    @property
    def n_params(self) -> int:
        """Parameters N (equals `n_params` of the width)."""
        return sum(p.size for p in self.params.values())


def init_model(width: int, seed: int = SEED, vocab: int = VOCAB, order: int = ORDER) -> Model:
    """A freshly initialised model: unit-variance embeddings, He-scaled hidden layer, zero output.

    The zero output layer makes the first prediction uniform (loss ``log V``) at every width.

    Examples
    --------
    >>> model = init_model(8)
    >>> model.n_params == n_params(8), model.params["W1"].shape
    (True, (16, 32))
    """
    width = _validate.integer(width, "width")
    hidden = hidden_size(width)
    rng = np.random.default_rng([_validate.integer(seed, "seed", 0), width])
    params = {
        "embed": rng.standard_normal((vocab, width)),
        "W1": rng.standard_normal((order * width, hidden)) * math.sqrt(2.0 / (order * width)),
        "b1": np.zeros(hidden),
        "W2": np.zeros((hidden, vocab)),
        "b2": np.zeros(vocab),
    }
    return Model(width, {name: value.astype(np.float32) for name, value in params.items()})


def loss_and_gradients(
    model: Model, contexts: NDArray[np.int64], targets: NDArray[np.int64]
) -> tuple[float, dict[str, NDArray[np.float32]]]:
    """Mean cross-entropy of a batch and its gradient with respect to every weight.

    Forward: ``x = concat(embed[c_1], ..., embed[c_k])``, ``a = x W1 + b1``,
    ``u = relu(a)``, ``z = u W2 + b2``, ``loss = mean(logsumexp(z) - z[target])``.
    Backward, for a batch of B positions: ``dz = (softmax(z) - onehot(target)) / B``;
    ``dW2 = u^T dz``; ``du = dz W2^T``; ``da = du * (a > 0)``; ``dW1 = x^T da``;
    ``dx = da W1^T``, whose k slices are added into the rows of the embedding table that
    were read (a matrix product with the one-hot matrix of the context tokens).

    Parameters
    ----------
    model : Model
        The weights (float32).
    contexts : ndarray of int
        Shape ``(B, k)``: the last k tokens before each position, oldest first.
    targets : ndarray of int
        Shape ``(B,)``: the next tokens.

    Returns
    -------
    loss : float
        Mean cross-entropy of the batch (nats/token).
    gradients : dict of str to ndarray
        One float32 array per weight, same shapes as ``model.params``.
    """
    p = model.params
    batch, order = contexts.shape
    rows = np.arange(batch)
    x = p["embed"][contexts].reshape(batch, -1)
    a = x @ p["W1"]
    a += p["b1"]
    u = np.maximum(a, 0.0)
    z = u @ p["W2"]
    z += p["b2"]
    z -= z.max(axis=1, keepdims=True)
    target_logit = z[rows, targets]
    np.exp(z, out=z)
    total = z.sum(axis=1, keepdims=True)
    loss = float(np.log(total).mean() - target_logit.mean())
    dz = z
    dz /= total
    dz[rows, targets] -= 1.0
    dz *= np.float32(1.0 / batch)
    du = dz @ p["W2"].T
    du *= u > 0
    dx = (du @ p["W1"].T).reshape(batch * order, -1)
    onehot = np.zeros((batch * order, p["embed"].shape[0]), dtype=np.float32)
    onehot[np.arange(batch * order), contexts.ravel()] = 1.0
    gradients = {
        "embed": onehot.T @ dx,
        "W1": x.T @ du,
        "b1": du.sum(axis=0),
        "W2": u.T @ dz,
        "b2": dz.sum(axis=0),
    }
    return loss, gradients


def log_probs(model: Model, contexts: NDArray[np.int64]) -> NDArray[np.float64]:
    """The model's log-probabilities of every next token after each of `contexts`, float64."""
    p = model.params
    x = p["embed"][contexts].reshape(len(contexts), -1).astype(np.float64)
    z = np.maximum(x @ p["W1"] + p["b1"], 0.0) @ p["W2"] + p["b2"]
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def expected_loss(model: Model, source: MarkovSource | None = None) -> float:
    """Exact expected loss of `model` on `source`: every context, weighted by its probability.

    ``L = -sum_c pi(c) sum_x P(x|c) log q(x|c)`` in nats/token; ``L - H`` is the
    model's KL divergence from the source, averaged over contexts, so ``L >= H``.

    Examples
    --------
    >>> source = markov_source()
    >>> abs(expected_loss(init_model(8), source) - math.log(source.vocab)) < 1e-12  # uniform at init
    True
    """
    source = markov_source() if source is None else source
    contexts = source.contexts()
    total = 0.0
    for start in range(0, source.n_contexts, _EVAL_BATCH):
        block = slice(start, start + _EVAL_BATCH)
        log_q = log_probs(model, contexts[block])
        total -= float(source.stationary[block] @ (source.transition[block] * log_q).sum(axis=1))
    return total


# ---------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------

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
class TrainResult:
    """The outcome of one training run.

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

    width: int
    N: int
    D: int
    C: float
    loss: float
    seconds: float
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


# ---------------------------------------------------------------------------------------
# The lab: a budget and a ledger
# ---------------------------------------------------------------------------------------


class BudgetExceeded(ValueError):
    """A run would spend more FLOPs than the lab has left."""


@dataclass(frozen=True)
class Run:
    """One finished run, as the ledger records it (N, D, C in parameters, tokens, FLOPs)."""

    width: int
    N: int
    D: int
    C: float
    loss: float
    seconds: float


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
    lib.lab.BudgetExceeded: this run needs 6 N D = 6 x 13,472 x 1,000,000 = 8.08e+10 FLOPs, but the lab ...
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


# ---------------------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepPoint:
    """One run of a sweep: its budget, width, and the tokens ``round(budget / (6 N))``."""

    budget: float
    width: int
    N: int
    D: int


def window(budget: float) -> tuple[int, ...]:
    """The `WINDOW` widths of the ladder `WIDTHS` centred (in log N) on ``N = sqrt(C / (6 * 100))``.

    The centre is the compute-optimal size if the optimum were at ``D = 100 N``
    (`TOKENS_PER_PARAM_GUESS`, from a pilot sweep); the sweep then measures where it
    really lies. Near the ends of the ladder the window is shifted inside it.

    Examples
    --------
    >>> window(1e9), window(1e12)
    ((8, 11, 14, 18, 23, 29, 36), (36, 44, 54, 66, 80, 97, 117))
    """
    budget = _validate.scalar(budget, "budget", _validate.positive)
    centre = math.sqrt(budget / (6 * TOKENS_PER_PARAM_GUESS))
    sizes = np.log([n_params(w) for w in WIDTHS])
    middle = int(np.argmin(np.abs(sizes - math.log(centre))))
    first = min(max(0, middle - WINDOW // 2), len(WIDTHS) - WINDOW)
    return WIDTHS[first : first + WINDOW]


def sweep_plan(budgets: Sequence[float], widths: Sequence[int] | None = None) -> list[SweepPoint]:
    """The runs of an IsoFLOP sweep, each with ``D = C / (6 N)`` tokens.

    Parameters
    ----------
    budgets : sequence of float
        FLOP budgets (positive).
    widths : sequence of int, optional
        Widths trained at every budget; default: the `window` of each budget.

    Examples
    --------
    >>> [(p.width, p.D) for p in sweep_plan([1e9], widths=[8, 16])]
    [(8, 89799), (16, 35431)]
    >>> len(sweep_plan(SWEEP_BUDGETS))
    49
    """
    budgets = _validate.positive(budgets, "budgets")
    if budgets.ndim != 1 or budgets.size == 0:
        raise ValueError("budgets must be a non-empty list of FLOP counts")
    if widths is not None:
        widths = sorted({_validate.integer(w, "width") for w in widths})
        if not widths:
            raise ValueError("widths must be a non-empty list of positive integers")
    return [
        SweepPoint(float(C), w, n_params(w), max(1, round(C / (6 * n_params(w)))))
        for C in budgets
        for w in (window(C) if widths is None else widths)
    ]


@dataclass(frozen=True)
class SweepRuns:
    """The rows of a sweep CSV, as arrays (one entry per run).

    Attributes
    ----------
    kind : ndarray of str
        ``"sweep"`` for the IsoFLOP grid, ``"prediction"`` for a predict-then-run check.
    budget, C, loss, predicted, seconds : ndarray of float
        Budget of the IsoFLOP profile, compute ``6 N D``, exact loss, the loss predicted
        before the run (NaN for sweep runs) and wall time.
    width, N, D, seed : ndarray of int
    """

    kind: NDArray[np.str_]
    budget: NDArray[np.float64]
    width: NDArray[np.int64]
    N: NDArray[np.int64]
    D: NDArray[np.int64]
    C: NDArray[np.float64]
    loss: NDArray[np.float64]
    predicted: NDArray[np.float64]
    seconds: NDArray[np.float64]
    seed: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.kind)

    def select(self, kind: str) -> SweepRuns:
        """Only the rows of one kind (``"sweep"`` or ``"prediction"``)."""
        keep = self.kind == kind
        return SweepRuns(**{name: getattr(self, name)[keep] for name in COLUMNS})


_INT_COLUMNS = {"width", "N", "D", "seed"}


def _parse_row(row: dict[str, str], path: Path, line: int) -> dict[str, object]:
    values: dict[str, object] = {}
    try:
        for name in COLUMNS:
            text = row[name]
            if name == "kind":
                if text not in ("sweep", "prediction"):
                    raise ValueError(f"kind must be 'sweep' or 'prediction', got {text!r}")
                values[name] = text
            elif name in _INT_COLUMNS:
                values[name] = int(text)
            else:
                values[name] = float(text)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{path}, line {line}: not a valid lab sweep row ({error}); fix or delete it"
        ) from None
    return values


def _read_rows(path: Path) -> list[dict[str, object]]:
    """The rows of a sweep CSV, checked; a foreign or corrupt file is a ValueError saying so."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if header != COLUMNS:
                raise ValueError(
                    f"{path} is not a lab sweep file: its header is {','.join(header) or '(empty)'}, "
                    f"expected {','.join(COLUMNS)}; choose another --out file"
                )
            return [_parse_row(row, path, i) for i, row in enumerate(reader, start=2)]
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a lab sweep file (not UTF-8 text); choose another file") from None


def load_sweep(path: str | os.PathLike | None = None) -> SweepRuns:
    """Read a sweep CSV written by `run_sweep`; default: the sweep shipped with the course.

    Raises
    ------
    ValueError
        If the file is not a sweep CSV (wrong header) or a row is corrupt.

    Examples
    --------
    >>> runs = load_sweep()
    >>> sorted(set(runs.kind.tolist()))
    ['prediction', 'sweep']
    >>> bool(np.allclose(runs.C, 6.0 * runs.N * runs.D))
    True
    """
    path = SHIPPED_SWEEP if path is None else Path(path)
    rows = _read_rows(path)
    columns = {name: [row[name] for row in rows] for name in COLUMNS}
    dtypes = {"kind": str, **{name: np.int64 for name in _INT_COLUMNS}}
    return SweepRuns(**{name: np.array(columns[name], dtype=dtypes.get(name, float)) for name in COLUMNS})


def _format_row(values: dict[str, object]) -> list[str]:
    out = []
    for name in COLUMNS:
        value = values[name]
        if name == "seconds":
            out.append(f"{value:.3f}")
        elif isinstance(value, float):
            out.append(repr(value))
        else:
            out.append(str(value))
    return out


def _worker_init() -> None:
    """Spawned workers: one BLAS thread each (deterministic), and Ctrl-C is the parent's job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(limits=1, user_api="blas")


def _run_point(job: tuple[str, float, int, int, int, float]) -> dict[str, object]:
    """Train one run in a worker, rebuilding the source from the constants and the seed."""
    kind, budget, width, tokens, seed, predicted = job
    result = train(width, tokens, source=markov_source(), seed=seed)
    return {
        "kind": kind,
        "budget": budget,
        "width": width,
        "N": result.N,
        "D": result.D,
        "C": result.C,
        "loss": result.loss,
        "predicted": predicted,
        "seconds": result.seconds,
        "seed": seed,
    }


def _key(row: dict[str, object]) -> tuple[str, float, int, int]:
    return (str(row["kind"]), float(row["budget"]), int(row["width"]), int(row["seed"]))


def _write_rows(path: Path, rows: list[dict[str, object]]) -> None:
    """Write all rows, sorted, atomically (a temporary file, then a rename)."""
    ordered = sorted(rows, key=lambda r: (r["kind"] != "sweep", float(r["budget"]), int(r["width"])))
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_format_row(row) for row in ordered)
    os.replace(partial, path)


def _run_jobs(
    jobs: list[tuple[str, float, int, int, int, float]],
    path: Path,
    rows: list[dict[str, object]],
    workers: int,
    progress: bool,
) -> None:
    """Run `jobs` on `workers` spawned processes, saving `rows` to `path` after each finished run."""
    from tqdm.auto import tqdm

    if not jobs:
        return
    jobs = sorted(jobs, key=lambda job: -job[1])  # the longest runs first: better load balance
    bar = tqdm(total=len(jobs), unit="run", desc="sweep", disable=not progress, file=sys.stderr)
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(min(workers, len(jobs)), initializer=_worker_init)
    try:
        for row in pool.imap_unordered(_run_point, jobs):
            rows.append(row)
            _write_rows(path, rows)
            bar.set_postfix_str(f"last: width {row['width']}, loss {row['loss']:.4f}")
            bar.update()
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl-C or an error: every finished run is already on disk
        raise
    finally:
        pool.join()
        bar.close()


def run_sweep(
    budgets: Sequence[float],
    out: str | os.PathLike,
    *,
    widths: Sequence[int] | None = None,
    seed: int = SEED,
    workers: int = 2,
    predict: float | None = None,
    progress: bool = True,
) -> SweepRuns:
    """Run an IsoFLOP sweep (every width at every budget) into the CSV file `out`, resumably.

    Runs already in `out` (same kind, budget, width and seed) are skipped, and every run
    is saved as soon as it finishes, so an interrupted sweep (Ctrl-C) loses only the runs
    in progress and continues where it stopped when started again. Each worker is a
    spawned process (not forked: a fork of a process whose BLAS already started threads
    can hang) with one BLAS thread that rebuilds the source from its constants, so losses
    do not depend on which worker ran what.

    With `predict` (a factor, at least 1), the sweep is then fitted with approach 3
    (`lib.fitting.fit_chinchilla`); the compute-optimal model for ``predict`` times the
    largest budget is chosen (the width nearest the fitted N_opt, ``D = C / (6 N)``), its
    loss predicted from the fitted law, and the run made and saved as kind ``prediction``.

    Parameters
    ----------
    budgets : sequence of float
        FLOP budgets (positive).
    out : path
        CSV file to create or resume.
    widths : sequence of int, optional
        Model widths trained at every budget; default: the `window` of each budget.
    seed : int, optional
        Seed of every run.
    workers : int, optional
        Worker processes (default 2).
    predict : float, optional
        Factor for the predict-then-run check (default: no check).
    progress : bool, optional
        Show a tqdm progress bar on stderr.

    Returns
    -------
    SweepRuns
        Every row of `out` after the sweep.

    Raises
    ------
    ValueError
        For bad arguments, or if `out` exists but is not a sweep CSV of the lab, or holds
        rows made with another seed.
    """
    path = Path(out)
    workers = _validate.integer(workers, "workers")
    seed = _validate.integer(seed, "seed", 0)
    plan = sweep_plan(budgets, widths)
    if predict is not None:
        predict = _validate.scalar(predict, "predict", _validate.positive)
        if predict < 1:
            raise ValueError(f"predict must be a factor of at least 1, got {predict}")
    rows = _read_rows(path) if path.exists() else []
    foreign = {int(row["seed"]) for row in rows} - {seed}
    if foreign:
        raise ValueError(
            f"{path} holds runs made with seed {sorted(foreign)}, not {seed}; choose another file"
        )
    done = {_key(row) for row in rows}
    jobs = [
        ("sweep", p.budget, p.width, p.D, seed, math.nan)
        for p in plan
        if ("sweep", p.budget, p.width, seed) not in done
    ]
    _run_jobs(jobs, path, rows, workers, progress)
    if predict is not None:
        job = _prediction_job(rows, budgets, predict, seed)
        if ("prediction", job[1], job[2], seed) not in done:
            _run_jobs([job], path, rows, 1, progress)
    if not path.exists():
        _write_rows(path, rows)
    return load_sweep(path)


def _prediction_job(
    rows: list[dict[str, object]], budgets: Sequence[float], factor: float, seed: int
) -> tuple[str, float, int, int, int, float]:
    """Fit the sweep at `budgets` (approach 3); plan the compute-optimal run at `factor` x the largest."""
    from lib.fitting import fit_chinchilla

    wanted = {float(C) for C in budgets}
    sweep = [r for r in rows if r["kind"] == "sweep" and float(r["budget"]) in wanted]
    N, D, loss = (np.array([r[name] for r in sweep], dtype=float) for name in ("N", "D", "loss"))
    law = fit_chinchilla(N, D, loss).law
    budget = factor * max(wanted)
    width = width_for_params(float(law.optimal_allocation(budget)[0]))
    N_run = n_params(width)
    tokens = max(1, round(budget / (6 * N_run)))
    return ("prediction", budget, width, tokens, seed, float(law.loss(N_run, tokens)))


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of FLOPs, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.lab", description="The scaling lab: IsoFLOP sweeps of tiny language models."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sweep = commands.add_parser(
        "sweep",
        help="train every width at every budget and save the runs to a CSV file (resumable)",
        description="Train every width at every FLOP budget (D = C / 6N) and save each run to --out as it "
        "finishes. Run again with the same arguments to resume: finished runs are skipped.",
    )
    sweep.add_argument("--budgets", type=_positive_float, nargs="+", required=True, help="FLOP budgets")
    sweep.add_argument("--out", type=Path, required=True, help="CSV file to create or resume")
    sweep.add_argument(
        "--widths",
        type=_positive_int,
        nargs="+",
        help="widths trained at every budget (default: for each budget, the 7 widths of the ladder "
        "around N = sqrt(C / 600))",
    )
    sweep.add_argument("--seed", type=int, default=SEED, help="seed of every run (default: %(default)s)")
    sweep.add_argument("--workers", type=_positive_int, default=2, help="processes (default: %(default)s)")
    sweep.add_argument(
        "--predict",
        type=_positive_float,
        metavar="FACTOR",
        help="afterwards, fit the sweep, predict the loss of the compute-optimal run at FACTOR x the "
        "largest budget, and run it",
    )
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m lib.lab``; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        runs = run_sweep(
            args.budgets,
            args.out,
            widths=args.widths,
            seed=args.seed,
            workers=args.workers,
            predict=args.predict,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: finished runs are saved in {args.out}; run the same command to resume",
            file=sys.stderr,
        )
        return 130
    except ValueError as error:
        print(f"python -m lib.lab: error: {error}", file=sys.stderr)
        return 2
    print(f"{len(runs)} runs in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
