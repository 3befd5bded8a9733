"""Benchmark the impact engine on the synthetic S / M / L models (see README.md for figures).

    python benchmarks/bench_impact.py [--sizes S M L] [--seed 0] [--nx-sample N]

Each size runs in a fresh process (so its peak memory is its own) and prints: model
generation, compile (check + arrays), content fingerprint, full impact (every element,
touchpoint and capability, with the per-journey split) through ``cx.impact`` and through
the engine alone, one what-if (on the compiled model and on the model), peak memory, and
the same numbers computed the plain networkx way (one propagation per element over
``nx.ancestors``), in the same run. Where ``--nx-sample`` is smaller than the number of
scenarios (by default on L), the networkx time is extrapolated from a timed random sample
of the scenarios, and the output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.generate import generate
from cxgraph.engine import all_failures, compile_model, fingerprint
from cxgraph.model import point

NX_SAMPLE = {"S": None, "M": None, "L": 2000}  # None: every scenario


# ---------------------------------------------------------------- the plain networkx way
class NetworkxWay:
    """Impact computed the straightforward way: networkx for the structure, Python for the numbers."""

    def __init__(self, model: cx.Model) -> None:
        self.graph = model.to_networkx()
        self.touchpoints = {t.id for t in model.touchpoints}
        self.journey = {t.id: j.id for j in model.journeys for t in j.touchpoints}
        self.groups: dict[str, list[tuple[int, list[tuple[str, float]]]]] = {}
        for item in [*model.touchpoints, *model.elements]:
            named: dict[str, list[tuple[str, float]]] = {}
            groups = []
            for dep in item.depends_on:
                if dep.group is None:
                    groups.append((1, [(dep.element, point(dep.strength))]))
                else:
                    named.setdefault(dep.group, []).append((dep.element, point(dep.strength)))
            groups += [(item.needs.get(g, 1), links) for g, links in named.items()]
            self.groups[item.id] = groups
        cond = nx.condensation(self.graph)
        self.comp = cond.graph["mapping"]
        rank = {c: i for i, c in enumerate(reversed(list(nx.topological_sort(cond))))}
        self.position = {u: (rank[self.comp[u]], u) for u in self.graph}
        self.cyclic = {c for c in cond if len(cond.nodes[c]["members"]) > 1}
        self.cyclic |= {self.comp[u] for u, v in nx.selfloop_edges(self.graph)}

    def _evaluate(self, u: str, d: dict[str, float], a: float) -> float:
        survive = 1.0 - a
        for k, links in self.groups[u]:
            losses = [s * d.get(v, 0.0) for v, s in links]
            prob = [1.0] + [0.0] * (k - 1)          # P(exactly m links survive), m < k
            for q in losses:
                for m in range(k - 1, 0, -1):
                    prob[m] = prob[m] * q + prob[m - 1] * (1.0 - q)
                prob[0] *= q
            survive *= 1.0 - sum(prob)
        return 1.0 - survive

    def degradation(self, failed: list[str]) -> tuple[list[str], dict[str, float]]:
        """Propagate one failure scenario over the ancestors of the failed elements, in topological order."""
        nodes = set(failed)
        for x in failed:
            nodes |= nx.ancestors(self.graph, x)
        order = sorted(nodes, key=self.position.__getitem__)
        d: dict[str, float] = {}
        seeds = set(failed)
        i = 0
        while i < len(order):
            comp = self.comp[order[i]]
            j = i
            while j < len(order) and self.comp[order[j]] == comp:
                j += 1
            for _ in range(100_000):
                change = 0.0
                for u in order[i:j]:
                    new = self._evaluate(u, d, 1.0 if u in seeds else 0.0)
                    change = max(change, abs(new - d.get(u, 0.0)))
                    d[u] = new
                if comp not in self.cyclic or change <= 1e-15:
                    break
            i = j
        return order, d

    def timed(self, c: cx.engine.CompiledModel, sets: list[list[str]]) -> tuple[float, float]:
        """Seconds per failure set the plain way, and its largest relative difference from the engine on them."""
        weights = dict(zip(c.ids[: c.n_touchpoints], c.measure().tp_weight.tolist(), strict=True))
        engine = c.run([dict.fromkeys(c.resolve(x), 1.0) for x in sets], c.measure()).impact
        start = time.perf_counter()
        plain = [self.scenario(x, weights)[0] for x in sets]
        seconds = (time.perf_counter() - start) / len(sets)
        return seconds, max(abs(a - b) / max(abs(b), 1.0) for a, b in zip(plain, engine, strict=True))

    def scenario(self, failed: list[str], weights: dict[str, float]) -> tuple[float, int, int]:
        order, d = self.degradation(failed)
        hit = [t for t in order if t in self.touchpoints and d[t] > 0]
        return sum(weights[t] * d[t] for t in hit), len(hit), len({self.journey[t] for t in hit})


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def run_size(size: str, seed: int, nx_sample: int | None) -> dict:
    out: dict = {"size": size, "load": os.getloadavg()[0]}
    warm = cx.examples.load("retail-bank")
    out["jit_warmup_s"], _ = _timed(lambda: cx.impact(warm))          # loads (or compiles) the numba kernel
    out["generate_s"], model = _timed(lambda: generate(size, seed))
    out["elements"], out["touchpoints"] = len(model.elements), len(model.touchpoints)
    out["links"] = sum(len(x.depends_on) for x in [*model.touchpoints, *model.elements])
    out["capabilities"] = len(model.capabilities)
    out["compile_s"], compiled = _timed(lambda: compile_model(model))
    out["cycles"] = int(compiled.cyclic.sum())
    out["fingerprint_s"], _ = _timed(lambda: fingerprint(model), 3)
    weights, _ = compiled.weights()
    out["engine_impact_s"], _ = _timed(lambda: all_failures(compiled, weights, journeys=True), 3)
    cpu0 = time.process_time()
    out["impact_s"], result = _timed(lambda: cx.impact(model), 2)
    out["impact_cpu_s"] = (time.process_time() - cpu0) / 2
    hub = max(range(compiled.n_touchpoints, compiled.n_nodes), key=lambda u: result.impact[compiled.ids[u]])
    target = compiled.ids[hub]
    out["what_if_target"] = target
    out["what_if_compiled_ms"] = 1000 * _timed(lambda: cx.what_if(compiled, fail=[target]), 5)[0]
    out["what_if_model_ms"] = 1000 * _timed(lambda: cx.what_if(model, fail=[target]), 3)[0]
    out["peak_rss_mb"] = _rss_mb()

    way = NetworkxWay(model)
    w = dict(result.touchpoint_weight)
    scenarios = [(e.id, [e.id]) for e in model.elements]
    scenarios += [(c.id, [compiled.ids[i] for i in compiled.members(c.id)]) for c in model.capabilities]
    sample = scenarios if nx_sample is None or nx_sample >= len(scenarios) else \
        random.Random(seed).sample(scenarios, nx_sample)
    start, cpu0 = time.perf_counter(), time.process_time()
    worst = 0.0
    for key, failed in sample:
        value, _, _ = way.scenario(failed, w)
        ref = result.impact[key]
        worst = max(worst, abs(value - ref) / max(abs(ref), 1.0))
    elapsed = time.perf_counter() - start
    out["nx_cpu_s"] = (time.process_time() - cpu0) * len(scenarios) / len(sample)
    out["nx_scenarios_timed"], out["nx_scenarios_total"] = len(sample), len(scenarios)
    out["nx_s"] = elapsed * len(scenarios) / len(sample)
    out["nx_extrapolated"] = len(sample) < len(scenarios)
    out["nx_max_rel_diff"] = worst
    out["speedup"] = out["nx_s"] / out["impact_s"]
    out["speedup_cpu"] = out["nx_cpu_s"] / out["impact_cpu_s"]
    return out


def _print(r: dict) -> None:
    nx_note = (f"extrapolated from {r['nx_scenarios_timed']:,} of {r['nx_scenarios_total']:,} scenarios"
               if r["nx_extrapolated"] else f"all {r['nx_scenarios_total']:,} scenarios")
    print(f"\n== {r['size']}: {r['elements']:,} elements, {r['links']:,} links, {r['touchpoints']:,} touchpoints, "
          f"{r['capabilities']:,} capabilities, {r['cycles']} cycles   (load average {r['load']:.1f})")
    print(f"  numba kernel load          {r['jit_warmup_s']:8.2f} s")
    print(f"  generate model             {r['generate_s']:8.2f} s")
    print(f"  compile (check + arrays)   {r['compile_s']:8.2f} s")
    print(f"  content fingerprint        {r['fingerprint_s']:8.3f} s")
    print(f"  full impact, cx.impact     {r['impact_s']:8.3f} s   (cpu {r['impact_cpu_s']:.3f} s)")
    print(f"  full impact, engine only   {r['engine_impact_s']:8.3f} s")
    print(f"  one what-if, compiled      {r['what_if_compiled_ms']:8.1f} ms  (fail {r['what_if_target']})")
    print(f"  one what-if, cx.what_if    {r['what_if_model_ms']:8.1f} ms  (includes the content fingerprint)")
    print(f"  peak memory (process RSS)  {r['peak_rss_mb']:8.0f} MB")
    print(f"  networkx way               {r['nx_s']:8.1f} s   (cpu {r['nx_cpu_s']:.1f} s; {nx_note}; "
          f"max rel. difference {r['nx_max_rel_diff']:.1e})")
    print(f"  speed-up over networkx     {r['speedup']:8.0f} x   (cpu time: {r['speedup_cpu']:.0f} x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nx-sample", type=int, default=None,
                        help="time the networkx way on this many scenarios and extrapolate (default: all on S "
                             "and M, 2000 on L)")
    parser.add_argument("--one", choices=["S", "M", "L"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sample = args.nx_sample if args.nx_sample is not None else NX_SAMPLE[args.one]
        print(json.dumps(run_size(args.one, args.seed, sample)))
        return
    print(f"cxgraph {cx.__version__}, kernel: {cx.engine.backend()}, {os.cpu_count()} cores")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", size, "--seed", str(args.seed)]
        if args.nx_sample is not None:
            cmd += ["--nx-sample", str(args.nx_sample)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        _print(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
