"""cx.single_points_of_failure: singles, order-2 cut sets (checked against an exhaustive search), limits."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

import cxgraph as cx
from tests import reference
from tests.strategies import models

LOST = 1 - 1e-12


def cluster() -> cx.Model:
    # t1 needs 2 of {n1, n2, n3}; t2 needs app, which needs one of {db-a, db-b}; t3 needs app at strength 0.5
    return cx.loads("""
cxgraph: 1
journeys:
  - id: j
    name: J
    customers: 100
    touchpoints:
      - {id: t1, name: T1, needs: {q: 2}, depends_on: [{element: n1, group: q}, {element: n2, group: q},
                                                       {element: n3, group: q}]}
      - {id: t2, name: T2, reach: 0.5, depends_on: [app]}
      - {id: t3, name: T3, depends_on: [{element: app, strength: 0.5}]}
elements:
  - {id: n1, name: N1, kind: infrastructure}
  - {id: n2, name: N2, kind: infrastructure}
  - {id: n3, name: N3, kind: infrastructure}
  - {id: app, name: App, kind: system, owner: ops,
     depends_on: [{element: db-a, group: db}, {element: db-b, group: db}]}
  - {id: db-a, name: DB A, kind: data}
  - {id: db-b, name: DB B, kind: data}
  - {id: ops, name: Ops, kind: team}
""")


def test_singles_respect_redundancy() -> None:
    r = cx.single_points_of_failure(cluster())
    frame = r.to_frame()
    # only app loses a touchpoint alone (t2, weight 100 x 0.5 = 50); t3 is only half lost
    assert frame.values.tolist() == [["app", "App", "system", "ops", ["t2"], 50.0]]


def test_pairs_are_the_order_two_cut_sets() -> None:
    r = cx.single_points_of_failure(cluster())
    pairs = r.pairs.values.tolist()
    # any two of n1, n2, n3 leave one of three where two are needed: t1 (100); db-a with db-b lose t2 (50)
    assert pairs == [["n1", "n2", ["t1"], 100.0], ["n1", "n3", ["t1"], 100.0], ["n2", "n3", ["t1"], 100.0],
                     ["db-a", "db-b", ["t2"], 50.0]]
    assert r.pairs_searched
    assert "7 elements" in r.note and "4 found" in r.note


def test_pairs_are_skipped_above_the_limit() -> None:
    r = cx.single_points_of_failure(cluster(), max_pair_elements=5)
    assert not r.pairs_searched
    assert r.pairs.empty
    assert r.note == ("order-2 cut sets not searched: the model has 7 elements, above the limit of 5 "
                      "(pass max_pair_elements=7 to search anyway)")
    with pytest.raises(cx.AnalysisInputError):
        cx.single_points_of_failure(cluster(), max_pair_elements=-1)


def test_result_serialises() -> None:
    r = cx.single_points_of_failure(cx.examples.load("telecom"))
    data = r.to_dict()
    assert data["single"][0]["touchpoints"]
    assert '"pairs_searched": true' in r.to_json()


@settings(max_examples=30, deadline=None)
@given(model=models(max_elements=6, max_capabilities=0))
def test_singles_and_pairs_equal_an_exhaustive_search(model: cx.Model) -> None:
    r = cx.single_points_of_failure(model)
    weights = reference.touchpoint_weights(model)
    ids = [e.id for e in model.elements]

    def lost(failed: tuple[str, ...]) -> set[str]:
        d = reference.degradation(model, dict.fromkeys(failed, 1.0))
        return {t.id for t in model.touchpoints if d[t.id] >= LOST}

    alone = {x: lost((x,)) for x in ids}
    order = {t.id: i for i, t in enumerate(model.touchpoints)}
    expected_single = sorted(
        ([x, sorted(alone[x], key=order.get), sum(weights[t] for t in alone[x])] for x in ids if alone[x]),
        key=lambda row: (-row[2], row[0]))
    got_single = r.to_frame()[["element", "touchpoints", "loss"]].values.tolist()
    assert [row[:2] for row in got_single] == [row[:2] for row in expected_single]
    assert [row[2] for row in got_single] == pytest.approx([row[2] for row in expected_single])
    expected_pairs = {}
    for x, y in itertools.combinations(sorted(ids), 2):
        new = lost((x, y)) - alone[x] - alone[y]
        if new:
            expected_pairs[(x, y)] = sorted(new, key=order.get)
    got_pairs = {(row[0], row[1]): row[2] for row in r.pairs.values.tolist()}
    assert got_pairs == expected_pairs


def test_a_pair_can_feed_a_cycle_that_then_saturates() -> None:
    # u <-> w with strength 1; u also needs one of {x, y}, each at strength 0.5. x alone: G = (0.5 x 1)(0.5 x 0)
    # = 0, nothing reaches the cycle. x and y: G = 0.25, and a strength-1 cycle fed any degradation ends fully
    # lost (d = 0.25 + 0.75 d has d = 1 as its only solution), so t, which needs u, is lost by the pair alone.
    model = cx.loads("""
cxgraph: 1
journeys: [{id: j, name: J, customers: 10, touchpoints: [{id: t, name: T, depends_on: [u]}]}]
elements:
  - {id: u, name: U, kind: system, depends_on: [w, {element: x, group: g, strength: 0.5},
                                                {element: y, group: g, strength: 0.5}]}
  - {id: w, name: W, kind: system, depends_on: [u]}
  - {id: x, name: X, kind: system}
  - {id: y, name: Y, kind: system}
""")
    r = cx.single_points_of_failure(model)
    assert r.to_frame()["element"].tolist() == ["u", "w"]
    assert r.pairs.values.tolist() == [["x", "y", ["t"], 10.0]]
