from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io.evidence import read_event_log, read_event_log_csv, read_xes

DATA = Path(__file__).parents[2] / "data" / "evidence"


def test_csv_with_start_and_end() -> None:
    t = read_event_log_csv(DATA / "events.csv")
    assert t.rows == t.used == 14
    f = t.frame
    assert f["case"].tolist()[:4] == ["A1"] * 4
    assert ((f["time"] - f["start"]) / 60).tolist()[0] == 20.0      # end - start of the first step
    assert f["start"].isna().sum() == 11


def test_xes_pairs_lifecycle_start_and_complete() -> None:
    t = read_xes(DATA / "events.xes")
    f = t.frame
    assert f["case"].tolist() == ["A1", "A1", "A1", "A2", "A2"]
    assert f["activity"].tolist()[:3] == ["Fill in the application in the app", "Verify identity with ID scan and "
                                          "selfie", "Receive account details by email"]
    assert ((f["time"] - f["start"]) / 60).tolist()[0] == 20.0
    assert ((f["time"] - f["start"]) / 60).tolist()[3] == 10.0   # +01:00 offsets read as UTC
    assert [str(p) for p in t.problems] == [
        "lifecycle:transition 'schedule' (start and complete are read): 1 row (rows 39)"]
    assert read_event_log(DATA / "events.xes").format == "XES event log"


def test_xes_reader_is_the_hardened_one(tmp_path: Path) -> None:
    p = tmp_path / "bomb.xes"
    p.write_text('<!DOCTYPE log [<!ENTITY a "aaaa">]><log>&a;</log>')
    with pytest.raises(cx.UnsafeInputError, match="declares entities"):
        read_xes(p)
    p.write_text("<model/>")
    with pytest.raises(cx.FormatError, match="not an XES event log: the root element is <model>"):
        read_xes(p)


def test_columns_by_option_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("Ticket,Step,When\nT1,Apply,2024-01-01 10:00\nT1,,2024-01-01 11:00\n")
    t = read_event_log_csv(p, columns={"case": "Ticket", "activity": "Step", "timestamp": "When"})
    assert t.used == 1 and [str(x) for x in t.problems] == ["no Step: 1 row (rows 3)"]
    with pytest.raises(cx.FormatError, match=r"missing column 'case_id'.*'Ticket', 'Step', 'When'"):
        read_event_log_csv(p)
    q = tmp_path / "f.csv"
    q.write_text("case_id,activity,start,end\nc,a,2024-01-02 10:00,2024-01-01 10:00\n")
    with pytest.raises(cx.FormatError, match=r"row 2: end \(2024-01-01 10:00\) is before start"):
        read_event_log_csv(q)


def test_xes_start_without_complete_is_counted(tmp_path: Path) -> None:
    p = tmp_path / "log.xes"
    p.write_text('<log xmlns="http://www.xes-standard.org/"><trace><string key="concept:name" value="c"/>\n'
                 '<event><string key="concept:name" value="A"/><string key="lifecycle:transition" value="start"/>'
                 '<date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event>\n'
                 '<event><string key="concept:name" value="B"/>'
                 '<date key="time:timestamp" value="2024-01-01T11:00:00Z"/></event></trace></log>')
    t = read_xes(p)
    assert t.frame["activity"].tolist() == ["B"] and t.rows == 2
    assert [str(x) for x in t.problems] == ["start event without a complete event: 1 row (rows 2)"]
