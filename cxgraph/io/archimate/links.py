"""How ArchiMate relationships become dependencies, owners, capability links and touchpoint order.

=================  ===========================================  ====================================
relationship       between                                      becomes
=================  ===========================================  ====================================
Serving            A serves B (element to element/touchpoint)   B depends on A
Realization        A realises capability C                      C is realised by A
Realization        A realises B (element to element/touchpoint) B depends on A (B exists through A)
Serving,           A serves or realises a journey's element     each touchpoint of the journey depends
Realization                                                     on A (passed down to the steps)
Access             A accesses data D                            A depends on D
Assignment         team or vendor T assigned to element E       T owns E (an element has one owner)
Assignment         other element A assigned to B                B depends on A (A performs B)
Composition,       capability P made of capability C            C's parent is P
Aggregation        journey element made of its touchpoints      the journey's structure
                   stage made of touchpoints                    the touchpoints' stage
                   Product made of (aggregating) element E      the product depends on E
Triggering, Flow   between touchpoints of one journey           the touchpoints' order
Association        with ``cxgraph:link`` dependency, owner,     as Serving, Assignment, Realization,
                   realization or parent                        Composition
And/Or Junction    A1..An serve (or realise) J, J serves B      B depends on A1..An; an Or junction
                                                                makes them one redundancy group
=================  ===========================================  ====================================

Everything else (Specialization, Influence, plain Association, structure
between elements, flows between elements, links to kept elements) is kept in
the import log with the reason. A dependency's strength and group come from
``cxgraph:strength`` and ``cxgraph:group`` on the relationship; a second
relationship between the same two ends adds nothing and says so.

Examples
--------
>>> from cxgraph.io.archimate.map import to_model
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> apps = [Concept(i, "ApplicationComponent", i.upper()) for i in "abc"]
>>> archi = ArchiModel(elements=[*apps, Concept("j", "OrJunction")], relationships=[
...     Concept("r1", "Serving", source="a", target="j"), Concept("r2", "Serving", source="b", target="j"),
...     Concept("r3", "Serving", source="j", target="c")])
>>> model, log = to_model(archi)
>>> [(d.element, d.group) for d in model.elements[2].depends_on]
[('a', 'j'), ('b', 'j')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..importlog import ImportEntry
from .concepts import Concept, as_item_id

if TYPE_CHECKING:
    from .map import Mapper

__all__ = ["map_relationships", "order_touchpoints"]

_ELEMENTS = frozenset({"system", "service", "infrastructure", "data", "process", "team", "vendor"})
_TEAMS = frozenset({"team", "vendor"})
_LINKS = {"dependency": "Serving", "owner": "Assignment", "realization": "Realization", "parent": "Composition"}

Outcome = tuple[str, str, str | None]  # status, outcome or reason, item id


def _describe(m: Mapper, c: Concept) -> str:
    if c.is_relationship:
        return f"a relationship ({c.type})"
    role = m.role.get(c.id)
    if role is None:
        return f"a kept {c.type}"
    if role == "junction":
        return "a junction"
    what = f"{role} element" if role in _ELEMENTS else role
    return f"{'an' if what[0] in 'aeiou' else 'a'} {what} ({c.type})"


def _dependency(m: Mapper, dependent: Concept, provider: Concept, rel: Concept, group: str | None) -> Outcome:
    key = (dependent.id, provider.id)
    item = m.item_id[dependent.id]
    if key in m.dep_seen:
        return "mapped", f"dependency (same link as {m.dep_seen[key]})", item
    m.dep_seen[key] = rel.id
    link: dict[str, Any] = {"element": m.item_id[provider.id]}
    strength = m.number(rel, "strength")
    if strength is not None:
        link["strength"] = strength
    if group is None:
        group = m.cx[rel.id].get("group")
    if group is not None:  # an empty group name is a group too
        link["group"] = group
    m.deps.setdefault(dependent.id, []).append(link)
    m.dep_rels.setdefault(dependent.id, []).append(rel)
    return "mapped", "dependency", item


def _passed_down(m: Mapper, journey: Concept, provider: Concept, rel: Concept, group: str | None) -> Outcome:
    """Make every touchpoint of the journey ``journey`` depend on ``provider`` (a link drawn to the whole process)."""
    plan = next((p for p in m.plans if p.concept is journey), None)
    steps = [m.by_id[t] for t in plan.touchpoints] if plan is not None else []
    if not steps:
        return "kept", f"{rel.type} to the journey {journey.name!r}, which has no touchpoints to pass it to", None
    for step in steps:
        _dependency(m, step, provider, rel, group)
    return "mapped", "dependency of each of the journey's touchpoints", m.item_id[journey.id]


def _apply(m: Mapper, kind: str, s: Concept, t: Concept, rel: Concept, group: str | None = None) -> Outcome:
    """Map one relationship of type ``kind`` from ``s`` to ``t`` (``rel`` carries its properties)."""
    rs, rt = m.role.get(s.id), m.role.get(t.id)
    if kind == "Association":
        link = m.cx[rel.id].get("link")
        if link is None:
            return "kept", "an association has no meaning in cxgraph (give it one with cxgraph:link)", None
        if link not in _LINKS:
            m.problem(rel, f"cxgraph:link: unknown link {link!r} (expected one of {', '.join(_LINKS)})")
            return "kept", f"unknown cxgraph:link {link!r}", None
        kind = _LINKS[link]
    same_journey = s.id in m.journey_of and m.journey_of.get(s.id) is m.journey_of.get(t.id)
    if kind in ("Serving", "Realization") and rs in _ELEMENTS and rt == "journey":
        return _passed_down(m, t, s, rel, group)
    if kind == "Serving":
        if rs in _ELEMENTS and (rt in _ELEMENTS or rt == "touchpoint"):
            return _dependency(m, t, s, rel, group)
        if rs == "touchpoint" and rt == "journey" and m.journey_of[s.id].concept is t:
            return "mapped", "journey", m.item_id[t.id]
    elif kind == "Realization":
        if rs in _ELEMENTS and rt == "capability":
            realized = m.realized.setdefault(t.id, [])
            if s.id in realized:
                return "mapped", "realized_by (repeated)", m.item_id[t.id]
            realized.append(s.id)
            return "mapped", "realized_by", m.item_id[t.id]
        if rs in _ELEMENTS and (rt in _ELEMENTS or rt == "touchpoint"):
            return _dependency(m, t, s, rel, group)
    elif kind == "Access":
        if (rs in _ELEMENTS or rs == "touchpoint") and rt in _ELEMENTS:
            return _dependency(m, s, t, rel, group)
    elif kind == "Assignment":
        if rs in _TEAMS and rt in _ELEMENTS:
            if t.id in m.owner:
                other = m.by_id[m.owner[t.id]]
                return "kept", f"{t.name!r} is already owned by {other.name!r} (an element has one owner)", None
            m.owner[t.id] = s.id
            return "mapped", "owner", m.item_id[t.id]
        if rs in _TEAMS and rt == "touchpoint":
            return "kept", "a team assigned to a touchpoint: touchpoints have no owner", None
        if rs in _ELEMENTS and (rt in _ELEMENTS or rt == "touchpoint"):
            return _dependency(m, t, s, rel, group)
        if rs == "journey" and rt == "touchpoint" and m.journey_of[t.id].concept is s:
            return "mapped", "journey", m.item_id[s.id]
    elif kind in ("Composition", "Aggregation"):
        if s.type == "Product" and rs in _ELEMENTS and rt in _ELEMENTS and s.id != t.id:
            return _dependency(m, s, t, rel, group)
        if rs == "capability" and rt == "capability":
            if t.id in m.parent:
                return "kept", f"{t.name!r} already has the parent {m.by_id[m.parent[t.id]].name!r}", None
            chain, up = [s.id], m.parent.get(s.id)
            while up is not None and up not in chain:
                chain.append(up)
                up = m.parent.get(up)
            if t.id in chain:
                loop = " -> ".join(m.by_id[x].name or x for x in [*reversed(chain[: chain.index(t.id) + 1]), t.id])
                return "kept", f"would make a cycle of capability parents ({loop})", None
            m.parent[t.id] = s.id
            m.parent_rel[t.id] = rel
            return "mapped", "parent", m.item_id[t.id]
        if rs == "journey" and rt in ("touchpoint", "stage") and m.journey_of[t.id].concept is s:
            return "mapped", "journey", m.item_id[s.id]
        if rs == "stage" and rt == "touchpoint" and same_journey:
            m.stage_of.setdefault(t.id, s.id)
            return "mapped", "stage", m.item_id[t.id]
    elif kind in ("Triggering", "Flow") and rs == rt == "touchpoint" and same_journey:
        m.order_edges.append((s.id, t.id))
        return "mapped", "order", m.item_id[t.id]
    return "kept", f"{kind} from {_describe(m, s)} to {_describe(m, t)}: no counterpart in cxgraph", None


def _entry(rel: Concept, outcome: Outcome) -> ImportEntry:
    """Return the import log entry, keeping documentation and properties (a dependency has no place for them)."""
    status, what, item = outcome
    return ImportEntry(rel.id, rel.type, rel.name, status, what, item=item, source=rel.source,  # type: ignore[arg-type]
                       target=rel.target, line=rel.line, documentation=rel.documentation,
                       properties=tuple(rel.properties))


def _junctions(m: Mapper) -> None:
    junctions = {c.id: c for c in m.archi.elements if m.role.get(c.id) == "junction"}
    ins: dict[str, list[Concept]] = {j: [] for j in junctions}
    outs: dict[str, list[Concept]] = {j: [] for j in junctions}
    for rel in m.archi.relationships:
        if rel.target in junctions:
            ins[rel.target].append(rel)  # type: ignore[index]
        if rel.source in junctions:
            outs[rel.source].append(rel)  # type: ignore[index]
    for jid, junction in junctions.items():
        group = as_item_id(junction.id) if junction.type == "OrJunction" else None
        for out in outs[jid]:
            target = m.by_id[out.target or ""]
            if out.target in junctions:
                continue
            used = False
            for inc in ins[jid]:
                if inc.type != out.type or inc.source in junctions:
                    continue
                status, what, item = _apply(m, out.type, m.by_id[inc.source or ""], target, inc, group)
                if status == "mapped":
                    used = True
                    m.rel_entries.setdefault(inc.id, _entry(inc, ("mapped", f"{what} (via junction)", item)))
                    m.rel_entries.setdefault(out.id, _entry(out, ("mapped", f"{what} (via junction)", item)))
            if not used:
                m.rel_entries.setdefault(out.id, _entry(out, (
                    "kept", "leaves a junction whose inputs cxgraph cannot combine into this relationship", None)))


def map_relationships(m: Mapper) -> None:
    """Map every relationship of the model, filling ``m``'s dependencies, owners, ... and import log entries."""
    _junctions(m)
    for rel in m.archi.relationships:
        if rel.id in m.rel_entries:
            continue
        s, t = m.by_id[rel.source or ""], m.by_id[rel.target or ""]
        if m.role.get(s.id) == "junction" or m.role.get(t.id) == "junction":
            outcome: Outcome = ("kept", "joins a junction whose other side cxgraph cannot use "
                                        "(chained junctions or mixed relationship types)", None)
        elif s.is_relationship or t.is_relationship:
            outcome = ("kept", f"{rel.type} to or from a relationship: no counterpart in cxgraph", None)

        else:
            outcome = _apply(m, rel.type, s, t, rel)
        m.rel_entries[rel.id] = _entry(rel, outcome)


