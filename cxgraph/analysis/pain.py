"""Pain: the customer pain each element and capability sits behind, and total pain.

``pain(x) = sum over touchpoints t of weight(t) * gap(t) * d_x(t)`` (DESIGN.md
section 3): impact, with every touchpoint weighted by how far its experience falls
short. It is computed as ``cx.impact(model, measure={t: weight(t) * gap(t)})``.

Examples
--------
>>> r = cx.pain(cx.examples.load("retail-bank"))
>>> r.total == r.total.customer + r.total.it
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..model import Model
from ..model.estate import needs_model
from ._result import Result, jsonable
from .gaps import TotalPain, WeightSpec, gap_notes, own_gaps, run_impact, total_pain, touchpoint_weights, weight_unit

__all__ = ["PainResult", "pain", "rank_by"]

_COLUMNS = ["id", "name", "type", "kind", "pain", "rank", "impact", "gap"]


def rank_by(values: Mapping[str, float], types: Mapping[str, str]) -> dict[str, int]:
    """Rank ids by value, highest first, ties by id; separately within each type.

    Examples
    --------
    >>> from cxgraph.analysis.pain import rank_by
    >>> rank_by({"b": 2.0, "a": 2.0, "c": 5.0, "k": 1.0}, {"a": "element", "b": "element", "c": "element",
    ...                                                    "k": "capability"})
    {'c': 1, 'a': 2, 'b': 3, 'k': 1}
    """
    ranks: dict[str, int] = {}
    seen: dict[str, int] = {}
    for key in sorted(values, key=lambda k: (-values[k], k)):
        seen[types[key]] = seen.get(types[key], 0) + 1
        ranks[key] = seen[types[key]]
    return ranks


@dataclass(frozen=True, repr=False)
class PainResult(Result):
    """Pain of every touchpoint, element and capability, and total pain; see :func:`pain`.

    Attributes
    ----------
    model_name
        Name of the model.
    unit
        Unit of pain and impact (pain is impact weighted by gaps in [0, 1]).
    pain
        Id -> pain for every touchpoint, element and capability. A touchpoint's pain is
        ``weight(t) * gap(t)``.
    rank
        Id -> rank by pain (1 = most), among touchpoints, elements and capabilities separately.
    impact
        Id -> impact with the same weight, for comparison.
    total
        Total pain (a float with ``.customer`` and ``.it`` parts).
    notes
        Plain statements: no metrics, gaps 0 or capped by definition.

    Examples
    --------
    >>> r = cx.pain(cx.examples.load("retail-bank"))
    >>> list(r.to_frame().columns)
    ['id', 'name', 'type', 'kind', 'pain', 'rank', 'impact', 'gap']
    """

    model_name: str
    unit: str
    pain: dict[str, float]
    rank: dict[str, int]
    impact: dict[str, float]
    total: TotalPain
    notes: tuple[str, ...]
    _rows: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    title = "Pain"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per touchpoint, element and capability, most pain first (ties by id).

        Examples
        --------
        >>> cx.pain(cx.examples.load("telecom")).to_frame()["pain"].is_monotonic_decreasing
        True
        """
        frame = pd.DataFrame(list(self._rows), columns=_COLUMNS)
        return frame.sort_values(["pain", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def elements(self, kind: str | None = None) -> pd.DataFrame:
        """Return the element rows (optionally of one kind), most pain first.

        Examples
        --------
        >>> set(cx.pain(cx.examples.load("retail-bank")).elements("team")["kind"])
        {'team'}
        """
        frame = self.to_frame()
        frame = frame[frame["type"] == "element"]
        if kind is not None:
            frame = frame[frame["kind"] == kind]
        return frame.reset_index(drop=True)

    def capabilities(self) -> pd.DataFrame:
        """Return the capability rows, most pain first.

        Examples
        --------
        >>> cx.pain(cx.examples.load("retail-bank")).capabilities()["rank"].tolist()[0]
        1
        """
        frame = self.to_frame()
        return frame[frame["type"] == "capability"].reset_index(drop=True)

    def top(self, n: int = 10, type: str = "element") -> pd.DataFrame:
        """Return the ``n`` rows of one type ("element", "capability" or "touchpoint") with most pain.

        Examples
        --------
        >>> len(cx.pain(cx.examples.load("retail-bank")).top(3))
        3
        """
        frame = self.to_frame()
        return frame[frame["type"] == type].head(n).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return total pain, every row and the notes as plain data.

        Examples
        --------
        >>> sorted(cx.pain(cx.Model()).to_dict())
        ['analysis', 'cxgraph_result', 'items', 'measure', 'model', 'notes', 'total_pain', 'unit']
        """
        return {"model": self.model_name, "unit": self.unit, "total_pain": self.total.to_dict(),
                "rows": jsonable(self.to_frame()), "notes": list(self.notes)}


def pain(model: Model, *, measure: WeightSpec = "interactions",
         metric_values: Mapping[str, float] | None = None) -> PainResult:
    """Return the pain of every touchpoint, element and capability, and total pain.

    Parameters
    ----------
    model
        The model.
    measure
        ``"interactions"`` (default) or a mapping touchpoint id -> weight: pain is defined in
        the interactions measure only (DESIGN §3).
    metric_values
        Metric id -> value to use instead of the metric's actual value (what-if).

    Returns
    -------
    PainResult
        A model without metrics has pain 0 everywhere; ``notes`` says so.

    Examples
    --------
    >>> m = cx.Model(name="Shop")
    >>> j = m.add_journey("buy", "Buy", customers=1000)
    >>> _ = j.add_touchpoint("checkout", "Checkout", depends_on=["app"])
    >>> _ = m.add_element("app", "App", kind="system")
    >>> _ = m.add_metric("csat", "CSAT", of="checkout", actual=3, target=4, ideal=5)
    >>> r = cx.pain(m)              # 1000 interactions * gap (2 - 1) / 2, all behind the app
    >>> r.pain["app"], r.total.customer
    (500.0, 500.0)
    """
    needs_model(model, "cx.pain")
    weights = touchpoint_weights(model, measure)
    tp_gap, el_gap = own_gaps(model, metric_values)
    impact_result = run_impact(model, measure)
    impact = {k: float(v) for k, v in impact_result.impact.items()}
    by_tp = {t: weights[t] * tp_gap[t] for t in weights}
    ids = [*weights, *el_gap, *(c.id for c in model.capabilities)]
    pains = dict.fromkeys(ids, 0.0)
    if any(v > 0 for v in by_tp.values()):
        pains.update({k: float(v) for k, v in run_impact(model, by_tp).impact.items() if k in pains})
    pains.update(by_tp)
    types = {**dict.fromkeys(weights, "touchpoint"), **dict.fromkeys(el_gap, "element"),
             **{c.id: "capability" for c in model.capabilities}}
    ranks = rank_by(pains, types)
    names = {i.id: i.name for i in [*model.touchpoints, *model.elements, *model.capabilities]}
    kinds = {**dict.fromkeys(weights, "touchpoint"), **{e.id: e.kind for e in model.elements},
             **{c.id: "capability" for c in model.capabilities}}
    gap = {**tp_gap, **el_gap}
    rows = tuple({"id": i, "name": names[i], "type": types[i], "kind": kinds[i], "pain": pains[i], "rank": ranks[i],
                  "impact": impact.get(i, weights.get(i, 0.0)), "gap": gap.get(i, math.nan)} for i in ids)
    total = total_pain(model, metric_values, impact=impact, measure=measure)
    return PainResult(model_name=model.name, unit=weight_unit(model, measure),
                      pain=pains, rank=ranks, impact={i: r["impact"] for i, r in zip(ids, rows, strict=True)},
                      total=total, notes=tuple(gap_notes(model, metric_values)), _rows=rows)
