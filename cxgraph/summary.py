"""A model at a glance: counts, journeys, and the gaps an architect should look at first."""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from .model import ELEMENT_KINDS, Model, point

__all__ = ["ModelSummary", "summarize"]


@dataclass(frozen=True)
class ModelSummary:
    """Counts and modelling gaps of a model; see :func:`summarize`.

    Examples
    --------
    >>> s = cx.summarize(cx.examples.load("retail-bank"))
    >>> s.counts["journeys"] >= 3
    True
    """

    name: str
    period: str
    counts: dict[str, int]
    kinds: dict[str, int]
    journeys: list[dict[str, Any]] = field(default_factory=list)
    orphan_touchpoints: list[str] = field(default_factory=list)
    elements_without_owner: list[str] = field(default_factory=list)
    unrealised_capabilities: list[str] = field(default_factory=list)
    unfelt_elements: list[dict[str, str]] = field(default_factory=list)
    unfelt_initiatives: list[dict[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """The name of every item listed above, by id (the text shows names, not bare ids)."""
    notes: list[str] = field(default_factory=list)
    """What would make customer impacts 0 (see :func:`cxgraph.analysis.coverage_notes`)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON).

        Examples
        --------
        >>> cx.summarize(cx.Model(name="Empty")).to_dict()["counts"]["elements"]
        0
        """
        data = asdict(self)
        del data["names"]
        return data

    def to_frame(self) -> pd.DataFrame:
        """Return one row per journey: id, name, segment, customers, touchpoints, stages.

        Examples
        --------
        >>> list(cx.summarize(cx.examples.load("telecom")).to_frame().columns)
        ['id', 'name', 'segment', 'customers', 'touchpoints', 'stages']
        """
        return pd.DataFrame(self.journeys, columns=["id", "name", "segment", "customers", "touchpoints", "stages"])

    def to_text(self) -> str:
        """Return the summary as lines of text for a terminal.

        Examples
        --------
        >>> print(cx.summarize(cx.Model(name="Empty")).to_text().splitlines()[0])
        Empty
        """
        lines = [self.name, ""]
        lines.append("  ".join(f"{k}: {n}" for k, n in self.counts.items()))
        lines.append("elements by kind: " + ", ".join(f"{k} {n}" for k, n in self.kinds.items()))
        if self.journeys:
            lines += ["", f"journeys (customers per {self.period}):"]
            width = max(len(j["name"]) for j in self.journeys)
            for j in self.journeys:
                seg = f"  [{j['segment']}]" if j["segment"] else ""
                lines.append(f"  {j['name']:<{width}}  {j['customers']:>12,.0f}  {j['touchpoints']} touchpoints{seg}")
        for title, ids in (("touchpoints with no IT dependency", self.orphan_touchpoints),
                           ("elements with no owner", self.elements_without_owner),
                           ("capabilities realised by nothing", self.unrealised_capabilities)):
            lines += ["", f"{title}: {len(ids)}"]
            lines += [f"  {self.names.get(i) or i}" + (f"  ({i})" if self.names.get(i, i) != i else "") for i in ids]
        for title, rows in (("elements no journey can feel", self.unfelt_elements),
                            ("initiatives no journey can feel", self.unfelt_initiatives)):
            lines += ["", f"{title}: {len(rows)}"]
            lines += [f"  {r['id']}: {r['why']}" for r in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{n}</td></tr>" for k, n in self.counts.items())
        return f"<div><strong>{html.escape(self.name)}</strong><table>{rows}</table></div>"


def summarize(model: Model) -> ModelSummary:
    """Summarise a model: counts per kind, journeys, and modelling gaps.

    The gaps: touchpoints with no IT dependency (orphans), elements other than teams
    and vendors with no owner, capabilities realised by nothing (counting their
    sub-capabilities), and what no journey can feel: elements that no touchpoint depends
    on, directly or through other elements (by links of some strength), and initiatives
    that change nothing a touchpoint rests on — each with why.

    Examples
    --------
    >>> m = cx.Model(name="Gaps")
    >>> j = m.add_journey("j", "Journey", customers=100)
    >>> _ = j.add_touchpoint("t", "Touchpoint")
    >>> _ = m.add_element("crm", "CRM", kind="system")
    >>> s = cx.summarize(m)
    >>> s.orphan_touchpoints, s.elements_without_owner
    (['t'], ['crm'])
    >>> s.unfelt_elements
    [{'id': 'crm', 'name': 'CRM', 'why': 'no touchpoint depends on it, directly or through other elements'}]
    """
    kinds = {k: sum(1 for e in model.elements if e.kind == k) for k in ELEMENT_KINDS}
    journeys = [
        {"id": j.id, "name": j.name, "segment": j.segment, "customers": point(j.customers),
         "touchpoints": len(j.touchpoints), "stages": len(j.stages)}
        for j in model.journeys
    ]
    children: dict[str, list[str]] = {}
    for cap in model.capabilities:
        if cap.parent:
            children.setdefault(cap.parent, []).append(cap.id)
    realised = {c.id: bool(c.realized_by) for c in model.capabilities}
    felt = _felt(model)

    from .analysis import coverage_notes

    def any_realised(cid: str, seen: frozenset[str] = frozenset()) -> bool:
        if cid in seen:
            return False
        return realised.get(cid, False) or any(any_realised(ch, seen | {cid}) for ch in children.get(cid, []))

    return ModelSummary(
        name=model.name,
        period=model.period,
        counts=model.counts(),
        kinds=kinds,
        journeys=journeys,
        orphan_touchpoints=[t.id for t in model.touchpoints if not t.depends_on],
        elements_without_owner=[e.id for e in model.elements if e.owner is None and e.kind not in ("team", "vendor")],
        unrealised_capabilities=[c.id for c in model.capabilities if not any_realised(c.id)],
        unfelt_elements=_unfelt_elements(model, felt),
        unfelt_initiatives=_unfelt_initiatives(model, felt),
        names={i.id: i.name for i in [*model.touchpoints, *model.elements, *model.capabilities]},
        notes=coverage_notes(model),
    )


def _felt(model: Model, *, any_strength: bool = False) -> set[str]:
    """Return the elements some touchpoint depends on, directly or not, through links of strength > 0 (or any)."""
    deps = {item.id: [d.element for d in item.depends_on if any_strength or point(d.strength) > 0]
            for item in [*model.touchpoints, *model.elements]}
    seen: set[str] = set()
    stack = [t.id for t in model.touchpoints]
    while stack:
        for nxt in deps.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _unfelt_elements(model: Model, felt: set[str]) -> list[dict[str, str]]:
    owners = {e.owner for e in model.elements if e.owner}
    reached = _felt(model, any_strength=True)
    users: dict[str, list[str]] = {}
    for item in model.elements:
        for d in item.depends_on:
            users.setdefault(d.element, []).append(item.id)
    rows = []
    for e in model.elements:
        if e.id in felt:
            continue
        if e.id in reached:
            why = "reached only through links of strength 0"
        elif e.id in users:
            why = f"only elements no journey reaches depend on it ({', '.join(sorted(users[e.id]))})"
        elif e.id in owners:
            why = "only owns elements (ownership is not a dependency); no touchpoint depends on it"
        else:
            why = "no touchpoint depends on it, directly or through other elements"
        rows.append({"id": e.id, "name": e.name, "why": why})
    return rows


def _unfelt_initiatives(model: Model, felt: set[str]) -> list[dict[str, str]]:
    touchpoints = {t.id for t in model.touchpoints}
    felt_items = felt | touchpoints
    metric_of = {m.id: m.of for m in model.metrics}
    rows = []
    for i in model.initiatives:
        targets = ([metric_of.get(x.metric, "") for x in i.improves] + [x.element for x in i.sets]
                   + [link.source for link in (i.adds.links if i.adds else [])] + [x.source for x in i.removes])
        if not targets:
            rows.append({"id": i.id, "name": i.name, "why": "it improves, sets, adds and removes nothing"})
        elif not set(targets) & felt_items:
            names = ", ".join(sorted(set(targets)))
            rows.append({"id": i.id, "name": i.name,
                         "why": f"it changes only what no journey depends on ({names})"})
    return rows
