"""Assembling the cxgraph document from a finished mapping (see :mod:`cxgraph.io.archimate.map`).

A journey's ``customers``, ``segment`` and ``revenue`` come from its element's
``cxgraph:`` properties, or else from any one of its touchpoints (two different
values are a problem), or else from the reader's ``customers=`` option; a journey
with no customer count at all gets 1 and the import log says so.

Examples
--------
>>> from cxgraph.io.archimate.map import to_model
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> archi = ArchiModel(elements=[
...     Concept("p", "BusinessProcess", "Pay", properties=[("cxgraph:journey", "Claim"), ("cxgraph:reach", "0.4")])])
>>> model, log = to_model(archi)
>>> j = model.journeys[0]
>>> j.id, j.customers, j.touchpoints[0].reach, log.notes
('claim', 1, 0.4, ("journey 'Claim' has no customer count (cxgraph:customers or customers=): using 1",))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...errors import Problem
from .concepts import Concept
from .props import apply_types, parse_json, split_properties, user_properties
from .select import JourneyPlan

if TYPE_CHECKING:
    from .map import Mapper

__all__ = ["build_document"]

_ELEMENTS = ("system", "service", "infrastructure", "data", "process", "team", "vendor")


def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if v is not None}


def _ref(m: Mapper, c: Concept, key: str, ref: str, among: list[Concept] | None = None) -> str:
    """Return the cxgraph id a reference in ``cxgraph:<key>`` names (the text itself if nothing matches)."""
    found = m.find(ref, among=among)
    if isinstance(found, str):
        m.problem(c, f"cxgraph:{key}: {found}")
        return ref
    return m.item_id[found.id] if found is not None else ref


def _journey_value(m: Mapper, plan: JourneyPlan, key: str) -> tuple[Concept | None, str | None]:
    sources = ([plan.concept] if plan.concept else []) + [m.by_id[t] for t in plan.touchpoints]
    found = [(c, m.cx[c.id][key]) for c in sources if key in m.cx[c.id]]
    for c, value in found[1:]:
        if value != found[0][1]:
            m.problem(c, f"cxgraph:{key}: journey {plan.name!r} is given {found[0][1]!r} on "
                         f"{found[0][0].id!r} and {value!r} here")
    return found[0] if found else (None, None)


def _customers(m: Mapper, plan: JourneyPlan, jid: str) -> Any:
    source, _ = _journey_value(m, plan, "customers")
    if source is not None:
        return m.number(source, "customers")
    option = m.customers
    if isinstance(option, Mapping):
        for key in (plan.name, jid, plan.concept.id if plan.concept else None):
            if key in option:
                return option[key]
    elif option is not None:
        return option
    m.notes.append(f"journey {plan.name!r} has no customer count (cxgraph:customers or customers=): using 1")
    return 1


def _journey(m: Mapper, ji: int, plan: JourneyPlan, stages_of: dict[int, list[Concept]]) -> dict[str, Any]:
    jid = m.plan_id(plan)
    if plan.concept is not None:
        doc = m.base(plan.concept, "journey")
        m.paths[("journeys", ji)] = plan.concept
    else:
        doc = {"id": jid, "name": plan.name}
    doc["customers"] = _customers(m, plan, jid)
    source, segment = _journey_value(m, plan, "segment")
    doc["segment"] = segment if source is not None else plan.segment
    source, _ = _journey_value(m, plan, "revenue")
    doc["revenue"] = m.number(source, "revenue") if source is not None else None
    if plan.concept is not None:  # a journey's own element: touchpoints have an importance of their own
        doc["importance"] = m.number(plan.concept, "importance")
        doc["tolerance"] = m.json(plan.concept, "tolerance", dict)
    stages = list(stages_of.get(id(plan), []))  # in file order
    keys = {c.id: m.number(c, "order") for c in stages}
    stages.sort(key=lambda c: (keys[c.id] is None, keys[c.id] if isinstance(keys[c.id], int | float) else 0))
    doc["stages"] = []
    for si, c in enumerate(stages):
        m.paths[("journeys", ji, "stages", si)] = c
        doc["stages"].append(_clean(m.base(c, "stage")))
    doc["touchpoints"] = []
    for ti, tid in enumerate(plan.touchpoints):
        c = m.by_id[tid]
        m.paths[("journeys", ji, "touchpoints", ti)] = c
        for i, rel in enumerate(m.dep_rels.get(tid, [])):
            m.paths[("journeys", ji, "touchpoints", ti, "depends_on", i)] = rel
        tp = m.base(c, "touchpoint")
        stage = m.stage_of.get(tid)
        if stage is not None:
            tp["stage"] = m.item_id[stage]
        elif "stage" in m.cx[tid]:
            tp["stage"] = _ref(m, c, "stage", m.cx[tid]["stage"], among=stages)
        tp["channel"] = m.cx[tid].get("channel")
        tp["reach"] = m.number(c, "reach")
        tp["importance"] = m.number(c, "importance")
        tp["needs"] = m.json(c, "needs", dict)
        tp["required"] = _flag(m, c, "required")
        tp["depends_on"] = m.deps.get(tid, [])
        doc["touchpoints"].append(_clean(tp))
    return _clean(doc)


def _flag(m: Mapper, c: Concept, key: str) -> bool | None:
    """Return ``cxgraph:<key>`` as true or false (``None`` if absent; a problem if neither)."""
    text = m.cx[c.id].get(key)
    if text is None:
        return None
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    m.problem(c, f"cxgraph:{key}: expected true or false, got {text!r}")
    return None


def _refs(m: Mapper, c: Concept, key: str, items: Any, fields: tuple[str, ...]) -> Any:
    """Resolve the references ``fields`` of each mapping in ``items`` (names or identifiers to ids)."""
    if not isinstance(items, list):
        return items
    out = []
    for item in items:
        if isinstance(item, dict):
            item = {**item, **{f: _ref(m, c, key, item[f]) for f in fields if isinstance(item.get(f), str)}}
        out.append(item)
    return out


def _changes(m: Mapper, c: Concept, doc: dict[str, Any]) -> None:
    """Read an initiative's ``cxgraph:sets``, ``cxgraph:adds`` and ``cxgraph:removes`` (JSON, as in the model file)."""
    doc["sets"] = _refs(m, c, "sets", m.json(c, "sets", list), ("element",))
    doc["removes"] = _refs(m, c, "removes", m.json(c, "removes", list), ("from", "element"))
    adds = m.json(c, "adds", dict)
    if adds is not None and "links" in adds:
        adds = {**adds, "links": _refs(m, c, "adds", adds["links"], ("from", "element"))}
    doc["adds"] = adds


