"""From smooth loss to sudden-looking accuracy: a toy model.

If a model assigns the correct next token a (geometric-mean) probability
``p = exp(-L)`` at per-token loss ``L`` nats, and an answer counts only when all of
its ``k`` tokens are right, its exact-match accuracy is about ``p**k = exp(-k L)``.
A loss that falls smoothly as a power law then gives an accuracy that sits near zero
and shoots up over a narrow range of scale: an "emergent" ability produced by the
choice of metric, the argument of Schaeffer et al. (2023).

References
----------
Schaeffer, Miranda and Koyejo 2023, "Are Emergent Abilities of Large Language Models a
Mirage?", arXiv:2304.15004 (abstract).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.powerlaw import FloatOrArray

__all__ = ["token_probability", "exact_match_accuracy"]


def token_probability(loss: ArrayLike) -> FloatOrArray:
    """Geometric-mean probability of the correct token at per-token loss `loss` (nats).

    Parameters
    ----------
    loss : array_like
        Per-token cross-entropy in nats, ``>= 0``.

    Returns
    -------
    float or ndarray
        ``exp(-loss)``.

    References
    ----------
    Cross-entropy is the mean of ``-log p(correct token)``, so ``exp(-L)`` is the geometric mean of p.

    Examples
    --------
    >>> round(token_probability(np.log(2)), 3)
    0.5
    """
    L = _validate.nonnegative(loss, "loss")
    return _validate.as_output(np.exp(-L))


def exact_match_accuracy(loss: ArrayLike, answer_tokens: int) -> FloatOrArray:
    """Probability that all `answer_tokens` tokens are right: ``exp(-answer_tokens * loss)``.

    Parameters
    ----------
    loss : array_like
        Per-token loss in nats, ``>= 0``.
    answer_tokens : int
        Length of the answer in tokens, ``>= 1``.

    Returns
    -------
    float or ndarray
        The toy model's exact-match accuracy, between 0 and 1.

    References
    ----------
    Schaeffer et al. 2023, arXiv:2304.15004: nonlinear metrics such as exact match make
    smooth improvements look like sudden jumps. The independence of tokens is the toy's assumption.

    Examples
    --------
    >>> round(exact_match_accuracy(np.log(2), answer_tokens=3), 3)
    0.125
    """
    L = _validate.nonnegative(loss, "loss")
    answer_tokens = _validate.integer(answer_tokens, "answer_tokens")
    return _validate.as_output(np.exp(-answer_tokens * L))
