"""Reading ArchiMate exchange files: Archisurance accounted for in full, journeys chosen every supported way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import cxgraph as cx

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@pytest.fixture
def exchange(data_dir: Path) -> Path:
    return data_dir / "archi" / "archisurance-exchange.xml"


def _file_counts(path: Path) -> tuple[Counter[str], Counter[str]]:
    """Element and relationship types counted with lxml, a parser independent of cxgraph's."""
    root = etree.parse(str(path)).getroot()
    elements = Counter(e.get(XSI_TYPE) for e in root.iterfind(f"{{{NS}}}elements/{{{NS}}}element"))
    relationships = Counter(r.get(XSI_TYPE) for r in root.iterfind(f"{{{NS}}}relationships/{{{NS}}}relationship"))
    return elements, relationships


def test_archisurance_every_element_and_relationship_is_accounted_for(exchange: Path) -> None:
    elements, relationships = _file_counts(exchange)
    assert sum(elements.values()) == 122 and sum(relationships.values()) == 179
    model, report = cx.io.read_archimate(exchange, journeys="none")
    assert report.elements_read == 122 and report.relationships_read == 179
    assert report.elements_mapped + report.elements_kept == 122
    assert report.relationships_mapped + report.relationships_kept == 179
    # Kept: the types with no counterpart (motivation, strategy other than capability, grouping).
    no_counterpart = elements["Principle"] + elements["Grouping"] + elements["Resource"] + elements["Value"]
    assert no_counterpart == 12
    assert report.elements_kept == 12
    assert Counter(e.type for e in report.kept_elements) == {"Principle": 9, "Grouping": 1, "Resource": 1,
                                                             "Value": 1}
    assert len(model.elements) == 122 - 12
    # Mapped relationships, by hand from the file's types (no journeys chosen, so everything is an element):
    # all 32 Serving and 31 Realization link mapped elements -> 63 dependencies; 14 Access -> 13 dependencies
    # plus one repeat (Pay writes Customer File twice: id-712 and id-90702769); 6 Assignments from actors,
    # roles or collaborations -> 6 owners. 76 + 1 + 6 = 83.
    assert report.outcomes("relationships") == {"dependency": 76, "owner": 6,
                                                "dependency (same link as id-712)": 1}
    kept = Counter(e.type for e in report.kept_relationships)
    assert kept == {"Flow": 33, "Association": 28, "Triggering": 13, "Aggregation": 11, "Composition": 6,
                    "Specialization": 5}
    assert sum(len(e.depends_on) for e in model.elements) == 76


def test_mapping_table_kinds_for_archisurance(exchange: Path) -> None:
    elements, _ = _file_counts(exchange)
    model, _report = cx.io.read_archimate(exchange, journeys="none")
    kinds = Counter(e.kind for e in model.elements)
    assert kinds["system"] == elements["ApplicationComponent"] == 10
    assert kinds["team"] == elements["BusinessActor"] + elements["BusinessRole"] + elements["BusinessCollaboration"]
    assert kinds["infrastructure"] == (elements["Device"] + elements["TechnologyService"] + elements["SystemSoftware"]
                                       + elements["Node"] + elements["CommunicationNetwork"])
    assert kinds["data"] == elements["BusinessObject"] + elements["DataObject"] + elements["Contract"] \
        + elements["Representation"]
    assert kinds["service"] == elements["BusinessService"] + elements["BusinessInterface"] \
        + elements["ApplicationService"]
    assert kinds["process"] == (elements["BusinessProcess"] + elements["BusinessFunction"]
                                + elements["BusinessInteraction"] + elements["BusinessEvent"]
                                + elements["ApplicationFunction"])


