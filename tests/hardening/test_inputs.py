"""Every input ends in a result or a located one-line error: bad files, bad arguments, requests beyond the machine."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import cxgraph as cx
import cxgraph.limits
from cxgraph.cli import main

BAD = Path(__file__).parents[1] / "data" / "bad"
OTHER = sorted(p for p in BAD.iterdir() if p.suffix in (".xml", ".xlsx"))


def test_the_other_formats_are_in_the_corpus() -> None:
    assert {p.suffix for p in OTHER} == {".xml", ".xlsx"} and len(OTHER) >= 4


@pytest.mark.parametrize("path", OTHER, ids=lambda p: p.name)
def test_validate_prints_the_expected_message(path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    assert main(["validate", path.name]) == 1
    assert capsys.readouterr().err == path.with_suffix(".expected").read_text(encoding="utf-8")


@pytest.mark.parametrize(("call", "message"), [
    (lambda m: cx.compare(m, None), "give the model after the change, or the initiatives to apply"),
    (lambda m: cx.compare(m, "after.yaml"), "compare takes two cxgraph Models, got Model and str"),
    (lambda m: cx.what_if(m, fail=None), "expected an id or a list of ids, got NoneType"),
    (lambda m: cx.what_if(m, fail=7), "expected an id or a list of ids, got int"),
    (lambda m: cx.impact(None), "expected a cxgraph Model, got NoneType"),
    (lambda m: cx.what_if(m, degrade={"crm": math.nan}), "must be between 0 and 1, got nan"),
    (lambda m: cx.Element(id="a", name="A", kind="sytem"), "Element: kind: unknown kind 'sytem'"),
    (lambda m: cx.Journey(id="j", name="J", customers=10 ** 400), "expected a number below 1.8e308"),
    (lambda m: cx.sensitivity(m, samples=10 ** 9, progress=False), "over the limit of 100,000,000"),
])
def test_public_functions_raise_cxgraph_errors(call, message: str) -> None:
    with pytest.raises(cx.CxGraphError, match=None) as info:
        call(cx.examples.load("retail-bank"))
    assert isinstance(info.value, ValueError) and message in str(info.value)


@pytest.mark.parametrize(("argv", "message"), [
    (["what-if", "example:retail-bank", "--degrade", "core-banking=nan"], "must be between 0 and 1, got nan"),
    (["what-if", "example:retail-bank", "--degrade", "core-banking=-0.5"], "must be between 0 and 1, got -0.5"),
    (["what-if", "example:retail-bank", "--degrade", "core-banking=-inf"], "must be between 0 and 1, got -inf"),
    (["sensitivity", "example:retail-bank", "--samples", "1000000000", "--no-progress"],
     "set cxgraph.limits.MAX_CELL_VALUES to change it"),
])
def test_cli_refuses_what_the_api_refuses(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1


def test_top_below_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["demo", "--top", "-1"], ["impact", "example:telecom", "--top", "0"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2 and "expected a number >= 1" in capsys.readouterr().err


def test_size_and_row_limits_are_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.yaml"
    cx.examples.load("telecom").save(path)
    monkeypatch.setattr(cxgraph.limits, "MAX_MODEL_BYTES", 100)
    with pytest.raises(cx.UnsafeInputError, match=r"over the limit of 100 \(set cxgraph.limits.MAX_MODEL_BYTES"):
        cx.load(path)
    monkeypatch.undo()
    assert cx.load(path).name == "Telecom operator"
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "journeys.csv").write_text("id,name,customers\n" + "".join(f"j{i},J,1\n" for i in range(30)))
    monkeypatch.setattr(cxgraph.limits, "MAX_ROWS", 20)
    with pytest.raises(cx.UnsafeInputError, match="the number of rows is 21, over the limit of 20"):
        cx.io.read_tables(folder)


def test_a_deep_parent_chain_and_its_cycle_are_checked_once() -> None:
    n = 3000
    caps = [{"id": f"c{i}", "name": "C", "parent": f"c{i + 1}"} for i in range(n)]
    caps.append({"id": f"c{n}", "name": "C", "parent": "c2990"})
    with pytest.raises(cx.ModelError) as info:
        cx.io.model_from_document({"cxgraph": 1, "capabilities": caps})
    (problem,) = info.value.problems
    assert problem.path == "capabilities[2990].parent"
    assert problem.message == "capability parent cycle: " + " -> ".join(f"c{i}" for i in [*range(2990, n + 1), 2990])
    caps[-1]["parent"] = None
    assert len(cx.io.model_from_document({"cxgraph": 1, "capabilities": caps}).capabilities) == n + 1


def test_overflowing_totals_are_model_errors() -> None:
    m = cx.Model(name="Big")
    for i in range(3):
        j = m.add_journey(f"j{i}", "J", customers=1e300)
        j.add_touchpoint(f"t{i}", "T", channel="web", importance=1)
    with pytest.raises(cx.ModelError, match="the model's total customer weight is 2e\\+300, beyond 1e300"):
        m.check()
