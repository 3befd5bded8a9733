"""Benchmark sensitivity and risk on the M model through Ray and Dask against the serial engine (see README.md).

    python benchmarks/bench_executors.py [--size M] [--samples 1000] [--seed 0] [--engines dask ray]

For each run: ``cx.sensitivity(model, samples=1000)`` on the synthetic model and ``cx.risk`` on
the same model with every element's availability drawn in [0.98, 0.9995] (as ``bench_risk.py``
does), first serially (this machine's threads), then with ``executor=`` a local Dask cluster
(``LocalCluster(n_workers=N, threads_per_worker=1)``) and a local Ray (``ray.init(num_cpus=N)``)
at 2 workers and at 1 worker. Every distributed result is checked equal, bit for bit, to the
serial one. Before timing, each cluster runs both analyses once on the S model, so that its
workers have loaded the compiled kernels (numba reads them from its cache); the serial engine is
warmed the same way.

Printed: each time, the overhead at 2 workers against the serial run, and a projection: the times
at 1 and 2 workers fitted to Amdahl's law ``T(n) = serial part + parallel part / n`` and carried to
4, 8, 16 and 64 workers. It is a projection from two measured points on one machine, not a
measurement. The networkx way is one ``nx.ancestors`` propagation per failure scenario, timed on
a random sample of scenarios and scaled to the count each analysis needs (the output says so).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.bench_impact import NetworkxWay
from benchmarks.bench_risk import unreliable
from benchmarks.generate import generate

PROJECT = (4, 8, 16, 64)
NO_DASHBOARD = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}  # and no clash on port 8787


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _same(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)
    assert a.to_json() == b.to_json(), "JSON differs"


class Runs:
    """The two analyses on one model pair, run through any executor."""

    def __init__(self, size: str, samples: int, seed: int) -> None:
        self.samples, self.seed = samples, seed
        self.plain = generate(size, seed)
        self.risky = unreliable(size, seed)
        self.plain_c = cx.engine.compile_model(self.plain)
        self.risky_c = cx.engine.compile_model(self.risky)
        small = generate("S", seed)
        self.warm_models = (small, cx.engine.compile_model(unreliable("S", seed)))

    def warm(self, executor: Any) -> None:
        cx.sensitivity(self.warm_models[0], samples=20, progress=False, executor=executor)
        cx.risk(self.warm_models[1], samples=2000, risk_samples=50, executor=executor)

    def sensitivity(self, executor: Any) -> tuple[float, Any]:
        return _timed(lambda: cx.sensitivity(self.plain, samples=self.samples, seed=self.seed, progress=False,
                                             executor=executor))

    def risk(self, executor: Any) -> tuple[float, Any]:
        return _timed(lambda: cx.risk(self.risky_c, seed=self.seed, executor=executor))


def _dask(workers: int) -> tuple[Any, Callable[[], None]]:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs=NO_DASHBOARD)
    client = Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    return client, close


def _ray(workers: int) -> tuple[Any, Callable[[], None]]:
    import ray

    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    return ray, ray.shutdown


def networkx_way(runs: Runs, n: int) -> dict[str, float]:
    """Seconds per networkx propagation, timed on ``n`` random single failures of the M model, and checked."""
    way = NetworkxWay(runs.plain)
    c = runs.plain_c
    weights = dict(zip(c.ids[: c.n_touchpoints], c.measure().tp_weight.tolist(), strict=True))
    chosen = random.Random(runs.seed).sample(c.ids[c.n_touchpoints:], n)
    engine = c.run([{c.node(x): 1.0} for x in chosen], c.measure()).impact
    start = time.perf_counter()
    plain = [way.scenario([x], weights)[0] for x in chosen]
    per = (time.perf_counter() - start) / n
    worst = max(abs(a - b) / max(abs(b), 1.0) for a, b in zip(plain, engine, strict=True))
    return {"per": per, "worst": float(worst)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", nargs="+", default=["dask", "ray"], choices=["dask", "ray"])
    parser.add_argument("--nx-scenarios", type=int, default=60, help="failures the networkx way is timed on")
    args = parser.parse_args()

    runs = Runs(args.size, args.samples, args.seed)
    runs.warm(None)
    print(f"cxgraph {cx.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"model {args.size}: {runs.plain_c.n_elements:,} elements, {len(runs.plain_c.capability_ids):,} "
          f"capabilities; sensitivity with {args.samples:,} samples, risk with every element unreliable")
    times: dict[tuple[str, str, int], float] = {}
    serial: dict[str, Any] = {}
    for analysis in ("sensitivity", "risk"):
        seconds, serial[analysis] = getattr(runs, analysis)(None)
        times[("serial", analysis, 0)] = seconds
        print(f"  serial          {analysis:<12} {seconds:8.2f} s")
    for engine in args.engines:
        for workers in (2, 1):
            executor, close = (_dask if engine == "dask" else _ray)(workers)
            try:
                runs.warm(executor)
                for analysis in ("sensitivity", "risk"):
                    seconds, result = getattr(runs, analysis)(executor)
                    _same(serial[analysis], result)
                    times[(engine, analysis, workers)] = seconds
                    base = times[("serial", analysis, 0)]
                    print(f"  {engine} x {workers}        {analysis:<12} {seconds:8.2f} s   "
                          f"({100 * (seconds / base - 1):+.0f} % against serial; equal bit for bit)", flush=True)
            finally:
                close()
    print("\nProjection (Amdahl fit of the 1- and 2-worker times; not measured beyond 2 workers):")
    for engine in args.engines:
        for analysis in ("sensitivity", "risk"):
            t1, t2 = times[(engine, analysis, 1)], times[(engine, analysis, 2)]
            parallel = max(0.0, 2 * (t1 - t2))
            fixed = t1 - parallel
            cells = "  ".join(f"{n} workers {fixed + parallel / n:6.2f} s" for n in PROJECT)
            print(f"  {engine:<5} {analysis:<12} serial part {fixed:6.2f} s, parallel part {parallel:6.2f} s:  {cells}")
    nx = networkx_way(runs, args.nx_scenarios)
    c, r = runs.plain_c, serial["risk"]
    words = r.method.replace(",", "").split()
    drawn, k_risk = int(words[1]), int(words[words.index("first") + 1])
    k_cap = int(words[words.index("(capabilities:") + 1].rstrip(")"))
    counts = {"sensitivity": args.samples * (c.n_elements + len(c.capability_ids)),
              "risk": drawn + k_risk * c.n_elements + k_cap * len(c.capability_ids)}
    print(f"\nThe networkx way: {1000 * nx['per']:.1f} ms per propagation (timed on {args.nx_scenarios} random "
          f"failures, max rel. difference {nx['worst']:.1e}), scaled to the propagations each analysis needs:")
    for analysis, count in counts.items():
        best = min(t for (e, a, _), t in times.items() if a == analysis)
        print(f"  {analysis:<12} {count:>12,} propagations  {count * nx['per']:10.0f} s   "
              f"{count * nx['per'] / best:8.0f} x the fastest run here")


if __name__ == "__main__":
    main()
