"""The impact commands: impact, what-if, spof, explain; JSON shape, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

BANK = "example:retail-bank"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_impact_json_covers_every_element_touchpoint_and_capability(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", BANK, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert sorted(data) == ["capabilities", "elements", "measure", "model", "notes", "unit"]
    assert (data["measure"], data["unit"], data["notes"]) == ("interactions", "interactions / month", [])
    model = cx.examples.load("retail-bank")
    result = cx.impact(model)
    expected = {e.id: e.kind for e in model.elements} | {t.id: "touchpoint" for t in model.touchpoints}
    assert {e["id"]: e["kind"] for e in data["elements"]} == expected
    assert {c["id"] for c in data["capabilities"]} == {c.id for c in model.capabilities}
    for entry in data["elements"]:
        assert sorted(entry) == ["id", "impact", "journeys", "kind", "name", "rank", "touchpoints"]
        assert entry["impact"] == result.impact[entry["id"]]          # full precision
        assert entry["rank"] == result.rank[entry["id"]]
    for entry in data["capabilities"]:
        assert {"id", "name", "impact", "rank", "journeys", "touchpoints"} <= set(entry)
        assert entry["impact"] == result.impact[entry["id"]]
    impacts = [e["impact"] for e in data["elements"]]
    assert impacts == sorted(impacts, reverse=True)


def test_impact_top_and_revenue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", BANK, "--format", "json", "--top", "3", "--measure", "revenue")
    data = json.loads(out)
    assert code == 0 and len(data["elements"]) == 3 and len(data["capabilities"]) == 3
    revenue = cx.impact(cx.examples.load("retail-bank"), measure="revenue")
    frame = revenue.to_frame()
    assert data["elements"][0]["impact"] == frame[frame["type"] != "capability"]["impact"].iloc[0]
    assert data["capabilities"][0]["impact"] == revenue.capabilities()["impact"].iloc[0]


def test_impact_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", BANK, "--top", "2")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Retail bank: customer impact (interactions / month)"
    assert lines[2] == "Elements (top 2 of 54)"
    assert "corp-network" in lines[4] and "759,437.4" in lines[4]
    code, out, _ = run(capsys, "impact", BANK, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["id", "name", "type", "kind", "impact", "rank", "journeys", "touchpoints"]
    model = cx.examples.load("retail-bank")
    assert len(rows) == len(model.elements) + len(model.touchpoints) + len(model.capabilities)


def test_what_if_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "what-if", BANK, "--fail", "core-banking", "--degrade", "crm=0.5", "--format", "json")
    data = json.loads(out)
    expected = cx.what_if(cx.examples.load("retail-bank"), fail=["core-banking"], degrade={"crm": 0.5})
    assert code == 0
    assert data["scenario"] == {"core-banking": 1.0, "crm": 0.5}
    assert data["loss"] == expected.loss
    assert data["lost_touchpoints"] == expected.lost_touchpoints
    code, out, _ = run(capsys, "what-if", BANK, "--fail", "core-banking", "--fail", "crm")
    assert code == 0
    assert out.startswith("Retail bank: what if core-banking=1, crm=1\n")
    assert "Touchpoints fully lost" in out


def test_what_if_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "what-if", BANK, "--fail", "core-bankng")
    assert code == 1 and "unknown element, touchpoint or capability 'core-bankng' (did you mean 'core-banking'" in err
    code, _, err = run(capsys, "what-if", BANK, "--degrade", "crm=1.5")
    assert code == 1 and "between 0 and 1" in err
    for argv in (["what-if", BANK], ["what-if", BANK, "--degrade", "crm"], ["what-if", BANK, "--degrade", "crm=x"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    capsys.readouterr()


def test_spof_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "spof", "example:telecom", "--format", "json")
    data = json.loads(out)
    expected = cx.single_points_of_failure(cx.examples.load("telecom"))
    assert code == 0
    assert [row["element"] for row in data["single"]] == expected.to_frame()["element"].tolist()
    assert data["pairs_searched"] is True
    code, out, _ = run(capsys, "spof", "example:telecom")
    assert code == 0 and "order-2 cut sets searched among" in out
    code, out, _ = run(capsys, "spof", "example:telecom", "--max-pair-elements", "3", "--format", "csv")
    assert code == 0 and out.startswith("element,name,kind,owner,touchpoints,loss\n")


def test_explain_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", BANK, "core-banking")
    assert code == 0 and "Strongest dependency paths" in out and "-> Core banking system\n" in out  # names, not ids
    code, out, _ = run(capsys, "explain", BANK, "core-banking", "--format", "json")
    assert json.loads(out)["impact"] == cx.impact(cx.examples.load("retail-bank")).impact["core-banking"]
    code, _, err = run(capsys, "explain", BANK, "nothing-like-it")
    assert code == 1 and "unknown" in err


def test_invalid_files_and_missing_revenue(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "impact", str(tmp_path / "absent.yaml"))[0] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("cxgraph: 1\nelements: [{id: a, name: A, kind: system, depends_on: [b]}]\n")
    code, _, err = run(capsys, "impact", str(bad))
    assert code == 1 and "unknown element 'b'" in err
    norev = tmp_path / "norev.yaml"
    norev.write_text("cxgraph: 1\njourneys: [{id: j, name: J, customers: 5}]\n")
    code, _, err = run(capsys, "impact", str(norev), "--measure", "revenue")
    assert code == 1 and "no revenue on: j" in err
