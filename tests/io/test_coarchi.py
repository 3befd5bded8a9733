"""coArchi repositories (one XML file per object) are read like the Archi file they were saved from."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.cli import main

ARCHI = "http://www.archimatetool.com/archimate"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _write(path: Path, element: ET.Element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(element, encoding="utf-8"))


def _ref(tag: str, target: str, types: dict[str, str]) -> ET.Element:
    """A cross-file reference as coArchi writes it: ``<tag xsi:type="archimate:T" href="T_id.xml#id"/>``."""
    kind = types[target]
    return ET.Element(tag, {f"{{{XSI}}}type": f"archimate:{kind}", "href": f"{kind}_{target}.xml#{target}"})


def _diagram_object(child: ET.Element, types: dict[str, str]) -> ET.Element:
    out = ET.Element("children", {k: v for k, v in child.attrib.items() if k != "archimateElement"})
    for part in child:
        if part.tag == "child":
            out.append(_diagram_object(part, types))
        elif part.tag == "bounds":
            out.append(part)
    if child.get("archimateElement"):
        out.append(_ref("archimateElement", child.get("archimateElement", ""), types))
    return out


def split_into_coarchi(native: Path, repo: Path) -> None:
    """Write an Archi model as coArchi lays it out: model/folder.xml, a folder per folder, a file per object."""
    ET.register_namespace("archimate", ARCHI)
    ET.register_namespace("xsi", XSI)
    root = ET.parse(native).getroot()
    types = {e.get("id", ""): e.get(f"{{{XSI}}}type", "").split(":")[1] for e in root.iter("element")}
    head = ET.Element(f"{{{ARCHI}}}model", {k: v for k, v in root.attrib.items()})
    for part in root:
        if part.tag in ("purpose", "property"):
            head.append(part)
    _write(repo / "model" / "folder.xml", head)

    def folder(element: ET.Element, path: Path) -> None:
        _write(path / "folder.xml", ET.Element(f"{{{ARCHI}}}Folder", {k: v for k, v in element.attrib.items()}))
        for sub in element.findall("folder"):
            folder(sub, path / sub.get("id", ""))
        for item in element.findall("element"):
            kind = types[item.get("id", "")]
            out = ET.Element(f"{{{ARCHI}}}{kind}", {k: v for k, v in item.attrib.items()
                                                   if k not in (f"{{{XSI}}}type", "source", "target")})
            for part in item:
                if part.tag in ("documentation", "property"):
                    out.append(part)
                elif part.tag == "child":
                    out.append(_diagram_object(part, types))
            for end in ("source", "target"):
                if item.get(end):
                    out.append(_ref(end, item.get(end, ""), types))
            _write(path / f"{kind}_{item.get('id')}.xml", out)

    for top in root.findall("folder"):
        folder(top, repo / "model" / top.get("type", top.get("id", "")))


@pytest.fixture
def repo(data_dir: Path, tmp_path: Path) -> Path:
    split_into_coarchi(data_dir / "archi" / "Archisurance.archimate", tmp_path / "repo")
    return tmp_path / "repo"


def test_a_coarchi_repository_reads_like_the_archi_file(repo: Path, data_dir: Path) -> None:
    native, native_log = cx.io.read_archi(data_dir / "archi" / "Archisurance.archimate",
                                          journeys="view:Business Process View", customers=100)
    model, log = cx.io.read_coarchi(repo, journeys="view:Business Process View", customers=100)
    assert log.format == "coArchi repository (Archi 5.0.0)"
    assert (log.elements_read, log.relationships_read, len(log.views)) == (120, 176, 17)
    # Files are read in path order, not in the Archi file's order: compare as sets.
    assert {e.id: e for e in model.elements} == {e.id: e for e in native.elements}
    assert [(j.name, sorted(t.id for t in j.touchpoints)) for j in model.journeys] == [
        (j.name, sorted(t.id for t in j.touchpoints)) for j in native.journeys]
    assert log.outcomes("relationships") == native_log.outcomes("relationships")


def test_a_repository_is_found_from_its_root_or_model_folder(repo: Path) -> None:
    assert cx.io.input_format(str(repo))[0].name == "coarchi"
    assert cx.load(repo) == cx.load(repo / "model")
    assert cx.io.read_archimate(repo)[0] == cx.io.read_coarchi(repo)[0]


def test_folders_that_are_nothing_known_are_refused_without_a_traceback(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert main(["validate", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"cxgraph: error: {tmp_path}: a folder with no CSV file: it is neither spreadsheet tables (journeys.csv, "
        "elements.csv, ...), nor an Archi CSV export (elements.csv, relations.csv, properties.csv), nor a coArchi "
        "repository (model/folder.xml)\n")
    assert main(["convert", str(tmp_path), "--from", "archimate", "-o", str(tmp_path / "x.yaml")]) == 1
    assert "a folder, but not a coArchi repository (no model/folder.xml): give an ArchiMate exchange file (in " \
           "Archi: File > Export > Model to Open Exchange File)" in capsys.readouterr().err
