"""cx.impact: hand-worked cases, monotonicity properties, the result's API, errors."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.model import point
from tests.strategies import models


def one_journey(*touchpoints: dict, customers: float = 1000, elements: list[dict],
                capabilities: list[dict] | None = None) -> cx.Model:
    """A model with one journey of ``customers`` and the given touchpoints (reach and importance 1)."""
    doc = {"cxgraph": 1, "name": "Hand", "journeys": [{"id": "j", "name": "J", "customers": customers,
                                                       "touchpoints": list(touchpoints)}],
           "elements": [{"name": e["id"], "kind": "system", **e} for e in elements],
           "capabilities": capabilities or []}
    return cx.Model.model_validate(doc)


# ---------------------------------------------------------------- hand-worked cases
def test_redundant_pair_of_alternatives() -> None:
    # t needs one of {a, b} (group "pay", k = 1): G = (s_a d_a) * (s_b d_b).
    model = one_journey(
        {"id": "t", "name": "T", "depends_on": [{"element": "a", "group": "pay"},
                                                {"element": "b", "group": "pay", "strength": 0.8}]},
        elements=[{"id": "a"}, {"id": "b"}],
        capabilities=[{"id": "both", "name": "Both", "realized_by": ["a", "b"]}])
    r = cx.impact(model)
    assert r.impact["a"] == 0.0            # 1 x 1 * (0.8 x 0) = 0: b still works
    assert r.impact["b"] == 0.0            # (1 x 0) * 0.8 x 1 = 0: a still works
    assert r.impact["both"] == 800.0       # 1000 x (1 x 1) * (0.8 x 1) = 800
    assert r.touchpoints()["impact"].tolist() == [1000.0]
    # both degraded half-way: G = (1 x 0.5) * (0.8 x 0.5) = 0.2
    assert cx.what_if(model, degrade={"a": 0.5, "b": 0.5}).degradation["t"] == pytest.approx(0.2, abs=1e-15)


def test_two_of_three_cluster() -> None:
    # t needs 2 of {n1, n2, n3}: lost when fewer than 2 of the 3 links survive.
    model = one_journey(
        {"id": "t", "name": "T", "needs": {"q": 2},
         "depends_on": [{"element": f"n{i}", "group": "q"} for i in (1, 2, 3)]},
        elements=[{"id": f"n{i}"} for i in (1, 2, 3)],
        capabilities=[{"id": "n12", "name": "N12", "realized_by": ["n1", "n2"]}])
    r = cx.impact(model)
    assert [r.impact[f"n{i}"] for i in (1, 2, 3)] == [0.0, 0.0, 0.0]   # 2 of 3 still survive
    assert r.impact["n12"] == 1000.0                                      # only n3 survives: 1 < 2
    # degraded by 0.2, 0.3, 0.5: survival p = 0.8, 0.7, 0.5
    # P(0 survive) = 0.2 x 0.3 x 0.5 = 0.03
    # P(1 survives) = 0.8 x 0.3 x 0.5 + 0.2 x 0.7 x 0.5 + 0.2 x 0.3 x 0.5 = 0.12 + 0.07 + 0.03 = 0.22
    # d(t) = 0.03 + 0.22 = 0.25
    d = cx.what_if(model, degrade={"n1": 0.2, "n2": 0.3, "n3": 0.5}).degradation["t"]
    assert d == pytest.approx(0.25, abs=1e-15)


def test_three_of_three_is_an_and_of_its_links() -> None:
    # k = n: G = 1 - product of survivals = 1 - (0.9 x 0.8 x 1) = 0.28
    model = one_journey(
        {"id": "t", "name": "T", "needs": {"q": 3},
         "depends_on": [{"element": f"n{i}", "group": "q"} for i in (1, 2, 3)]},
        elements=[{"id": f"n{i}"} for i in (1, 2, 3)])
    assert cx.impact(model).impact["n2"] == 1000.0
    d = cx.what_if(model, degrade={"n1": 0.1, "n2": 0.2}).degradation["t"]
    assert d == pytest.approx(0.28, abs=1e-15)


def test_cycle_with_strength_half() -> None:
    # a -> x (0.5), a -> b (0.5), b -> a (0.5); t -> a (1), t -> b (1), no groups. x fails:
    #   d(a) = 1 - (1 - 0.5)(1 - 0.5 d(b)),  d(b) = 0.5 d(a)
    #   d(a) = 0.5 + 0.125 d(a)  =>  d(a) = 0.5 / 0.875 = 4/7,  d(b) = 2/7
    #   d(t) = 1 - (1 - 4/7)(1 - 2/7) = 1 - 15/49 = 34/49
    model = one_journey(
        {"id": "t", "name": "T", "depends_on": ["a", "b"]},
        elements=[{"id": "a", "depends_on": [{"element": "x", "strength": 0.5}, {"element": "b", "strength": 0.5}]},
                  {"id": "b", "depends_on": [{"element": "a", "strength": 0.5}]},
                  {"id": "x"}])
    r = cx.what_if(model, fail=["x"])
    assert r.degradation["a"] == pytest.approx(4 / 7, rel=1e-12)
    assert r.degradation["b"] == pytest.approx(2 / 7, rel=1e-12)
    assert cx.impact(model).impact["x"] == pytest.approx(1000 * 34 / 49, rel=1e-12)
    # b fails: d(a) = 1 - (1 - 0.5 x 1) = 0.5; d(t) = 1 - (1 - 0.5)(1 - 1) = 1
    assert cx.impact(model).impact["b"] == pytest.approx(1000.0, rel=1e-12)


def test_cycle_of_full_strength_fed_a_little_goes_all_the_way() -> None:
    # a <-> b with strength 1; a also depends on x with strength 0.001. x fails:
    #   d(a) = 1 - 0.999 (1 - d(b)), d(b) = d(a)  =>  d = 0.001 + 0.999 d  =>  d = 1 (least fixed point)
    model = one_journey(
        {"id": "t", "name": "T", "depends_on": ["b"]},
        elements=[{"id": "a", "depends_on": [{"element": "x", "strength": 0.001}, "b"]},
                  {"id": "b", "depends_on": ["a"]}, {"id": "x"}])
    r = cx.what_if(model, fail=["x"])
    assert r.degradation["t"] == pytest.approx(1.0, abs=1e-14)
    assert r.lost_touchpoints == ["t"]


def test_capability_whose_sub_capability_holds_the_alternative() -> None:
    # t needs one of {primary, standby}; "payments" is realised by primary, its child "payments-dr" by standby.
    model = one_journey(
        {"id": "t", "name": "T", "depends_on": [{"element": "primary", "group": "g"},
                                                {"element": "standby", "group": "g"}]},
        elements=[{"id": "primary"}, {"id": "standby"}],
        capabilities=[{"id": "payments", "name": "Payments", "realized_by": ["primary"]},
                      {"id": "payments-dr", "name": "Payments DR", "parent": "payments", "realized_by": ["standby"]}])
    r = cx.impact(model)
    assert r.impact["primary"] == 0.0
    assert r.impact["payments-dr"] == 0.0    # only the standby fails: the primary carries on
    assert r.impact["payments"] == 1000.0    # primary and (through the child) standby fail: 1000 x 1 x 1


def test_weight_is_customers_times_reach_times_importance() -> None:
    # weight(t) = 2000 x 0.25 x 3 = 1500; strength 0.4: impact = 1500 x 0.4 = 600
    model = one_journey({"id": "t", "name": "T", "reach": 0.25, "importance": 3,
                         "depends_on": [{"element": "a", "strength": 0.4}]},
                        customers=2000, elements=[{"id": "a"}])
    r = cx.impact(model)
    assert r.impact["a"] == pytest.approx(600.0, rel=1e-15)
    assert r.impact["t"] == 1500.0
    assert r.touchpoint_weight == {"t": 1500.0}


def test_uncertain_numbers_use_their_point_value() -> None:
    # customers {low 1000, high 3000}: midpoint 2000; strength {low 0.2, mode 0.5, high 0.9}: mode 0.5
    model = one_journey({"id": "t", "name": "T", "depends_on": [{"element": "a",
                                                                  "strength": {"low": 0.2, "mode": 0.5, "high": 0.9}}]},
                        customers={"low": 1000, "high": 3000}, elements=[{"id": "a"}])
    assert cx.impact(model).impact["a"] == 1000.0


def test_revenue_and_custom_weights() -> None:
    model = one_journey({"id": "t", "name": "T", "depends_on": [{"element": "a", "strength": 0.5}]},
                        elements=[{"id": "a"}])
    model.journeys[0].revenue = 40_000
    r = cx.impact(model, measure="revenue")
    assert (r.impact["a"], r.unit, r.measure) == (20_000.0, "revenue / month", "revenue")   # 40000 x 0.5
    r = cx.impact(model, measure={"t": 10})
    assert (r.impact["a"], r.measure) == (5.0, "weight")


def test_revenue_is_counted_once_per_journey_not_per_touchpoint() -> None:
    # Two required touchpoints of one journey on one element: interactions count both, the funnel once.
    model = cx.loads('''
cxgraph: 1
currency: EUR
journeys:
  - id: buy
    name: Buy
    customers: 1000
    revenue: 50000
    importance: 2
    touchpoints:
      - {id: browse, name: Browse, reach: 0.5, depends_on: [shop]}
      - {id: pay, name: Pay, depends_on: [shop]}
      - {id: review, name: Review, required: false, depends_on: [shop]}
elements:
  - {id: shop, name: Shop, kind: system}
''')
    assert cx.impact(model).impact["shop"] == 2000 * (0.5 + 1 + 1)        # journey importance 2
    assert cx.impact(model, measure="customers").impact["shop"] == 2000.0  # 1000 x 2 x (1 - 0.5 x 0)
    revenue = cx.impact(model, measure="revenue")
    assert revenue.impact["shop"] == 50_000.0 and revenue.unit == "EUR / month"


# ---------------------------------------------------------------- properties
@settings(max_examples=30, deadline=None)
@given(model=models(), data=st.data())
def test_raising_a_strength_never_lowers_impact(model: cx.Model, data: st.DataObject) -> None:
    holders = [x for x in [*model.touchpoints, *model.elements] if x.depends_on]
    if not holders:
        return
    before = cx.impact(model).impact
    holder = data.draw(st.sampled_from(holders))
    dep = data.draw(st.sampled_from(holder.depends_on))
    dep.strength = data.draw(st.floats(point(dep.strength), 1.0))
    after = cx.impact(model).impact
    for key, value in before.items():
        assert after[key] >= value - 1e-9 * max(1.0, value), key


@settings(max_examples=30, deadline=None)
@given(model=models(), data=st.data())
def test_raising_needs_never_lowers_impact(model: cx.Model, data: st.DataObject) -> None:
    options = []
    for holder in [*model.touchpoints, *model.elements]:
        sizes: dict[str, int] = {}
        for dep in holder.depends_on:
            if dep.group is not None:
                sizes[dep.group] = sizes.get(dep.group, 0) + 1
        options += [(holder, g) for g, n in sizes.items() if holder.needs.get(g, 1) < n]
    if not options:
        return
    before = cx.impact(model).impact
    holder, group = data.draw(st.sampled_from(options))
    holder.needs = {**holder.needs, group: holder.needs.get(group, 1) + 1}
    after = cx.impact(model).impact
    for key, value in before.items():
        assert after[key] >= value - 1e-9 * max(1.0, value), key


@settings(max_examples=40, deadline=None)
@given(model=models())
def test_failed_element_loses_at_least_its_sole_full_strength_dependents(model: cx.Model) -> None:
    result = cx.impact(model)
    weights = result.touchpoint_weight
    for element in model.elements:
        sole = [t.id for t in model.touchpoints
                if any(d.element == element.id and d.group is None and point(d.strength) == 1.0 for d in t.depends_on)]
        assert result.impact[element.id] >= sum(weights[t] for t in sole) * (1 - 1e-12)


@settings(max_examples=30, deadline=None)
@given(model=models())
def test_journey_and_segment_splits_sum_to_the_impact(model: cx.Model) -> None:
    r = cx.impact(model)
    for frame in (r.by_journey, r.by_segment):
        assert list(frame.index) == list(r.impact)
        for key, value in r.impact.items():
            assert math.isclose(frame.loc[key].sum(), value, rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------- the result
def test_frame_is_sorted_by_impact_then_id_and_ranks_are_per_type() -> None:
    model = one_journey({"id": "t", "name": "T", "depends_on": ["b", "a", {"element": "c", "strength": 0.5}]},
                        elements=[{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "z"}],
                        capabilities=[{"id": "cap", "name": "Cap", "realized_by": ["c"]}])
    r = cx.impact(model)
    frame = r.to_frame()
    assert list(frame.columns) == ["id", "name", "type", "kind", "impact", "rank", "journeys", "touchpoints"]
    assert frame["id"].tolist() == ["a", "b", "t", "c", "cap", "z"]     # 1000, 1000 (ties by id), 1000, 500, 500, 0
    assert [r.rank[k] for k in ("a", "b", "c", "z", "t", "cap")] == [1, 2, 3, 4, 1, 1]
    assert r.top(2)["id"].tolist() == ["a", "b"]
    assert frame.set_index("id").loc["z", ["journeys", "touchpoints"]].tolist() == [0, 0]
    assert frame.set_index("id").loc["c", ["journeys", "touchpoints"]].tolist() == [1, 1]
    assert r.capabilities()["id"].tolist() == ["cap"]
    assert r.elements(kind="system")["id"].tolist() == ["a", "b", "c", "z"]
    assert r.elements(kind="team").empty


def test_result_is_read_only_and_serialises() -> None:
    r = cx.impact(cx.examples.load("retail-bank"))
    with pytest.raises(TypeError):
        r.impact["crm"] = 0.0
    with pytest.raises(AttributeError):
        r.unit = "x"
    data = json.loads(r.to_json())
    assert {e["id"] for e in data["elements"]} == {i for i, t in zip(r.to_frame()["id"], r.to_frame()["type"],
                                                                       strict=True) if t != "capability"}
    assert all(json.loads(json.dumps(e["impact"])) == r.impact[e["id"]] for e in data["elements"])
    assert "<table" in r._repr_html_()


def test_every_item_is_covered() -> None:
    model = cx.examples.load("telecom")
    r = cx.impact(model)
    expected = {t.id for t in model.touchpoints} | {e.id for e in model.elements} | {c.id for c in model.capabilities}
    assert set(r.impact) == expected


def test_impact_never_changes_the_model() -> None:
    model = cx.examples.load("online-retailer")
    before = model.to_dict()
    cx.impact(model)
    cx.what_if(model, fail=[model.elements[0].id])
    assert model.to_dict() == before


# ---------------------------------------------------------------- errors
def test_revenue_weight_needs_revenue_on_every_journey() -> None:
    model = one_journey({"id": "t", "name": "T", "depends_on": ["a"]}, elements=[{"id": "a"}])
    with pytest.raises(cx.AnalysisInputError, match=r"no revenue on: j \(give those journeys `revenue: 0`"):
        cx.impact(model, measure="revenue")


def test_bad_weights_are_refused() -> None:
    model = one_journey({"id": "checkout", "name": "T", "depends_on": ["a"]}, elements=[{"id": "a"}])
    with pytest.raises(cx.UnknownIdError, match=r"unknown touchpoint 'checkot' \(did you mean 'checkout'\?\)"):
        cx.impact(model, measure={"checkot": 1.0})
    with pytest.raises(cx.UnknownIdError, match="unknown touchpoint 'a'"):
        cx.impact(model, measure={"a": 1.0})   # an element is not a touchpoint
    with pytest.raises(cx.AnalysisInputError, match="finite number >= 0"):
        cx.impact(model, measure={"checkout": -1})
    with pytest.raises(cx.AnalysisInputError, match="unknown measure 'visits'"):
        cx.impact(model, measure="visits")


def test_an_invalid_model_is_reported_not_analysed() -> None:
    model = cx.Model()
    model.add_element("a", "A", kind="system", depends_on=["nowhere"])
    with pytest.raises(cx.ModelError, match="unknown element 'nowhere'"):
        cx.impact(model)
