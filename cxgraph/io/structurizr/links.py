"""The links of a Structurizr workspace: touchpoints, dependencies, parts and deployment.

Examples
--------
>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "workspace.json"
>>> _ = path.write_text(json.dumps({"model": {
...     "people": [{"id": "1", "name": "Shopper"}],
...     "softwareSystems": [{"id": "2", "name": "Shop", "relationships": [
...         {"id": "9", "sourceId": "2", "destinationId": "1", "description": "Sends e-mails to"}]}]}}))
>>> model, report = cx.io.read_structurizr(path)
>>> report.relationships[0].outcome
'to a customer: not a dependency'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .._sources import IdMaker
from ..importlog import ImportEntry
from .walk import Node, Walked

__all__ = ["map_relationships"]

_DEPLOYMENT = ("deploymentNode", "infrastructureNode")


def map_relationships(walked: Walked, by_id: Mapping[str, Node], roles: Mapping[str, tuple[str, str]],
                      item: Mapping[str, str], elements: dict[str, dict[str, Any]],
                      journeys: dict[str, dict[str, Any]], ids: IdMaker, parts: bool, notes: list[str]
                      ) -> list[ImportEntry]:
    """Add touchpoints and dependencies to the documents; return the report entry of every relationship."""
    seen: set[tuple[str, str]] = set()

    def link(source: str, target: str, group: str | None = None) -> bool:
        if (source, target) in seen or source == target:
            return False
        seen.add((source, target))
        dep: Any = item[target] if group is None else {"element": item[target], "group": group}
        elements[source].setdefault("depends_on", []).append(dep)
        return True

    entries = []
    for r in walked.relationships:
        src, dst = by_id.get(r.source), by_id.get(r.destination)

        kinds = f"{src.level if src else '?'} -> {dst.level if dst else '?'}"

        def entry(status: str, outcome: str, target: str | None = None, rel: Any = r, kinds: str = kinds
                  ) -> ImportEntry:
            return ImportEntry(rel.id, kinds, rel.description, status, outcome, item=target,  # type: ignore[arg-type]
                               source=rel.source, target=rel.destination)

        if src is None or dst is None:
            missing = r.source if src is None else r.destination
            entries.append(entry("kept", f"refers to {missing!r}, not an element of the workspace"))
        elif r.linked:
            entries.append(entry("kept", f"implied by relationship {r.linked!r}"))
        elif src.level.endswith("Instance") or dst.level.endswith("Instance"):
            entries.append(entry("kept", "between instances: the containers' own relationship counts"))
        elif src.level in _DEPLOYMENT and dst.level in _DEPLOYMENT:
            entries.append(entry("kept", "between deployment nodes: traffic, not what runs on what"))
        elif roles[src.id][0] != "mapped" or roles[dst.id][0] != "mapped":
            end = src if roles[src.id][0] != "mapped" else dst
            entries.append(entry("kept", f"{end.name!r} is not read: {roles[end.id][1]}"))
        elif src.id == dst.id:
            entries.append(entry("kept", "relates an element to itself"))
        elif src.id in journeys:
            if dst.id in journeys:
                entries.append(entry("kept", "between two customers: not a touchpoint"))
                continue
            name = f"{r.description} {dst.name}".strip()
            tp: dict[str, Any] = {"id": ids.make(name), "name": name, "depends_on": [item[dst.id]]}
            if r.technology:
                tp["channel"] = r.technology
            journeys[src.id]["touchpoints"].append(tp)
            entries.append(entry("mapped", "touchpoint", tp["id"]))
        elif dst.id in journeys:
            entries.append(entry("kept", "to a customer: not a dependency"))
        elif not link(src.id, dst.id):
            entries.append(entry("kept", "the same dependency again", item[src.id]))
        else:
            entries.append(entry("mapped", "dependency", item[src.id]))
    _structure(walked, by_id, roles, item, elements, link, parts, notes)
    return entries


def _structure(walked: Walked, by_id: Mapping[str, Node], roles: Mapping[str, tuple[str, str]],
               item: Mapping[str, str], elements: dict[str, dict[str, Any]], link: Any, parts: bool,
               notes: list[str]) -> None:
    counts: Counter[str] = Counter()
    instances: dict[str, list[Node]] = {}
    for n in walked.nodes:
        parent = by_id.get(n.parent or "")
        if roles[n.id][0] != "mapped" or parent is None:
            continue
        if parts and n.level in ("container", "component") and parent.id in elements and n.id in elements:
            counts["parts"] += link(parent.id, n.id)
        elif n.level in ("deploymentNode", "infrastructureNode") and parent.id in elements:
            counts["nodes"] += link(n.id, parent.id)
        elif n.level.endswith("Instance"):
            target = str(n.data.get("containerId") or n.data.get("softwareSystemId") or "")
            if target in elements and parent.id in elements:
                instances.setdefault(target, []).append(parent)
    for target, hosts in instances.items():
        distinct = list(dict.fromkeys(h.id for h in hosts))
        for host in distinct:
            counts["instances"] += link(target, host, "deployment" if len(distinct) > 1 else None)
    if counts["parts"]:
        notes.append(f"{counts['parts']} links from software systems to their containers and from containers to "
                     "their components (parts=False leaves them out)")
    if counts["nodes"] or counts["instances"]:
        notes.append(f"{counts['instances']} links from containers to the deployment nodes that run them, "
                     f"{counts['nodes']} from deployment nodes to the nodes they run in")
