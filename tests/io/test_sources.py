"""Estate sources are found by content and names: cx.load, read_any and convert read them with no options."""

from __future__ import annotations

from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

SOURCES = [
    ("backstage", "backstage", 17), ("backstage/catalog-info.yaml", "backstage", 17),
    ("backstage/components/www-artist-component.yaml", "backstage", 2),  # and its owner team
    ("servicenow/csv", "servicenow", 13), ("servicenow/csv/cmdb_ci.csv", "servicenow", 13),
    ("servicenow/json/cmdb_ci.json", "servicenow", 13), ("structurizr/big-bank-plc.json", "structurizr", 30),
    ("traces/jaeger-dependencies.json", "jaeger", 7), ("traces/zipkin-dependencies.json", "zipkin", 5),
]


@pytest.mark.parametrize(("name", "fmt", "n_elements"), SOURCES)
def test_each_source_is_recognised_and_loaded(data_dir: Path, name: str, fmt: str, n_elements: int) -> None:
    path = data_dir / name
    assert cx.io.input_format(str(path))[0].name == fmt
    assert len(cx.load(path).elements) == n_elements
    _, report = cx.io.read_any(path)
    assert report.elements_read == report.elements_mapped + report.elements_kept


def test_model_files_are_still_model_files(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{\n  "cxgraph": 1,\n  "name": "parent child"\n}')
    assert cx.io.input_format(str(path))[0].name == "json"
    assert cx.load(path).name == "parent child"
    assert cx.io.input_format(str(cx.examples.path("retail-bank")))[0].name == "yaml"


def test_options_a_source_does_not_take_are_refused(data_dir: Path) -> None:
    with pytest.raises(cx.FormatError, match=r"import options environment do not apply to zipkin \(it takes "
                                             r"strengths, kind\)"):
        cx.io.read_any(data_dir / "traces" / "zipkin-dependencies.json", environment="Live")


def test_convert_prints_the_import_report(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    assert main(["convert", str(data_dir / "structurizr" / "big-bank-plc.json"), "-o", str(out),
                 "--customers", "2500", "--environment", "Live"]) == 0
    printed = capsys.readouterr().out
    assert "(Structurizr workspace JSON)\n  elements:      51 read, 38 mapped, 13 kept" in printed
    assert cx.load(out).journeys[0].customers == 2500
    assert main(["convert", str(data_dir / "traces" / "jaeger-dependencies.json"), "-o", str(out),
                 "--strengths", "calls"]) == 0
    capsys.readouterr()  # the estate alone has no journeys: standard error says so (notes), then the next error
    assert main(["convert", str(data_dir / "traces" / "jaeger-dependencies.json"), "-o", str(out),
                 "--environment", "Live"]) == 1
    assert capsys.readouterr().err == "cxgraph: error: --environment do not apply to jaeger inputs\n"
    assert main(["convert", str(data_dir / "servicenow" / "csv"), "-o", str(out), "--customers", "5"]) == 1
    assert "--customers apply to ArchiMate and Archi inputs, not to servicenow" in capsys.readouterr().err
