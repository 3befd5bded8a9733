"""Writing an :class:`ArchiModel` as an ArchiMate 3.1 Model Exchange File.

The file uses the exchange format's namespace (``http://www.opengroup.org/xsd/archimate/3.0/``,
shared by 3.0 and 3.1) and validates against the Open Group 3.1 schemas: elements,
relationships, then one ``propertyDefinition`` per property key, typed ``number`` or
``boolean`` where every value of the key is one. The XML is written directly (no XML
library is needed), with every text and attribute escaped.

Examples
--------
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> from cxgraph.io.archimate.write import exchange_xml
>>> archi = ArchiModel(name="Tiny", id="m", elements=[Concept("a", "Node", "Server & co", properties=[("tier", "1")])],
...                    property_types={"tier": "number"})
>>> print(exchange_xml(archi))
<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengroup.org/xsd/archimate/3.0/ http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd" identifier="m">
  <name>Tiny</name>
  <elements>
    <element identifier="a" xsi:type="Node">
      <name>Server &amp; co</name>
      <properties>
        <property propertyDefinitionRef="propid-1">
          <value>1</value>
        </property>
      </properties>
    </element>
  </elements>
  <propertyDefinitions>
    <propertyDefinition identifier="propid-1" type="number">
      <name>tier</name>
    </propertyDefinition>
  </propertyDefinitions>
</model>
<BLANKLINE>
"""  # noqa: E501 - the doctest shows the exact root element line

from __future__ import annotations

import re

from ...errors import FormatError
from .concepts import ArchiModel, Concept
from .read import NS3, XSI

__all__ = ["exchange_xml"]

_SCHEMA_LOCATION = f"{NS3} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check(text: str, where: str) -> str:
    match = _BAD_CHARS.search(text)
    if match:
        raise FormatError(f"{where}: the text contains the control character U+{ord(match.group()):04X}, "
                          "which XML cannot hold")
    return text


def _text(text: str, where: str) -> str:
    _check(text, where)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str, where: str) -> str:
    _check(text, where)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


class _Out:
    def __init__(self, property_ids: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.property_ids = property_ids

    def leaf(self, depth: int, tag: str, text: str, where: str) -> None:
        self.lines.append(f"{'  ' * depth}<{tag}>{_text(text, where)}</{tag}>")

    def properties(self, depth: int, props: list[tuple[str, str]], where: str) -> None:
        if not props:
            return
        pad = "  " * depth
        self.lines.append(f"{pad}<properties>")
        for key, value in props:
            self.lines.append(f'{pad}  <property propertyDefinitionRef="{self.property_ids[key]}">')
            self.leaf(depth + 2, "value", value, f"{where}: property {key!r}")
            self.lines.append(f"{pad}  </property>")
        self.lines.append(f"{pad}</properties>")

    def concept(self, c: Concept, tag: str) -> None:
        where = f"{c.type} {c.id!r}"
        attrs = f'identifier="{_attr(c.id, where)}"'
        if c.is_relationship:
            attrs += f' source="{_attr(c.source or "", where)}" target="{_attr(c.target or "", where)}"'
        attrs += f' xsi:type="{c.type}"'
        for key, value in c.attrs.items():
            attrs += f' {key}="{_attr(value, where)}"'
        inner = bool(c.name or not c.is_relationship or c.documentation or c.properties)
        if not inner:
            self.lines.append(f"    <{tag} {attrs} />")
            return
        self.lines.append(f"    <{tag} {attrs}>")
        if c.name or not c.is_relationship:
            self.leaf(3, "name", c.name, where)
        if c.documentation:
            self.leaf(3, "documentation", c.documentation, where)
        self.properties(3, c.properties, where)
        self.lines.append(f"    </{tag}>")


def exchange_xml(archi: ArchiModel) -> str:
    """Return the exchange-format XML text for ``archi``.

    Raises :class:`~cxgraph.FormatError` for text XML cannot hold (control characters).
    """
    keys = list(dict.fromkeys(k for c in (archi, *archi.elements, *archi.relationships) for k, _ in c.properties))
    property_ids = {key: f"propid-{i}" for i, key in enumerate(keys, 1)}
    out = _Out(property_ids)
    model_id = archi.id or "cxgraph-model"
    out.lines.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.lines.append(f'<model xmlns="{NS3}" xmlns:xsi="{XSI}" xsi:schemaLocation="{_SCHEMA_LOCATION}" '
                     f'identifier="{_attr(model_id, "model")}">')
    out.leaf(1, "name", archi.name, "model name")
    if archi.documentation:
        out.leaf(1, "documentation", archi.documentation, "model documentation")
    out.properties(1, archi.properties, "model")
    for tag, concepts in (("element", archi.elements), ("relationship", archi.relationships)):
        if concepts:
            out.lines.append(f"  <{tag}s>")
            for c in concepts:
                out.concept(c, tag)
            out.lines.append(f"  </{tag}s>")
    if keys:
        out.lines.append("  <propertyDefinitions>")
        for key in keys:
            kind = archi.property_types.get(key, "string")
            out.lines.append(f'    <propertyDefinition identifier="{property_ids[key]}" type="{kind}">')
            out.leaf(3, "name", key, f"property {key!r}")
            out.lines.append("    </propertyDefinition>")
        out.lines.append("  </propertyDefinitions>")
    out.lines.append("</model>")
    return "\n".join(out.lines) + "\n"
