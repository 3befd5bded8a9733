"""Turning a cxgraph model (and optionally analysis results) into ArchiMate concepts for the writers.

Each item becomes an element of the type it was read with (``properties["archimate:type"]``)
or of its kind's default type (:data:`~cxgraph.io.archimate.concepts.DEFAULT_TYPE`), with the
identifier it was read with (``properties["archimate:id"]``) or its id. What ArchiMate
cannot say is written as ``cxgraph:`` properties (see :mod:`cxgraph.io.archimate.props`),
so reading the file back gives an equal model.

Dependencies are written as valid ArchiMate relationships: *Serving* from what is depended
on to the dependent, *Access* from the dependent to passive data, and otherwise an
*Association* marked ``cxgraph:link = dependency``. Owners are *Assignments* where ArchiMate
allows them (a business actor, role or collaboration assigned to business behaviour) and
marked associations otherwise; a capability's elements *realise* it; a capability is
*composed* into its parent; consecutive touchpoints *trigger* each other.

Analysis results become ``cxgraph:`` properties, declared as numbers (see
:mod:`cxgraph.io.archimate.results`). An item's own properties keep their types: a key whose
values are all numbers (or all booleans) gets a property definition of that type, and
``cxgraph:types`` lists every value that is not text, for the files that have no types (see
:func:`~cxgraph.io.archimate.props.apply_types`).

Examples
--------
>>> from cxgraph.io.archimate.unmap import from_model
>>> m = cx.Model(name="Shop")
>>> _ = m.add_element("pay", "Payments", kind="system", depends_on=["db"])
>>> _ = m.add_element("db", "Database", kind="data")
>>> archi = from_model(m, result={"impact": {"pay": 120.0, "db": 120.0}})
>>> [(c.type, c.source, c.target) for c in archi.relationships]
[('Access', 'pay', 'db')]
>>> archi.elements[0].properties
[('cxgraph:impact', '120.0'), ('cxgraph:types', '{"cxgraph:impact": "number"}')]
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import FormatError
from ...model import Model
from .concepts import (
    ACTIVE_BEHAVIOUR,
    DEFAULT_TYPE,
    KIND_OF_TYPE,
    PASSIVE,
    ArchiModel,
    Concept,
    as_item_id,
    default_identifier,
    is_ncname,
)
from .props import PREFIX, RESERVED
from .results import Results, result_properties

__all__ = ["from_model", "identifiers"]

_TEAM_TYPES = frozenset({"BusinessActor", "BusinessRole", "BusinessCollaboration"})
_OWNED_TYPES = frozenset({"BusinessProcess", "BusinessFunction", "BusinessInteraction", "BusinessEvent",
                          "BusinessService", "BusinessInterface"})
_ELEMENT_TYPES = frozenset(KIND_OF_TYPE) | frozenset({
    "Product", "Material", "Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement",
    "Constraint", "Meaning", "Value", "Resource", "CourseOfAction", "ValueStream", "WorkPackage", "Deliverable",
    "ImplementationEvent", "Plateau", "Gap", "Grouping", "Location"}) - {"AndJunction", "OrJunction"}
_RELIABILITY = ("availability", "failures_per_year", "recovery_hours")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _written_keys(keys: Sequence[str]) -> list[str]:
    """Return the key to write for each property key, in order.

    ``K#2`` (the second ``K`` of a file read) is written ``K`` again where reading the file back
    names it ``K#2`` once more (:func:`~cxgraph.io.archimate.props.user_properties`); every other
    key is written as it is, so every key reads back as itself.
    """
    seen: set[str] = set()
    out: list[str] = []
    for key in keys:
        match = re.fullmatch(r"(.*)#([0-9]+)", key, flags=re.DOTALL)
        out.append(match.group(1) if match and _read_name(match.group(1), seen) == key else key)
        seen.add(key)
    return out


def _refuse_reserved(props: Mapping[str, Any], where: str) -> None:
    """Refuse a property that reading the file back would take as one of cxgraph's instructions."""
    for key in props:
        if key.startswith(PREFIX) and key.removeprefix(PREFIX) in RESERVED:
            raise FormatError(f"{where}: property {key!r} is reserved for cxgraph's own use")


def _read_name(key: str, seen: set[str]) -> str:
    name, n = key, 1
    while name in seen:
        n += 1
        name = f"{key}#{n}"
    return name


