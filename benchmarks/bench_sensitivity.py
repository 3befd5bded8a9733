"""Benchmark the sensitivity analysis: 1,000 samples on the synthetic M model (target: 10 s on 2 cores).

    python benchmarks/bench_sensitivity.py [--size M] [--samples 1000] [--seed 0] [--nx-scenarios 150]

Prints the wall-clock and CPU time of ``cx.sensitivity(model, samples=N)`` (after the numba
kernels are loaded), what the model's uncertainty consists of, and the same work done the plain
networkx way: for every sample, set the sampled strengths, weights and gaps, and for every failure
scenario (each element, each capability) walk ``nx.ancestors`` and propagate in Python. That way
is far too slow to run in full, so it is timed on a random sample of the scenarios for the first
two samples and extrapolated to all scenarios and all samples (the output says so); its results
on those scenarios are checked against the sensitivity's own samples.
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
from cxgraph.analysis._draws import draw, uncertain_inputs
from cxgraph.analysis.gaps import metric_gap
from cxgraph.model import point


class SampledNetworkxWay(NetworkxWay):
    """The networkx way with one sample's strengths, propagating once for impact and pain."""

    def set_strengths(self, model: cx.Model, strengths: dict[tuple[str, str], float]) -> None:
        for item in [*model.touchpoints, *model.elements]:
            named: dict[str, list[tuple[str, float]]] = {}
            groups = []
            for dep in item.depends_on:
                s = strengths.get((item.id, dep.element), point(dep.strength))
                if dep.group is None:
                    groups.append((1, [(dep.element, s)]))
                else:
                    named.setdefault(dep.group, []).append((dep.element, s))
            groups += [(item.needs.get(g, 1), links) for g, links in named.items()]
            self.groups[item.id] = groups

    def both(self, failed: list[str], weights: dict[str, float], pain_weights: dict[str, float]) -> tuple[float, float]:
        order, d = self.degradation(failed)
        hit = [t for t in order if t in self.touchpoints]
        return sum(weights[t] * d[t] for t in hit), sum(pain_weights[t] * d[t] for t in hit)


def networkx_way(model: cx.Model, result: cx.SensitivityResult, samples: int, seed: int, n_scenarios: int) -> dict:
    """Time the networkx way on ``n_scenarios`` random scenarios for two samples; extrapolate."""
    inputs = uncertain_inputs(model)
    x = draw(inputs, samples, seed)
    way = SampledNetworkxWay(model)
    scenarios = [(e.id, [e.id]) for e in model.elements]
    compiled = cx.engine.compile_model(model)
    scenarios += [(c.id, [compiled.ids[i] for i in compiled.members(c.id)]) for c in model.capabilities]
    chosen = random.Random(seed).sample(scenarios, min(n_scenarios, len(scenarios)))
    impact, pain = result.sample_frame("impact"), result.sample_frame("pain")
    tps = [(j, tp) for j in model.journeys for tp in j.touchpoints]
    gap_of: dict[str, list[cx.Metric]] = {}
    for m in model.metrics:
        gap_of.setdefault(m.of, []).append(m)
    elapsed, worst = 0.0, 0.0
    for s in range(min(2, samples)):
        start = time.perf_counter()
        values = {spec.label: x[s, k] for k, spec in enumerate(inputs)}
        way.set_strengths(model, {spec.target: x[s, k] for k, spec in enumerate(inputs) if spec.field == "strength"})
        weights, pain_weights = {}, {}
        for j, tp in tps:
            w = values.get(f"{j.id}.customers", point(j.customers)) * values.get(f"{tp.id}.reach", point(tp.reach)) \
                * values.get(f"{tp.id}.importance", point(tp.importance))
            gap = 0.0
            for m in gap_of.get(tp.id, []):
                actual = values.get(f"{m.id}.actual", point(m.actual))
                target = values.get(f"{m.id}.target", point(m.target))
                gap = max(gap, metric_gap(actual, target, m.better))
            weights[tp.id], pain_weights[tp.id] = w, w * gap
        for key, failed in chosen:
            imp, pn = way.both(failed, weights, pain_weights)
            worst = max(worst, abs(imp - impact.loc[s, key]) / max(abs(imp), 1.0),
                        abs(pn - pain.loc[s, key]) / max(abs(pn), 1.0))
        elapsed += time.perf_counter() - start
    per_sample = elapsed / min(2, samples) * len(scenarios) / len(chosen)
    return {"timed": len(chosen), "total": len(scenarios), "seconds": per_sample * samples, "worst": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nx-scenarios", type=int, default=150,
                        help="scenarios the networkx way is timed on (per sample, two samples)")
    args = parser.parse_args()

    warm = cx.examples.load("retail-bank")
    start = time.perf_counter()
    cx.sensitivity(warm, samples=5, progress=False)
    warm_s = time.perf_counter() - start
    model = generate(args.size, args.seed)
    cx.engine.compile_model(model)
    inputs = uncertain_inputs(model)
    fields: dict[str, int] = {}
    for spec in inputs:
        fields[spec.field] = fields.get(spec.field, 0) + 1
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = cx.sensitivity(model, samples=args.samples, seed=args.seed, progress=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"cxgraph {cx.__version__}, {os.cpu_count()} cores, load average {load:.1f} before the run")
    print(f"model {args.size}: {len(model.elements):,} elements, {len(model.touchpoints):,} touchpoints, "
          f"{len(model.capabilities):,} capabilities; {len(inputs):,} uncertain inputs "
          f"({', '.join(f'{n:,} {f}' for f, n in sorted(fields.items()))})")
    print(f"  numba kernels load (first call)  {warm_s:8.2f} s")
    print(f"  sensitivity, {args.samples:,} samples       {wall:8.2f} s wall   ({cpu:.2f} s CPU over all threads)")
    if result.notes:
        print("  notes: " + "; ".join(result.notes))
    nx_way = networkx_way(model, result, args.samples, args.seed, args.nx_scenarios)
    print(f"  networkx way                     {nx_way['seconds']:8.0f} s   (extrapolated from {nx_way['timed']:,} of "
          f"{nx_way['total']:,} scenarios timed for 2 samples; max rel. difference {nx_way['worst']:.1e})")
    print(f"  speed-up over networkx           {nx_way['seconds'] / wall:8.0f} x")


if __name__ == "__main__":
    main()
