"""Benchmark sensitivity and risk on the M model through Ray and Dask against the serial engine (see README.md).

    python benchmarks/bench_executors.py [--size M] [--samples 1000] [--seed 0] [--rounds 2]

For each run: ``cx.sensitivity(model, samples=1000)`` on the synthetic model and ``cx.risk`` on
the same model with every element's availability drawn in [0.98, 0.9995] (as ``bench_risk.py``
does), serially (this machine's threads) and with ``executor=`` a local Dask cluster
(``LocalCluster(n_workers=N, threads_per_worker=1)``) and a local Ray (``ray.init(num_cpus=N)``)
at 2 workers and at 1 worker. The runs take turns (serial, Dask, Ray, then again) and the best of
``--rounds`` counts, so that a change in the machine's load weighs on all alike. Every
distributed result is checked equal, bit for bit, to the serial one. Before timing, each cluster
runs both analyses once on the S model, so that its workers have loaded the compiled kernels
(numba reads them from its cache); the serial engine is warmed the same way.

Printed: each time, the overhead at 2 workers against the serial run, the share of each run spent
waiting for the cluster, and a projection by Amdahl's law ``T(n) = fixed + parallel / n`` to 4, 8,
16 and 64 workers: ``parallel`` is the time the 1-worker cluster took (measured around every
batch sent to it), ``fixed`` the rest of the 1-worker run (the caller's own work), and the
projection at 2 workers is printed beside the 2-worker measurement as a check. It is a projection
from runs on one 2-core machine, not a measurement at those sizes. The networkx way is one
``nx.ancestors`` propagation per failure scenario, timed on a random sample of each analysis's
scenarios and scaled to the count it needs (the output says so).
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

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.bench_impact import NetworkxWay
from benchmarks.bench_risk import unreliable
from benchmarks.generate import generate
from cxgraph.engine.executors import DaskExecutor, RayExecutor

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
    """Seconds per networkx propagation, each timed on ``n`` scenarios of its analysis and checked against the engine.

    Sensitivity: single elements and capabilities failing (at the point strengths). Risk: failure
    sets drawn with every element's ``q``, as ``bench_risk.py`` times them.
    """
    out: dict[str, float] = {}
    rng = np.random.default_rng(runs.seed + 2)
    for analysis, model, c in (("sensitivity", runs.plain, runs.plain_c), ("risk", runs.risky, runs.risky_c)):
        if analysis == "sensitivity":
            pool = [[x] for x in c.ids[c.n_touchpoints:]] + [[c.ids[i] for i in c.members(k)]
                                                            for k in c.capability_ids]
            sets = random.Random(runs.seed).sample(pool, n)
        else:
            q = c.q[c.n_touchpoints:]
            sets = [[c.ids[c.n_touchpoints + i] for i in np.flatnonzero(rng.random(c.n_elements) < q)]
                    for _ in range(n)]
        out[analysis], out[f"{analysis}_worst"] = NetworkxWay(model).timed(c, sets)
    return out


class _Timed:
    """Counts the wall time an executor spends running batches on its cluster (``map``)."""

    seconds = 0.0

    def map(self, fn: Any, handle: Any, batches: Any) -> list[Any]:
        start = time.perf_counter()
        try:
            return super().map(fn, handle, batches)  # type: ignore[misc]
        finally:
            self.seconds += time.perf_counter() - start


class TimedDask(_Timed, DaskExecutor):
    pass


class TimedRay(_Timed, RayExecutor):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--nx-scenarios", type=int, default=40, help="scenarios the networkx way is timed on")
    args = parser.parse_args()

    runs = Runs(args.size, args.samples, args.seed)
    runs.warm(None)
    print(f"cxgraph {cx.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"model {args.size}: {runs.plain_c.n_elements:,} elements, {len(runs.plain_c.capability_ids):,} "
          f"capabilities; sensitivity with {args.samples:,} samples, risk with every element unreliable; "
          f"best of {args.rounds} runs, taken in turn", flush=True)
    best: dict[tuple[str, int, str], float] = {}
    on_cluster: dict[tuple[str, int, str], float] = {}
    serial: dict[str, Any] = {}
    for workers in (2, 1):
        client, close_dask = _dask(workers)
        ray, close_ray = _ray(workers)
        executors: dict[str, Any] = {"serial": None} if workers == 2 else {}
        executors.update(dask=TimedDask(client), ray=TimedRay(ray))
        try:
            for ex in executors.values():
                runs.warm(ex)
            for _ in range(args.rounds):
                for analysis in ("sensitivity", "risk"):
                    for name, ex in executors.items():
                        before = ex.seconds if ex is not None else 0.0
                        seconds, result = getattr(runs, analysis)(ex)
                        if ex is None:
                            serial.setdefault(analysis, result)
                        else:
                            _same(serial[analysis], result)
                        key = (name, workers if ex is not None else 0, analysis)
                        if seconds < best.get(key, float("inf")):
                            best[key] = seconds
                            on_cluster[key] = ex.seconds - before if ex is not None else 0.0
                        print(f"  {name:<6} x {workers}  {analysis:<12} {seconds:7.2f} s  (load "
                              f"{os.getloadavg()[0]:.1f})", flush=True)
        finally:
            close_ray()
            close_dask()

    print("\n| run | sensitivity | risk |\n| --- | ---: | ---: |")
    print(f"| serial (this machine's threads) | {best[('serial', 0, 'sensitivity')]:.2f} s | "
          f"{best[('serial', 0, 'risk')]:.2f} s |")
    for engine in ("dask", "ray"):
        for workers in (2, 1):
            cells = []
            for analysis in ("sensitivity", "risk"):
                t, base = best[(engine, workers, analysis)], best[("serial", 0, analysis)]
                share = on_cluster[(engine, workers, analysis)] / t
                cells.append(f"{t:.2f} s ({100 * (t / base - 1):+.0f} %; {100 * share:.0f} % on the cluster)")
            print(f"| {engine}, {workers} worker{'s' if workers > 1 else ''} | {cells[0]} | {cells[1]} |")
    print("\nOverhead at 2 workers against the serial run (target < 20 %); every result equal bit for bit.")

    print("\nProjection (Amdahl's law T(n) = fixed + parallel / n; measured at 1 and 2 workers only):")
    print("  fixed = the time not spent waiting for the cluster at 1 worker (the caller's own work), parallel = "
          "the time the cluster took at 1 worker (transfers included, so slightly optimistic)")
    for engine in ("dask", "ray"):
        for analysis in ("sensitivity", "risk"):
            t1, t2 = best[(engine, 1, analysis)], best[(engine, 2, analysis)]
            parallel = on_cluster[(engine, 1, analysis)]
            fixed = t1 - parallel
            cells = ", ".join(f"{n}: {fixed + parallel / n:.2f} s" for n in PROJECT)
            check = fixed + parallel / 2
            print(f"  {engine:<5} {analysis:<12} {fixed:6.2f} s + {parallel:6.2f} s / n  ->  {cells}   "
                  f"(2 workers: {check:.2f} s projected, {t2:.2f} s measured)")

    nx = networkx_way(runs, args.nx_scenarios)
    c, r = runs.plain_c, serial["risk"]
    words = r.method.replace(",", "").split()
    drawn, k_risk = int(words[1]), int(words[words.index("first") + 1])
    k_cap = int(words[words.index("(capabilities:") + 1].rstrip(")"))
    counts = {"sensitivity": args.samples * (c.n_elements + len(c.capability_ids)),
              "risk": drawn + k_risk * c.n_elements + k_cap * len(c.capability_ids)}
    print(f"\nThe networkx way (timed on {args.nx_scenarios} scenarios of each analysis, scaled to the "
          "propagations it needs):")
    for analysis, count in counts.items():
        fastest = min(t for (_, _, a), t in best.items() if a == analysis)
        seconds = count * nx[analysis]
        print(f"  {analysis:<12} {count:>10,} propagations at {1000 * nx[analysis]:.1f} ms = {seconds:,.0f} s, "
              f"{seconds / fastest:,.0f} x the fastest run here (max rel. difference "
              f"{nx[f'{analysis}_worst']:.1e})")


if __name__ == "__main__":
    main()
