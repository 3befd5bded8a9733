"""The priority commands: priorities, scorecard, compare, in every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cxgraph.cli import main

SHOP = """\
cxgraph: 1
name: Small shop
journeys:
  - id: buy
    name: Buy
    customers: 1000
    touchpoints:
      - {id: browse, name: Browse, depends_on: [app]}
      - {id: pay, name: Pay, reach: 0.5, importance: 2, depends_on: [app, {element: payments, strength: 0.5}]}
  - id: return
    name: Return an item
    customers: 400
    touchpoints:
      - {id: send-back, name: Send back, depends_on: [payments]}
elements:
  - {id: app, name: Shop app, kind: system, owner: app-team, depends_on: [db]}
  - {id: db, name: Database, kind: data, owner: app-team}
  - {id: payments, name: Payments, kind: service, owner: pay-vendor}
  - {id: app-team, name: App team, kind: team}
  - {id: pay-vendor, name: Payments vendor, kind: vendor}
capabilities:
  - {id: selling, name: Selling, realized_by: [app]}
  - {id: paying, name: Paying, parent: selling, realized_by: [payments], effort: 2}
metrics:
  - {id: csat, name: CSAT, of: browse, actual: 3, target: 4, ideal: 7}
  - {id: nps, name: NPS, of: pay, actual: -20, target: 100, ideal: 100}
  - {id: ces, name: Customer effort, of: pay, actual: 3, target: 2, better: lower}
  - {id: refund-days, name: Refund turnaround, of: payments, actual: 5, target: 2, better: lower}