def _scenarios(m: Mapper, text: str | None) -> list[Any] | None:
    """Read the model's ``cxgraph:scenarios``: element references by identifier, id or name."""
    if text is None:
        return None
    try:
        scenarios = parse_json(text, list)
    except ValueError as err:
        m.problems.append(Problem("model", f"cxgraph:scenarios: {err}", file=m.file))
        return None

    def ref(value: Any) -> Any:
        found = m.find(value) if isinstance(value, str) else None
        return m.item_id[found.id] if isinstance(found, Concept) else value

    out = []
    for s in scenarios:
        if isinstance(s, dict):
            s = dict(s)
            if isinstance(s.get("fail"), list):
                s["fail"] = [ref(x) for x in s["fail"]]
            if isinstance(s.get("hours"), dict):
                s["hours"] = {ref(k): v for k, v in s["hours"].items()}
            where = s.get("fail_where")
            if isinstance(where, dict) and isinstance(where.get("owner"), str):
                s["fail_where"] = {**where, "owner": ref(where["owner"])}
        out.append(s)
    return out


def _improvements(m: Mapper, c: Concept) -> list[Any] | None:
    improves = m.json(c, "improves", list)
    if improves is None:
        return None
    out = []
    for imp in improves:
        if isinstance(imp, dict) and isinstance(imp.get("metric"), str):
            imp = {**imp, "metric": _ref(m, c, "improves", imp["metric"])}
        out.append(imp)
    return out


