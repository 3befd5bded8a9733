"""Comparing two versions of a model, worked by hand on the small model of test_gaps."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.analysis.compare import compare
from tests.analysis.test_gaps import small_model_with_capabilities
from tests.strategies import models


def to_be() -> cx.Model:
    """The small model after two changes: a second payments service as an alternative for t3, CSAT fixed.

    Before: weights t1 = 1000, t2 = 1000, t3 = 400; pain weights 250, 1000, 0; gap(pay) = 0.6.
    After: csat at target -> pain weights 0, 1000, 0; t3 needs one of pay, pay2.
    """
    m = small_model_with_capabilities()
    m.add_element("pay2", "Payments (second)", kind="service")
    t3 = m.touchpoints[2]
    t3.depends_on = [cx.Dependency(element="pay", group="pay"), cx.Dependency(element="pay2", group="pay")]
    m.metrics[0].actual = 4.0
    m.check()
    return m


def rows(r: cx.analysis.Result) -> dict[tuple[str, str], dict]:
    return {(row["type"], row["id"]): row for row in r.to_dict()["items"]}


def test_compare_by_hand() -> None:
    r = compare(small_model_with_capabilities(), to_be())
    got = rows(r)
    # pay: before t2 half + t3 = 900, after t2 half only = 500 (t3 has pay2); pain 500 both times;
    # no longer a single point of failure (it lost t3 completely before)
    pay = got[("element", "pay")]
    assert [pay[k] for k in ("status", "impact_before", "impact_after", "impact_change", "pain_change",
                             "spofs_before", "spofs_after", "spofs_change")] == \
        ["changed", 900.0, 500.0, -400.0, 0.0, 1, 0, -1]
    # app: impact 2000 both times; pain 250 + 1000 -> 0 + 1000
    app = got[("element", "app")]
    assert (app["pain_before"], app["pain_after"], app["rank_before"], app["rank_after"]) == (1250.0, 1000.0, 1, 1)
    # pay2 is new; its failure alone loses nothing
    pay2 = got[("element", "pay2")]
    assert [pay2[k] for k in ("status", "impact_before", "impact_after", "impact_change", "rank_before",
                              "rank_after")] == ["added", None, 0.0, None, None, 4]
    # cap-a (app + pay): t1, t2 lost; t3 survives on pay2 -> 2000 (was 2400); pain 1000 (was 1250);
    # its single points of failure: app and pay before, app only after
    cap_a = got[("capability", "cap-a")]
    assert [cap_a[k] for k in ("impact_before", "impact_after", "pain_before", "pain_after", "spofs_before",
                               "spofs_after")] == [2400.0, 2000.0, 1250.0, 1000.0, 2, 1]
    # journeys: j1 carries 2000 interactions, pain 1250 -> 1000; j2: pay no longer loses t3
    j1, j2 = got[("journey", "j1")], got[("journey", "j2")]
    assert (j1["impact_change"], j1["pain_before"], j1["pain_after"], j1["spofs_after"]) == (0.0, 1250.0, 1000.0, 2)
    assert (j2["status"], j2["spofs_before"], j2["spofs_after"]) == ("changed", 1, 0)
    assert r.added == {"element": ["pay2"], "capability": [], "journey": []}
    assert r.removed == {"element": [], "capability": [], "journey": []}
    assert (r.new_spofs, r.resolved_spofs) == ([], ["pay"])
    # total pain: before 1250 + 900 * 0.6 = 1790; after 1000 + 500 * 0.6 = 1300
    assert float(r.total_pain_before) == pytest.approx(1790.0)
    assert (r.total_pain_after.customer, r.total_pain_after.it) == (1000.0, pytest.approx(300.0))
    assert r.to_dict()["total_pain"]["change"] == pytest.approx(-490.0)


def test_compare_the_other_way_reports_removed() -> None:
    r = compare(to_be(), small_model_with_capabilities())
    assert r.removed["element"] == ["pay2"] and r.new_spofs == ["pay"]
    row = rows(r)[("element", "pay2")]
    assert (row["status"], row["impact_after"], row["rank_after"]) == ("removed", None, None)


def test_identical_models_change_nothing() -> None:
    m = cx.examples.load("retail-bank")
    r = compare(m, m.model_copy(deep=True))
    assert r.changed().empty and set(r.to_frame()["status"]) == {"same"}
    assert r.to_dict()["total_pain"]["change"] == 0.0
    assert len(r.to_frame()) == len(m.elements) + len(m.capabilities) + len(m.journeys)


def test_rows_are_ordered_by_type_then_size_of_change() -> None:
    frame = compare(small_model_with_capabilities(), to_be()).to_frame()
    assert frame["type"].tolist() == ["element"] * 4 + ["capability"] * 2 + ["journey"] * 2
    # elements: pay |-400| + 0, app and db 0 + |-250| (tie: by id), pay2 0
    assert frame["id"].tolist()[:4] == ["pay", "app", "db", "pay2"]


def test_different_periods_are_refused() -> None:
    week = small_model_with_capabilities()
    week.period = "week"
    with pytest.raises(cx.AnalysisInputError, match="different periods \\('month' before, 'week' after\\)"):
        compare(small_model_with_capabilities(), week)


def test_notes_from_both_sides_and_json() -> None:
    bare = small_model_with_capabilities()
    bare.metrics.clear()
    r = compare(bare, to_be())
    assert r.notes[0].startswith("before: The model has no metrics")
    assert any(n.startswith("after: Metric 'nps'") for n in r.notes)
    data = json.loads(r.to_json())
    assert data["total_pain"]["before"]["total"] == 0.0 and data["added_ids"]["element"] == ["pay2"]
    assert "<table" in r._repr_html_()


@settings(max_examples=15)
@given(model=models())
def test_a_model_compared_with_its_copy_is_unchanged(model: cx.Model) -> None:
    r = compare(model, model.model_copy(deep=True))
    assert r.changed().empty and r.new_spofs == r.resolved_spofs == []
    assert len(r.to_frame()) == len(model.elements) + len(model.capabilities) + len(model.journeys)
    assert float(r.total_pain_before) == float(r.total_pain_after)


def test_a_rank_that_moves_while_every_value_stays_is_not_a_change() -> None:
    # Before: x carries t1 (100 interactions), y carries t2 (50): ranks x 1, y 2.
    # After: y also carries a new t3 (100): y 150 moves above x, whose values are unchanged.
    def shop(extra: bool) -> cx.Model:
        m = cx.Model(name="Shop")
        j = m.add_journey("buy", "Buy", customers=100)
        _ = j.add_touchpoint("t1", "One", depends_on=["x"])
        _ = j.add_touchpoint("t2", "Two", reach=0.5, depends_on=["y"])
        if extra:
            _ = j.add_touchpoint("t3", "Three", depends_on=["y"])
        _ = m.add_element("x", "X", kind="system")
        _ = m.add_element("y", "Y", kind="system")
        return m

    rows = compare(shop(False), shop(True)).to_frame().set_index("id")
    assert (rows.loc["x", "rank_before"], rows.loc["x", "rank_after"]) == (1, 2)
    assert rows.loc["x", "status"] == "same"
    assert (rows.loc["y", "impact_before"], rows.loc["y", "impact_after"]) == (50, 150)
    assert rows.loc["y", "status"] == "changed"
    assert any("rank that moves alone is not a change" in n for n in compare(shop(False), shop(True)).notes)
