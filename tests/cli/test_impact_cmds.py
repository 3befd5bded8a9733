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
    assert sorted(data) == ["analysis", "capability_items", "cxgraph_result", "items", "measure", "model", "notes",
                            "unit"]
    assert (data["measure"], data["unit"], data["notes"]) == ("interactions", "interactions / month", [])
    model = cx.examples.load("retail-bank")
    result = cx.impact(model)
    expected = {e.id: e.kind for e in model.elements} | {t.id: "touchpoint" for t in model.touchpoints}
    assert {e["id"]: e["kind"] for e in data["items"]} == expected
    assert {c["id"] for c in data["capability_items"]} == {c.id for c in model.capabilities}
    for entry in data["items"]:
        assert sorted(entry) == ["id", "impact", "kind", "n_journeys", "n_touchpoints", "name", "rank", "type"]
        assert entry["impact"] == result.impact[entry["id"]]          # full precision
        assert entry["rank"] == result.rank[entry["id"]]
    for entry in data["capability_items"]:
        assert {"id", "name", "type", "impact", "rank", "n_journeys", "n_touchpoints"} <= set(entry)
        assert entry["impact"] == result.impact[entry["id"]]
    impacts = [e["impact"] for e in data["items"]]
    assert impacts == sorted(impacts, reverse=True)


def test_impact_top_and_revenue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", BANK, "--format", "json", "--top", "3", "--measure", "revenue")
    data = json.loads(out)
    assert code == 0 and len(data["items"]) == 3 and len(data["capability_items"]) == 3
    revenue = cx.impact(cx.examples.load("retail-bank"), measure="revenue")
    frame = revenue.to_frame()
    assert data["items"][0]["impact"] == frame[frame["type"] != "capability"]["impact"].iloc[0]
    assert data["capability_items"][0]["impact"] == revenue.capabilities()["impact"].iloc[0]


def test_impact_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", BANK, "--top", "2")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Retail bank: customer impact (interactions / month)"
    assert lines[2] == "Elements (top 2 of 54)"
    assert "corp-network" in lines[4] and "759,437 " in lines[4]  # one number format: whole from 100 up
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
    assert data["lost_touchpoint_ids"] == expected.lost_touchpoints
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
    assert [row["id"] for row in data["items"]] == expected.to_frame()["element"].tolist()
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


def test_explain_says_how_many_paths_it_leaves_out(capsys: pytest.CaptureFixture[str]) -> None:
    n = len(cx.explain(cx.examples.load("retail-bank"), "corp-network").paths)  # 26 touchpoints reached
    code, out, _ = run(capsys, "explain", BANK, "corp-network", "--top", "3")
    paths = out.split("Strongest dependency paths", 1)[1].strip().splitlines()[1:]
    assert code == 0 and len(paths) == 4
    assert paths[-1].strip() == f"... and {n - 3} more paths left out (--top {n} shows all)"
    code, out, _ = run(capsys, "explain", BANK, "corp-network")  # the table's default: 20
    assert f"... and {n - 20} more paths left out" in out
    code, out, _ = run(capsys, "explain", BANK, "corp-network", "--top", "3", "--format", "json")
    data = json.loads(out)
    assert len(data["path_items"]) == 3 and f"{n - 3} more paths left out (--top 3)" in data["notes"]


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
