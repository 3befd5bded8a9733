"""Deterministic synthetic enterprise models for benchmarks: sizes S, M and L.

``generate(size, seed=0)`` returns a valid :class:`cxgraph.Model` laid out as real estates
are: touchpoints -> services -> applications (with their data) -> platforms -> shared
infrastructure, in business domains (most links stay inside a domain), with shared hubs
that thousands of elements depend on (network, identity, data centre), redundancy groups
(1 of 2, 2 of 3), a few dependency cycles, people (processes, teams, vendors), a capability
hierarchy, uncertain numbers, metrics and initiatives.

| size | elements | links (all) | touchpoints | capabilities |
| ---- | -------- | ----------- | ----------- | ------------ |
| S    | 1,000    | ~5,000      | 200         | 30           |
| M    | 10,000   | ~50,000     | 2,000       | 300          |
| L    | 100,000  | ~500,000    | 10,000      | 1,000        |

Run as a script to print the counts: ``python benchmarks/generate.py M``. Size XL (1,000,000 elements,
5,000,000 links, CMDB-shaped) is written as Parquet tables by ``generate_xl.py``, for :class:`cxgraph.Estate`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

import cxgraph as cx

__all__ = ["SIZES", "Size", "generate"]


@dataclass(frozen=True)
class Size:
    elements: int
    links: int
    touchpoints: int
    capabilities: int
    touchpoints_per_journey: int = 20


SIZES: dict[str, Size] = {
    "S": Size(1_000, 5_000, 200, 30),
    "M": Size(10_000, 50_000, 2_000, 300),
    "L": Size(100_000, 500_000, 10_000, 1_000),
}

# Share of the elements in each layer, top to bottom, then the people side.
LAYERS: list[tuple[str, str, float]] = [
    ("svc", "service", 0.28),
    ("app", "system", 0.26),
    ("dat", "data", 0.10),
    ("plt", "infrastructure", 0.16),
    ("inf", "infrastructure", 0.08),
    ("prc", "process", 0.05),
    ("team", "team", 0.05),
    ("vnd", "vendor", 0.02),
]
HUBS = 12  # shared infrastructure that every platform leans on (network, DNS, identity, data centre, ...)
SEGMENTS = ["retail", "business", "wealth", "public"]
CHANNELS = ["web", "app", "phone", "branch", "email", "post", "chat"]
STRENGTHS = np.array([1.0, 0.8, 0.5, 0.3, 0.2])
STRENGTH_P = np.array([0.70, 0.08, 0.10, 0.07, 0.05])


def _target(dep: Any) -> str:
    return dep if isinstance(dep, str) else dep["element"]


class _Builder:
    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = np.random.default_rng(seed)
        self.domains = max(4, size.elements // 100)
        self.layers: dict[str, list[str]] = {}
        self.domain_of: dict[str, int] = {}
        self.by_layer_domain: dict[tuple[str, int], list[str]] = {}
        self.elements: list[dict[str, Any]] = []
        self.links = 0

    # ------------------------------------------------------------------ helpers
    def strength(self) -> Any:
        s = float(self.rng.choice(STRENGTHS, p=STRENGTH_P))
        if s < 1.0 and self.rng.random() < 0.1:  # a few strengths are only known as a range
            return {"low": round(s * 0.5, 3), "high": round(min(1.0, s * 1.5), 3)}
        return s

    def pick(self, layer: str, domain: int, n: int, cross: float = 0.1) -> list[str]:
        """``n`` distinct elements of ``layer``: from ``domain`` mostly, another domain now and then."""
        out: list[str] = []
        for _ in range(n * 3):
            if len(out) == n:
                break
            d = int(self.rng.integers(self.domains)) if self.rng.random() < cross else domain
            pool = self.by_layer_domain.get((layer, d)) or self.layers[layer]
            cand = pool[int(self.rng.integers(len(pool)))]
            if cand not in out:
                out.append(cand)
        return out

    def deps(self, targets: list[str], redundant: bool) -> tuple[list[Any], dict[str, int]]:
        """Links to ``targets``; when ``redundant`` the last 2 or 3 form a group of alternatives."""
        deps: list[Any] = []
        needs: dict[str, int] = {}
        group_from = len(targets)
        if redundant and len(targets) >= 2:
            group_from = len(targets) - (3 if len(targets) >= 3 and self.rng.random() < 0.4 else 2)
            if len(targets) - group_from == 3 and self.rng.random() < 0.5:
                needs["ha"] = 2
        for i, target in enumerate(targets):
            if i >= group_from:
                deps.append({"element": target, "group": "ha"})
            else:
                s = self.strength()
                deps.append(target if s == 1.0 else {"element": target, "strength": s})
        self.links += len(deps)
        return deps, needs

    # ------------------------------------------------------------------ layers
    def make_elements(self) -> None:
        n = self.size.elements
        counts = [round(share * n) for _, _, share in LAYERS]
        counts[0] += n - sum(counts)
        for (prefix, _kind, _), count in zip(LAYERS, counts, strict=True):
            ids = [f"{prefix}-{i:06d}" for i in range(count)]
            self.layers[prefix] = ids
            for i, eid in enumerate(ids):
                dom = i * self.domains // max(count, 1)
                self.domain_of[eid] = dom
                self.by_layer_domain.setdefault((prefix, dom), []).append(eid)
        owners = self.layers["team"] + self.layers["vnd"]
        # links per element so that the whole model has about size.links links
        infra = len(self.layers["inf"])
        dependents = n - len(self.layers["team"]) - len(self.layers["vnd"]) - infra
        per = max(1.0, (self.size.links - 2.6 * self.size.touchpoints - 2.0 * infra) / dependents)
        below = {"svc": ["app", "svc"], "app": ["dat", "plt", "app"], "dat": ["plt"], "plt": ["inf"],
                 "inf": [], "prc": ["team", "app"], "team": [], "vnd": []}
        weights = {"svc": [0.85, 0.15], "app": [0.35, 0.55, 0.10], "dat": [1.0], "plt": [1.0], "inf": [1.0],
                   "prc": [0.5, 0.5]}
        hubs = self.layers["inf"][:HUBS]
        for prefix, kind, _ in LAYERS:
            for eid in self.layers[prefix]:
                dom = self.domain_of[eid]
                targets: list[str] = []
                if below[prefix]:
                    k = 1 + int(self.rng.poisson(per - 1.0))
                    for _ in range(3 * k):
                        if len(targets) >= k:
                            break
                        layer = below[prefix][int(self.rng.choice(len(below[prefix]), p=weights[prefix]))]
                        for t in self.pick(layer, dom, 1):
                            if t != eid and t not in targets and not self._upward(eid, t):
                                targets.append(t)
                if prefix == "plt":  # every platform leans on one or two shared hubs
                    for hub in self.rng.choice(hubs, size=int(self.rng.integers(1, 3)), replace=False):
                        if str(hub) not in targets:
                            targets.append(str(hub))
                if prefix == "inf":  # servers, storage, network segments: on the hubs, seldom on each other
                    pool = hubs[: hubs.index(eid)] if eid in hubs else hubs
                    for hub in self.rng.choice(pool, size=min(len(pool), int(self.rng.integers(0 if eid in hubs
                                               else 1, 3))), replace=False):
                        targets.append(str(hub))
                    if eid not in hubs and self.rng.random() < 0.3:
                        targets += [t for t in self.pick("inf", dom, 1, cross=0.0)
                                    if t not in hubs and t < eid and t not in targets]
                redundant = prefix in ("svc", "app", "plt") and self.rng.random() < 0.12
                deps, needs = self.deps(targets, redundant)
                element: dict[str, Any] = {"id": eid, "name": f"{kind.title()} {eid}", "kind": kind}
                if deps:
                    element["depends_on"] = deps
                if needs:
                    element["needs"] = needs
                if kind not in ("team", "vendor"):
                    element["owner"] = owners[int(self.rng.integers(len(owners)))]
                self.elements.append(element)
        self.add_cycles()

    def _upward(self, source: str, target: str) -> bool:
        """Within one layer, links only go to a lower-numbered element (no accidental cycles)."""
        return source.split("-")[0] == target.split("-")[0] and target > source

    def add_cycles(self) -> None:
        """A few mutual dependencies (a cycle each): a service that calls back one of the services it uses."""
        by_id = {e["id"]: e for e in self.elements}
        callers = [e for e in self.elements if e["kind"] == "service"
                   and any(_target(d).startswith("svc-") for d in e.get("depends_on", []))]
        for i in self.rng.choice(len(callers), size=min(len(callers), max(3, self.size.elements // 2000)),
                                 replace=False):
            caller = callers[int(i)]
            callee = by_id[next(_target(d) for d in caller["depends_on"] if _target(d).startswith("svc-"))]
            if caller["id"] not in {_target(d) for d in callee.get("depends_on", [])}:
                callee.setdefault("depends_on", []).append({"element": caller["id"], "strength": 0.5})
                self.links += 1

    # ------------------------------------------------------------------ customer side
    def make_journeys(self) -> list[dict[str, Any]]:
        journeys = []
        per = self.size.touchpoints_per_journey
        n_journeys = max(1, self.size.touchpoints // per)
        services = self.layers["svc"]
        processes = self.layers["prc"]
        teams = self.layers["team"]
        t = 0
        for j in range(n_journeys):
            dom = int(self.rng.integers(self.domains))
            customers: Any = int(self.rng.lognormal(9, 1.2))
            if self.rng.random() < 0.2:
                customers = {"low": int(customers * 0.7), "mode": customers, "high": int(customers * 1.4)}
            journey: dict[str, Any] = {
                "id": f"jrn-{j:05d}", "name": f"Journey {j}", "segment": SEGMENTS[j % len(SEGMENTS)],
                "customers": customers, "revenue": round(float(self.rng.lognormal(11, 1.0)), 2),
                "stages": [{"id": f"jrn-{j:05d}-s{s}", "name": f"Stage {s}"} for s in range(3)],
                "touchpoints": [],
            }
            count = per if j < n_journeys - 1 else self.size.touchpoints - t
            for i in range(count):
                targets = self.pick("svc", dom, int(self.rng.integers(1, 4)), cross=0.2)
                if self.rng.random() < 0.15:
                    targets.append(processes[int(self.rng.integers(len(processes)))])
                if self.rng.random() < 0.10:
                    team = teams[int(self.rng.integers(len(teams)))]
                    if team not in targets:
                        targets.append(team)
                redundant = self.rng.random() < 0.08 and len(targets) >= 2
                deps, needs = self.deps(targets, redundant)
                if redundant and not needs and self.rng.random() < 0.3:
                    alt = services[int(self.rng.integers(len(services)))]
                    if alt not in targets:
                        deps.append({"element": alt, "group": "ha"})
                        self.links += 1
                tp: dict[str, Any] = {
                    "id": f"tp-{t:06d}", "name": f"Touchpoint {t}", "stage": f"jrn-{j:05d}-s{min(2, i * 3 // count)}",
                    "channel": CHANNELS[int(self.rng.integers(len(CHANNELS)))],
                    "reach": round(float(self.rng.uniform(0.2, 1.0)), 3),
                    "importance": float(self.rng.choice([0.5, 1.0, 1.0, 1.5, 2.0])), "depends_on": deps,
                }
                if needs:
                    tp["needs"] = needs
                journey["touchpoints"].append(tp)
                t += 1
            journeys.append(journey)
        return journeys

    def make_capabilities(self) -> list[dict[str, Any]]:
        caps = []
        n = self.size.capabilities
        top = max(3, n // 10)
        realisers = self.layers["svc"] + self.layers["app"] + self.layers["dat"] + self.layers["plt"]
        for c in range(n):
            cap: dict[str, Any] = {"id": f"cap-{c:05d}", "name": f"Capability {c}"}
            if c >= top:
                cap["parent"] = f"cap-{int(self.rng.integers(c if c < 3 * top else 3 * top)):05d}"
                dom = int(self.rng.integers(self.domains))
                realized: list[str] = []
                for layer in ("svc", "app", "dat", "plt"):
                    realized += self.pick(layer, dom, int(self.rng.integers(1, 4)), cross=0.05)
                if self.rng.random() < 0.1:
                    realized.append(realisers[int(self.rng.integers(len(realisers)))])
                cap["realized_by"] = list(dict.fromkeys(realized))
            cap["effort"] = float(self.rng.choice([1, 2, 3, 5, 8]))
            caps.append(cap)
        return caps

    def make_metrics(self, journeys: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        metrics: list[dict[str, Any]] = []
        tps = [tp["id"] for j in journeys for tp in j["touchpoints"]]
        for i, tp in enumerate(tps[:: max(1, len(tps) // (len(tps) // 4 or 1))]):
            actual = round(float(self.rng.uniform(2.0, 4.6)), 2)
            metric: dict[str, Any] = {"id": f"csat-{i:06d}", "name": f"CSAT at {tp}", "of": tp, "actual": actual,
                                      "target": 4.5, "better": "higher", "ideal": 5, "unit": "1-5"}
            if self.rng.random() < 0.2:
                metric["actual"] = {"low": round(actual - 0.3, 2), "high": round(actual + 0.3, 2)}
            metrics.append(metric)
        systems = self.layers["app"] + self.layers["svc"]
        for i, eid in enumerate(systems[:: 10]):
            metrics.append({"id": f"avail-{i:06d}", "name": f"Availability of {eid}", "of": eid,
                            "actual": round(float(self.rng.uniform(98.0, 99.99)), 3), "target": 99.9,
                            "better": "higher", "ideal": 100, "unit": "%"})
        initiatives: list[dict[str, Any]] = []
        for i, start in enumerate(range(0, len(metrics), 8)):
            chosen = metrics[start: start + int(self.rng.integers(1, 4))]
            ini: dict[str, Any] = {
                "id": f"ini-{i:05d}", "name": f"Initiative {i}",
                "cost": {"low": 40_000.0, "high": 90_000.0} if self.rng.random() < 0.2
                else float(self.rng.integers(1, 50) * 10_000),
                "improves": [{"metric": m["id"], "to": m["target"]} for m in chosen],
            }
            if i and self.rng.random() < 0.1:
                ini["requires"] = [f"ini-{int(self.rng.integers(i)):05d}"]
            initiatives.append(ini)
        return metrics, initiatives


def generate(size: str, seed: int = 0) -> cx.Model:
    """Return the synthetic model of ``size`` ("S", "M" or "L"), the same for the same seed."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: use one of {', '.join(SIZES)}")
    builder = _Builder(SIZES[size], seed)
    builder.make_elements()
    journeys = builder.make_journeys()
    capabilities = builder.make_capabilities()
    metrics, initiatives = builder.make_metrics(journeys)
    document = {
        "cxgraph": 1, "name": f"Synthetic enterprise {size} (seed {seed})", "period": "month",
        "journeys": journeys, "elements": builder.elements, "capabilities": capabilities,
        "metrics": metrics, "initiatives": initiatives,
    }
    model = cx.Model.model_validate(document)
    model.check()
    return model


if __name__ == "__main__":
    for name in sys.argv[1:] or ["S"]:
        m = generate(name)
        links = sum(len(x.depends_on) for x in [*m.touchpoints, *m.elements])
        print(name, m, f"{links} links")
