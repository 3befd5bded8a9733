"""cx.resilience_map: what each journey with a tolerance rests on, by kind, and vendor concentration."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

import cxgraph as cx

from .. import reference
from .. import resilience_reference as ref
from ..conftest import DATA
from ..strategies import resilience_models


@pytest.fixture
def worked() -> cx.Model:
    return cx.load(DATA / "resilience.yaml")


def test_mapping_by_hand(worked: cx.Model) -> None:
    frame = cx.resilience_map(worked).to_frame()
    pay = frame[frame["journey"] == "pay"]
    # The processors are alternatives: neither alone degrades Pay, so Pay does not rest on either alone.
    assert pay[["group", "id", "recovery_hours", "exceeds_tolerance"]].values.tolist() == [
        ["systems", "gateway", 2.0, False], ["services", "idp", 1.0, False]]
    assert pay["jloss"].tolist() == pytest.approx([0.6, 1.0])
    balance = frame[frame["journey"] == "balance"]
    assert balance["id"].tolist() == ["idp"]


def test_exceeds_and_breach_alone(worked: cx.Model) -> None:
    worked.elements[1].recovery_hours = 5
    frame = cx.resilience_map(worked).to_frame().set_index(["journey", "id"])
    assert bool(frame.loc[("pay", "gateway"), "exceeds_tolerance"]) is True
    assert bool(frame.loc[("pay", "gateway"), "breach_alone"]) is True


def test_vendor_concentration(worked: cx.Model) -> None:
    worked.elements[1].owner = "psp-b"  # the gateway is run by processor B
    vendors = cx.resilience_map(worked).vendors
    assert vendors[["id", "owned_ids", "journey_ids", "customers"]].values.tolist() == [
        ["psp-b", ["gateway"], ["pay"], 2400.0], ["psp-a", [], [], 0.0]]
    assert vendors["customers_lost"].tolist() == pytest.approx([2400 * 0.6, 0.0])


def test_json_envelope(worked: cx.Model) -> None:
    data = json.loads(cx.resilience_map(worked).to_json())
    assert data["analysis"] == "resilience_map"
    assert {"id", "name", "type"} <= set(data["items"][0]) and data["items"][0]["type"] == "element"
    assert data["vendor_items"][0]["type"] == "element"


def test_journeys_without_tolerance_are_left_out(worked: cx.Model) -> None:
    for j in worked.journeys:
        j.tolerance = None
    r = cx.resilience_map(worked)
    assert r.to_frame().empty and r.notes


@given(resilience_models())
def test_mapping_matches_the_reference(model: cx.Model) -> None:
    frame = cx.resilience_map(model).to_frame()
    got = {(r["journey"], r["id"]): r for r in frame.to_dict(orient="records")}
    want = set()
    for element in model.elements:
        d = reference.degradation(model, {element.id: 1.0})
        losses = ref.journey_losses(model, {element.id})
        for journey in model.journeys:
            if journey.tolerance is None or not any(d[t.id] > 0 for t in journey.touchpoints):
                continue
            want.add((journey.id, element.id))
            row = got.get((journey.id, element.id))
            assert row is not None, (journey.id, element.id)
            assert row["jloss"] == pytest.approx(losses[journey.id], rel=1e-9, abs=1e-12)
            assert row["exceeds_tolerance"] == (element.recovery_hours > journey.tolerance.hours)
    assert set(got) == want
