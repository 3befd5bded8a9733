"""The calibrate command: writes the calibrated model (never over the input unless asked), dry runs, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

DATA = Path(__file__).parents[1] / "data" / "evidence"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "bank.yaml"
    cx.examples.load("retail-bank").save(path)
    return path


def test_writes_the_calibrated_model_and_leaves_the_input(bank: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    original = bank.read_bytes()
    out = tmp_path / "calibrated.yaml"
    code = main(["calibrate", str(bank), "--incidents", str(DATA / "servicenow-incidents.csv"),
                 "--incidents", str(DATA / "pagerduty-incidents.json"), "--surveys", str(DATA / "nps-responses.csv"),
                 "--window", "2024-01-01", "2025-01-01", "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and bank.read_bytes() == original
    assert "window: 2024-01-01 00:00:00 to 2025-01-01 00:00:00 (366 days)" in text
    assert "'SAP ERP': unmatched, 1 records" in text
    assert f"wrote {out}" in text
    model = cx.load(out)
    assert model.get("core-banking").recovery_hours.mode == 3.0
    assert model.get("m-nps-onboarding").actual.mode == 30.0


def test_dry_run_writes_nothing_and_json_has_the_envelope(bank: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calibrate", str(bank), "--events", str(DATA / "events.xes"), "--dry-run", "--format", "json",
                 "--turnaround-unit", "minutes", "--turnaround-target", "10"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and sorted(tmp_path.iterdir()) == [bank]
    assert (data["cxgraph_result"], data["analysis"], data["written"]) == (1, "calibrate", False)
    apply = [c for c in data["change_items"] if c["id"] == "turnaround-oa-apply-online"]
    # 20 and 10 minutes: median 15
    assert {c["field"]: c["after"] for c in apply}["actual"] == {"low": 11.0, "mode": 15.0, "high": 19.0}
    assert {c["field"]: c["after"] for c in apply}["target"] == 10.0
    assert data["source_items"][0]["problems"][0]["n_rows"] == 1


def test_overwrites_the_model_only_when_o_names_it(bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(bank), "--slos", str(DATA / "bank-slos.yaml"), "-o", str(bank)]) == 0
    assert cx.load(bank).get("m-avail-core").target == 99.9


def test_usage_and_input_errors(bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(bank), "--slos", str(DATA / "bank-slos.yaml")]) == 2
    assert "give -o OUT" in capsys.readouterr().err
    assert main(["calibrate", str(bank), "--dry-run"]) == 2
    bad = tmp_path / "bad.csv"
    shutil.copy(DATA / "servicenow-outages.csv", bad)
    out = tmp_path / "out.yaml"
    assert main(["calibrate", str(bank), "--incidents", str(bad), "-o", str(out)]) == 1
    assert "missing column 'priority'" in capsys.readouterr().err and not out.exists()
    assert main(["calibrate", str(bank), "--incidents", str(bad), "--incident-columns", "opened=begin,resolved=end",
                 "--outage-priorities", "all", "-o", str(out)]) == 0
    assert cx.load(out).get("payment-hub").failures_per_year is not None
    assert main(["calibrate", str(bank), "--incidents", str(bad), "--incident-columns", "opened", "--dry-run"]) == 1
    assert "ROLE=COLUMN" in capsys.readouterr().err
