"""cx.explain: shares, journeys, strongest paths."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.model import point
from tests.strategies import models


def bank() -> cx.Model:
    return cx.loads("""
cxgraph: 1
journeys:
  - id: open
    name: Open
    segment: retail
    customers: 1000
    touchpoints:
      - {id: apply, name: Apply, depends_on: [portal]}
      - {id: verify, name: Verify, depends_on: [{element: kyc, strength: 0.8}]}
  - id: pay
    name: Pay
    segment: business
    customers: 500
    touchpoints:
      - {id: send, name: Send, depends_on: [{element: portal, strength: 0.5}, payments]}
elements:
  - {id: portal, name: Portal, kind: system, depends_on: [{element: core, strength: 0.9}]}
  - {id: kyc, name: KYC, kind: service, depends_on: [{element: core, strength: 0.5}]}
  - {id: payments, name: Payments, kind: system, depends_on: [core]}
  - {id: core, name: Core, kind: system}
capabilities:
  - {id: banking, name: Banking, realized_by: [core]}
""")


def test_shares_journeys_and_paths_by_hand() -> None:
    r = cx.explain(bank(), "core")
    # core fails: portal 0.9, kyc 0.5, payments 1
    # apply: 1000 x 0.9 = 900; verify: 1000 x 0.8 x 0.5 = 400; send: 500 x 1 = 500 (payments is lost)
    tps = r.touchpoints
    assert tps["touchpoint"].tolist() == ["apply", "send", "verify"]
    assert tps["share"].tolist() == pytest.approx([900.0, 500.0, 400.0])
    assert r.impact == pytest.approx(1800.0)
    assert cx.impact(bank()).impact["core"] == r.impact
    assert tps["fraction"].sum() == pytest.approx(1.0)
    journeys = r.journeys
    assert journeys[["journey", "segment", "touchpoints"]].values.tolist() == [["open", "retail", 2],
                                                                               ["pay", "business", 1]]
    assert journeys["share"].tolist() == pytest.approx([1300.0, 500.0])
    # strongest paths: send -> payments -> core (1 x 1) beats send -> portal -> core (0.5 x 0.9)
    assert r.paths[["touchpoint", "path", "strength", "hops"]].values.tolist() == [
        ["send", ["send", "payments", "core"], 1.0, 2],
        ["apply", ["apply", "portal", "core"], 0.9, 2],
        ["verify", ["verify", "kyc", "core"], 0.4, 2],
    ]
    assert (r.type, r.name) == ("element", "Core")


def test_capabilities_and_touchpoints_can_be_explained() -> None:
    r = cx.explain(bank(), "banking")
    assert r.type == "capability" and r.impact == pytest.approx(1800.0)
    t = cx.explain(bank(), "send")
    assert (t.type, t.impact, t.paths["path"].tolist()) == ("touchpoint", 500.0, [["send"]])


def test_unknown_ids() -> None:
    with pytest.raises(cx.UnknownIdError, match="did you mean 'portal'"):
        cx.explain(bank(), "portl")
    with pytest.raises(cx.AnalysisInputError):
        cx.explain(bank(), ["core"])  # type: ignore[arg-type]


def test_serialises() -> None:
    data = cx.explain(bank(), "core").to_dict()
    assert data["path_items"][0]["path_ids"] == ["send", "payments", "core"]
    assert "Why core has an impact of 1,800" in repr(cx.explain(bank(), "core"))


@settings(max_examples=30, deadline=None)
@given(model=models(max_elements=6))
def test_paths_are_the_strongest_and_shares_sum_to_the_impact(model: cx.Model) -> None:
    graph = nx.DiGraph()
    for item in [*model.touchpoints, *model.elements]:
        for dep in item.depends_on:
            graph.add_edge(item.id, dep.element, strength=point(dep.strength))
    impact = cx.impact(model).impact
    for element in model.elements:
        r = cx.explain(model, element.id)
        assert math.isclose(r.touchpoints["share"].sum(), impact[element.id], rel_tol=1e-9, abs_tol=1e-9)
        assert r.impact == impact[element.id]
        degraded = {k for k, v in cx.what_if(model, fail=[element.id]).degradation.items() if v > 0}
        assert set(r.paths["touchpoint"]) == set(r.touchpoints["touchpoint"])
        for row in r.paths.itertuples():
            assert row.path[0] == row.touchpoint and row.path[-1] == element.id
            strength = math.prod(graph.edges[a, b]["strength"] for a, b in itertools.pairwise(row.path))
            assert strength == pytest.approx(row.strength)
            sub = graph.subgraph(degraded)
            best = max((math.prod(sub.edges[a, b]["strength"] for a, b in itertools.pairwise(p))
                        for p in nx.all_simple_paths(sub, row.touchpoint, element.id)), default=None)
            if row.touchpoint != element.id:
                assert row.strength == pytest.approx(best)


def test_paths_of_equal_strength_tie_to_fewer_hops() -> None:
    # 0.1 * 0.2 * 0.15 and 0.2 * 0.1 * 0.15 * 1 are the same product; their sums of logarithms differ in the last bit
    m = cx.loads("""
cxgraph: 1
journeys:
  - {id: j, name: J, customers: 100, touchpoints: [{id: t, name: T, depends_on: [{element: p, strength: 0.1},
                                                                                 {element: r, strength: 0.2}]}]}
elements:
  - {id: p, name: P, kind: system, depends_on: [{element: q, strength: 0.2}]}
  - {id: q, name: Q, kind: system, depends_on: [{element: f, strength: 0.15}]}
  - {id: r, name: R, kind: system, depends_on: [{element: s, strength: 0.1}]}
  - {id: s, name: S, kind: system, depends_on: [{element: w, strength: 0.15}]}
  - {id: w, name: W, kind: system, depends_on: [f]}
  - {id: f, name: F, kind: system}
""")
    row = cx.explain(m, "f").paths.iloc[0]
    assert row["path"] == ["t", "p", "q", "f"] and row["hops"] == 3
    assert row["strength"] == pytest.approx(0.003, rel=1e-12)
