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

Each step prints its wall time and the process's CPU time (both cores counted): on a machine
shared with other work the wall time includes waiting for a core, the CPU time does not.

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

HUB = 100  # direct dependents from which the networkx way times an element on its own rather than by sample


def peak_gb() -> float:
    """The process's peak resident set, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def timed(label: str, fn, figures: dict[str, float]):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    figures[label] = time.perf_counter() - t0
    figures[label + " cpu"] = time.process_time() - c0
    figures[label + " peak GB"] = peak_gb()
    print(f"{label:<34} {figures[label]:8.2f} s   cpu {figures[label + ' cpu']:8.2f} s   "
          f"peak {figures[label + ' peak GB']:.2f} GB", file=sys.stderr, flush=True)
    return out


def run_cxgraph(folder: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    warm = cx.examples.load("retail-bank")
    t0 = time.perf_counter()
    cx.engine.all_failures(cx.engine.compile_model(warm), cx.engine.compile_model(warm).measure(), backend="numba")
    figures["numba warm-up"] = time.perf_counter() - t0

    estate = timed("load (Parquet + checks)", lambda: cx.Estate.read(folder), figures)
    compiled = timed("compile", lambda: cx.engine.compile_model(estate), figures)
    print(f"  {compiled}", file=sys.stderr)
    result = timed("full impact (cx.impact)", lambda: cx.impact(estate, progress=False), figures)
    top = result.top(1)["id"].iloc[0]
    scenarios = compiled.n_nodes + len(compiled.capability_ids)
    figures["scenarios"] = scenarios
    print(f"  {scenarios:,} scenarios; highest impact: {top} ({result.impact[top]:,.0f} {result.unit})",
          file=sys.stderr)
    what = timed("one what-if (compiled)", lambda: cx.what_if(compiled, fail=[top]), figures)
    timed("one what-if (estate)", lambda: cx.what_if(estate, fail=[top]), figures)
    print(f"  what-if {top}: {what.loss:,.0f} {what.unit} lost, {len(what.lost_touchpoints):,} touchpoints lost",
          file=sys.stderr)
    frame = result.elements()
    median = frame["id"].iloc[len(frame) // 2]
    timed("one what-if, median element", lambda: cx.what_if(compiled, fail=[median]), figures)
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
    del links
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    for journey in model["journeys"]:
        for tp in journey["touchpoints"]:
            for dep in tp["depends_on"]:
                graph.add_edge(dep if isinstance(dep, str) else dep["element"], tp["id"])
    build = time.perf_counter() - t0
    # the hubs (100 direct dependents or more) are timed one by one, the rest on a random sample
    hubs = sorted(x for x, k in graph.out_degree() if k >= HUB)
    others = sorted(x for x, k in graph.out_degree() if k < HUB)
    rng = np.random.default_rng(seed)
    picked = [others[i] for i in rng.choice(len(others), size=min(sample, len(others)), replace=False)]
    t0 = time.perf_counter()
    reached_hubs = sum(len(nx.descendants(graph, x)) for x in hubs)
    hub_time = time.perf_counter() - t0
    t0 = time.perf_counter()
    reached = sum(len(nx.descendants(graph, x)) for x in picked)
    per = (time.perf_counter() - t0) / len(picked)
    return {"nx build": build, "nx hubs": len(hubs), "nx hub time": hub_time,
            "nx hub reached": reached_hubs / max(len(hubs), 1), "nx per failure": per,
            "nx reached per failure": reached / len(picked), "nx others": len(others), "nx peak GB": peak_gb()}


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
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx way")
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
    ours = json.loads(subprocess.run([*me, "--part", "cxgraph"], check=True, stdout=subprocess.PIPE,
                                     text=True).stdout.splitlines()[-1])
    for key in ("numba warm-up", "load (Parquet + checks)", "compile", "full impact (cx.impact)",
                "one what-if (compiled)", "one what-if (estate)", "one what-if, median element"):
        peak = f"   peak {ours[key + ' peak GB']:.2f} GB" if key + " peak GB" in ours else ""
        cpu = f"   cpu {ours[key + ' cpu']:8.2f} s" if key + " cpu" in ours else ""
        print(f"{key:<34} {ours[key]:8.2f} s{cpu}{peak}")
    print(f"{'load + compile':<34} {ours['load + compile']:8.2f} s")
    print(f"{'peak memory (whole process)':<34} {ours['peak GB']:8.2f} GB")
    if args.no_networkx:
        return
    theirs = json.loads(subprocess.run([*me, "--part", "networkx"], check=True, stdout=subprocess.PIPE,
                                       text=True).stdout.splitlines()[-1])
    projected = theirs["nx hub time"] + theirs["nx per failure"] * (ours["scenarios"] - theirs["nx hubs"])
    print(f"networkx: graph built in {theirs['nx build']:.1f} s ({theirs['nx peak GB']:.2f} GB peak); "
          f"nx.descendants of the {theirs['nx hubs']:.0f} hubs: {theirs['nx hub time']:.1f} s "
          f"({theirs['nx hub reached']:,.0f} nodes reached each); of {args.nx_sample} other random failures: "
          f"{theirs['nx per failure'] * 1e3:.2f} ms each ({theirs['nx reached per failure']:,.0f} nodes reached)")
    print(f"networkx way, projected to {ours['scenarios']:,.0f} failures: {projected:,.0f} s "
          f"(reachability only, no numbers) = {projected / ours['full impact (cx.impact)']:.1f} x the full impact; "
          f"plus {theirs['nx build']:.0f} s to build the graph")

if __name__ == "__main__":
    main()
