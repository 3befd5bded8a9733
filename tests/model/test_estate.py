"""Estates: tables of elements and links beside a small model, checked on whole columns, compiled like a Model."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.engine.compile import _build
from tests.strategies import models, ranged_models

SHOP = """
cxgraph: 1
name: Shop
journeys:
  - id: buy
    name: Buy
    customers: 1000
    touchpoints:
      - {id: checkout, name: Checkout, depends_on: [shop, {element: reviews, strength: 0.2}]}
"""


def shop_model() -> cx.Model:
    return cx.Model.model_validate({"cxgraph": 1, "name": "Shop", "journeys": [{
        "id": "buy", "name": "Buy", "customers": 1000, "touchpoints": [
            {"id": "checkout", "name": "Checkout", "depends_on": ["shop", {"element": "reviews", "strength": 0.2}]}]}]})


def shop_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    elements = pd.DataFrame({
        "id": ["shop", "reviews", "db", "db-replica", "ops"],
        "name": ["Shop", "Reviews", None, "DB replica", "Operations"],
        "kind": ["system", "service", "data", "data", "team"],
        "owner": ["ops", None, "ops", "ops", None],
        "availability": [0.99, np.nan, np.nan, np.nan, np.nan],
    })
    links = pd.DataFrame({
        "source": ["shop", "shop", "reviews"],
        "target": ["db", "db-replica", "db"],
        "strength": [1.0, 1.0, 0.5],
        "group": ["ha", "ha", None],
    })
    return elements, links


def problems(elements: pd.DataFrame, links: pd.DataFrame | None = None, model: cx.Model | None = None) -> list[str]:
    with pytest.raises(cx.ModelError) as err:
        cx.Estate.from_tables(elements, links, model)
    return [f"{p.path}: {p.message}" for p in err.value.problems]


# ---------------------------------------------------------------------------- building and analysing
def test_impact_of_an_estate_worked_by_hand() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    r = cx.impact(estate)
    # checkout depends on shop (1) and reviews (0.2); shop needs db OR its replica; reviews on db at 0.5
    assert r.impact["shop"] == 1000.0
    assert r.impact["reviews"] == 200.0
    assert r.impact["db"] == pytest.approx(1000 * 0.2 * 0.5)  # the replica keeps the shop up
    assert r.impact["db-replica"] == 0.0
    assert r.impact["ops"] == 0.0  # owning is not depending


def test_what_if_on_an_estate_fails_both_alternatives() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    r = cx.what_if(estate, fail=["db", "db-replica"])
    assert r.degradation["shop"] == 1.0
    assert r.degradation["reviews"] == 0.5
    assert r.interactions_lost == 1000.0  # checkout: 1 - (1 - 1)(1 - 0.2 x 0.5) = 1


def test_names_default_to_ids_and_tables_keep_their_columns() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    elements, links = estate.tables()
    assert elements.loc[2, "name"] == "db"
    assert list(links.columns) == ["source", "target", "strength", "group", "needs"]
    assert repr(estate) == "Estate('Shop': 5 elements, 3 links, 1 touchpoints)"
    assert (estate.n_elements, estate.n_links) == (5, 3)


def test_reliability_compiles_as_the_model_does() -> None:
    elements = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["system"] * 3,
                             "availability": [0.995, np.nan, np.nan],
                             "failures_per_year": [np.nan, 2.0, np.nan], "recovery_hours": [np.nan, 4.383, 3.0]})
    c = cx.engine.compile_model(cx.Estate.from_tables(elements))
    assert c.q.tolist() == [1 - 0.995, 2 * 4.383 / 8766, 0.0]
    assert c.reliability_known.tolist() == [True, True, False]
    assert math.isnan(c.recovery_hours[0]) and c.recovery_hours[2] == 3.0


def test_analyses_that_need_the_whole_model_say_so() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    for analysis in (cx.gaps, cx.pain, cx.priorities, cx.scorecard, cx.sensitivity, cx.resilience, cx.plan):
        with pytest.raises(cx.AnalysisInputError, match=r"call estate.to_model\(\) first"):
            analysis(estate)
    assert cx.gaps(estate.to_model()).to_dict()["analysis"] == "gaps"


def test_edited_model_part_is_checked_again_with_the_tables() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    first = cx.engine.compile_model(estate)
    assert cx.engine.compile_model(estate) is first
    estate.model.journeys[0].add_touchpoint("pay", "Pay", depends_on=["db"])
    assert cx.engine.compile_model(estate).n_touchpoints == 2
    estate.model.journeys[0].add_touchpoint("ship", "Ship", depends_on=["courier"])
    with pytest.raises(cx.ModelError, match=r"journeys\[0\].touchpoints\[2\].depends_on\[0\]: unknown element "
                                            r"'courier'"):
        cx.engine.compile_model(estate)


# ---------------------------------------------------------------------------- every problem at its row and column
def test_element_problems_name_table_row_and_column() -> None:
    elements = pd.DataFrame({
        "id": ["a", "b", "a", "bad id", None, "f", "g", "h"],
        "kind": ["system", "sytem", "data", "data", "data", "data", "data", "team"],
        "availability": [0.5, 1.5, np.inf, np.nan, np.nan, 0.9, np.nan, np.nan],
        "failures_per_year": [np.nan, np.nan, np.nan, np.nan, np.nan, 2.0, 1.0, np.nan],
        "recovery_hours": [np.nan, np.nan, np.nan, np.nan, np.nan, 1.0, np.nan, -1.0],
        "owner": [None, "h", "nobody", "a", None, None, None, None],
    })
    assert problems(elements) == [
        "elements[4].id: missing id (text)",
        "elements[3].id: invalid id 'bad id': use only letters, digits, '-', '_' and '.'",
        "elements[2].id: duplicate id 'a' (first defined at elements[0])",
        "elements[1].kind: unknown kind 'sytem' (expected one of system, service, infrastructure, data, process, "
        "team, vendor); did you mean 'system'?",
        "elements[1].availability: expected a number between 0 and 1, got 1.5",
        "elements[2].availability: expected a number between 0 and 1, got inf",
        "elements[7].recovery_hours: expected a number of at least 0 (finite), got -1.0",
        "elements[5].failures_per_year: give either availability or failures_per_year (with recovery_hours), "
        "not both",
        "elements[6].failures_per_year: failures_per_year needs recovery_hours (the mean time to restore, in hours) "
        "to give an unavailability",
        "elements[2].owner: unknown owner 'nobody'",
        "elements[3].owner: owner 'a' is a system: an owner must be a team or vendor",
    ]


def test_names_and_descriptions_that_are_not_text_are_named() -> None:
    elements = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["system"] * 3,
                             "name": ["A", ["x"], None], "description": [3, None, "ok"]})
    assert problems(elements) == ["elements[1].name: expected text, got a list",
                                  "elements[0].description: expected text, got 3"]


def test_text_where_a_number_belongs_is_named() -> None:
    elements = pd.DataFrame({"id": ["a"], "kind": ["system"], "availability": ["high"]})
    assert problems(elements) == ["elements[0].availability: expected a number, got 'high'"]


def test_link_problems_name_table_row_and_column() -> None:
    elements = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["system", "data", "data"]})
    links = pd.DataFrame({
        "source": ["a", "a", "x", "a", "checkout", "b", "b", "a", "a", "c", "c"],
        "target": ["b", "b", "b", "checkout", "a", "c", "a", "c", "c", "a", "b"],
        "strength": [1.0, 0.5, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        "group": [None, None, None, None, None, None, None, "g", None, "h", "h"],
        "needs": [np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 2.0, 0.5, np.nan, 3.0, 3.0],
    })
    assert problems(elements, links, shop_model().model_copy(update={"journeys": shop_model().journeys})) == [
        "links[2].source: unknown element 'x'",
        "links[4].source: 'checkout' is a touchpoint: its links belong to the touchpoint in the model",
        "links[3].target: 'checkout' is a touchpoint: dependencies must point at elements",
        "links[5].strength: expected a number between 0 and 1, got 2.0",
        "links[1].target: 'a' depends on 'b' twice (first at links[0]): merge the two links into one",
        "links[8].target: 'a' depends on 'c' twice (first at links[7]): merge the two links into one",
        "links[7].needs: needs must be a whole number, at least 1, got 0.5",
        "links[6].needs: needs is given but the link is in no group",
        "links[9].needs: needs 3 of group 'h' but the group has fewer links",
        "links[10].needs: needs 3 of group 'h' but the group has fewer links",
        "journeys[0].touchpoints[0].depends_on[0]: unknown element 'shop'",
        "journeys[0].touchpoints[0].depends_on[1].element: unknown element 'reviews'",
    ]


def test_groups_that_disagree_on_needs_are_named() -> None:
    elements = pd.DataFrame({"id": ["a", "b", "c", "d"], "kind": ["system", "data", "data", "data"]})
    links = pd.DataFrame({"source": ["a", "a", "a"], "target": ["b", "c", "d"], "group": ["g", "g", "g"],
                          "needs": [1.0, 2.0, np.nan]})
    assert problems(elements, links) == [
        "links[0].needs: the links of group 'g' of 'a' give different needs",
        "links[1].needs: the links of group 'g' of 'a' give different needs",
        "links[2].needs: the links of group 'g' of 'a' give different needs",
    ]


def test_columns_unknown_or_missing_are_named() -> None:
    assert problems(pd.DataFrame({"id": ["a"], "knd": ["system"]})) == [
        "elements.knd: unknown column 'knd' (expected id, name, kind, owner, availability, failures_per_year, "
        "recovery_hours, description, tags, properties; a range as <field>_low, <field>_mode, <field>_high for "
        "availability, failures_per_year, recovery_hours); did you mean 'kind'?",
        "elements.kind: the elements table needs a column 'kind'",
    ]


def test_model_part_problems_resolve_against_the_tables() -> None:
    model = shop_model()
    model.add_capability("selling", "Selling", realized_by=["shop", "till"])
    elements = pd.DataFrame({"id": ["shop", "reviews", "checkout"], "kind": ["system", "service", "data"]})
    assert problems(elements, None, model) == [
        "elements[2].id: duplicate id 'checkout' (also a touchpoint in the model)",
        "capabilities[0].realized_by[1]: unknown element 'till'",
    ]


def test_many_rows_with_one_problem_are_counted() -> None:
    elements = pd.DataFrame({"id": [f"e{i}" for i in range(50)], "kind": ["sytem"] * 50})
    found = problems(elements)
    assert len(found) == 21
    assert found[-1] == "elements[20].kind: ... and 30 more rows with the same problem"


def test_a_model_with_elements_is_refused() -> None:
    model = cx.Model()
    model.add_element("x", "X", kind="system")
    assert problems(pd.DataFrame({"id": ["a"], "kind": ["system"]}), None, model) == [
        "elements: the model part of an estate holds no elements: they belong in the elements table"]


# ---------------------------------------------------------------------------- the same as the pydantic path
def assert_same_compiled(a: cx.engine.CompiledModel, b: cx.engine.CompiledModel) -> None:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if name == "kernel_arrays":
            assert len(x) == len(y)
            for p, q in zip(x, y, strict=True):
                assert p.dtype == q.dtype and np.array_equal(p, q, equal_nan=True), name
        elif isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), name
        else:
            assert x == y, name


@settings(max_examples=60, deadline=None)
@given(models(max_elements=10, max_links=5))
def test_estate_compiles_and_impacts_as_its_model(model: cx.Model) -> None:
    estate = cx.Estate.from_model(model)
    assert_same_compiled(cx.engine.compile_model(estate), _build(model))
    ours, theirs = cx.impact(estate), cx.impact(model)
    assert np.array_equal(ours.to_frame()["impact"].to_numpy(), theirs.to_frame()["impact"].to_numpy())
    assert ours.impact == theirs.impact  # bit for bit
    assert_same_compiled(cx.engine.compile_model(estate.to_model()), _build(model))
    assert estate.to_model() == model  # strengths that are ranges included


@settings(max_examples=40, deadline=None)
@given(ranged_models())
def test_models_with_ranges_round_trip_through_estates_and_parquet(model: cx.Model) -> None:
    import tempfile

    estate = cx.Estate.from_model(model)
    assert estate.to_model() == model
    assert_same_compiled(cx.engine.compile_model(estate), _build(model))
    with tempfile.TemporaryDirectory() as folder:
        estate.write(folder)
        again = cx.Estate.read(folder)
    assert again.to_model() == model
    assert_same_compiled(cx.engine.compile_model(again), _build(model))


def test_round_trip_of_a_model_without_ranges() -> None:
    model = cx.loads(SHOP + """
