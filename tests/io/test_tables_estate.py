"""Spreadsheet tables read straight into an estate: the same reading as read_tables, the same problems."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import cxgraph as cx
from tests.io.test_tables import BAD_CSV, DATA, _csv_to_workbook, _problems, awkward_models
from tests.strategies import models, ranged_models


def _both(source: Path) -> tuple[cx.Estate, cx.Model]:
    return cx.io.read_tables_estate(source), cx.io.read_tables(source)


def test_hand_filled_folder_and_workbook_read_as_the_model_reader(tmp_path: Path) -> None:
    for source in (DATA / "shop", _csv_to_workbook(DATA / "shop", tmp_path / "shop.xlsx", typed=True)):
        estate, model = _both(source)
        assert estate.to_model() == model == cx.load(DATA / "shop.yaml")
        assert list(estate.elements["id"]) == [e.id for e in model.elements]
        assert estate.model.elements == [] and estate.model.journeys == model.journeys


@pytest.mark.parametrize("example", cx.examples.names())
@pytest.mark.parametrize("target", ["tables", "tables.xlsx"])
def test_bundled_examples_read_into_estates_equal_to_them(tmp_path: Path, example: str, target: str) -> None:
    model = cx.examples.load(example)
    cx.io.write_tables(model, tmp_path / target)
    estate = cx.io.read_tables_estate(tmp_path / target)
    assert estate.to_model() == model
    assert cx.impact(estate).impact == cx.impact(model).impact


def test_elements_an_initiative_adds_stay_with_it_and_ranges_fill_their_columns(tmp_path: Path) -> None:
    (tmp_path / "initiatives.csv").write_text("id,name,cost\ncdn,Second CDN,100\n")
    (tmp_path / "elements.csv").write_text("id,name,kind,availability,recovery_hours,added_by,needs\n"
                                           "web,Web,system,0.9..0.95..0.99,,,edge=1\ncdn-a,CDN A,infrastructure,,"
                                           "1..3,,\ncdn-b,CDN B,infrastructure,0.999,,cdn,\n")
    (tmp_path / "dependencies.csv").write_text("from,to,strength,group\nweb,cdn-a,0.2..0.4,edge\n"
                                               "cdn-b,cdn-a,,\n")
    estate, model = _both(tmp_path)
    assert estate.to_model() == model
    assert list(estate.elements["id"]) == ["web", "cdn-a"]
    assert [e.id for e in estate.model.initiatives[0].adds.elements] == ["cdn-b"]  # type: ignore[union-attr]
    row = estate.elements.iloc[0]
    assert (row["availability"], row["availability_low"], row["availability_mode"], row["availability_high"]) == (
        0.95, 0.9, 0.95, 0.99)
    assert estate.elements["recovery_hours"].tolist()[1] == 2.0  # the midpoint of 1..3
    [link] = estate.links.to_dict(orient="records")
    assert (link["source"], link["target"], link["strength"], link["group"], link["needs"]) == (
        "web", "cdn-a", (0.2 + 0.4) / 2, "edge", 1.0)
    assert (link["strength_low"], link["strength_high"]) == (0.2, 0.4) and np.isnan(link["strength_mode"])


def test_bad_folder_reports_what_the_model_reader_reports() -> None:
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_tables_estate(DATA / "bad")
    assert _problems(err) == BAD_CSV


def test_bad_workbook_reports_what_the_model_reader_reports(tmp_path: Path) -> None:
    book = _csv_to_workbook(DATA / "bad", tmp_path / "bad.xlsx")
    with pytest.raises(cx.ModelError) as ours:
        cx.io.read_tables_estate(book)
    with pytest.raises(cx.ModelError) as theirs:
        cx.io.read_tables(book)
    assert _problems(ours) == _problems(theirs)


BAD_ELEMENTS = {
    "elements.csv": "id,name,kind,owner,availability,failures_per_year,recovery_hours,needs\n"
                    "web,Web,system,ops,1.5,,,\n"          # 2: availability out of range, owner not a team
                    "db,DB,data,,0.9..0.8,,,\n"             # 3: a range upside down
                    "api,API,service,,,2,,pay=1; ha=3\n"    # 4: failures without recovery; needs unknown and too many
                    "ops,Ops,system,,,,-1,\n"              # 5: negative recovery
                    "web,Web again,system,,,,,\n"           # 6: duplicate id
                    "cache,,service,ghost,,,,\n",           # 7: missing name, unknown owner
    "dependencies.csv": "from,to,strength,group\nweb,db,2,\nweb,db,,\napi,nowhere,,ha\napi,db,,ha\n",
}


def test_bad_element_rows_are_located_as_the_model_reader_locates_them(tmp_path: Path) -> None:
    for name, text in BAD_ELEMENTS.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(cx.ModelError) as ours:
        cx.io.read_tables_estate(tmp_path)
    assert _problems(ours) == [
        ("elements.csv", 2, 4, "owner", "owner 'ops' is a system: an owner must be a team or vendor"),
        ("elements.csv", 2, 5, "availability", "must be between 0 and 1, got 1.5"),
        ("elements.csv", 3, 5, "availability", "expected low <= high"),
        ("elements.csv", 4, 6, "failures_per_year", "failures_per_year needs recovery_hours (the mean time to "
                                                    "restore, in hours) to give an unavailability"),
        ("elements.csv", 4, 8, "needs", "needs names group 'pay' but no dependency is in that group"),
        ("elements.csv", 4, 8, "needs", "needs 3 of group 'ha' but the group has only 2 links"),
        ("elements.csv", 5, 7, "recovery_hours", "must not be negative, got -1"),
        ("elements.csv", 6, 1, "id", "duplicate id 'web' (first defined at elements.csv row 2)"),
        ("elements.csv", 7, 2, "name", "required field missing"),
        ("elements.csv", 7, 4, "owner", "unknown owner 'ghost'"),
        ("dependencies.csv", 2, 3, "strength", "must be between 0 and 1, got 2"),
        ("dependencies.csv", 3, 2, "to", "'web' depends on 'db' twice (first at dependencies.csv row 2): merge the "
                                         "two links into one"),
        ("dependencies.csv", 4, 2, "to", "unknown element 'nowhere'"),
    ]
    with pytest.raises(cx.ModelError) as theirs:
        cx.io.read_tables(tmp_path)
    # the same places; the model reader names the row alone where the reliability fields disagree
    assert sorted(map(str, (p[:4] for p in _problems(theirs)))) == sorted(map(str, (
        ("elements.csv", 4, None, "") if p[3] == "failures_per_year" else p[:4] for p in _problems(ours))))


def _round_trip(folder: Path, model: cx.Model) -> None:
    cx.io.write_tables(model, folder)
    estate = cx.io.read_tables_estate(folder)
    assert estate.to_model() == model == cx.io.read_tables(folder)


@settings(max_examples=20, deadline=None)
@given(model=models())
def test_random_models_read_into_estates_equal_to_them(tmp_path_factory: pytest.TempPathFactory,
                                                       model: cx.Model) -> None:
    _round_trip(tmp_path_factory.mktemp("tables"), model)
    target = tmp_path_factory.mktemp("xlsx") / "m.xlsx"
    cx.io.write_tables(model, target)
    assert cx.io.read_tables_estate(target).to_model() == model


@settings(max_examples=30, deadline=None)
@given(model=ranged_models())
def test_models_with_reliability_ranges_read_into_estates_equal_to_them(tmp_path_factory: pytest.TempPathFactory,
                                                                        model: cx.Model) -> None:
    _round_trip(tmp_path_factory.mktemp("tables"), model)


@settings(max_examples=30, deadline=None)
@given(model=awkward_models())
def test_awkward_text_and_properties_read_into_estates_equal_to_them(tmp_path_factory: pytest.TempPathFactory,
                                                                     model: cx.Model) -> None:
    _round_trip(tmp_path_factory.mktemp("csv"), model)
