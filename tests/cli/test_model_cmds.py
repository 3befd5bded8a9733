"""The model commands: validate, schema, summary; exit codes; the console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import build_parser, main


def test_validate_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(cx.examples.path("telecom"))
    assert main(["validate", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: valid (4 journeys")


def test_validate_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert main(["validate", str(tmp_path / "absent.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main([]) == 2


def test_validate_sniffs_content_when_the_extension_says_nothing(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.txt"
    path.write_text("cxgraph: 1\nname: Sniffed\n")
    assert main(["validate", str(path)]) == 0
    path.write_text("hello\n")
    assert main(["validate", str(path)]) == 1
    assert "cannot tell the format of 'model.txt'" in capsys.readouterr().err


def test_schema_prints_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(cx.json_schema()))


def test_summary_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    m = cx.examples.load("online-retailer")
    assert main(["summary", "example:online-retailer", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == m.counts()
    assert data["kinds"]["vendor"] == sum(e.kind == "vendor" for e in m.elements)
    assert main(["summary", "example:online-retailer"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "Online retailer"
    assert "touchpoints with no IT dependency: 0" in text


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.format_help().startswith(f"usage: cxgraph {name}"), name
        assert command.description or command.format_help(), name


def test_console_script_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "cxgraph", "validate", "example:retail-bank"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_summary_spof_and_explain_show_names_of_archi_numeric_ids(capsys: pytest.CaptureFixture[str]) -> None:
    native = str(Path(__file__).parent.parent / "data" / "archi" / "Archisurance.archimate")
    assert main(["summary", native]) == 0
    out = capsys.readouterr().out
    # Elements without an owner are listed by name, Archi's numeric id beside it.
    assert "elements with no owner: " in out and "\n  CRM System  (1393)\n" in out
    assert main(["explain", native, "1393"]) == 0
    out = capsys.readouterr().out
    assert "-> CRM System\n" in out and "Register" in out and "-> 1393" not in out


def test_spof_pairs_are_shown_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "pair.yaml"
    path.write_text("""cxgraph: 1
journeys:
  - id: j
    name: Buy
    customers: 10
    touchpoints: [{id: t, name: Checkout, depends_on: [{element: a, group: g}, {element: b, group: g}]}]
elements: [{id: a, name: Server A, kind: infrastructure}, {id: b, name: Server B, kind: infrastructure}]
""")
    assert main(["spof", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Server A" in out and "Server B" in out and "Checkout" in out
