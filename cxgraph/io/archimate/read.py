"""Reading the ArchiMate Model Exchange File Format (3.0 and 3.1; 2.1 too) into an :class:`ArchiModel`.

The file is parsed with the hardened reader of :mod:`cxgraph.io.xmlsafe`. The
namespace tells the version: ``http://www.opengroup.org/xsd/archimate/3.0/`` is
used by both 3.0 and 3.1 files, ``http://www.opengroup.org/xsd/archimate`` by 2.1
files. Anything else is refused with a message saying what was found.

Examples
--------
>>> from cxgraph.io.archimate.read import parse_exchange
>>> xml = b'''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
...   <name>Tiny</name>
...   <elements><element identifier="a" xsi:type="Node"><name>Server</name></element></elements>
... </model>'''
>>> m = parse_exchange(xml)
>>> m.name, [(c.id, c.type, c.name) for c in m.elements], m.format
('Tiny', [('a', 'Node', 'Server')], 'ArchiMate exchange 3.x')
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ...errors import FormatError
from ..xmlsafe import XmlTree, parse_xml
from .concepts import ArchiModel, Concept, View, ViewNode, canonical_type

__all__ = ["NS3", "NS21", "XSI", "parse_exchange", "sniff"]

NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"
"""Namespace of ArchiMate 3.0 and 3.1 exchange files."""
NS21 = "http://www.opengroup.org/xsd/archimate"
"""Namespace of ArchiMate 2.1 exchange files."""
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NATIVE = "http://www.archimatetool.com/archimate"
_XSI_TYPE = f"{{{XSI}}}type"


def sniff(root: ET.Element) -> str:
    """Return what an XML root element is: ``"exchange"``, ``"archi"`` (Archi's native format) or ``"other"``.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> from cxgraph.io.archimate.read import sniff
    >>> sniff(ET.fromstring('<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"/>'))
    'exchange'
    """
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if local == "model" and ns in (NS3, NS21):
        return "exchange"
    if local == "model" and ns == NATIVE:
        return "archi"
    return "other"


def _check_root(root: ET.Element, file: str | None) -> str:
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if ns == NATIVE:
        raise FormatError("this is an Archi native model (.archimate), not an exchange file: "
                          "read it with cxgraph.io.read_archi (cxgraph.load reads both)", file=file, line=1)
    if ns.startswith("http://www.opengroup.org/xsd/archimate") and ns not in (NS3, NS21):
        version = ns.rstrip("/").rsplit("/", 1)[-1]
        raise FormatError(f"unsupported ArchiMate exchange format version {version!r} (namespace {ns}): "
                          "cxgraph reads versions 2.1, 3.0 and 3.1", file=file, line=1)
    if local != "model" or ns not in (NS3, NS21):
        found = f"<{local}> in namespace {ns!r}" if ns else f"<{local}> with no namespace"
        raise FormatError(f"not an ArchiMate exchange file: the root element is {found}; expected <model> in "
                          f"namespace {NS3!r} (3.0/3.1) or {NS21!r} (2.1)", file=file, line=1)
    return ns


class _Reader:
    def __init__(self, tree: XmlTree, ns: str, file: str | None) -> None:
        self.tree, self.ns, self.file = tree, ns, file
        self.v21 = ns == NS21

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def fail(self, element: ET.Element, message: str) -> FormatError:
        return FormatError(message, file=self.file, line=self.tree.line(element))

    def text(self, element: ET.Element, local: str) -> str | None:
        child = element.find(self.q(local))
        if child is None:
            return None
        return "".join(child.itertext())

    def name(self, element: ET.Element) -> str:
        return self.text(element, "label" if self.v21 else "name") or ""

    def definitions(self, root: ET.Element) -> tuple[dict[str, str], dict[str, str]]:
        names: dict[str, str] = {}
        types: dict[str, str] = {}
        tag = "propertydef" if self.v21 else "propertyDefinition"
        for d in root.iter(self.q(tag)):
            name = d.get("name", "") if self.v21 else self.name(d)
            names[d.get("identifier", "")] = name
            types[name] = d.get("type", "string")
        return names, types

    def properties(self, element: ET.Element, names: dict[str, str]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        container = element.find(self.q("properties"))
        if container is None:
            return out
        ref_attr = "identifierref" if self.v21 else "propertyDefinitionRef"
        for prop in container.findall(self.q("property")):
            ref = prop.get(ref_attr, "")
            if ref not in names:
                raise self.fail(prop, f"property refers to an undefined property definition {ref!r}")
            value = self.text(prop, "value")
            out.append((names[ref], value or ""))
        return out

    def concept(self, element: ET.Element, names: dict[str, str], *, relationship: bool) -> Concept:
        identifier = element.get("identifier")
        if not identifier:
            raise self.fail(element, f"an {'relationship' if relationship else 'element'} has no identifier")
        xsi_type = element.get(_XSI_TYPE)
        if not xsi_type:
            raise self.fail(element, f"{identifier!r} has no xsi:type (its ArchiMate type)")
        concept = Concept(identifier, canonical_type(xsi_type), self.name(element),
                          self.text(element, "documentation"), self.properties(element, names),
                          line=self.tree.line(element))
        if relationship:
            source, target = element.get("source"), element.get("target")
            if not source or not target:
                raise self.fail(element, f"relationship {identifier!r} needs both a source and a target")
            concept.source, concept.target = source, target
            for attr in ("accessType", "isDirected", "modifier"):
                if element.get(attr) is not None:
                    concept.attrs[attr] = element.get(attr, "")
        return concept

    def views(self, root: ET.Element) -> list[View]:
        views: list[View] = []
        ref = "elementref" if self.v21 else "elementRef"
        for view in root.iter(self.q("view")):
            top = View(view.get("identifier", ""), self.name(view))
            stack: list[tuple[ET.Element, list[ViewNode]]] = [(view, top.nodes)]
            while stack:  # iterative: deeply nested views cannot exhaust the stack
                parent, into = stack.pop()
                for node in parent.findall(self.q("node")):
                    box = ViewNode(node.get(ref), _number(node.get("x")), _number(node.get("y")))
                    into.append(box)
                    stack.append((node, box.children))
            views.append(top)
        return views


def _number(text: str | None) -> float:
    try:
        return float(text) if text is not None else 0.0
    except ValueError:
        return 0.0


def parse_exchange(data: bytes, *, file: str | None = None, max_bytes: int | None = None) -> ArchiModel:
    """Parse the bytes of an ArchiMate exchange file into an :class:`ArchiModel`.

    Raises :class:`~cxgraph.UnsafeInputError` for unsafe input and :class:`~cxgraph.FormatError`
    for malformed XML, a wrong namespace or version, or a broken reference (with the line).

    Examples
    --------
    >>> from cxgraph.io.archimate.read import parse_exchange
    >>> parse_exchange(b'<model xmlns="http://www.opengroup.org/xsd/archimate/4.0/"/>', file="new.xml")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: new.xml:1: unsupported ArchiMate exchange format version '4.0' ...
    """
    tree = parse_xml(data, file=file, max_bytes=max_bytes)
    root = tree.root
    ns = _check_root(root, file)
    reader = _Reader(tree, ns, file)
    names, types = reader.definitions(root)
    model = ArchiModel(property_types=types, name=reader.name(root), id=root.get("identifier"),
                       documentation=reader.text(root, "documentation"),
                       properties=reader.properties(root, names),
                       format="ArchiMate exchange 2.1" if reader.v21 else "ArchiMate exchange 3.x", file=file)
    seen: dict[str, int | None] = {}
    for container, child, is_rel, into in (("elements", "element", False, model.elements),
                                           ("relationships", "relationship", True, model.relationships)):
        box = root.find(reader.q(container))
        for element in box.findall(reader.q(child)) if box is not None else []:
            concept = reader.concept(element, names, relationship=is_rel)
            if concept.id in seen:
                first = seen[concept.id]
                raise reader.fail(element, f"identifier {concept.id!r} is used twice (first at line {first})")
            seen[concept.id] = concept.line
            into.append(concept)
    for rel in model.relationships:
        for end in (rel.source, rel.target):
            if end not in seen:
                raise FormatError(f"{rel.describe({c.id: c for c in model.elements})} refers to {end!r}, which the "
                                  "file does not define",
                                  file=file, line=rel.line)
    model.views = reader.views(root)
    return model