class _Writer:
    def __init__(self, model: Model, results: dict[str, dict[str, float]], xml: bool) -> None:
        self.model, self.xml = model, xml
        self.doc = model.to_dict()
        self.results = results
        self.out = ArchiModel(name=model.name, documentation=model.description, format="ArchiMate exchange 3.1")
        self.ident: dict[str, str] = {}
        self.type: dict[str, str] = {}
        self.used: set[str] = set()
        self.kinds: dict[str, set[str]] = {}
        self.untyped: list[tuple[list[tuple[str, str]], dict[str, str]]] = []  # see types()

    def identifier(self, item: dict[str, Any]) -> str:
        wanted = str(item.get("properties", {}).get("archimate:id") or default_identifier(item["id"]))
        if self.xml and not is_ncname(wanted):  # as Archi does: "650" is written "id-650"
            wanted = default_identifier(re.sub(r"[^\w.\-]", "_", wanted))
        if wanted in self.used:
            raise FormatError(f"item {item['id']!r}: identifier {wanted!r} is used twice")
        self.used.add(wanted)
        return wanted

    def assign_identifiers(self) -> dict[str, str]:
        for item in self.model.items():
            self.ident[item.id] = self.identifier(item.model_dump(include={"id", "properties"}))
        return self.ident

    def fresh(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.used:
            n += 1
            name = f"{wanted}-{n}"
        self.used.add(name)
        return name

    def prop(self, props: list[tuple[str, str]], key: str, value: Any) -> None:
        if value is None:
            return
        props.append((key, _text(value)))
        self.kinds.setdefault(key, set()).add(_kind_of(value))

    def user_props(self, props: list[tuple[str, str]], user: Mapping[str, Any]) -> None:
        """Write an item's own properties; a null value as empty text (its type goes in ``cxgraph:types``)."""
        keys = list(user)
        typed: dict[str, str] = {}  # by the name each property reads back as: its key
        for key, written in zip(keys, _written_keys(keys), strict=True):
            value = user[key]
            if value is None:
                props.append((written, ""))
                typed[key] = "null"
                continue
            self.prop(props, written, value)
            if _kind_of(value) != "string":
                typed[key] = _kind_of(value)
        self.untyped.append((props, typed))

    def empty(self, props: list[tuple[str, str]], item: Mapping[str, Any], fields: tuple[str, ...]) -> None:
        """Say which of an item's fields are empty text: the files cannot tell an empty name or text from none."""
        self.prop(props, PREFIX + "empty", [f for f in fields if item.get(f) == ""] or None)

    def types(self) -> None:
        """Add ``cxgraph:types``, listing every property value that is not text.

        Archi CSV and Archi's own files have no types, and Archi drops the exchange format's
        typed property definitions on import: the list makes the values read back with their
        types from any of them. Exchange files type each key by its definition too, for other tools.
        """
        for props, typed in self.untyped:
            self.prop(props, PREFIX + "types", typed or None)

    def element(self, item: dict[str, Any], role: str, extra: dict[str, Any]) -> Concept:
        user = dict(item.get("properties", {}))
        identifier = self.ident[item["id"]]
        type_name = str(user.pop("archimate:type", None) or DEFAULT_TYPE[role])
        if user.get("archimate:id") == identifier:  # else the identifier could not hold it: keep it as a property
            user.pop("archimate:id")
        if type_name not in _ELEMENT_TYPES:
            raise FormatError(f"item {item['id']!r}: archimate:type {type_name!r} is not an ArchiMate element type")
        _refuse_reserved(user, f"item {item['id']!r}")
        props: list[tuple[str, str]] = []
        if as_item_id(identifier) != item["id"]:
            self.prop(props, PREFIX + "id", item["id"])
        if KIND_OF_TYPE.get(type_name) != role:
            self.prop(props, PREFIX + "kind", role)
        for key, value in extra.items():
            self.prop(props, PREFIX + key, value)
        if item.get("tags"):
            self.prop(props, PREFIX + "tags", item["tags"])
        self.empty(props, item, ("description",))
        self.user_props(props, user)
        names = set(user)  # what the item's properties read back as: results are typed under their names too
        for key, values in self.results.items():
            value = values.get(item["id"])
            if isinstance(value, int | float) and math.isfinite(value):
                self.prop(props, key, value)
                names.add(name := _read_name(key, names))
                self.untyped[-1][1][name] = _kind_of(value)
        self.type[item["id"]] = type_name
        concept = Concept(identifier, type_name, item.get("name", ""), item.get("description"), props)
        self.out.elements.append(concept)
        return concept

    def relationship(self, kind: str, source: str, target: str, verb: str, props: list[tuple[str, str]]) -> None:
        s, t = self.ident[source], self.ident[target]
        self.out.relationships.append(Concept(self.fresh(f"{s}-{verb}-{t}"), kind, "", None, props, s, t))

    def dependency(self, dependent: str, dep: str | dict[str, Any]) -> None:
        link = {"element": dep} if isinstance(dep, str) else dep
        provider = link["element"]
        props: list[tuple[str, str]] = []
        tu, tv = self.type[dependent], self.type[provider]
        if tv in PASSIVE and tu in ACTIVE_BEHAVIOUR:
            kind, source, target, verb = "Access", dependent, provider, "accesses"
        elif tu in ACTIVE_BEHAVIOUR and tv in ACTIVE_BEHAVIOUR:
            kind, source, target, verb = "Serving", provider, dependent, "serves"
        else:
            kind, source, target, verb = "Association", provider, dependent, "supports"
            self.prop(props, PREFIX + "link", "dependency")
        self.prop(props, PREFIX + "strength", link.get("strength"))
        self.prop(props, PREFIX + "group", link.get("group"))
        self.relationship(kind, source, target, verb, props)

    def run(self) -> ArchiModel:
        doc, out = self.doc, self.out
        props = dict(doc.get("properties", {}))
        _refuse_reserved(props, "the model")
        model_id = str(props.get("archimate:id") or "cxgraph-model")
        out.id = default_identifier(re.sub(r"[^\w.\-]", "_", model_id)) if self.xml else model_id
        if out.id == model_id:  # else the identifier could not hold it: keep it as a property
            props.pop("archimate:id", None)
        self.used.add(out.id)
        if doc.get("period", "month") != "month":
            self.prop(out.properties, PREFIX + "period", doc["period"])
        if not doc.get("journeys"):  # so that reading the file back derives none (journeys="auto")
            self.prop(out.properties, PREFIX + "auto-journeys", "off")
        if doc.get("tags"):
            self.prop(out.properties, PREFIX + "tags", doc["tags"])
        self.prop(out.properties, PREFIX + "currency", doc.get("currency"))
        self.empty(out.properties, {"name": self.model.name, **doc}, ("name", "description"))
        self.user_props(out.properties, props)
        journeys = doc.get("journeys", [])
        self.assign_identifiers()
        for j in journeys:
            self.element(j, "journey", {"customers": j["customers"], "segment": j.get("segment"),
                                        "revenue": j.get("revenue"), "importance": j.get("importance"),
                                        "tolerance": j.get("tolerance")})
            for stage in j.get("stages", []):
                self.element(stage, "stage", {"journey": self.ident[j["id"]]})
        for j in journeys:
            for tp in j.get("touchpoints", []):
                self.element(tp, "touchpoint", {
                    "journey": self.ident[j["id"]], "stage": self.ident.get(tp.get("stage", "")),
                    "channel": tp.get("channel"), "reach": tp.get("reach"), "importance": tp.get("importance"),
                    "needs": tp.get("needs"), "required": tp.get("required")})
        for e in doc.get("elements", []):
            self.element(e, e["kind"], {"needs": e.get("needs"), **{k: e.get(k) for k in _RELIABILITY}})
        for c in doc.get("capabilities", []):
            self.element(c, "capability", {"effort": c.get("effort")})
        for m in doc.get("metrics", []):
            self.element(m, "metric", {"of": self.ident.get(m["of"], m["of"]), "actual": m["actual"],
                                       "target": m["target"], "better": m.get("better"), "unit": m.get("unit"),
                                       "ideal": m.get("ideal")})
        for i in doc.get("initiatives", []):
            improves = [{**imp, "metric": self.ident.get(imp["metric"], imp["metric"])}
                        for imp in i.get("improves", [])]
            requires = [self.ident.get(r, r) for r in i.get("requires", [])]
            self.element(i, "initiative", {"cost": i["cost"], "improves": improves or None,
                                           "requires": requires or None, **self.changes(i)})
        scenarios = [self.scenario(s) for s in doc.get("scenarios", [])]
        self.prop(out.properties, PREFIX + "scenarios", scenarios or None)
        self.links(journeys)
        unknown = sorted({i for values in self.results.values() for i in values} - set(self.ident))
        if unknown:
            raise FormatError(f"the results name ids the model does not have: {', '.join(unknown[:5])}")
        out.property_types = {k: (v.pop() if len(v) == 1 else "string") for k, v in self.kinds.items()}
        self.types()
        return out

    def ref(self, item_id: str) -> str:
        """Return the identifier an item id is written as (an id the model lacks, as it is)."""
        return self.ident.get(item_id, item_id)

    def changes(self, initiative: dict[str, Any]) -> dict[str, Any]:
        """Return an initiative's ``sets``, ``adds`` and ``removes``, references written as identifiers."""
        out: dict[str, Any] = {}
        if initiative.get("sets"):
            out["sets"] = [{**s, "element": self.ref(s["element"])} for s in initiative["sets"]]
        adds = initiative.get("adds")
        if adds and (adds.get("elements") or adds.get("links")):
            links = [{**k, "from": self.ref(k["from"]), "element": self.ref(k["element"])}
                     for k in adds.get("links", [])]
            out["adds"] = {**adds, "links": links} if links else adds
        if initiative.get("removes"):
            out["removes"] = [{"from": self.ref(r["from"]), "element": self.ref(r["element"])}
                              for r in initiative["removes"]]
        return out

    def scenario(self, scenario: dict[str, Any]) -> dict[str, Any]:
        """Return a scenario with its element references written as identifiers."""
        out = dict(scenario)
        if out.get("fail"):
            out["fail"] = [self.ref(x) for x in out["fail"]]
        if out.get("hours"):
            out["hours"] = {self.ref(k): v for k, v in out["hours"].items()}
        if (out.get("fail_where") or {}).get("owner"):
            out["fail_where"] = {**out["fail_where"], "owner": self.ref(out["fail_where"]["owner"])}
        return out

    def links(self, journeys: Sequence[dict[str, Any]]) -> None:
        for j in journeys:
            tps = j.get("touchpoints", [])
            for tp in tps:
                for dep in tp.get("depends_on", []):
                    self.dependency(tp["id"], dep)
            for a, b in itertools.pairwise(tps):
                if self.type[a["id"]] in ACTIVE_BEHAVIOUR and self.type[b["id"]] in ACTIVE_BEHAVIOUR:
                    self.relationship("Triggering", a["id"], b["id"], "triggers", [])
        for e in self.doc.get("elements", []):
            for dep in e.get("depends_on", []):
                self.dependency(e["id"], dep)
            if e.get("owner"):
                owner = e["owner"]
                if self.type[owner] in _TEAM_TYPES and (self.type[e["id"]] in _OWNED_TYPES or (
                        self.type[e["id"]] == "BusinessRole" and self.type[owner] != "BusinessRole")):
                    self.relationship("Assignment", owner, e["id"], "owns", [])
                else:
                    props: list[tuple[str, str]] = []
                    self.prop(props, PREFIX + "link", "owner")
                    self.relationship("Association", owner, e["id"], "owns", props)
        for c in self.doc.get("capabilities", []):
            if c.get("parent"):
                self.relationship("Composition", c["parent"], c["id"], "contains", [])
            for eid in c.get("realized_by", []):
                t = self.type[eid]
                if t in ACTIVE_BEHAVIOUR and not t.endswith("Event"):
                    self.relationship("Realization", eid, c["id"], "realizes", [])
                else:
                    props = []
                    self.prop(props, PREFIX + "link", "realization")
                    self.relationship("Association", eid, c["id"], "realizes", props)


def from_model(model: Model, *, result: Results = None, xml: bool = True) -> ArchiModel:
    """Return the ArchiMate concepts for a model, with results (if any) as ``cxgraph:`` properties.

    With ``xml`` (for the exchange format) identifiers are made valid XML identifiers the way
    Archi makes them (``650`` becomes ``id-650``, the original kept as ``archimate:id``);
    Archi's CSV files take any identifier.

    Examples
    --------
    >>> from cxgraph.io.archimate.unmap import from_model
    >>> archi = from_model(cx.examples.load("retail-bank"))
    >>> archi.format, len(archi.elements) > 10
    ('ArchiMate exchange 3.1', True)
    """
    model.check()
    results = result_properties(result) if result is not None else {}
    return _Writer(model, results, xml).run()


def identifiers(model: Model, *, xml: bool = True) -> dict[str, str]:
    """Return the identifier each item is written with, by item id (see :func:`from_model`).

    Examples
    --------
    >>> from cxgraph.io.archimate.unmap import identifiers
    >>> m = cx.Model()
    >>> _ = m.add_element("42", "Answer", kind="system", properties={"archimate:id": "x-42"})
    >>> _ = m.add_element("7", "Seven", kind="system")
    >>> identifiers(m)
    {'42': 'x-42', '7': 'id-7'}
    """
    return dict(_Writer(model, {}, xml).assign_identifiers())
