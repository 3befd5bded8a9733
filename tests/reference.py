"""A deliberately simple reference implementation of DESIGN.md section 3, for tests only.

It reads the model objects directly, computes a group's loss by enumerating every
combination of surviving links (no Poisson-binomial recursion), and iterates the whole
system at once (Jacobi) from ``d = a`` until no value moves by more than 1e-15. It shares
no code with ``cxgraph.engine``; slow on purpose and obvious to check against the text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import cxgraph as cx
from cxgraph.model import point

__all__ = ["NotConverged", "capability_elements", "degradation", "impact", "journey_loss", "loss",
           "touchpoint_weights"]

TOL = 1e-15
MAX_ITERATIONS = 20_000


class NotConverged(Exception):
    """The iteration did not settle within MAX_ITERATIONS (a nearly critical cycle)."""


def _groups(item: cx.Touchpoint | cx.Element) -> list[tuple[int, list[tuple[str, float]]]]:
    """The item's groups as (k, [(element id, strength), ...]); a link without a group is its own group."""
    out: list[tuple[int, list[tuple[str, float]]]] = []
    named: dict[str, list[tuple[str, float]]] = {}
    for dep in item.depends_on:
        if dep.group is None:
            out.append((1, [(dep.element, point(dep.strength))]))
        else:
            named.setdefault(dep.group, []).append((dep.element, point(dep.strength)))
    for name, links in named.items():
        out.append((item.needs.get(name, 1), links))
    return out


def group_loss(k: int, losses: list[float]) -> float:
    """P(fewer than k links survive), link l surviving with probability 1 - losses[l]: by enumeration."""
    total = 0.0
    for pattern in itertools.product((True, False), repeat=len(losses)):
        prob = 1.0
        for survives, q in zip(pattern, losses, strict=True):
            prob *= (1.0 - q) if survives else q
        if sum(pattern) < k:
            total += prob
    return total


def degradation(model: cx.Model, initial: Mapping[str, float]) -> dict[str, float]:
    """d(u) for every touchpoint and element: the least fixed point, iterated from d = a."""
    items = [*model.touchpoints, *model.elements]
    groups = {item.id: _groups(item) for item in items}
    a = {item.id: 0.0 for item in items}
    for key, level in initial.items():
        a[key] = max(a[key], level)
    d = dict(a)
    for _ in range(MAX_ITERATIONS):
        new = {}
        for item in items:
            survive = 1.0 - a[item.id]
            for k, links in groups[item.id]:
                survive *= 1.0 - group_loss(k, [s * d[v] for v, s in links])
            new[item.id] = 1.0 - survive
        change = max((abs(new[u] - d[u]) for u in d), default=0.0)
        d = new
        if change <= TOL:
            return d
    raise NotConverged(f"no convergence after {MAX_ITERATIONS} iterations")


def touchpoint_weights(model: cx.Model, weight: str | Mapping[str, float] = "interactions") -> dict[str, float]:
    """weight(t) = customers(j) x importance(j) x reach(t) x importance(t), or the mapping given."""
    if not isinstance(weight, str):
        return {tp.id: float(weight.get(tp.id, 0.0)) for tp in model.touchpoints}
    out = {}
    for journey in model.journeys:
        base = point(journey.customers) * point(journey.importance)
        for tp in journey.touchpoints:
            out[tp.id] = base * point(tp.reach) * point(tp.importance)
    return out


def journey_loss(journey: cx.Journey, d: dict[str, float]) -> float:
    """jloss(j) = 1 - product over required touchpoints t of (1 - reach(t) d(t)), literally."""
    survive = 1.0
    for tp in journey.touchpoints:
        if tp.required:
            survive *= 1.0 - point(tp.reach) * d[tp.id]
    return 1.0 - survive


def loss(model: cx.Model, d: dict[str, float], measure: str | Mapping[str, float] = "interactions") -> float:
    """The loss of DESIGN §3 in one of the three measures (or a mapping of touchpoint weights), given d."""
    if measure == "customers":
        return sum(point(j.customers) * point(j.importance) * journey_loss(j, d) for j in model.journeys)
    if measure == "revenue":
        return sum(point(j.revenue) * journey_loss(j, d) for j in model.journeys)
    w = touchpoint_weights(model, measure)
    return sum(w[t.id] * d[t.id] for t in model.touchpoints)


def capability_elements(model: cx.Model, capability: str) -> set[str]:
    """Elements realising the capability or any of its descendants."""
    caps = {c.id: c for c in model.capabilities}
    out: set[str] = set()
    todo = [capability]
    while todo:
        cid = todo.pop()
        out.update(caps[cid].realized_by)
        todo.extend(c.id for c in model.capabilities if c.parent == cid)
    return out


def impact(model: cx.Model, failed: Iterable[str], weight: str | Mapping[str, float] = "interactions"
           ) -> tuple[float, int, int, dict[str, float]]:
    """(impact, touchpoints with d > 0, journeys with such a touchpoint, d) when every id in ``failed`` fails."""
    d = degradation(model, dict.fromkeys(failed, 1.0))
    total = loss(model, d, weight)
    touched = [t.id for t in model.touchpoints if d[t.id] > 0]
    journeys = {j.id for j in model.journeys for t in j.touchpoints if d[t.id] > 0}
    return total, len(touched), len(journeys), d
