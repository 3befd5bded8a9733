"""Start-up: importing cxgraph, ``cxgraph --version``, and the first command on a small model.

Each figure is a fresh process (best of ``--repeat``), wall-clock seconds:

- ``import cxgraph``: ``python -c "import cxgraph"``;
- ``cxgraph --version``: ``python -m cxgraph --version``;
- ``first impact``: ``python -m cxgraph impact example:retail-bank`` with an empty kernel cache
  (``CXGRAPH_CACHE_DIR`` set to a new folder), as the first command after installing;
- ``first impact, numba``: the same analysis forcing the compiled kernel, in a fresh process with
  an empty cache (what every small model paid before the kernel was chosen by size);
- ``numba cached``: the same once the compiled kernel is in the cache;
- the plain networkx way, measured in the same run: ``python -c "import networkx"``, with the
  ratio ``import cxgraph`` / ``import networkx``.

Targets: ``import cxgraph`` and ``cxgraph --version`` at most 0.3 s. Run:
``python benchmarks/bench_start.py``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

TARGET = 0.3
FORCED = (
    "import cxgraph as cx\n"
    "c = cx.engine.compile_model(cx.examples.load('retail-bank'))\n"
    "cx.engine.all_failures(c, c.weights()[0], journeys=True, backend='numba')\n"
)


def timed(args: list[str], env: dict[str, str] | None = None) -> float:
    """Return the wall-clock seconds of one run of ``args`` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def best(args: list[str], repeat: int, fresh_cache: bool = False) -> float:
    """Return the best of ``repeat`` runs; with ``fresh_cache`` every run starts with an empty kernel cache."""
    times = []
    for _ in range(repeat):
        env = dict(os.environ)
        if fresh_cache:
            env["CXGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="cxgraph-bench-")
        times.append(timed(args, env))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    rows = {
        "import cxgraph": best([py, "-c", "import cxgraph"], args.repeat),
        "cxgraph --version": best([py, "-m", "cxgraph", "--version"], args.repeat),
        "import networkx (the plain way)": best([py, "-c", "import networkx"], args.repeat),
        "first impact (kernel by size)": best([py, "-m", "cxgraph", "impact", "example:retail-bank"],
                                              min(args.repeat, 3), fresh_cache=True),
        "first impact, numba, empty cache": best([py, "-c", FORCED], 1, fresh_cache=True),
    }
    cache = tempfile.mkdtemp(prefix="cxgraph-bench-")
    env = dict(os.environ, CXGRAPH_CACHE_DIR=cache)
    timed([py, "-c", FORCED], env)
    rows["first impact, numba, cached"] = min(timed([py, "-c", FORCED], env) for _ in range(min(args.repeat, 3)))
    width = max(map(len, rows))
    for name, seconds in rows.items():
        print(f"{name:<{width}}  {seconds:6.3f} s")
    ratio = rows["import cxgraph"] / rows["import networkx (the plain way)"]
    print(f"{'import cxgraph / import networkx':<{width}}  {ratio:6.2f} x")
    for name in ("import cxgraph", "cxgraph --version"):
        print(f"{name}: {'meets' if rows[name] <= TARGET else 'misses'} the {TARGET} s target")


if __name__ == "__main__":
    main()