def test_directions_serving_realization_access_assignment(exchange: Path) -> None:
    model, _ = cx.io.read_archimate(exchange, journeys="none")
    by_id = {e.id: e for e in model.elements}
    # id-1446: Customer data mutation Service serves Register -> Register depends on the service.
    assert "id-1220" in [d.element for d in by_id["id-564"].depends_on]
    # id-1321 and id-1450: Close Contract and CRM System realise Insurance Application Service -> the service
    # depends on both, in file order.
    assert [d.element for d in by_id["id-1196"].depends_on] == ["id-596", "id-1393"]
    # id-693: Register accesses Customer File -> Register depends on Customer File.
    assert by_id["id-564"].depends_on[0].element == "id-674"
    # id-1386: Archisurance (actor) is assigned to Insurer (role) -> Archisurance owns Insurer.
    assert by_id["id-514"].owner == "id-275"
    # Types other than the kind's default are kept so that writing gives them back.
    assert by_id["id-514"].properties["archimate:type"] == "BusinessRole"
    assert "archimate:type" not in by_id["id-275"].properties  # BusinessActor is the default for a team
    assert by_id["id-521"].properties == {"Property": "Hello", "archimate:type": "BusinessRole"}
    assert model.properties == {"Property1": "Value of Property 1", "Property2": "Value of Property 2",
                                "archimate:id": "id-11f5304f"}
    assert model.description == "An example of a fictional Insurance company."


def test_claim_handling_from_the_business_process_view(exchange: Path) -> None:
    model, report = cx.io.read_archimate(exchange, journeys="view:Business Process View", customers=2000)
    assert [(j.id, j.name) for j in model.journeys] == [("id-556", "Handle Claim"), ("id-596", "Close Contract")]
    claim = model.journeys[0]
    assert claim.customers == 2000
    assert [t.name for t in claim.touchpoints] == ["Register", "Accept", "Valuate", "Pay"]
    register = claim.touchpoints[0]
    # Register accesses Customer File and Damage Claim; two business services serve it (file order).
    assert [d.element for d in register.depends_on] == ["id-674", "id-673", "id-1196", "id-1220"]
    assert [t.name for t in model.journeys[1].touchpoints] == ["Formalise Request", "Create Contract",
                                                               "Check and  Sign Contract"]
    # The triggering chains Register->Accept->Valuate->Pay and Formalise->Create->Check give the order.
    assert report.outcomes("relationships")["order"] == 5
    assert report.elements_mapped + report.elements_kept == 122
    assert report.relationships_mapped + report.relationships_kept == 179
    # The 8 named Access relationships ("create/ update", "read", ...) and 3 named Serving ones from the
    # channels to the Customer ("call", "write", "write") became dependencies: their names stay in the report.
    assert report.notes == ("11 mapped relationships carried a name, documentation or properties that a "
                            "dependency cannot hold: the import log keeps them",)
    assert next(e for e in report.relationships if e.id == "id-f19393d1").name == "call"


def test_explicit_list_and_mapping(exchange: Path) -> None:
    model, report = cx.io.read_archimate(exchange, journeys=["Register", "Accept", "Valuate", "id-588"])
    journey = model.journeys[0]
    assert journey.name == "Register to Pay"
    assert [t.id for t in journey.touchpoints] == ["id-564", "id-572", "id-580", "id-588"]
    assert journey.customers == 1
    assert report.notes[0] == ("journey 'Register to Pay' has no customer count (cxgraph:customers or "
                               "customers=): using 1")
    model, _ = cx.io.read_archimate(exchange, journeys={"Handle Claim": ["Pay", "Register"]},
                                    customers={"Handle Claim": 300})
    journey = model.journeys[0]
    assert (journey.id, journey.customers) == ("id-556", 300)  # the key names an element: it is the journey
    assert [t.name for t in journey.touchpoints] == ["Pay", "Register"]  # the order given wins
    model, _ = cx.io.read_archimate(exchange, journeys={"Claims": ["Register"]})
    assert (model.journeys[0].id, model.journeys[0].name) == ("claims", "Claims")


def test_customer_facing_services_and_interfaces(exchange: Path) -> None:
    model, report = cx.io.read_archimate(exchange, journeys="customer-facing", customers=1000)
    journey = model.journeys[0]
    assert (journey.id, journey.name, journey.segment) == ("id-521", "Customer", "Customer")
    # What serves the Customer role, in the order of the Serving relationships in the file.
    assert [t.name for t in journey.touchpoints] == [
        "phone", "e-mail", "mail", "Claims Payment Service", "Claim Registration Service",
        "Customer Information Service", "Insurance Application Service", "Premium Payment Service"]
    assert report.outcomes("relationships")["journey"] == 8
    model, report = cx.io.read_archimate(exchange, journeys="customer-facing", customer_roles=["Customer", "id-1368"])
    assert [len(j.touchpoints) for j in model.journeys] == [8, 0]
    assert ("the customer role 'Insurant' has no touchpoint of its own: what serves it belongs to an earlier "
            "journey") in report.notes


