from __future__ import annotations

import json
from pathlib import Path

import cxgraph as cx

DATA = Path(__file__).parents[1] / "data" / "evidence"


def _run() -> tuple[cx.Model, cx.CalibrationReport]:
    return cx.calibrate(cx.examples.load("retail-bank"), incidents=DATA / "servicenow-incidents.csv",
                        surveys=DATA / "qualtrics-csat.csv", window=("2024-01-01", "2025-01-01"))


def test_table_json_and_text() -> None:
    _, report = _run()
    frame = report.to_frame()
    row = frame.set_index(["id", "field"]).loc[("m-csat-payment", "actual")]
    assert (row.before, row.after, row.evidence) == ("4.3", "4.2 [3.402–4.998]", 5)
    data = json.loads(report.to_json())
    assert [k for k in data][:6] == ["cxgraph_result", "analysis", "model", "measure", "unit", "notes"]
    assert data["window"] == {"start": "2024-01-01 00:00:00", "end": "2025-01-01 00:00:00", "days": 366.0}
    change = next(c for c in data["change_items"] if c["id"] == "core-banking" and c["field"] == "recovery_hours")
    assert change["before"] == 4 and change["after"]["mode"] == 3.0 and change["n_evidence"] == 4
    unmatched = [m for m in data["match_items"] if m["status"] == "unmatched"]
    assert unmatched == [{"id": None, "name": "SAP ERP", "type": None, "status": "unmatched",
                          "source": str(DATA / "servicenow-incidents.csv"), "n_records": 1, "by": None,
                          "candidate_ids": []}]
    text = report.to_text()
    assert "left out: no resolved_at (still open): 1 row (rows 9)" in text
    assert "'SAP ERP': unmatched, 1 records" in text
    assert "<h4>Values written</h4>" in report._repr_html_()


def test_an_element_without_outage_or_recovery_time_gets_a_note() -> None:
    m = cx.Model(name="M")
    m.add_journey("j", "J", customers=1).add_touchpoint("t", "T", depends_on=["app"])
    m.add_element("app", "Mobile banking app", kind="system")
    out, report = cx.calibrate(m, incidents=DATA / "servicenow-incidents.csv", window=("2024-01-01", "2025-01-01"))
    assert out.get("app").failures_per_year is None and not report.changes
    assert report.notes == ["app: 1 incident records but no outage in the window; nothing written (no recovery "
                            "time to go with a failure rate of 0)"]


def test_long_lists_of_values_are_cut_in_the_text() -> None:
    _, report = _run()
    text = report.to_text(max_rows=3)
    assert f"... and {len(report.changes) - 3} more (all of them in the JSON" in text
