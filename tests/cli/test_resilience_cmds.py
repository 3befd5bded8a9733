"""The resilience and resilience-map commands."""

from __future__ import annotations

import json

import pytest

from cxgraph.cli import main

from ..conftest import DATA

FILE = str(DATA / "resilience.yaml")


def test_table_names_the_breach(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience", FILE]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Worked resilience example: 1 scenario, 1 breach of an impact tolerance\n")
    assert "Loss of the north data centre (north): fails 3 elements" in out
    assert out.rstrip().endswith("north: breach: Pay a bill is disrupted for 3 h against a tolerance of 2 h; "
                                 "it ends when Card processor B is restored")


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience", FILE, "--format", "json", "--breaches"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["scenario"], r["id"], r["disruption_hours"]) for r in data["items"]] == [("north", "pay", 3.0)]


def test_plausible_with_by(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience", FILE, "--plausible", "--by", "tag:site", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("scenario,scenario_name,id,name,type")
    assert "site-north" in out and "platform-idp" in out


def test_unknown_scenario_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience", FILE, "--scenario", "south"]) == 1
    assert "unknown scenario 'south'" in capsys.readouterr().err


def test_by_without_plausible_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience", FILE, "--by", "tag:site"]) == 1
    assert "--by applies only with --plausible" in capsys.readouterr().err


def test_map(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resilience-map", FILE]) == 0
    out = capsys.readouterr().out
    assert "Pay a bill (pay), tolerance 2 h" in out and "Vendor concentration" in out
    assert main(["resilience-map", FILE, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["analysis"] == "resilience_map"


def test_plan_against_breaches(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "example:retail-bank", "--objective", "breaches"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Against breaches of impact tolerance: 1 initiative(s), cost 900,000; 6 breach(es) now, "
                          "leaves 5 breach(es)")
    assert "do: i-core-active-active" in out
    assert main(["plan", "example:retail-bank", "--objective", "breaches", "--scenario", "core-outage",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["chosen_ids"], data["feasible"], data["n_breaches_after"]) == (["i-core-active-active"], True, 0)


def test_plan_needs_a_budget_for_the_burden(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:             # a usage error, exit 2
        main(["plan", "example:retail-bank"])
    assert info.value.code == 2
    assert "--budget is required" in capsys.readouterr().err
