"""Journeys meet the estate: :func:`merge` a hand-made journeys model with an imported IT estate.

The journeys model names the IT behind its touchpoints; the estate (from a CMDB, a Backstage
catalog, a Structurizr workspace, traces or any model) defines it. ``match`` says how a name in
the journeys model finds its element in the estate:

- ``"name"``: the element's name, ignoring case and repeated spaces (an estate id works too);
- ``"id"``: the element's id;
- ``"property:KEY"``: the estate element whose property ``KEY`` has that value (an estate id
  works too), e.g. ``property:servicenow:sys_id`` or ``property:backstage:ref``.

An element the journeys model defines and the estate also has becomes the estate's element,
its links and properties added; where both give a field (kind, owner, description, ...)
different values, that is a conflict: an error, unless ``prefer`` says which side wins (the
result lists every conflict either way). A dependency on an element the journeys model does
not define is looked up in the estate; one found nowhere is an error naming the closest
candidates. Elements the journeys model defines that the estate does not have are kept, and
listed with candidates.

Examples
--------
>>> journeys = {"cxgraph": 1, "name": "Bank", "journeys": [{"id": "pay", "name": "Pay", "customers": 500,
...     "touchpoints": [{"id": "pay-app", "name": "Pay in the app", "depends_on": ["Mobile Banking"]}]}]}
>>> estate = cx.Model(name="CMDB")
>>> _ = estate.add_element("mobile-banking", "Mobile banking", kind="service", depends_on=["core"])
>>> _ = estate.add_element("core", "Core banking", kind="system")
>>> merged = cx.merge(journeys, estate, match="name")
>>> merged.model.journeys[0].touchpoints[0].depends_on[0].element
'mobile-banking'
>>> merged.matched
(('journeys[0].touchpoints[0].depends_on[0]', 'Mobile Banking', 'mobile-banking'),)
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ModelError, Problem, closest
from .model import Model

__all__ = ["MergeResult", "merge"]

Side = Literal["journeys", "estate"]
_SKIP = {"id", "depends_on", "tags", "properties"}


@dataclass(frozen=True)
class MergeResult:
    """The merged model, and how every reference and element of the journeys model was resolved.

    Parameters
    ----------
    model
        The merged model: the journeys, the estate's elements and capabilities, and the
        journeys model's own elements the estate does not have.
    matched
        ``(where, reference, estate id)`` for every reference and element matched in the estate.
    unmatched
        ``(where, reference, candidates)`` for every element of the journeys model not found in
        the estate (kept as the journeys model defines it).
    conflicts
        ``(estate id, field, journeys value, estate value, kept)``: fields both sides set differently.
    notes
        What else the reader should know.

    Examples
    --------
    >>> r = cx.merge(cx.Model(name="J"), cx.Model(name="E"))
    >>> r.model.name, r.matched, r.conflicts
    ('J', (), ())
    """

    model: Model
    matched: tuple[tuple[str, str, str], ...] = ()
    unmatched: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    conflicts: tuple[tuple[str, str, Any, Any, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """Return the counts, then every unmatched element and conflict, one a line.

        Examples
        --------
        >>> print(cx.merge(cx.Model(name="J"), cx.Model(name="E")).summary())
        merged J: 0 references matched in the estate, 0 unmatched, 0 conflicts
        """
        lines = [f"merged {self.model.name}: {len(self.matched)} references matched in the estate, "
                 f"{len(self.unmatched)} unmatched, {len(self.conflicts)} conflicts"]
        for where, ref, candidates in self.unmatched:
            hint = f" (closest: {', '.join(candidates)})" if candidates else ""
            lines.append(f"  unmatched: {where}: {ref!r} is not in the estate, kept as defined{hint}")
        for eid, key, jv, ev, kept in self.conflicts:
            side = "journeys model's" if kept == "journeys" else "estate's"
            lines.append(f"  conflict: {eid}.{key}: journeys model {jv!r}, estate {ev!r}: kept the {side}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    __str__ = summary

    def to_dict(self) -> dict[str, Any]:
        """Return the resolution as plain data (for JSON), without the model.

        Examples
        --------
        >>> sorted(cx.merge(cx.Model(name="J"), cx.Model(name="E")).to_dict())
        ['conflicts', 'matched', 'notes', 'unmatched']
        """
        return {
            "matched": [{"where": w, "reference": r, "id": i} for w, r, i in self.matched],
            "unmatched": [{"where": w, "reference": r, "candidates": list(c)} for w, r, c in self.unmatched],
            "conflicts": [{"id": i, "field": k, "journeys": j, "estate": e, "kept": s}
                          for i, k, j, e, s in self.conflicts],
            "notes": list(self.notes),
        }


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


class _Index:
    """The estate's elements, found by the chosen key (and by id)."""

    def __init__(self, estate: dict[str, Any], match: str) -> None:
        self.elements = {e["id"]: e for e in estate.get("elements", [])}
        if match == "id":
            self.key: Callable[[dict[str, Any]], str | None] = lambda e: e["id"]
        elif match == "name":
            self.key = lambda e: _norm(e.get("name", ""))
        elif match.startswith("property:") and len(match) > len("property:"):
            prop = match.removeprefix("property:")
            self.key = lambda e: None if (e.get("properties") or {}).get(prop) is None else str(e["properties"][prop])
        else:
            raise ValueError(f"match must be 'id', 'name' or 'property:KEY', got {match!r}")
        self.match = match
        self.by_key: dict[str, list[str]] = {}
        for e in self.elements.values():
            k = self.key(e)
            if k is not None:
                self.by_key.setdefault(k, []).append(e["id"])

    def find(self, value: Any, *, by_id: bool = True) -> list[str]:
        text = str(value)
        found = self.by_key.get(_norm(text) if self.match == "name" else text, [])
        if not found and by_id and text in self.elements:
            return [text]
        return found

    def candidates(self, value: Any) -> tuple[str, ...]:
        names = {_norm(e.get("name", "")): e["id"] for e in self.elements.values()}
        near = closest(_norm(value), list(names)) + closest(str(value), list(self.elements))
        return tuple(dict.fromkeys(names.get(n, n) for n in near))[:3]


