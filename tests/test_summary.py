"""What the summary says no journey can feel: elements and initiatives, each with why."""

from __future__ import annotations

import cxgraph as cx


def _model() -> cx.Model:
    m = cx.Model(name="Shop")
    j = m.add_journey("buy", "Buy", customers=100)
    _ = j.add_touchpoint("pay", "Pay", depends_on=["app", {"element": "cdn", "strength": 0}])
    _ = m.add_element("app", "App", kind="system", owner="team")
    _ = m.add_element("cdn", "CDN", kind="infrastructure")
    _ = m.add_element("dwh", "Warehouse", kind="data", depends_on=["etl"])
    _ = m.add_element("etl", "ETL", kind="system")
    _ = m.add_element("team", "Team", kind="team")
    _ = m.add_metric("dwh-fresh", "Warehouse freshness", of="dwh", actual=3, target=1, better="lower")
    _ = m.add_metric("app-ok", "App availability", of="app", actual=99, target=99.9, ideal=100)
    _ = m.add_initiative("fresh", "Fresher warehouse", cost=10, improves=[{"metric": "dwh-fresh", "to": 1}])
    _ = m.add_initiative("ha", "Highly available app", cost=10, improves=[{"metric": "app-ok", "to": 99.9}])
    _ = m.add_initiative("idle", "Nothing at all", cost=1)
    return m


def test_elements_and_initiatives_no_journey_can_feel_with_why() -> None:
    s = cx.summarize(_model())
    assert s.unfelt_elements == [
        {"id": "cdn", "name": "CDN", "why": "reached only through links of strength 0"},
        {"id": "dwh", "name": "Warehouse", "why": "no touchpoint depends on it, directly or through other elements"},
        {"id": "etl", "name": "ETL", "why": "only elements no journey reaches depend on it (dwh)"},
        {"id": "team", "name": "Team",
         "why": "only owns elements (ownership is not a dependency); no touchpoint depends on it"},
    ]
    assert s.unfelt_initiatives == [
        {"id": "fresh", "name": "Fresher warehouse", "why": "it changes only what no journey depends on (dwh)"},
        {"id": "idle", "name": "Nothing at all", "why": "it improves, sets, adds and removes nothing"},
    ]
    text = s.to_text()
    assert "elements no journey can feel: 4" in text and "  idle: it improves, sets, adds and removes nothing" in text
    assert s.to_dict()["unfelt_initiatives"][0]["id"] == "fresh"
