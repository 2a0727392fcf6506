"""Tests for lib.lab: exact entropy, gradients, the budget and ledger, sweeps and the CLI, the shipped CSV."""

import csv
import math
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lib import fitting, lab

SOURCE = lab.markov_source()
ROOT = Path(__file__).resolve().parent.parent


# The source ------------------------------------------------------------------------------


def test_stationary_distribution_is_a_fixed_point_of_the_chain():
    V, k = SOURCE.vocab, SOURCE.order
    flow = SOURCE.stationary[:, None] * SOURCE.transition  # P(context, next)
    # the next context is (c_2, ..., c_k, x): sum the joint over the oldest token
    following = flow.reshape(V, V ** (k - 1) * V).sum(axis=0)
    np.testing.assert_allclose(following, SOURCE.stationary, rtol=0, atol=1e-13)
    assert SOURCE.stationary.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(SOURCE.transition.sum(axis=1), 1.0, atol=1e-12)


def test_exact_entropy_rate_matches_a_long_sample():
    # 16,000 streams of 260 tokens, the first 20 of each dropped while the chain forgets its start
    tokens = SOURCE.stream(260, 16_000, seed=7)[:, 20:]
    V, k = SOURCE.vocab, SOURCE.order
    contexts = sum(tokens[:, i : tokens.shape[1] - k + i] * V ** (k - 1 - i) for i in range(k))
    surprise = -np.log(SOURCE.transition[contexts, tokens[:, k:]])
    estimate = surprise.mean()
    standard_error = surprise.mean(axis=1).std() / math.sqrt(surprise.shape[0])  # streams are independent
    assert abs(estimate - SOURCE.entropy_rate) < 5 * standard_error
    assert 5 * standard_error < 0.01 * SOURCE.entropy_rate  # so the test can fail
    # the contexts of the streams follow the stationary law
    frequency = np.bincount(contexts.ravel(), minlength=SOURCE.n_contexts) / contexts.size
    assert 0.5 * np.abs(frequency - SOURCE.stationary).sum() < 0.05


def test_entropy_rate_of_a_chain_without_noise_is_the_zipf_entropy():
    source = lab.markov_source(vocab=8, order=1, zipf=1.0, noise=0.0, seed=3)
    p = 1.0 / np.arange(1, 9)
    p /= p.sum()
    assert source.entropy_rate == pytest.approx(-(p * np.log(p)).sum(), rel=1e-12)


def test_sample_draws_from_the_joint_law():
    contexts, targets = SOURCE.sample(200_000, np.random.default_rng(1))
    assert contexts.shape == (200_000, 2) and targets.shape == (200_000,)
    index = contexts[:, 0] * SOURCE.vocab + contexts[:, 1]
    frequency = np.bincount(index, minlength=SOURCE.n_contexts) / index.size
    assert 0.5 * np.abs(frequency - SOURCE.stationary).sum() < 0.03


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vocab": 1}, "vocab must be >= 2, got 1"),
        ({"order": 0}, "order must be positive, got 0"),
        ({"noise": -1.0}, "noise must be non-negative, got -1.0"),
        ({"vocab": 1024, "order": 3}, "at most 2\\*\\*20 contexts"),
    ],
)
def test_bad_source_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lab.markov_source(**kwargs)


# The model -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1, 8, 13, 128])
def test_parameter_count_is_exact(width):
    V, k, h = lab.VOCAB, lab.ORDER, 4 * width
    by_hand = V * width + (k * width) * h + h + h * V + V
    assert lab.n_params(width) == by_hand == lab.init_model(width).n_params


def test_widths_span_the_advertised_range():
    sizes = [lab.n_params(w) for w in lab.WIDTHS]
    assert 1_500 < sizes[0] < 2_500 and 120_000 < sizes[-1] < 160_000
    assert all(lab.width_for_params(N) == w for N, w in zip(sizes, lab.WIDTHS, strict=True))


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    model = lab.init_model(3)
    model.params = {name: rng.standard_normal(p.shape) * 0.5 for name, p in model.params.items()}  # float64
    contexts, targets = SOURCE.sample(16, rng)
    _, gradients = lab.loss_and_gradients(model, contexts, targets)
    step = 1e-6
    for name, p in model.params.items():
        for flat in rng.choice(p.size, size=min(6, p.size), replace=False):
            where = np.unravel_index(flat, p.shape)
            saved = p[where]
            p[where] = saved + step
            up = lab.loss_and_gradients(model, contexts, targets)[0]
            p[where] = saved - step
            down = lab.loss_and_gradients(model, contexts, targets)[0]
            p[where] = saved
            numeric = (up - down) / (2 * step)
            assert gradients[name][where] == pytest.approx(numeric, rel=1e-5, abs=1e-8), (name, where)


