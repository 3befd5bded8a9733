"""A slow, independent reference for plans: every subset of initiatives, scored from first principles."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cxgraph as cx
from cxgraph.model import point


@dataclass(frozen=True)
class Reference:
    chosen: tuple[str, ...]
    cost: float
    benefit: float


def gap(value: float, target: float, better: str) -> float:
    if better == "higher":
        short, base = max(0.0, target - value), abs(target)
    else:
        short, base = max(0.0, value - target), abs(value)
    return 0.0 if base == 0 else min(1.0, short / base)


def pain_of(model: cx.Model, values: dict[str, float], impact: dict[str, float]) -> float:
    exposure = {tp.id: point(j.customers) * point(tp.reach) * point(tp.importance)
                for j in model.journeys for tp in j.touchpoints}
    exposure.update(impact)
    worst: dict[str, float] = {}
    for m in model.metrics:
        worst[m.of] = max(worst.get(m.of, 0.0), gap(values[m.id], point(m.target), m.better))
    return math.fsum(exposure[h] * g for h, g in worst.items())


def brute_force_plan(model: cx.Model, budget: float) -> Reference:
    """The plan DESIGN.md defines, by scoring every subset of initiatives."""
    needs_impact = any(m.of in {e.id for e in model.elements} for m in model.metrics)
    impact = {e.id: v for e, v in zip(model.elements, [0.0] * len(model.elements), strict=True)}
    if needs_impact:
        result = cx.impact(model)
        impact = {e.id: result.impact[e.id] for e in model.elements}
    actual = {m.id: point(m.actual) for m in model.metrics}
    better = {m.id: m.better for m in model.metrics}
    now = pain_of(model, actual, impact)
    inits = {i.id: i for i in model.initiatives}
    pain_tol = 1e-9 * max(1.0, now)
    cost_tol = 1e-9 * max(1.0, math.fsum(point(i.cost) for i in model.initiatives))
    best: tuple[float, float, list[str]] | None = None
    for r in range(len(inits) + 1):
        for subset in itertools.combinations(sorted(inits), r):
            chosen = set(subset)
            if any(req not in chosen for i in chosen for req in inits[i].requires):
                continue
            cost = math.fsum(point(inits[i].cost) for i in chosen)
            if cost > budget + cost_tol:
                continue
            values = dict(actual)
            for mid in values:
                offered = [point(imp.to) for i in chosen for imp in inits[i].improves if imp.metric == mid]
                if offered:
                    values[mid] = max(offered) if better[mid] == "higher" else min(offered)
            pain = pain_of(model, values, impact)
            key = (pain, cost, sorted(chosen))
            better_pain = best is None or pain < best[0] - pain_tol
            tie_pain = best is not None and pain <= best[0] + pain_tol
            better_cost = best is not None and cost < best[1] - cost_tol
            tie_cost = best is not None and cost <= best[1] + cost_tol
            if better_pain or (tie_pain and (better_cost or (tie_cost and key[2] < best[2]))):
                best = key
    assert best is not None  # the empty set is always feasible
    return Reference(tuple(best[2]), best[1], now - best[0])
