"""Turning an :class:`ArchiModel` (read from any ArchiMate format) into a cxgraph model and an import log.

The mapping, in order:

1. *Journeys and touchpoints* come from the ``journeys=`` option
   (:mod:`cxgraph.io.archimate.select`) and from ``cxgraph:`` properties in the file
   (:mod:`cxgraph.io.archimate.props`).
2. *Every other element* maps by its type (:data:`~cxgraph.io.archimate.concepts.KIND_OF_TYPE`),
   unless ``cxgraph:kind`` says otherwise; types with no counterpart are kept in the import log.
3. *Relationships* become dependencies, owners, capability links, hierarchy or
   touchpoint order (:mod:`cxgraph.io.archimate.links`); the rest are kept in the import log.

Ids are the ArchiMate identifiers (``ids="archimate"``, the default) or slugs of the
names (``ids="names"``). Where the id differs from the identifier the item keeps it in
``properties["archimate:id"]``, and where the type differs from the type its kind is
written as it keeps ``properties["archimate:type"]``, so writing the model back gives the
same identifiers and types.

Examples
--------
>>> from cxgraph.io.archimate.map import to_model
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> archi = ArchiModel(name="Tiny", file="tiny.xml", elements=[
...     Concept("id-1", "BusinessProcess", "Order"), Concept("id-2", "ApplicationComponent", "Shop"),
...     Concept("id-3", "Principle", "Keep it simple")],
...     relationships=[Concept("id-4", "Serving", source="id-2", target="id-1")])
>>> model, log = to_model(archi, journeys=["Order"], customers=100)
>>> model.journeys[0].touchpoints[0].depends_on[0].element
'id-2'
>>> log.elements_mapped, log.elements_kept, log.relationships_mapped
(2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ...errors import ModelError, Problem
from ...model import Model
from ..importlog import ImportEntry, ImportLog
from ..validate import model_from_document
from .concepts import (
    DEFAULT_TYPE,
    KIND_OF_TYPE,
    ArchiModel,
    Concept,
    as_item_id,
    default_identifier,
    kept_reason,
    slug,
)
from .links import map_relationships, order_touchpoints
from .props import ROLES, apply_types, parse_json, parse_number, split_properties, user_properties
from .select import JourneyPlan, Journeys, plans_from_option

__all__ = ["ELEMENT_ROLES", "JOURNEY_TYPES", "Indexes", "Mapper", "to_model"]

ELEMENT_ROLES = frozenset({"system", "service", "infrastructure", "data", "process", "team", "vendor"})
JOURNEY_TYPES = frozenset({"BusinessProcess", "BusinessInteraction", "BusinessEvent", "BusinessFunction",
                           "BusinessService", "BusinessRole", "BusinessActor", "BusinessCollaboration", "Grouping",
                           "ValueStream", "Product"})
"""Types an element may have to become a journey because a ``cxgraph:journey`` property names it."""

DEFAULT_MODEL_ID = "cxgraph-model"


class Indexes:
    """What every mapping of one file looks up: concepts by identifier and name, and their properties split."""

    def __init__(self, archi: ArchiModel) -> None:
        self.by_id: dict[str, Concept] = {c.id: c for c in (*archi.elements, *archi.relationships)}
        self.cx: dict[str, dict[str, str]] = {}
        self.user: dict[str, list[tuple[str, str]]] = {}
        for c in (*archi.elements, *archi.relationships):
            self.cx[c.id], self.user[c.id] = split_properties(c.properties)
        self.elements_by_id = {c.id: c for c in archi.elements}
        self.by_cx_id: dict[str, Concept] = {}
        self.by_name: dict[str, list[Concept]] = {}
        for c in archi.elements:
            self.by_name.setdefault(c.name, []).append(c)
            if "id" in self.cx[c.id]:
                self.by_cx_id.setdefault(self.cx[c.id]["id"], c)


class Mapper:
    """The state of one mapping; see :func:`to_model`."""

    def __init__(self, archi: ArchiModel, *, journeys: Journeys, customers: float | Mapping[str, float] | None,
                 customer_roles: Sequence[str] | None, ids: Literal["archimate", "names"],
                 indexes: Indexes | None = None) -> None:
        if ids not in ("archimate", "names"):
            raise ValueError(f"ids must be 'archimate' or 'names', got {ids!r}")
        self.archi, self.file, self.ids, self.customers = archi, archi.file, ids, customers
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.indexes = indexes or Indexes(archi)
        self.by_id, self.cx, self.user = self.indexes.by_id, self.indexes.cx, self.indexes.user
        self.elements_by_id, self.by_cx_id, self.by_name = (self.indexes.elements_by_id, self.indexes.by_cx_id,
                                                            self.indexes.by_name)
        self.role: dict[str, str] = {}
        self.reason: dict[str, str] = {}
        self.item_id: dict[str, str] = {}
        self.journey_of: dict[str, JourneyPlan] = {}
        self.chosen = journeys == "auto"
        if journeys == "auto":
            from .candidates import choose_journeys

            journeys, found = choose_journeys(archi, customer_roles=customer_roles, indexes=self.indexes)
            self.notes.extend(found)
        self.plans = plans_from_option(archi, journeys, customer_roles=customer_roles or ("Customer",),
                                       notes=self.notes)
        # filled by links.py
        self.deps: dict[str, list[dict[str, Any]]] = {}
        self.owner: dict[str, str] = {}
        self.realized: dict[str, list[str]] = {}
        self.parent: dict[str, str] = {}
        self.parent_rel: dict[str, Concept] = {}
        self.dep_rels: dict[str, list[Concept]] = {}
        self.stage_of: dict[str, str] = {}
        self.order_edges: list[tuple[str, str]] = []
        self.rel_entries: dict[str, ImportEntry] = {}
        self.dep_seen: dict[tuple[str, str], str] = {}
        self.paths: dict[tuple[str | int, ...], Concept] = {}
        self.item_index: dict[str, Concept] | None = None

    # ------------------------------------------------------------------ helpers
    def problem(self, concept: Concept | None, message: str) -> None:
        """Record a problem found at ``concept`` (or in the whole model)."""
        if concept is None:
            where = ""
        elif concept.is_relationship:
            where = concept.describe(self.by_id)
        else:
            where = f"{concept.type} {concept.id!r}"
        self.problems.append(Problem(where, message, file=self.file, line=concept.line if concept else None))

    def number(self, concept: Concept, key: str) -> Any:
        """Return the number in ``cxgraph:<key>``, ``None`` if absent (a problem if not a number)."""
        text = self.cx[concept.id].get(key)
        if text is None:
            return None
        try:
            return parse_number(text)
        except ValueError as err:
            self.problem(concept, f"cxgraph:{key}: {err}")
            return None

    def json(self, concept: Concept, key: str, kind: type) -> Any:
        """Return the JSON list or mapping in ``cxgraph:<key>``, ``None`` if absent or invalid."""
        text = self.cx[concept.id].get(key)
        if text is None:
            return None
        try:
            return parse_json(text, kind)
        except ValueError as err:
            self.problem(concept, f"cxgraph:{key}: {err}")
            return None

    def find(self, ref: str, *, among: Sequence[Concept] | None = None) -> Concept | str | None:
        """Resolve a reference (identifier, cxgraph id or unique name); an ambiguous name returns a message.

        Without ``among``, the pool is every mapped element (one with a cxgraph id).
        """
        if among is None:
            return self._find_mapped(ref)
        pool = list(among)
        for c in pool:
            if c.id == ref:
                return c
        for c in pool:
            if self.item_id.get(c.id) == ref or self.cx[c.id].get("id") == ref:
                return c
        named = [c for c in pool if c.name == ref]
        if len(named) > 1:
            return f"{ref!r} names {len(named)} elements ({', '.join(c.id for c in named)}): use an identifier"
        return named[0] if named else None

    def _find_mapped(self, ref: str) -> Concept | str | None:
        by_id = self.elements_by_id.get(ref)
        if by_id is not None and by_id.id in self.item_id:
            return by_id
        if self.item_index is None:
            self.item_index = {item: self.elements_by_id[cid] for cid, item in self.item_id.items()}
        if ref in self.item_index:
            return self.item_index[ref]
        named = [c for c in self.by_name.get(ref, ()) if c.id in self.item_id]
        if len(named) > 1:
            return f"{ref!r} names {len(named)} elements ({', '.join(c.id for c in named)}): use an identifier"
        return named[0] if named else None

    # ------------------------------------------------------------------ roles
    def assign_roles(self) -> None:
        """Decide what each element becomes: option plans, ``cxgraph:kind``, properties, then type."""
        for plan in self.plans:
            if plan.concept is not None:
                self.role[plan.concept.id] = "journey"
            for tid in list(plan.touchpoints):
                if tid in self.journey_of:
                    other, c = self.journey_of[tid].name, self.by_id[tid]
                    self.notes.append(f"{c.type} {c.name!r} ({c.id}) is a step of both {other!r} and {plan.name!r}: "
                                      f"it is a touchpoint of {other!r} only (a touchpoint belongs to one journey)")
                    plan.touchpoints.remove(tid)
                    continue
                self.role[tid] = "touchpoint"
                self.journey_of[tid] = plan
        for c in self.archi.elements:
            if c.id in self.role:
                continue
            kind = self.cx[c.id].get("kind")
            by_type = KIND_OF_TYPE.get(c.type)
            if by_type == "junction":
                self.role[c.id] = "junction"
            elif kind is not None:
                if kind not in ROLES:
                    self.problem(c, f"cxgraph:kind: unknown kind {kind!r} (expected one of {', '.join(ROLES)})")
                    self.reason[c.id] = f"cxgraph:kind {kind!r} is not a known kind"
                elif kind == "ignore":
                    self.reason[c.id] = "cxgraph:kind is 'ignore'"
                else:
                    self.role[c.id] = kind
            elif "journey" in self.cx[c.id]:
                self.role[c.id] = "touchpoint"
            elif "customers" in self.cx[c.id]:
                self.role[c.id] = "journey"
            elif by_type is not None:
                self.role[c.id] = by_type
            else:
                self.reason[c.id] = kept_reason(c.type)

    def property_journeys(self) -> None:
        """Group touchpoints and stages marked with ``cxgraph:journey`` into journeys."""
        by_concept = {p.concept.id: p for p in self.plans if p.concept is not None}
        free: dict[str, JourneyPlan] = {p.name: p for p in self.plans if p.concept is None}
        for c in self.archi.elements:
            if self.role.get(c.id) == "journey" and c.id not in by_concept:
                by_concept[c.id] = JourneyPlan(c.name, c)
                self.plans.append(by_concept[c.id])
        for c in self.archi.elements:
            role = self.role.get(c.id)
            if role not in ("touchpoint", "stage") or c.id in self.journey_of:
                continue
            ref = self.cx[c.id].get("journey")
            if ref is None:
                self.problem(c, f"a {role} needs cxgraph:journey (the identifier or name of its journey)")
                self.role.pop(c.id)
                self.reason[c.id] = f"marked as a {role} without a journey"
                continue
            target = self.journey_target(c, ref)
            if target is False:
                continue
            if isinstance(target, Concept):
                if target.id not in by_concept:
                    self.role[target.id] = "journey"
                    by_concept[target.id] = JourneyPlan(target.name, target)
                    self.plans.append(by_concept[target.id])
                plan = by_concept[target.id]
            else:
                if ref not in free:
                    free[ref] = JourneyPlan(ref, None)
                    self.plans.append(free[ref])
                plan = free[ref]
            self.journey_of[c.id] = plan
            if role == "touchpoint":
                plan.touchpoints.append(c.id)

    def journey_target(self, c: Concept, ref: str) -> Concept | bool | None:
        """Return the element a ``cxgraph:journey`` value names, ``None`` if none, ``False`` after a problem.

        The value is an identifier or ``cxgraph:id`` of any element, or the name of an element of a
        type in :data:`JOURNEY_TYPES` (or already a journey).
        """
        busy = ("touchpoint", "stage", "junction")
        target = self.elements_by_id.get(ref) or self.by_cx_id.get(ref)
        if target is None:
            named = [e for e in self.by_name.get(ref, ()) if self.role.get(e.id) == "journey" or (
                e.type in JOURNEY_TYPES and self.role.get(e.id) not in busy)]
            if len(named) > 1:
                ids = ", ".join(e.id for e in named)
                self.problem(c, f"cxgraph:journey: {ref!r} names {len(named)} elements ({ids}): use an identifier")
                return False
            target = named[0] if named else None
        if target is not None and self.role.get(target.id) in busy:
            self.problem(c, f"cxgraph:journey: {ref!r} is a {self.role[target.id]}, not a journey")
            return False
        return target

    # ------------------------------------------------------------------ ids
    def assign_ids(self) -> None:
        """Give every mapped element, and every journey without an element, its cxgraph id."""
        taken: dict[str, Concept | None] = {}

        def claim(want: str, concept: Concept | None, explicit: bool) -> str:
            if explicit and want in taken:
                self.problem(concept, f"cxgraph:id {want!r} is used twice")
            base, n = want, 1
            while want in taken:
                n += 1
                want = f"{base}-{n}"
            taken[want] = concept
            return want

        for c in self.archi.elements:
            if self.role.get(c.id) in (None, "junction"):
                continue
            explicit = self.cx[c.id].get("id")
            want = explicit or (slug(c.name) if self.ids == "names" and c.name else as_item_id(c.id))
            self.item_id[c.id] = claim(as_item_id(want), c, explicit is not None)
        for plan in self.plans:
            plan.id = self.item_id[plan.concept.id] if plan.concept else claim(slug(plan.name), None, False)

    def plan_id(self, plan: JourneyPlan) -> str:
        """Return the cxgraph id of a journey plan."""
        assert plan.id is not None, "ids are given before journeys are built"
        return plan.id

    # ------------------------------------------------------------------ run
    def run(self) -> tuple[Model, ImportLog]:
        """Map everything; raise :class:`ModelError` listing every problem found."""
        self.assign_roles()
        self.property_journeys()
        self.assign_ids()
        map_relationships(self)
        order_touchpoints(self)
        from .build import build_document

        doc = build_document(self)
        if self.problems:  # every problem at once, each at its element's line
            raise ModelError(self.problems)
        try:
            model = model_from_document(doc, file=self.file)
        except ModelError as err:
            raise ModelError([self.relocate(p) for p in err.problems]) from None
        if not self.chosen and not any(tp.depends_on for tp in model.touchpoints):
            from .candidates import other_candidates

            self.notes.extend(other_candidates(self.archi, bool(model.touchpoints), indexes=self.indexes))
        return model, self.log()

    def relocate(self, problem: Problem) -> Problem:
        """Point a problem found in the mapped document at the ArchiMate concept it came from."""
        from ...model import format_path

        for key in sorted(self.paths, key=len, reverse=True):
            text = format_path(key)
            if problem.path == text or problem.path.startswith((text + ".", text + "[")):
                c = self.paths[key]
                what = c.describe(self.by_id) if c.is_relationship else f"{c.type} {c.id!r} {c.name!r}"
                return Problem(problem.path, f"{problem.message} (from {what})",
                               file=self.file, line=c.line)
        return problem

    def log(self) -> ImportLog:
        """Return the import log: one entry per element and relationship read."""
        elements = []
        for c in self.archi.elements:
            role = self.role.get(c.id)
            if role is None:
                elements.append(ImportEntry(c.id, c.type, c.name, "kept", self.reason.get(c.id, "not mapped"),
                                            line=c.line, documentation=c.documentation,
                                            properties=tuple(c.properties)))
            else:
                item = self.item_id.get(c.id) if role != "junction" else None
                elements.append(ImportEntry(c.id, c.type, c.name, "mapped", role, item=item, line=c.line))
        relationships = [self.rel_entries[r.id] for r in self.archi.relationships]
        detailed = sum(1 for r in self.archi.relationships if self.rel_entries[r.id].status == "mapped" and (
            r.name or r.documentation or self.user[r.id]))
        if detailed:
            self.notes.append(f"{detailed} mapped relationship{'s' if detailed > 1 else ''} carried a name, "
                              "documentation or properties that a dependency cannot hold: the import log keeps them")
        return ImportLog(self.file or "<input>", self.archi.format, tuple(elements), tuple(relationships),
                            tuple(v.name for v in self.archi.views), tuple(dict.fromkeys(self.notes)))

    def base(self, c: Concept, role: str) -> dict[str, Any]:
        """Return the fields every item shares: id, name, description, tags and properties."""
        props, renamed = user_properties(self.user[c.id], self.archi.property_types)
        if "types" in self.cx[c.id]:
            try:
                apply_types(props, self.cx[c.id]["types"])
            except ValueError as err:
                self.problem(c, f"cxgraph:types: {err}")
        for key in renamed:
            self.notes.append(f"{c.type} {c.id!r} repeats property {key.split('#')[0]!r}: kept as {key!r}")
        item_id = self.item_id[c.id]
        if c.id != default_identifier(item_id):
            props["archimate:id"] = c.id
        if c.type != DEFAULT_TYPE.get(role):
            props["archimate:type"] = c.type
        empty = self.json(c, "empty", list) or []
        doc: dict[str, Any] = {"id": item_id, "name": c.name, "properties": props,
                               "description": "" if "description" in empty else c.documentation or None}
        tags = self.json(c, "tags", list)
        if tags is not None:
            doc["tags"] = [str(t) for t in tags]
        return doc


def to_model(archi: ArchiModel, *, journeys: Journeys = "auto", customers: float | Mapping[str, float] | None = None,
             customer_roles: Sequence[str] | None = None, ids: Literal["archimate", "names"] = "archimate",
             ) -> tuple[Model, ImportLog]:
    """Map an :class:`ArchiModel` to a cxgraph :class:`~cxgraph.Model` and an :class:`ImportLog`.

    See :func:`cxgraph.io.read_archimate` for the options.

    Examples
    --------
    >>> from cxgraph.io.archimate.map import to_model
    >>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
    >>> model, log = to_model(ArchiModel(elements=[Concept("n", "Node", "Server")]))
    >>> model.elements[0].kind, log.notes[0][:17]
    ('infrastructure', 'no journeys found')
    """
    return Mapper(archi, journeys=journeys, customers=customers, customer_roles=customer_roles, ids=ids).run()