elements:
  - {id: shop, name: Shop, kind: system, owner: ops, availability: 0.99, tags: [web], properties: {tier: 1},
     depends_on: [{element: db, group: ha}, {element: db-b, group: ha}], needs: {ha: 2}}
  - {id: reviews, name: Reviews, kind: service, description: Stars, failures_per_year: 2, recovery_hours: 3,
     depends_on: [{element: db, strength: 0.5}]}
  - {id: db, name: DB, kind: data}
  - {id: db-b, name: DB B, kind: data}
  - {id: ops, name: Ops, kind: team}
""")
    assert cx.Estate.from_model(model).to_model() == model


def test_ranges_are_kept_beside_their_point_values() -> None:
    model = cx.examples.load("retail-bank")  # credit-bureau: availability 0.99..0.995..0.999; one strength 0.3..0.6
    estate = cx.Estate.from_model(model)
    bureau = estate.elements.set_index("id").loc["credit-bureau"]
    assert (bureau["availability"], bureau["availability_low"], bureau["availability_mode"],
            bureau["availability_high"]) == (0.995, 0.99, 0.995, 0.999)
    fraud = estate.links[(estate.links["source"] == "payment-hub") & (estate.links["target"] == "fraud-engine")]
    [row] = fraud.to_dict(orient="records")
    assert row["strength"] == (0.3 + 0.6) / 2 and (row["strength_low"], row["strength_high"]) == (0.3, 0.6)  # midpoint
    assert math.isnan(row["strength_mode"])
    assert estate.links["strength_low"].notna().sum() == 1  # the other links hold no range
    back = estate.to_model()
    assert back == model
    assert back.get("payment-hub").depends_on[-1].strength == cx.Uncertain(low=0.3, high=0.6)
    assert_same_compiled(cx.engine.compile_model(estate), cx.engine.compile_model(model))


def test_tables_without_ranges_have_no_range_columns() -> None:
    estate = cx.Estate.from_tables(*shop_tables(), shop_model())
    assert not [c for c in [*estate.elements.columns, *estate.links.columns] if c.endswith(("_low", "_high"))]


def test_a_range_given_in_the_tables_fills_in_its_point_value() -> None:
    elements = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["system"] * 3,
                             "availability_low": [0.9, np.nan, 0.8], "availability_mode": [np.nan, np.nan, 0.85],
                             "availability_high": [0.96, np.nan, 0.9],
                             "recovery_hours_low": [np.nan, 1.0, np.nan], "recovery_hours_high": [np.nan, 3.0, np.nan],
                             "recovery_hours": [np.nan, 2.0, np.nan]})
    links = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "strength_low": [0.2, np.nan],
                          "strength_high": [0.4, np.nan]})
    estate = cx.Estate.from_tables(elements, links)
    assert estate.elements["availability"].tolist()[0] == pytest.approx(0.93)
    assert estate.elements["availability"].tolist()[2] == 0.85  # the mode
    assert estate.elements["recovery_hours"].tolist()[1] == 2.0  # given, and the midpoint of 1..3
    assert estate.links["strength"].tolist() == [pytest.approx(0.3), 1.0]
    model = estate.to_model()
    assert model.get("a").availability == cx.Uncertain(low=0.9, high=0.96)
    assert model.get("b").recovery_hours == cx.Uncertain(low=1.0, high=3.0)
    assert model.get("c").availability == cx.Uncertain(low=0.8, mode=0.85, high=0.9)
    assert model.get("a").depends_on[0].strength == cx.Uncertain(low=0.2, high=0.4)
    assert model.get("a").depends_on[1].strength == 1
    # q of a: 1 - 0.93, as the model's point value gives
    assert cx.engine.compile_model(estate).q.tolist() == cx.engine.compile_model(model).q.tolist()


def test_range_problems_name_row_and_column() -> None:
    elements = pd.DataFrame({
        "id": ["a", "b", "c", "d", "e", "f"], "kind": ["system"] * 6,
        "availability": [np.nan, np.nan, np.nan, np.nan, 0.5, np.nan],
        "availability_low": [0.9, np.nan, 0.99, -0.1, 0.1, 0.2],
        "availability_mode": [np.nan, 0.5, 0.95, np.nan, np.nan, np.nan],
        "availability_high": [np.nan, np.nan, 0.999, 0.5, 0.3, 0.4],
        "failures_per_year_low": [np.nan, np.nan, np.nan, np.nan, np.nan, 1.0],
        "failures_per_year_high": [np.nan, np.nan, np.nan, np.nan, np.nan, 2.0],
        "recovery_hours": [np.nan, np.nan, np.nan, np.nan, np.nan, 4.0],
    })
    links = pd.DataFrame({"source": ["a"], "target": ["b"], "strength_low": [0.5], "strength_high": [1.5],
                          "strength_mode": ["x"]})
    assert problems(elements, links) == [
        "elements[3].availability_low: expected a number between 0 and 1, got -0.1",
        "elements[0].availability_high: a range needs availability_high beside availability_low (or neither)",
        "elements[1].availability_mode: availability_mode is given without availability_low and availability_high",
        "elements[2].availability_low: expected availability_low <= availability_mode <= availability_high, "
        "got 0.99, 0.95, 0.999",
        "elements[4].availability: expected the range's point value 0.2 (its mode, or the midpoint where no mode "
        "is given) or nothing, got 0.5",
        "elements[5].failures_per_year: give either availability or failures_per_year (with recovery_hours), "
        "not both",
        "links[0].strength_mode: expected a number, got 'x'",
        "links[0].strength_high: expected a number between 0 and 1, got 1.5",
    ]


# ---------------------------------------------------------------------------- Parquet
def test_parquet_round_trip(tmp_path: Path) -> None:
    model = cx.examples.load("telecom")
    estate = cx.Estate.from_model(model)
    estate.write(tmp_path)
    back = cx.Estate.read(tmp_path)
    assert isinstance(back.links["source"].dtype, pd.CategoricalDtype)
    assert back.source == str(tmp_path)
    assert_same_compiled(cx.engine.compile_model(back), cx.engine.compile_model(model))
    assert cx.impact(back).impact == cx.impact(model).impact


def test_model_file_problems_keep_their_line(tmp_path: Path) -> None:
    cx.Estate.from_tables(*shop_tables(), shop_model()).write(tmp_path)
    (tmp_path / "model.json").unlink()
    (tmp_path / "model.yaml").write_text(SHOP.replace("reviews", "reveiws"), encoding="utf-8")
    with pytest.raises(cx.ModelError) as err:
        cx.Estate.read(tmp_path)
    [p] = err.value.problems
    assert (p.path, p.line, p.message) == ("journeys[0].touchpoints[0].depends_on[1].element", 9,
                                           "unknown element 'reveiws'")


def test_missing_parquet_file(tmp_path: Path) -> None:
    with pytest.raises(cx.FormatError, match="no such Parquet file"):
        cx.Estate.read(tmp_path)


def test_table_rows_read_from_parquet_name_the_folder(tmp_path: Path) -> None:
    elements, links = shop_tables()
    links.loc[2, "strength"] = 1.5
    cx.Estate.from_tables(elements, links.iloc[:2], shop_model()).write(tmp_path)
    links.to_parquet(tmp_path / "links.parquet")
    with pytest.raises(cx.ModelError) as err:
        cx.Estate.read(tmp_path)
    assert [str(p) for p in err.value.problems] == [
        f"{tmp_path}: links[2].strength: expected a number between 0 and 1, got 1.5"]


def test_cli_reads_an_estate_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from cxgraph.cli import main

    cx.Estate.from_tables(*shop_tables(), shop_model()).write(tmp_path)
    assert main(["impact", str(tmp_path), "--format", "json"]) == 0
    items = {row["id"]: row["impact"] for row in json.loads(capsys.readouterr().out)["items"]}
    assert (items["shop"], items["reviews"]) == (1000.0, 200.0)
    assert main(["what-if", str(tmp_path), "--fail", "db", "--fail", "db-replica", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["interactions_lost"] == 1000.0
