"""Writing exchange files: valid against the Open Group 3.1 schemas (offline), and read back to an equal model."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from lxml import etree

import cxgraph as cx
from tests.strategies import models, portfolios

XSD = Path(__file__).parents[1] / "data" / "archi" / "xsd"
NS = "http://www.opengroup.org/xsd/archimate/3.0/"


class _LocalSchemas(etree.Resolver):
    """Serve the schemas' imports (xml.xsd, dc.xsd) from the bundled copies: nothing is fetched."""

    def resolve(self, url: str, pubid: str, context: object) -> object:
        name = url.rsplit("/", 1)[-1]
        if name in ("xml.xsd", "dc.xsd"):
            return self.resolve_filename(str(XSD / name), context)
        return None


@functools.cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}"
        elementFormDefault="qualified">
      <xs:include schemaLocation="{(XSD / 'archimate3_Diagram.xsd').as_uri()}"/>
      <xs:import namespace="http://purl.org/dc/elements/1.1/" schemaLocation="{(XSD / 'dc.xsd').as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=XSD.as_uri() + "/"))


def assert_valid(path: Path) -> None:
    schema = _schema()
    doc = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    assert schema.validate(doc), schema.error_log


def test_the_schema_check_can_fail(tmp_path: Path, data_dir: Path) -> None:
    assert_valid(data_dir / "archi" / "archisurance-exchange.xml")  # Archi's own file is valid
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<model xmlns="{NS}" identifier="m"><name>M</name><elements><element identifier="a" '
                   'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Robot"><name>A</name></element>'
                   "</elements></model>")
    with pytest.raises(AssertionError):
        assert_valid(bad)


@pytest.mark.parametrize("name", cx.examples.names())
def test_bundled_examples_validate_and_read_back_equal(name: str, tmp_path: Path) -> None:
    model = cx.examples.load(name)
    path = tmp_path / f"{name}.xml"
    cx.io.write_archimate(model, path)
    assert_valid(path)
    again, report = cx.io.read_archimate(path)
    assert again == model
    assert report.elements_kept == 0 and report.relationships_kept == 0


@pytest.mark.parametrize("journeys", [None, "view:Business Process View", "customer-facing"])
def test_archisurance_import_export_import_is_stable(journeys: str | None, data_dir: Path, tmp_path: Path) -> None:
    first, _ = cx.io.read_archimate(data_dir / "archi" / "archisurance-exchange.xml", journeys=journeys)
    path = tmp_path / "again.xml"
    cx.io.write_archimate(first, path)
    assert_valid(path)
    second, report = cx.io.read_archimate(path)
    assert second == first
    cx.io.write_archimate(second, tmp_path / "third.xml")
    assert (tmp_path / "third.xml").read_text() == path.read_text()
    assert report.relationships_kept == 0


def test_archi_native_ids_become_xml_identifiers_as_archi_makes_them(data_dir: Path, tmp_path: Path) -> None:
    native, _ = cx.io.read_archi(data_dir / "archi" / "Archisurance.archimate")
    register = native.get("564")
    assert register.properties.get("archimate:id") == "564"  # "564" is not an XML identifier
    path = tmp_path / "from-native.xml"
    cx.io.write_archimate(native, path)
    assert_valid(path)
    root = etree.parse(str(path)).getroot()
    assert root.find(f".//{{{NS}}}element[@identifier='id-564']") is not None  # as in Archi's own exchange file
    assert cx.io.read_archimate(path)[0] == native


def test_impact_results_become_number_properties(tmp_path: Path) -> None:
    model = cx.examples.load("retail-bank")
    impact = cx.impact(model)
    path = tmp_path / "impact.xml"
    cx.io.write_archimate(model, path, result=[impact, {"pain": cx.pain(model).to_frame().set_index("id")["pain"]
                                                        .to_dict()}])
    assert_valid(path)
    root = etree.parse(str(path)).getroot()
    definitions = {d.findtext(f"{{{NS}}}name"): d.get("type")
                   for d in root.iter(f"{{{NS}}}propertyDefinition")}
    for key in ("cxgraph:impact", "cxgraph:impact-rank", "cxgraph:journeys", "cxgraph:touchpoints", "cxgraph:pain"):
        assert definitions[key] == "number"
    again, _ = cx.io.read_archimate(path)
    top = impact.to_frame().query("type == 'element'").iloc[0]
    element = again.get(top["id"])
    assert element.properties["cxgraph:impact"] == pytest.approx(top["impact"], rel=1e-15)
    assert element.properties["cxgraph:impact-rank"] == 1
    # Apart from the result properties, the model is the one written.
    for item in again.items():
        item.properties = {k: v for k, v in item.properties.items() if not k.startswith("cxgraph:")}
    assert again == model