def _document(source: Model | Mapping[str, Any] | str | os.PathLike[str], what: str
              ) -> tuple[dict[str, Any], dict[Any, tuple[int, int]], str]:
    if isinstance(source, Model):
        return source.to_dict(), {}, f"<{what}>"
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source)), {}, f"<{what}>"
    path = Path(source)
    from .io import load, read_document
    from .io._sources import detect_source

    if path.suffix.lower() in (".yaml", ".yml", ".json") and not detect_source(path):
        text = path.read_text(encoding="utf-8")
        data, positions, problems = read_document(text, format="json" if path.suffix.lower() == ".json" else "yaml",
                                                  file=str(path))
        if problems or not isinstance(data, dict):
            raise ModelError(problems or [Problem("", "expected a model (a mapping with cxgraph: 1)", file=str(path))])
        return data, positions, str(path)
    return load(path).to_dict(), {}, str(path)


class _Merger:
    def __init__(self, jdoc: dict[str, Any], positions: Mapping[Any, tuple[int, int]], file: str, index: _Index,
                 prefer: Side | None) -> None:
        self.jdoc, self.positions, self.file, self.index, self.prefer = jdoc, positions, file, index, prefer
        self.problems: list[Problem] = []
        self.matched: list[tuple[str, str, str]] = []
        self.unmatched: list[tuple[str, str, tuple[str, ...]]] = []
        self.conflicts: list[tuple[str, str, Any, Any, str]] = []
        self.rename: dict[str, str] = {}
        self.local: set[str] = set()

    def problem(self, path: tuple[str | int, ...], message: str) -> None:
        from .model import format_path

        line, col = self.positions.get(path, (None, None))
        self.problems.append(Problem(format_path(path), message, file=self.file, line=line, column=col))

    def conflict(self, path: tuple[str | int, ...], eid: str, key: str, jv: Any, ev: Any) -> bool:
        """Record a conflict; return whether the journeys model's value wins."""
        if self.prefer is None:
            self.problem(path, f"{key} is {jv!r} here but {ev!r} in the estate's {eid!r}: fix one side, or "
                               "say which side wins (prefer='journeys' or 'estate', --prefer)")
        self.conflicts.append((eid, key, jv, ev, self.prefer or "estate"))
        return self.prefer == "journeys"

    def resolve(self, path: tuple[str | int, ...], ref: Any) -> Any:
        """Return the id a reference resolves to (a journeys-model id, renamed where matched, or the estate's)."""
        if not isinstance(ref, str):
            return ref
        if ref in self.local:
            return self.rename.get(ref, ref)
        found = self.index.find(ref)
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        if len(found) == 1:
            self.matched.append((where, ref, found[0]))
            return found[0]
        if found:
            self.problem(path, f"{ref!r} matches {len(found)} estate elements ({', '.join(found[:5])}): "
                               "write the id, or match by another key")
        else:
            near = self.index.candidates(ref)
            hint = f"; closest in the estate: {', '.join(near)}" if near else ""
            self.problem(path, f"{ref!r} is neither in this model nor in the estate (matched by "
                               f"{self.index.match}){hint}")
        return ref

    def references(self) -> None:
        doc = self.jdoc
        for j, journey in enumerate(_items(doc, "journeys")):
            for t, tp in enumerate(_items(journey, "touchpoints")):
                self.links(("journeys", j, "touchpoints", t), tp)
        for e, element in enumerate(_items(doc, "elements")):
            self.links(("elements", e), element)
            if isinstance(element.get("owner"), str):
                element["owner"] = self.resolve(("elements", e, "owner"), element["owner"])
        for c, cap in enumerate(_items(doc, "capabilities")):
            if isinstance(cap.get("realized_by"), list):
                cap["realized_by"] = [self.resolve(("capabilities", c, "realized_by", r), x)
                                      for r, x in enumerate(cap["realized_by"])]
        for m, metric in enumerate(_items(doc, "metrics")):
            if isinstance(metric.get("of"), str):
                metric["of"] = self.resolve(("metrics", m, "of"), metric["of"])

    def links(self, path: tuple[str | int, ...], item: dict[str, Any]) -> None:
        deps = item.get("depends_on")
        if not isinstance(deps, list):
            return
        for d, dep in enumerate(deps):
            if isinstance(dep, dict) and isinstance(dep.get("element"), str):
                dep["element"] = self.resolve((*path, "depends_on", d, "element"), dep["element"])
            elif isinstance(dep, str):
                deps[d] = self.resolve((*path, "depends_on", d), dep)

    def combine(self, i: int, jel: dict[str, Any], est: dict[str, Any], match: str) -> dict[str, Any]:
        """Return the estate element with what the journeys model adds to it (conflicts recorded)."""
        out = copy.deepcopy(est)
        eid = out["id"]
        for key, jv in jel.items():
            if key in _SKIP or (key == "name" and match == "name"):
                continue
            ev = out.get(key)
            if ev is None or ev == jv or self.conflict(("elements", i, key), eid, key, jv, ev):
                out[key] = jv
        out["tags"] = list(dict.fromkeys([*(out.get("tags") or []), *(jel.get("tags") or [])])) or None
        props = dict(out.get("properties") or {})
        for key, jv in (jel.get("properties") or {}).items():
            if key not in props or props[key] == jv or self.conflict(("elements", i, "properties", key), eid,
                                                                      f"properties.{key}", jv, props[key]):
                props[key] = jv
        out["properties"] = props or None
        links = {_target(d): d for d in out.get("depends_on") or []}
        for d, dep in enumerate(jel.get("depends_on") or []):
            target = _target(dep)
            if target not in links or (_shape(links[target]) != _shape(dep) and self.conflict(
                    ("elements", i, "depends_on", d), eid, f"depends_on.{target}", dep, links[target])):
                links[target] = dep
        out["depends_on"] = list(links.values()) or None
        return {k: v for k, v in out.items() if v is not None}


