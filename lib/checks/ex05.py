"""Checks for exercise 5, inference-aware model sizes and verified sampling.

The notebook is ``solutions/ex05_inference.ipynb``.

The product: a model as good as the compute-optimal model for `BUDGET` FLOPs under the
Chinchilla law (Hoffmann et al. 2022, App. D.2; ``lib.laws.CHINCHILLA``), serving
`SERVED` tokens over its lifetime. Lifetime FLOPs are ``6 N D_train + 2 N D_inference``
(Kaplan et al. 2020, §2.1 and eq. 2.2; the objective of Sardana et al. 2024). Every
expected value, and every plausible mistake, is computed here from `lib`.
"""

from __future__ import annotations

from lib.course import grading
from lib.inference import (
    inference_aware_allocation,
    iso_loss_tokens,
    lifetime_flops,
    samples_needed,
)
from lib.laws import CHINCHILLA

BUDGET = 1e23
"""Training FLOPs of the reference model: the product must match its loss."""

SERVED = 1e13
"""Tokens the product will process over its lifetime (prompts and outputs)."""

P_SAMPLE = 0.08
"""Chance that one sampled answer to a task is correct."""

RECALL = 0.9
"""Chance that the verifier (e.g. unit tests) accepts a correct answer."""

FALSE_POSITIVE_RATE = 0.02
"""Chance that a weaker verifier (Question 5) accepts a wrong answer."""

TARGET_ACCURACY = 0.95
"""The share of tasks the system must answer correctly."""

OPTIONS_Q6 = ("a", "b", "c", "d")

_TOKENS_RTOL = 1e-3
"""Question 2: D_train must be within this relative distance of the tokens that reach the target with N."""

_LIFETIME_RTOL = 1e-3
"""Question 2: the lifetime FLOPs of (N, those tokens) may exceed the optimum by at most this fraction."""

_NEAR = 0.05
"""Question 2: an N within this relative distance of a known mistake gets that mistake's hint."""


def target_loss() -> float:
    """The loss to match: that of the compute-optimal model for `BUDGET` FLOPs."""
    return float(CHINCHILLA.loss_at_compute(BUDGET))


def _chinchilla_choice() -> tuple[float, float]:
    N, D = CHINCHILLA.optimal_allocation(BUDGET)
    return float(N), float(D)


def _aware(demand: float = SERVED) -> tuple[float, float]:
    N, D = inference_aware_allocation(CHINCHILLA, target_loss(), demand)
    return float(N), float(D)


def _lifetime(N: float, D_train: float, D_inference: float = SERVED) -> float:
    """`lifetime_flops` of one model, a float."""
    return float(lifetime_flops(N, D_train, D_inference))


def q1(lifetime: object) -> None:
    """Lifetime FLOPs of Chinchilla's choice for `BUDGET`, serving `SERVED` tokens."""
    N, D = _chinchilla_choice()
    grading.check_number(
        "Question 1",
        lifetime,
        _lifetime(N, D),
        rtol=1e-3,
        mistakes=[
            (
                _lifetime(N, D, 3 * SERVED),
                "That counts 6 N FLOPs per inference token; serving is a forward pass only, 2 N per token.",
            ),
            (2 * N * SERVED, "That is the serving cost alone: add the training cost 6 N D."),
            (6 * N * SERVED, "That is serving alone, and at 6 N per token: add training, and use 2 N."),
            (BUDGET, "That is the training cost alone: add 2 N FLOPs per token served."),
        ],
        hint="Add training, 6 N D, and serving, 2 N per token served, for N, D = "
        "CHINCHILLA.optimal_allocation(ex05.BUDGET).",
    )


def q2(N_D: object) -> None:
    """The inference-aware (N, D_train): the target loss at the least lifetime FLOPs.

    Graded on the constraint curve: with ``D* = iso_loss_tokens(CHINCHILLA, N, target)``,
    the tokens that bring a model of N parameters exactly to the target, the answer needs
    ``|D / D* - 1| <= _TOKENS_RTOL`` and ``lifetime(N, D*)`` at most `_LIFETIME_RTOL` above
    the optimum. Projecting onto the curve first means a pair cannot buy a cheaper N with
    a slightly worse loss; a scan on a grid of about 100 points per decade of N passes.
    """
    question = "Question 2"
    N, D = grading.as_numbers(question, N_D, (2,), positive=True)
    N_opt, D_opt = _aware()
    target = target_loss()
    best = _lifetime(N_opt, D_opt)
    on_curve = CHINCHILLA.model_term(N) < target - CHINCHILLA.E
    D_star = float(iso_loss_tokens(CHINCHILLA, N, target)) if on_curve else None
    reaches = D_star is not None and abs(D / D_star - 1) <= _TOKENS_RTOL
    if reaches and D_star is not None and _lifetime(N, D_star) <= best * (1 + _LIFETIME_RTOL):
        grading.passed(question)
        return
    N_c, _ = _chinchilla_choice()
    known = [
        (
            N_c,
            "That is Chinchilla's choice, the training-only optimum: add 2 N per served token to the cost.",
        ),
        (
            _aware(3 * SERVED)[0],
            "That model is optimal for 6 N FLOPs per inference token; serving costs 2 N per token.",
        ),
        (D_opt, "The pair looks swapped: give (N in parameters, D_train in tokens)."),
    ]
    for wrong, hint in known:
        if abs(N / wrong - 1) <= _NEAR:
            grading.fail(question, hint)
    if D_star is None:
        grading.fail(
            question,
            f"No number of tokens brings a model of {N:.3g} parameters to the target {target:.4f}: its "
            "model term A / N**alpha alone is above target - E. Take a larger N.",
        )
    if not reaches:
        grading.fail(
            question,
            f"This model's loss is {CHINCHILLA.loss(N, D):.5f}, not the target {target:.5f}: D_train is "
            f"{D / D_star - 1:+.2%} off the {D_star:.4g} tokens that reach it with this N. For each N take "
            "the D_train at which CHINCHILLA.loss(N, D_train) equals ex05.target_loss().",
        )
    grading.fail(
        question,
        "It reaches the target loss, but another model on the same iso-loss curve costs fewer lifetime "
        "FLOPs: minimise 6 N D_train + 2 N D_inference over N (a finer grid, or inference_aware_allocation).",
    )