def test_batch_loss_of_the_training_pass_matches_the_evaluation_pass():
    rng = np.random.default_rng(5)
    model = lab.init_model(6)
    model.params["W2"] = rng.standard_normal(model.params["W2"].shape).astype(np.float32)
    contexts, targets = SOURCE.sample(512, rng)
    loss, _ = lab.loss_and_gradients(model, contexts, targets)
    by_evaluation = -lab.log_probs(model, contexts)[np.arange(targets.size), targets].mean()
    assert loss == pytest.approx(by_evaluation, rel=1e-5)


def test_adam_follows_algorithm_1_of_kingma_and_ba():
    model = lab.Model(1, {"w": np.array([1.0, -2.0], dtype=np.float32)})
    optimiser = lab.Adam(model, betas=(0.9, 0.99), eps=1e-8)
    theta, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for t, (g, lr) in enumerate([([0.5, -1.0], 0.1), ([0.2, 3.0], 0.05), ([-0.4, 0.1], 0.02)], start=1):
        g = np.array(g)
        optimiser.step({"w": g.astype(np.float32)}, lr)
        # Kingma and Ba 2015, Algorithm 1, written out in float64
        m = 0.9 * m + 0.1 * g
        v = 0.99 * v + 0.01 * g * g
        theta = theta - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
        np.testing.assert_allclose(model.params["w"], theta, rtol=1e-6)


def test_learning_rate_rule_and_schedule():
    plan = lab.schedule(32, 1_000_000)
    assert plan.steps * plan.batch >= 1_000_000 > (plan.steps - 1) * plan.batch
    rates = [plan.lr_at(step) for step in range(1, plan.steps + 1)]
    assert rates[plan.warmup - 1] == pytest.approx(plan.lr, rel=0.01)  # the peak, at the end of warm-up
    assert rates[0] == pytest.approx(plan.lr / plan.warmup, rel=0.01)
    assert max(rates) <= plan.lr and rates[-1] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(rates[plan.warmup - 1 :]) <= 0)  # then decays
    # the rule: lr ~ width**-0.8 at a fixed batch, and ~ batch**0.2 at a fixed width
    assert lab.schedule(8, 10**6).lr / lab.schedule(64, 10**6).lr == pytest.approx(8**0.8)
    small, large = lab.schedule(32, 256_000), lab.schedule(32, 1_024_000)
    assert (small.batch, large.batch) == (256, 1024)
    assert large.lr / small.lr == pytest.approx(4**0.2)
    assert lab.schedule(8, 100).batch == 32 and lab.schedule(8, 10**9).batch == 2048


def test_exact_loss_is_the_mean_of_the_batch_loss_over_the_joint_law():
    rng = np.random.default_rng(2)
    model = lab.init_model(4)
    model.params["W2"] = rng.standard_normal(model.params["W2"].shape).astype(np.float32)
    exact = lab.expected_loss(model, SOURCE)
    # the batch loss on every (context, next) pair, weighted by the joint law
    contexts = np.repeat(SOURCE.contexts(), SOURCE.vocab, axis=0)
    targets = np.tile(np.arange(SOURCE.vocab), SOURCE.n_contexts)
    log_q = lab.log_probs(model, contexts)[np.arange(targets.size), targets]
    weights = (SOURCE.stationary[:, None] * SOURCE.transition).ravel()
    assert exact == pytest.approx(-(weights @ log_q), rel=1e-12)
    assert exact > SOURCE.entropy_rate


def test_training_lowers_the_loss_towards_the_entropy_and_is_deterministic():
    with threadpool_limits(limits=1, user_api="blas"):
        first = lab.train(8, 30_000, curve_points=3)
        again = lab.train(8, 30_000)
    assert first.loss == again.loss  # one machine, one BLAS thread: the same result
    assert SOURCE.entropy_rate < first.loss < math.log(lab.VOCAB) - 0.3
    assert [tokens for tokens, _ in first.curve] == [10_016, 20_000, 30_000]
    assert first.curve[-1][1] == first.loss
    # lr_factor scales the rule's rate; 1 is the rule itself
    assert lab.train(8, 30_000, lr_factor=1.0).loss == first.loss
    assert lab.train(8, 30_000, lr_factor=2.0).loss != first.loss
    with pytest.raises(ValueError, match="lr_factor must be positive, got 0.0"):
        lab.train(8, 30_000, lr_factor=0)


