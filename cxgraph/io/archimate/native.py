"""Reading Archi's native model files (``.archimate``), plain XML or zipped ("archive" format).

Archi (https://www.archimatetool.com) saves a model as XML in its own namespace
``http://www.archimatetool.com/archimate``, with elements and relationships in
folders and diagrams beside them; a model saved with images is a zip holding
``model.xml``. The reader turns it into the same :class:`ArchiModel` as the
exchange reader, so the mapping is the same.

Examples
--------
>>> from cxgraph.io.archimate.native import parse_native
>>> xml = b'''<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate"
...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Tiny" id="m1" version="5.0.0">
...   <folder name="Technology" type="technology">
...     <element xsi:type="archimate:Node" name="Server" id="n1"><property key="tier" value="gold"/></element>
...   </folder>
... </archimate:model>'''
>>> m = parse_native(xml)
>>> m.format, [(c.id, c.type, c.name, c.properties) for c in m.elements]
('Archi 5.0.0', [('n1', 'Node', 'Server', [('tier', 'gold')])])
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ...errors import FormatError
from ..xmlsafe import XmlTree, is_zip, parse_xml, unzip_member
from .concepts import ArchiModel, Concept, View, ViewNode, canonical_type
from .read import NATIVE, NS3, NS21, XSI

__all__ = ["parse_native"]

_XSI_TYPE = f"{{{XSI}}}type"
_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}
_VIEWS = ("ArchimateDiagramModel", "SketchModel", "CanvasModel")


def _documentation(element: ET.Element) -> str | None:
    child = element.find("documentation")
    return "".join(child.itertext()) if child is not None else None


def _properties(element: ET.Element, profiles: dict[str, str]) -> list[tuple[str, str]]:
    props = [(p.get("key", ""), p.get("value", "")) for p in element.findall("property")]
    for ref in (element.get("profiles") or "").split():
        if ref in profiles:
            props.append(("archimate:specialization", profiles[ref]))
    return props


def _view(element: ET.Element, name: str) -> View:
    view = View(element.get("id", ""), name)
    stack: list[tuple[ET.Element, list[ViewNode], float, float]] = [(element, view.nodes, 0.0, 0.0)]
    while stack:  # iterative, with coordinates made absolute (Archi stores them relative to the parent)
        parent, into, ox, oy = stack.pop()
        for child in parent.findall("child"):
            bounds = child.find("bounds")
            x = ox + float(bounds.get("x", 0) if bounds is not None else 0)
            y = oy + float(bounds.get("y", 0) if bounds is not None else 0)
            node = ViewNode(child.get("archimateElement"), x, y)
            into.append(node)
            stack.append((child, node.children, x, y))
    return view


def _concept(element: ET.Element, tree: XmlTree, profiles: dict[str, str], file: str | None) -> Concept:
    raw = element.get(_XSI_TYPE, "")
    identifier = element.get("id")
    if not identifier:
        raise FormatError(f"an element of type {raw!r} has no id", file=file, line=tree.line(element))
    kind = canonical_type(raw)
    concept = Concept(identifier, kind, element.get("name", ""), _documentation(element),
                      _properties(element, profiles), line=tree.line(element))
    if raw.endswith("Relationship"):
        source, target = element.get("source"), element.get("target")
        if not source or not target:
            raise FormatError(f"relationship {identifier!r} needs both a source and a target", file=file,
                              line=concept.line)
        concept.source, concept.target = source, target
        if kind == "Access":
            concept.attrs["accessType"] = _ACCESS.get(element.get("accessType", "0"), "Write")
        if kind == "Association" and element.get("directed") == "true":
            concept.attrs["isDirected"] = "true"
        if kind == "Influence" and element.get("strength"):
            concept.attrs["modifier"] = element.get("strength", "")
    elif kind == "AndJunction" and element.get("type") == "or":
        concept.type = "OrJunction"
    return concept


def parse_native(data: bytes, *, file: str | None = None, max_bytes: int | None = None) -> ArchiModel:
    """Parse the bytes of an Archi ``.archimate`` file (plain or zipped) into an :class:`ArchiModel`.

    Examples
    --------
    >>> from cxgraph.io.archimate.native import parse_native
    >>> parse_native(b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"/>', file="x.archimate")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: x.archimate:1: this is an ArchiMate exchange file, not an Archi model: ...
    """
    if is_zip(data):
        _, data = unzip_member(data, ("model.xml",), file=file, max_bytes=max_bytes)
    tree = parse_xml(data, file=file, max_bytes=max_bytes)
    root = tree.root
    if root.tag in (f"{{{NS3}}}model", f"{{{NS21}}}model"):
        raise FormatError("this is an ArchiMate exchange file, not an Archi model: read it with "
                          "cxgraph.io.read_archimate (cxgraph.load reads both)", file=file, line=1)
    if root.tag != f"{{{NATIVE}}}model":
        raise FormatError(f"not an Archi model: the root element is {root.tag!r}; expected <archimate:model> in "
                          f"namespace {NATIVE!r}", file=file, line=1)
    version = root.get("version", "")
    model = ArchiModel(name=root.get("name", ""), id=root.get("id"), documentation=_documentation_of(root),
                       properties=[(p.get("key", ""), p.get("value", "")) for p in root.findall("property")],
                       format=f"Archi {version}".strip(), file=file)
    profiles = {p.get("id", ""): p.get("name", "") for p in root.findall("profile")}
    seen: dict[str, int | None] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        stack.extend(reversed(folder.findall("folder")))
        for element in folder.findall("element"):
            raw = element.get(_XSI_TYPE, "").rsplit(":", 1)[-1]
            if raw in _VIEWS:
                model.views.append(_view(element, element.get("name", "")))
                continue
            concept = _concept(element, tree, profiles, file)
            if concept.id in seen:
                raise FormatError(f"id {concept.id!r} is used twice (first at line {seen[concept.id]})", file=file,
                                  line=concept.line)
            seen[concept.id] = concept.line
            (model.relationships if concept.is_relationship else model.elements).append(concept)
    for rel in model.relationships:
        for end in (rel.source, rel.target):
            if end not in seen:
                raise FormatError(f"{rel.describe({c.id: c for c in model.elements})} refers to {end!r}, which the "
                                  "file does not define",
                                  file=file, line=rel.line)
    return model


def _documentation_of(root: ET.Element) -> str | None:
    purpose = root.find("purpose")
    return "".join(purpose.itertext()) if purpose is not None else None
