"""Every command's JSON output has the one result format and validates against its published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import cxgraph as cx
from cxgraph.analysis.schemas import RESULTS, result_schema
from cxgraph.cli import main

BANK = "example:retail-bank"

COMMANDS = {
    "impact": ["impact", BANK],
    "what_if": ["what-if", BANK, "--fail", "payment-hub"],
    "single_points_of_failure": ["spof", BANK],
    "explain": ["explain", BANK, "core-banking"],
    "priorities": ["priorities", BANK],
    "scorecard": ["scorecard", BANK],
    "compare": ["compare", BANK, BANK],
    "plan": ["plan", BANK, "--budget", "500000"],
    "plan_frontier": ["plan", BANK, "--budget", "0", "500000"],
    "sensitivity": ["sensitivity", BANK, "--samples", "20"],
    "resilience": ["resilience", BANK],
    "resilience_map": ["resilience-map", BANK],
    "risk": ["risk", BANK],
}


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    code = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("analysis", sorted(COMMANDS))
def test_command_json_validates_against_its_schema(capsys: pytest.CaptureFixture[str], analysis: str) -> None:
    data = _json(capsys, COMMANDS[analysis])
    assert data["cxgraph_result"] == 1 and data["analysis"] == analysis
    assert list(data)[:6] == ["cxgraph_result", "analysis", "model", "measure", "unit", "notes"]
    assert data["model"] == "Retail bank"
    jsonschema.validate(data, result_schema(analysis))
    for key, rows in data.items():
        if key.endswith("items"):
            assert all({"id", "name", "type"} <= set(row) for row in rows), key
    # no key of any row is a subject named otherwise, a bare count or a bare list of ids
    for rows in (v for k, v in data.items() if k.endswith("items")):
        for row in rows:
            assert not {"first", "second", "note", "rows", "single"} & set(row)
            assert not any(isinstance(v, int) and not isinstance(v, bool) and k in ("touchpoints", "journeys")
                           for k, v in row.items())


def test_every_analysis_publishes_a_schema_and_the_cli_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(COMMANDS) | {"pain", "gaps", "risk"} == set(RESULTS)
    for name in RESULTS:
        assert main(["schema", "--result", name]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == result_schema(name)
        assert set(printed["required"]) >= {"cxgraph_result", "analysis", "model", "measure", "unit", "notes", "items"}
        jsonschema.Draft202012Validator.check_schema(printed)
    assert main(["schema", "--result", "nothing"]) == 1
    assert "unknown result 'nothing'" in capsys.readouterr().err


def test_results_without_a_command_validate_too() -> None:
    model = cx.examples.load("telecom")
    for name, result in (("pain", cx.pain(model)), ("gaps", cx.gaps(model)), ("risk", cx.risk(model))):
        data = json.loads(result.to_json())
        assert data["analysis"] == name
        jsonschema.validate(data, result_schema(name))


def test_validate_prints_problems_as_objects(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cxgraph: 1\nelements:\n  - {id: a, name: A, kind: sytem}\n", encoding="utf-8")
    assert main(["validate", str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False and data["counts"] == {}
    (problem,) = data["problems"]
    assert problem["file"] == str(bad) and problem["line"] == 3 and problem["path"] == "elements[0].kind"
    assert "sytem" in problem["message"] and isinstance(problem["column"], int)
    assert main(["validate", BANK, "--format", "json"]) == 0
    good = json.loads(capsys.readouterr().out)
    assert good["valid"] is True and good["problems"] == [] and good["counts"]["journeys"] == 4