@pytest.mark.parametrize(
    ("width", "tokens", "message"),
    [
        (0, 1000, "width must be positive, got 0"),
        (-4, 1000, "width must be positive, got -4"),
        (2.5, 1000, "width must be a positive integer, got 2.5"),
        (8, 0, "tokens must be positive, got 0"),
        (8, -10, "tokens must be positive, got -10"),
        ("8", 1000, "width must be a positive integer, got '8'"),
    ],
)
def test_bad_width_or_tokens(width, tokens, message):
    with pytest.raises(ValueError, match=message):
        lab.train(width, tokens)
    with pytest.raises(ValueError, match=message):
        lab.Lab(1e12).estimate(width, tokens)


# The lab ---------------------------------------------------------------------------------


def test_a_run_over_budget_is_refused_and_charges_nothing():
    budget = lab.Lab(budget_flops=1e8)
    with pytest.raises(lab.BudgetExceeded, match=r"needs 6 N D = 6 x 1,856 x 10,000 = 1.11e\+08 FLOPs"):
        budget.run(width=8, tokens=10_000)
    assert budget.spent == 0 and len(budget.ledger) == 0
    assert isinstance(lab.BudgetExceeded("x"), ValueError)


def test_a_run_that_spends_exactly_the_rest_of_the_budget_is_allowed():
    budget = lab.Lab(budget_flops=6 * 1856 * 1000)
    budget.run(width=8, tokens=1000)
    assert budget.remaining == 0 and len(budget.ledger) == 1
    with pytest.raises(lab.BudgetExceeded, match="but the lab has 0 of its 1.11e\\+07 left"):
        budget.run(width=8, tokens=1)


@pytest.mark.parametrize("budget", [0, -1e9, float("nan")])
def test_bad_budget(budget):
    with pytest.raises(ValueError, match="budget_flops must be"):
        lab.Lab(budget_flops=budget)


def test_ledger_records_every_run_and_the_budget_runs_down():
    budget = lab.Lab(budget_flops=5e8)
    estimate = budget.estimate(width=8, tokens=10_000)
    assert estimate.C == 6 * 1856 * 10_000 and estimate.seconds > 0
    budget.run(width=8, tokens=10_000)
    budget.run(width=11, tokens=5_000)
    ledger = budget.ledger
    np.testing.assert_array_equal(ledger.N, [1856, lab.n_params(11)])
    np.testing.assert_array_equal(ledger.C, 6 * ledger.N * ledger.D)
    assert budget.spent == pytest.approx(ledger.C.sum())
    assert budget.remaining == pytest.approx(5e8 - ledger.C.sum())
    table = ledger.table().splitlines()
    assert len(table) == 4 and table[2].startswith("| 1 | 8 | 1,856 | 10,000 |")
    assert ledger._repr_markdown_() == str(ledger)
    assert table[0].endswith("| time (s) |") and table[2].count("|") == 8
    without_times = ledger.table(times=False).splitlines()
    assert "time" not in without_times[0] and without_times[1].count("|") == without_times[2].count("|") == 7
    assert without_times[2] == table[2].rsplit(" ", 2)[0]
    with pytest.raises(lab.BudgetExceeded, match="left"):
        budget.run(width=32, tokens=10_000)


# Sweeps and the command line -------------------------------------------------------------


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_sweep_writes_every_run_and_resumes_without_rerunning(tmp_path, monkeypatch):
    out = tmp_path / "runs.csv"
    runs = lab.run_sweep([2e7, 6e7], out, widths=[8, 11], workers=2, progress=False)
    assert len(runs) == 4 and set(runs.kind) == {"sweep"}
    np.testing.assert_allclose(runs.C, 6.0 * runs.N * runs.D)
    # same as training in this process with one BLAS thread: workers rebuild the same state
    with threadpool_limits(limits=1, user_api="blas"):
        expected = lab.train(int(runs.width[0]), int(runs.D[0])).loss
    assert runs.loss[0] == expected
    # resume: drop one finished run; only that one is trained again
    rows = _rows(out)
    with open(out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=lab.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[1:])
    planned = []
    monkeypatch.setattr(lab.sweep, "_run_jobs", lambda jobs, *args: planned.extend(jobs))
    lab.run_sweep([2e7, 6e7], out, widths=[8, 11], workers=2, progress=False)
    assert [(job[1], job[2]) for job in planned] == [(float(rows[0]["budget"]), int(rows[0]["width"]))]


