"""Vectorised numpy reference for the neutral world's month step.

The same work as retsim's BenchmarkNeutralFaderHardie (sim/bench_test.go):
shifted-beta-geometric churn (Fader & Hardie 2007) for a population of
customers who all join at period 0. Each customer draws a fixed monthly churn
probability theta ~ Beta(alpha, beta); in each period the active customers are
counted and each leaves at its end with probability theta. The arrays of the
active customers are compacted every period, so the work is proportional to
the customer-months, as in the engine.

Run by `make bench-numpy` (bench/numpy/run.sh), never by the project's tests.
It prints one line: the best time of --repeat runs, in seconds, and the
customer-months of a run.
"""

import argparse
import time

import numpy as np


def run(rng, customers, periods, alpha, beta):
    """One run; returns the customer-months (active customers summed over periods)."""
    theta = rng.beta(alpha, beta, customers)
    months = 0
    for _ in range(periods):
        months += theta.size
        theta = theta[rng.random(theta.size) >= theta]
    return months


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--periods", type=int, default=60)
    p.add_argument("--alpha", type=float, default=0.704)
    p.add_argument("--beta", type=float, default=1.182)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    best, months = float("inf"), 0
    for _ in range(a.repeat):
        start = time.perf_counter()
        months = run(rng, a.customers, a.periods, a.alpha, a.beta)
        best = min(best, time.perf_counter() - start)
    print(f"numpy {np.__version__}: {best:.4f} s per run (best of {a.repeat}), {months} customer-months")


if __name__ == "__main__":
    main()