def _annotate(source: Path, target: Path, props: dict[str, dict[str, str]]) -> None:
    """Add properties (by element identifier) to an exchange file, as an architect would in Archi."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    tree = ET.parse(source)
    root = tree.getroot()
    defs = root.find(f"{{{NS}}}propertyDefinitions")
    keys = sorted({k for p in props.values() for k in p})
    for i, key in enumerate(keys):
        d = ET.SubElement(defs, f"{{{NS}}}propertyDefinition", identifier=f"cx-{i}", type="string")
        ET.SubElement(d, f"{{{NS}}}name").text = key
    for element in root.iter(f"{{{NS}}}element"):
        wanted = props.get(element.get("identifier", ""))
        if not wanted:
            continue
        box = element.find(f"{{{NS}}}properties")
        if box is None:
            box = ET.Element(f"{{{NS}}}properties")
            element.insert(1, box)
        for key, value in wanted.items():
            p = ET.SubElement(box, f"{{{NS}}}property", propertyDefinitionRef=f"cx-{keys.index(key)}")
            ET.SubElement(p, f"{{{NS}}}value").text = value
    tree.write(target, encoding="utf-8", xml_declaration=True)


def test_journeys_marked_with_properties(exchange: Path, tmp_path: Path) -> None:
    path = tmp_path / "annotated.xml"
    steps = {"id-564": {}, "id-572": {}, "id-580": {}, "id-588": {"cxgraph:reach": "0.6", "cxgraph:channel": "web"}}
    for props in steps.values():
        props["cxgraph:journey"] = "Handle Claim"
    _annotate(exchange, path, {**steps, "id-556": {"cxgraph:customers": "2500", "cxgraph:segment": "retail"},
                               "id-1399": {"cxgraph:kind": "vendor"}})
    model, report = cx.io.read_archimate(path)
    journey = model.journeys[0]
    assert (journey.id, journey.customers, journey.segment) == ("id-556", 2500, "retail")
    assert [t.name for t in journey.touchpoints] == ["Register", "Accept", "Valuate", "Pay"]
    pay = journey.touchpoints[3]
    assert (pay.reach, pay.channel, pay.properties) == (0.6, "web", {"archimate:type": "BusinessProcess"})
    assert model.get("id-1399").kind == "vendor"
    assert report.elements_mapped + report.elements_kept == 122


def test_bad_cxgraph_properties_are_reported_at_their_element(exchange: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    _annotate(exchange, path, {"id-564": {"cxgraph:journey": "Claims", "cxgraph:reach": "lots"},
                               "id-572": {"cxgraph:journey": "Claims", "cxgraph:importance": "-2"},
                               "id-275": {"cxgraph:kind": "robot"}})
    with pytest.raises(cx.ModelError) as info:
        cx.io.read_archimate(path)
    messages = [(p.line, p.path, p.message) for p in info.value.problems]
    register_line = etree.parse(str(path)).find(f".//{{{NS}}}element[@identifier='id-564']").sourceline
    assert (register_line, "BusinessProcess 'id-564'",
            "cxgraph:reach: expected a number or a JSON range like {\"low\": 1, \"high\": 2}, got 'lots'") in messages
    assert any(p.startswith("BusinessActor 'id-275'") and "unknown kind 'robot'" in m for _, p, m in messages)
    with pytest.raises(cx.ModelError) as info:  # a value the model refuses: located at the element too
        _only_importance(exchange, tmp_path)
    problem = info.value.problems[0]
    assert problem.path == "journeys[0].touchpoints[0].importance"
    assert problem.message == "must not be negative, got -2 (from BusinessProcess 'id-572' 'Accept')"
    assert problem.line == etree.parse(str(exchange)).find(f".//{{{NS}}}element[@identifier='id-572']").sourceline


def _only_importance(exchange: Path, tmp_path: Path) -> None:
    path = tmp_path / "importance.xml"
    _annotate(exchange, path, {"id-572": {"cxgraph:journey": "Claims", "cxgraph:importance": "-2"}})
    cx.io.read_archimate(path)


def test_ids_from_names(exchange: Path) -> None:
    model, _ = cx.io.read_archimate(exchange, ids="names", journeys="none")
    ids = {e.properties.get("archimate:id"): e.id for e in model.elements}
    assert ids["id-564"] == "register"
    assert (ids["id-1536"], ids["id-1540"]) == ("phone-2", "phone")  # two interfaces called "phone", file order
    assert ids["id-303"] == "home-away"
    assert model.get("home-away").name == "Home  &  Away"


def test_report_lists_lines_and_keeps_documentation(exchange: Path) -> None:
    _, report = cx.io.read_archimate(exchange)
    customer = next(e for e in report.elements if e.id == "id-521")
    assert customer.line == etree.parse(str(exchange)).find(f".//{{{NS}}}element[@identifier='id-521']").sourceline
    principle = report.kept_elements[0]
    assert principle.status == "kept" and "no counterpart" in principle.outcome
    frame = report.to_frame()
    assert len(frame) == 122 + 179
    assert set(frame["status"]) == {"mapped", "kept"}
    assert "views (not imported): 18" in report.summary()


def test_exchange_21_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="m1">
  <name xml:lang="en">Old</name>
  <properties><property identifierref="p1"><value>gold</value></property></properties>
  <elements>
    <element identifier="a" xsi:type="InfrastructureService"><label xml:lang="en">Hosting</label></element>
    <element identifier="b" xsi:type="ApplicationComponent"><label xml:lang="en">CRM</label></element>
  </elements>
  <relationships>
    <relationship identifier="r" source="a" target="b" xsi:type="UsedBy"/>
  </relationships>
  <propertydefs><propertydef identifier="p1" name="tier" type="string"/></propertydefs>
</model>""")
    model, report = cx.io.read_archimate(path)
    assert report.format == "ArchiMate exchange 2.1"
    assert [(e.id, e.kind, e.name) for e in model.elements] == [("a", "infrastructure", "Hosting"),
                                                                ("b", "system", "CRM")]
    assert model.get("b").depends_on[0].element == "a"
    assert model.properties == {"tier": "gold", "archimate:id": "m1"}


