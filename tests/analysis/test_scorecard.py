"""Scorecards, worked by hand on the small model of test_gaps."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.analysis.scorecard import scorecard
from tests.analysis.test_gaps import reference_degradation, reference_weights, small_model_with_capabilities
from tests.strategies import models


def owned_model() -> cx.Model:
    """The small model with owners: team t-app owns app and db, vendor v-pay owns pay.

    weights t1 = 1000, t2 = 1000, t3 = 400; pain weights 250, 1000, 0; gap(pay) = 0.6 (turnaround).
    """
    m = small_model_with_capabilities()
    m.add_element("t-app", "App team", kind="team")
    m.add_element("v-pay", "Payments vendor", kind="vendor")
    for e in m.elements:
        if e.id in ("app", "db"):
            e.owner = "t-app"
        elif e.id == "pay":
            e.owner = "v-pay"
    m.check()
    return m


def test_scorecard_by_owner_by_hand() -> None:
    r = scorecard(owned_model())
    f = r.to_frame().set_index("id")
    assert f.index.tolist() == ["t-app", "v-pay"]   # by impact: 2000, 900
    # t-app: app and db fail together -> t1 and t2 lost: impact 1000 + 1000, pain 250 + 1000; no gaps of its own
    assert f.loc["t-app", ["type", "elements", "impact", "pain", "it_pain", "metrics"]].tolist() == \
        ["team", 2, 2000.0, 1250.0, 0.0, 0]
    # app and db each lose t1 and t2 completely (2000 each): single points of failure, tie by id
    assert f.loc["t-app", "top_risks"] == ["app", "db"] and f.loc["t-app", "spofs"] == 2
    # v-pay: pay fails -> t2 half lost (0.5 * 1000), t3 lost (400): impact 900; pain 0.5 * 1000 = 500;
    # it_pain = impact(pay) 900 * gap 0.6 = 540; pay loses t3 completely (400): a single point of failure
    assert f.loc["v-pay", ["type", "impact", "pain", "metrics", "metrics_with_gap", "worst_metric", "spofs"]] \
        .tolist() == ["vendor", 900.0, 500.0, 1, 1, "tat", 1]
    assert f.loc["v-pay", "it_pain"] == pytest.approx(540.0)
    assert f.loc["v-pay", "worst_gap"] == pytest.approx(0.6)
    risks = r.risks()
    assert risks[["group", "element", "loss"]].values.tolist() == [
        ["t-app", "app", 2000.0], ["t-app", "db", 2000.0], ["v-pay", "pay", 400.0]]
    assert r.metrics()[["group", "metric", "gap"]].values.tolist() == [["v-pay", "tat", 0.6]]
    assert r.notes == ("Metric 'nps' (NPS) has its target at the ideal 100: its whole distance from the ideal "
                       "counts as gap (gap 1).",)


def test_scorecard_by_capability_by_hand() -> None:
    f = scorecard(owned_model(), by="capability").to_frame().set_index("id")
    # cap-a: app and pay (its child's) -> everything lost: 2400; pain 1250; it_pain 900 * 0.6
    assert f.loc["cap-a", ["elements", "impact", "pain", "metrics"]].tolist() == [2, 2400.0, 1250.0, 1]
    assert f.loc["cap-a", "it_pain"] == pytest.approx(540.0)
    assert f.loc["cap-a", "top_risks"] == ["app", "pay"]   # 2000 lost, then 400
    assert f.loc["cap-b", ["elements", "impact", "pain", "spofs"]].tolist() == [1, 900.0, 500.0, 1]


def test_scorecard_by_journey_by_hand() -> None:
    r = scorecard(owned_model(), by="journey")
    f = r.to_frame().set_index("id")
    # j1: t1 + t2 = 2000 interactions; pain 250 + 1000; metrics csat, nps, ces; worst nps (1)
    assert f.loc["j1", ["type", "impact", "pain", "metrics", "metrics_with_gap", "worst_metric"]].tolist() == \
        ["journey", 2000.0, 1250.0, 3, 3, "nps"]
    assert f.loc["j1", "top_risks"] == ["app", "db"]   # pay loses t2 only half: not a single point of failure here
    # j2: t3 = 400; no metric with a gap; pay loses t3
    assert f.loc["j2", ["impact", "pain", "metrics", "top_risks"]].tolist() == [400.0, 0.0, 0, ["pay"]]
    assert pd.isna(f.loc["j2", "worst_metric"]) and r.group("j2")["row"]["worst_metric"] is None
    assert r.metrics().query("group == 'j1'")["metric"].tolist() == ["nps", "ces", "csat"]   # by gap


def test_elements_without_owner_are_said() -> None:
    r = scorecard(small_model_with_capabilities())
    assert r.to_frame().empty
    assert r.notes[0] == "3 elements have no owner and appear on no scorecard: app, db, pay."


def test_top_limits_named_risks() -> None:
    f = scorecard(owned_model(), top=1).to_frame().set_index("id")
    assert f.loc["t-app", "top_risks"] == ["app"] and f.loc["t-app", "spofs"] == 2


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(cx.AnalysisInputError, match="by must be one of 'owner', 'capability', 'journey'"):
        scorecard(owned_model(), by="team")  # type: ignore[arg-type]
    with pytest.raises(cx.AnalysisInputError, match="top must be a whole number"):
        scorecard(owned_model(), top=-1)


def test_group_and_json() -> None:
    r = scorecard(owned_model())
    g = r.group("v-pay")
    assert g["row"]["impact"] == 900.0 and g["risks"][0]["element"] == "pay"
    with pytest.raises(cx.UnknownIdError, match="unknown owner 'v-pya'"):
        r.group("v-pya")
    data = json.loads(r.to_json())
    assert data["by"] == "owner" and data["rows"][0]["top_risks"] == ["app", "db"]
    assert "Scorecard by owner" in r._repr_html_()


def test_example_scorecards_are_consistent() -> None:
    m = cx.examples.load("retail-bank")
    owners = scorecard(m).to_frame()
    # no owner's pain exceeds its impact (gaps are at most 1), and each owns something
    assert (owners["pain"] <= owners["impact"] + 1e-9).all() and (owners["elements"] > 0).all()
    journeys = scorecard(m, by="journey").to_frame()
    # every touchpoint belongs to one journey: the journeys' impacts add up to all interactions
    assert journeys["impact"].sum() == pytest.approx(sum(reference_weights(m).values()))


@settings(max_examples=20)
@given(model=models())
def test_owner_impact_is_everything_it_owns_failing_at_once(model: cx.Model) -> None:
    card = scorecard(model).to_frame()
    w = reference_weights(model)
    for row in card.to_dict("records"):
        owned = {e.id for e in model.elements if e.owner == row["id"]}
        d = reference_degradation(model, owned)
        assert row["elements"] == len(owned)
        assert row["impact"] == pytest.approx(sum(w[t] * d[t] for t in w), rel=1e-9, abs=1e-9)
        assert row["pain"] <= row["impact"] + 1e-9
    journeys = scorecard(model, by="journey").to_frame()
    assert journeys["impact"].sum() == pytest.approx(sum(w.values()), rel=1e-9, abs=1e-9)
