"""Benchmark a CMDB-shaped estate of 1,000,000 elements and 5,000,000 links (size XL) read from Parquet.

    python benchmarks/bench_xl.py [--folder DIR] [--elements N] [--links N] [--nx-sample 1000]

Writes the estate with ``generate_xl.py`` when ``DIR`` holds none, then, in one fresh process:
load (:meth:`cx.Estate.read`: Parquet, the model part and every check), compile
(:func:`cx.engine.compile_model`), full impact (:func:`cx.impact`: every element, touchpoint
and capability failing alone, with the per-journey split) and one what-if (the element with
the largest impact failing, on the compiled estate and on the estate), each timed, with the
process's peak resident memory after each step. The numba kernel is compiled (or loaded from
its cache) on a small model first, so no step waits for the compiler; the warm-up is timed
apart.

The networkx way runs in a second process (so that its memory is its own): the reverse
dependency graph as an ``nx.DiGraph``, and ``nx.descendants`` (everything a failure reaches,
without any numbers) for ``--nx-sample`` random failures, extrapolated to every scenario. It
only finds what each failure reaches, so it is a lower bound for the networkx way.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.generate_xl import generate_xl


def peak_gb() -> float:
    """The process's peak resident set, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def timed(label: str, fn, figures: dict[str, float]):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    figures[label] = time.perf_counter() - t0
    figures[label + " peak GB"] = peak_gb()
    print(f"{label:<34} {figures[label]:8.2f} s   peak {figures[label + ' peak GB']:.2f} GB", flush=True)
    return out


def run_cxgraph(folder: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    warm = cx.examples.load("retail-bank")
    t0 = time.perf_counter()
    cx.engine.all_failures(cx.engine.compile_model(warm), cx.engine.compile_model(warm).measure(), backend="numba")
    figures["numba warm-up"] = time.perf_counter() - t0
    print(f"{'numba warm-up (small model)':<34} {figures['numba warm-up']:8.2f} s", flush=True)
    estate = timed("load (Parquet + checks)", lambda: cx.Estate.read(folder), figures)
    compiled = timed("compile", lambda: cx.engine.compile_model(estate), figures)
    print(f"  {compiled}")
    result = timed("full impact (cx.impact)", lambda: cx.impact(estate, progress=False), figures)
    top = result.top(1)["id"].iloc[0]
    scenarios = compiled.n_nodes + len(compiled.capability_ids)
    figures["scenarios"] = scenarios
    print(f"  {scenarios:,} scenarios; highest impact: {top} ({result.impact[top]:,.0f} {result.unit})")
    what = timed("one what-if (compiled)", lambda: cx.what_if(compiled, fail=[top]), figures)
    timed("one what-if (estate)", lambda: cx.what_if(estate, fail=[top]), figures)
    print(f"  what-if {top}: {what.loss:,.0f} {what.unit} lost, {len(what.lost_touchpoints):,} touchpoints lost")
    figures["load + compile"] = figures["load (Parquet + checks)"] + figures["compile"]
    figures["peak GB"] = peak_gb()
    return figures


def run_networkx(folder: Path, sample: int, seed: int) -> dict[str, float]:
    import networkx as nx
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    links = pq.read_table(folder / "links.parquet", columns=["source", "target"]).to_pandas()
    graph = nx.DiGraph()
    graph.add_edges_from(zip(links["target"].astype(str), links["source"].astype(str), strict=True))
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    for journey in model["journeys"]:
        for tp in journey["touchpoints"]:
            for dep in tp["depends_on"]:
                graph.add_edge(dep if isinstance(dep, str) else dep["element"], tp["id"])
    build = time.perf_counter() - t0
    nodes = sorted(graph.nodes)
    rng = np.random.default_rng(seed)
    picked = [nodes[i] for i in rng.choice(len(nodes), size=min(sample, len(nodes)), replace=False)]
    t0 = time.perf_counter()
    reached = sum(len(nx.descendants(graph, x)) for x in picked)
    per = (time.perf_counter() - t0) / len(picked)
    return {"nx build": build, "nx per failure": per, "nx reached per failure": reached / len(picked),
            "nx nodes": graph.number_of_nodes(), "nx peak GB": peak_gb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="xl-estate")
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=5_000_000)
    parser.add_argument("--journeys", type=int, default=1_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--nx-sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--part", choices=["all", "cxgraph", "networkx"], default="all")
    args = parser.parse_args()
    folder = Path(args.folder)
    if args.part == "cxgraph":
        print(json.dumps(run_cxgraph(folder)))
        return
    if args.part == "networkx":
        print(json.dumps(run_networkx(folder, args.nx_sample, args.seed)))
        return
    if not (folder / "elements.parquet").is_file():
        t0 = time.perf_counter()
        counts = generate_xl(folder, elements=args.elements, links=args.links, journeys=args.journeys,
                             capabilities=args.capabilities, seed=args.seed)
        print(f"generated {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
    me = [sys.executable, __file__, "--folder", str(folder), "--nx-sample", str(args.nx_sample),
          "--seed", str(args.seed)]
    ours = json.loads(subprocess.run([*me, "--part", "cxgraph"], check=True, capture_output=False,
                                     stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1])
    print(f"peak memory (whole process)        {ours['peak GB']:.2f} GB")
    theirs = json.loads(subprocess.run([*me, "--part", "networkx"], check=True, stdout=subprocess.PIPE,
                                       text=True).stdout.splitlines()[-1])
    projected = theirs["nx per failure"] * ours["scenarios"]
    print(f"networkx: graph built in {theirs['nx build']:.1f} s ({theirs['nx peak GB']:.2f} GB peak); "
          f"nx.descendants {theirs['nx per failure'] * 1e3:.1f} ms per failure (mean of {args.nx_sample} random, "
          f"{theirs['nx reached per failure']:,.0f} nodes reached each)")
    print(f"networkx way, projected to {ours['scenarios']:,.0f} failures: {projected:,.0f} s "
          f"(reachability only) = {projected / ours['full impact (cx.impact)']:.0f} x the full impact")


if __name__ == "__main__":
    main()
