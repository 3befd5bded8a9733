"""Nothing lost on the way through: every format a model is written in reads back the model written.

The property runs through every format ``cxgraph convert`` writes, with odd, long and non-BMP
text, typed property values, empty and absent descriptions and duplicate-looking entries. A
write may instead be refused - with one of cxgraph's errors, before anything is written - only
where the model has problems (``check()`` fails), a workbook cell could not hold a text, or
an ArchiMate or Archi file would read a property back as one of cxgraph's instructions.
"""

from __future__ import annotations

import csv
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings

import cxgraph as cx
from cxgraph.cli import main
from cxgraph.io.archimate.props import PREFIX, RESERVED
from cxgraph.io.archimate.read import NATIVE, XSI
from cxgraph.io.archimate.read import NS3 as NS
from cxgraph.io.csvsafe import restore
from cxgraph.io.formats import FORMATS
from tests.strategies import roundtrip_models

EXCEL_CELL = 32_767

WRITE: dict[str, tuple[str, Callable[[cx.Model, Path], object]]] = {
    "yaml": ("m.yaml", lambda m, p: cx.save(m, p)),
    "json": ("m.json", lambda m, p: cx.save(m, p)),
    "xlsx": ("m.xlsx", lambda m, p: cx.io.write_tables(m, p)),
    "tables": ("tables", lambda m, p: cx.io.write_tables(m, p)),
    "archimate": ("m.xml", lambda m, p: cx.io.write_archimate(m, p)),
    "archi-csv": ("archi", lambda m, p: cx.io.write_archi_csv(m, p)),
}


def test_every_writable_format_is_covered() -> None:
    assert set(WRITE) == {f.name for f in FORMATS.values() if f.writable}


def _longest_cell(model: cx.Model, folder: Path) -> int:
    """The longest cell of the model's spreadsheet tables, as the CSV tables hold it."""
    cx.io.write_tables(model, folder)
    longest = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            longest = max([longest, *(len(restore(cell)) for row in csv.reader(handle) for cell in row)])
    return longest


def _reserved(model: cx.Model) -> bool:
    """Whether the model has a property that an ArchiMate or Archi file would read back as an instruction."""
    keys = [key for item in (model, *model.items()) for key in item.properties]
    return any(key.startswith(PREFIX) and key.removeprefix(PREFIX) in RESERVED for key in keys)


def _round_trip(fmt: str, model: cx.Model) -> None:
    name, write = WRITE[fmt]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        problems = model.problems()
        too_long = fmt == "xlsx" and not problems and _longest_cell(model, Path(folder) / "csv") > EXCEL_CELL
        reserved = fmt in ("archimate", "archi-csv") and _reserved(model)
        if problems or too_long or reserved:
            with pytest.raises(cx.ModelError if problems else cx.FormatError) as info:
                write(model, target)
            expected = ("in the model:" if problems else "an Excel cell holds at most 32,767" if too_long
                        else "is reserved for cxgraph's own use")
            assert expected in str(info.value) and "Traceback" not in str(info.value)
            assert not target.exists()  # refused before anything is written
            return
        write(model, target)
        again, _ = cx.io.read_any(target, format=fmt)
    assert again == model


_PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("fmt", list(WRITE))
@_PROPERTY
@given(model=roundtrip_models())
def test_every_format_reads_back_the_model_written(fmt: str, model: cx.Model) -> None:
    _round_trip(fmt, model)


def as_archi_saves_it(exchange: Path) -> bytes:
    """An exchange file as Archi saves it once imported: its own ``.archimate`` format, where a property is a
    key and a text value (the exchange file's property definitions and their types are gone)."""
    root = ET.parse(exchange).getroot()

    def q(tag: str) -> str:
        return f"{{{NS}}}{tag}"

    keys = {d.get("identifier"): d.findtext(q("name")) for d in root.iter(q("propertyDefinition"))}

    def copy(source: ET.Element, into: ET.Element, documentation: str) -> None:
        if source.findtext(q("documentation")):
            ET.SubElement(into, documentation).text = source.findtext(q("documentation"))
        for prop in source.findall(f"{q('properties')}/{q('property')}"):
            ET.SubElement(into, "property", key=keys[prop.get("propertyDefinitionRef")] or "",
                          value=prop.findtext(q("value")) or "")

    model = ET.Element(f"{{{NATIVE}}}model", name=root.findtext(q("name")) or "", id=root.get("identifier", ""),
                       version="5.0.0")
    folder = ET.SubElement(model, "folder", name="Everything", type="other")
    access = {"Write": "0", "Read": "1", "Access": "2", "ReadWrite": "3"}
    for concept in [*root.iter(q("element")), *root.iter(q("relationship"))]:
        kind = concept.get(f"{{{XSI}}}type", "") + ("Relationship" if concept.tag == q("relationship") else "")
        attrs = {f"{{{XSI}}}type": f"archimate:{kind}", "name": concept.findtext(q("name")) or "",
                 "id": concept.get("identifier", "")}
        for key in ("source", "target"):
            if concept.get(key):
                attrs[key] = concept.get(key, "")
        if concept.get("accessType"):
            attrs["accessType"] = access[concept.get("accessType", "")]
        copy(concept, ET.SubElement(folder, "element", attrs), "documentation")
    copy(root, model, "purpose")
    return ET.tostring(model, encoding="utf-8", xml_declaration=True).replace(b"\r", b"&#13;")  # as Archi does


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(model=roundtrip_models())
def test_models_read_back_from_archi_after_it_imports_the_exchange_file(model: cx.Model) -> None:
    assume(not model.problems() and not _reserved(model))  # else refused: see above
    with tempfile.TemporaryDirectory() as folder:
        cx.io.write_archimate(model, Path(folder) / "m.xml")
        (Path(folder) / "m.archimate").write_bytes(as_archi_saves_it(Path(folder) / "m.xml"))
        again, _ = cx.io.read_archi(Path(folder) / "m.archimate")
    assert again == model


