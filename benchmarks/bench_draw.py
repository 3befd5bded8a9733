"""Render time of the diagrams: the three example models' blueprints (and capability maps), against nx.draw.

For each bundled example, times (best of ``--repeat`` runs, after one warm-up that compiles the
engine and loads fonts), as wall-clock seconds and as CPU seconds of this process (the machine
may be shared: CPU time is what the figure itself costs):

- ``blueprint svg``: ``cx.draw.blueprint(model)`` from the model alone (the impact included)
  saved to SVG — what ``cxgraph diagram FILE -o impact.svg`` does;
- ``blueprint png``: the same saved to PNG at 100 dpi;
- ``cap. map``: ``cx.draw.capability_map(model)`` saved to SVG;
- ``nx.draw``: the plain networkx way, measured in the same run: ``nx.draw`` of the same graph
  (``model.to_networkx()``, with labels) with ``spring_layout(seed=0)``, saved to SVG.
  ``ratio`` = blueprint svg / nx.draw (wall-clock).

The target is under 3 s per blueprint on 2 cores. Run: ``python benchmarks/bench_draw.py``.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

import networkx as nx
from matplotlib.figure import Figure

import cxgraph as cx

TARGET = 3.0


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return the best (wall-clock, CPU) seconds of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def blueprint(name: str, fmt: str) -> None:
    model = cx.examples.load(name)  # a fresh model: nothing cached from the last run
    cx.draw.blueprint(model).savefig(io.BytesIO(), format=fmt, dpi=100)


def capability_map(name: str) -> None:
    model = cx.examples.load(name)
    cx.draw.capability_map(model).savefig(io.BytesIO(), format="svg")


def networkx_way(name: str) -> None:
    graph = cx.examples.load(name).to_networkx()
    fig = Figure(figsize=(12, 9))
    ax = fig.add_subplot()
    nx.draw(graph, pos=nx.spring_layout(graph, seed=0), ax=ax, with_labels=True, node_size=300, font_size=6)
    fig.savefig(io.BytesIO(), format="svg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is reported)")
    args = parser.parse_args()
    for name in cx.examples.names():  # warm-up: engine compilation, font cache, imports
        blueprint(name, "svg")
        networkx_way(name)
    print("seconds, wall-clock (CPU)")
    print(f"{'model':<17}{'blueprint svg':>15}{'blueprint png':>15}{'cap. map':>13}{'nx.draw':>13}{'ratio':>7}"
          f"  under {TARGET:.0f} s")
    worst = 0.0
    for name in cx.examples.names():
        svg = best(lambda n=name: blueprint(n, "svg"), args.repeat)
        png = best(lambda n=name: blueprint(n, "png"), args.repeat)
        cap = best(lambda n=name: capability_map(n), args.repeat)
        base = best(lambda n=name: networkx_way(n), args.repeat)
        worst = max(worst, svg[0], png[0])
        cells = "".join(f"{w:>8.2f} ({c:.2f})" for w, c in (svg, png, cap, base))
        ok = "yes" if max(svg[0], png[0]) < TARGET else "NO"
        print(f"{name:<17}{cells}{svg[0] / base[0]:>6.1f}x  {ok}")
    print(f"slowest blueprint: {worst:.2f} s wall-clock ({'within' if worst < TARGET else 'over'} the "
          f"{TARGET:.0f} s target)")


if __name__ == "__main__":
    main()