def order_touchpoints(m: Mapper) -> None:
    """Put each journey's touchpoints in order: ``cxgraph:order``, else the order given, else triggering/flow."""
    edges_of: dict[int, list[tuple[str, str]]] = {}
    for a, b in m.order_edges:  # order edges only ever join touchpoints of one journey
        if a != b:
            edges_of.setdefault(id(m.journey_of[a]), []).append((a, b))
    for plan in m.plans:
        base = {tid: i for i, tid in enumerate(plan.touchpoints)}
        orders = {tid: m.number(m.by_id[tid], "order") for tid in plan.touchpoints}
        if any(o is not None for o in orders.values()):
            for tid, o in orders.items():
                if o is not None and not isinstance(o, int | float):
                    m.problem(m.by_id[tid], "cxgraph:order: expected a number")
                    orders[tid] = None
            plan.touchpoints.sort(key=lambda t: (orders[t] is None, orders[t] or 0, base[t]))
            continue
        if plan.fixed_order:
            continue
        after: dict[str, list[str]] = {t: [] for t in base}
        indegree = {t: 0 for t in base}
        for a, b in edges_of.get(id(plan), []):
            after[a].append(b)
            indegree[b] += 1
        done: list[str] = []
        left = set(base)
        while left:
            ready = [t for t in left if indegree[t] == 0] or list(left)  # a cycle: take the earliest
            nxt = min(ready, key=base.__getitem__)
            done.append(nxt)
            left.discard(nxt)
            for b in after[nxt]:
                if b in left:
                    indegree[b] -= 1
        plan.touchpoints[:] = done
