r"""Building the model document from a read catalog: elements, capabilities, and every relation's fate.

Each relation field of an entity (``owner``, ``system``, ``dependsOn``, ``providesApis``, ...) is
one report entry per reference, mapped (a dependency, an owner, a capability link) or kept aside
with the reason: a target not in the catalog, a field cxgraph has no counterpart for (group
membership, group parents), the same link twice.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.yaml"
>>> _ = path.write_text("kind: Component\nmetadata: {name: a}\nspec: {dependsOn: [resource:db, component:b]}\n"
...                     "---\nkind: Resource\nmetadata: {name: db}\nspec: {type: database}\n")
>>> model, report = cx.io.read_backstage(path)
>>> [(r.source, r.target, r.status, r.outcome)
...  for r in report.relationships]  # doctest: +NORMALIZE_WHITESPACE
[('component:default/a', 'resource:default/db', 'mapped', 'dependency'),
 ('component:default/a', 'component:default/b', 'kept', 'not in the catalog')]
"""

from __future__ import annotations

from typing import Any

from ...errors import Problem
from ..importlog import ImportEntry
from .files import Entity
from .read import _DEFAULT_KIND, _RELATIONS, _Mapper, entity_entry, parse_ref

__all__ = ["build"]

_KEPT_FIELDS = {"memberOf": "group membership (used to find a user's group)",
                "parent": "group hierarchy: no counterpart in cxgraph"}


def _element(m: _Mapper, e: Entity, kind: str) -> dict[str, Any]:
    metadata = e.data.get("metadata") or {}
    props = {"backstage:ref": e.ref}
    for key in ("type", "lifecycle"):
        if isinstance(e.spec.get(key), str):
            props[f"backstage:{key}"] = e.spec[key]
    doc: dict[str, Any] = {"id": m.ids[e.ref], "name": metadata.get("title") or e.name}
    if kind != "capability":
        doc["kind"] = kind
    if isinstance(metadata.get("description"), str):
        doc["description"] = metadata["description"].strip()
    tags = metadata.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        doc["tags"] = tags
    doc["properties"] = props
    return doc


def _refs(e: Entity, key: str) -> list[tuple[int | None, str]]:
    value = e.spec.get(key)
    if isinstance(value, str):
        return [(None, value)]
    if isinstance(value, list):
        return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def build(m: _Mapper) -> tuple[dict[str, Any], list[ImportEntry], list[ImportEntry]]:
    """Return the document, the entity entries and the relation entries."""
    elements: dict[str, dict[str, Any]] = {}
    capabilities: dict[str, dict[str, Any]] = {}
    entries = []
    for e in m.entities:
        entry = entity_entry(m, e)
        entries.append(entry)
        if entry.status == "mapped":
            role = m.role(e)
            (capabilities if role == "capability" else elements)[e.ref] = _element(m, e, role or "")
    relations: list[ImportEntry] = []
    links: set[tuple[str, str]] = set()

    def add(e: Entity, key: str, i: int | None, target: str, status: str, outcome: str, item: str | None) -> None:
        path = ("spec", key) if i is None else ("spec", key, i)
        relations.append(ImportEntry(f"{e.ref}.{key}" + (f"[{i}]" if i is not None else ""), key, "", status,
                                     outcome, item=item, source=e.ref, target=target, line=e.at(*path)))  # type: ignore[arg-type]

    def depend(e: Entity, key: str, i: int | None, ref: str, dependent: str, on: str) -> None:
        if dependent not in elements or on not in elements:
            add(e, key, i, ref, "kept", "not an element: no dependency", None)
        elif (dependent, on) in links:
            add(e, key, i, ref, "kept", "the same dependency again", elements[dependent]["id"])
        else:
            links.add((dependent, on))
            elements[dependent].setdefault("depends_on", []).append(elements[on]["id"])
            add(e, key, i, ref, "mapped", "dependency", elements[dependent]["id"])

    for e in m.entities:
        if id(e) in m.again:
            continue
        for key, kinds in _RELATIONS.items():
            for i, text in _refs(e, key):
                if kinds != ("*",) and e.kind.lower() not in kinds:
                    continue
                if not text.strip():
                    m.problems.append(Problem(f"spec.{key}", "an empty entity reference", file=e.file,
                                              line=e.at(*(("spec", key) if i is None else ("spec", key, i)))))
                    continue
                ref = parse_ref(text, _DEFAULT_KIND[key], e.namespace)
                if key in _KEPT_FIELDS:
                    add(e, key, i, ref, "kept", _KEPT_FIELDS[key], None)
                elif key == "owner":
                    _owner(m, e, i, ref, elements, capabilities, add)
                elif ref not in m.by_ref:
                    add(e, key, i, ref, "kept", "not in the catalog", None)
                elif key in ("system", "domain", "subdomainOf"):
                    _capability(m, e, key, i, ref, elements, capabilities, add)
                elif key in ("dependsOn", "consumesApis"):
                    depend(e, key, i, ref, e.ref, ref)
                else:  # providesApis, subcomponentOf, dependencyOf: the target depends on this entity
                    depend(e, key, i, ref, ref, e.ref)
    for ref, pid in m.placeholders.items():
        elements[ref] = {"id": pid, "name": ref.partition("/")[2], "kind": "team",
                         "properties": {"backstage:ref": ref}}
    doc = {"cxgraph": 1, "name": "Backstage catalog", "elements": list(elements.values()),
           "capabilities": list(capabilities.values())}
    return doc, entries, relations


def _owner(m: _Mapper, e: Entity, i: int | None, ref: str, elements: dict[str, Any], capabilities: dict[str, Any],
           add: Any) -> None:
    if e.ref in capabilities:
        capabilities[e.ref]["properties"]["backstage:owner"] = ref
        add(e, "owner", i, ref, "kept", "capabilities have no owner in cxgraph (kept as backstage:owner)", None)
        return
    if e.ref not in elements:
        add(e, "owner", i, ref, "kept", f"the {e.kind} is not an element", None)
        return
    owner, outcome = m.owner_of(ref)
    if owner is None or owner == elements[e.ref]["id"]:
        add(e, "owner", i, ref, "kept", outcome if owner is None else "owns itself", None)
        return
    elements[e.ref]["owner"] = owner
    add(e, "owner", i, ref, "mapped", outcome, elements[e.ref]["id"])


def _capability(m: _Mapper, e: Entity, key: str, i: int | None, ref: str, elements: dict[str, Any],
                capabilities: dict[str, Any], add: Any) -> None:
    if ref not in capabilities:
        add(e, key, i, ref, "kept", f"{m.by_ref[ref].kind} is not a system or domain", None)
    elif key == "system" and e.ref in elements:
        capabilities[ref].setdefault("realized_by", []).append(elements[e.ref]["id"])
        add(e, key, i, ref, "mapped", "realises the capability", capabilities[ref]["id"])
    elif key in ("domain", "subdomainOf") and e.ref in capabilities and ref != e.ref:
        capabilities[e.ref]["parent"] = capabilities[ref]["id"]
        add(e, key, i, ref, "mapped", "parent capability", capabilities[e.ref]["id"])
    else:
        add(e, key, i, ref, "kept", "no counterpart in cxgraph", None)
