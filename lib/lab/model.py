"""The lab's model: embeddings of the last k tokens, one ReLU layer, a softmax; NumPy float32.

`n_params` gives the parameter count N as an exact function of the width;
`loss_and_gradients` is the forward and backward pass, written out by hand; `expected_loss`
is the exact expected cross-entropy under the source, a sum over every context weighted by
its stationary probability, so a measured loss carries no evaluation noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lib import _validate
from lib.lab.source import ORDER, SEED, VOCAB, MarkovSource, markov_source

__all__ = [
    "hidden_size",
    "n_params",
    "width_for_params",
    "Model",
    "init_model",
    "loss_and_gradients",
    "log_probs",
    "expected_loss",
]

_EVAL_BATCH = 4096  # contexts per block when evaluating the exact loss


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
