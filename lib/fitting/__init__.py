"""Fitting compute-optimal scaling laws: Hoffmann et al.'s three approaches, made reliable.

Modules:

- ``objective``: the Huber objective of approach 3 (App. D.2), with analytic derivatives.
- ``approach3``: ``fit_chinchilla``, the parametric fit of ``L(N, D) = E + A / N**alpha
  + B / D**beta`` to its global optimum in well under a second, and
  ``fit_chinchilla_grid``, the paper's own 4,500-start procedure it is checked against.
- ``bootstrap``: ``bootstrap_chinchilla``, refits of resampled runs for the confidence
  intervals the replication of Besiroglu et al. (2024) reports.
- ``approaches12``: ``approach1_envelope`` (lowest loss per compute bin) and
  ``approach2_isoflop`` (parabolas through IsoFLOP profiles), for any runs.

Every public name is importable from ``lib.fitting`` itself. All functions take N in
parameters, D in tokens, C in FLOPs and losses in nats/token.

References
----------
Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556.
Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt",
arXiv:2404.10102.
"""

from lib.fitting import approach3, approaches12, bootstrap, objective
from lib.fitting.approach3 import *
from lib.fitting.approaches12 import *
from lib.fitting.bootstrap import *
from lib.fitting.objective import *

__all__ = [*objective.__all__, *approach3.__all__, *bootstrap.__all__, *approaches12.__all__]
