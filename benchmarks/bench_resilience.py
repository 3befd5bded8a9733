"""Benchmark cx.resilience: 100 disruption scenarios x every journey on the M model (see README.md for figures).

    python benchmarks/bench_resilience.py [--size M] [--scenarios 100] [--seed 0]

The synthetic model of ``generate.py`` gets a recovery time on every element (1 to 72 hours),
a tolerance on every journey, and scenarios that fail a random set of elements each (some
a single element, some a few dozen: a site, a vendor and what it owns), some with hours
overridden. It prints the time of ``cx.resilience`` (compile included and not), the number
of propagations (one per distinct recovery time in a scenario), and the same disruption
times and customers harmed computed the plain networkx way in the same run (each step of
each scenario propagated over ``nx.ancestors`` in Python), with the largest difference.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.bench_impact import NetworkxWay
from benchmarks.generate import generate
from cxgraph.engine import compile_model
from cxgraph.model import point

RECOVERY = (1, 2, 4, 4, 8, 12, 24, 48, 72)
HOURS = {"hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.5, "quarter": 2191.5, "year": 8766.0}


def prepare(size: str, n_scenarios: int, seed: int) -> cx.Model:
    model = generate(size, seed)
    rng = random.Random(seed)
    for element in model.elements:
        element.recovery_hours = rng.choice(RECOVERY)
    for journey in model.journeys:
        journey.tolerance = {"hours": rng.choice([2, 4, 8, 24]), "loss": rng.choice([0, 0.05, 0.2])}
    ids = [e.id for e in model.elements]
    scenarios = []
    for s in range(n_scenarios):
        size_s = rng.choice([1, 1, 3, 10, 30, 60])
        fail = rng.sample(ids, size_s)
        hours = {x: rng.choice(RECOVERY) for x in fail[:2]} if s % 3 == 0 else {}
        scenarios.append({"id": f"s{s}", "name": f"Scenario {s}", "fail": fail, "hours": hours})
    model.scenarios = scenarios
    return model


def networkx_way(model: cx.Model, way: NetworkxWay) -> dict[tuple[str, str], tuple[float, float]]:
    """(disruption hours, customers harmed) per (scenario, journey), step by step in Python."""
    elements = {e.id: e for e in model.elements}
    per_hour = HOURS[model.period]
    out = {}
    for scenario in model.scenarios:
        recovery = {x: float(point(scenario.hours.get(x, elements[x].recovery_hours))) for x in scenario.fail}
        moments = sorted({0.0, *recovery.values()})
        losses = []
        for tau in moments[:-1]:
            _, d = way.degradation([x for x, r in recovery.items() if r > tau])
            jl = {}
            for journey in model.journeys:
                keep = 1.0
                for tp in journey.touchpoints:
                    if tp.required:
                        keep *= 1.0 - point(tp.reach) * d.get(tp.id, 0.0)
                jl[journey.id] = 1.0 - keep
            losses.append(jl)
        for journey in model.journeys:
            limit = float(point(journey.tolerance.loss))
            series = [loss[journey.id] for loss in losses] + [0.0]
            first = next(tau for tau, v in zip(moments, series, strict=True) if v <= limit)
            area = sum(series[i] * (moments[i + 1] - moments[i]) for i in range(len(moments) - 1))
            harmed = point(journey.customers) * point(journey.importance) / per_hour * area
            out[(scenario.id, journey.id)] = (first, harmed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--scenarios", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plausible", action="store_true",
                        help="also time generating the severe-but-plausible scenarios and running them")
    args = parser.parse_args()
    print(f"cxgraph {cx.__version__}, kernel: {cx.engine.backend()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    cx.resilience(cx.load(Path(__file__).parent.parent / "tests" / "data" / "resilience.yaml"))  # loads the kernel
    start = time.perf_counter()
    model = prepare(args.size, args.scenarios, args.seed)
    print(f"model {args.size}: {len(model.elements):,} elements, {len(model.journeys)} journeys, "
          f"{len(model.scenarios)} scenarios (built in {time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    compiled = compile_model(model)
    compile_s = time.perf_counter() - start
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = cx.resilience(model)
        best = min(best, time.perf_counter() - start)
    frame = result.to_frame()
    steps = sum(len(set(float(point(s.hours.get(x, model.get(x).recovery_hours))) for x in s.fail))
                for s in model.scenarios)
    print(f"  compile (check + arrays)       {compile_s:8.2f} s")
    print(f"  cx.resilience (compiled model) {best:8.2f} s   ({len(frame):,} scenario x journey rows, "
          f"{steps:,} propagations, {int(frame['breach'].sum()):,} breaches)")
    print(f"  cx.resilience incl. compile    {best + compile_s:8.2f} s")
    del compiled
    way = NetworkxWay(model)
    start = time.perf_counter()
    plain = networkx_way(model, way)
    nx_s = time.perf_counter() - start
    worst_h = max(abs(r["disruption_hours"] - plain[(r["scenario"], r["id"])][0]) for r in
                  frame.to_dict(orient="records"))
    worst_c = max(abs(r["customers_harmed"] - plain[(r["scenario"], r["id"])][1]) /
                  max(1.0, abs(r["customers_harmed"])) for r in frame.to_dict(orient="records"))
    print(f"  the networkx way               {nx_s:8.2f} s   (largest difference: {worst_h:g} h, "
          f"customers harmed {worst_c:.1e} relative)")
    print(f"  speed-up over networkx         {nx_s / best:8.0f} x")
    if args.plausible:
        start = time.perf_counter()
        generated = cx.plausible_scenarios(model, by="tag:site")
        gen_s = time.perf_counter() - start
        start = time.perf_counter()
        result = cx.resilience(model, scenarios=generated)
        run_s = time.perf_counter() - start
        print(f"  plausible scenarios generated  {gen_s:8.2f} s   ({len(generated):,} scenarios)")
        print(f"  cx.resilience on them          {run_s:8.2f} s   ({len(result.to_frame()):,} rows)")


if __name__ == "__main__":
    main()
