"""Structurizr workspaces: the Big Bank plc example, every mapping rule, and bad input located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cxgraph as cx


@pytest.fixture
def big_bank(data_dir: Path) -> tuple[cx.Model, cx.io.ImportLog]:
    return cx.io.read_structurizr(data_dir / "structurizr" / "big-bank-plc.json", customers=10000)


def _deps(model: cx.Model, eid: str) -> list[tuple[str, str | None]]:
    return [(d.element, d.group) for d in model.get(eid).depends_on]  # type: ignore[attr-defined]


def test_the_customer_is_a_journey_and_what_they_use_its_touchpoints(big_bank: tuple[cx.Model, Any]) -> None:
    model, _ = big_bank
    (journey,) = model.journeys
    assert (journey.id, journey.segment, journey.customers) == ("personal-banking-customer",
                                                                "Personal Banking Customer", 10000)
    assert [(t.name, [d.element for d in t.depends_on]) for t in journey.touchpoints] == [
        ("Views account balances, and makes payments using Internet Banking System", ["internet-banking-system"]),
        ("Views account balances, and makes payments using Single-Page Application", ["single-page-application"]),
        ("Visits bigbank.com/ib using Web Application", ["web-application"]),
        ("Views account balances, and makes payments using Mobile App", ["mobile-app"]),
        ("Withdraws cash using ATM", ["atm"]),
        ("Asks questions to Customer Service Staff", ["customer-service-staff"]),
    ]


def test_staff_systems_containers_and_components(big_bank: tuple[cx.Model, Any]) -> None:
    model, _ = big_bank
    assert model.get("customer-service-staff").kind == "team"  # location Internal
    assert _deps(model, "customer-service-staff") == [("mainframe-banking-system", None)]
    assert model.get("database").kind == "data"  # container tagged Database
    assert model.get("internet-banking-system").properties == {"structurizr:id": "2",
                                                               "structurizr:type": "softwareSystem"}
    # relationships first, then the parts: a system rests on its containers
    assert _deps(model, "internet-banking-system") == [
        ("mainframe-banking-system", None), ("e-mail-system", None), ("api-application", None), ("database", None),
        ("mobile-app", None), ("single-page-application", None), ("web-application", None)]
    assert _deps(model, "reset-password-controller") == [("security-component", None), ("e-mail-component", None)]


def test_the_live_deployment_hosts_the_containers(big_bank: tuple[cx.Model, Any]) -> None:
    model, report = big_bank
    # the database runs on two nodes: alternatives
    assert _deps(model, "database") == [("bigbank-db01-oracle-primary", "deployment"),
                                        ("bigbank-db02-oracle-secondary", "deployment")]
    assert _deps(model, "bigbank-db01-oracle-primary") == [("big-bank-plc-bigbank-db01", None)]
    assert _deps(model, "big-bank-plc-bigbank-db01") == [("big-bank-plc", None)]
    assert report.notes[0] == "deployment environment 'Live' read (others: Development); choose with environment="
    kept = [e for e in report.kept_elements if e.type == "deploymentNode"]
    assert len(kept) == 8 and all("'Development'" in e.outcome for e in kept)


def test_every_element_and_relationship_is_accounted_for(big_bank: tuple[cx.Model, Any]) -> None:
    _, report = big_bank
    assert report.counts() == {"elements_read": 51, "elements_mapped": 38, "elements_kept": 13,
                               "relationships_read": 42, "relationships_mapped": 30, "relationships_kept": 12}
    outcomes = {r.id: r.outcome for r in report.kept_relationships}
    assert outcomes["8"] == "to a customer: not a dependency"  # E-mail System sends e-mails to the customer
    assert outcomes["62"] == "implied by relationship '26'"
    assert outcomes["93"] == "between deployment nodes: traffic, not what runs on what"
    assert len(report.views) == 7


def test_options_environment_staff_and_parts(data_dir: Path) -> None:
    path = data_dir / "structurizr" / "big-bank-plc.json"
    model, report = cx.io.read_structurizr(path, environment="Development", staff=["Personal Banking Customer"],
                                           parts=False)
    assert model.journeys == []
    assert _deps(model, "internet-banking-system") == [("mainframe-banking-system", None), ("e-mail-system", None)]
    assert _deps(model, "database") == [("docker-container-database-server-database-server", None)]
    assert "journey 'Personal Banking Customer'" not in " ".join(report.notes)
    with pytest.raises(cx.FormatError, match=r"no deployment environment 'Staging' \(the workspace has: "
                                             r"Development, Live\)"):
        cx.io.read_structurizr(path, environment="Staging")


def test_customer_counts_by_person_and_the_default(tmp_path: Path) -> None:
    ws = {"model": {"people": [{"id": "1", "name": "A"}, {"id": "2", "name": "B"}]}}
    (tmp_path / "w.json").write_text(json.dumps(ws))
    model, report = cx.io.read_structurizr(tmp_path / "w.json", customers={"A": 70})
    assert [(j.id, j.customers) for j in model.journeys] == [("a", 70), ("b", 1)]
    assert report.notes == ("journey 'B' has no customer count (customers=): using 1",)


@pytest.mark.parametrize(("workspace", "message"), [
    ({"model": {"people": {"id": "1"}}}, r"model.people: expected a list"),
    ({"model": {"softwareSystems": [{"name": "x"}]}}, r"model.softwareSystems\[0\]: expected an element with an 'id'"),
    ({"model": {"people": [{"id": "1", "relationships": [{"id": "2"}]}]}},
     r"model.people\[0\].relationships\[0\]: expected a relationship with a 'destinationId'"),
    ([], r"not a Structurizr workspace"),
])
def test_bad_input_is_located(tmp_path: Path, workspace: Any, message: str) -> None:
    (tmp_path / "w.json").write_text(json.dumps(workspace))
    with pytest.raises(cx.FormatError, match=message):
        cx.io.read_structurizr(tmp_path / "w.json")


def test_a_relationship_to_an_unknown_element_is_kept_aside(tmp_path: Path) -> None:
    ws = {"model": {"softwareSystems": [{"id": "1", "name": "S", "relationships": [
        {"id": "5", "sourceId": "1", "destinationId": "99"}, {"id": "6", "sourceId": "1", "destinationId": "1"}]}]}}
    (tmp_path / "w.json").write_text(json.dumps(ws))
    _, report = cx.io.read_structurizr(tmp_path / "w.json")
    assert [r.outcome for r in report.relationships] == ["refers to '99', not an element of the workspace",
                                                         "relates an element to itself"]


def test_system_instances_and_custom_elements(big_bank: tuple[cx.Model, Any], tmp_path: Path) -> None:
    model, _ = big_bank
    # the mainframe is deployed as a software system instance on bigbank-prod001
    assert _deps(model, "mainframe-banking-system") == [("big-bank-plc-bigbank-prod001", None)]
    ws = {"model": {"customElements": [{"id": "1", "name": "Printer"}],
                    "people": [{"id": "2", "name": "A", "relationships": [
                        {"id": "3", "sourceId": "2", "destinationId": "4", "technology": "HTTPS"},
                        {"id": "5", "sourceId": "2", "destinationId": "6"}]}, {"id": "6", "name": "B"}],
                    "softwareSystems": [{"id": "4", "name": "S"}]}}
    (tmp_path / "w.json").write_text(json.dumps(ws))
    model, report = cx.io.read_structurizr(tmp_path / "w.json")
    assert [(e.id, e.status, e.outcome) for e in report.elements if e.status == "kept"] == [
        ("1", "kept", "customElement: no counterpart in cxgraph")]
    (touchpoint,) = model.journeys[0].touchpoints
    assert (touchpoint.name, touchpoint.channel) == ("S", "HTTPS")  # no description: the element's name
    assert report.relationships[1].outcome == "between two customers: not a touchpoint"


def test_errors_give_the_line_in_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "w.json").write_text('{"model": {\n  "people": [\n    {"id": "1", "relationships": [\n'
                                     '      {"id": "2", "sourceId": "1"}]}]}}')
    with pytest.raises(cx.FormatError) as err:
        cx.io.read_structurizr(tmp_path / "w.json")
    assert (err.value.line, err.value.reason) == (
        4, "model.people[0].relationships[0]: expected a relationship with a 'destinationId' (column 7)")
