"""Benchmark cx.risk on the synthetic S and M models, every element failing now and then (see README.md).

    python benchmarks/bench_risk.py [--sizes S M] [--seed 0] [--nx-sets 60]

Every element gets an availability between 0.98 and 0.9995 (``q`` from 0.0005 to 0.02, seeded).
Each size runs in a fresh process and prints: the time of ``cx.risk`` (the expected loss with
its 95 % interval, and the risk of every element and capability), the interval's width, the
median width of the elements' and capabilities' risk intervals, and the plain way measured in
the same run: one networkx propagation (``nx.ancestors`` then a pass in topological order, as
``bench_impact.py`` does) per failure set. The plain way needs the same failure sets: one per
set drawn for the expected loss, one per (set, element) and (set, capability) for the risks;
it is timed on ``--nx-sets`` random sets (checked against the engine) and extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.bench_impact import NetworkxWay
from benchmarks.generate import generate
from cxgraph.engine import compile_model


def unreliable(size: str, seed: int) -> cx.Model:
    """The synthetic model of ``size`` with every element's availability drawn in [0.98, 0.9995]."""
    model = generate(size, seed)
    rng = np.random.default_rng(seed + 1)
    for element in model.elements:
        element.availability = 1.0 - float(rng.uniform(0.0005, 0.02))
    return model


def run_size(size: str, seed: int, nx_sets: int) -> dict:
    out: dict = {"size": size, "load": os.getloadavg()[0]}
    cx.risk(cx.loads("cxgraph: 1\nelements: [{id: a, name: A, kind: system, availability: 0.9}]"), samples=10)
    model = unreliable(size, seed)
    c = compile_model(model)
    out["elements"], out["capabilities"] = c.n_elements, len(c.capability_ids)
    start, cpu0 = time.perf_counter(), time.process_time()
    result = cx.risk(c, seed=seed)
    out["risk_s"], out["risk_cpu_s"] = time.perf_counter() - start, time.process_time() - cpu0
    out["expected_loss"], out["interval"] = result.expected_loss, result.interval
    out["relative_interval"] = result.interval / result.expected_loss
    out["method"] = result.method
    frame = result.to_frame()
    for kind in ("element", "capability"):
        rows = frame[(frame["type"] == kind) & (frame["risk"] > 0)]
        out[f"{kind}_risk_rel_half_median"] = float((rows["risk_interval"] / rows["risk"]).median())
    out["total"] = float(c.measure().tp_weight.sum())
    words = result.method.replace(",", "").split()
    drawn, k_risk = int(words[1]), int(words[words.index("first") + 1])
    k_cap = int(words[words.index("(capabilities:") + 1].rstrip(")"))
    out["plain_propagations"] = drawn + k_risk * c.n_elements + k_cap * len(c.capability_ids)

    # the plain way: one networkx propagation per failure set, on a timed sample
    rng = np.random.default_rng(seed + 2)
    q = c.q[c.n_touchpoints:]
    sets = [[c.ids[c.n_touchpoints + i] for i in np.flatnonzero(rng.random(c.n_elements) < q)]
            for _ in range(nx_sets)]
    per_set, worst = NetworkxWay(model).timed(c, sets)
    out["nx_ms_per_set"] = 1000 * per_set
    out["nx_max_rel_diff"] = float(worst)
    out["nx_s"] = per_set * out["plain_propagations"]
    out["speedup"] = out["nx_s"] / out["risk_s"]
    return out


def _print(r: dict) -> None:
    print(f"\n== {r['size']}: {r['elements']:,} elements, {r['capabilities']:,} capabilities   "
          f"(load average {r['load']:.1f})")
    print(f"  cx.risk                     {r['risk_s']:8.2f} s   (cpu {r['risk_cpu_s']:.2f} s)")
    print(f"  expected loss               {r['expected_loss']:,.0f} of {r['total']:,.0f} interactions / month, "
          f"95 % interval ± {r['interval']:,.0f} (± {100 * r['relative_interval']:.2f} %)")
    print(f"  method                      {r['method']}")
    print(f"  risk intervals (median)     elements ± {100 * r['element_risk_rel_half_median']:.1f} %, "
          f"capabilities ± {100 * r['capability_risk_rel_half_median']:.1f} %")
    print(f"  networkx way                {r['nx_s']:8.0f} s   ({r['plain_propagations']:,} failure sets at "
          f"{r['nx_ms_per_set']:.1f} ms, extrapolated; max rel. difference {r['nx_max_rel_diff']:.1e})")
    print(f"  speed-up over networkx      {r['speedup']:8.0f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M"], choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nx-sets", type=int, default=60, help="failure sets the networkx way is timed on")
    parser.add_argument("--one", choices=["S", "M", "L"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.seed, args.nx_sets)))
        return
    print(f"cxgraph {cx.__version__}, kernel: {cx.engine.backend()}, {os.cpu_count()} cores")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", size, "--seed", str(args.seed), "--nx-sets", str(args.nx_sets)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        _print(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
