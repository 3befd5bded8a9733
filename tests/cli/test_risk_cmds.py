"""The risk command: table, JSON and CSV, options, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main
from tests.analysis.test_risk import THREE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def three(tmp_path: Path) -> str:
    path = tmp_path / "three.yaml"
    path.write_text(THREE, encoding="utf-8")
    return str(path)


def test_table_states_expected_loss_method_and_lacking(capsys: pytest.CaptureFixture[str], three: str) -> None:
    code, out, _ = run(capsys, "risk", three)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Three elements: expected loss 29.8 interactions / month"
    assert lines[1] == "method: exact"
    assert lines[2] == "lacking reliability data (1, counted as never failing): help"
    assert "Elements by risk (top 4 of 4)" in out and "Capabilities by risk (top 1 of 1)" in out
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert "gateway-a" in first and "19.8" in first


def test_json_has_the_envelope_and_items(capsys: pytest.CaptureFixture[str], three: str) -> None:
    code, out, _ = run(capsys, "risk", three, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["analysis"] == "risk" and data["cxgraph_result"] == 1
    assert data["expected_loss"] == cx.risk(cx.load(three)).expected_loss
    assert data["method"] == "exact" and data["interval"] == 0 and data["lacking_ids"] == ["help"]
    rows = {r["id"]: r for r in data["items"]}
    assert set(rows) == {"shop", "gateway-a", "gateway-b", "help", "pay"}
    assert rows["shop"]["risk"] == pytest.approx(9.8) and rows["shop"]["q"] == pytest.approx(0.01)
    assert rows["pay"]["type"] == "capability"


def test_samples_seed_measure_and_csv(capsys: pytest.CaptureFixture[str], three: str) -> None:
    code, out, _ = run(capsys, "risk", three, "--samples", "300", "--seed", "3", "--format", "csv",
                       "--measure", "customers")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} == {"shop", "gateway-a", "gateway-b", "help", "pay"}
    assert all(float(r["risk_interval"]) >= 0 for r in rows)
    code, out, _ = run(capsys, "risk", three, "--samples", "300", "--seed", "3")
    assert code == 0 and "method: sampled: 300 failure sets" in out and "± " in out.splitlines()[0]


def test_top_limits_each_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "risk", "example:retail-bank", "--top", "2", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [r["type"] for r in data["items"]] == ["element", "element", "capability", "capability"]


def test_bad_input_exit_codes(capsys: pytest.CaptureFixture[str], three: str) -> None:
    code, _, err = run(capsys, "risk", three, "--measure", "revenue")
    assert code == 1 and "revenue" in err
    with pytest.raises(SystemExit) as exc:
        main(["risk", three, "--samples", "1"])
    assert exc.value.code == 2
