"""The three measures of customer loss (DESIGN §3): interactions, customers and revenue.

A :class:`Measure` carries what the kernel needs to turn the degradation of the touchpoints
into one loss: per-touchpoint weights (interactions, or any mapping a caller gives), or
the journey funnel (customers and revenue): ``jloss(j) = 1 - prod (1 - reach(t) d(t))``
over the required touchpoints of ``j``, weighted per journey.

Examples
--------
>>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
>>> c.measure("customers").unit
'customers / month'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import AnalysisInputError, UnknownIdError

if TYPE_CHECKING:
    from .compile import CompiledModel

__all__ = ["MEASURES", "Measure", "as_measure", "measure_of"]

MEASURES = ("interactions", "customers", "revenue")
"""The named measures, the default first."""


@dataclass(frozen=True, eq=False)
class Measure:
    """A measure of loss, resolved on a compiled model; build it with :meth:`CompiledModel.measure`.

    ``name`` is ``interactions``, ``customers``, ``revenue`` or ``weight`` (a caller's mapping);
    ``funnel`` says whether loss is counted per journey (``journey_weight * jloss``) or per
    touchpoint (``tp_weight * d``).

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> m = c.measure("revenue")
    >>> m.funnel, m.name
    (True, 'revenue')
    """

    name: str
    unit: str
    funnel: bool
    tp_weight: np.ndarray
    tp_funnel: np.ndarray
    journey_weight: np.ndarray

    def __repr__(self) -> str:
        return f"Measure({self.name!r}, unit={self.unit!r})"

    @property
    def total(self) -> float:
        """The whole of the measure over the model: no loss can exceed it.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> c.measure("revenue").total == sum(j.revenue for j in cx.examples.load("retail-bank").journeys)
        True
        """
        return float(self.journey_weight.sum() if self.funnel else self.tp_weight.sum())

    def of_lost(self, touchpoints: list[int], tp_journey: np.ndarray) -> float:
        """Return the loss when the touchpoints ``touchpoints`` (indices) are fully lost and nothing else.

        Examples
        --------
        >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
        >>> m = c.measure()
        >>> bool(m.of_lost([0, 1], c.tp_journey) == m.tp_weight[0] + m.tp_weight[1])
        True
        """
        if not self.funnel:
            return float(self.tp_weight[touchpoints].sum())
        survive: dict[int, float] = {}
        for t in touchpoints:
            j = int(tp_journey[t])
            survive[j] = survive.get(j, 1.0) * (1.0 - float(self.tp_funnel[t]))
        return float(sum(float(self.journey_weight[j]) * (1.0 - s) for j, s in survive.items()))


def _interactions(c: CompiledModel) -> np.ndarray:
    if not c.n_touchpoints:
        return np.zeros(0)
    w = (c.journey_customers * c.journey_importance)[c.tp_journey] * c.tp_reach * c.tp_importance
    return np.ascontiguousarray(w, dtype=np.float64)


def measure_of(c: CompiledModel, measure: str | Mapping[str, float] | Measure = "interactions") -> Measure:
    """Resolve ``measure`` on ``c``: a name of :data:`MEASURES`, a mapping touchpoint id -> weight, or a Measure.

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> cx.engine.measure_of(c, "interactions").unit
    'interactions / month'
    >>> cx.engine.measure_of(c, "clicks")
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: unknown measure 'clicks': use 'interactions', 'customers', 'revenue' or ...
    """
    if isinstance(measure, Measure):
        return measure
    n_j = len(c.journey_ids)
    funnel_reach = np.ascontiguousarray(np.where(c.tp_required, c.tp_reach, 0.0), dtype=np.float64)
    if isinstance(measure, str):
        if measure == "interactions":
            return Measure("interactions", f"interactions / {c.period}", False, _interactions(c), funnel_reach,
                           np.zeros(n_j))
        if measure == "customers":
            jw = np.ascontiguousarray(c.journey_customers * c.journey_importance, dtype=np.float64)
            return Measure("customers", f"customers / {c.period}", True, np.zeros(c.n_touchpoints), funnel_reach, jw)
        if measure == "revenue":
            missing = [j for j, r in zip(c.journey_ids, c.journey_revenue, strict=True) if np.isnan(r)]
            if missing:
                raise AnalysisInputError(
                    "measure='revenue' needs a revenue on every journey; no revenue on: " + ", ".join(missing)
                    + " (give those journeys `revenue: 0` if no revenue depends on them)")
            unit = f"{c.currency} / {c.period}" if c.currency else f"revenue / {c.period}"
            return Measure("revenue", unit, True, np.zeros(c.n_touchpoints), funnel_reach,
                           np.ascontiguousarray(c.journey_revenue, dtype=np.float64))
        raise AnalysisInputError(f"unknown measure {measure!r}: use 'interactions', 'customers', 'revenue' or a "
                                 "mapping touchpoint id -> weight")
    if not isinstance(measure, Mapping):
        raise AnalysisInputError("measure must be 'interactions', 'customers', 'revenue' or a mapping touchpoint id "
                                 f"-> weight, got {type(measure).__name__}")
    w = np.zeros(c.n_touchpoints)
    tp_ids = c.ids[: c.n_touchpoints]
    for tid, value in measure.items():
        i = c.index.get(tid, -1) if isinstance(tid, str) else -1
        if not 0 <= i < c.n_touchpoints:
            raise UnknownIdError(str(tid), tp_ids, what="touchpoint")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AnalysisInputError(f"weight of touchpoint {tid!r} must be a number, got {value!r}") from None
        if not np.isfinite(number) or number < 0:
            raise AnalysisInputError(f"weight of touchpoint {tid!r} must be a finite number >= 0, got {value!r}")
        w[i] = number
    return Measure("weight", f"weight / {c.period}", False, w, funnel_reach, np.zeros(n_j))


def as_measure(c: CompiledModel, weight: Any) -> Measure:
    """Return a :class:`Measure` from what engine callers pass: a Measure, per-touchpoint weights, or ``None`` (zeros).

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> float(cx.engine.as_measure(c, None).tp_weight.sum())
    0.0
    """
    if isinstance(weight, Measure):
        return weight
    w = np.zeros(c.n_touchpoints) if weight is None else np.ascontiguousarray(weight, dtype=np.float64)
    return Measure("weight", f"weight / {c.period}", False, w, np.zeros(c.n_touchpoints),
                   np.zeros(len(c.journey_ids)))
