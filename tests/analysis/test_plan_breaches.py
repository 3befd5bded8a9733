"""The cheapest set of initiatives that removes every breach: exact, checked against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.analysis._plan_breaches import plan_breaches
from cxgraph.model import apply_initiatives, point

from .. import resilience_reference as ref
from ..conftest import DATA
from ..strategies import resilience_portfolios


def _breaches(model: cx.Model) -> frozenset[tuple[str, str]]:
    out = set()
    for scenario in model.scenarios:
        for jid, o in ref.outcome(model, scenario).items():
            if o.breach:
                out.add((scenario.id, jid))
    return frozenset(out)


def _without_initiatives(model: cx.Model) -> cx.Model:
    model.initiatives = []
    return model


def brute_force(model: cx.Model, budget: float) -> tuple[tuple[str, ...], float, frozenset, frozenset]:
    """Every subset of initiatives closed under requires and within budget, evaluated by the reference."""
    ids = [i.id for i in model.initiatives]
    requires = {i.id: set(i.requires) for i in model.initiatives}
    cost = {i.id: float(point(i.cost)) for i in model.initiatives}
    results = []
    for n in range(len(ids) + 1):
        for subset in itertools.combinations(ids, n):
            chosen = set(subset)
            if any(not requires[i] <= chosen for i in chosen):
                continue
            total = sum(cost[i] for i in chosen)
            if total > budget:
                continue
            after = _breaches(_without_initiatives(apply_initiatives(model, sorted(chosen))) if chosen else model)
            results.append((len(after), total, tuple(sorted(chosen)), after))
    best = min(results, key=lambda r: r[:3])
    never = frozenset.intersection(*(r[3] for r in results))
    return best[2], best[1], best[3], never if best[3] else frozenset()


@pytest.fixture
def worked() -> cx.Model:
    m = cx.load(DATA / "resilience.yaml")
    m.initiatives = [
        cx.Initiative.model_validate({"id": "restore-b", "name": "Faster restore of processor B", "cost": 30,
                                     "sets": [{"element": "psp-b", "recovery_hours": 1}]}),
        cx.Initiative.model_validate({"id": "gateway-direct", "name": "Login-free payments", "cost": 20,
                                     "removes": [{"from": "login", "element": "idp"}]}),
        cx.Initiative.model_validate({"id": "restore-a", "name": "Faster restore of processor A", "cost": 10,
                                     "sets": [{"element": "psp-a", "recovery_hours": 2}]}),
    ]
    return m


def test_worked_example(worked: cx.Model) -> None:
    # Pay breaches (3 h > 2 h). Processor B back at 1 h: disrupted [0, 1) only. Processor A at 2 h: back
    # before B (3 h), ending the disruption at 2 h = the tolerance, not beyond: a breach no more, for less.
    r = plan_breaches(worked)
    assert r.breaches_before == (("north", "pay"),)
    assert (r.chosen, r.cost, r.feasible, r.breaches_after) == (("restore-a",), 10.0, True, ())
    assert r.to_frame()[["scenario", "id", "removed", "removable"]].values.tolist() == [["north", "pay", True, True]]


def test_no_affordable_set(worked: cx.Model) -> None:
    r = plan_breaches(worked, budget=5)
    assert (r.chosen, r.feasible, r.unremovable) == ((), False, (("north", "pay"),))
    assert r.to_dict()["n_breaches_after"] == 1


def test_bad_budget(worked: cx.Model) -> None:
    with pytest.raises(cx.AnalysisInputError, match="budget"):
        plan_breaches(worked, budget=-1)


@settings(max_examples=30)  # each example evaluates every set twice, the reference way and cxgraph's
@given(resilience_portfolios(), st.sampled_from([0, 3, 100]))
def test_equals_brute_force(model: cx.Model, budget: float) -> None:
    chosen, cost, after, never = brute_force(model, budget)
    r = plan_breaches(model, budget=budget)
    assert r.chosen == chosen
    assert r.cost == pytest.approx(cost)
    assert frozenset(r.breaches_after) == after
    assert frozenset(r.unremovable) == never


def test_through_cx_plan(worked: cx.Model) -> None:
    r = cx.plan(worked, objective="breaches", budget=100)
    assert (r.chosen, r.feasible) == (("restore-a",), True)
    assert cx.plan(worked, objective="breaches", scenarios=[]).breaches_before == ()
    with pytest.raises(cx.AnalysisInputError, match="objective"):
        cx.plan(worked, objective="speed", budget=1)