def q3(saving: object) -> None:
    """The fraction of lifetime FLOPs the inference-aware model saves over Chinchilla's choice."""
    N_c, D_c = _chinchilla_choice()
    N, D = _aware()
    chinchilla, aware = _lifetime(N_c, D_c), _lifetime(N, D)
    expected = 1 - aware / chinchilla
    N6, D6 = _aware(3 * SERVED)
    grading.check_number(
        "Question 3",
        saving,
        expected,
        rtol=0.0,
        atol=2e-3,
        mistakes=[
            (100 * expected, "That looks like a percentage: give the saving as a fraction (0.25, not 25)."),
            (chinchilla - aware, "That is the saving in FLOPs: divide by Chinchilla's lifetime FLOPs."),
            (
                1 - 6 * N * D / (6 * N_c * D_c),
                "That compares training costs only: include serving on both sides.",
            ),
            (
                1 - _lifetime(N6, D6, 3 * SERVED) / _lifetime(N_c, D_c, 3 * SERVED),
                "That uses 6 N FLOPs per inference token; serving costs 2 N per token.",
            ),
            (aware / chinchilla, "That is the ratio of the two costs; the saving is 1 minus it."),
        ],
        hint="Compute 1 - lifetime(inference-aware) / lifetime(Chinchilla's choice), both serving "
        "ex05.SERVED tokens.",
    )


def q4(k: object) -> None:
    """Samples per task for `TARGET_ACCURACY` with a verifier of recall `RECALL` and no false positives."""
    expected = samples_needed(TARGET_ACCURACY, P_SAMPLE, recall=RECALL)
    question = "Question 4"
    grading.require_answer(question, k)
    mistakes = [
        (
            expected - 1,
            "Rounded down: with that many samples the accuracy is still below the target; round up.",
        ),
        (
            samples_needed(TARGET_ACCURACY, P_SAMPLE),
            "That ignores the verifier's recall: a correct sample is only accepted 90 % of the time, "
            "so each sample succeeds with probability p × recall.",
        ),
        (
            samples_needed(TARGET_ACCURACY, P_SAMPLE) - 1,
            "That ignores the verifier's recall and rounds down: use p × recall, and round up.",
        ),
    ]
    grading.check_number(
        question,
        k,
        expected,
        rtol=0.0,
        atol=1e-9,
        mistakes=mistakes,
        hint="Find the smallest whole k with 1 - (1 - p × recall)**k >= the target.",
    )


def q5(plateau: object) -> None:
    """The accuracy a verifier with false positives reaches as k grows without bound (its precision)."""
    accepted_right = P_SAMPLE * RECALL
    accepted_wrong = (1 - P_SAMPLE) * FALSE_POSITIVE_RATE
    expected = accepted_right / (accepted_right + accepted_wrong)
    grading.check_number(
        "Question 5",
        plateau,
        expected,
        rtol=1e-3,
        mistakes=[
            (
                1.0,
                "That is the limit of coverage: with false positives the system may return a wrong answer.",
            ),
            (
                P_SAMPLE / (P_SAMPLE + accepted_wrong),
                "That leaves out the recall: correct samples are accepted with probability p × recall.",
            ),
            (
                accepted_right / (accepted_right + FALSE_POSITIVE_RATE),
                "Wrong samples make up a share 1 - p of the draws: the rate of accepted wrong ones is "
                "(1 - p) × false positive rate.",
            ),
        ],
        hint="As k grows, some sample is almost surely accepted; the answer is right with probability "
        "P(accepted and right) / P(accepted).",
    )


def q6(choice: object) -> None:
    """What the weaker verifier of Question 5 means for the accuracy target."""
    accepted_right = P_SAMPLE * RECALL
    precision = accepted_right / (accepted_right + (1 - P_SAMPLE) * FALSE_POSITIVE_RATE)
    grading.check_choice(
        "Question 6",
        choice,
        expected="b" if precision < TARGET_ACCURACY else "a",
        options=OPTIONS_Q6,
        hints={
            "a": "More samples raise coverage towards 1, but the accuracy of the answer chosen stops at the "
            "verifier's precision, below the target.",
            "c": "Accuracy does not fall with k: every extra sample can only add an accepted answer.",
            "d": "Recall is unchanged, but false positives now let wrong answers through: precision caps "
            "the accuracy below the target at every k.",
        },
    )
