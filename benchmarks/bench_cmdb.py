"""Benchmark reading a ServiceNow CMDB export: 100,000 items and 500,000 relationships (see README.md).

    python benchmarks/bench_cmdb.py [--cis 100000] [--rels 500000] [--seed 0] [--format csv|json]

Writes a synthetic export (``cmdb_ci`` and ``cmdb_rel_ci`` in the published column layout, CSDM
classes, 1 % retired items, every relationship type the reader knows and a few it does not) to a
temporary folder, then, each in a fresh process so that its peak memory is its own:

- **cxgraph**: ``cx.io.read_servicenow(folder)``, the validated model and the import report
  accounting for every row;
- **networkx**: the plain way of building the same dependency graph: ``csv.DictReader`` over both
  files, one ``nx.DiGraph`` node per live item, one edge per relationship read by the same rules.

Both print their time and peak memory; the script checks that the two graphs have the same
nodes and edges and prints the ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLASSES = [  # (class, share of the items)
    ("service_offering", 0.02), ("cmdb_ci_service_auto", 0.05), ("cmdb_ci_business_app", 0.05),
    ("cmdb_ci_appl", 0.15), ("cmdb_ci_linux_server", 0.25), ("cmdb_ci_win_server", 0.15),
    ("cmdb_ci_vm_instance", 0.1), ("cmdb_ci_db_ora_instance", 0.08), ("cmdb_ci_ip_switch", 0.1),
    ("sys_user_group", 0.03), ("core_company", 0.02),
]
TYPES = [  # (relationship type, share of the rows)
    ("Depends on::Used by", 0.4), ("Runs on::Runs", 0.25), ("Hosted on::Hosts", 0.1),
    ("Connects to::Connected by", 0.1), ("Members::Member of", 0.05), ("Managed by::Manages", 0.04),
    ("IP Connection::IP Connection", 0.04), ("Frobs::Frobbed by", 0.02),
]


def generate(folder: Path, n_cis: int, n_rels: int, seed: int, fmt: str) -> None:
    """Write ``cmdb_ci`` and ``cmdb_rel_ci`` exports to ``folder``."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    sys_ids = np.array([f"{x:032x}" for x in rng.integers(0, 2**62, n_cis, dtype=np.int64)])
    classes = np.array([c for c, _ in CLASSES])[rng.choice(len(CLASSES), n_cis, p=[s for _, s in CLASSES])]
    status = np.where(rng.random(n_cis) < 0.01, "6", "1")
    names = np.char.add("ci-", np.arange(n_cis).astype(str))
    cis = pd.DataFrame({"sys_id": sys_ids, "name": names, "sys_class_name": classes, "operational_status": status})
    types = np.array([t for t, _ in TYPES])[rng.choice(len(TYPES), n_rels, p=[s for _, s in TYPES])]
    parent, child = rng.integers(0, n_cis, n_rels), rng.integers(0, n_cis, n_rels)
    owners = np.flatnonzero(classes == "sys_user_group")
    managed = types == "Managed by::Manages"
    child[managed] = owners[rng.integers(0, len(owners), managed.sum())]
    rels = pd.DataFrame({"sys_id": np.char.add("r", np.arange(n_rels).astype(str)), "parent": sys_ids[parent],
                         "child": sys_ids[child], "type": types})
    if fmt == "csv":
        cis.to_csv(folder / "cmdb_ci.csv", index=False, quoting=csv.QUOTE_ALL, encoding="utf-8-sig")
        rels.to_csv(folder / "cmdb_rel_ci.csv", index=False, quoting=csv.QUOTE_ALL, encoding="utf-8-sig")
    else:
        for name, frame in (("cmdb_ci", cis), ("cmdb_rel_ci", rels)):
            (folder / f"{name}.json").write_text(json.dumps({"records": frame.to_dict("records")}))


def peak_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cxgraph(folder: Path) -> dict[str, float]:
    """Read the export with cxgraph; return its figures and the graph's size."""
    import cxgraph as cx

    start = time.perf_counter()
    model, report = cx.io.read_servicenow(folder)
    seconds = time.perf_counter() - start
    n_edges = sum(len(e.depends_on) for e in model.elements)
    assert report.elements_read == report.elements_mapped + report.elements_kept
    return {"seconds": seconds, "peak_mb": peak_mb(), "nodes": len(model.elements), "edges": n_edges,
            "owners": sum(e.owner is not None for e in model.elements),
            "report_rows": report.elements_read + report.relationships_read}


def run_networkx(folder: Path) -> dict[str, float]:
    """Build the same dependency graph the plain way: csv rows into an nx.DiGraph."""
    import networkx as nx

    from cxgraph.io.cmdb.classes import CLASS_KINDS

    rules = {"depends on::used by": "parent", "runs on::runs": "parent", "hosted on::hosts": "parent",
             "connects to::connected by": "parent", "members::member of": "parent",
             "managed by::manages": "owner"}
    start = time.perf_counter()
    graph = nx.DiGraph()
    live = set()
    with (folder / "cmdb_ci.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["operational_status"] in ("6", "Retired") or row["sys_id"] in live:
                continue
            live.add(row["sys_id"])
            graph.add_node(row["sys_id"], name=row["name"], kind=CLASS_KINDS.get(row["sys_class_name"]))
    owners = 0
    with (folder / "cmdb_rel_ci.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            p, c, rule = row["parent"], row["child"], rules.get(row["type"].lower())
            if rule is None or p == c or p not in live or c not in live:
                continue
            if rule == "owner":
                if "owner" not in graph.nodes[p] and graph.nodes[c]["kind"] in ("team", "vendor"):
                    graph.nodes[p]["owner"] = c
                    owners += 1
            else:
                graph.add_edge(p, c, type=row["type"])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(), "owners": owners}


def main() -> None:
    """Generate the export, time both ways in fresh processes, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cis", type=int, default=100_000)
    parser.add_argument("--rels", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--child", choices=("cxgraph", "networkx"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        runner = run_cxgraph if args.child == "cxgraph" else run_networkx
        print(json.dumps(runner(Path(args.folder))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        generate(folder, args.cis, args.rels, args.seed, args.format)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"export: {args.cis:,} items, {args.rels:,} relationships, {args.format}, {size:.0f} MB "
              f"(written in {time.perf_counter() - start:.1f} s)")
        ways = ["cxgraph"] + (["networkx"] if args.format == "csv" else [])
        out = {}
        for way in ways:
            done = subprocess.run([sys.executable, __file__, "--child", way, "--folder", str(folder)],
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{way} failed:\n{done.stderr}")
            out[way] = json.loads(done.stdout.strip().splitlines()[-1])
            f = out[way]
            print(f"{way:9s} {f['seconds']:6.1f} s  peak {f['peak_mb']:6.0f} MB  "
                  f"{f['nodes']:,} elements, {f['edges']:,} links, {f['owners']:,} owners")
        if "networkx" in out:
            a, b = out["cxgraph"], out["networkx"]
            same = (a["nodes"], a["edges"], a["owners"]) == (b["nodes"], b["edges"], b["owners"])
            print(f"same graph: {same}; cxgraph / networkx time: {a['seconds'] / b['seconds']:.2f}, "
                  f"memory: {a['peak_mb'] / b['peak_mb']:.2f}; the report accounts for {a['report_rows']:,} rows")


if __name__ == "__main__":
    main()
