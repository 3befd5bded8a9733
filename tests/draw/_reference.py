"""A slow, obviously-correct reference of DESIGN §3 (degradation and impact), used to check figures.

It iterates the degradation equations to their least fixed point in plain Python, so tests of the
figures do not depend on the engine's implementation details.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cxgraph as cx
from cxgraph.model import point


def _group_lost(probs: list[float], k: int) -> float:
    """P(fewer than k of the links survive), link i surviving with probability probs[i]."""
    lost = 0.0
    n = len(probs)
    for alive in itertools.product([0, 1], repeat=n):
        p = 1.0
        for a, q in zip(alive, probs, strict=True):
            p *= q if a else 1 - q
        if sum(alive) < k:
            lost += p
    return lost


def degradation(model: cx.Model, fail: dict[str, float]) -> dict[str, float]:
    """Degradation of every touchpoint and element when ``fail`` (id -> a) is applied."""
    items = {i.id: i for i in [*model.touchpoints, *model.elements]}
    d = {i: fail.get(i, 0.0) for i in items}
    for _ in range(1000):
        new = {}
        for uid, item in items.items():
            groups: dict[str, list[float]] = {}
            for n, dep in enumerate(item.depends_on):
                key = dep.group if dep.group is not None else f"__solo{n}"
                groups.setdefault(key, []).append(1 - point(dep.strength) * d[dep.element])
            keep = 1 - fail.get(uid, 0.0)
            for key, survive in groups.items():
                k = item.needs.get(key, 1)
                keep *= 1 - _group_lost(survive, k)
            new[uid] = 1 - keep
        if all(abs(new[u] - d[u]) < 1e-13 for u in d):
            return new
        d = new
    return d


def weights(model: cx.Model) -> dict[str, float]:
    return {tp.id: point(j.customers) * point(tp.reach) * point(tp.importance)
            for j in model.journeys for tp in j.touchpoints}


@dataclass
class RefImpact:
    """Stand-in with the attributes of ImpactResult that the figures read."""

    model_name: str
    unit: str
    impact: dict[str, float] = field(default_factory=dict)


def impact(model: cx.Model) -> RefImpact:
    w = weights(model)
    out: dict[str, float] = {}
    for el in model.elements:
        d = degradation(model, {el.id: 1.0})
        out[el.id] = sum(w[t] * d[t] for t in w)
    for t in w:
        out[t] = w[t]
    children: dict[str | None, list[str]] = {}
    for c in model.capabilities:
        children.setdefault(c.parent, []).append(c.id)
    caps = {c.id: c for c in model.capabilities}

    def realisers(cid: str) -> set[str]:
        s = set(caps[cid].realized_by)
        for ch in children.get(cid, []):
            s |= realisers(ch)
        return s

    for c in model.capabilities:
        fail = dict.fromkeys(realisers(c.id), 1.0)
        d = degradation(model, fail) if fail else {}
        out[c.id] = sum(w[t] * d.get(t, 0.0) for t in w)
    return RefImpact(model.name, f"interactions / {model.period}", out)
