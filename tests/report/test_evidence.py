from __future__ import annotations

from pathlib import Path

import cxgraph as cx
from cxgraph.report import render

DATA = Path(__file__).parents[1] / "data" / "evidence"


def _run() -> tuple[cx.Model, cx.CalibrationReport]:
    return cx.calibrate(cx.examples.load("retail-bank"), incidents=DATA / "servicenow-incidents.csv",
                        window=("2024-01-01", "2025-01-01"))


def test_html_report_has_an_evidence_section() -> None:
    model, report = _run()
    html = render(model, evidence=report)
    assert '<section id="evidence"><h2>Evidence</h2><p class="note">Numbers written from incident' in html
    assert "Incidents and outages counted from 2024-01-01 00:00:00 to 2025-01-01 00:00:00 UTC (366 days)." in html
    assert "SAP ERP" in html and "failures per year 1.996 [0.5716–5.524]" in html
    # from the model alone, the values and their provenance still show
    alone = render(model)
    assert '<section id="evidence">' in alone and "SAP ERP" not in alone
    assert '<section id="evidence">' not in render(cx.examples.load("retail-bank"))
