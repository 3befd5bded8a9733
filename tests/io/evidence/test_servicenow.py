from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cxgraph as cx
from cxgraph.io.evidence import read_servicenow_incidents, read_servicenow_outages

DATA = Path(__file__).parents[2] / "data" / "evidence"
H = 3600.0
T0 = 1_704_067_200.0  # 2024-01-01 00:00:00 UTC


def test_incident_export_with_bom_quoted_newlines_and_commas() -> None:
    t = read_servicenow_incidents(DATA / "servicenow-incidents.csv")
    assert t.format == "ServiceNow incident export" and t.rows == 8 and t.used == 7
    assert t.frame["subject"].tolist() == ["Core banking system"] * 3 + ["Online banking portal", "Mobile banking app",
                                                                           "Core banking system", "SAP ERP"]
    # priorities 1 and 2 are outages, 3 and 4 are not
    assert t.frame["weight"].tolist() == [1, 1, 0, 1, 0, 1, 1]
    assert t.frame["row"].tolist() == [2, 3, 4, 5, 6, 7, 8]  # the quoted newline stays inside row 3
    first = t.frame.iloc[0]
    assert first.start == T0 + (31 + 9) * 86400 + 8 * H and first.end - first.start == 2 * H
    assert [str(p) for p in t.problems] == ["no resolved_at (still open): 1 row (rows 9)"]


def test_any_csv_with_its_columns_named(tmp_path: Path) -> None:
    p = tmp_path / "sev.csv"
    p.write_text("Service;Sev;Start;End\ncrm;P1;2024-01-01T10:00:00+01:00;2024-01-01T10:30:00Z\n"
                 "crm;P3;2024-01-02 10:00;2024-01-02 11:00\n", encoding="utf-8")
    t = read_servicenow_incidents(p, columns={"ci": "Service", "priority": "Sev", "opened": "Start",
                                              "resolved": "End"})
    assert t.format == "incident CSV"
    assert t.frame["weight"].tolist() == [1.0, 0.0]
    assert (t.frame["end"] - t.frame["start"]).tolist() == [1.5 * H, 1 * H]  # the offset is honoured
    every = read_servicenow_incidents(p, columns={"ci": "Service", "opened": "Start", "resolved": "End"},
                                      outage_priorities=None)
    assert every.frame["weight"].tolist() == [1.0, 1.0]


def test_missing_column_is_named_with_the_columns_found(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("number,priority,opened_at,resolved_at\nINC1,1,2024-01-01,2024-01-02\n")
    with pytest.raises(cx.FormatError, match=r"x.csv:1: missing column 'cmdb_ci' .*the columns found are 'number', "
                                             r"'priority', 'opened_at', 'resolved_at'"):
        read_servicenow_incidents(p)


def test_unreadable_timestamp_names_row_and_column(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("number,cmdb_ci,priority,opened_at,resolved_at\nINC1,crm,1,2024-01-01,2024-01-02\n"
                 "INC2,crm,1,yesterday,2024-01-02\n")
    with pytest.raises(cx.FormatError, match=r"x.csv: row 3, column 'opened_at': cannot read 'yesterday'"):
        read_servicenow_incidents(p)


def test_end_before_start_is_located(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("number,cmdb_ci,priority,opened_at,resolved_at\nINC1,crm,1,2024-01-02,2024-01-01\n")
    with pytest.raises(cx.FormatError, match=r"row 2: resolved_at \(2024-01-01\) is before opened_at"):
        read_servicenow_incidents(p)


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(cx.FormatError, match="not a text file"):
        read_servicenow_incidents(p)
    q = tmp_path / "y.csv"
    q.write_bytes(b"cmdb_ci\n\xff\xfe\n")
    with pytest.raises(cx.FormatError, match="not UTF-8 text"):
        read_servicenow_incidents(q)


def test_outage_records_types() -> None:
    t = read_servicenow_outages(DATA / "servicenow-outages.csv")
    assert t.frame["subject"].tolist() == ["Payments hub", "Payments hub", "Identity and login service"]
    assert t.frame["weight"].tolist() == [1.0, 0.0, 1.0]
    assert [p.reason for p in t.problems] == ["planned outage (left out; include_planned=True counts it)"]
    t = read_servicenow_outages(DATA / "servicenow-outages.csv", include_planned=True, degradation_weight=0.5)
    assert t.frame["weight"].tolist() == [1.0, 0.5, 1.0, 1.0] and not t.problems
    assert np.allclose((t.frame["end"] - t.frame["start"]) / H, [3, 8, 2, 0.75])
    with pytest.raises(ValueError, match="degradation_weight"):
        read_servicenow_outages(DATA / "servicenow-outages.csv", degradation_weight=2)