def test_resume_refuses_a_foreign_or_corrupt_file(tmp_path):
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("name,score\nada,3\n")
    with pytest.raises(ValueError, match="is not a lab sweep file: its header is name,score"):
        lab.run_sweep([1e7], foreign, widths=[8], progress=False)
    corrupt = tmp_path / "corrupt.csv"
    corrupt.write_text(",".join(lab.COLUMNS) + "\nsweep,1e7,8,1856,898,1e7,oops,nan,0.1,0\n")
    with pytest.raises(ValueError, match="line 2: not a valid lab sweep row"):
        lab.run_sweep([1e7], corrupt, widths=[8], progress=False)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="not a lab sweep file"):
        lab.load_sweep(binary)


def test_cli_errors(tmp_path, capsys):
    out = str(tmp_path / "runs.csv")
    for argv, message in [
        (["sweep", "--budgets", "1e7", "--out", out, "--bogus"], "unrecognized arguments: --bogus"),
        (["sweep", "--budgets", "0", "--out", out], "must be a positive number of FLOPs, got '0'"),
        (["sweep", "--budgets=-1e7", "--out", out], "must be a positive number of FLOPs, got '-1e7'"),
        (["sweep", "--budgets", "lots", "--out", out], "not a number: 'lots'"),
        (["sweep", "--budgets", "1e7", "--out", out, "--widths", "0"], "must be a positive integer"),
        (["sweep", "--out", out], "the following arguments are required: --budgets"),
    ]:
        with pytest.raises(SystemExit) as stop:
            lab.main(argv)
        assert stop.value.code == 2
        assert message in capsys.readouterr().err
    Path(out).write_text("a,b\n1,2\n")
    assert lab.main(["sweep", "--budgets", "1e7", "--out", out, "--quiet"]) == 2
    assert "is not a lab sweep file" in capsys.readouterr().err


@pytest.mark.slow  # a sweep in a subprocess, interrupted after its first run
def test_ctrl_c_keeps_finished_runs(tmp_path):
    out = tmp_path / "runs.csv"
    command = [sys.executable, "-m", "lib.lab", "sweep", "--budgets", "5e6", "2e11", "--widths", "8"]
    process = subprocess.Popen(
        [*command, "--quiet", "--out", str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not (out.exists() and len(_rows(out)) == 1) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "run the same command to resume" in stderr
    assert [float(row["budget"]) for row in _rows(out)] == [5e6]


# The shipped sweep -----------------------------------------------------------------------


def test_shipped_sweep_is_a_full_isoflop_grid():
    sweep = lab.load_sweep().select("sweep")
    budgets = np.unique(sweep.budget)
    assert len(budgets) >= 5 and all((sweep.budget == C).sum() >= 7 for C in budgets)
    np.testing.assert_allclose(sweep.C, sweep.budget, rtol=1e-3)
    assert set(sweep.seed) == {lab.SEED}


def test_shipped_sweep_fits_the_exact_entropy_within_one_percent():
    sweep = lab.load_sweep().select("sweep")
    fit = fitting.fit_chinchilla(sweep.N, sweep.D, sweep.loss)
    assert abs(fit.law.E / SOURCE.entropy_rate - 1) < 0.01
    isoflop = fitting.approach2_isoflop(sweep.N, sweep.C, sweep.loss, budgets=sweep.budget)
    assert len(isoflop.C) >= 4 and 0.2 < isoflop.a < 0.8


def test_shipped_prediction_matches_a_refit_of_the_shipped_sweep():
    runs = lab.load_sweep()
    sweep, check = runs.select("sweep"), runs.select("prediction")
    assert len(check) == 1 and check.budget[0] >= 4 * sweep.budget.max()
    law = fitting.fit_chinchilla(sweep.N, sweep.D, sweep.loss).law
    assert check.width[0] == lab.width_for_params(law.optimal_allocation(check.budget[0])[0])
    assert check.predicted[0] == pytest.approx(law.loss(check.N[0], check.D[0]), rel=1e-9)
    assert abs(check.loss[0] / check.predicted[0] - 1) < 0.01
