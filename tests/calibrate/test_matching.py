from __future__ import annotations

import cxgraph as cx
from cxgraph.calibrate import Matcher


def _model() -> cx.Model:
    m = cx.Model(name="M")
    j = m.add_journey("buy", "Buy", customers=10)
    j.add_touchpoint("pay", "Pay", depends_on=["gw"])
    m.add_element("gw", "Gateway", kind="system", properties={"snow": "GW-PROD"})
    m.add_element("gw2", "Gateway", kind="system", properties={"snow": "GW-DR"})
    m.add_element("db", "Database", kind="data", properties={"snow": "GW-PROD"})
    return m


def test_id_then_name_then_property() -> None:
    matcher = Matcher(_model(), ["element"], properties=["snow"])
    assert matcher.resolve("db")[:3] == ("matched", "db", "id")
    assert matcher.resolve("Database")[:3] == ("matched", "db", "name")
    assert matcher.resolve("GW-DR")[:3] == ("matched", "gw2", "property snow")


def test_ambiguous_names_list_their_candidates() -> None:
    matcher = Matcher(_model(), ["element"], properties=["snow"])
    assert matcher.resolve("Gateway") == ("ambiguous", None, "name", ("gw", "gw2"))
    assert matcher.resolve("GW-PROD") == ("ambiguous", None, "property snow", ("db", "gw"))


def test_match_counts_records_and_suggests() -> None:
    matcher = Matcher(_model(), ["element", "touchpoint"])
    ids, matches = matcher.match(["gw", "Gateway", "gw", "Databse", "pay"], "f.csv")
    assert ids.tolist() == ["gw", None, "gw", None, "pay"]
    assert [(m.name, m.status, m.records, m.candidates) for m in matches] == [
        ("Databse", "unmatched", 1, ("Database",)), ("Gateway", "ambiguous", 1, ("gw", "gw2")),
        ("gw", "matched", 2, ()), ("pay", "matched", 1, ())]
    assert matches[-1].type == "touchpoint"


def test_exact_match_only() -> None:
    matcher = Matcher(_model(), ["element"])
    assert matcher.resolve("database")[0] == "unmatched"
    assert matcher.resolve("  Database ")[:2] == ("matched", "db")  # surrounding spaces are not part of a name
