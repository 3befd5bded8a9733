"""ServiceNow CMDB exports: every mapping rule on the sample exports, and bad input located."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import cxgraph as cx
from cxgraph.io._sources import NO_JOURNEYS
from cxgraph.io.cmdb.classes import kinds_of, relation_rule


@pytest.fixture(params=["csv", "json"])
def export(request: pytest.FixtureRequest, data_dir: Path) -> tuple[cx.Model, cx.io.ImportLog]:
    return cx.io.read_servicenow(data_dir / "servicenow" / request.param)


def _elements(model: cx.Model) -> dict[str, tuple[str, str | None, list[tuple[str, str | None]]]]:
    return {e.id: (e.kind, e.owner, [(d.element, d.group) for d in e.depends_on]) for e in model.elements}


def test_csdm_classes_become_kinds_and_relationships_links(export: tuple[cx.Model, cx.io.ImportLog]) -> None:
    model, _ = export
    assert _elements(model) == {
        "mobile-banking-retail": ("service", None, [("mobile-banking-app-service", None)]),   # service_offering
        "retail-banking": ("service", None, []),                                              # business service
        "mobile-banking-app-service": ("service", "mobile-platform-team",                     # application service
                                       [("payments-gateway-legacy-v2", None), ("app-cluster", None)]),
        "mobile-banking": ("system", None, []),                                               # business application
        "payments-gateway-legacy-v2": ("system", None, [("core-db", None)]),                  # name with , and \n
        "app-cluster": ("infrastructure", None, [("lnx-app-01", "members"), ("lnx-app-02", "members")]),
        "lnx-app-01": ("infrastructure", None, [("acme-hosting-inc", None), ("edge-firewall", None)]),
        "lnx-app-02": ("infrastructure", None, []),
        "core-db": ("data", None, [("lnx-app-02", None)]),                                    # Runs on::Runs
        "edge-firewall": ("infrastructure", None, []),                                        # network gear
        "mobile-platform-team": ("team", None, []),                                           # group
        "acme-hosting-inc": ("vendor", None, []),                                             # company
        "lab-widget": ("infrastructure", None, [("edge-firewall", None)]),                    # unknown class
    }
    gateway = model.get("payments-gateway-legacy-v2")
    assert gateway.name == "Payments gateway\n(legacy, v2)"
    assert gateway.properties["servicenow:class"] == "cmdb_ci_appl"
    assert model.get("acme-hosting-inc").name == "Acme Hosting, Inc."


def test_every_item_and_relationship_is_accounted_for(export: tuple[cx.Model, cx.io.ImportLog]) -> None:
    _, report = export
    assert report.counts() == {"elements_read": 15, "elements_mapped": 13, "elements_kept": 2,
                               "relationships_read": 18, "relationships_mapped": 11, "relationships_kept": 7}
    assert [(e.name, e.outcome) for e in report.kept_elements] == [
        ("lnx-old-01", "retired: left out"), ("Digital Banking", "cmdb_ci_business_capability: not an element")]
    assert [e.outcome for e in report.kept_relationships] == [
        "touches a retired item ('lnx-old-01')",
        "'IP Connection::IP Connection': no dependency direction to read",
        "same link as row 1",
        "relates an item to itself",
        "the child '0123456789abcdef0123456789abcdef' is not in cmdb_ci",
        "the owner is not a group or company",
        "touches an item left out ('Digital Banking')",
    ]
    assert report.notes[0] == "1 retired item left out"
    assert "u_lab_widget (1, as infrastructure)" in report.notes[1]


def test_csv_rows_keep_their_lines_across_quoted_line_breaks(data_dir: Path) -> None:
    _, report = cx.io.read_servicenow(data_dir / "servicenow" / "csv")
    lines = {e.name: e.line for e in report.elements}
    assert lines["Mobile Banking - Retail"] == 2
    assert lines["Payments gateway\n(legacy, v2)"] == 6
    assert lines["App cluster"] == 8  # after the two-line name
    assert report.relationships[9].line == 11  # names in place of sys_ids (display values) resolve too
    assert report.relationships[9].outcome == "dependency"


def test_the_items_file_alone_and_the_relationships_file_given(data_dir: Path) -> None:
    folder = data_dir / "servicenow" / "csv"
    model, _ = cx.io.read_servicenow(folder / "cmdb_ci.csv")
    assert len(model.elements) == 13
    model, _ = cx.io.read_servicenow(folder / "cmdb_ci.csv", data_dir / "servicenow" / "json" / "cmdb_rel_ci.json")
    assert len(model.get("app-cluster").depends_on) == 2


def test_without_relationships_the_report_says_so(tmp_path: Path) -> None:
    (tmp_path / "cmdb_ci.csv").write_text("sys_id,name,sys_class_name\na,A,cmdb_ci_appl\n")
    model, report = cx.io.read_servicenow(tmp_path)
    assert [(e.id, e.kind) for e in model.elements] == [("a", "system")]
    assert report.notes == ("no cmdb_rel_ci file beside the items: no dependencies read", NO_JOURNEYS)


@pytest.mark.parametrize(("cls", "kind"), [
    ("cmdb_ci_service_technical", "service"), ("cmdb_ci_service_discovered", "service"),
    ("cmdb_ci_db_mssql_instance", "data"), ("cmdb_ci_database", "data"), ("cmdb_ci_esx_server", "infrastructure"),
    ("cmdb_ci_lb_f5", "infrastructure"), ("cmdb_ci_appl_sap", "system"), ("cmn_department", "team"),
    ("cmdb_ci_business_process", "process"), ("u_my_group", "team"), ("u_thing", "infrastructure"),
])
def test_class_rules(cls: str, kind: str) -> None:
    assert kinds_of(pd.Series([cls])).tolist() == [kind]


@pytest.mark.parametrize(("type_name", "rule"), [
    ("Depends on::Used by", "parent"), ("Runs on::Runs", "parent"), ("Hosted on::Hosts", "parent"),
    ("Virtualized by::Virtualizes", "parent"), ("Contains::Contained by", "parent"), ("Uses::Used by", "parent"),
    ("Consumes::Consumed by", "parent"), ("Owned by::Owns", "owner"), ("IP Connection::IP Connection", None),
    ("Members::Member of", "members"), ("Managed by::Manages", "owner"), ("Supported by::Supports", "owner"),
    ("Sends data to::Receives data from", None), ("  depends ON ::  used by ", "parent"), ("Frobs::Frobbed by", False),
])
def test_relationship_rules(type_name: str, rule: str | bool | None) -> None:
    assert relation_rule(type_name) == rule


def test_options_override_classes_and_types(tmp_path: Path) -> None:
    (tmp_path / "cmdb_ci.csv").write_text("sys_id,name,sys_class_name\na,A,u_flow\nb,B,cmdb_ci_appl\n")
    (tmp_path / "cmdb_rel_ci.csv").write_text("parent,child,type\na,b,Sends data to::Receives data from\n")
    model, _ = cx.io.read_servicenow(tmp_path, kinds={"u_flow": "process"},
                                     relations={"Sends data to::Receives data from": "child"})
    assert _elements(model) == {"a": ("process", None, []), "b": ("system", None, [("a", None)])}
    model, report = cx.io.read_servicenow(tmp_path, kinds={"cmdb_ci_appl": None}, ids="sys_id")
    assert [e.id for e in model.elements] == ["a"]
    assert report.kept_relationships[0].outcome == "touches an item left out ('B')"


def test_a_second_owner_and_a_shared_name_are_kept_aside(tmp_path: Path) -> None:
    (tmp_path / "cmdb_ci.csv").write_text("sys_id,name,sys_class_name\na,App,cmdb_ci_appl\ng,Ops,sys_user_group\n"
                                          "h,Dev,sys_user_group\nx,Twin,cmdb_ci_appl\ny,Twin,cmdb_ci_appl\n")
    (tmp_path / "cmdb_rel_ci.csv").write_text("parent,child,type\na,g,Managed by::Manages\na,h,Managed by::Manages\n"
                                              "a,Twin,Depends on::Used by\n")
    model, report = cx.io.read_servicenow(tmp_path)
    assert model.get("app").owner == "ops"
    assert [e.outcome for e in report.kept_relationships] == [
        "a second owner (the first is row 1)", "the child 'Twin' names several items: give its sys_id"]
    assert [e.id for e in model.elements][-2:] == ["twin", "twin-2"]


def test_bad_input_is_located(tmp_path: Path) -> None:
    (tmp_path / "cmdb_ci.csv").write_text("sys_id,name\na,A\n")
    with pytest.raises(cx.FormatError, match=r"cmdb_ci.csv:1: missing column 'sys_class_name' \(found: sys_id, name\)"):
        cx.io.read_servicenow(tmp_path)
    (tmp_path / "cmdb_ci.csv").write_text('sys_id,name,sys_class_name\na,A,x\n,"B\nC",x\n')
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_servicenow(tmp_path)
    problem = err.value.problems[0]
    assert (problem.line, problem.path, problem.message) == (3, "row 2, column sys_id",
                                                             "empty sys_id: every item needs one")
    (tmp_path / "cmdb_ci.csv").unlink()
    (tmp_path / "cmdb_ci.json").write_text('{"records": [{"sys_id": "a"}, 7]}')
    with pytest.raises(cx.FormatError, match=r"cmdb_ci.json: records\[1\]: expected a record"):
        cx.io.read_servicenow(tmp_path)
    (tmp_path / "cmdb_ci.json").write_text('{"records": [\n{"sys_id": "a",}]}')
    with pytest.raises(cx.FormatError, match=r"cmdb_ci.json:2: malformed JSON \(column 16\): Expecting property name"):
        cx.io.read_servicenow(tmp_path)
    (tmp_path / "cmdb_ci.json").write_text(json.dumps({"rows": []}))
    with pytest.raises(cx.FormatError, match="expected a list of records, or an object with 'records'"):
        cx.io.read_servicenow(tmp_path)
    with pytest.raises(cx.ModelError, match=r"kinds\['x'\]: unknown kind 'sytem'"):
        cx.io.read_servicenow(tmp_path, kinds={"x": "sytem"})
    with pytest.raises(cx.FormatError, match=r"no cmdb_ci\.csv or cmdb_ci\.json in this folder"):
        cx.io.read_servicenow(tmp_path / "..")


def test_install_status_retired_and_a_duplicate_sys_id(tmp_path: Path) -> None:
    (tmp_path / "cmdb_ci.csv").write_text("sys_id,name,sys_class_name,install_status\n"
                                          "a,App,cmdb_ci_appl,1\nb,Old,cmdb_ci_appl,Retired\na,Again,cmdb_ci_appl,1\n")
    model, report = cx.io.read_servicenow(tmp_path)
    assert [e.id for e in model.elements] == ["app"]
    assert [(e.name, e.outcome) for e in report.kept_elements] == [
        ("Old", "retired: left out"), ("Again", "same sys_id as an earlier row: left out")]


@pytest.mark.parametrize("form", ["csv", "json"])
def test_estate_reader_gives_the_same_estate_as_the_model_reader(form: str, data_dir: Path) -> None:
    model, report = cx.io.read_servicenow(data_dir / "servicenow" / form)
    estate, estate_report = cx.io.read_servicenow_estate(data_dir / "servicenow" / form)
    assert estate.to_model() == model
    assert estate_report.counts() == report.counts()
    assert list(estate.links["group"]).count("members") == 2
    pay = [{"id": "pay", "name": "Pay by phone", "customers": 100,
            "touchpoints": [{"id": "app", "name": "App", "depends_on": ["mobile-banking-retail"]}]}]
    merged = cx.Estate.from_tables(estate.elements, estate.links, cx.Model.model_validate({"journeys": pay}))
    whole = cx.Model.model_validate({**model.to_dict(), "journeys": pay})
    assert cx.impact(merged).impact == cx.impact(whole).impact
    assert cx.impact(merged).impact["lnx-app-02"] == 100.0  # core-db runs on it; the cluster needs one of two
