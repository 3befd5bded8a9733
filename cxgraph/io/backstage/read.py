r"""Reading a Backstage software catalog into elements, dependency links, owners and capabilities.

==============  ===============================================================================
catalog         cxgraph
==============  ===============================================================================
Component       element of kind ``system``
API             element of kind ``service``
Resource        element of kind ``data`` (types database, s3-bucket, bucket, storage, dataset,
                table) or ``infrastructure`` (any other type)
Group           element of kind ``team``
System          capability, realised by the components, APIs and resources whose ``system`` it is
Domain          capability, parent of its systems (and of its sub-domains)
User            kept aside; an ``owner`` that is a user becomes the user's first group
Location        kept aside; its targets are read
dependsOn       dependency of the entity on the target
consumesApis    dependency of the component on the API
providesApis    dependency of the API on the component (so consumer → API → provider)
subcomponentOf  dependency of the parent component on the sub-component
dependencyOf    dependency of the target on the entity
owner           the element's owner (a group; a group not in the catalog is added as a team)
system, domain  the capability an element realises; the parent of a capability
==============  ===============================================================================

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "catalog-info.yaml"
>>> _ = path.write_text('''
... kind: Component
... metadata: {name: web}
... spec: {type: website, owner: team-a, consumesApis: [orders]}
... ---
... kind: API
... metadata: {name: orders}
... spec: {type: openapi, owner: team-a}
... ---
... kind: Component
... metadata: {name: order-service}
... spec: {type: service, owner: team-a, providesApis: [orders]}
... ''')
>>> model, report = cx.io.read_backstage(path)
>>> [(e.id, e.kind, e.owner, [d.element for d in e.depends_on])
...  for e in model.elements]  # doctest: +NORMALIZE_WHITESPACE
[('web', 'system', 'team-a', ['orders']), ('orders', 'service', 'team-a', ['order-service']),
 ('order-service', 'system', 'team-a', []), ('team-a', 'team', None, [])]
>>> report.notes[0]
"owner 'group:default/team-a' is not in the catalog: added as the team 'team-a'"
"""

from __future__ import annotations

import os
from typing import Any

from ...errors import ModelError, Problem
from ...model import Model
from .._sources import NO_JOURNEYS, build_model
from ..importlog import ImportEntry, ImportLog
from .files import Entity, read_catalog

__all__ = ["parse_ref", "read_backstage", "read_document"]

_ELEMENT_KINDS = {"component": "system", "api": "service", "resource": "infrastructure", "group": "team"}
_DATA_RESOURCES = {"database", "s3-bucket", "bucket", "storage", "dataset", "table"}
# relation field: (kinds that have it, default kind of the target)
_RELATIONS = {
    "owner": ("*",), "system": ("component", "api", "resource"), "domain": ("system",),
    "subdomainOf": ("domain",), "dependsOn": ("component", "resource"), "dependencyOf": ("component", "resource"),
    "providesApis": ("component",), "consumesApis": ("component",), "subcomponentOf": ("component",),
    "memberOf": ("user",), "parent": ("group",),
}
_DEFAULT_KIND = {"owner": "group", "system": "system", "domain": "domain", "subdomainOf": "domain",
                 "dependsOn": "component", "dependencyOf": "component", "providesApis": "api",
                 "consumesApis": "api", "subcomponentOf": "component", "memberOf": "group", "parent": "group"}


def parse_ref(text: str, default_kind: str, default_namespace: str = "default") -> str:
    """Return the full, lower-case entity reference ``kind:namespace/name`` a catalog reference names.

    Examples
    --------
    >>> from cxgraph.io.backstage import parse_ref
    >>> parse_ref("team-a", "group"), parse_ref("user:guest", "group"), parse_ref("Resource:ops/DB", "x")
    ('group:default/team-a', 'user:default/guest', 'resource:ops/db')
    """
    kind, colon, rest = text.strip().partition(":")
    if not colon:
        kind, rest = default_kind, text.strip()
    namespace, slash, name = rest.partition("/")
    if not slash:
        namespace, name = default_namespace, rest
    return f"{kind.lower()}:{namespace.lower()}/{name.lower()}"


