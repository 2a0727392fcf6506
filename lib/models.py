"""Large language models of the Chinchilla paper and Llama 3: sizes, training tokens and MMLU scores.

``models()`` is Table 1 of Hoffmann et al. (2022): the model sizes and training tokens
of LaMDA, GPT-3, Jurassic, Gopher, MT-NLG and Chinchilla; each ``Model`` computes its
tokens per parameter and its training compute ``6 N D``. ``llama3_models()`` holds Llama
3 8B and 70B as Meta's model card lists them, in the same form. ``mmlu_results()`` is
Table 6: 5-shot accuracy on MMLU of GPT-3, Gopher and Chinchilla, with the baselines and
forecasts the paper prints next to them. The tables ship as CSV files in ``lib/data/``
(``models.csv``, ``llama3_model_card.csv``, ``mmlu.csv``), one row per entry with its
BibTeX key and where in the source it comes from.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
Table 1 (model sizes and training tokens) and Table 6 (MMLU, 5-shot).
Meta 2024, Llama 3 model card (github.com/meta-llama/llama3, MODEL_CARD.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeVar

from lib import _validate
from lib.compute import training_flops

__all__ = [
    "Model",
    "MMLUResult",
    "GOPHER_BUDGET",
    "MODELS_CSV",
    "LLAMA3_CSV",
    "MMLU_CSV",
    "models",
    "model",
    "llama3_models",
    "mmlu_results",
    "mmlu",
]

GOPHER_BUDGET = 5.76e23
"""Gopher's training compute in FLOPs as Hoffmann et al. (2022) count it (Fig. 2 caption and
App. F, where their more accurate count gives 6.3e23); 6 N D of Table 1's 280B parameters on
300B tokens is 5.04e23. The budget the paper reallocates to Chinchilla."""

MODELS_CSV = "data/models.csv"
"""Path of Table 1 inside the ``lib`` package."""

LLAMA3_CSV = "data/llama3_model_card.csv"
"""Path of the Llama 3 model-card rows inside the ``lib`` package."""

MMLU_CSV = "data/mmlu.csv"
"""Path of Table 6 inside the ``lib`` package."""


@dataclass(frozen=True)
class Model:
    """One trained language model: its size, its training tokens and their source.

    Attributes
    ----------
    name : str
        The model's name as in the source table, e.g. ``"Gopher"``.
    parameters : float
        Model size N in parameters (the paper counts embedding parameters too).
    tokens : float
        Training tokens D.
    cite_key : str
        BibTeX key of the source.
    where : str
        Where in the source the numbers are, e.g. ``"Table 1"``.

    Examples
    --------
    >>> gopher = model("Gopher")
    >>> gopher.parameters / 1e9, round(gopher.tokens_per_parameter, 2)
    (280.0, 1.07)
    """

    name: str
    parameters: float
    tokens: float
    cite_key: str
    where: str

    def __post_init__(self) -> None:
        for name in ("parameters", "tokens"):
            _validate.scalar(getattr(self, name), name, _validate.positive)

    @property
    def tokens_per_parameter(self) -> float:
        """``D / N``: training tokens per parameter.

        Examples
        --------
        >>> model("Chinchilla").tokens_per_parameter
        20.0
        """
        return self.tokens / self.parameters

    @property
    def training_flops(self) -> float:
        """Training compute ``6 N D`` in FLOPs (`lib.compute.training_flops`).

        Examples
        --------
        >>> f"{model('Chinchilla').training_flops:.3g}"
        '5.88e+23'
        """
        return float(training_flops(self.parameters, self.tokens))


@dataclass(frozen=True)
class MMLUResult:
    """One row of Table 6 of Hoffmann et al. (2022): accuracy on MMLU in percent.

    Attributes
    ----------
    name : str
        The model, baseline or forecast, e.g. ``"Chinchilla"`` or ``"Random"``.
    accuracy : float
        Average accuracy in percent (5-shot for the models).
    kind : str
        ``"model"``, ``"baseline"`` (random guessing, human raters and experts) or
        ``"forecast"`` (forecasts of the best score by a date).
    cite_key, where : str
        BibTeX key and table of the source.
    note : str
        Anything the reader should know about the row ("" if nothing).

    Examples
    --------
    >>> mmlu("chinchilla").accuracy
    67.6
    """

    name: str
    accuracy: float
    kind: str
    cite_key: str
    where: str
    note: str


_Row = TypeVar("_Row", Model, MMLUResult)


def _rows(path: str) -> list[dict[str, str]]:
    text = resources.files("lib").joinpath(path).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _models(path: str) -> tuple[Model, ...]:
    return tuple(
        Model(
            name=row["name"],
            parameters=float(row["parameters"]),
            tokens=float(row["tokens"]),
            cite_key=row["cite_key"],
            where=row["where"],
        )
        for row in _rows(path)
    )


@cache
def models() -> tuple[Model, ...]:
    """The models of Table 1 of Hoffmann et al. (2022), in the table's order.

    Returns
    -------
    tuple of Model
        LaMDA, GPT-3, Jurassic, Gopher, MT-NLG and Chinchilla.

    References
    ----------
    Hoffmann et al. 2022, arXiv:2203.15556, Table 1.

    Examples
    --------
    >>> [m.name for m in models()]
    ['LaMDA', 'GPT-3', 'Jurassic', 'Gopher', 'MT-NLG', 'Chinchilla']
    """
    return _models(MODELS_CSV)


@cache
def llama3_models() -> tuple[Model, ...]:
    """Llama 3 8B and 70B as Meta's model card lists them: nominal size and pretraining tokens.

    The card gives "15T+" pretraining tokens for both sizes, so ``tokens`` (15e12) is a
    lower bound, and so is each model's `Model.tokens_per_parameter`.

    Returns
    -------
    tuple of Model
        Llama 3 8B and Llama 3 70B.

    References
    ----------
    Meta 2024, Llama 3 model card (github.com/meta-llama/llama3, MODEL_CARD.md).

    Examples
    --------
    >>> [(m.name, m.tokens_per_parameter) for m in llama3_models()]
    [('Llama 3 8B', 1875.0), ('Llama 3 70B', 214.28571428571428)]
    """
    return _models(LLAMA3_CSV)


def _lookup(name: object, table: tuple[_Row, ...], what: str) -> _Row:
    if not isinstance(name, str):
        raise ValueError(f"name must be a string, got {name!r}")
    for row in table:
        if row.name.casefold() == name.strip().casefold():
            return row
    known = ", ".join(row.name for row in table)
    raise ValueError(f"unknown {what} {name!r}; known: {known}")


def model(name: str) -> Model:
    """The model of Table 1 called `name` (case-insensitive).

    Parameters
    ----------
    name : str
        E.g. ``"Gopher"``, ``"gpt-3"`` or ``"MT-NLG"``.

    Returns
    -------
    Model

    Raises
    ------
    ValueError
        If no model has that name; the message lists the known names.

    Examples
    --------
    >>> model("gpt-3").tokens / 1e9
    300.0
    >>> model("PaLM")
    Traceback (most recent call last):
    ValueError: unknown model 'PaLM'; known: LaMDA, GPT-3, Jurassic, Gopher, MT-NLG, Chinchilla
    """
    return _lookup(name, models(), "model")


@cache
def mmlu_results() -> tuple[MMLUResult, ...]:
    """MMLU accuracy of Table 6 of Hoffmann et al. (2022), with its baselines and forecasts.

    Returns
    -------
    tuple of MMLUResult
        Random guessing, the average human rater, GPT-3, Gopher, Chinchilla, the average
        human expert and the forecasts for June 2022 and June 2023. Chinchilla's 67.6 is
        the table's; the abstract rounds it to 67.5 (see the row's ``note``).

    References
    ----------
    Hoffmann et al. 2022, arXiv:2203.15556, Table 6 and abstract.

    Examples
    --------
    >>> [(r.name, r.accuracy) for r in mmlu_results() if r.kind == "model"]
    [('GPT-3', 43.9), ('Gopher', 60.0), ('Chinchilla', 67.6)]
    """
    return tuple(
        MMLUResult(
            name=row["name"],
            accuracy=_validate.scalar(float(row["accuracy"]), "accuracy", _validate.positive),
            kind=row["kind"],
            cite_key=row["cite_key"],
            where=row["where"],
            note=row["note"],
        )
        for row in _rows(MMLU_CSV)
    )


def mmlu(name: str) -> MMLUResult:
    """The MMLU row of Table 6 called `name` (case-insensitive).

    Raises
    ------
    ValueError
        If no row has that name; the message lists the known names.

    Examples
    --------
    >>> mmlu("Gopher").accuracy
    60.0
    """
    return _lookup(name, mmlu_results(), "MMLU entry")
