"""Adding results to an existing exchange file, leaving everything else in it as it was.

``write_archimate(model, path, result=..., base="original.xml")`` copies the original
exchange file (views, organisations, everything cxgraph did not map; XML comments are not
kept) and adds the result properties to the elements they belong to, declaring each new
property key once. A key already on an element (from an earlier run) gets the new value.
The original is read with the hardened parser and written with a plain serializer.

Examples
--------
>>> from cxgraph.io.archimate.annotate import annotate
>>> xml = b'''<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
...   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
...   <name>M</name>
...   <elements><element identifier="a" xsi:type="Node"><name>A</name></element></elements>
... </model>'''
>>> out = annotate(xml, {"cxgraph:impact": {"a": 12.5}})
>>> 'propertyDefinitionRef="propid-cxgraph-1"' in out and "<value>12.5</value>" in out
True
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ...errors import FormatError
from ..xmlsafe import parse_xml
from .read import NATIVE, NS3, NS21, XSI
from .write import _attr, _text

__all__ = ["annotate"]

_XML = "http://www.w3.org/XML/1998/namespace"
_KNOWN = {NS3: "", XSI: "xsi", _XML: "xml", "http://purl.org/dc/elements/1.1/": "dc"}


def _q(local: str) -> str:
    return f"{{{NS3}}}{local}"


def _value(value: float) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _properties_box(element: ET.Element) -> ET.Element:
    box = element.find(_q("properties"))
    if box is not None:
        return box
    index = 0
    for index, child in enumerate(element):  # noqa: B007 - the position after names and documentation
        if child.tag not in (_q("name"), _q("documentation")):
            break
    else:
        index = len(element)
    box = ET.Element(_q("properties"))
    box.text, box.tail = "\n", "\n"
    element.insert(index, box)
    return box


def _definitions(root: ET.Element, keys: list[str]) -> dict[str, str]:
    box = root.find(_q("propertyDefinitions"))
    if box is None:
        box = ET.Element(_q("propertyDefinitions"))
        box.text, box.tail = "\n", "\n"
        views = root.find(_q("views"))
        root.insert(list(root).index(views) if views is not None else len(root), box)
    defined = {"".join(d.findtext(_q("name")) or ""): d.get("identifier", "") for d in box}
    used = {e.get("identifier") for e in root.iter()}
    n = 0
    for key in keys:
        if key in defined:
            continue
        while f"propid-cxgraph-{n + 1}" in used:
            n += 1
        n += 1
        identifier = f"propid-cxgraph-{n}"
        definition = ET.SubElement(box, _q("propertyDefinition"), identifier=identifier, type="number")
        ET.SubElement(definition, _q("name")).text = key
        definition.tail = "\n"
        defined[key] = identifier
    return defined


def _serialize(root: ET.Element) -> str:
    prefixes = dict(_KNOWN)
    used: set[str] = set()

    def name(tag: str) -> str:
        if not tag.startswith("{"):
            return tag
        ns, local = tag[1:].split("}", 1)
        if ns not in prefixes:
            prefixes[ns] = f"ns{len(prefixes)}"
        used.add(ns)
        return f"{prefixes[ns]}:{local}" if prefixes[ns] else local

    out: list[str] = []
    stack: list[ET.Element | str] = [root]
    while stack:  # iterative: a deeply nested file cannot exhaust the stack
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        attrs = "".join(f' {name(k)}="{_attr(v, "attribute")}"' for k, v in item.attrib.items())
        tag = name(item.tag)
        head = f"<{tag}{{namespaces}}{attrs}" if item is root else f"<{tag}{attrs}"
        tail = _text(item.tail or "", "text") if item is not root else ""
        if len(item) == 0 and not item.text:
            out.append(f"{head} />{tail}")
            continue
        out.append(f"{head}>{_text(item.text or '', 'text')}")
        stack.append(f"</{tag}>{tail}")
        stack.extend(reversed(list(item)))
    declared = "".join(f' xmlns="{ns}"' if not prefixes[ns] else f' xmlns:{prefixes[ns]}="{ns}"'
                       for ns in sorted(used - {_XML}, key=lambda n: (prefixes[n] != "", prefixes[n])))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out).replace("{namespaces}", declared, 1) + "\n"


def annotate(base: bytes, results: Mapping[str, Mapping[str, float]], *, file: str | None = None,
             max_bytes: int | None = None) -> str:
    """Return the exchange file ``base`` with ``results`` (``{key: {identifier: value}}``) added as properties.

    Raises :class:`~cxgraph.FormatError` when ``base`` is not a 3.0/3.1 exchange file or a
    result names an identifier the file does not have.
    """
    root = parse_xml(base, file=file, max_bytes=max_bytes).root
    if root.tag == f"{{{NS21}}}model":
        raise FormatError("this is an ArchiMate 2.1 exchange file, and results are written into 3.0 and 3.1 files "
                          "only: open it in Archi and export it again (File > Export > Model to Open Exchange File "
                          "writes 3.1), then give that file; or write a new file without the original", file=file)
    if root.tag == f"{{{NATIVE}}}model":
        raise FormatError("this is an Archi model file, not an exchange file: give Archi the results as CSV "
                          "(--to archi-csv, then File > Import > CSV Data Into Selected Model), or export the model "
                          "to an exchange file (File > Export > Model to Open Exchange File) and give that",
                          file=file)
    if root.tag != _q("model"):
        raise FormatError(f"results can be added to an ArchiMate 3.0/3.1 exchange file only; the root element is "
                          f"{root.tag!r}", file=file)
    concepts = {e.get("identifier"): e for tag in ("element", "relationship") for e in root.iter(_q(tag))}
    missing = sorted({i for values in results.values() for i in values} - set(concepts))
    if missing:
        raise FormatError(f"the results name identifiers the file does not have: {', '.join(missing[:5])}", file=file)
    definitions = _definitions(root, list(results))
    for key, values in results.items():
        for identifier, value in values.items():
            box = _properties_box(concepts[identifier])
            existing = next((p for p in box.findall(_q("property"))
                             if p.get("propertyDefinitionRef") == definitions[key]), None)
            if existing is None:
                existing = ET.SubElement(box, _q("property"), propertyDefinitionRef=definitions[key])
                existing.tail = "\n"
                ET.SubElement(existing, _q("value")).text = _value(value)
            else:
                for old in existing.findall(_q("value")):
                    existing.remove(old)
                ET.SubElement(existing, _q("value")).text = _value(value)
    return _serialize(root)
