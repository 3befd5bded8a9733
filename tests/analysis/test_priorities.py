"""Priorities, worked by hand on the small model of test_gaps (DESIGN.md section 3)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.analysis.priorities import capability_elements, compact, percent, priorities
from tests.analysis.test_gaps import small_model_with_capabilities
from tests.strategies import models

# The small model: weights t1 = 1000, t2 = 1000, t3 = 400 (sum 2400);
# touchpoint gaps t1 0.25, t2 1 (NPS, target at the ideal), t3 0 -> pain weights 250, 1000, 0 (sum 1250);
# element gaps: pay 0.6 (turnaround 5 vs 2), app and db 0.
# app <- db; t1 <- app; t2 <- app, pay (0.5); t3 <- pay.


def test_capability_scores_by_hand() -> None:
    r = priorities(small_model_with_capabilities(), level="all")
    f = r.to_frame().set_index("id")
    # cap-a fails app and pay (its child's): everything lost -> impact 2400 (share 1), pain 1250 (share 1);
    # own gap max(0, 0.6) = 0.6; effort 1 -> (1 + 1 + 0.6) / 1 = 2.6
    assert f.loc["cap-a", ["impact", "impact_share", "pain", "pain_share", "own_gap", "effort"]].tolist() == \
        [2400.0, 1.0, 1250.0, 1.0, 0.6, 1.0]
    assert f.loc["cap-a", "score"] == pytest.approx(2.6)
    # cap-b fails pay: t2 half lost, t3 lost -> impact 900 (0.375), pain 1000 * 0.5 = 500 (0.4);
    # own gap 0.6; effort 2 -> (0.375 + 0.4 + 0.6) / 2 = 0.6875
    assert f.loc["cap-b", "score"] == pytest.approx(0.6875)
    assert r.rank == {"cap-a": 1, "cap-b": 2}
    assert (f.loc["cap-a", "journeys"], f.loc["cap-a", "touchpoints"]) == (2, 3)
    assert (f.loc["cap-b", "journeys"], f.loc["cap-b", "touchpoints"]) == (2, 2)
    assert (f.loc["cap-a", "level"], f.loc["cap-b", "level"]) == (1, 2)
    # no element has reliability data: the expected loss and every risk are 0, and the notes say so
    assert r.expected_loss == 0.0 and set(f["risk_share"]) == {0.0}
    assert any("expected loss is 0" in n for n in r.notes)


def test_only_the_leaves_compete_by_default() -> None:
    m = small_model_with_capabilities()
    assert priorities(m).rank == {"cap-b": 1}                 # cap-a is cap-b's parent
    assert priorities(m, level=1).rank == {"cap-a": 1}
    assert priorities(m, level=2).rank == {"cap-b": 1}
    with pytest.raises(cx.AnalysisInputError, match="level must be 'leaf', 'all' or a level number"):
        priorities(m, level=0)


def test_risk_is_a_component_of_the_score() -> None:
    # pay is down 1 % of the time: t2 loses 0.5 x 1000 and t3 400 -> expected loss 0.01 x 900 = 9, all of it pay's
    m = small_model_with_capabilities()
    m.elements[1].availability = 0.99
    m.add_element("archive", "Archive", kind="data")       # nothing depends on it
    r = priorities(m, level="all", elements=True)
    f = r.to_frame().set_index("id")
    assert r.expected_loss == pytest.approx(9.0)
    assert f.loc["pay", "risk"] == pytest.approx(9.0) and f.loc["pay", "risk_share"] == pytest.approx(1.0)
    assert f.loc["cap-b", "score"] == pytest.approx((0.375 + 1 + 0.4 + 0.6) / 2)
    assert not f.loc["archive", "reached"] and f.loc["archive", "why"].startswith("no touchpoint depends on it")
    assert any("archive" in n and "no journey can feel them" in n for n in r.notes)


def test_why_is_plain_language() -> None:
    r = priorities(small_model_with_capabilities(), level="all").to_frame().set_index("id")
    # cap-a: impact and pain shares are both 1, the largest part (ties to pain); the touchpoint behind most pain
    # is t2 (1000 * 1 > 250 * 1), its worst metric NPS (gap 1); Buy carries more of its impact than Return
    assert r.loc["cap-a", "why"] == "pain (100% of all pain), from Buy, Return; worst: NPS gap 100% at Pay"
    # cap-b: own gap 0.6 is its largest part (impact 0.375, pain 0.4)
    assert r.loc["cap-b", "why"] == "own gap 60%: Turnaround on Payments; effort 2"


def test_elements_on_request_with_ties_broken_by_id() -> None:
    r = priorities(small_model_with_capabilities(), elements=True)
    e = r.elements().set_index("id")
    # app and db: impact 2000 (0.8333), pain 1250 (1), own gap 0 -> 1.8333 each: tie, app first
    # pay: 0.375 + 0.4 + 0.6 = 1.375
    assert e.index.tolist() == ["app", "db", "pay"]
    assert e["score"].tolist() == pytest.approx([2000 / 2400 + 1, 2000 / 2400 + 1, 1.375])
    assert e["rank"].tolist() == [1, 2, 3]
    assert e.loc["app", "why"] == "pain (100% of all pain), from Buy; worst: NPS gap 100% at Pay"
    assert r.capabilities()["id"].tolist() == ["cap-b"]   # ranked separately; the leaves only
    assert r.to_frame()["type"].tolist() == ["capability"] + ["element"] * 3


def test_weights_change_the_formula() -> None:
    r = priorities(small_model_with_capabilities(), weights={"impact": 0, "pain": 0}, level="all")
    assert r.formula == "score = (0 * impact_share + 1 * risk_share + 0 * pain_share + 1 * own_gap) / effort"
    assert r.score == {"cap-a": pytest.approx(0.6), "cap-b": pytest.approx(0.3)}   # 0.6 / 1, 0.6 / 2
    assert r.weights == {"impact": 0.0, "risk": 1.0, "pain": 0.0, "gap": 1.0}


def test_custom_score_function_sees_every_component() -> None:
    seen = []

    def by_touchpoints(row: dict) -> float:
        seen.append(sorted(row))
        return -row["touchpoints"]

    r = priorities(small_model_with_capabilities(), score=by_touchpoints, level="all")
    assert r.rank == {"cap-b": 1, "cap-a": 2}   # -2 > -3
    assert r.formula == "score = custom function" and r.weights is None
    assert {"impact", "impact_share", "risk", "risk_share", "pain", "pain_share", "own_gap", "effort", "reached",
            "id", "type"} <= set(seen[0])


def test_bad_weights_and_scores_are_refused_plainly() -> None:
    m = small_model_with_capabilities()
    with pytest.raises(cx.AnalysisInputError, match="unknown score weight 'impcat'"):
        priorities(m, weights={"impcat": 1})
    with pytest.raises(cx.AnalysisInputError, match="'pain' must be a finite number >= 0"):
        priorities(m, weights={"pain": -1})
    with pytest.raises(cx.AnalysisInputError, match="not both"):
        priorities(m, weights={"pain": 1}, score=lambda r: 1.0)
    with pytest.raises(cx.AnalysisInputError, match="returned nan for 'cap-a'"):
        priorities(m, score=lambda r: math.nan, level="all")
    with pytest.raises(cx.AnalysisInputError, match="returned 'high'"):
        priorities(m, score=lambda r: "high")  # type: ignore[arg-type,return-value]


def test_effort_zero_ranks_first_and_is_said() -> None:
    m = small_model_with_capabilities()
    m.add_capability("cap-c", "Storage", realized_by=["db"], effort=0)
    r = priorities(m)
    assert r.score["cap-c"] == math.inf and r.rank["cap-c"] == 1
    assert any("'cap-c' has effort 0" in n for n in r.notes)
    data = json.loads(r.to_json())
    assert data["items"][0]["id"] == "cap-c" and data["items"][0]["score"] is None


def test_capability_realised_by_nothing() -> None:
    m = small_model_with_capabilities()
    m.add_capability("cap-x", "Nothing yet")
    row = priorities(m, level="all").to_frame().set_index("id").loc["cap-x"]
    assert (row["score"], row["impact"], row["rank"], row["reached"]) == (0.0, 0.0, 3, False)
    assert row["why"].startswith("realised by no element: no touchpoint depends on it")


def test_without_metrics_the_score_is_the_impact_share() -> None:
    m = small_model_with_capabilities()
    m.metrics.clear()
    r = priorities(m, level="all")
    # cap-a: 2400 / 2400; cap-b: 900 / 2400 / effort 2
    assert r.score == {"cap-a": 1.0, "cap-b": pytest.approx(0.1875)}
    assert r.notes[0].startswith("The model has no metrics")


def test_capability_elements_include_descendants() -> None:
    assert capability_elements(small_model_with_capabilities()) == {"cap-a": ["app", "pay"], "cap-b": ["pay"]}


def test_figures_in_words() -> None:
    assert [compact(x) for x in (0, 7.5, 850, 999.6, 1000, 41_234, 999_000, 2_500_000)] == \
        ["0", "7.5", "850", "1000", "1k", "41k", "999k", "2.5M"]
    assert [percent(x) for x in (1.0, 0.311, 0.1, 0.0999, 0.0025)] == ["100%", "31%", "10%", "10%", "0.25%"]


def test_result_behaves_like_the_others() -> None:
    r = priorities(cx.examples.load("retail-bank"), elements=True)
    frame = r.to_frame()
    assert frame.columns.tolist() == ["id", "name", "type", "kind", "level", "rank", "score", "impact",
                                      "impact_share", "risk", "risk_share", "pain", "pain_share", "own_gap", "effort",
                                      "journeys", "touchpoints", "reached", "why"]
    caps = r.capabilities()
    assert caps["score"].is_monotonic_decreasing and caps["rank"].tolist() == list(range(1, len(caps) + 1))
    assert json.loads(r.to_json())["formula"] == r.formula
    assert "<table" in r._repr_html_()
    assert r.top(2, type="element")["rank"].tolist() == [1, 2]
    assert priorities(cx.examples.load("retail-bank"), elements=True).to_dict() == r.to_dict()   # deterministic


@settings(max_examples=20)
@given(model=models())
def test_priorities_on_random_models(model: cx.Model) -> None:
    r = priorities(model, elements=True, level="all")
    frame = r.to_frame()
    for kind in ("capability", "element"):
        rows = frame[frame["type"] == kind].to_dict("records")
        assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
        assert [row["id"] for row in rows] == [row["id"] for row in sorted(rows, key=lambda x: (-x["score"], x["id"]))]
    for column in ("impact_share", "risk_share", "pain_share", "own_gap"):
        assert frame[column].between(0, 1 + 1e-9).all()
    expected = (frame["impact_share"] + frame["risk_share"] + frame["pain_share"] + frame["own_gap"]) / frame["effort"]
    assert frame["score"].tolist() == pytest.approx(expected.tolist())
    assert priorities(model, elements=True, level="all").to_dict() == r.to_dict()
