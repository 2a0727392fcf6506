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

Modules: ``source`` (the Markov chain), ``model`` (the network and its exact loss),
``training`` (Adam and the schedule), ``ledger`` (`Lab`, the budget), ``sweep`` (IsoFLOP
sweeps and their CSV files), ``cli`` (the command line). Every public name is importable
from ``lib.lab`` itself.

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

from lib.lab import cli, ledger, model, source, sweep, training
from lib.lab.cli import *
from lib.lab.ledger import *
from lib.lab.model import *
from lib.lab.source import *
from lib.lab.sweep import *
from lib.lab.training import *

__all__ = [*source.__all__, *model.__all__, *training.__all__, *ledger.__all__, *sweep.__all__, *cli.__all__]