class _Mapper:
    def __init__(self, entities: list[Entity]) -> None:
        self.by_ref: dict[str, Entity] = {}
        self.again: dict[int, Entity] = {}
        for e in entities:
            if e.ref in self.by_ref:
                self.again[id(e)] = self.by_ref[e.ref]
            else:
                self.by_ref[e.ref] = e
        self.entities = entities
        self.ids: dict[str, str] = {}
        self.notes: list[str] = []
        self.placeholders: dict[str, str] = {}
        self.problems: list[Problem] = []

    def role(self, e: Entity) -> str | None:
        kind = e.kind.lower()
        if kind in ("system", "domain"):
            return "capability"
        if kind == "resource":
            return "data" if str(e.spec.get("type", "")).lower() in _DATA_RESOURCES else "infrastructure"
        return _ELEMENT_KINDS.get(kind)

    def make_ids(self) -> None:
        live = [e for e in self.by_ref.values() if self.role(e)]
        short = {e.ref: e.name if e.namespace.lower() == "default" else f"{e.namespace}.{e.name}" for e in live}
        counts: dict[str, int] = {}
        for s in short.values():
            counts[s.lower()] = counts.get(s.lower(), 0) + 1
        for e in live:
            s = short[e.ref]
            self.ids[e.ref] = s if counts[s.lower()] == 1 else f"{e.kind.lower()}-{s}"

    def owner_of(self, ref: str) -> tuple[str | None, str]:
        """Return the owner id for a reference and what it became (or None and why not)."""
        target, how = self.by_ref.get(ref), "owner"
        if target is not None and target.kind.lower() == "user":
            groups = target.spec.get("memberOf")
            group = next((g for g in groups if isinstance(g, str)), None) if isinstance(groups, list) else None
            if group is None:
                return None, f"the owner {ref!r} is a user with no group (memberOf)"
            ref = parse_ref(group, "group", target.namespace)
            target, how = self.by_ref.get(ref), "owner (the user's group)"
        elif target is None and ref.startswith("user:"):
            return None, f"the owner {ref!r} is a user not in the catalog"
        if target is not None:
            if self.role(target) != "team":
                return None, f"the owner {ref!r} is a {target.kind}, not a group"
            return self.ids[target.ref], how
        if ref not in self.placeholders:
            name = ref.partition("/")[2]
            pid = name if name not in {i.lower() for i in self.ids.values()} else f"group-{name}"
            self.placeholders[ref] = pid
            self.notes.append(f"owner {ref!r} is not in the catalog: added as the team {pid!r}")
        return self.placeholders[ref], "owner (a team added for it)"


def _entry(e: Entity, status: str, outcome: str, item: str | None = None) -> ImportEntry:
    metadata = e.data.get("metadata") if isinstance(e.data.get("metadata"), dict) else {}
    title = metadata.get("title") if isinstance(metadata.get("title"), str) else e.name
    return ImportEntry(e.ref, e.kind, title, status, outcome, item=item, line=e.line,  # type: ignore[arg-type]
                       properties=(("file", e.file),))


def read_backstage(path: str | os.PathLike[str]) -> tuple[Model, ImportLog]:
    """Read a Backstage catalog (a ``catalog-info.yaml``, any catalog file, or a folder) into a model.

    Parameters
    ----------
    path
        A catalog file (one or several YAML documents), or a folder: its ``catalog-info.yaml``,
        else every YAML file in it. ``Location`` entities' local targets are read too.

    Returns
    -------
    tuple[Model, ImportLog]
        The model (elements, owners, capabilities; no journeys: see :func:`cxgraph.merge`) and
        what became of every entity and every relation read (the module's table says what maps
        to what).

    Raises
    ------
    ModelError
        Malformed YAML, a document that is not an entity, an entity without kind or name, each
        with its file and line.

    Examples
    --------
    >>> model, report = cx.io.read_backstage(cx.examples.path("retail-bank"))  # not a catalog
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      ...retail-bank.yaml:12:1: kind: missing kind (Component, API, Resource, System, Domain, Group, ...)
    """
    doc, source, report = read_document(path)
    return build_model(doc, source), report


def read_document(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str, ImportLog]:
    """Read a catalog into a model document (plain dicts), the file its problems are reported in, and the log."""
    from .relations import build

    catalog = read_catalog(path)
    m = _Mapper(catalog.entities)
    m.make_ids()
    doc, entries, relations = build(m)
    if m.problems:
        raise ModelError(m.problems)
    report = ImportLog(source=str(path), format="Backstage catalog", elements=tuple(entries),
                       relationships=tuple(relations), notes=(*catalog.notes, *m.notes, NO_JOURNEYS))
    return doc, catalog.files[0] if catalog.files else str(path), report


def entity_entry(m: Any, e: Entity) -> ImportEntry:
    """Return the report entry of an entity (mapped, or kept with the reason)."""
    if id(e) in m.again:
        first = m.again[id(e)]
        return _entry(e, "kept", f"defined again (first at {first.file}:{first.line})")
    role = m.role(e)
    if role == "capability":
        return _entry(e, "mapped", "capability", m.ids[e.ref])
    if role is not None:
        return _entry(e, "mapped", role, m.ids[e.ref])
    reasons = {"user": "a person: owners that are users become their group",
               "location": "a location: its targets were read"}
    return _entry(e, "kept", reasons.get(e.kind.lower(), f"kind {e.kind}: no counterpart in cxgraph"))
