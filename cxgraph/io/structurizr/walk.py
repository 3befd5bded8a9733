"""Walking a Structurizr workspace: every element with its level, parent and environment, and every relationship.

Examples
--------
>>> from cxgraph.io.structurizr.walk import walk
>>> ws = {"model": {"people": [{"id": "1", "name": "Customer", "relationships": [
...     {"id": "3", "sourceId": "1", "destinationId": "2", "description": "Uses"}]}],
...     "softwareSystems": [{"id": "2", "name": "Shop", "containers": [{"id": "4", "name": "DB"}]}]}}
>>> found = walk(ws, "ws.json")
>>> [(n.id, n.level, n.parent) for n in found.nodes], [r.id for r in found.relationships]
([('1', 'person', None), ('2', 'softwareSystem', None), ('4', 'container', '2')], ['3'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import FormatError

__all__ = ["Node", "Relationship", "Walked", "walk"]


@dataclass
class Node:
    """An element of the workspace: a person, software system, container, component, deployment node, ..."""

    id: str
    level: str
    name: str
    data: dict[str, Any]
    path: str
    parent: str | None = None
    environment: str | None = None

    @property
    def tags(self) -> list[str]:
        """Its tags, split."""
        return [t.strip() for t in str(self.data.get("tags") or "").split(",") if t.strip()]


@dataclass
class Relationship:
    """A relationship as written on its source element."""

    id: str
    source: str
    destination: str
    description: str
    technology: str
    linked: str | None
    path: str


@dataclass
class Walked:
    """Every element and relationship of a workspace, in file order, and the names of its views."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    views: list[str] = field(default_factory=list)


_CHILDREN = {  # level: (key of its children, their level)
    "softwareSystem": (("containers", "container"),),
    "container": (("components", "component"),),
    "deploymentNode": (("children", "deploymentNode"), ("infrastructureNodes", "infrastructureNode"),
                       ("softwareSystemInstances", "softwareSystemInstance"),
                       ("containerInstances", "containerInstance")),
}
_TOP = (("people", "person"), ("softwareSystems", "softwareSystem"), ("deploymentNodes", "deploymentNode"),
        ("customElements", "customElement"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _located(message: str, file: str, where: str) -> FormatError:
    from pathlib import Path

    from .._sources import json_position

    line, column = json_position(Path(file), where)
    return FormatError(message + (f" (column {column})" if column else ""), file=file, line=line)


def walk(workspace: Any, file: str) -> Walked:
    """Return every element and relationship of a parsed workspace; a malformed one is an error with its path."""
    if not isinstance(workspace, dict) or not isinstance(workspace.get("model"), dict):
        raise FormatError("not a Structurizr workspace: expected an object with a 'model'", file=file)
    out = Walked()

    def visit(items: Any, level: str, path: str, parent: str | None, env: str | None) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            raise _located(f"{path}: expected a list", file, path)
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            if not isinstance(item, dict) or not _text(item.get("id")):
                raise _located(f"{here}: expected an element with an 'id'", file, here)
            node_env = _text(item.get("environment")) or env
            name = _text(item.get("name")) or _text(item.get("id"))
            out.nodes.append(Node(_text(item["id"]), level, name, item, here, parent, node_env))
            for j, rel in enumerate(item.get("relationships") or []):
                where = f"{here}.relationships[{j}]"
                if not isinstance(rel, dict) or not _text(rel.get("destinationId")):
                    raise _located(f"{where}: expected a relationship with a 'destinationId'", file, where)
                out.relationships.append(Relationship(
                    _text(rel.get("id")) or where, _text(rel.get("sourceId")) or _text(item["id"]),
                    _text(rel["destinationId"]), _text(rel.get("description")), _text(rel.get("technology")),
                    _text(rel.get("linkedRelationshipId")) or None, where))
            for key, child_level in _CHILDREN.get(level, ()):
                visit(item.get(key), child_level, f"{here}.{key}", _text(item["id"]), node_env)

    model = workspace["model"]
    for key, level in _TOP:
        visit(model.get(key), level, f"model.{key}", None, None)
    views = workspace.get("views") if isinstance(workspace.get("views"), dict) else {}
    for key, listed in views.items():
        if key.endswith("Views") and isinstance(listed, list):
            out.views += [_text(v.get("key") or v.get("title") or key) for v in listed if isinstance(v, dict)]
    return out
