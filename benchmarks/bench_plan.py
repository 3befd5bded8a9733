"""Benchmark plans that mix structural and metric initiatives on the synthetic S model.

    python benchmarks/bench_plan.py [--structural 4 8 12] [--metric 200] [--seed 0] [--exhaustive 8]

The S model (1,000 elements) gets reliability data on its dozen shared hubs and, for each run,
``--structural`` initiatives that change the architecture (raise a hub's availability, add a
standby for a hub, remove a dependency) beside ``--metric`` initiatives that set metric values.
It prints the plan's time and the time of one combination's evaluation (apply, impact of every
element, expected loss over every failure set of the reliable hubs) beside the plain networkx way
of the same evaluation (one propagation per element and per failure set over ``nx.ancestors``,
from ``bench_impact.py``; the failure sets timed on a sample of 256 and scaled), measured in the
same run. It also times the search alone, with the number of combinations its bounds ruled out,
and up to ``--exhaustive`` structural initiatives the same search solving every combination
(checking that both find the same plan).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.bench_impact import NetworkxWay
from benchmarks.generate import generate
from cxgraph.analysis._plan_structure import Structures
from cxgraph.analysis.gaps import touchpoint_weights


def build(n_structural: int, n_metric: int, seed: int) -> cx.Model:
    """The S model with reliable hubs, ``n_structural`` structural and ``n_metric`` metric initiatives."""
    rng = random.Random(seed)
    m = generate("S", seed=seed)
    impact = cx.impact(m).elements()
    hubs = [e for e in impact["id"] if e in {x.id for x in m.elements if x.kind != "team"}][:12]
    by_id = {e.id: e for e in m.elements}
    for h in hubs:
        by_id[h].availability = round(rng.uniform(0.98, 0.999), 5)
    dependents = {h: [x.id for x in [*m.touchpoints, *m.elements] if any(d.element == h for d in x.depends_on)]
                  for h in hubs}
    m.initiatives = [i for i in m.initiatives if not i.structural]
    for k in range(n_structural):
        hub = hubs[k % len(hubs)]
        kind = ("sets", "standby", "remove")[k % 3]
        fields: dict = {}
        if kind == "sets":
            fields["sets"] = [{"element": hub, "availability": 0.9999}]
        else:
            user = rng.choice(dependents[hub])
            link = next(d for d in (by_id[user].depends_on if user in by_id else
                                    next(t for t in m.touchpoints if t.id == user).depends_on) if d.element == hub)
            fields["removes"] = [{"from": user, "element": hub}]
            if kind == "standby":
                fields["adds"] = {"elements": [{"id": f"standby-{k}", "name": f"Standby {k}", "kind": "vendor"}],
                                  "links": [{"from": user, "element": hub, "strength": link.strength,
                                             "group": f"ha-{k}"},
                                            {"from": user, "element": f"standby-{k}", "strength": link.strength,
                                             "group": f"ha-{k}"}]}
        m.add_initiative(f"s-{k:02d}", f"Structural {k}", cost=rng.randint(1, 6) * 5_000, **fields)
    metrics = m.metrics
    for k in range(n_metric - len(m.initiatives) + n_structural):
        chosen = rng.sample(metrics, rng.randint(1, 2))
        m.add_initiative(f"x-{k:03d}", f"Metric work {k}", cost=rng.randint(1, 30) * 10_000,
                         improves=[{"metric": x.id, "to": x.target} for x in chosen])
    m.check()
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--structural", type=int, nargs="+", default=[4, 8, 12])
    parser.add_argument("--metric", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=1_500_000)
    parser.add_argument("--exhaustive", type=int, default=8,
                        help="also solve every combination, without bounds, up to this many structural initiatives")
    args = parser.parse_args()
    cx.impact(cx.examples.load("retail-bank"))  # compile the kernel before timing
    for n in args.structural:
        m = build(n, args.metric, args.seed)
        n_metric = sum(not i.structural for i in m.initiatives)
        start = time.perf_counter()
        s = Structures(m)
        one = s.variant(frozenset([s.structural[0]]))
        one_time = time.perf_counter() - start
        start = time.perf_counter()
        changed = cx.model.apply_initiatives(m, [s.base.ids[s.structural[0]]])
        nx_way = NetworkxWay(changed)
        weights = touchpoint_weights(changed)
        for e in changed.elements:
            nx_way.scenario([e.id], weights)
        # the expected loss the plain way: one propagation per failure set of the reliable hubs
        # (timed on a sample of 256 of them, then scaled to all)
        down = [e.id for e in changed.elements if e.availability is not None]
        rng = random.Random(1)
        sample = [[e for e in down if rng.random() < 0.5] for _ in range(256)]
        el_start = time.perf_counter()
        for failed in sample:
            nx_way.scenario(failed, weights)
        nx_time = time.perf_counter() - start + (time.perf_counter() - el_start) * (2 ** len(down) / 256 - 1)
        start = time.perf_counter()
        result = cx.plan(m, budget=args.budget)
        plan_time = time.perf_counter() - start
        s = Structures(m)
        start = time.perf_counter()
        s.best(args.budget)
        search_time = time.perf_counter() - start
        searched = f"search {search_time:.1f} s ({s.ruled_out} of {2 ** n} combinations ruled out by bounds"
        if n <= args.exhaustive:  # every combination solved, as without bounds: the same plan, far slower
            s = Structures(m)
            s._bounds = lambda options: None  # type: ignore[method-assign]
            start = time.perf_counter()
            expected, _, _ = s.best(args.budget)
            every = time.perf_counter() - start
            assert s.names(expected) == list(result.chosen), "the bounded search must find the same plan"
            searched += f"; solving every one: {every:.1f} s, {every / search_time:.1f}x"
        print(f"S, {n} structural + {n_metric} metric initiatives, budget {args.budget:,.0f}: plan {plan_time:.1f} s, "
              f"{len(result.chosen)} chosen ({sum(c.startswith('s-') for c in result.chosen)} structural), benefit "
              f"{result.benefit:,.1f}, exact {result.exact}; {searched}); one structural variant {one_time:.2f} s "
              f"(expected loss {one.expected_loss:,.2f}) against the networkx way {nx_time:.1f} s, extrapolated "
              f"from 256 failure sets ({nx_time / one_time:.1f}x)", flush=True)


if __name__ == "__main__":
    main()
