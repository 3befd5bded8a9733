"""cx.merge: journeys written against names, ids or a property meet the imported estate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cxgraph as cx
from cxgraph.cli import main

JOURNEYS = """\
cxgraph: 1
name: Retail bank
journeys:
  - id: pay
    name: Pay a bill
    customers: 1200
    touchpoints:
      - {id: pay-app, name: Pay in the app, depends_on: [Mobile Banking App Service]}
      - {id: pay-web, name: Pay on the web, depends_on: [{element: web, strength: 0.5}]}
elements:
  - {id: web, name: Web banking, kind: system, depends_on: [core-db]}
"""


@pytest.fixture
def journeys(tmp_path: Path) -> Path:
    path = tmp_path / "journeys.yaml"
    path.write_text(JOURNEYS)
    return path


@pytest.fixture
def cmdb(data_dir: Path) -> cx.Model:
    return cx.load(data_dir / "servicenow" / "csv")


def test_names_resolve_to_the_estate(journeys: Path, cmdb: cx.Model) -> None:
    result = cx.merge(journeys, cmdb)
    model = result.model
    app, web = model.journeys[0].touchpoints
    assert [d.element for d in app.depends_on] == ["mobile-banking-app-service"]
    assert [(d.element, d.strength) for d in web.depends_on] == [("web", 0.5)]
    assert [d.element for d in model.get("web").depends_on] == ["core-db"]  # an estate id works too
    assert result.matched == (
        ("journeys[0].touchpoints[0].depends_on[0]", "Mobile Banking App Service", "mobile-banking-app-service"),
        ("elements[0].depends_on[0]", "core-db", "core-db"))
    assert result.unmatched == (("elements[0]", "web", ("retail-banking", "mobile-banking")),)
    assert len(model.elements) == 14  # the journeys model's own element and the 13 of the estate
    assert cx.impact(model).to_frame().set_index("id").loc["lnx-app-02", "touchpoints"] == 2


def test_an_element_both_define_is_the_estate_one_with_the_additions(cmdb: cx.Model) -> None:
    journeys: dict[str, Any] = {"cxgraph": 1, "name": "J", "elements": [
        {"id": "gw", "name": "payments gateway (legacy,  v2)", "kind": "system", "tags": ["pci"],
         "properties": {"sla": "gold"}, "depends_on": ["lnx-app-01"]},
    ], "journeys": [{"id": "j", "name": "J", "customers": 1, "touchpoints": [
        {"id": "t", "name": "T", "depends_on": ["gw"]}]}]}
    cmdb.get("payments-gateway-legacy-v2").name = "Payments gateway (legacy, v2)"
    model = cx.merge(journeys, cmdb).model
    gateway = model.get("payments-gateway-legacy-v2")
    assert [d.element for d in gateway.depends_on] == ["core-db", "lnx-app-01"]
    assert gateway.tags == ["pci"]
    assert gateway.properties["sla"] == "gold" and gateway.properties["servicenow:class"] == "cmdb_ci_appl"
    assert model.journeys[0].touchpoints[0].depends_on[0].element == "payments-gateway-legacy-v2"
    assert model.elements[0].id == "payments-gateway-legacy-v2"  # in the journeys model's place


def test_conflicts_are_refused_or_resolved_as_asked(journeys: Path, cmdb: cx.Model) -> None:
    doc: dict[str, Any] = {"cxgraph": 1, "name": "J", "elements": [
        {"id": "x", "name": "Core DB", "kind": "system", "owner": "ops", "depends_on": [
            {"element": "lnx-app-02", "strength": 0.5}]},
        {"id": "ops", "name": "Ops", "kind": "team"}]}
    with pytest.raises(cx.ModelError) as err:
        cx.merge(doc, cmdb)
    assert [(p.path, p.message.split(":")[0]) for p in err.value.problems] == [
        ("elements[0].kind", "kind is 'system' here but 'data' in the estate's 'core-db'"),
        ("elements[0].depends_on[0]", "depends_on.lnx-app-02 is {'element'")]
    result = cx.merge(doc, cmdb, prefer="journeys")
    db = result.model.get("core-db")
    assert (db.kind, db.owner, [(d.element, d.strength) for d in db.depends_on]) == ("system", "ops",
                                                                                    [("lnx-app-02", 0.5)])
    assert [(c[0], c[1], c[4]) for c in result.conflicts] == [("core-db", "kind", "journeys"),
                                                              ("core-db", "depends_on.lnx-app-02", "journeys")]
    assert cx.merge(doc, cmdb, prefer="estate").model.get("core-db").kind == "data"


def test_unmatched_references_name_the_closest_candidates(tmp_path: Path, cmdb: cx.Model) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEYS.replace("[Mobile Banking App Service]", "[Mobile Bankin App Servce]"))
    with pytest.raises(cx.ModelError) as err:
        cx.merge(path, cmdb)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 8, "journeys[0].touchpoints[0].depends_on[0]")
    assert problem.message == ("'Mobile Bankin App Servce' is neither in this model nor in the estate (matched by "
                               "name); closest in the estate: mobile-banking-app-service, mobile-banking-retail, "
                               "mobile-banking")


def test_match_by_id_and_by_property(cmdb: cx.Model, data_dir: Path) -> None:
    sys_id = cmdb.get("core-db").properties["servicenow:sys_id"]
    doc = {"cxgraph": 1, "name": "J", "journeys": [{"id": "j", "name": "J", "customers": 1, "touchpoints": [
        {"id": "t", "name": "T", "depends_on": [sys_id, "edge-firewall"]}]}]}
    model = cx.merge(doc, cmdb, match="property:servicenow:sys_id").model
    assert [d.element for d in model.journeys[0].touchpoints[0].depends_on] == ["core-db", "edge-firewall"]
    doc["journeys"][0]["touchpoints"][0]["depends_on"] = ["core-db"]  # type: ignore[index]
    assert cx.merge(doc, cmdb, match="id").model.journeys[0].touchpoints[0].depends_on[0].element == "core-db"
    backstage = cx.load(data_dir / "backstage")
    doc["journeys"][0]["touchpoints"][0]["depends_on"] = ["component:default/www-artist"]  # type: ignore[index]
    model = cx.merge(doc, backstage, match="property:backstage:ref").model
    assert model.journeys[0].touchpoints[0].depends_on[0].element == "www-artist"
    with pytest.raises(ValueError, match="match must be 'id', 'name' or 'property:KEY'"):
        cx.merge(doc, backstage, match="title")


def test_ambiguous_names_are_errors_and_id_clashes_renamed() -> None:
    estate = cx.Model(name="E")
    estate.add_element("a1", "Twin", kind="system")
    estate.add_element("a2", "twin", kind="system", depends_on=["a1"])
    doc: dict[str, Any] = {"cxgraph": 1, "name": "J", "elements": [{"id": "a1", "name": "Other", "kind": "system",
                                                                    "depends_on": ["TWIN"]}]}
    with pytest.raises(cx.ModelError) as err:
        cx.merge(doc, estate)
    assert [p.message for p in err.value.problems] == [
        "'TWIN' matches 2 estate elements (a1-2, a2): write the id, or match by another key"]
    doc["elements"][0]["depends_on"] = ["a2"]
    result = cx.merge(doc, estate)
    assert [(e.id, e.name, [d.element for d in e.depends_on]) for e in result.model.elements] == [
        ("a1", "Other", ["a2"]), ("a1-2", "Twin", []), ("a2", "twin", ["a1-2"])]
    assert result.notes[0] == ("the estate's 'a1' is now 'a1-2': the journeys model uses the id 'a1' for another "
                               "item")


def test_the_merge_command(journeys: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "merged.json"
    assert main(["merge", str(journeys), str(data_dir / "servicenow" / "csv"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "merged Retail bank: 2 references matched in the estate, 1 unmatched, 0 conflicts" in printed
    assert "  unmatched: elements[0]: 'web' is not in the estate, kept as defined" in printed
    assert len(cx.load(out).elements) == 14
    assert main(["merge", str(journeys), str(data_dir / "servicenow" / "csv"), "-o", str(tmp_path / "m.xml")]) == 1
    assert "give OUT a .yaml, .yml or .json name" in capsys.readouterr().err
    assert main(["merge", str(journeys), str(data_dir / "servicenow" / "csv"), "-o", "-", "--match", "id"]) == 1
    err = capsys.readouterr().err
    assert "'Mobile Banking App Service' is neither in this model nor in the estate (matched by id)" in err


def test_the_merge_command_prefers_a_side_and_writes_to_standard_output(
        tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "j.yaml"
    path.write_text("cxgraph: 1\nname: J\nelements:\n  - {id: db, name: Core DB, kind: system}\n")
    estate = str(data_dir / "servicenow" / "json")
    assert main(["merge", str(path), estate, "-o", "-"]) == 1
    assert "j.yaml:4:35: elements[0].kind: kind is 'system' here but 'data'" in capsys.readouterr().err
    assert main(["merge", str(path), estate, "-o", "-", "--prefer", "journeys"]) == 0
    out, err = capsys.readouterr()
    assert "  conflict: core-db.kind: journeys model 'system', estate 'data': kept the journeys model's" in err
    assert cx.loads(out).get("core-db").kind == "system"


def test_the_estate_and_the_journeys_given_as_files_or_models(data_dir: Path) -> None:
    journeys = cx.Model(name="J")
    journeys.add_journey("j", "J", customers=10).add_touchpoint("t", "T", depends_on=["search"])
    journeys.add_element("search", "Wayback Search", kind="system", owner="team-a")  # a stub the estate defines
    result = cx.merge(journeys, data_dir / "backstage", match="property:backstage:ref")
    # no backstage:ref on the stub: kept as it is, with the estate's closest ids
    assert result.unmatched == (("elements[0]", "search", ("component-wayback-search",)),)
    result = cx.merge(journeys, data_dir / "backstage", match="name")
    assert result.unmatched == (("elements[0]", "search", ("component-wayback-search", "component-wayback-archive",
                                                           "api-wayback-search")),)
    journeys.elements[0].name = "wayback-search"
    journeys.elements[0].properties = {"backstage:ref": "component:default/wayback-search"}
    result = cx.merge(journeys, data_dir / "backstage", match="property:backstage:ref")
    assert result.model.journeys[0].touchpoints[0].depends_on[0].element == "component-wayback-search"
    assert result.model.get("component-wayback-search").owner == "team-a"
