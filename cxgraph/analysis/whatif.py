"""What-if: the degradation of everything when some elements fail or degrade."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..engine import LOST, CompiledModel, compile_model
from ..errors import AnalysisInputError
from ..model import Model
from ._frozen import FrozenDict
from ._result import Result
from .coverage import coverage_notes

__all__ = ["WhatIfResult", "scenario_levels", "what_if"]


def scenario_levels(compiled: CompiledModel, fail: str | Iterable[str] = (),
                    degrade: Mapping[str, float] | None = None) -> dict[int, float]:
    """Turn ``fail`` and ``degrade`` into ``{node index: initial degradation}``.

    A capability stands for every element realising it or one of its descendants; where a
    node is named twice the larger level counts.

    Examples
    --------
    >>> from cxgraph.analysis.whatif import scenario_levels
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> scenario_levels(c, ["core-banking"], {"crm": 0.5}) == {c.node("core-banking"): 1.0, c.node("crm"): 0.5}
    True
    """
    levels: dict[int, float] = {}
    for node in compiled.resolve(fail):
        levels[node] = 1.0
    if degrade is not None and not isinstance(degrade, Mapping):
        raise AnalysisInputError(f"degrade must be a mapping id -> level in [0, 1], got {type(degrade).__name__}")
    for key, level in (degrade or {}).items():
        try:
            value = float(level)
        except (TypeError, ValueError):
            raise AnalysisInputError(f"degradation level of {key!r} must be a number in [0, 1], "
                                     f"got {level!r}") from None
        if not 0.0 <= value <= 1.0:  # also refuses NaN
            raise AnalysisInputError(f"degradation level of {key!r} must be between 0 and 1, got {level!r}")
        for node in compiled.resolve([key]):
            levels[node] = max(levels.get(node, 0.0), value)
    return levels


class WhatIfResult(Result):
    """The state of every touchpoint, element and journey under one scenario; see :func:`what_if`.

    Attributes
    ----------
    model_name : str
        Name of the model.
    scenario : dict[str, float]
        The initial degradation given to each element or touchpoint (capabilities expanded).
    degradation : dict[str, float]
        ``d`` of every touchpoint and element (read-only).
    journeys : pandas.DataFrame
        One row per journey: journey, name, segment, interactions_lost (the sum over its
        touchpoints of weight x d), share_lost (``jloss``: the share of the journey's customers
        who cannot complete it, DESIGN §3), customers_lost (customers x importance x share_lost),
        revenue_at_risk (revenue x share_lost; NaN where the journey has no revenue),
        interactions (the journey's interactions, all touchpoints working), loss (in the
        chosen measure).
    segments : pandas.DataFrame
        The same summed per segment.
    lost_touchpoints : list[str]
        Touchpoints fully lost (d = 1), in customer order.
    loss : float
        The loss in the chosen ``measure`` (``unit``), never above the measure's total.
    interactions_lost, customers_lost, revenue_at_risk : float
        Totals over all journeys in each measure (revenue over the journeys that have one).

    Examples
    --------
    >>> r = cx.what_if(cx.examples.load("retail-bank"), fail=["core-banking"])
    >>> r.degradation["core-banking"]
    1.0
    >>> list(r.journeys.columns)[:5]
    ['journey', 'name', 'segment', 'loss', 'share_lost']
    """

    def __init__(self, **state: Any) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "title", f"What if: {', '.join(state['scenario']) or 'nothing fails'}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @cached_property
    def degradation(self) -> FrozenDict:
        """``d`` of every touchpoint and element (read-only)."""
        return FrozenDict(zip(self._compiled.ids, self._d.tolist(), strict=True))

    @cached_property
    def _frame(self) -> pd.DataFrame:
        c, d = self._compiled, self._d
        n_tp = c.n_touchpoints
        frame = pd.DataFrame({
            "id": c.ids, "name": c.names, "type": np.where(np.arange(c.n_nodes) < n_tp, "touchpoint", "element"),
            "kind": c.kinds, "journey": [c.journey_ids[j] for j in c.tp_journey] + [None] * c.n_elements,
            "degradation": d,
            "interactions_lost": np.concatenate([self._interactions * d[:n_tp], np.full(c.n_elements, np.nan)]),
        })
        frame = frame.sort_values(["degradation", "id"], ascending=[False, True], kind="stable")
        return frame.reset_index(drop=True)

    @property
    def journeys(self) -> pd.DataFrame:
        """One row per journey: journey, name, segment, loss, share_lost, interactions_lost, ... (see the class)."""
        return self._journeys.copy()

    @property
    def segments(self) -> pd.DataFrame:
        """One row per segment: segment, loss, interactions_lost, customers_lost, revenue_at_risk, interactions."""
        return self._segments.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return one row per touchpoint and element: id, name, type, kind, journey, degradation, interactions_lost.

        Sorted by degradation (highest first), then id; ``journey`` and ``interactions_lost`` are
        empty for elements.

        Examples
        --------
        >>> r = cx.what_if(cx.examples.load("retail-bank"), fail=["core-banking"])
        >>> float(r.to_frame().iloc[0]["degradation"])
        1.0
        """
        return self._frame.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario, totals, journeys, segments, lost touchpoints and every degradation.

        Examples
        --------
        >>> d = cx.what_if(cx.examples.load("retail-bank"), fail=["core-banking"]).to_dict()
        >>> sorted(d)  # doctest: +NORMALIZE_WHITESPACE
        ['analysis', 'customers_lost', 'cxgraph_result', 'degradation', 'interactions_lost', 'items', 'loss',
         'lost_touchpoint_ids', 'measure', 'model', 'notes', 'revenue_at_risk', 'scenario', 'segment_items', 'unit']
        """
        return {
            "model": self.model_name, "measure": self.measure, "scenario": dict(self.scenario), "unit": self.unit,
            "loss": self.loss, "interactions_lost": self.interactions_lost, "customers_lost": self.customers_lost,
            "revenue_at_risk": self.revenue_at_risk,
            "lost_touchpoints": list(self.lost_touchpoints),
            "journeys": _records(self._journeys), "segments": _records(self._segments),
            "degradation": dict(self.degradation), "notes": list(self.notes),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict(orient="records")


def what_if(model: Model, fail: str | Iterable[str] = (), degrade: Mapping[str, float] | None = None, *,
            measure: str | Mapping[str, float] = "interactions") -> WhatIfResult:
    """Return the degradation of every touchpoint, element and journey when ``fail`` fail and ``degrade`` degrade.

    Parameters
    ----------
    model
        The model, or its :func:`~cxgraph.engine.compile_model` form (to skip re-checking it
        when calling many times).
    fail
        Ids of elements, touchpoints or capabilities that fail completely (a = 1). Failing a
        capability fails every element realising it or one of its descendants.
    degrade
        ``{id: level}`` with ``level`` in [0, 1]: a partial initial degradation.
    measure
        What ``loss`` counts: ``"interactions"`` (default), ``"customers"``, ``"revenue"`` or a
        mapping touchpoint id -> weight (DESIGN §3); the other measures are in the tables too.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 1000
    ...     revenue: 50000
    ...     touchpoints:
    ...       - {id: browse, name: Browse, depends_on: [{element: shop, strength: 0.5}]}
    ...       - {id: pay, name: Pay, depends_on: [{element: psp-a, group: psp}, {element: psp-b, group: psp}]}
    ... elements:
    ...   - {id: shop, name: Shop, kind: system}
    ...   - {id: psp-a, name: PSP A, kind: vendor}
    ...   - {id: psp-b, name: PSP B, kind: vendor}
    ... ''')
    >>> r = cx.what_if(m, fail=["psp-a"], degrade={"psp-b": 0.4, "shop": 1})
    >>> r.degradation["pay"], r.degradation["browse"]   # pay: 1 x 0.4; browse: 0.5 x 1
    (0.4, 0.5)
    >>> r.interactions_lost                 # 1000 x (0.4 + 0.5)
    900.0
    >>> r.customers_lost, r.revenue_at_risk  # a funnel: 1 - (1 - 0.5)(1 - 0.4) = 0.7 cannot buy
    (700.0..., 35000.0...)
    >>> cx.what_if(m, fail=["psp-a", "psp-b"]).lost_touchpoints
    ['pay']
    """
    compiled = compile_model(model)
    levels = scenario_levels(compiled, fail, degrade)
    n_j = len(compiled.journey_ids)
    d, jloss = compiled.degradation_and_journey_loss(levels)  # one propagation gives both
    n_tp = compiled.n_touchpoints
    chosen = compiled.measure(measure)
    interactions = compiled.measure("interactions").tp_weight
    d_tp = d[:n_tp]
    lost_i = np.bincount(compiled.tp_journey, weights=interactions * d_tp, minlength=n_j)
    total_i = np.bincount(compiled.tp_journey, weights=interactions, minlength=n_j)
    lost_c = compiled.journey_customers * compiled.journey_importance * jloss
    lost_r = compiled.journey_revenue * jloss
    if chosen.funnel:
        loss = chosen.journey_weight * jloss
    else:
        loss = np.bincount(compiled.tp_journey, weights=chosen.tp_weight * d_tp, minlength=n_j)
    segments = [compiled.segment_names[s] for s in compiled.journey_segment]
    columns = ["journey", "name", "segment", "loss", "share_lost", "interactions_lost", "customers_lost",
               "revenue_at_risk", "interactions"]
    journeys = pd.DataFrame({
        "journey": compiled.journey_ids, "name": compiled.journey_names, "segment": segments, "loss": loss,
        "share_lost": jloss, "interactions_lost": lost_i, "customers_lost": lost_c, "revenue_at_risk": lost_r,
        "interactions": total_i,
    }, columns=columns)
    sums = ["loss", "interactions_lost", "customers_lost", "revenue_at_risk", "interactions"]
    by_segment = journeys.groupby("segment", sort=False)[sums].sum(min_count=1)
    for col in ("loss", "interactions_lost", "customers_lost", "interactions"):
        by_segment[col] = by_segment[col].fillna(0.0)
    by_segment = by_segment.reset_index()
    ids = compiled.ids
    rev_total = float(np.nansum(lost_r)) if n_j and not np.isnan(lost_r).all() else math.nan
    return WhatIfResult(
        model_name=compiled.model_name, unit=chosen.unit,
        scenario=FrozenDict((ids[i], v) for i, v in sorted(levels.items())),
        _journeys=journeys, _segments=by_segment, _compiled=compiled, _d=d, _interactions=interactions,
        lost_touchpoints=[ids[i] for i in np.flatnonzero(d_tp >= LOST)], measure=chosen.name,
        loss=float(loss.sum()), interactions_lost=float(lost_i.sum()), customers_lost=float(lost_c.sum()),
        revenue_at_risk=rev_total, notes=tuple(coverage_notes(compiled)),
    )
