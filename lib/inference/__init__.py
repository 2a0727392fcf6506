"""Inference and test-time compute: lifetime cost, inference-aware model sizes, repeated sampling.

A model is trained once (``6 N D_train`` FLOPs) and then serves ``D_inference`` tokens at
``2 N`` FLOPs each. Minimising the sum at a fixed loss gives models smaller and longer
trained than Chinchilla's (Sardana et al.). At test time, a model can spend more compute
per problem by sampling k times: coverage (some sample is right) grows with k, while the
accuracy of a system that must pick one answer is capped by its verifier.

Modules: ``lifetime`` (lifetime FLOPs and cost), ``allocation`` (inference-aware model
sizes), ``sampling`` (coverage and verifiers), ``tradeoffs`` (train-time vs test-time
compute). Every public name is importable from ``lib.inference`` itself.

References
----------
Sardana, Portes, Doubov and Frankle 2024, "Beyond Chinchilla-Optimal: Accounting for
Inference in Language Model Scaling Laws", arXiv:2401.00448 (ICML 2024): the objective
``min 6 N D_tr + 2 N D_inf`` subject to ``L(N, D_tr) = ℓ``.
Kaplan et al. 2020, arXiv:2001.08361, eq. 2.2 (2N FLOPs per token) and §2.1 (6N per
training token); Hoffmann et al. 2022, arXiv:2203.15556, §3.3 (the law and its optimum).
Brown et al. 2024, "Large Language Monkeys", arXiv:2407.21787: coverage over k samples and
its fitted form ``exp(a k**b)``.
Jones 2021, "Scaling Scaling Laws with Board Games", arXiv:2104.03113: 10× train-time
compute trades for about 15× test-time compute; about 500 Elo per order of magnitude of compute.
Snell et al. 2024, "Scaling LLM Test-Time Compute Optimally can be More Effective than
Scaling Model Parameters", arXiv:2408.03314: a FLOPs-matched comparison with a 14× larger model.
"""

from lib.inference import allocation, lifetime, sampling, tradeoffs
from lib.inference.allocation import *
from lib.inference.lifetime import *
from lib.inference.sampling import *
from lib.inference.tradeoffs import *

__all__ = [*lifetime.__all__, *allocation.__all__, *sampling.__all__, *tradeoffs.__all__]
