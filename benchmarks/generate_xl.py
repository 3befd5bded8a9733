"""A CMDB-shaped synthetic estate of size XL (1,000,000 elements, 5,000,000 links) written as Parquet.

``generate_xl(folder, seed=0)`` writes ``elements.parquet``, ``links.parquet`` and
``model.json`` (1,000 journeys of 20 touchpoints, 2,000 capabilities, 5,000 metrics) for
:meth:`cxgraph.Estate.read`; every column is drawn at once with numpy, so the whole estate
is built in well under a minute and never holds one Python object per element.

The shape is a CMDB's: services -> applications and their data -> platforms (virtual hosts,
containers) -> deep infrastructure in four tiers (virtual machines, hypervisors, storage
and racks, network segments; mostly one link down, now and then a redundant pair) -> 100
regional hubs (a region's data centre and network core) -> 12 global hubs (DNS, directory,
backup, monitoring, backbone, ...) that every piece of infrastructure also uses directly;
processes on teams and applications; teams and vendors as owners. Elements live in domains of about 100 (most links
stay inside one), some links are redundant alternatives (1 of 2, 2 of 3), and a few hundred
services call each other back (cycles).

Run as a script: ``python benchmarks/generate_xl.py FOLDER [--elements N] [--links N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["generate_xl"]

# prefix, kind, share of elements, the layers it depends on (with weights), mean links to those layers,
# share of them to another domain, mean links to the global hubs (shared services: DNS, directory, backup, ...)
LAYERS = [
    ("svc", "service", 0.20, {"app": 0.90, "svc": 0.10}, 6.0, 0.05, 0.0),
    ("app", "system", 0.18, {"dat": 0.35, "plt": 0.55, "app": 0.10}, 5.0, 0.05, 0.5),
    ("dat", "data", 0.08, {"plt": 1.0}, 2.0, 0.05, 1.0),
    ("plt", "infrastructure", 0.12, {"vm": 1.0}, 1.5, 0.02, 3.0),
    ("vm", "infrastructure", 0.12, {"hyp": 1.0}, 1.2, 0.0, 3.0),
    ("hyp", "infrastructure", 0.10, {"sto": 1.0}, 1.3, 0.0, 3.0),
    ("sto", "infrastructure", 0.05, {"net": 1.0}, 1.3, 0.0, 3.0),
    ("net", "infrastructure", 0.03, {}, 0.0, 0.0, 2.0),
    ("prc", "process", 0.05, {"team": 0.5, "app": 0.5}, 4.0, 0.2, 0.0),
    ("team", "team", 0.05, {}, 0.0, 0.0, 0.0),
    ("vnd", "vendor", 0.02, {}, 0.0, 0.0, 0.0),
]
GLOBAL_HUBS = 12
REGIONS = 100
HUBS_PER_REGION = 1
STRENGTHS = np.array([1.0, 0.8, 0.5, 0.3, 0.2])
STRENGTH_P = np.array([0.70, 0.08, 0.10, 0.07, 0.05])


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(f"{prefix}-", np.char.zfill(np.arange(n).astype(str), 7)).astype(object)


def generate_xl(folder: str | Path, *, elements: int = 1_000_000, links: int = 5_000_000, journeys: int = 1_000,
                capabilities: int = 2_000, seed: int = 0) -> dict[str, int]:
    """Write the estate into ``folder`` and return its counts (the same files for the same arguments)."""
    rng = np.random.default_rng(seed)
    hubs = GLOBAL_HUBS + REGIONS * HUBS_PER_REGION
    n_layer = elements - hubs
    counts = [round(share * n_layer) for _, _, share, *_ in LAYERS]
    counts[0] += n_layer - sum(counts)
    domains = max(4, elements // 100)
    start: dict[str, int] = {}
    count: dict[str, int] = {}
    at = 0
    for (prefix, *_), c in zip(LAYERS, counts, strict=True):
        start[prefix], count[prefix] = at, c
        at += c
    region_hub0, global_hub0 = at, at + REGIONS * HUBS_PER_REGION
    kinds = np.concatenate([np.full(c, kind, object) for (_, kind, *_), c in zip(LAYERS, counts, strict=True)]
                           + [np.full(hubs, "infrastructure", object)])
    ids = np.concatenate([_ids(p, c) for (p, *_), c in zip(LAYERS, counts, strict=True)]
                         + [_ids("rhub", REGIONS * HUBS_PER_REGION), _ids("ghub", GLOBAL_HUBS)])
    domain = np.concatenate([np.arange(c) * domains // max(c, 1) for c in counts] + [np.zeros(hubs, np.int64)])

    # links: the layer-to-layer ones and those to the shared hubs, scaled so that the estate has `links` in all
    planned = sum(count[p] * (below_mean + hub_mean) for p, *_, below_mean, _, hub_mean in LAYERS)
    scale = links * 1.08 / planned
    for _attempt in range(5):  # duplicates drawn inside a domain are dropped: draw more until there are enough
        rng = np.random.default_rng([seed, _attempt])
        src_parts, dst_parts = [], []
        for prefix, _kind, _share, below, below_mean, cross, hub_mean in LAYERS:
            n = count[prefix]
            ids_here = np.arange(start[prefix], start[prefix] + n)
            if hub_mean:
                h = rng.poisson(hub_mean * scale, n)
                src_parts.append(np.repeat(ids_here, h))
                dst_parts.append(global_hub0 + rng.integers(GLOBAL_HUBS, size=int(h.sum())))
            if not below:
                continue
            k = 1 + rng.poisson(max(below_mean * scale - 1.0, 0.0), n)
            src = np.repeat(ids_here, k)
            own_dom = domain[src]
            layers = list(below)
            pick = rng.choice(len(layers), size=len(src), p=np.array(list(below.values())))
            dom = np.where(rng.random(len(src)) < cross, rng.integers(domains, size=len(src)), own_dom)
            dst = np.empty(len(src), np.int64)
            for li, layer in enumerate(layers):
                sel = pick == li
                c = count[layer]
                lo = (dom[sel] * c + domains - 1) // domains
                hi = np.maximum(((dom[sel] + 1) * c + domains - 1) // domains, lo + 1)
                if layer == prefix:  # within a layer, only to a lower-numbered element: no accidental cycles
                    hi = np.minimum(hi, src[sel] - start[layer])
                span = hi - lo
                dst[sel] = np.where(span > 0, start[layer] + lo + (rng.random(sel.sum()) * np.maximum(span, 1))
                                    .astype(np.int64), -1)
            keep = dst >= 0
            src_parts.insert(len(src_parts) - (1 if hub_mean else 0), src[keep])
            dst_parts.insert(len(dst_parts) - (1 if hub_mean else 0), dst[keep])
        # deep infrastructure leans on its region's hub, the hubs on the global ones
        net = np.arange(start["net"], start["net"] + count["net"])
        region = domain[net] * REGIONS // domains
        src_parts.append(net)
        dst_parts.append(region_hub0 + region * HUBS_PER_REGION + rng.integers(HUBS_PER_REGION, size=len(net)))
        rhubs = np.arange(region_hub0, global_hub0)
        for _ in range(2):
            src_parts.append(rhubs)
            dst_parts.append(global_hub0 + rng.integers(GLOBAL_HUBS, size=len(rhubs)))
        ghubs = np.arange(global_hub0 + 1, global_hub0 + GLOBAL_HUBS)
        src_parts.append(ghubs)
        dst_parts.append(global_hub0 + (rng.random(len(ghubs)) * (ghubs - global_hub0)).astype(np.int64))
        src = np.concatenate(src_parts)
        dst = np.concatenate(dst_parts)
        # cycles: services that call back one of the services they use
        svc_calls = np.flatnonzero((src < start["svc"] + count["svc"]) & (dst < start["svc"] + count["svc"]))
        back = rng.choice(svc_calls, size=min(len(svc_calls), max(3, elements // 2000)), replace=False)
        cyc_src, cyc_dst = dst[back], src[back]
        src = np.concatenate([src, cyc_src])
        dst = np.concatenate([dst, cyc_dst])
        key = src * elements + dst
        _, first = np.unique(key, return_index=True)
        first.sort()
        if len(first) >= links:
            break
        scale *= 1.03 * links / len(first)
    if len(first) > links:
        first = np.sort(rng.choice(first, size=links, replace=False))
    order = np.lexsort((first, src[first]))
    src, dst = src[first][order], dst[first][order]
    n_links = len(src)
    strength = rng.choice(STRENGTHS, size=n_links, p=STRENGTH_P)
    strength[np.isin(src * elements + dst, cyc_src * elements + cyc_dst)] = 0.5
    # redundancy: for 12 % of services, applications and platforms, their last 2 or 3 links are alternatives
    counts_per = np.bincount(src, minlength=elements)
    ends = np.cumsum(counts_per)
    eligible = (kinds == "service") | (kinds == "system") | (np.arange(elements) >= start["plt"]) & \
        (np.arange(elements) < start["plt"] + count["plt"])
    eligible[cyc_src] = False  # the links of a cycle stay out of redundancy groups
    chosen = np.flatnonzero(eligible & (counts_per >= 2) & (rng.random(elements) < 0.12))
    size = np.where((counts_per[chosen] >= 3) & (rng.random(len(chosen)) < 0.4), 3, 2)
    group = np.full(n_links, None, object)
    needs = np.full(n_links, np.nan)
    two_of_three = (size == 3) & (rng.random(len(chosen)) < 0.5)
    for offset in range(3):
        sel = size > offset
        rows = ends[chosen[sel]] - counts_per[chosen[sel]] + offset  # its first links: those to the layer below
        group[rows] = "ha"
        strength[rows] = 1.0
        needs[rows[two_of_three[sel]]] = 2.0
    # owners and reliability
    owners_pool = np.concatenate([np.arange(start["team"], start["team"] + count["team"]),
                                  np.arange(start["vnd"], start["vnd"] + count["vnd"])])
    has_owner = (kinds != "team") & (kinds != "vendor")
    owner = np.where(has_owner, ids[owners_pool[rng.integers(len(owners_pool), size=elements)]], None)
    availability = np.where(rng.random(elements) < 0.3, np.round(rng.uniform(0.99, 0.9999, elements), 5), np.nan)
    recovery = np.where(rng.random(elements) < 0.5, np.round(rng.uniform(0.5, 24, elements), 1), np.nan)

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    id_array = pa.array(ids, pa.string())
    kind_dict = pa.array(np.unique(kinds.astype(str)))
    pq.write_table(pa.table({
        "id": id_array,
        "name": pa.array(np.char.add(np.char.add(kinds.astype(str), " "), ids.astype(str)).astype(object)),
        "kind": pa.DictionaryArray.from_arrays(pa.array(np.searchsorted(kind_dict.to_numpy(zero_copy_only=False),
                                                                        kinds.astype(str)).astype(np.int32)),
                                               kind_dict),
        "owner": pa.array(owner, pa.string()),
        "availability": availability, "recovery_hours": recovery,
    }), folder / "elements.parquet")
    pq.write_table(pa.table({
        "source": pa.DictionaryArray.from_arrays(pa.array(src.astype(np.int32)), id_array),
        "target": pa.DictionaryArray.from_arrays(pa.array(dst.astype(np.int32)), id_array),
        "strength": strength, "group": pa.array(group, pa.string()), "needs": needs,
    }), folder / "links.parquet")
    model = _model(rng, ids, start, count, journeys, capabilities)
    (folder / "model.json").write_text(json.dumps(model), encoding="utf-8")
    return {"elements": elements, "links": n_links, "touchpoints": journeys * 20, "capabilities": capabilities,
            "cycles": len(cyc_src)}


def _model(rng: np.random.Generator, ids: np.ndarray, start: dict[str, int], count: dict[str, int], journeys: int,
           capabilities: int) -> dict[str, object]:
    """The model part: journeys whose touchpoints use services, capabilities realised by the estate, metrics."""
    def svc() -> str:
        return str(ids[start["svc"] + int(rng.integers(count["svc"]))])

    doc_journeys = []
    metrics = []
    t = 0
    for j in range(journeys):
        tps = []
        for _ in range(20):
            deps: list[object] = list(dict.fromkeys(svc() for _ in range(int(rng.integers(1, 4)))))
            if rng.random() < 0.2 and len(deps) == 1:
                deps = [{"element": deps[0], "group": "ha"}, {"element": svc(), "group": "ha"}]
                if deps[0]["element"] == deps[1]["element"]:  # type: ignore[index]
                    deps = deps[:1]
            tps.append({"id": f"tp-{t:06d}", "name": f"Touchpoint {t}", "reach": round(float(rng.uniform(0.2, 1)), 3),
                        "depends_on": deps})
            if t % 4 == 0:
                metrics.append({"id": f"csat-{t:06d}", "name": f"CSAT at touchpoint {t}", "of": f"tp-{t:06d}",
                                "actual": round(float(rng.uniform(2, 4.6)), 2), "target": 4.5, "better": "higher",
                                "ideal": 5})
            t += 1
        doc_journeys.append({"id": f"jrn-{j:05d}", "name": f"Journey {j}", "segment": ["retail", "business",
                             "wealth", "public"][j % 4], "customers": int(rng.lognormal(9, 1.2)),
                             "revenue": round(float(rng.lognormal(11, 1)), 2), "touchpoints": tps})
    caps = []
    top = capabilities // 10
    for c in range(capabilities):
        cap: dict[str, object] = {"id": f"cap-{c:05d}", "name": f"Capability {c}"}
        if c >= top:
            cap["parent"] = f"cap-{int(rng.integers(min(c, 3 * top))):05d}"
            realized = []
            for layer in ("svc", "app", "dat", "plt"):
                realized += [ids[start[layer] + int(rng.integers(count[layer]))]
                             for _ in range(int(rng.integers(1, 4)))]
            cap["realized_by"] = list(dict.fromkeys(realized))
        caps.append(cap)
    return {"cxgraph": 1, "name": "Synthetic CMDB estate XL", "period": "month", "journeys": doc_journeys,
            "capabilities": caps, "metrics": metrics}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=5_000_000)
    parser.add_argument("--journeys", type=int, default=1_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = generate_xl(args.folder, elements=args.elements, links=args.links, journeys=args.journeys,
                         capabilities=args.capabilities, seed=args.seed)
    print(counts, f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
