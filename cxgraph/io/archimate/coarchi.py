"""Reading a coArchi repository: an Archi model kept as one XML file per element, relationship and view.

Archi's collaboration plug-in (coArchi) stores a model in a git repository as a folder
``model/`` holding ``folder.xml`` (the model itself), one sub-folder per top-level folder
(``business``, ``application``, ``relations``, ``diagrams``, ...) and in each a
``folder.xml`` and one file per object, such as ``BusinessActor_id-1.xml``. References
between files are ``href`` links ending in ``#<identifier>``. The reader gathers every file
into the same :class:`ArchiModel` as the other readers, so the mapping is the same. Every
file is read with the hardened XML parser, and the whole folder is refused above
``max_bytes`` in total.

Examples
--------
>>> import tempfile, pathlib
>>> from cxgraph.io.archimate.coarchi import coarchi_folder, parse_coarchi
>>> repo = pathlib.Path(tempfile.mkdtemp())
>>> (repo / "model" / "technology").mkdir(parents=True)
>>> ns = 'xmlns:archimate="http://www.archimatetool.com/archimate"'
>>> _ = (repo / "model" / "folder.xml").write_text(f'<archimate:model {ns} name="Shop" id="m1" version="5.0.0"/>')
>>> _ = (repo / "model" / "technology" / "folder.xml").write_text(
...     f'<archimate:Folder {ns} name="Technology" id="f1" type="technology"/>')
>>> _ = (repo / "model" / "technology" / "Node_n1.xml").write_text(f'<archimate:Node {ns} name="Server" id="n1"/>')
>>> coarchi_folder(repo) == repo / "model"
True
>>> m = parse_coarchi(repo)
>>> m.name, m.format, [(c.id, c.type, c.name) for c in m.elements]
('Shop', 'coArchi repository (Archi 5.0.0)', [('n1', 'Node', 'Server')])
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from ...errors import FormatError, UnsafeInputError
from ..xmlsafe import MAX_BYTES, parse_xml
from .concepts import ArchiModel, Concept, View, ViewNode, canonical_type
from .read import NATIVE

__all__ = ["coarchi_folder", "parse_coarchi"]

_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}
_VIEWS = ("ArchimateDiagramModel", "SketchModel", "CanvasModel")


def coarchi_folder(path: str | os.PathLike[str]) -> Path | None:
    """Return the ``model`` folder of a coArchi repository at ``path`` (the repository or its ``model``), if it is one.

    Examples
    --------
    >>> import tempfile
    >>> from cxgraph.io.archimate.coarchi import coarchi_folder
    >>> coarchi_folder(tempfile.mkdtemp()) is None
    True
    """
    path = Path(path)
    for folder in (path / "model", path):
        head = folder / "folder.xml"
        if head.is_file():
            with head.open("rb") as handle:
                start = handle.read(512)
            if b"archimate:model" in start or b"<model" in start:
                return folder
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ref(element: ET.Element, name: str) -> str | None:
    """Return the identifier a reference names: an attribute, or a child element with ``href="...#id"``."""
    if element.get(name):
        return element.get(name)
    child = element.find(name)
    if child is not None and child.get("href"):
        return child.get("href", "").rsplit("#", 1)[-1]
    return None


def _documentation(element: ET.Element) -> str | None:
    if element.get("documentation") is not None:
        return element.get("documentation")
    child = element.find("documentation")
    return "".join(child.itertext()) if child is not None else None


def _properties(element: ET.Element) -> list[tuple[str, str]]:
    return [(p.get("key", ""), p.get("value", "")) for tag in ("property", "properties") for p in element.findall(tag)]


def _view(element: ET.Element) -> View:
    view = View(element.get("id", ""), element.get("name", ""))
    stack: list[tuple[ET.Element, list[ViewNode], float, float]] = [(element, view.nodes, 0.0, 0.0)]
    while stack:  # coordinates are relative to the parent, as in Archi's own files
        parent, into, ox, oy = stack.pop()
        for child in [*parent.findall("children"), *parent.findall("child")]:
            bounds = child.find("bounds")
            x = ox + float(bounds.get("x", 0) if bounds is not None else 0)
            y = oy + float(bounds.get("y", 0) if bounds is not None else 0)
            node = ViewNode(_ref(child, "archimateElement"), x, y)
            into.append(node)
            stack.append((child, node.children, x, y))
    return view


def parse_coarchi(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> ArchiModel:
    """Read a coArchi repository (or its ``model`` folder) into an :class:`ArchiModel`.

    Examples
    --------
    >>> import tempfile
    >>> from cxgraph.io.archimate.coarchi import parse_coarchi
    >>> parse_coarchi(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: ...: not a coArchi repository: no model/folder.xml ...
    """
    folder = coarchi_folder(path)
    if folder is None:
        raise FormatError("not a coArchi repository: no model/folder.xml holding an Archi model", file=str(path))
    limit = MAX_BYTES if max_bytes is None else max_bytes
    files = sorted(p for p in folder.rglob("*.xml") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    if total > limit:
        raise UnsafeInputError(f"refused: the repository's files hold {total:,} bytes, more than the limit of "
                               f"{limit:,} (max_bytes=)", file=str(path))
    head = parse_xml((folder / "folder.xml").read_bytes(), file=str(folder / "folder.xml")).root
    if head.tag != f"{{{NATIVE}}}model":
        raise FormatError(f"not a coArchi repository: model/folder.xml holds {head.tag!r}, not an Archi model",
                          file=str(folder / "folder.xml"))
    model = ArchiModel(name=head.get("name", ""), id=head.get("id"), documentation=_purpose(head),
                       properties=_properties(head), file=str(path),
                       format=f"coArchi repository (Archi {head.get('version', '')})".replace(" ()", ""))
    seen: dict[str, str] = {}
    for file in files:
        if file.name == "folder.xml":
            continue
        tree = parse_xml(file.read_bytes(), file=str(file))
        root = tree.root
        raw = _local(root.tag)
        if raw in _VIEWS:
            model.views.append(_view(root))
            continue
        identifier = root.get("id")
        if not identifier:
            raise FormatError(f"an object of type {raw!r} has no id", file=str(file), line=1)
        if identifier in seen:
            raise FormatError(f"id {identifier!r} is used twice (also in {seen[identifier]})", file=str(file), line=1)
        seen[identifier] = file.name
        kind = canonical_type(raw)
        concept = Concept(identifier, kind, root.get("name", ""), _documentation(root), _properties(root))
        if raw.endswith("Relationship"):
            concept.source, concept.target = _ref(root, "source"), _ref(root, "target")
            if not concept.source or not concept.target:
                raise FormatError(f"{kind} relationship {identifier!r} needs both a source and a target",
                                  file=str(file), line=1)
            if kind == "Access":
                concept.attrs["accessType"] = _ACCESS.get(root.get("accessType", "0"), "Write")
            model.relationships.append(concept)
        else:
            if kind == "AndJunction" and root.get("type") == "or":
                concept.type = "OrJunction"
            model.elements.append(concept)
    by_id = {c.id: c for c in model.elements}
    for rel in model.relationships:
        for end in (rel.source, rel.target):
            if end not in seen:
                raise FormatError(f"{rel.describe(by_id)} refers to {end!r}, which the repository does not define",
                                  file=str(folder / "relations" / f"{rel.type}Relationship_{rel.id}.xml"))
    return model


def _purpose(root: ET.Element) -> str | None:
    if root.get("purpose") is not None:
        return root.get("purpose")
    child = root.find("purpose")
    return "".join(child.itertext()) if child is not None else None