def _items(doc: Any, key: str) -> list[dict[str, Any]]:
    value = doc.get(key) if isinstance(doc, dict) else None
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _target(dep: Any) -> str:
    return dep if isinstance(dep, str) else str(dep.get("element"))


def _shape(dep: Any) -> tuple[Any, Any]:
    return (1, None) if isinstance(dep, str) else (dep.get("strength", 1), dep.get("group"))


def _local_ids(doc: dict[str, Any]) -> set[str]:
    ids = {x.get("id") for key in ("elements", "journeys", "capabilities", "metrics", "initiatives")
           for x in _items(doc, key)}
    for journey in _items(doc, "journeys"):
        ids |= {x.get("id") for key in ("touchpoints", "stages") for x in _items(journey, key)}
    return {i for i in ids if isinstance(i, str)}


def _clashes(edoc: dict[str, Any], m: _Merger, into: dict[str, int]) -> dict[str, str]:
    """Give estate elements whose id the journeys model uses for another item a new id; return the renames."""
    ids = {e.get("id") for e in _items(edoc, "elements")}
    renamed: dict[str, str] = {}
    for eid in sorted(i for i in ids if isinstance(i, str) and i in m.local and m.rename.get(i) != i):
        n = 2
        while f"{eid}-{n}" in m.local or f"{eid}-{n}" in ids:
            n += 1
        renamed[eid] = f"{eid}-{n}"
    if not renamed:
        return renamed

    def ref(value: Any) -> Any:
        return renamed.get(value, value) if isinstance(value, str) else value

    for e in _items(edoc, "elements"):
        e["id"], e["owner"] = ref(e.get("id")), ref(e.get("owner"))
        if e["owner"] is None:
            del e["owner"]
        e["depends_on"] = [ref(d) if isinstance(d, str) else {**d, "element": ref(d.get("element"))}
                           for d in e.get("depends_on") or []]
    for c in _items(edoc, "capabilities"):
        c["realized_by"] = [ref(x) for x in c.get("realized_by") or []]
    for key in [k for k in into if k in renamed]:
        into[renamed[key]] = into.pop(key)
    m.rename = {j: ref(e) for j, e in m.rename.items()}
    m.matched = [(w, r, ref(e)) for w, r, e in m.matched]
    return renamed


