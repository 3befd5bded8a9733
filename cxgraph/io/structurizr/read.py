"""Reading a Structurizr workspace (JSON) into journeys per person, elements and links.

=========================  ==========================================================================
workspace                  cxgraph
=========================  ==========================================================================
person (not internal)      a journey, its segment the person's name
person → element           a touchpoint of the person's journey ("<description> <element>"),
                           depending on the element; in file order
person (``Internal``,      element of kind ``team`` (staff: a customer's touchpoint may depend on
or named in ``staff``)     them, and they on the systems they use)
software system            element of kind ``system``, depending on its containers
container                  element of kind ``system`` (``data`` when tagged ``Database``),
                           depending on its components
component                  element of kind ``system``
deployment node            element of kind ``infrastructure``, depending on the node it runs in
                           (chosen environment only)
infrastructure node        element of kind ``infrastructure`` (chosen environment only)
container instance         the container depends on the node holding it; several instances of one
                           container are alternatives (group ``deployment``)
relationship A → B         A depends on B
=========================  ==========================================================================

Kept aside, each with the reason: relationships to a customer (``Sends e-mails to``),
relationships implied by another (``linkedRelationshipId``) or copied onto instances,
relationships between deployment nodes (traffic, not what runs on what), the same link twice,
deployment nodes of other environments, custom elements, views (listed).

Examples
--------
>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "workspace.json"
>>> _ = path.write_text(json.dumps({"name": "Shop", "model": {
...     "people": [{"id": "1", "name": "Shopper", "relationships": [
...         {"id": "5", "sourceId": "1", "destinationId": "2", "description": "Buys from"}]}],
...     "softwareSystems": [{"id": "2", "name": "Web shop", "relationships": [
...         {"id": "6", "sourceId": "2", "destinationId": "3", "description": "Pays with"}]},
...         {"id": "3", "name": "Payments"}]}}))
>>> model, report = cx.io.read_structurizr(path, customers=800)
>>> j = model.journeys[0]
>>> j.id, j.segment, j.customers, [(t.name, [d.element for d in t.depends_on]) for t in j.touchpoints]
('shopper', 'Shopper', 800, [('Buys from Web shop', ['web-shop'])])
>>> [(e.id, [d.element for d in e.depends_on]) for e in model.elements]
[('web-shop', ['payments']), ('payments', [])]
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from ...model import Model
from .._sources import IdMaker, build_model, read_json
from ..importlog import ImportEntry, ImportLog
from .walk import Node, Walked, walk

__all__ = ["read_structurizr"]

_PRODUCTION = ("live", "production", "prod")


def _environment(walked: Walked, chosen: str | None, notes: list[str]) -> str | None:
    envs = list(dict.fromkeys(n.environment for n in walked.nodes if n.level == "deploymentNode" and n.environment))
    if chosen is not None:
        if chosen not in envs:
            from ...errors import FormatError

            raise FormatError(f"no deployment environment {chosen!r} (the workspace has: {', '.join(envs) or 'none'})")
        return chosen
    if not envs:
        return None
    pick = next((e for e in envs if e.lower() in _PRODUCTION), envs[0])
    if len(envs) > 1:
        notes.append(f"deployment environment {pick!r} read (others: {', '.join(e for e in envs if e != pick)}); "
                     "choose with environment=")
    return pick


def _role(n: Node, staff: Collection[str], env: str | None) -> tuple[str, str]:
    """Return (status, outcome) of an element: what it becomes, or why it is kept aside."""
    if n.level == "person":
        internal = str(n.data.get("location", "")).lower() == "internal" or n.name in staff
        return ("mapped", "team") if internal else ("mapped", "journey")
    if n.level in ("softwareSystem", "component"):
        return "mapped", "system"
    if n.level == "container":
        is_data = "database" in {t.lower() for t in n.tags}
        return "mapped", "data" if is_data else "system"
    if n.level in ("deploymentNode", "infrastructureNode", "containerInstance", "softwareSystemInstance"):
        if n.environment != env:
            return "kept", f"deployment environment {n.environment!r}, not the one read ({env!r})"
        if n.level.endswith("Instance"):
            return "mapped", "deployment (a dependency on its node)"
        return "mapped", "infrastructure"
    return "kept", f"{n.level}: no counterpart in cxgraph"


def read_structurizr(path: str | os.PathLike[str], *, customers: float | Mapping[str, float] | None = None,
                     environment: str | None = None, staff: Collection[str] = (),
                     parts: bool = True) -> tuple[Model, ImportLog]:
    """Read a Structurizr workspace JSON file into a model and an import log.

    Parameters
    ----------
    path
        The workspace file (``workspace.json``, as Structurizr exports or the DSL writes it).
    customers
        Customers per period of each person's journey: one number, or a mapping by person
        name. Without it, 1 (and the report says so).
    environment
        The deployment environment read (default: ``Live``, ``Production`` or ``Prod`` if
        there is one, else the first).
    staff
        Names of people who are staff, besides those whose ``location`` is ``Internal``.
    parts
        Whether a software system depends on its containers and a container on its components.

    Returns
    -------
    tuple[Model, ImportLog]
        The model and what became of every element and relationship read (see the module's
        table).

    Raises
    ------
    FormatError
        Malformed JSON (with its line), a file that is not a workspace, an unknown environment.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.json"
    >>> _ = p.write_text('{"views": {}}')
    >>> cx.io.read_structurizr(p)
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: .../w.json: not a Structurizr workspace: expected an object with a 'model'
    """
    from .links import map_relationships

    path = Path(path)
    workspace = read_json(path)
    walked = walk(workspace, str(path))
    notes: list[str] = []
    env = _environment(walked, environment, notes)
    by_id = {n.id: n for n in walked.nodes}
    roles = {n.id: _role(n, staff, env) for n in walked.nodes}
    ids = IdMaker()
    item: dict[str, str] = {}
    for n in walked.nodes:
        status, outcome = roles[n.id]
        if status == "mapped" and not n.level.endswith("Instance"):
            parent = by_id.get(n.parent or "")
            nested = n.level in ("deploymentNode", "infrastructureNode") and parent is not None
            item[n.id] = ids.make(f"{parent.name} {n.name}" if nested and parent else n.name)
    elements: dict[str, dict[str, Any]] = {}
    journeys: dict[str, dict[str, Any]] = {}
    for n in walked.nodes:
        status, outcome = roles[n.id]
        if status != "mapped" or n.id not in item:
            continue
        doc: dict[str, Any] = {"id": item[n.id], "name": n.name}
        if str(n.data.get("description") or "").strip():
            doc["description"] = str(n.data["description"]).strip()
        props = {"structurizr:id": n.id, "structurizr:type": n.level}
        if n.data.get("technology"):
            props["structurizr:technology"] = str(n.data["technology"])
        if outcome == "journey":
            journeys[n.id] = {**doc, "segment": n.name, "customers": _customers(customers, n.name, notes),
                              "properties": props, "touchpoints": []}
        else:
            elements[n.id] = {**doc, "kind": "team" if outcome == "team" else outcome, "properties": props}
    relationships = map_relationships(walked, by_id, roles, item, elements, journeys, ids, parts, notes)
    entries = [ImportEntry(n.id, n.level, n.name, roles[n.id][0], roles[n.id][1],  # type: ignore[arg-type]
                           item=item.get(n.id) or _host(n, item)) for n in walked.nodes]
    name = str(workspace.get("name") or path.stem)
    doc = {"cxgraph": 1, "name": name, "journeys": list(journeys.values()), "elements": list(elements.values())}
    model = build_model(doc, str(path))
    report = ImportLog(source=str(path), format="Structurizr workspace JSON", elements=tuple(entries),
                          relationships=tuple(relationships), views=tuple(walked.views), notes=tuple(notes))
    return model, report


def _host(n: Node, item: Mapping[str, str]) -> str | None:
    target = n.data.get("containerId") or n.data.get("softwareSystemId")
    return item.get(str(target)) if target is not None and n.level.endswith("Instance") else None


def _customers(customers: float | Mapping[str, float] | None, person: str, notes: list[str]) -> float:
    if isinstance(customers, Mapping):
        if person in customers:
            return customers[person]
    elif customers is not None:
        return customers
    notes.append(f"journey {person!r} has no customer count (customers=): using 1")
    return 1