# ---------------------------------------------------------------------- each loss found, reproduced
ARCHI = ["archimate", "archi-csv"]


def _through(fmt: str, model: cx.Model, folder: Path) -> cx.Model:
    name, write = WRITE[fmt]
    write(model, folder / name)
    return cx.io.read_any(folder / name, format=fmt)[0]


def _shop() -> cx.Model:
    model = cx.Model(name="Shop")
    model.add_element("crm", "CRM", kind="system")
    journey = model.add_journey("buy", "Buy", customers=100)
    journey.add_touchpoint("pay", "Pay", depends_on=["crm"])
    return model


@pytest.mark.parametrize("fmt", ARCHI)
def test_free_text_keeps_its_spaces(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.period, model.currency = " week ", " EUR "
    model.journeys[0].segment = " retail "
    model.journeys[0].touchpoints[0].channel = "\tweb "
    model.get("crm").depends(model.add_element("db", "DB", kind="data").id, group=" pair ")
    model.add_metric("csat", "CSAT", of="pay", actual=3, target=4, better="higher", ideal=5, unit=" % ")
    again = _through(fmt, model, tmp_path)
    assert again == model
    assert (again.journeys[0].segment, again.touchpoints[0].channel, again.metrics[0].unit) == (" retail ", "\tweb ",
                                                                                                 " % ")
    assert (again.period, again.currency, again.get("crm").depends_on[0].group) == (" week ", " EUR ", " pair ")


@pytest.mark.parametrize("fmt", ARCHI)
def test_empty_descriptions_and_names_stay_empty(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.name, model.description = "", ""
    model.get("crm").description = ""
    model.journeys[0].segment = ""
    again = _through(fmt, model, tmp_path)
    assert again == model
    assert (again.name, again.description, again.get("crm").description, again.journeys[0].segment) == ("",) * 4
    assert again.get("pay").description is None  # absent stays absent


@pytest.mark.parametrize("fmt", ARCHI)
def test_typed_and_null_properties_keep_their_types(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    typed = {"int": 3, "float": 2.0, "big": 10**20, "small": -1e-300, "bool": False, "null": None, "text": "3",
             "empty": "", "padded": " x "}
    model.properties = dict(typed)
    model.get("crm").properties = dict(typed)
    model.get("pay").properties = {"int": "three", "bool": True}  # the same keys with other types elsewhere
    again = _through(fmt, model, tmp_path)
    assert again == model
    for item in (again, again.get("crm")):
        assert [type(v) for v in item.properties.values()] == [int, float, int, float, bool, type(None), str, str, str]


def test_archi_csv_carries_types_in_one_documented_property(tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").properties = {"tier": 1, "share": 0.5, "ok": True, "gone": None, "note": "12"}
    cx.io.write_archi_csv(model, tmp_path)
    with (tmp_path / "properties.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row[0] == "crm"]
    assert rows == [["crm", "tier", "1"], ["crm", "share", "0.5"], ["crm", "ok", "true"], ["crm", "gone", ""],
                    ["crm", "note", "12"],
                    ["crm", "cxgraph:types", '{"tier": "number", "share": "number", "ok": "boolean", "gone": "null"}']]


def test_an_exchange_file_types_its_definitions_and_lists_every_typed_value(tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").properties = {"tier": 1, "ok": True, "gone": None, "mixed": 2}
    model.get("pay").properties = {"tier": 2, "mixed": "two"}
    cx.io.write_archimate(model, tmp_path / "m.xml")
    root = ET.parse(tmp_path / "m.xml").getroot()
    definitions = {d.get("identifier"): (d.findtext(f"{{{NS}}}name"), d.get("type"))
                   for d in root.iter(f"{{{NS}}}propertyDefinition")}
    types = dict(definitions.values())
    assert (types["tier"], types["ok"], types["mixed"], types["gone"]) == ("number", "boolean", "string", "string")
    listed = [p.findtext(f"{{{NS}}}value") for p in root.iter(f"{{{NS}}}property")
              if definitions[p.get("propertyDefinitionRef")][0] == "cxgraph:types"]
    assert listed == ['{"tier": "number"}',  # the touchpoint pay comes first, then the element crm
                      '{"tier": "number", "ok": "boolean", "gone": "null", "mixed": "number"}']
    assert cx.io.read_archimate(tmp_path / "m.xml")[0] == model


@pytest.mark.parametrize("fmt", ARCHI)
def test_repeated_keys_read_back_in_their_order(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").properties = {"P#2": "a", "P": "b", "Q": 1, "Q#3": 2, "R": "x", "R#2": "y", "#": "z"}
    again = _through(fmt, model, tmp_path)
    assert list(again.get("crm").properties.items()) == list(model.get("crm").properties.items())


@pytest.mark.parametrize("fmt", list(WRITE))
def test_a_capability_realised_twice_by_one_element_is_refused(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.add_capability("sales", "Sales", realized_by=["crm", "crm"])
    name, write = WRITE[fmt]
    with pytest.raises(cx.ModelError) as info:
        write(model, tmp_path / name)
    assert [str(p) for p in info.value.problems] == [
        "<model>: capabilities[0].realized_by[1]: realised by 'crm' twice (first at realized_by[0]): list it once"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["Bell\x07", "lone \udc80", "U+FFFE \ufffe"])
def test_text_no_format_carries_is_refused_the_same_way_by_every_writer(text: str, tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").properties = {"note": text}
    messages = set()
    for fmt, (name, write) in WRITE.items():
        with pytest.raises(cx.ModelError) as info:
            write(model, tmp_path / name)
        messages.add(str(info.value))
        assert not (tmp_path / name).exists(), fmt
    assert len(messages) == 1
    assert "elements[0].properties.note: the text holds U+" in messages.pop()


@pytest.mark.parametrize("fmt", ["archi-csv", "tables"])
def test_a_megabyte_name_reads_back_from_csv(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").name = "n\U0001f600" * 500_000
    assert _through(fmt, model, tmp_path) == model


@pytest.mark.parametrize("fmt", [f for f in WRITE if f != "yaml"])
def test_convert_round_trips_an_odd_model(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = _shop()
    model.name, model.description = " Shop ", ""
    model.journeys[0].segment = " retail "
    model.get("crm").properties = {"=1+1": "@SUM(A1)", "n": None, "i": 7, "f": 0.1, "b": True, "e\u0301": "\U0001f600"}
    model.get("crm").tags = ["a", "a", "-x"]
    cx.save(model, tmp_path / "m.yaml")
    out = tmp_path / WRITE[fmt][0]
    assert main(["convert", str(tmp_path / "m.yaml"), "-o", str(out), "--to", fmt]) == 0
    assert main(["convert", str(out), "-o", str(tmp_path / "back.yaml"), "--from", fmt]) == 0
    capsys.readouterr()
    assert cx.load(tmp_path / "back.yaml") == model


@pytest.mark.parametrize("fmt", ARCHI)
def test_results_written_as_properties_read_back_as_numbers(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.get("crm").properties = {"cxgraph:impact": "a note"}  # a property of that name already: kept apart
    name = WRITE[fmt][0]
    write = cx.io.write_archimate if fmt == "archimate" else cx.io.write_archi_csv
    write(model, tmp_path / name, result=cx.impact(model))
    props = cx.io.read_any(tmp_path / name, format=fmt)[0].get("crm").properties
    assert props == {"cxgraph:impact": "a note", "cxgraph:impact#2": 100.0, "cxgraph:impact-rank": 1,
                     "cxgraph:journeys": 1, "cxgraph:touchpoints": 1}


@pytest.mark.parametrize("fmt", ARCHI)
def test_a_property_named_like_an_instruction_is_refused_on_the_model_too(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.properties = {"cxgraph:types": "mine"}
    name, write = WRITE[fmt]
    with pytest.raises(cx.FormatError, match="the model: property 'cxgraph:types' is reserved for cxgraph's own use"):
        write(model, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", list(WRITE))
def test_integers_beyond_double_precision_stay_exact(fmt: str, tmp_path: Path) -> None:
    model = _shop()
    model.journeys[0].customers = 2**53 + 1  # a workbook holds numbers as doubles: 9007199254740992
    model.journeys[0].revenue = 2**60 + 1
    again = _through(fmt, model, tmp_path)
    assert (again.journeys[0].customers, again.journeys[0].revenue) == (2**53 + 1, 2**60 + 1)
