"""Outputs: nothing lost or cut, nothing a spreadsheet runs, the same bytes every time, honest progress."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main
from cxgraph.io.csvsafe import neutralise, restore

ROOT = Path(__file__).parents[2]


def _risky_model() -> cx.Model:
    m = cx.examples.load("telecom")
    m.elements[0].name = "=HYPERLINK(\"http://x\",\"y\")"
    m.elements[1].name = "@SUM(A1)"
    m.elements[2].description = "'+already quoted"
    m.journeys[0].name = "-2+3"
    return m


def test_csv_tables_neutralise_formulas_and_read_back_equal(tmp_path: Path) -> None:
    m = _risky_model()
    cx.io.write_tables(m, tmp_path / "t")
    text = (tmp_path / "t" / "elements.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "''+already quoted" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text
    back = cx.io.read_tables(tmp_path / "t")
    assert back.elements[0].name == m.elements[0].name and back.journeys[0].name == "-2+3"
    assert back.elements[2].description == "'+already quoted"


def test_archi_csv_neutralises_formulas(tmp_path: Path) -> None:
    cx.io.write_archi_csv(_risky_model(), tmp_path)
    text = (tmp_path / "elements.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK" in text and "\"=" not in text


def test_cli_csv_output_neutralises_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.yaml"
    _risky_model().save(path)
    assert main(["impact", str(path), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and "\n=" not in out and ",=" not in out


def test_neutralise_round_trips() -> None:
    for text in ["=1", "'=1", "''=1", "+", "-", "-5", "1e5", "@", "\tx", "plain", "'", ""]:
        assert restore(neutralise(text)) == text
    assert neutralise("-5") == "-5" and neutralise("-2+3") == "'-2+3"


def test_long_text_is_refused_in_a_workbook_not_cut(tmp_path: Path) -> None:
    m = cx.examples.load("telecom")
    m.elements[0].description = "x" * 40_000
    with pytest.raises(cx.FormatError, match="40,000 characters; an Excel cell holds at most 32,767"):
        cx.io.write_tables(m, tmp_path / "m.xlsx")
    assert not (tmp_path / "m.xlsx").exists()
    cx.io.write_tables(m, tmp_path / "csv")  # CSV carries it, and reads it back whole
    assert cx.io.read_tables(tmp_path / "csv").elements[0].description == "x" * 40_000


def test_a_megabyte_name_reads_back_from_csv(tmp_path: Path) -> None:
    m = cx.examples.load("telecom")
    m.elements[0].name = "n" * 1_000_000
    cx.io.write_archi_csv(m, tmp_path / "a")
    cx.io.write_tables(m, tmp_path / "t")
    assert cx.io.read_tables(tmp_path / "t").elements[0].name == m.elements[0].name


def test_stray_cells_are_errors(tmp_path: Path) -> None:
    cx.io.write_tables(cx.examples.load("telecom"), tmp_path)
    path = tmp_path / "journeys.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] += ",,,,,,,,,,,,,,stray"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(cx.FormatError, match="right of the header's last column"):
        cx.io.read_tables(tmp_path)


def test_workbooks_are_the_same_bytes(tmp_path: Path) -> None:
    m = cx.examples.load("telecom")
    cx.io.write_tables(m, tmp_path / "a.xlsx")
    time.sleep(2.1)  # zip entries keep time to two seconds
    cx.io.write_tables(m, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_sensitivity_json_is_the_same_under_any_hash_seed() -> None:
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run([sys.executable, "-m", "cxgraph", "sensitivity", "example:retail-bank", "--samples",
                              "50", "--format", "json", "--no-progress"], capture_output=True, env=env, cwd=ROOT,
                             check=True)
        outs.add(run.stdout)
    assert len(outs) == 1


def test_impact_progress_bar_says_the_work_is_quadratic(capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    m = cx.examples.load("telecom")
    cx.impact(m, progress=True)
    err = capsys.readouterr().err
    assert "grows with the square" in err and "impact: 100%" in err
    cx.impact(m, progress=False)
    assert capsys.readouterr().err == ""
