from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io.evidence import read_survey

DATA = Path(__file__).parents[2] / "data" / "evidence"


def test_plain_csv() -> None:
    t = read_survey(DATA / "nps-responses.csv")
    assert t.format == "survey CSV" and t.rows == 17 and t.used == 16
    assert t.frame.attrs["column"] == "nps"
    assert t.frame["subject"].tolist()[:2] == ["open-account", "open-account"]
    assert t.frame["score"].tolist()[:10] == [10, 10, 9, 9, 9, 8, 8, 7, 3, 0]
    assert [str(p) for p in t.problems] == ["nps not a number: 1 row (rows 17)"]


def test_qualtrics_three_header_rows() -> None:
    t = read_survey(DATA / "qualtrics-csat.csv")
    assert t.format == "Qualtrics export" and t.rows == 6 and t.used == 5
    assert t.frame.attrs["column"] == "Q1"
    assert t.frame.attrs["question"] == "Overall, how satisfied were you with sending this payment?"
    assert t.frame["score"].tolist() == [5, 4, 4, 3, 5]
    assert t.frame["row"].tolist() == [4, 5, 6, 7, 8]
    assert [str(p) for p in t.problems] == ["unfinished response (Finished is false): 1 row (rows 9)"]
    by_text = read_survey(DATA / "qualtrics-csat.csv", columns={
        "score": "Overall, how satisfied were you with sending this payment?", "subject": "touchpoint"})
    assert by_text.frame["score"].tolist() == [5, 4, 4, 3, 5]


def test_missing_score_column(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("touchpoint,comment\nmp-send,fine\n")
    with pytest.raises(cx.FormatError, match=r"missing column 'score'.*'touchpoint', 'comment'"):
        read_survey(p)