@pytest.mark.parametrize(("root", "message"), [
    ('<model xmlns="http://www.opengroup.org/xsd/archimate/4.0/"/>',
     "unsupported ArchiMate exchange format version '4.0'"),
    ('<model xmlns="urn:other"/>', "not an ArchiMate exchange file: the root element is <model> in namespace "
                                   "'urn:other'"),
    ("<html/>", "not an ArchiMate exchange file: the root element is <html> with no namespace"),
])
def test_wrong_namespace_or_version_says_so(tmp_path: Path, root: str, message: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(root)
    with pytest.raises(cx.FormatError, match=message):
        cx.io.read_archimate(path)


def test_broken_references_are_located(tmp_path: Path) -> None:
    path = tmp_path / "dangling.xml"
    path.write_text(f"""<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
  <name>M</name>
  <elements><element identifier="a" xsi:type="Node"><name>A</name></element></elements>
  <relationships><relationship identifier="r" source="a" target="zz" xsi:type="Serving"/></relationships>
</model>""")
    with pytest.raises(cx.FormatError) as info:
        cx.io.read_archimate(path)
    assert str(info.value) == (f"{path}:4: Serving relationship 'r' from Node 'A' (a) to 'zz' refers to 'zz', which "
                               "the file does not define")


def test_unknown_names_in_the_option_suggest_the_closest(exchange: Path) -> None:
    with pytest.raises(cx.UnknownIdError, match=r"unknown element 'Regster' \(did you mean 'Register'"):
        cx.io.read_archimate(exchange, journeys=["Regster"])
    with pytest.raises(cx.FormatError, match=r"'phone' names 2 elements \(id-1540, id-1536\)"):
        cx.io.read_archimate(exchange, journeys=["phone"])
    with pytest.raises(cx.UnknownIdError, match="unknown view 'Business Proces View'"):
        cx.io.read_archimate(exchange, journeys="view:Business Proces View")


def test_cx_load_reads_exchange_files_by_content(exchange: Path, tmp_path: Path) -> None:
    assert cx.load(exchange) == cx.io.read_archimate(exchange)[0]
    renamed = tmp_path / "archisurance.model"
    renamed.write_bytes(exchange.read_bytes())
    assert cx.load(renamed).name == "Archisurance"
