"""The plan and sensitivity commands: output formats, exit codes, and their numbers against the API."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main


@pytest.fixture
def shop_file(tmp_path: Path) -> Path:
    """weights: t1 = 1000, t2 = 1000 * 0.5 * 2 = 1000; csat gap 0.25 (pain 250), wait gap 0.8 (pain 800)."""
    path = tmp_path / "shop.yaml"
    path.write_text("""
cxgraph: 1
name: Shop
journeys:
  - {id: j, name: Buy, customers: 1000, touchpoints: [
      {id: t1, name: Browse},
      {id: t2, name: Wait for delivery, reach: 0.5, importance: 2}]}
metrics:
  - {id: csat, name: CSAT, of: t1, actual: 3, target: 4, ideal: 7}
  - {id: wait, name: Delivery days, of: t2, actual: 10, target: 2, better: lower}
initiatives:
  - {id: a, name: A, cost: 100, improves: [{metric: csat, to: 4}]}
  - {id: b, name: B, cost: 150, improves: [{metric: wait, to: 4}]}
  - {id: huge, name: Huge, cost: 99999, improves: [{metric: wait, to: 2}]}
""")
    return path


def test_plan_json_has_the_documented_keys(shop_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop_file), "--budget", "200", "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    # b alone: wait 10 -> 4, gap 0.8 -> 0.5, benefit 1000 * 0.3 = 300 (a alone gives 250; both cost 250).
    assert data["chosen_ids"] == ["b"]
    assert data["cost"] == 150
    assert data["benefit"] == pytest.approx(300)
    assert data["total_pain_before"] == pytest.approx(1050)
    assert data["total_pain_after"] == pytest.approx(750)
    assert "initiative 'huge' costs 99,999, more than the budget (200): it cannot be chosen" in data["notes"]
    # The model's touchpoints depend on nothing (pain comes from metrics alone): standard error says so, once.
    assert captured.err == "".join(f"note: {n}\n" for n in cx.analysis.coverage_notes(cx.load(shop_file)))


def test_plan_table_says_what_to_do(shop_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop_file), "--budget", "1_000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Plan for a budget of 1,000: 2 initiative(s), cost 250, benefit 550"
    assert out[1] == ("burden 1,050 -> 500 (-52.4%): total pain 1,050 -> 500, expected loss 0 -> 0")
    assert out[2].split() == ["id", "cost", "requires", "benefit_alone", "changes"]
    assert [line.split()[0] for line in out[3:5]] == ["a", "b"]
    assert out[-1] == "note: initiative 'huge' costs 99,999, more than the budget (1,000): it cannot be chosen"


def test_plan_csv_lists_every_initiative(shop_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop_file), "--budget", "200", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [(r["id"], r["chosen"]) for r in rows] == [("b", "True"), ("a", "False"), ("huge", "False")]
    assert "note: initiative 'huge' costs 99,999" in captured.err


def test_several_budgets_give_the_frontier(shop_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop_file), "--budget", "250", "0", "100", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["budget"] for p in data["items"]] == [0, 100, 250]
    assert [p["chosen_ids"] for p in data["items"]] == [[], ["a"], ["a", "b"]]
    assert [p["benefit"] for p in data["items"]] == pytest.approx([0, 250, 550])
    assert "initiative 'huge' costs 99,999, more than every budget (250): it cannot be chosen" in data["notes"]
    assert main(["plan", str(shop_file), "--budget", "250", "0", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Benefit against budget (burden now 1,050; budgets and costs in money)"
    assert lines[1].split()[:5] == ["budget", "cost", "benefit", "burden_after", "n_chosen"]


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("-5", "budget must be a finite number >= 0, got -5"),
        ("abc", "budget must be a number, got 'abc'"),
        ("nan", "budget must be a finite number >= 0, got nan"),
    ],
)
def test_a_bad_budget_exits_1_with_a_message(shop_file: Path, capsys: pytest.CaptureFixture[str], budget: str,
                                             message: str) -> None:
    assert main(["plan", str(shop_file), "--budget", budget]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"cxgraph: error: {message}"


def test_a_requires_cycle_exits_1_naming_the_cycle(shop_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = shop_file.read_text().replace("cost: 100,", "cost: 100, requires: [b],").replace(
        "cost: 150,", "cost: 150, requires: [a],")
    shop_file.write_text(text)
    assert main(["plan", str(shop_file), "--budget", "200"]) == 1
    assert "initiatives[0].requires: requires cycle: a -> b -> a" in capsys.readouterr().err


@pytest.mark.parametrize("measure", ["customers", "revenue"])
def test_a_plan_in_another_measure_says_plans_are_in_interactions(shop_file: Path, measure: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for budgets in (["200"], ["100", "200"]):
        assert main(["plan", str(shop_file), "--budget", *budgets, "--measure", measure]) == 1
        assert capsys.readouterr().err.strip().splitlines()[-1] == (
            "cxgraph: error: pain, total pain, the burden and plans are defined in the interactions measure only "
            f"(DESIGN §3), not in {measure!r}: use measure='interactions' (impact and risk are available in every "
            "measure)")
    assert main(["plan", str(shop_file), "--budget", "200", "--measure", "interactions", "--format", "json"]) == 0
    explicit = json.loads(capsys.readouterr().out)
    assert main(["plan", str(shop_file), "--budget", "200", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == explicit


def test_the_plan_functions_refuse_other_measures() -> None:
    model = cx.examples.load("retail-bank")
    with pytest.raises(cx.AnalysisInputError, match="defined in the interactions measure only"):
        cx.plan(model, budget=1, measure="revenue")
    with pytest.raises(cx.AnalysisInputError, match="defined in the interactions measure only"):
        cx.plan_frontier(model, budgets=[1], measure="customers")
    with pytest.raises(cx.AnalysisInputError, match=r"got measure=\{'x': 1\}"):
        cx.plan(model, budget=1, measure={"x": 1})  # type: ignore[arg-type]


def test_missing_budget_is_a_usage_error(shop_file: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["plan", str(shop_file)])
    assert info.value.code == 2


def test_sensitivity_json_matches_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", "example:retail-bank", "--samples", "40", "--seed", "3", "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    expected = json.loads(cx.sensitivity(cx.examples.load("retail-bank"), samples=40, seed=3,
                                         progress=False).to_json())
    assert data == expected
    assert captured.err == ""          # no progress line: stderr is not a terminal


def test_sensitivity_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", "example:retail-bank", "--samples", "30", "--rows", "3", "--top-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sensitivity: 30 samples, seed 0, ranked by impact (interactions / month); total pain ")
    assert "\nelements (first 3 by median rank; p_top_k = P(rank <= 2))\n" in out
    assert "\ncapabilities (first 3 by median rank; p_top_k = P(rank <= 2))\n" in out
    assert "inputs the top ranks are most sensitive to" in out
    assert main(["sensitivity", "example:retail-bank", "--samples", "30", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    model = cx.examples.load("retail-bank")
    assert len(rows) == len(model.elements) + len(model.capabilities)
    assert {"impact_p05", "rank_median", "p_top_k"} <= set(rows[0])


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--samples", "0"], "samples must be an integer >= 1, got 0"),
        (["--samples", "many"], "samples must be an integer, got 'many'"),
        (["--samples", "2.5"], "samples must be an integer, got '2.5'"),
        (["--seed", "-1"], "seed must be an integer >= 0, got -1"),
        (["--top-k", "0"], "top_k must be an integer >= 1, got 0"),
    ],
)
def test_bad_sensitivity_options_exit_1(capsys: pytest.CaptureFixture[str], option: list[str], message: str) -> None:
    assert main(["sensitivity", "example:retail-bank", *option]) == 1
    assert capsys.readouterr().err.strip() == f"cxgraph: error: {message}"
