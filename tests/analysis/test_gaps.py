"""Gaps and total pain, worked by hand (DESIGN.md section 3)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import cxgraph as cx
from cxgraph.analysis.gaps import metric_gap, metric_gaps, own_gaps, total_pain, touchpoint_weights


def small_model() -> cx.Model:
    """Two journeys, three touchpoints, three elements, four metrics.

    weights: t1 = 1000 * 1 * 1 = 1000; t2 = 1000 * 0.5 * 2 = 1000; t3 = 400 * 1 * 1 = 400.
    """
    m = cx.Model(name="Small")
    j = m.add_journey("j1", "Buy", customers=1000, revenue=50000)
    j.add_touchpoint("t1", "Browse", depends_on=["app"])
    j.add_touchpoint("t2", "Pay", reach=0.5, importance=2, depends_on=["app", {"element": "pay", "strength": 0.5}])
    k = m.add_journey("j2", "Return", customers=400)
    k.add_touchpoint("t3", "Send back", depends_on=["pay"])
    m.add_element("app", "App", kind="system", depends_on=["db"])
    m.add_element("pay", "Payments", kind="service")
    m.add_element("db", "Database", kind="data")
    m.add_metric("csat", "CSAT", of="t1", actual=3.0, target=4.0, better="higher")   # (4 - 3) / 4 = 0.25
    m.add_metric("nps", "NPS", of="t2", actual=-20, target=30, better="higher")      # 50 / 30 -> capped at 1
    m.add_metric("ces", "Effort", of="t2", actual=3, target=2, better="lower")       # (3 - 2) / 3 = 1/3
    m.add_metric("tat", "Turnaround", of="pay", actual=5, target=2, better="lower")  # (5 - 2) / 5 = 0.6
    return m


@pytest.mark.parametrize(
    ("actual", "target", "better", "expected"),
    [
        (-20, 30, "higher", 1.0),      # NPS: shortfall 50 over |30| = 1.67, capped at 1
        (5, 2, "lower", 0.6),          # turnaround: (5 - 2) / 5
        (3.1, 4.5, "higher", 1.4 / 4.5),
        (4.6, 4.5, "higher", 0.0),     # better than target: no gap
        (1, 2, "lower", 0.0),          # lower is better and below target: no gap
        (5, 0, "higher", 0.0),         # target 0, higher is better: denominator 0 -> 0
        (-5, 0, "higher", 0.0),        # ... even with a shortfall
        (0, -3, "lower", 0.0),         # actual 0, lower is better: denominator 0 -> 0
        (-40, -10, "higher", 1.0),     # 30 short over |-10| = 3, capped
        (-15, -10, "higher", 0.5),     # 5 short over |-10|
        (99.7, 99.95, "higher", 0.25 / 99.95),
    ],
)
def test_metric_gap_by_hand(actual: float, target: float, better: str, expected: float) -> None:
    assert metric_gap(actual, target, better) == pytest.approx(expected, abs=1e-12)


def test_metric_gap_rejects_unknown_direction() -> None:
    with pytest.raises(cx.AnalysisInputError, match="'higher' or 'lower'"):
        metric_gap(1, 2, "up")


def test_touchpoint_and_element_gap_is_largest_of_their_metrics() -> None:
    tp_gap, el_gap = own_gaps(small_model())
    assert tp_gap == {"t1": 0.25, "t2": 1.0, "t3": 0.0}   # t2: max(1, 1/3)
    assert el_gap == {"app": 0.0, "pay": 0.6, "db": 0.0}


def test_metric_values_replace_actuals() -> None:
    m = small_model()
    # nps to 25: (30 - 25) / 30 = 1/6; t2 is then max(1/6, 1/3) = 1/3
    assert metric_gaps(m, {"nps": 25})["nps"] == pytest.approx(1 / 6)
    assert own_gaps(m, {"nps": 25})[0]["t2"] == pytest.approx(1 / 3)
    assert m.metrics[1].actual == -20   # the model is untouched


def test_metric_values_reject_unknown_ids_and_bad_numbers() -> None:
    m = small_model()
    with pytest.raises(cx.UnknownIdError, match=r"unknown metric 'csta' \(did you mean 'csat'"):
        metric_gaps(m, {"csta": 4})
    with pytest.raises(cx.AnalysisInputError, match="metric 'csat' must be a finite number"):
        metric_gaps(m, {"csat": math.nan})
    with pytest.raises(cx.AnalysisInputError, match="finite number"):
        metric_gaps(m, {"csat": "4"})  # type: ignore[dict-item]


def test_touchpoint_weights_by_hand() -> None:
    m = small_model()
    assert touchpoint_weights(m) == {"t1": 1000.0, "t2": 1000.0, "t3": 400.0}
    # revenue 50000 * reach * importance; journey j2 has no revenue -> 0
    assert touchpoint_weights(m, "revenue") == {"t1": 50000.0, "t2": 50000.0, "t3": 0.0}
    assert touchpoint_weights(m, {"t3": 2}) == {"t1": 0.0, "t2": 0.0, "t3": 2.0}


def test_touchpoint_weights_reject_bad_weight() -> None:
    m = small_model()
    with pytest.raises(cx.AnalysisInputError, match="'customers', 'revenue' or a mapping"):
        touchpoint_weights(m, "customer")
    with pytest.raises(cx.UnknownIdError, match="unknown touchpoint 't4'"):
        touchpoint_weights(m, {"t4": 1})
    with pytest.raises(cx.AnalysisInputError, match=">= 0"):
        touchpoint_weights(m, {"t1": -1})


def test_total_pain_by_hand_with_given_impact() -> None:
    m = small_model()
    # customer side: 1000 * 0.25 + 1000 * 1 + 400 * 0 = 1250
    # IT side: only pay has a gap (0.6); with impact(pay) = 900: 540
    p = total_pain(m, impact={"app": 2000.0, "pay": 900.0, "db": 2000.0})
    assert (p.customer, p.it, float(p)) == (1250.0, pytest.approx(540.0), pytest.approx(1790.0))
    # with csat at target and turnaround at 3: 1000 * 1 + 900 * (3 - 2) / 3 = 1300
    q = total_pain(m, {"csat": 4, "tat": 3}, impact={"pay": 900.0})
    assert (q.customer, q.it) == (1000.0, pytest.approx(300.0))
    assert p - q == pytest.approx(490.0)   # behaves as a float: the benefit


def test_total_pain_accepts_an_impact_result_like_object() -> None:
    class Fake:
        def __init__(self) -> None:
            self.impact = {"pay": 100.0}

    assert total_pain(small_model(), impact=Fake()).it == pytest.approx(60.0)   # 100 * 0.6


def test_total_pain_without_metrics_is_zero_and_needs_no_impact() -> None:
    m = small_model()
    m.metrics.clear()
    p = total_pain(m)
    assert (float(p), p.customer, p.it) == (0.0, 0.0, 0.0)


def test_total_pain_is_read_only_and_serialisable() -> None:
    p = total_pain(small_model(), impact={"pay": 10.0})
    with pytest.raises(AttributeError):
        p.customer = 0.0  # type: ignore[misc]
    assert p.to_dict() == {"customer": 1250.0, "it": 6.0, "total": 1256.0}


def test_gaps_result_tables() -> None:
    r = cx.gaps(small_model())
    frame = r.to_frame()
    # largest gap first, ties by id: nps 1, tat 0.6, ces 1/3, csat 0.25
    assert frame["id"].tolist() == ["nps", "tat", "ces", "csat"]
    assert frame.set_index("id")["of_type"].to_dict() == {"nps": "touchpoint", "tat": "element",
                                                          "ces": "touchpoint", "csat": "touchpoint"}
    items = r.items().set_index("id")
    assert items.loc["t2", "metric"] == "nps" and items.loc["pay", "metric"] == "tat"
    assert items.loc["t3", "gap"] == 0.0 and pd.isna(items.loc["t3", "metric"])
    assert r.worst_metric == {"t2": "nps", "pay": "tat", "t1": "csat"}
    data = r.to_dict()
    assert data["metrics"][0] == {"id": "nps", "name": "NPS", "of": "t2", "of_type": "touchpoint", "actual": -20.0,
                                  "target": 30.0, "better": "higher", "unit": None, "gap": 1.0}
    assert "<table" in r._repr_html_()


def test_gaps_notes_say_capped_and_zero_denominator_plainly() -> None:
    m = small_model()
    m.add_metric("z", "Zero target", of="t3", actual=-4, target=0, better="higher")
    r = cx.gaps(m)
    assert r.metric_gap["z"] == 0.0
    assert any("'z'" in n and "target 0" in n and "taken as 0" in n for n in r.notes)
    assert any("'nps'" in n and "capped at 1" in n for n in r.notes)


def test_gaps_without_metrics_says_so() -> None:
    m = small_model()
    m.metrics.clear()
    r = cx.gaps(m)
    assert r.to_frame().empty and set(r.touchpoint_gap.values()) == {0.0}
    assert r.notes == ("The model has no metrics: every gap is 0, so all pain is 0 "
                       "(add metrics with actual and target values).",)


def test_uncertain_metric_uses_its_point_value() -> None:
    m = small_model()
    m.metrics[0].actual = cx.Uncertain(low=2.0, high=4.0)   # midpoint 3 -> same gap 0.25
    assert cx.gaps(m).metric_gap["csat"] == 0.25
