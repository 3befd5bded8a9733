"""Reading Archi's native .archimate files, plain and zipped."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import cxgraph as cx

ARCHI = "http://www.archimatetool.com/archimate"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@pytest.fixture
def native(data_dir: Path) -> Path:
    return data_dir / "archi" / "Archisurance.archimate"


def _file_types(path: Path) -> Counter[str]:
    """Every <element> type in the file, counted with lxml (independently of cxgraph)."""
    root = etree.parse(str(path)).getroot()
    return Counter(e.get(XSI_TYPE).removeprefix("archimate:") for e in root.iter("element"))


def test_archisurance_native_is_accounted_for(native: Path) -> None:
    types = _file_types(native)
    views = types["ArchimateDiagramModel"] + types["SketchModel"]
    relationships = sum(n for t, n in types.items() if t.endswith("Relationship"))
    elements = sum(types.values()) - relationships - views
    assert (elements, relationships, views) == (120, 176, 17)
    model, report = cx.io.read_archi(native, journeys="none")
    assert report.format == "Archi 5.0.0"
    assert (report.elements_read, report.relationships_read, len(report.views)) == (120, 176, 17)
    assert report.elements_mapped + report.elements_kept == 120
    assert report.relationships_mapped + report.relationships_kept == 176
    # The native file has no Grouping and no Resource (the exchange file adds them): 9 principles and 1 value kept.
    assert Counter(e.type for e in report.kept_elements) == {"Principle": 9, "Value": 1}
    assert len(model.elements) == 110


def test_native_and_exchange_give_the_same_claim_journey(native: Path, data_dir: Path) -> None:
    from_native, _ = cx.io.read_archi(native, journeys="view:Business Process View", customers=100)
    from_exchange, _ = cx.io.read_archimate(data_dir / "archi" / "archisurance-exchange.xml",
                                            journeys="view:Business Process View", customers=100)
    for a, b in zip(from_native.journeys, from_exchange.journeys, strict=True):
        assert a.name == b.name
        assert [t.name for t in a.touchpoints] == [t.name for t in b.touchpoints]
        # Archi prefixes "id-" to numeric ids when it writes the exchange format; the two files list
        # relationships in different orders, so the links are compared as sets.
        assert [sorted("id-" + d.element if d.element[0].isdigit() else d.element for d in t.depends_on)
                for t in a.touchpoints] == [sorted(d.element for d in t.depends_on) for t in b.touchpoints]


def test_access_types_documentation_and_purpose(native: Path) -> None:
    model, report = cx.io.read_archi(native)
    assert model.description == "An example of a fictional Insurance company."
    assert model.get("1407").description == "Customer Information Service"
    entry = next(e for e in report.relationships if e.id == "695")
    assert (entry.type, entry.outcome) == ("Access", "dependency")


def test_zipped_archive_is_read_like_the_plain_file(native: Path, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.xml", native.read_bytes())
        archive.writestr("images/logo.png", b"\x89PNG")
    zipped = tmp_path / "Archisurance.archimate"
    zipped.write_bytes(buffer.getvalue())
    assert cx.io.read_archi(zipped)[0] == cx.io.read_archi(native)[0]
    assert cx.load(zipped) == cx.io.read_archi(native)[0]


def test_junctions_profiles_and_old_type_names(tmp_path: Path) -> None:
    path = tmp_path / "small.archimate"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<archimate:model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:archimate="{ARCHI}"
    name="Small" id="m" version="4.9.0">
  <folder name="Technology" type="technology">
    <element xsi:type="archimate:Node" name="A" id="a"/>
    <element xsi:type="archimate:Node" name="B" id="b" profiles="p1"/>
    <element xsi:type="archimate:InfrastructureService" name="Old" id="old"/>
  </folder>
  <folder name="Application" type="application">
    <element xsi:type="archimate:ApplicationComponent" name="App" id="app"/>
  </folder>
  <folder name="Other" type="other">
    <element xsi:type="archimate:Junction" id="j" type="or"/>
  </folder>
  <folder name="Relations" type="relations">
    <element xsi:type="archimate:ServingRelationship" id="r1" source="a" target="j"/>
    <element xsi:type="archimate:ServingRelationship" id="r2" source="b" target="j"/>
    <element xsi:type="archimate:ServingRelationship" id="r3" source="j" target="app"/>
    <element xsi:type="archimate:UsedByRelationship" id="r4" source="old" target="app"/>
  </folder>
  <profile name="Cluster" id="p1" conceptType="Node"/>
</archimate:model>""")
    model, report = cx.io.read_archi(path)
    # Links through junctions are mapped first, then the direct ones.
    assert [(d.element, d.group) for d in model.get("app").depends_on] == [("a", "j"), ("b", "j"), ("old", None)]
    assert model.get("old").kind == "infrastructure"
    assert model.get("old").properties == {"archimate:type": "TechnologyService"}
    assert model.get("b").properties == {"archimate:specialization": "Cluster"}
    assert report.format == "Archi 4.9.0"


def test_exchange_file_given_to_read_archi_says_so(data_dir: Path) -> None:
    with pytest.raises(cx.FormatError, match=re.escape("this is an ArchiMate exchange file, not an Archi model")):
        cx.io.read_archi(data_dir / "archi" / "sample1-exchange.xml")


def test_broken_native_files_are_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.archimate"
    path.write_text(f"""<archimate:model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:archimate="{ARCHI}">
  <folder name="Relations" type="relations">
    <element xsi:type="archimate:ServingRelationship" id="r1" source="a" target="b"/>
  </folder>
</archimate:model>""")
    with pytest.raises(cx.FormatError) as info:
        cx.io.read_archi(path)
    assert str(info.value) == (f"{path}:4: Serving relationship 'r1' from 'a' to 'b' refers to 'a', which the file "
                               "does not define")