def _item(m: Mapper, c: Concept, role: str) -> dict[str, Any]:
    doc = m.base(c, role)
    cid = c.id
    if role in _ELEMENTS:
        doc["kind"] = role
        doc["owner"] = m.item_id[m.owner[cid]] if cid in m.owner else None
        doc["depends_on"] = m.deps.get(cid, [])
        doc["needs"] = m.json(c, "needs", dict)
        for key in ("availability", "failures_per_year", "recovery_hours"):
            doc[key] = m.number(c, key)
    elif role == "capability":
        doc["parent"] = m.item_id[m.parent[cid]] if cid in m.parent else None
        doc["realized_by"] = [m.item_id[e] for e in m.realized.get(cid, [])]
        doc["effort"] = m.number(c, "effort")
    elif role == "metric":
        of = m.cx[cid].get("of")
        doc["of"] = _ref(m, c, "of", of) if of is not None else None
        doc["actual"], doc["target"] = m.number(c, "actual"), m.number(c, "target")
        doc["better"], doc["unit"] = m.cx[cid].get("better"), m.cx[cid].get("unit")
        doc["ideal"] = m.number(c, "ideal")
    elif role == "initiative":
        doc["cost"] = m.number(c, "cost")
        doc["improves"] = _improvements(m, c)
        requires = m.json(c, "requires", list)
        doc["requires"] = [_ref(m, c, "requires", r) if isinstance(r, str) else r
                           for r in requires] if requires is not None else None
        _changes(m, c, doc)
    return _clean(doc)


def build_document(m: Mapper) -> dict[str, Any]:
    """Return the cxgraph document (plain dicts and lists) for a finished mapping."""
    archi = m.archi
    instructions, others = split_properties(archi.properties)
    from .map import DEFAULT_MODEL_ID

    props, renamed = user_properties(others, archi.property_types)
    empty: list[Any] = []
    for key, kind in (("types", dict), ("empty", list)):
        if key in instructions:
            try:
                if key == "types":
                    apply_types(props, instructions[key])
                else:
                    empty = parse_json(instructions[key], kind)
            except ValueError as err:
                m.problems.append(Problem("model", f"cxgraph:{key}: {err}", file=m.file))
    m.notes.extend(f"the model repeats property {k.split('#')[0]!r}: kept as {k!r}" for k in renamed)

    if archi.id and archi.id != DEFAULT_MODEL_ID:
        props.setdefault("archimate:id", archi.id)
    doc: dict[str, Any] = {"cxgraph": 1, "name": "" if "name" in empty else archi.name or "Model",
                           "description": "" if "description" in empty else archi.documentation or None,
                           "period": instructions.get("period"), "currency": instructions.get("currency"),
                           "properties": props}
    if "tags" in instructions:
        try:
            doc["tags"] = [str(t) for t in parse_json(instructions["tags"], list)]
        except ValueError as err:
            m.problems.append(Problem("model", f"cxgraph:tags: {err}", file=m.file))
    stages_of: dict[int, list[Concept]] = {}
    for c in archi.elements:
        if m.role.get(c.id) == "stage" and c.id in m.journey_of:
            stages_of.setdefault(id(m.journey_of[c.id]), []).append(c)
    doc["journeys"] = [_journey(m, ji, plan, stages_of) for ji, plan in enumerate(m.plans)]
    doc["scenarios"] = _scenarios(m, instructions.get("scenarios"))
    for key, roles in (("elements", _ELEMENTS), ("capabilities", ("capability",)), ("metrics", ("metric",)),
                       ("initiatives", ("initiative",))):
        doc[key] = []
        for c in archi.elements:
            role = m.role.get(c.id)
            if role in roles:
                m.paths[(key, len(doc[key]))] = c
                if c.id in m.parent_rel:
                    m.paths[(key, len(doc[key]), "parent")] = m.parent_rel[c.id]
                for i, rel in enumerate(m.dep_rels.get(c.id, [])):
                    m.paths[(key, len(doc[key]), "depends_on", i)] = rel
                doc[key].append(_item(m, c, role))  # type: ignore[arg-type]
    return _clean(doc)
