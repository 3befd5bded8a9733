from __future__ import annotations

import json
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io.evidence import read_pagerduty

DATA = Path(__file__).parents[2] / "data" / "evidence"


def test_api_export_priorities_and_urgency() -> None:
    t = read_pagerduty(DATA / "pagerduty-incidents.json")
    assert t.rows == 4 and t.used == 3
    assert t.frame["subject"].unique().tolist() == ["Payment gateway A (in-house)"]
    # P1 -> outage; no priority but high urgency -> outage; P3 -> not an outage
    assert t.frame["weight"].tolist() == [1.0, 1.0, 0.0]
    # the second has no resolved_at: its last status change (to resolved) ends it
    assert ((t.frame["end"] - t.frame["start"]) / 3600).tolist() == [1.5, 1.0, 3.0]
    assert [str(p) for p in t.problems] == ["not resolved: 1 row (rows 4)"]


def test_not_an_export(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"services": []}))
    with pytest.raises(cx.FormatError, match=r"not a PagerDuty incidents export.*found services"):
        read_pagerduty(p)
    p.write_text("{not json")
    with pytest.raises(cx.FormatError, match=r"x.json:1: not JSON"):
        read_pagerduty(p)
