"""The export and report commands: formats by extension, standard output, impact, errors and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

import cxgraph as cx
from cxgraph.cli import main

GOLDEN = Path(__file__).parent.parent / "data" / "golden"


def test_export_writes_the_format_of_the_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model_file = str(GOLDEN / "tricky-model.yaml")
    for name in ("out.mmd", "out.dot", "out.graphml", "out.cyjs", "out.json"):
        assert main(["export", model_file, "-o", str(tmp_path / name), "--no-impact"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'out.mmd'} (mermaid)" in out
    assert f"wrote {tmp_path / 'out.cyjs'} (cyjs)" in out
    # Without impact, the files are the golden ones.
    assert (tmp_path / "out.mmd").read_text(encoding="utf-8") == (GOLDEN / "tricky.mmd").read_text(encoding="utf-8")
    assert (tmp_path / "out.dot").read_text(encoding="utf-8") == (GOLDEN / "tricky.dot").read_text(encoding="utf-8")
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == (GOLDEN / "tricky.json").read_text(encoding="utf-8")


def test_export_includes_impact_by_default(tmp_path: Path) -> None:
    assert main(["export", "example:retail-bank", "-o", str(tmp_path / "bank.graphml")]) == 0
    g = nx.read_graphml(tmp_path / "bank.graphml")
    expected = cx.impact(cx.examples.load("retail-bank"))
    assert g.nodes["core-banking"]["impact"] == expected.impact["core-banking"]
    assert g.graph["unit"] == "interactions / month"


def test_export_by_revenue(tmp_path: Path) -> None:
    assert main(["export", "example:retail-bank", "-o", str(tmp_path / "bank.json"), "--measure", "revenue"]) == 0
    data = json.loads((tmp_path / "bank.json").read_text(encoding="utf-8"))
    expected = cx.impact(cx.examples.load("retail-bank"), measure="revenue")
    assert data["graph"]["unit"] == "revenue / month"
    node = next(n for n in data["nodes"] if n["id"] == "core-banking")
    assert node["impact"] == expected.impact["core-banking"]


def test_export_to_standard_output_needs_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "example:telecom", "-o", "-"]) == 2
    assert "needs --to FORMAT" in capsys.readouterr().err
    assert main(["export", "example:telecom", "-o", "-", "--to", "graphml", "--no-impact"]) == 0
    text = capsys.readouterr().out
    g = nx.read_graphml(io.BytesIO(text.encode()))
    assert g.number_of_nodes() == len(cx.examples.load("telecom").touchpoints) + len(
        cx.examples.load("telecom").elements)


def test_export_with_to_overrides_the_extension(tmp_path: Path) -> None:
    assert main(["export", "example:telecom", "-o", str(tmp_path / "graph.txt"), "--to", "dot", "--no-impact"]) == 0
    assert (tmp_path / "graph.txt").read_text(encoding="utf-8") == cx.export(cx.examples.load("telecom"), "dot")


def test_export_unknown_extension_is_invalid_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "example:telecom", "-o", str(tmp_path / "graph.png")]) == 1
    assert "cannot tell the export format from 'graph.png'" in capsys.readouterr().err
    assert not (tmp_path / "graph.png").exists()


def test_export_of_an_invalid_model_lists_the_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cxgraph: 1\nelements: [{id: a, name: A, kind: sytem}]\n", encoding="utf-8")
    assert main(["export", str(bad), "-o", str(tmp_path / "out.mmd")]) == 1
    assert "unknown kind 'sytem'" in capsys.readouterr().err


def test_report_command_writes_the_html_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "example:online-retailer", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and cx.examples.load("online-retailer").name in text


def test_report_usage_errors_exit_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "example:telecom"])
    assert info.value.code == 2
    assert main(["report", str(tmp_path / "absent.yaml"), "-o", str(tmp_path / "r.html")]) == 2


def test_report_budget_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "example:retail-bank", "-o", str(out), "--budget", "0"]) == 0
    assert "0 of 16 initiatives, cost 0 of a budget of 0" in out.read_text(encoding="utf-8")
    assert main(["report", "example:retail-bank", "-o", str(out), "--budget", "-5"]) == 1
    assert "budget must be a finite number >= 0, got -5.0" in capsys.readouterr().err
