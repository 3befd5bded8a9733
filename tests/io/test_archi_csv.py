"""Archi's CSV trio: read Archi's own export exactly, write what Archi reads, round trips."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings

import cxgraph as cx
from tests.strategies import models


@pytest.fixture
def prefix(data_dir: Path) -> Path:
    return data_dir / "archi" / "csv-test1-"


def test_archi_export_is_read_exactly(prefix: Path) -> None:
    model, report = cx.io.read_archi_csv(prefix)
    assert model.name == "Test Model"
    assert model.description == 'This is the Purpose of the Model.\r\nIt has a line break and "some" quotes.\r\n'
    assert model.properties == {"Property 1": 'Hello World "Here"!', "Property 2": "Again",
                                "archimate:id": "862677a6"}
    actor, interface, role = model.elements
    assert (actor.id, actor.kind, actor.name) == ("f00aa5b4", "team", "Business Actor")
    assert actor.description == 'This is the Business Actor\r\nDocumentation\r\nHere ""\r\n'
    # "Property 3" appears twice: the second is kept as "Property 3#2" (and the report says so).
    assert actor.properties == {"archimate:specialization": "Specialization1", "Property 1": "A new value",
                                "Property 2": 'Another one "here"', "Property 3": "", "Property 3#2": "Again"}
    assert (interface.kind, interface.properties) == ("service", {"archimate:type": "BusinessInterface"})
    assert (role.kind, role.owner) == ("team", "f00aa5b4")  # the Assignment actor -> role
    assert report.counts() == {"elements_read": 3, "elements_mapped": 3, "elements_kept": 0,
                               "relationships_read": 2, "relationships_mapped": 1, "relationships_kept": 1}
    composition = report.kept_relationships[0]
    assert (composition.id, composition.properties) == ("5854f8a3", (("This", "values"),))
    assert composition.documentation == "Here it is\r\nagain\r\n\r\n\r\n"
    assert report.notes[0].startswith("no journeys found: the file has no view showing business behaviour")
    assert report.notes[1:] == ("BusinessActor 'f00aa5b4' repeats property 'Property 3': kept as 'Property 3#2'",
                            "1 mapped relationship carried a name, documentation or properties that a dependency "
                            "cannot hold: the import log keeps them")
    assignment = report.relationships[0]
    assert (assignment.name, assignment.documentation) == ("Assignment relation",
                                                           'Assignment documentation\r\nIs here "hello"')


def test_archi_export_round_trips_through_cxgraph(prefix: Path, tmp_path: Path) -> None:
    model, _ = cx.io.read_archi_csv(prefix)
    cx.io.write_archi_csv(model, tmp_path, prefix="again-")
    again, _ = cx.io.read_archi_csv(tmp_path / "again-")
    assert again == model
    with (tmp_path / "again-properties.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert ["f00aa5b4", "Property 3", "Again"] in rows  # the repeated key is written as Archi had it
    raw = (tmp_path / "again-elements.csv").read_bytes()
    assert raw.startswith(b'"ID","Type","Name","Documentation","Specialization"\r\n')
    assert b'"f00aa5b4","BusinessActor","Business Actor",' in raw and b'"Specialization1"\r\n' in raw


@pytest.mark.parametrize("name", cx.examples.names())
def test_models_round_trip_through_csv(name: str, tmp_path: Path) -> None:
    model = cx.examples.load(name)
    cx.io.write_archi_csv(model, tmp_path)
    again, report = cx.io.read_archi_csv(tmp_path)
    assert again == model
    assert report.elements_kept == report.relationships_kept == 0


def test_archisurance_native_to_csv_and_back(data_dir: Path, tmp_path: Path) -> None:
    model, _ = cx.io.read_archi(data_dir / "archi" / "Archisurance.archimate", journeys="view:Business Process View")
    cx.io.write_archi_csv(model, tmp_path)
    with (tmp_path / "elements.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row[0] for row in csv.reader(handle)]
    assert "564" in ids  # Archi's own ids are kept: importing into the original model updates its elements
    assert cx.io.read_archi_csv(tmp_path)[0] == model


def test_semicolons_bom_and_windows_1252(prefix: Path, tmp_path: Path) -> None:
    for name in ("elements", "relations", "properties"):
        with (prefix.parent / f"{prefix.name}{name}.csv").open(encoding="utf-8", newline="") as source:
            rows = list(csv.reader(source))
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    assert cx.io.read_archi_csv(tmp_path)[0] == cx.io.read_archi_csv(prefix)[0]
    (tmp_path / "elements.csv").write_bytes('"ID";"Type";"Name";"Documentation"\r\n"x";"Node";"Caf\xe9"\r\n'
                                            .encode("cp1252"))
    (tmp_path / "relations.csv").unlink()
    (tmp_path / "properties.csv").unlink()
    model, report = cx.io.read_archi_csv(tmp_path)
    assert model.elements[0].name == "Café"
    assert report.format == "Archi CSV"


def test_missing_columns_unknown_types_and_dangling_ids_are_located(prefix: Path, tmp_path: Path) -> None:
    for name in ("elements", "relations", "properties"):
        shutil.copy(prefix.parent / f"{prefix.name}{name}.csv", tmp_path / f"{name}.csv")
    (tmp_path / "relations.csv").write_text('"ID","Type","Name","Documentation","Source"\n')
    with pytest.raises(cx.FormatError, match=r"relations.csv:1: missing column Target \(the header has ID, Type"):
        cx.io.read_archi_csv(tmp_path)
    (tmp_path / "relations.csv").write_text('"ID","Type","Name","Documentation","Source","Target"\n'
                                            '"r1","ServingRelationship","","","f00aa5b4","nowhere"\n')
    with pytest.raises(cx.FormatError, match=r"relations\.csv:2: relationship 'r1' refers to 'nowhere'"):
        cx.io.read_archi_csv(tmp_path)
    (tmp_path / "relations.csv").write_text('"ID","Type","Name","Documentation","Source","Target"\n'
                                            '"r1","LikesRelationship","","","f00aa5b4","d9fe8c17"\n')
    with pytest.raises(cx.FormatError, match=r"relations\.csv:2: unknown relationship type 'LikesRelationship'"):
        cx.io.read_archi_csv(tmp_path)
    (tmp_path / "relations.csv").unlink()
    (tmp_path / "elements.csv").write_text('"ID","Type","Name","Documentation"\n"a","Robot","R",""\n')
    with pytest.raises(cx.FormatError, match=r"elements\.csv:2: unknown element type 'Robot'"):
        cx.io.read_archi_csv(tmp_path)


def test_relationship_details_travel_as_archi_properties(tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text(
        '"ID","Type","Name","Documentation"\n"p","BusinessProcess","P",""\n"d","DataObject","D",""\n'
        '"a","Node","A",""\n"b","Node","B",""\n"j","Junction","",""\n')
    (tmp_path / "relations.csv").write_text(
        '"ID","Type","Name","Documentation","Source","Target"\n"r1","AccessRelationship","","","p","d"\n'
        '"r2","ServingRelationship","","","a","j"\n"r3","ServingRelationship","","","b","j"\n'
        '"r4","ServingRelationship","","","j","p"\n')
    (tmp_path / "properties.csv").write_text(
        '"ID","Key","Value"\n"r1","Access_Type","Read"\n"j","Junction_Type","Or"\n')
    model, report = cx.io.read_archi_csv(tmp_path)
    assert [(d.element, d.group) for d in model.get("p").depends_on] == [("a", "j"), ("b", "j"), ("d", None)]
    assert all(not e.properties for e in report.relationships)


@settings(max_examples=20)
@given(models())
def test_random_models_round_trip_through_csv(model: cx.Model) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        cx.io.write_archi_csv(model, folder)
        again, _ = cx.io.read_archi_csv(folder)
    assert again == model
