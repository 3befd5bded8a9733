"""A slow, independent reference for plans: every subset of initiatives, scored from first principles.

Also the hypothesis strategy of small random portfolios the plan tests use.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from hypothesis import strategies as st

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


@st.composite
def portfolios(draw: st.DrawFn, *, element_metrics: bool = False, max_initiatives: int = 7) -> cx.Model:
    """A small model: touchpoints with metrics, and up to ``max_initiatives`` initiatives over them.

    Values are small integers and halves so that equal benefits are exactly equal and unequal ones
    differ clearly; costs include 0 and repeats so that every tie-break is exercised.
    """
    m = cx.Model(name="Random portfolio")
    n_tp = draw(st.integers(1, 4))
    journey = m.add_journey("j", "J", customers=draw(st.sampled_from([10, 100, 1000])))
    for t in range(n_tp):
        journey.add_touchpoint(f"t{t}", f"T{t}", reach=draw(st.sampled_from([0.5, 1])),
                               importance=draw(st.sampled_from([0.5, 1, 2])),
                               depends_on=["e0"] if element_metrics else [])
    holders = [f"t{t}" for t in range(n_tp)]
    if element_metrics:
        m.add_element("e0", "E0", kind="system", depends_on=[{"element": "e1", "strength": 0.5}])
        m.add_element("e1", "E1", kind="service")
        holders += ["e0", "e1"]
    n_metrics = draw(st.integers(0, 5))
    small = st.sampled_from([-4, -2, -1, 0, 0.5, 1, 2, 3, 4, 5])
    for k in range(n_metrics):
        m.add_metric(f"m{k}", f"M{k}", of=draw(st.sampled_from(holders)), actual=draw(small), target=draw(small),
                     better=draw(st.sampled_from(["higher", "lower"])))
    n_init = draw(st.integers(0, max_initiatives))
    for k in range(n_init):
        improves = []
        if n_metrics:
            for mk in draw(st.lists(st.integers(0, n_metrics - 1), max_size=3)):
                improves.append({"metric": f"m{mk}", "to": draw(small)})
        requires = draw(st.lists(st.sampled_from([f"i{r}" for r in range(k)]), max_size=2, unique=True)) if k else []
        m.add_initiative(f"i{k}", f"I{k}", cost=draw(st.sampled_from([0, 1, 2, 3, 5, 8, 10])), improves=improves,
                         requires=requires)
    return m
