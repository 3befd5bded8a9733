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
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{n}</td></tr>" for k, n in self.counts.items())
        return f"<div><strong>{html.escape(self.name)}</strong><table>{rows}</table></div>"


def summarize(model: Model) -> ModelSummary:
    """Summarise a model: counts per kind, journeys, and modelling gaps.

    The gaps: touchpoints with no IT dependency (orphans), elements other than teams
    and vendors with no owner, and capabilities realised by nothing (counting their
    sub-capabilities).

    Examples
    --------
    >>> m = cx.Model(name="Gaps")
    >>> j = m.add_journey("j", "Journey", customers=100)
    >>> _ = j.add_touchpoint("t", "Touchpoint")
    >>> _ = m.add_element("crm", "CRM", kind="system")
    >>> s = cx.summarize(m)
    >>> s.orphan_touchpoints, s.elements_without_owner
    (['t'], ['crm'])
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
        names={i.id: i.name for i in [*model.touchpoints, *model.elements, *model.capabilities]},
        notes=coverage_notes(model),
    )
