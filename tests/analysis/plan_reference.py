"""A slow, independent reference for plans: every subset of initiatives, scored from first principles."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import cxgraph as cx
from cxgraph.model import point
from tests import reference

HOURS_PER_YEAR = 8766.0


@dataclass(frozen=True)
class Reference:
    chosen: tuple[str, ...]
    cost: float
    benefit: float


def gap(value: float, target: float, ideal: float) -> float:
    """DESIGN §3: the share of today's distance from ideal that lies beyond the target."""
    far, goal = abs(ideal - value), abs(ideal - target)
    return 0.0 if far == 0 else min(1.0, max(0.0, (far - goal) / far))


def ideal_of(metric: cx.Metric) -> float:
    return 0.0 if metric.ideal is None else point(metric.ideal)


def unavailability(element: cx.Element) -> float:
    if element.availability is not None:
        return 1.0 - point(element.availability)
    if element.failures_per_year is not None:
        return min(1.0, point(element.failures_per_year) * point(element.recovery_hours) / HOURS_PER_YEAR)
    return 0.0


def expected_loss(model: cx.Model) -> float:
    """E[loss(F)] by enumerating every failure set, with the literal reference propagation."""
    q = {e.id: unavailability(e) for e in model.elements}
    risky = sorted(e for e, v in q.items() if v > 0)
    total = 0.0
    for r in range(len(risky) + 1):
        for down in itertools.combinations(risky, r):
            p = math.prod(q[e] if e in down else 1.0 - q[e] for e in risky)
            if p > 0:
                d = reference.degradation(model, dict.fromkeys(down, 1.0))
                total += p * reference.loss(model, d)
    return total


def pain_of(model: cx.Model, values: dict[str, float]) -> float:
    exposure = reference.touchpoint_weights(model)
    if any(m.of not in exposure for m in model.metrics):
        for e in model.elements:
            exposure[e.id] = reference.impact(model, {e.id})[0]
    worst: dict[str, float] = {}
    for m in model.metrics:
        worst[m.of] = max(worst.get(m.of, 0.0), gap(values[m.id], point(m.target), ideal_of(m)))
    return math.fsum(exposure[h] * g for h, g in worst.items())


def burden(model: cx.Model, chosen: set[str]) -> float:
    """total_pain + expected_loss of the model with ``chosen`` applied (structure first, then metric values)."""
    inits = {i.id: i for i in model.initiatives}
    structural = sorted(i for i in chosen if inits[i].structural)
    changed = cx.model.apply_initiatives(model, structural) if structural else model
    values = {m.id: point(m.actual) for m in model.metrics}
    better = {m.id: m.better for m in model.metrics}
    for mid in values:
        offered = [point(imp.to) for i in chosen for imp in inits[i].improves if imp.metric == mid]
        if offered:
            values[mid] = max(offered) if better[mid] == "higher" else min(offered)
    return pain_of(changed, values) + expected_loss(changed)


def brute_force_plan(model: cx.Model, budget: float) -> Reference:
    """The plan DESIGN.md defines, by scoring every subset of initiatives."""
    inits = {i.id: i for i in model.initiatives}
    now = burden(model, set())
    tol = 1e-9 * max(1.0, now)
    cost_tol = 1e-9 * max(1.0, math.fsum(point(i.cost) for i in model.initiatives))
    best: tuple[float, float, list[str]] | None = None
    for r in range(len(inits) + 1):
        for subset in itertools.combinations(sorted(inits), r):
            chosen = set(subset)
            if any(req not in chosen for i in chosen for req in inits[i].requires):
                continue
            cost = math.fsum(point(inits[i].cost) for i in chosen)
            if sum((Fraction(point(inits[i].cost)) for i in chosen), Fraction(0)) > Fraction(budget):
                continue   # the budget is a hard limit, compared exactly
            value = burden(model, chosen)
            key = (value, cost, sorted(chosen))
            better_value = best is None or value < best[0] - tol
            tie_value = best is not None and value <= best[0] + tol
            better_cost = best is not None and cost < best[1] - cost_tol
            tie_cost = best is not None and cost <= best[1] + cost_tol
            if better_value or (tie_value and (better_cost or (tie_cost and key[2] < best[2]))):
                best = key
    assert best is not None  # the empty set is always feasible
    return Reference(tuple(best[2]), best[1], now - best[0])
