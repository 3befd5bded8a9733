"""cx.resilience: disruption time, breach, customers harmed and the timeline (DESIGN.md section 3)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given

import cxgraph as cx

from .. import resilience_reference as ref
from ..conftest import DATA
from ..strategies import resilience_models


@pytest.fixture
def worked() -> cx.Model:
    return cx.load(DATA / "resilience.yaml")


def test_worked_example_by_hand(worked: cx.Model) -> None:
    # Scenario "north": idp (back at 1 h) and psp-a (6 h) by the site tag, psp-b by id (3 h, overridden).
    # [0, 1): everything down. Pay: login lost, the gateway's both processors down -> jloss = 1.
    # [1, 3): idp back; both processors still down -> Pay loses its 0.6-reach step: jloss = 0.6.
    # [3, 6): psp-b back: the gateway has one processor -> jloss = 0 <= 0.1: disruption 3 h > 2 h, a breach.
    # Customers harmed: 2400 / 24 h x (1 x 1 h + 0.6 x 2 h) = 220. Balance: 4800 / 24 x 1 h = 200, within 2 h.
    r = cx.resilience(worked)
    frame = r.to_frame().set_index("id")
    assert frame.loc["pay", "disruption_hours"] == 3.0
    assert bool(frame.loc["pay", "breach"]) is True
    assert frame.loc["pay", "customers_harmed"] == pytest.approx(220.0)
    assert frame.loc["pay", "max_loss"] == pytest.approx(1.0)
    assert frame.loc["pay", "ended_by_ids"] == ["psp-b"]
    assert frame.loc["pay", "message"] == ("breach: Pay a bill is disrupted for 3 h against a tolerance of 2 h; "
                                          "it ends when Card processor B is restored")
    assert frame.loc["balance", "disruption_hours"] == 1.0
    assert bool(frame.loc["balance", "breach"]) is False
    assert frame.loc["balance", "customers_harmed"] == pytest.approx(200.0)
    assert frame.loc["balance", "ended_by_ids"] == ["idp"]
    line = r.timeline("north", "pay")
    assert line["from_hours"].tolist() == [0.0, 1.0, 3.0, 6.0]
    assert line["to_hours"].tolist() == [1.0, 3.0, 6.0, math.inf]
    assert line["jloss"].tolist() == pytest.approx([1.0, 0.6, 0.0, 0.0])
    assert line["restored_ids"].tolist() == [["idp"], ["psp-b"], ["psp-a"], []]
    assert r.scenarios.loc[0, "element_ids"] == ["idp", "psp-a", "psp-b"]
    assert r.breaches()["id"].tolist() == ["pay"]


def test_measure_counts_the_same_steps(worked: cx.Model) -> None:
    # Interactions: Pay's weight is 2400 (login) + 1440 (pay-now); [0, 1) loses both, [1, 3) only pay-now.
    r = cx.resilience(worked, measure="interactions")
    row = r.to_frame().set_index("id").loc["pay"]
    assert row["peak_loss"] == pytest.approx(3840.0)
    assert row["lost"] == pytest.approx((3840.0 * 1 + 1440.0 * 2) / 24)
    assert r.unit == "interactions / day"
    customers = cx.resilience(worked, measure="customers").to_frame().set_index("id")
    assert customers.loc["pay", "lost"] == pytest.approx(customers.loc["pay", "customers_harmed"])


def test_json_rows_name_scenario_and_journey(worked: cx.Model) -> None:
    data = json.loads(cx.resilience(worked).to_json())
    assert data["analysis"] == "resilience" and data["cxgraph_result"] == 1
    row = data["items"][0]
    assert (row["scenario"], row["id"], row["name"], row["type"]) == ("north", "pay", "Pay a bill", "journey")
    assert [s["to_hours"] for s in row["timeline"]] == [1.0, 3.0, 6.0, None]
    assert data["scenario_items"][0]["type"] == "scenario"
    assert data["n_breaches"] == 1


def test_scenarios_by_id_object_and_mapping(worked: cx.Model) -> None:
    by_id = cx.resilience(worked, scenarios=["north"]).to_frame()
    given_one = cx.resilience(worked, scenarios=[{"id": "gw", "name": "Gateway", "fail": ["gateway"]}]).to_frame()
    assert by_id["disruption_hours"].tolist() == [3.0, 1.0]
    assert given_one["disruption_hours"].tolist() == [2.0, 0.0]
    assert given_one["message"].iloc[1] == "within tolerance: Check the balance is not disrupted"
    with pytest.raises(cx.UnknownIdError, match="nort"):
        cx.resilience(worked, scenarios=["nort"])


def test_scenarios_given_in_python_are_checked(worked: cx.Model) -> None:
    with pytest.raises(cx.AnalysisInputError, match=r"fail_where \(tag site:south\) matches no element"):
        cx.resilience(worked, scenarios=[{"id": "x", "name": "X", "fail_where": {"tag": "site:south"}}])
    with pytest.raises(cx.UnknownIdError, match="gatewy"):
        cx.resilience(worked, scenarios=[{"id": "x", "name": "X", "fail": ["gatewy"]}])
    worked.elements[0].recovery_hours = None
    worked.scenarios = []
    with pytest.raises(cx.AnalysisInputError, match=r"without a recovery time: 'idp'"):
        cx.resilience(worked, scenarios=[{"id": "x", "name": "X", "fail": ["idp"]}])


def test_an_unknown_period_is_refused_once_hours_are_needed(worked: cx.Model) -> None:
    worked.period = "fortnight"
    with pytest.raises(cx.AnalysisInputError, match="fortnight"):
        cx.resilience(worked)


def test_no_scenarios_gives_an_empty_result_with_a_note() -> None:
    m = cx.loads("cxgraph: 1\njourneys: [{id: j, name: J, customers: 1}]\n")
    r = cx.resilience(m)
    assert r.to_frame().empty and any("no scenarios" in n for n in r.notes)


@given(resilience_models())
def test_matches_the_reference(model: cx.Model) -> None:
    result = cx.resilience(model, measure="customers").to_frame()
    for scenario in model.scenarios:
        expected = ref.outcome(model, scenario)
        rows = result[result["scenario"] == scenario.id].set_index("id")
        for jid, want in expected.items():
            got = rows.loc[jid]
            assert got["disruption_hours"] == want.disruption_hours, (scenario.id, jid)
            assert bool(got["breach"]) == want.breach
            assert got["customers_harmed"] == pytest.approx(want.customers_harmed, rel=1e-9, abs=1e-9)
            assert got["max_loss"] == pytest.approx(want.max_loss, rel=1e-9, abs=1e-12)
            assert got["lost"] == pytest.approx(want.customers_harmed, rel=1e-9, abs=1e-9)  # the same, as a measure