def merge(journeys: Model | Mapping[str, Any] | str | os.PathLike[str],
          estate: Model | Mapping[str, Any] | str | os.PathLike[str], *, match: str = "name",
          prefer: Side | None = None) -> MergeResult:
    """Merge a journeys model with an estate model: references resolve to the estate's elements.

    Parameters
    ----------
    journeys
        The journeys model: a :class:`Model`, a model document (plain dicts), or a YAML or JSON
        file whose dependencies may name elements only the estate defines.
    estate
        The estate: a :class:`Model`, a document, or any file ``cx.load`` reads (a CMDB export,
        a Backstage catalog, a Structurizr workspace, dependency links, a model file).
    match
        How the journeys model's names find the estate's elements: ``"name"`` (case and
        repeated spaces ignored), ``"id"``, or ``"property:KEY"``. An estate id always works.
    prefer
        Which side wins where both define a field differently: ``None`` (an error, naming each
        conflict), ``"journeys"`` or ``"estate"``. Conflicts are listed in the result either way.

    Returns
    -------
    MergeResult
        The merged model, what matched, what did not (with candidates) and the conflicts.

    Raises
    ------
    ModelError
        References found nowhere (with the closest candidates), ambiguous matches, conflicts
        without ``prefer``, each located in the journeys file; and anything else that makes
        the merged model invalid.

    Examples
    --------
    >>> journeys = {"cxgraph": 1, "name": "J", "elements": [{"id": "crm", "name": "CRM", "kind": "service"}]}
    >>> estate = {"cxgraph": 1, "name": "E", "elements": [{"id": "crm-01", "name": "crm", "kind": "system"}]}
    >>> cx.merge(journeys, estate)
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      <journeys>: elements[0].kind: kind is 'service' here but 'system' in the estate's 'crm-01': ...
    >>> print(cx.merge(journeys, estate, prefer="estate").summary())
    merged J: 1 references matched in the estate, 0 unmatched, 1 conflicts
      conflict: crm-01.kind: journeys model 'service', estate 'system': kept the estate's
    """
    if prefer not in (None, "journeys", "estate"):
        raise ValueError(f"prefer must be None, 'journeys' or 'estate', got {prefer!r}")
    jdoc, positions, jfile = _document(journeys, "journeys")
    edoc, _, _ = _document(estate, "estate")
    index = _Index(edoc, match)
    m = _Merger(jdoc, positions, jfile, index, prefer)
    m.local = _local_ids(jdoc)
    jelements = _items(jdoc, "elements")
    into: dict[str, int] = {}
    for i, el in enumerate(jelements):
        key = el.get("id") if match == "id" else el.get("name") if match == "name" else (
            (el.get("properties") or {}).get(match.removeprefix("property:")))
        found = index.find(key, by_id=False) if key is not None else []
        if len(found) > 1:
            m.problem(("elements", i), f"{key!r} matches {len(found)} estate elements ({', '.join(found[:5])}): "
                                       "match by another key")
        elif not found:
            m.unmatched.append((f"elements[{i}]", str(el.get("id")), index.candidates(key or el.get("id", ""))))
        elif found[0] in into:
            m.problem(("elements", i), f"matches the estate's {found[0]!r}, as elements[{into[found[0]]}] does")
        else:
            into[found[0]] = i
            m.rename[el["id"]] = found[0]
            m.matched.append((f"elements[{i}]", str(key), found[0]))
    renamed = _clashes(edoc, m, into)
    if renamed:
        index = m.index = _Index(edoc, match)
    m.references()
    elements = [m.combine(i, el, index.elements[m.rename[el["id"]]], match) if el.get("id") in m.rename else el
                for i, el in enumerate(jelements)]
    elements += [e for eid, e in index.elements.items() if eid not in into]
    doc = {**jdoc, "elements": elements}
    for key in ("journeys", "capabilities", "metrics", "initiatives"):
        mine = _items(jdoc, key)
        ids = {x.get("id"): x for x in mine}
        extra = []
        for x in _items(edoc, key):
            if x.get("id") not in ids:
                extra.append(x)
            elif ids[x.get("id")] != x:
                m.problem((key, mine.index(ids[x.get("id")])), f"the estate defines another {key[:-1]} "
                                                                f"{x.get('id')!r}: rename one")
        if mine or extra:
            doc[key] = mine + extra
    hard = [p for p in m.problems if " here but " not in p.message]
    if hard or (m.problems and prefer is None):
        raise ModelError(m.problems)
    from .io.validate import model_from_document

    model = model_from_document(doc, file=jfile, positions=dict(positions))
    added = len(index.elements) - len(into)
    renames = tuple(f"the estate's {old!r} is now {new!r}: the journeys model uses the id {old!r} for another item"
                    for old, new in renamed.items())
    notes = renames + ((f"{added} estate element{'s' if added != 1 else ''} added",) if added else ())
    return MergeResult(model, tuple(m.matched), tuple(m.unmatched), tuple(m.conflicts), notes)
