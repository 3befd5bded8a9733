"""No silent zeros: one check of what makes impacts 0, carried by every analysis and command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

NO_JOURNEYS = ("the model has no journeys, so no customer interaction can be lost and every customer impact is 0: add "
               "journeys with touchpoints (from an ArchiMate or Archi file, choose them with journeys= or --journeys; "
               "its import log lists the candidates it found)")


def _model(text: str) -> cx.Model:
    return cx.loads("cxgraph: 1\n" + text)


ESTATE = "elements: [{id: crm, name: CRM, kind: system}]"
LONELY = """
journeys:
  - id: buy
    name: Buy
    customers: 100
    touchpoints: [{id: browse, name: Browse}, {id: pay, name: Pay, depends_on: [psp]}]
elements: [{id: psp, name: Payment provider, kind: vendor}]
"""
REDUNDANT = """
journeys:
  - id: buy
    name: Buy
    customers: 100
    touchpoints:
      - {id: pay, name: Pay, depends_on: [{element: a, group: g}, {element: b, group: g}]}
elements: [{id: a, name: A, kind: system}, {id: b, name: B, kind: system}]
"""


def test_each_cause_of_zero_impacts_is_named() -> None:
    assert cx.analysis.coverage_notes(_model(ESTATE)) == [NO_JOURNEYS]
    assert cx.analysis.coverage_notes(_model(LONELY)) == [
        "1 of 2 touchpoints depend on nothing, so no failure reaches them: 'Browse' (give them depends_on links)"]
    none = _model(LONELY.replace("depends_on: [psp]", "depends_on: []"))
    assert cx.analysis.coverage_notes(none)[0].startswith("none of the 2 touchpoints depends on anything, so every "
                                                          "customer impact is 0")
    zero = _model(LONELY.replace("customers: 100", "customers: 0"))
    assert cx.analysis.coverage_notes(zero)[-1].startswith("every journey has 0 customers (or importance 0)")


def test_an_all_zero_impact_is_said_only_when_nothing_else_explains_it() -> None:
    model = _model(REDUNDANT)
    result = cx.impact(model)
    assert max(result.impact.values()) == 100.0  # the touchpoint's own weight; every element's impact is 0
    assert result.notes == ("every element's impact is 0: no single failure reaches a touchpoint (every dependency is "
                            "redundant, or has strength 0)",)
    assert cx.analysis.coverage_notes(model) == []


def test_every_analysis_carries_the_notes() -> None:
    model = _model(LONELY)
    expected = cx.analysis.coverage_notes(model)[0]
    results = [cx.impact(model), cx.what_if(model, fail=["psp"]), cx.single_points_of_failure(model),
               cx.explain(model, "psp"), cx.gaps(model), cx.pain(model)]
    for result in results:
        assert expected in result.notes, type(result).__name__
        assert expected in result.to_dict()["notes"], type(result).__name__


@pytest.mark.parametrize("command", [["validate"], ["summary"], ["impact"], ["spof"], ["what-if", "--fail", "psp"],
                                     ["explain", "psp"]])
def test_every_command_says_so_on_standard_error(command: list[str], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lonely.yaml"
    path.write_text("cxgraph: 1\n" + LONELY)
    assert main([command[0], str(path), *command[1:]]) == 0
    err = capsys.readouterr().err
    assert "note: 1 of 2 touchpoints depend on nothing, so no failure reaches them: 'Browse'" in err


def test_convert_and_summary_json_carry_the_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text("cxgraph: 1\n" + ESTATE)
    assert main(["convert", str(path), "-o", str(tmp_path / "out.json")]) == 0
    assert capsys.readouterr().err == f"note: {NO_JOURNEYS}\n"
    assert main(["summary", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == [NO_JOURNEYS]
