"""cx.what_if: scenarios, journeys and segments, revenue at risk, lost touchpoints, errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from tests import reference
from tests.strategies import models


def shop() -> cx.Model:
    return cx.loads("""
cxgraph: 1
name: Shop
journeys:
  - id: buy
    name: Buy
    segment: retail
    customers: 1000
    revenue: 50000
    touchpoints:
      - {id: browse, name: Browse, reach: 0.5, depends_on: [{element: shop, strength: 0.5}]}
      - {id: pay, name: Pay, depends_on: [{element: psp-a, group: psp}, {element: psp-b, group: psp}]}
  - id: support
    name: Get support
    customers: 200
    touchpoints:
      - {id: call, name: Call, importance: 2, depends_on: [crm]}
elements:
  - {id: shop, name: Shop, kind: system, depends_on: [crm]}
  - {id: crm, name: CRM, kind: system}
  - {id: psp-a, name: PSP A, kind: vendor}
  - {id: psp-b, name: PSP B, kind: vendor}
capabilities:
  - {id: payments, name: Payments, realized_by: [psp-a, psp-b]}
""")


def test_journeys_segments_and_revenue_at_risk() -> None:
    r = cx.what_if(shop(), fail=["crm"])
    # crm fails: shop d = 1, browse d = 0.5, call d = 1, pay d = 0
    # buy: interactions lost = 1000 x 0.5 x 0.5 = 250 of 1000 x 0.5 + 1000 x 1 = 1500
    #      a funnel: jloss = 1 - (1 - 0.5 x 0.5)(1 - 1 x 0) = 0.25 -> 250 customers, revenue at risk 50000 x 0.25
    # support: 200 x 2 x 1 = 400 interactions of 400; jloss = 1 -> 200 customers; no revenue
    j = r.journeys.set_index("journey")
    assert j.loc["buy", "interactions_lost"] == 250.0
    assert j.loc["buy", "interactions"] == 1500.0
    assert j.loc["buy", "share_lost"] == pytest.approx(0.25, rel=1e-15)
    assert j.loc["buy", "customers_lost"] == pytest.approx(250.0, rel=1e-15)
    assert j.loc["buy", "revenue_at_risk"] == pytest.approx(12_500.0, rel=1e-15)
    assert j.loc["support", "interactions_lost"] == 400.0
    assert j.loc["support", "customers_lost"] == 200.0
    assert math.isnan(j.loc["support", "revenue_at_risk"])
    assert r.interactions_lost == 650.0 and r.loss == 650.0 and r.measure == "interactions"
    assert r.customers_lost == pytest.approx(450.0, rel=1e-15)
    assert r.revenue_at_risk == pytest.approx(12_500.0, rel=1e-15)
    by_customers = cx.what_if(shop(), fail=["crm"], measure="customers")
    assert by_customers.loss == pytest.approx(450.0) and by_customers.unit == "customers / month"
    seg = r.segments.set_index("segment")
    assert seg.loc["retail", "interactions_lost"] == 250.0
    assert seg.loc["(no segment)", "interactions_lost"] == 400.0
    assert math.isnan(seg.loc["(no segment)", "revenue_at_risk"])
    assert r.lost_touchpoints == ["call"]
    assert r.degradation == {"browse": 0.5, "pay": 0.0, "call": 1.0, "shop": 1.0, "crm": 1.0, "psp-a": 0.0,
                             "psp-b": 0.0}


def test_failing_a_capability_fails_its_elements() -> None:
    r = cx.what_if(shop(), fail="payments")
    assert r.scenario == {"psp-a": 1.0, "psp-b": 1.0}
    assert r.lost_touchpoints == ["pay"]
    assert r.interactions_lost == 1000.0


def test_degrade_and_fail_combine_with_the_larger_level() -> None:
    r = cx.what_if(shop(), fail=["psp-a"], degrade={"psp-b": 0.25, "psp-a": 0.1, "payments": 0.2})
    assert r.scenario == {"psp-a": 1.0, "psp-b": 0.25}
    assert r.degradation["pay"] == 0.25            # 1 x 0.25


def test_nothing_failing_loses_nothing() -> None:
    r = cx.what_if(shop())
    assert r.loss == 0.0 and r.lost_touchpoints == [] and set(r.degradation.values()) == {0.0}


def test_table_and_json() -> None:
    r = cx.what_if(shop(), fail=["crm"])
    frame = r.to_frame()
    assert list(frame.columns) == ["id", "name", "type", "kind", "journey", "degradation", "interactions_lost"]
    assert frame["id"].tolist()[:3] == ["call", "crm", "shop"]          # d = 1, ties by id
    data = r.to_dict()
    assert data["journeys"][1]["revenue_at_risk"] != data["journeys"][1]["revenue_at_risk"]  # NaN before JSON
    assert '"revenue_at_risk": null' in r.to_json()
    with pytest.raises(AttributeError):
        r.loss = 0.0


def test_unknown_ids_and_bad_levels() -> None:
    with pytest.raises(cx.UnknownIdError, match=r"unknown element, touchpoint or capability 'psp-c' \(did you mean"):
        cx.what_if(shop(), fail=["psp-c"])
    with pytest.raises(KeyError):
        cx.what_if(shop(), degrade={"paymnts": 0.5})
    with pytest.raises(cx.AnalysisInputError, match=r"between 0 and 1, got 1\.5"):
        cx.what_if(shop(), degrade={"crm": 1.5})
    with pytest.raises(cx.AnalysisInputError, match="between 0 and 1"):
        cx.what_if(shop(), degrade={"crm": float("nan")})
    with pytest.raises(cx.AnalysisInputError, match="must be a number"):
        cx.what_if(shop(), degrade={"crm": "high"})  # type: ignore[dict-item]
    with pytest.raises(cx.AnalysisInputError, match="expected an id"):
        cx.what_if(shop(), fail=[3])  # type: ignore[list-item]


@settings(max_examples=30, deadline=None)
@given(model=models(), data=st.data())
def test_what_if_equals_the_reference_and_impact(model: cx.Model, data: st.DataObject) -> None:
    ids = [e.id for e in model.elements]
    failed = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
    r = cx.what_if(model, fail=failed)
    ref = reference.degradation(model, dict.fromkeys(failed, 1.0))
    for key, value in ref.items():
        assert math.isclose(r.degradation[key], value, rel_tol=1e-9, abs_tol=1e-13), key
    if len(failed) == 1:
        assert math.isclose(r.loss, cx.impact(model).impact[failed[0]], rel_tol=1e-9, abs_tol=1e-9)
        for measure in ("customers", "revenue") if all(j.revenue is not None for j in model.journeys) else ():
            got = cx.what_if(model, fail=failed, measure=measure).loss
            assert math.isclose(got, cx.impact(model, measure=measure).impact[failed[0]], rel_tol=1e-9,
                                abs_tol=1e-9)
            assert math.isclose(got, reference.loss(model, ref, measure), rel_tol=1e-9, abs_tol=1e-9)
    assert r.lost_touchpoints == [t.id for t in model.touchpoints if ref[t.id] >= 1 - 1e-12]