def test_results_as_frames_and_mappings(tmp_path: Path) -> None:
    model = cx.examples.load("telecom")
    first = model.elements[0].id
    frame = pd.DataFrame({"element": [first], "score": [0.25], "label": ["x"], "flag": [True]})
    path = tmp_path / "t.xml"
    cx.io.write_archimate(model, path, result=[frame, {"custom:risk": {first: 3}}])
    props = cx.io.read_archimate(path)[0].get(first).properties
    assert props["cxgraph:score"] == 0.25
    assert props["custom:risk"] == 3  # a name with its own prefix is kept as given
    assert "cxgraph:label" not in props and "cxgraph:flag" not in props  # only numeric columns are written


def test_result_problems_are_refused(tmp_path: Path) -> None:
    model = cx.examples.load("telecom")
    path = tmp_path / "x.xml"
    with pytest.raises(cx.FormatError, match="reads as an instruction"):
        cx.io.write_archimate(model, path, result={"customers": {model.elements[0].id: 1}})
    with pytest.raises(cx.FormatError, match="ids the model does not have: nope"):
        cx.io.write_archimate(model, path, result={"impact": {"nope": 1.0}})
    with pytest.raises(cx.FormatError, match="needs an id column"):
        cx.io.write_archimate(model, path, result=pd.DataFrame({"x": [1]}))


def test_typed_and_repeated_properties_round_trip(tmp_path: Path) -> None:
    model = cx.Model(name="Typed", period="week", tags=["demo"], properties={"count": 3, "ok": True, "who": "Ann"})
    model.add_element("1st", "First", kind="vendor", tags=["a", "b, c"],
                      properties={"P": "x", "P#2": "y", "weight": 2.5, "none": None})
    model.add_element("team", "Team", kind="team")
    model.add_element("svc", "Svc", kind="service", owner="team", depends_on=[
        {"element": "1st", "strength": {"low": 0.2, "high": 0.6}, "group": "g"}], needs={"g": 1})
    path = tmp_path / "typed.xml"
    cx.io.write_archimate(model, path)
    assert_valid(path)
    text = path.read_text()
    assert 'identifier="id-1st"' in text and text.count("<name>P</name>") == 1
    assert '<name>cxgraph:types</name>' in text  # a null has no type in the format: cxgraph:types says it
    again, _ = cx.io.read_archimate(path)
    assert again == model and again.elements[0].properties["none"] is None


