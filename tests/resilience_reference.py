"""A slow, obvious reference for DESIGN.md section 3 "Disruption over time and impact tolerance", for tests only.

Written from the text alone: the elements a scenario fails, each one's recovery time, the
journey loss ``jloss_tau`` at every moment the set of failed elements changes (each moment
propagated from scratch with :func:`tests.reference.degradation`), the disruption time as
the first such moment with ``jloss_tau <= L``, and customers harmed as the exact integral of
the step function. It shares no code with ``cxgraph.analysis``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cxgraph as cx
from cxgraph.model import point

from . import reference

__all__ = ["HOURS", "JourneyOutcome", "failed_elements", "journey_losses", "outcome", "recovery_times"]

HOURS = {"hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.5, "quarter": 2191.5, "year": 8766.0}


@dataclass(frozen=True)
class JourneyOutcome:
    disruption_hours: float
    breach: bool
    customers_harmed: float
    max_loss: float
    steps: list[tuple[float, float]]  # (from hour, jloss from that hour on)


def _matches(element: cx.Element, where: object) -> bool:
    tag = getattr(where, "tag", None)
    kind = getattr(where, "kind", None)
    owner = getattr(where, "owner", None)
    prop = getattr(where, "property", None) or {}
    ok = True
    if tag is not None:
        ok = ok and tag in element.tags
    if kind is not None:
        ok = ok and element.kind == kind
    if owner is not None:
        ok = ok and element.owner == owner
    for key, value in prop.items():
        have = element.properties.get(key, None)
        if isinstance(have, bool):
            have = "true" if have else "false"
        elif isinstance(have, float) and have == int(have):
            have = str(int(have))
        ok = ok and key in element.properties and str(have) == str(value)
    return ok


def failed_elements(model: cx.Model, scenario: object) -> set[str]:
    """F: the elements listed by id plus every element the selector picks."""
    out = set(getattr(scenario, "fail", []) or [])
    where = getattr(scenario, "fail_where", None)
    if where is not None:
        out |= {e.id for e in model.elements if _matches(e, where)}
    return out


def recovery_times(model: cx.Model, scenario: object) -> dict[str, float]:
    """recovery(x) for every x in F: the scenario's hours, else the element's recovery_hours."""
    hours = getattr(scenario, "hours", {}) or {}
    elements = {e.id: e for e in model.elements}
    out = {}
    for x in failed_elements(model, scenario):
        value = hours.get(x, elements[x].recovery_hours)
        assert value is not None, f"{x} has no recovery time"
        out[x] = float(point(value))
    return out


def journey_losses(model: cx.Model, failed: set[str]) -> dict[str, float]:
    """jloss(j) = 1 - product over required touchpoints t of j of (1 - reach(t) * d(t)).

    Summed as logarithms (``-expm1(sum log1p(-x))``) so that a tiny loss is not rounded away.
    """
    d = reference.degradation(model, dict.fromkeys(failed, 1.0))
    out = {}
    for journey in model.journeys:
        shares = [point(tp.reach) * d[tp.id] for tp in journey.touchpoints if tp.required]
        out[journey.id] = 1.0 if any(x >= 1.0 for x in shares) else -math.expm1(sum(math.log1p(-x) for x in shares))
    return out


def outcome(model: cx.Model, scenario: object) -> dict[str, JourneyOutcome]:
    """Disruption time, breach, customers harmed and the largest loss of every journey under one scenario."""
    recovery = recovery_times(model, scenario)
    moments = sorted({0.0, *recovery.values()})
    losses = [journey_losses(model, {x for x, r in recovery.items() if r > tau}) for tau in moments]
    period_hours = HOURS[model.period]
    out = {}
    for journey in model.journeys:
        tol = journey.tolerance
        limit = float(point(tol.loss)) if tol is not None else 0.0
        first = next(tau for tau, loss in zip(moments, losses, strict=True) if loss[journey.id] <= limit)
        area = 0.0
        for i, tau in enumerate(moments[:-1]):
            area += losses[i][journey.id] * (moments[i + 1] - tau)
        harmed = point(journey.customers) * point(journey.importance) / period_hours * area
        breach = tol is not None and first > float(point(tol.hours))
        out[journey.id] = JourneyOutcome(
            disruption_hours=first, breach=breach, customers_harmed=harmed,
            max_loss=max(loss[journey.id] for loss in losses),
            steps=[(tau, loss[journey.id]) for tau, loss in zip(moments, losses, strict=True)])
    assert all(math.isfinite(o.customers_harmed) for o in out.values())
    return out
