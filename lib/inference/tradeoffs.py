"""Train-time against test-time compute: the board-game trade-off and FLOPs-matched comparisons.

References
----------
Jones 2021, "Scaling Scaling Laws with Board Games", arXiv:2104.03113: 10× train-time
compute trades for about 15× test-time compute; about 500 Elo per order of magnitude of
compute. Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally can be More Effective
than Scaling Model Parameters", arXiv:2408.03314.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lib import _validate
from lib.compute import inference_flops, training_flops
from lib.powerlaw import FloatOrArray

__all__ = ["TrainTestTradeoff", "JONES_TRADEOFF", "flops_matched_samples"]


@dataclass(frozen=True)
class TrainTestTradeoff:
    """A board-game agent's strength as a plane in log compute, in the spirit of Jones (2021).

    ``Elo = elo_per_decade · (log10(C_train / train_ref) + log10(C_test / test_ref) / log10(r))``

    with ``r = test_per_train_decade``: along an iso-Elo contour, every 10× of train
    compute removes ``test_per_train_decade``× of test compute. Jones reports about 500 Elo
    per order of magnitude of compute; reading that as 500 Elo per 10× train-time compute
    at fixed test-time compute is this model's assumption. The plane is built to
    reproduce the paper's two summary numbers, not its fitted surface, which bends and
    ends at a floor of a single-node tree search (`test_floor`).

    Attributes
    ----------
    elo_per_decade : float
        Elo gained per 10× train-time compute at fixed test-time compute (a model
        assumption built on Jones's "about 500 Elo per order of magnitude of compute").
    test_per_train_decade : float
        Test-time compute factor equivalent to 10× train-time compute (Jones: about 15).
    train_ref, test_ref : float
        Compute (FLOPs) at which the Elo is 0.
    test_floor : float
        The smallest test-time compute an agent can use (FLOPs per move).

    References
    ----------
    Jones 2021, arXiv:2104.03113: "for each additional 10× of train-time compute, about
    15× of test-time compute can be eliminated, down to a floor of a single-node tree
    search"; "500 Elo per order of magnitude increase in compute" (quoted from the body
    text in a secondary copy).

    Examples
    --------
    >>> round(JONES_TRADEOFF.elo(1e13, 1e6) - JONES_TRADEOFF.elo(1e12, 15e6), 9)
    0.0
    """

    elo_per_decade: float = 500.0
    test_per_train_decade: float = 15.0
    train_ref: float = 1e12
    test_ref: float = 1e6
    test_floor: float = 1e6

    def __post_init__(self) -> None:
        for name in ("elo_per_decade", "train_ref", "test_ref", "test_floor"):
            _validate.scalar(getattr(self, name), name, _validate.positive)
        if _validate.scalar(self.test_per_train_decade, "test_per_train_decade", _validate.positive) <= 1:
            raise ValueError(f"test_per_train_decade must be above 1, got {self.test_per_train_decade}")

    def elo(self, C_train: ArrayLike, C_test: ArrayLike) -> FloatOrArray:
        """Elo of an agent trained with `C_train` FLOPs searching with `C_test` FLOPs per move."""
        C_train = _validate.positive(C_train, "C_train")
        C_test = _validate.positive(C_test, "C_test")
        if np.any(C_test < self.test_floor):
            raise ValueError(f"C_test must be at least the floor test_floor = {self.test_floor:g}")
        decades = np.log10(C_train / self.train_ref) + np.log10(C_test / self.test_ref) / np.log10(
            self.test_per_train_decade
        )
        return _validate.as_output(self.elo_per_decade * decades)

    def test_compute_for(self, elo: ArrayLike, C_train: ArrayLike) -> FloatOrArray:
        """Test-time FLOPs per move that reach `elo` with `C_train`; NaN-free, raises below the floor.

        Examples
        --------
        >>> round(JONES_TRADEOFF.test_compute_for(500.0, 1e12) / 1e6, 6)  # 10× train ≙ 15× test
        15.0
        """
        elo = _validate.finite(elo, "elo")
        C_train = _validate.positive(C_train, "C_train")
        train_decades = np.log10(C_train / self.train_ref)
        test_decades = (elo / self.elo_per_decade - train_decades) * np.log10(self.test_per_train_decade)
        C_test = self.test_ref * 10.0**test_decades
        if np.any(C_test < self.test_floor * (1 - 1e-12)):
            raise ValueError(
                "elo is reached below the test-time floor with this C_train: the agent needs less "
                "train-time compute, or the floor (a single-node search) is the answer"
            )
        return _validate.as_output(C_test)


JONES_TRADEOFF = TrainTestTradeoff()
"""The default plane: 500 Elo per 10× train compute, 10× train ≙ 15× test (Jones 2021)."""


def flops_matched_samples(
    N_small: ArrayLike, N_large: ArrayLike, D_train: ArrayLike = 0.0, D_inference: ArrayLike = 1.0
) -> FloatOrArray:
    """Samples per query a small model can draw for the FLOPs of one sample of a large one.

    Both models are trained on `D_train` tokens and the large one serves `D_inference`
    tokens (one sample per query); the small model serving ``k · D_inference`` tokens costs
    the same lifetime FLOPs when

    ``k = N_large / N_small + 3 D_train (N_large - N_small) / (N_small D_inference)``.

    With inference alone (``D_train = 0``) this is the size ratio: 14 samples for a 14×
    larger model. Training compute saved by the small model buys more samples, the more
    so the less the model is used.

    Parameters
    ----------
    N_small, N_large : array_like
        Parameters (positive), ``N_large >= N_small``.
    D_train : array_like
        Pretraining tokens of both models (non-negative).
    D_inference : array_like
        Inference tokens of the large model (positive).

    Returns
    -------
    float or ndarray
        k, not rounded.

    References
    ----------
    Snell et al. 2024, arXiv:2408.03314 (FLOPs-matched comparison with a 14× larger
    model). The pretraining term is this course's extension, with 6N FLOPs per training
    token and 2N per inference token (Kaplan et al. 2020, §2.1 and eq. 2.2).

    Examples
    --------
    >>> flops_matched_samples(1e9, 14e9)
    14.0
    >>> from lib.inference import lifetime_flops
    >>> k = flops_matched_samples(1e9, 14e9, D_train=1e12, D_inference=1e12)
    >>> k, bool(np.isclose(lifetime_flops(1e9, 1e12, k * 1e12), lifetime_flops(14e9, 1e12, 1e12)))
    (53.0, True)
    """
    N_small = _validate.positive(N_small, "N_small")
    N_large = _validate.positive(N_large, "N_large")
    if np.any(N_large < N_small):
        raise ValueError("N_large must be at least N_small")
    D_train = _validate.nonnegative(D_train, "D_train")
    D_inference = _validate.positive(D_inference, "D_inference")
    # training FLOPs the small model saves: 6 (N_large - N_small) D_train
    extra_training = training_flops(1.0, 1.0) * (N_large - N_small) * D_train
    per_token_small = inference_flops(N_small, 1.0)
    return _validate.as_output(
        (inference_flops(N_large, D_inference) + extra_training) / (per_token_small * D_inference)
    )
