r"""Reading Backstage catalog files: multi-document YAML, folders, and ``Location`` entities followed.

A path may be one catalog file, or a folder: its ``catalog-info.yaml`` (``.yml``) if there is one,
else every ``.yaml`` and ``.yml`` file in it and below. A ``Location``'s ``target`` and ``targets``
are read too, relative to the file that names them (``*`` patterns allowed); targets on the web
are listed, never fetched. Each file is read once. YAML is read as plain text (``true`` stays
"true"), never executed, and every value keeps its line for messages.

Examples
--------
>>> import tempfile, pathlib
>>> from cxgraph.io.backstage.files import read_catalog
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "catalog-info.yaml").write_text(
...     "kind: Location\nmetadata: {name: all}\nspec: {targets: [./team.yaml]}\n")
>>> _ = (folder / "team.yaml").write_text("kind: Group\nmetadata: {name: team-a}\n---\n"
...                                       "kind: User\nmetadata: {name: ann}\n")
>>> catalog = read_catalog(folder)
>>> [(e.kind, e.name, e.line) for e in catalog.entities]
[('Location', 'all', 1), ('Group', 'team-a', 1), ('User', 'ann', 4)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import ModelError, Problem
from .._sources import read_text
from ..yamljson import _ComposeLoader, _Reader, _yaml_error

__all__ = ["Catalog", "Entity", "read_catalog"]


@dataclass
class Entity:
    """One catalog entity as read: its kind, namespace and name, its content, and where it is."""

    kind: str
    namespace: str
    name: str
    data: dict[str, Any]
    file: str
    line: int
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The entity reference, ``kind:namespace/name`` in lower case."""
        return f"{self.kind.lower()}:{self.namespace.lower()}/{self.name.lower()}"

    def at(self, *path: str | int) -> int:
        """Return the line of a value within the entity (the entity's line where unknown)."""
        return self.positions.get(tuple(path), (self.line, 0))[0]

    @property
    def spec(self) -> dict[str, Any]:
        """The entity's ``spec`` (empty where it has none)."""
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}


@dataclass
class Catalog:
    """What was read: the entities in reading order, the files, and notes (targets not read)."""

    entities: list[Entity] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _documents(path: Path, problems: list[Problem]) -> list[tuple[Any, dict[Any, tuple[int, int]], int]]:
    text = read_text(path)
    loader = _ComposeLoader(text)
    out = []
    try:
        while loader.check_node():
            node = loader.get_node()
            reader = _Reader()
            data = reader.read(node, ())
            for where, message, line, col in reader.problems:
                problems.append(Problem(".".join(map(str, where)), message, file=str(path), line=line, column=col))
            out.append((data, reader.positions, node.start_mark.line + 1))
    except yaml.YAMLError as err:
        problems.append(_yaml_error(err, str(path)))
    finally:
        loader.dispose()
    return out


def _entities(path: Path, problems: list[Problem]) -> list[Entity]:
    out = []
    for data, positions, line in _documents(path, problems):
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem("", "expected an entity (apiVersion, kind, metadata, spec)", file=str(path),
                                    line=line, column=1))
            continue
        metadata = data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        kind = data.get("kind")
        if not isinstance(kind, str) or not kind.strip():
            problems.append(Problem("kind", "missing kind (Component, API, Resource, System, Domain, Group, ...)",
                                    file=str(path), line=line, column=1))
            continue
        if not isinstance(name, str) or not name.strip():
            where = ("metadata",) if isinstance(metadata, dict) else ()
            problems.append(Problem("metadata.name", f"the {kind} has no metadata.name", file=str(path),
                                    line=positions.get(where, (line, 1))[0], column=positions.get(where, (0, 1))[1]))
            continue
        namespace = metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else "default"
        out.append(Entity(kind.strip(), namespace.strip() or "default", name.strip(), data, str(path),
                          positions.get(("kind",), (line, 1))[0], positions))
    return out


def _start(path: Path) -> list[Path]:
    if path.is_dir():
        for name in ("catalog-info.yaml", "catalog-info.yml"):
            if (path / name).is_file():
                return [path / name]
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    return [path]


def _targets(location: Entity) -> list[tuple[str, int]]:
    spec = location.spec
    found = []
    if isinstance(spec.get("target"), str):
        found.append((spec["target"], location.at("spec", "target")))
    if isinstance(spec.get("targets"), list):
        found += [(t, location.at("spec", "targets", i)) for i, t in enumerate(spec["targets"]) if isinstance(t, str)]
    return found


def read_catalog(path: str | Path) -> Catalog:
    """Read every entity from a catalog file or folder, following ``Location`` targets.

    Raises :class:`~cxgraph.ModelError` listing every malformed document, with file and line.
    """
    catalog = Catalog()
    problems: list[Problem] = []
    queue = _start(Path(path))
    seen: set[Path] = set()
    while queue:
        file = queue.pop(0)
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        catalog.files.append(str(file))
        entities = _entities(file, problems)
        catalog.entities.extend(entities)
        for location in (e for e in entities if e.kind.lower() == "location"):
            for target, line in _targets(location):
                if "://" in target or location.spec.get("type") not in (None, "file"):
                    catalog.notes.append(f"{file}:{line}: location target {target!r} is not a local file: not read")
                    continue
                matches = sorted(file.parent.glob(target)) if any(c in target for c in "*?[") else (
                    [file.parent / target] if (file.parent / target).is_file() else [])
                if not matches:
                    catalog.notes.append(f"{file}:{line}: location target {target!r} not found: not read")
                queue.extend(m for m in matches if m.is_file())
    if problems:
        raise ModelError(problems)
    return catalog