def test_text_xml_cannot_hold_is_refused(tmp_path: Path) -> None:
    model = cx.Model(name="Bell\x07")
    with pytest.raises(cx.ModelError, match="name: the text holds U\\+0007 at position 4"):  # refused for every format
        cx.io.write_archimate(model, tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_reserved_property_keys_are_refused(tmp_path: Path) -> None:
    model = cx.Model()
    model.add_element("a", "A", kind="system", properties={"cxgraph:kind": "team"})
    with pytest.raises(cx.FormatError, match="'cxgraph:kind' is reserved"):
        cx.io.write_archimate(model, tmp_path / "x.xml")


def test_owners_and_dependencies_use_valid_relationship_types(tmp_path: Path) -> None:
    model = cx.Model()
    model.add_element("actor", "Actor", kind="team")
    model.add_element("proc", "Proc", kind="process", owner="actor", depends_on=["app", "db"])
    model.add_element("app", "App", kind="system", owner="actor")
    model.add_element("db", "DB", kind="data", depends_on=["host"])
    model.add_element("host", "Host", kind="infrastructure")
    model.add_capability("cap", "Cap", realized_by=["app", "db"])
    path = tmp_path / "rel.xml"
    cx.io.write_archimate(model, path)
    root = etree.parse(str(path)).getroot()
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    rels = {(r.get("source"), r.get("target")): r.get(xsi) for r in root.iter(f"{{{NS}}}relationship")}
    assert rels == {
        ("app", "proc"): "Serving",         # an application serves a business process
        ("proc", "db"): "Access",           # a process accesses data
        ("host", "db"): "Association",      # ArchiMate has no node-serves-data: a marked association
        ("actor", "proc"): "Assignment",    # an actor is assigned to business behaviour
        ("actor", "app"): "Association",    # but not to an application: a marked association
        ("app", "cap"): "Realization",
        ("db", "cap"): "Association",
    }
    assert cx.io.read_archimate(path)[0] == model


@settings(max_examples=25)
@given(models())
def test_random_models_round_trip(model: cx.Model) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.xml"
        cx.io.write_archimate(model, path)
        again, report = cx.io.read_archimate(path)
    assert again == model
    assert report.elements_kept == 0 and report.relationships_kept == 0


def test_results_added_to_the_original_file_keep_everything_else(data_dir: Path, tmp_path: Path) -> None:
    original = data_dir / "archi" / "archisurance-exchange.xml"
    model, _ = cx.io.read_archimate(original, journeys="view:Business Process View", customers=1000)
    impact = cx.impact(model)
    path = tmp_path / "annotated.xml"
    cx.io.write_archimate(model, path, result=impact, base=original)
    assert_valid(path)
    again, report = cx.io.read_archimate(path, journeys="view:Business Process View", customers=1000)
    assert (report.elements_read, report.relationships_read, len(report.views)) == (122, 179, 18)
    for item in again.items():  # the model is the same, with the impact on every element, touchpoint ...
        written = item.properties.pop("cxgraph:impact", None)
        for key in ("cxgraph:impact-rank", "cxgraph:journeys", "cxgraph:touchpoints"):
            item.properties.pop(key, None)
        if item.id in impact.impact:
            assert written == pytest.approx(impact.impact[item.id], rel=1e-15)
    assert again == model
    # Everything the model does not hold is still there: organisations, metadata, views with their nodes.
    before, after = etree.parse(str(original)).getroot(), etree.parse(str(path)).getroot()
    for tag in ("organizations", "metadata", "views"):
        assert etree.tostring(before.find(f"{{{NS}}}{tag}")) == etree.tostring(after.find(f"{{{NS}}}{tag}"))
    # Annotating the annotated file again changes values in place: no second definition, same text.
    cx.io.write_archimate(model, tmp_path / "twice.xml", result=impact, base=path)
    assert (tmp_path / "twice.xml").read_text() == path.read_text()


def test_results_for_another_file_are_refused(data_dir: Path, tmp_path: Path) -> None:
    bank = cx.examples.load("retail-bank")
    with pytest.raises(cx.FormatError, match="the results name identifiers the file does not have"):
        cx.io.write_archimate(bank, tmp_path / "x.xml", result=cx.impact(bank),
                              base=data_dir / "archi" / "archisurance-exchange.xml")
    model, _ = cx.io.read_archi(data_dir / "archi" / "Archisurance.archimate")
    with pytest.raises(cx.FormatError, match=r"this is an Archi model file, not an exchange file"):
        cx.io.write_archimate(model, tmp_path / "x.xml", result={"impact": {"564": 1.0}},
                              base=data_dir / "archi" / "Archisurance.archimate")


def test_reliability_changes_scenarios_and_currency_round_trip(data_dir: Path, tmp_path: Path) -> None:
    model = cx.load(data_dir / "reliability-and-change.yaml")
    path = tmp_path / "full.xml"
    cx.io.write_archimate(model, path)
    assert_valid(path)
    again, report = cx.io.read_archimate(path)
    assert again == model and report.elements_kept == 0
    definitions = {d.findtext(f"{{{NS}}}name"): d.get("type")
                   for d in etree.parse(str(path)).getroot().iter(f"{{{NS}}}propertyDefinition")}
    assert definitions["cxgraph:availability"] == definitions["cxgraph:recovery_hours"] == "number"
    assert definitions["cxgraph:required"] == "boolean" and definitions["cxgraph:currency"] == "string"
    cx.io.write_archi_csv(model, tmp_path / "csv")
    assert cx.io.read_archi_csv(tmp_path / "csv")[0] == model


def test_reliability_properties_typed_by_hand_are_read(tmp_path: Path) -> None:
    path = tmp_path / "hand.xml"
    path.write_text(f'''<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
  <name>Shop</name>
  <elements>
    <element identifier="pay" xsi:type="BusinessProcess"><name>Pay</name>
      <properties><property propertyDefinitionRef="p1"><value>Buy</value></property>
                  <property propertyDefinitionRef="p3"><value>false</value></property></properties></element>
    <element identifier="psp" xsi:type="ApplicationComponent"><name>PSP</name>
      <properties><property propertyDefinitionRef="p2"><value>0.999</value></property></properties></element>
  </elements>
  <relationships><relationship identifier="r" source="psp" target="pay" xsi:type="Serving"/></relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="p1" type="string"><name>cxgraph:journey</name></propertyDefinition>
    <propertyDefinition identifier="p2" type="number"><name>cxgraph:availability</name></propertyDefinition>
    <propertyDefinition identifier="p3" type="string"><name>cxgraph:required</name></propertyDefinition>
  </propertyDefinitions>
</model>''')
    model, _ = cx.io.read_archimate(path, customers=10)
    assert model.get("psp").availability == 0.999 and model.get("pay").required is False
    path.write_text(path.read_text().replace("<value>false</value>", "<value>maybe</value>"))
    with pytest.raises(cx.ModelError, match=r"cxgraph:required: expected true or false, got 'maybe'"):
        cx.io.read_archimate(path, customers=10)


@settings(max_examples=25)
@given(portfolios(element_metrics=True))
def test_random_structural_initiatives_round_trip(model: cx.Model) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.xml"
        cx.io.write_archimate(model, path)
        assert cx.io.read_archimate(path)[0] == model
        cx.io.write_archi_csv(model, Path(folder) / "csv")
        assert cx.io.read_archi_csv(Path(folder) / "csv")[0] == model
