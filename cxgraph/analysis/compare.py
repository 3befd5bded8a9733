"""Compare two versions of a model (as-is vs to-be): what changes in impact, pain, rank and risk.

One row per element, capability and journey found in either version:

- elements and capabilities: ``impact`` and ``pain`` as :func:`cxgraph.pain` reports them;
  ``rank`` by impact (1 = highest, ties by id, among elements and among capabilities);
  ``spofs``: 1 if the element is a single point of failure (for a capability: how many of
  the elements realising it are);
- journeys: ``impact`` is the interactions the journey carries (``sum of weight(t)`` over its
  touchpoints), ``pain`` its customer-side pain (``sum of weight(t) * gap(t)``), ``rank`` by
  pain; ``spofs``: how many single points of failure fully lose one of its touchpoints.

Changes are ``after - before``; a negative ``rank_change`` means the item moved up the list.
``status`` is ``added``, ``removed``, ``changed`` or ``same``.

Examples
--------
>>> m = cx.examples.load("retail-bank")
>>> cx.compare(m, m).to_frame()["status"].unique().tolist()
['same']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ..model import Model
from ._failures import run_spof
from ._result import Result, jsonable
from .gaps import TotalPain, WeightSpec, gaps, touchpoint_weights, weight_unit
from .pain import pain, rank_by
from .priorities import capability_elements

__all__ = ["CompareResult", "compare"]

TYPES = ("element", "capability", "journey")
MEASURES = ("impact", "pain", "rank", "spofs")
COLUMNS = ["id", "name", "type", "status",
           *[f"{m}_{s}" for m in MEASURES for s in ("before", "after", "change")]]


@dataclass(frozen=True)
class _Side:
    values: dict[tuple[str, str], dict[str, Any]]
    total: TotalPain
    spofs: list[str]
    notes: list[str]


def _side(model: Model, weight: WeightSpec) -> _Side:
    p = pain(model, measure=weight)
    spof = run_spof(model, weight) if model.elements else pd.DataFrame(columns=["element", "touchpoints"])
    spof_ids = sorted(spof["element"].tolist())
    w = touchpoint_weights(model, weight)
    g = gaps(model)
    values: dict[tuple[str, str], dict[str, Any]] = {}
    types = {e.id: "element" for e in model.elements} | {c.id: "capability" for c in model.capabilities}
    ranks = rank_by({i: p.impact[i] for i in types}, types)
    realised = capability_elements(model)
    for e in model.elements:
        values[("element", e.id)] = {"name": e.name, "impact": p.impact[e.id], "pain": p.pain[e.id],
                                     "rank": ranks[e.id], "spofs": int(e.id in spof_ids)}
    for c in model.capabilities:
        values[("capability", c.id)] = {"name": c.name, "impact": p.impact[c.id], "pain": p.pain[c.id],
                                        "rank": ranks[c.id], "spofs": len(set(realised[c.id]) & set(spof_ids))}
    lost_by = [set(ts) for ts in spof["touchpoints"]]
    journey_pain = {j.id: math.fsum(w[t.id] * g.touchpoint_gap[t.id] for t in j.touchpoints) for j in model.journeys}
    journey_ranks = rank_by(journey_pain, dict.fromkeys(journey_pain, "journey"))
    for j in model.journeys:
        tps = {t.id for t in j.touchpoints}
        values[("journey", j.id)] = {"name": j.name, "impact": math.fsum(w[t] for t in tps),
                                     "pain": journey_pain[j.id], "rank": journey_ranks[j.id],
                                     "spofs": sum(bool(lost & tps) for lost in lost_by)}
    return _Side(values, p.total, spof_ids, list(p.notes))


@dataclass(frozen=True, repr=False)
class CompareResult(Result):
    """Before and after side by side; see :func:`compare`.

    Attributes
    ----------
    before_name, after_name
        Names of the two models.
    unit
        Unit of impact and pain.
    total_pain_before, total_pain_after
        Total pain of each version (floats with ``.customer`` and ``.it`` parts).
    added, removed
        Type ("element", "capability", "journey") -> sorted ids found only after / only before.
    new_spofs, resolved_spofs
        Elements that are single points of failure only after / only before.
    notes
        Plain statements about either model (prefixed "before:" / "after:").

    Examples
    --------
    >>> before = cx.examples.load("retail-bank")
    >>> after = before.model_copy(deep=True)
    >>> after.metrics[0].actual = after.metrics[0].target
    >>> r = cx.compare(before, after)
    >>> r.total_pain_after < r.total_pain_before
    True
    """

    before_name: str
    after_name: str
    unit: str
    total_pain_before: TotalPain
    total_pain_after: TotalPain
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    new_spofs: list[str]
    resolved_spofs: list[str]
    notes: tuple[str, ...]
    _rows: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    title = "Comparison"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per item: elements, capabilities, journeys; the largest changes first in each.

        Examples
        --------
        >>> m = cx.examples.load("telecom")
        >>> cx.compare(m, m).to_frame().columns.tolist()[:6]
        ['id', 'name', 'type', 'status', 'impact_before', 'impact_after']
        """
        frame = pd.DataFrame(list(self._rows), columns=COLUMNS)
        for col in ("rank_before", "rank_after", "rank_change", "spofs_before", "spofs_after", "spofs_change"):
            frame[col] = pd.array(frame[col], dtype="Int64")
        size = (frame["impact_after"].fillna(0) - frame["impact_before"].fillna(0)).abs() \
            + (frame["pain_after"].fillna(0) - frame["pain_before"].fillna(0)).abs()
        order = frame["type"].map({t: i for i, t in enumerate(TYPES)})
        return frame.assign(_o=order, _s=-size).sort_values(["_o", "_s", "id"], kind="stable") \
            .drop(columns=["_o", "_s"]).reset_index(drop=True)

    def changed(self) -> pd.DataFrame:
        """Return only the rows that were added, removed or changed.

        Examples
        --------
        >>> m = cx.examples.load("telecom")
        >>> cx.compare(m, m).changed().empty
        True
        """
        frame = self.to_frame()
        return frame[frame["status"] != "same"].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return totals, added/removed items, single-point-of-failure changes, rows and notes.

        Examples
        --------
        >>> m = cx.examples.load("telecom")
        >>> cx.compare(m, m).to_dict()["total_pain"]["change"]
        0.0
        """
        rows = [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in self.to_frame().to_dict("records")]
        return {"before": self.before_name, "after": self.after_name, "unit": self.unit,
                "total_pain": {"before": self.total_pain_before.to_dict(), "after": self.total_pain_after.to_dict(),
                               "change": float(self.total_pain_after) - float(self.total_pain_before)},
                "added": self.added, "removed": self.removed, "new_spofs": self.new_spofs,
                "resolved_spofs": self.resolved_spofs, "rows": jsonable(rows), "notes": list(self.notes)}


def _changed(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return any(not math.isclose(a[m], b[m], rel_tol=1e-9, abs_tol=1e-9) for m in MEASURES)


def compare(before: Model, after: Model | None = None, *, initiatives: list[str] | None = None,
            measure: WeightSpec = "interactions") -> CompareResult:
    """Compare two versions of a model: impact, pain, rank and single points of failure per item.

    Parameters
    ----------
    before, after
        The two versions (e.g. as-is and to-be). They must count customers per the same period.
    initiatives
        Instead of ``after``: ids of initiatives of ``before`` to apply to it (their ``removes``,
        ``adds``, ``sets`` and ``improves``, as DESIGN §3 orders them).
    measure
        ``"interactions"`` (default) or a mapping touchpoint id -> weight (ids missing from one
        version count 0 there): the comparison sets impact beside pain, defined in interactions.

    Examples
    --------
    >>> before = cx.examples.load("retail-bank")
    >>> after = before.model_copy(deep=True)
    >>> _ = after.add_element("core-banking-b", "Second core banking node", kind="system")
    >>> r = cx.compare(before, after)
    >>> r.added["element"]
    ['core-banking-b']
    >>> cx.compare(before, initiatives=["i-second-sms"]).after_name
    'Retail bank (with i-second-sms)'
    """
    if after is None and initiatives is None:
        raise AnalysisInputError("give the model after the change, or the initiatives to apply to it")
    if after is not None and initiatives is not None:
        raise AnalysisInputError("give either the model after the change or the initiatives to apply, not both")
    if initiatives is not None:
        from ..model import apply_initiatives

        if isinstance(initiatives, str):
            initiatives = [initiatives]
        after = apply_initiatives(before, initiatives)
        after.name = f"{before.name} (with {', '.join(initiatives)})"
    if not isinstance(before, Model) or not isinstance(after, Model):
        raise AnalysisInputError(f"compare takes two cxgraph Models, got {type(before).__name__} and "
                                 f"{type(after).__name__}")
    weight = measure
    if before.period != after.period:
        raise AnalysisInputError(f"the two models count customers per different periods ({before.period!r} before, "
                                 f"{after.period!r} after): their impacts cannot be compared")
    sides = []
    for model in (before, after):
        w = weight
        if not isinstance(weight, str):
            known = {tp.id for tp in model.touchpoints}
            w = {t: v for t, v in weight.items() if t in known}
        sides.append(_side(model, w))
    a, b = sides
    rows = []
    for key in sorted(set(a.values) | set(b.values), key=lambda k: (TYPES.index(k[0]), k[1])):
        old, new = a.values.get(key), b.values.get(key)
        status = "added" if old is None else "removed" if new is None else "changed" if _changed(old, new) else "same"
        row: dict[str, Any] = {"id": key[1], "name": (new or old or {})["name"], "type": key[0], "status": status}
        for m in MEASURES:
            x, y = (old or {}).get(m), (new or {}).get(m)
            row[f"{m}_before"], row[f"{m}_after"] = x, y
            row[f"{m}_change"] = None if x is None or y is None else y - x
        rows.append(row)
    added = {t: sorted(k[1] for k in b.values if k[0] == t and k not in a.values) for t in TYPES}
    removed = {t: sorted(k[1] for k in a.values if k[0] == t and k not in b.values) for t in TYPES}
    notes = [f"before: {n}" for n in a.notes] + [f"after: {n}" for n in b.notes]
    return CompareResult(before_name=before.name, after_name=after.name, unit=weight_unit(after, weight),
                         total_pain_before=a.total, total_pain_after=b.total, added=added, removed=removed,
                         new_spofs=sorted(set(b.spofs) - set(a.spofs)),
                         resolved_spofs=sorted(set(a.spofs) - set(b.spofs)), notes=tuple(notes), _rows=tuple(rows))