"""


@pytest.fixture
def shop(tmp_path: Path) -> str:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP)
    return str(path)


@pytest.fixture
def shop_to_be(tmp_path: Path) -> str:
    """CSAT at target, and a second payments service backing up Send back."""
    text = SHOP.replace("actual: 3, target: 4, ideal: 7}", "actual: 4, target: 4, ideal: 7}").replace(
        "depends_on: [payments]}\n", "depends_on: [{element: payments, group: p}, {element: pay2, group: p}]}\n")
    text = text.replace("capabilities:", "  - {id: pay2, name: Payments 2, kind: service, owner: pay-vendor}\n"
                                         "capabilities:")
    path = tmp_path / "shop-to-be.yaml"
    path.write_text(text)
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_priorities_table(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["priorities", shop, "--level", "all"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("score = (1 * impact_share + 1 * risk_share + 1 * pain_share + 1 * own_gap) / effort   "
                        "(impact and risk in interactions / month; expected loss 0)")
    assert lines[1].split() == ["rank", "id", "type", "score", "impact_share", "risk_share", "pain_share", "own_gap",
                                "effort", "why"]
    # selling: (1 + 0 + 1 + 0.6) / 1; paying: (0.375 + 0 + 0.4 + 0.6) / 2
    assert lines[2].split()[:9] == ["1", "selling", "capability", "2.6000", "1.000", "0.0", "1.0", "0.6", "1.0"]
    assert lines[3].split()[:9] == ["2", "paying", "capability", "0.6875", "0.375", "0.0", "0.4", "0.6", "2.0"]
    assert lines[3].endswith("own gap 60%: Refund turnaround on Payments; effort 2")
    assert lines[4] == ("note: Metric 'nps' (NPS) has its target at the ideal 100: its whole distance from the ideal "
                        "counts as gap (gap 1).")
    assert all(line == line.rstrip() for line in lines)
    code, out, _ = run(["priorities", shop], capsys)          # the leaves only: paying
    assert code == 0 and [line.split()[1] for line in out.splitlines()[2:3]] == ["paying"]
    code, _, err = run(["priorities", shop, "--level", "top"], capsys)
    assert code == 1 and "--level must be leaf, all or a level number" in err


def test_priorities_json_and_weights(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["priorities", shop, "--format", "json", "--weights", "impact=0,pain=0", "--level", "all"],
                       capsys)
    data = json.loads(out)
    assert code == 0 and data["weights"] == {"impact": 0.0, "risk": 1.0, "pain": 0.0, "gap": 1.0}
    assert {r["id"]: r["score"] for r in data["items"]} == {"selling": 0.6, "paying": 0.3}   # 0.6 / 1, 0.6 / 2
    assert data["notes"] and data["unit"] == "interactions / month"


def test_priorities_csv_with_elements_and_top(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["priorities", shop, "--elements", "--top", "1", "--format", "csv", "--level", "all"],
                         capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["type"], r["id"]) for r in rows] == [("capability", "selling"), ("element", "app")]
    assert "target at the ideal" in err   # notes go to stderr, keeping the CSV clean


def test_priorities_bad_weights_exit_1(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["priorities", shop, "--weights", "impact"], capsys)
    assert code == 1 and "--weights expects KEY=NUMBER pairs" in err
    code, _, err = run(["priorities", shop, "--weights", "speed=2"], capsys)
    assert code == 1 and "unknown score weight 'speed'" in err
    code, _, err = run(["priorities", shop, "--top", "-1"], capsys)
    assert code == 1 and "--top must be >= 0" in err


def test_priorities_on_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["priorities", "example:retail-bank", "--top", "3"], capsys)
    assert code == 0 and len([line for line in out.splitlines() if "capability" in line]) == 3


def test_scorecard_by_owner(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scorecard", shop, "--by", "owner"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Scorecard by owner   (impact and pain in interactions / month)"
    # app-team: app and db fail -> 2000 lost, pain 1250; pay-vendor: 900, pain 500, IT pain 900 * 0.6
    assert lines[2].split() == ["app-team", "team", "2", "2000.0", "1250.0", "0.0", "0", "0", "-", "0.0", "2",
                                "app,", "db"]
    assert lines[3].split() == ["pay-vendor", "vendor", "1", "900.0", "500.0", "540.0", "1", "1", "refund-days",
                                "0.6", "1", "payments"]


def test_scorecard_json_and_csv(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["scorecard", shop, "--by", "journey", "--format", "json"], capsys)
    data = json.loads(out)
    assert data["by"] == "journey" and [r["id"] for r in data["rows"]] == ["buy", "return"]
    assert data["rows"][1]["worst_metric"] is None and data["rows"][1]["top_risks"] == ["payments"]
    _, out, _ = run(["scorecard", shop, "--by", "capability", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["id"] == "selling" and rows[0]["top_risks"] == "app, payments"


def test_compare_table(shop: str, shop_to_be: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compare", shop, shop_to_be], capsys)
    lines = out.splitlines()
    assert code == 0
    # before: 1250 + 900 * 0.6 = 1790; after: 1000 + 500 * 0.6 = 1300
    assert lines[0] == ("total pain: 1,790.0 -> 1,300.0 (-490.0; customer 1,250.0 -> 1,000.0, "
                        "IT 540.0 -> 300.0)")
    assert lines[1] == "added: element pay2"
    assert lines[2] == "removed: nothing"
    assert lines[3] == "new single points of failure: none; resolved: payments"
    assert lines[4].split()[:4] == ["id", "type", "status", "impact_before"]
    assert lines[5].split()[:6] == ["payments", "element", "changed", "900.0", "500.0", "-400.0"]


def test_compare_json_csv_and_all(shop: str, shop_to_be: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["compare", shop, shop_to_be, "--format", "json"], capsys)
    data = json.loads(out)
    assert data["total_pain"]["change"] == pytest.approx(-490.0) and data["resolved_spofs"] == ["payments"]
    _, out, _ = run(["compare", shop, shop_to_be, "--format", "csv"], capsys)
    changed = list(csv.DictReader(io.StringIO(out)))
    _, out, _ = run(["compare", shop, shop_to_be, "--format", "csv", "--all"], capsys)
    everything = list(csv.DictReader(io.StringIO(out)))
    # 6 elements + 2 capabilities + 2 journeys; only the team and the vendor (nothing depends on them) unchanged
    assert len(everything) == 10 and len(changed) == 8
    assert {r["id"] for r in everything} - {r["id"] for r in changed} == {"app-team", "pay-vendor"}
    added = next(r for r in everything if r["id"] == "pay2")
    assert (added["status"], added["impact_before"], added["rank_before"]) == ("added", "", "")


def test_compare_identical(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compare", shop, shop], capsys)
    assert code == 0 and "no element, capability or journey changed" in out


def test_missing_and_invalid_files(shop: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["compare", shop, str(tmp_path / "absent.yaml")], capsys)
    assert code == 2 and "no such file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHOP.replace("depends_on: [db]", "depends_on: [dbb]"))
    code, _, err = run(["scorecard", str(bad)], capsys)
    assert code == 1 and "unknown element 'dbb'" in err
    with pytest.raises(SystemExit) as stop:
        main(["scorecard", shop, "--by", "team"])
    assert stop.value.code == 2
