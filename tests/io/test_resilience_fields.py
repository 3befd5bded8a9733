"""Tolerances, recovery times and scenarios survive every file format: YAML, JSON, spreadsheets, ArchiMate."""

from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx

from ..conftest import DATA


@pytest.fixture
def worked() -> cx.Model:
    m = cx.load(DATA / "resilience.yaml")
    m.scenarios.append(cx.Scenario.model_validate({
        "id": "by-property", "name": "By property", "fail_where": {"kind": "vendor", "property": {"site": "east"}}}))
    m.elements[2].properties = {"site": "east"}
    return m


@pytest.mark.parametrize("target", ["model.yaml", "model.json", "tables", "tables.xlsx", "model.xml", "archi-csv"])
def test_round_trip(worked: cx.Model, tmp_path: Path, target: str) -> None:
    path = tmp_path / target
    if target.startswith("model.") and not target.endswith(".xml"):
        worked.save(path)
        again = cx.load(path)
    elif target.startswith("tables"):
        cx.io.write_tables(worked, path)
        again = cx.io.read_tables(path)
    elif target.endswith(".xml"):
        cx.io.write_archimate(worked, path)
        again, _ = cx.io.read_archimate(path)
    else:
        cx.io.write_archi_csv(worked, path)
        again, _ = cx.io.read_archi_csv(path)
    assert again == worked
    assert again.journeys[0].tolerance.hours == 2 and again.elements[0].recovery_hours == 1
    assert [s.id for s in again.scenarios] == ["north", "by-property"]


def test_spreadsheet_scenario_cells(worked: cx.Model, tmp_path: Path) -> None:
    cx.io.write_tables(worked, tmp_path)
    rows = (tmp_path / "scenarios.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "id,name,fail,where_tag,where_kind,where_owner,where_property,hours,description,tags"
    assert rows[1] == "north,Loss of the north data centre,psp-b,site:north,,,,psp-b=3,,"
    assert rows[2] == "by-property,By property,,,vendor,,site=east,,,"


def test_spreadsheet_errors_point_at_the_cell(worked: cx.Model, tmp_path: Path) -> None:
    cx.io.write_tables(worked, tmp_path)
    sheet = tmp_path / "scenarios.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace("site:north", "site:south"), encoding="utf-8")
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables(tmp_path)
    [problem] = err.value.problems
    assert (Path(problem.file).name, problem.line, problem.column) == ("scenarios.csv", 2, 4)
    assert "matches no element" in problem.message
