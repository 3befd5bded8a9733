"""Experience gaps, pain and total pain: how far each metric falls short, and who sits behind it.

Definitions (DESIGN.md section 3): a metric's gap is the share of today's distance from
its ideal that lies beyond the target, in [0, 1] (0 where the actual value is ideal), so
it does not depend on how the metric is worded. A touchpoint's experience gap and an element's own gap
are the largest gap among the metrics ``of`` it. ``pain(x)`` is impact with every
touchpoint weighted by ``weight(t) * gap(t)``; total pain adds the customer side
(``weight(t) * gap(t)``) and the IT side (``impact(x) * gap(x)``).

The module shares its name with :func:`gaps`; reuse its helpers with
``from cxgraph.analysis.gaps import total_pain, metric_gap``.

Examples
--------
>>> from cxgraph.analysis.gaps import metric_gap
>>> metric_gap(5, 2, 0)             # turnaround 5 days against 2, ideal 0: (5 - 2) / 5
0.6
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..engine import compile_model
from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model, point
from ..model.estate import needs_model
from ._result import Result, jsonable
from .coverage import coverage_notes

__all__ = [
    "GapsResult",
    "TotalPain",
    "WeightSpec",
    "gap_notes",
    "gaps",
    "metric_gap",
    "metric_gaps",
    "metric_values_checked",
    "own_gaps",
    "pain_measure",
    "run_impact",
    "total_pain",
    "touchpoint_weights",
    "weight_unit",
]

WeightSpec = str | Mapping[str, float]
"""``"interactions"``, ``"customers"``, ``"revenue"``, or a mapping touchpoint id -> weight."""


def metric_gap(actual: float, target: float, ideal: float = 0.0) -> float:
    """Return the gap of one metric, in [0, 1]: the share of today's distance from ideal beyond the target.

    With ``dist(v) = |ideal - v|``: ``clamp((dist(actual) - dist(target)) / dist(actual), 0, 1)``,
    0 where ``dist(actual) = 0`` (DESIGN §3). Re-expressing a metric by ``v -> a v + b``
    changes no gap.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import metric_gap
    >>> metric_gap(5, 2)                 # turnaround 5 days against 2, ideal 0
    0.6
    >>> round(metric_gap(99.5, 99.9, 100), 12), round(metric_gap(0.5, 0.1, 0), 12)   # availability, either way
    (0.8, 0.8)
    >>> metric_gap(-50, 0, 100)          # NPS -50 against 0 (ideal 100): 50 of 150 beyond the target
    0.3333333333333333
    """
    far, goal = abs(ideal - actual), abs(ideal - target)
    if far <= goal:  # at or within the target (and so at the ideal, where far = 0): no gap
        return 0.0
    return min(1.0, (far - goal) / far)


def metric_values_checked(model: Model, metric_values: Mapping[str, float] | None) -> dict[str, float]:
    """Return every metric's value: its point ``actual``, replaced by ``metric_values`` where given.

    Raises :class:`UnknownIdError` for an id that is not a metric and
    :class:`AnalysisInputError` for a value that is not a finite number.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import metric_values_checked
    >>> m = cx.Model()
    >>> _ = m.add_metric("csat", "CSAT", of="t", actual=3, target=4, ideal=5)
    >>> metric_values_checked(m, {"csat": 3.5})
    {'csat': 3.5}
    """
    values = {m.id: point(m.actual) for m in model.metrics}
    for mid, value in (metric_values or {}).items():
        if mid not in values:
            raise UnknownIdError(mid, values, what="metric")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise AnalysisInputError(f"value of metric {mid!r} must be a finite number, got {value!r}")
        values[mid] = float(value)
    return values


def metric_gaps(model: Model, metric_values: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the gap of every metric (by id), using ``metric_values`` in place of actuals where given.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import metric_gaps
    >>> m = cx.Model()
    >>> _ = m.add_metric("tat", "Turnaround", of="x", actual=5, target=2, better="lower")
    >>> metric_gaps(m), metric_gaps(m, {"tat": 2})
    ({'tat': 0.6}, {'tat': 0.0})
    """
    values = metric_values_checked(model, metric_values)
    return {m.id: metric_gap(values[m.id], point(m.target), m.ideal_value) for m in model.metrics}


def own_gaps(model: Model,
             metric_values: Mapping[str, float] | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """Return ``(touchpoint gap, element gap)``: the largest metric gap of each touchpoint and element.

    Every touchpoint and element appears; one without metrics has gap 0.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import own_gaps
    >>> tp_gap, el_gap = own_gaps(cx.examples.load("retail-bank"))
    >>> round(el_gap["kyc-review"], 4)     # manual KYC turnaround 3 days against 1: (3 - 1) / 3
    0.6667
    """
    by_metric = metric_gaps(model, metric_values)
    tp_gap = {tp.id: 0.0 for tp in model.touchpoints}
    el_gap = {el.id: 0.0 for el in model.elements}
    for m in model.metrics:
        table = tp_gap if m.of in tp_gap else el_gap
        if m.of in table:
            table[m.of] = max(table[m.of], by_metric[m.id])
    return tp_gap, el_gap


def pain_measure(measure: WeightSpec) -> WeightSpec:
    """Return ``measure`` if pain is defined in it (interactions, or a per-touchpoint mapping); refuse the others.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import pain_measure
    >>> pain_measure("interactions")
    'interactions'
    >>> pain_measure("revenue")
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: pain, total pain, the burden and plans are defined in the interactions ...
    """
    if isinstance(measure, str) and measure in ("customers", "revenue"):
        raise AnalysisInputError(
            "pain, total pain, the burden and plans are defined in the interactions measure only (DESIGN §3), not "
            f"in {measure!r}: use measure='interactions' (impact and risk are available in every measure)")
    return measure


def touchpoint_weights(model: Model, measure: WeightSpec = "interactions") -> dict[str, float]:
    """Return ``weight(t)`` of every touchpoint: customers x journey importance x reach x importance, or a mapping.

    Pain is defined in the interactions measure (or a per-touchpoint mapping) only: the
    customers and revenue measures are refused (:func:`pain_measure`). A mapping may leave
    touchpoints out (weight 0); its keys must be touchpoint ids, its values finite numbers >= 0.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import touchpoint_weights
    >>> m = cx.Model()
    >>> j = m.add_journey("j", "J", customers=1000, importance=2)
    >>> _ = j.add_touchpoint("t", "T", reach=0.5, importance=2)
    >>> touchpoint_weights(m), touchpoint_weights(m, {"t": 3})
    ({'t': 2000.0}, {'t': 3.0})
    """
    compiled = compile_model(model)
    w = compiled.measure(pain_measure(measure)).tp_weight
    return dict(zip(compiled.ids[: compiled.n_touchpoints], w.tolist(), strict=True))


def weight_unit(model: Model, measure: WeightSpec = "interactions") -> str:
    """Return the unit of a measure, as the engine names it.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import weight_unit
    >>> weight_unit(cx.Model(period="week")), weight_unit(cx.Model(), {})
    ('interactions / week', 'weight / month')
    """
    return compile_model(model).measure(measure).unit


def run_impact(model: Model, measure: WeightSpec) -> Any:
    """Return ``cx.impact(model, measure=measure)`` (imported when first needed)."""
    return importlib.import_module("cxgraph.analysis.impact").impact(model, measure=measure)


def _impact_of(impact: Any) -> Mapping[str, float]:
    return impact.impact if hasattr(impact, "impact") else impact


class TotalPain(float):
    """Total pain: a float (customer side + IT side) that also carries its two parts.

    Attributes
    ----------
    customer
        ``sum over touchpoints t of weight(t) * gap(t)``.
    it
        ``sum over elements x of impact(x) * gap(x)``.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import TotalPain
    >>> p = TotalPain(30.0, 12.5)
    >>> p, p.customer, p.it, p - 2.5
    (42.5, 30.0, 12.5, 40.0)
    """

    __slots__ = ("customer", "it")
    customer: float
    it: float

    def __new__(cls, customer: float, it: float) -> TotalPain:  # noqa: D102 - documented on the class
        self = super().__new__(cls, float(customer) + float(it))
        object.__setattr__(self, "customer", float(customer))
        object.__setattr__(self, "it", float(it))
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("TotalPain is read-only")

    def __repr__(self) -> str:
        return float.__repr__(self)

    def to_dict(self) -> dict[str, float]:
        """Return ``{"customer": ..., "it": ..., "total": ...}``.

        Examples
        --------
        >>> from cxgraph.analysis.gaps import TotalPain
        >>> TotalPain(1, 2).to_dict()
        {'customer': 1.0, 'it': 2.0, 'total': 3.0}
        """
        return {"customer": self.customer, "it": self.it, "total": float(self)}


def total_pain(model: Model, metric_values: Mapping[str, float] | None = None, *, impact: Any = None,
               measure: WeightSpec = "interactions") -> TotalPain:
    """Return total pain: ``sum_t weight(t) * gap(t) + sum_x impact(x) * gap(x)``.

    Parameters
    ----------
    model
        The model.
    metric_values
        Metric id -> value, replacing those metrics' actual values (e.g. the ``to``
        values of chosen initiatives). Other metrics keep their actual value.
    impact
        Element impacts to use (a mapping id -> impact, or an ImpactResult computed with
        the same ``measure``); computed with ``cx.impact`` when needed and not given.
    measure
        ``"interactions"`` (default) or a mapping touchpoint id -> weight; pain is not defined
        in the customers and revenue measures (:class:`~cxgraph.AnalysisInputError`).

    Returns
    -------
    TotalPain
        A float, with ``.customer`` and ``.it`` parts.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import total_pain
    >>> m = cx.Model()
    >>> j = m.add_journey("j", "J", customers=1000)
    >>> _ = j.add_touchpoint("t", "T", depends_on=["app"])
    >>> _ = m.add_element("app", "App", kind="system")
    >>> _ = m.add_metric("csat", "CSAT", of="t", actual=3, target=4, ideal=5)
    >>> _ = m.add_metric("up", "Uptime", of="app", actual=99, target=99.9, ideal=100)
    >>> p = total_pain(m, impact={"app": 1000.0})  # 1000 * (2 - 1) / 2 + 1000 * (1 - 0.1) / 1
    >>> round(p, 9), p.customer, round(p.it, 9)
    (1400.0, 500.0, 900.0)
    >>> round(total_pain(m, {"csat": 4.5}, impact={"app": 1000.0}), 9)   # csat at its target: no gap
    900.0
    """
    weights = touchpoint_weights(model, measure)
    tp_gap, el_gap = own_gaps(model, metric_values)
    customer = math.fsum(weights[t] * g for t, g in tp_gap.items())
    it = 0.0
    if any(g > 0 for g in el_gap.values()):
        by_id = _impact_of(run_impact(model, measure) if impact is None else impact)
        it = math.fsum(float(by_id.get(x, 0.0)) * g for x, g in el_gap.items() if g > 0)
    return TotalPain(customer, it)


def gap_notes(model: Model, metric_values: Mapping[str, float] | None = None) -> list[str]:
    """Return plain statements about gaps that are 1 by definition, and missing metrics.

    Examples
    --------
    >>> from cxgraph.analysis.gaps import gap_notes
    >>> gap_notes(cx.Model())[-1]
    'The model has no metrics: every gap is 0, so all pain is 0 (add metrics with actual and target values).'
    """
    notes: list[str] = coverage_notes(model)
    if not model.metrics:
        return [*notes, "The model has no metrics: every gap is 0, so all pain is 0 "
                        "(add metrics with actual and target values)."]
    values = metric_values_checked(model, metric_values)
    tps = {tp.id for tp in model.touchpoints}
    if not any(m.of in tps for m in model.metrics):
        notes.append("No metric is of a touchpoint: customer-side pain is 0 and pain(x) is 0 for every item.")
    if all(m.of in tps for m in model.metrics):
        notes.append("No metric is of an element: IT-side pain is 0.")
    for m in model.metrics:
        actual, target, ideal = values[m.id], point(m.target), m.ideal_value
        if abs(ideal - target) == 0 and actual != ideal:
            notes.append(f"Metric {m.id!r} ({m.name}) has its target at the ideal {ideal:g}: its whole distance "
                         "from the ideal counts as gap (gap 1).")
    return notes


@dataclass(frozen=True, repr=False)
class GapsResult(Result):
    """Every metric's gap, each touchpoint's experience gap and each element's own gap; see :func:`gaps`.

    Attributes
    ----------
    model_name
        Name of the model.
    metric_gap, touchpoint_gap, element_gap
        Id -> gap in [0, 1] for every metric, touchpoint and element (0 without metrics).
    worst_metric
        Touchpoint or element id -> the id of its metric with the largest gap (ties by id).
    notes
        Plain statements: no metrics, gaps 1 by definition.

    Examples
    --------
    >>> r = cx.gaps(cx.examples.load("retail-bank"))
    >>> round(r.metric_gap["m-nps-mortgage"], 12)    # NPS -5 against 30, ideal 100: (105 - 70) / 105
    0.333333333333
    >>> list(r.to_frame().columns)
    ['id', 'name', 'of', 'of_type', 'actual', 'target', 'ideal', 'better', 'unit', 'gap']
    """

    model_name: str
    metric_gap: dict[str, float]
    touchpoint_gap: dict[str, float]
    element_gap: dict[str, float]
    worst_metric: dict[str, str]
    notes: tuple[str, ...]
    _metrics: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    _items: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    title = "Metric gaps"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per metric, largest gap first (ties by id).

        Examples
        --------
        >>> cx.gaps(cx.Model()).to_frame().empty
        True
        """
        cols = ["id", "name", "of", "of_type", "actual", "target", "ideal", "better", "unit", "gap"]
        frame = pd.DataFrame(list(self._metrics), columns=cols)
        return frame.sort_values(["gap", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def items(self) -> pd.DataFrame:
        """Return one row per touchpoint and element: id, name, type, kind, gap, metric (the worst one).

        Examples
        --------
        >>> r = cx.gaps(cx.examples.load("retail-bank"))
        >>> r.items().head(1).to_dict("records")   # availability 99.5 % against 99.95 %: (0.5 - 0.05) / 0.5
        [{'id': 'identity-svc', ...'gap': 0.9..., 'metric': 'm-avail-identity'}]
        """
        frame = pd.DataFrame(list(self._items), columns=["id", "name", "type", "kind", "gap", "metric"])
        return frame.sort_values(["gap", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return metrics, touchpoint and element gaps, and notes as plain data.

        Examples
        --------
        >>> cx.gaps(cx.Model()).to_dict()["metric_items"]
        []
        """
        return {"model": self.model_name, "metrics": jsonable(self.to_frame()),
                "items": jsonable(self.items()), "notes": list(self.notes)}


def gaps(model: Model, *, metric_values: Mapping[str, float] | None = None) -> GapsResult:
    """Return every metric's gap, each touchpoint's experience gap and each element's own gap.

    Parameters
    ----------
    model
        The model.
    metric_values
        Metric id -> value to use instead of the metric's actual value (what-if).

    Examples
    --------
    >>> m = cx.Model()
    >>> j = m.add_journey("j", "J", customers=100)
    >>> _ = j.add_touchpoint("t", "T")
    >>> _ = m.add_metric("nps", "NPS", of="t", actual=-20, target=30, ideal=100)
    >>> r = cx.gaps(m)
    >>> r.touchpoint_gap                 # NPS -20 against 30, ideal 100: (120 - 70) / 120
    {'t': 0.4166666666666667}
    >>> for note in r.notes[1:]:  # the first: the touchpoint depends on nothing
    ...     print(note)
    No metric is of an element: IT-side pain is 0.
    """
    needs_model(model, "cx.gaps")
    values = metric_values_checked(model, metric_values)
    by_metric = metric_gaps(model, values)
    tp_gap, el_gap = own_gaps(model, values)
    tps = {tp.id: tp for tp in model.touchpoints}
    worst: dict[str, str] = {}
    for m in sorted(model.metrics, key=lambda m: (-by_metric[m.id], m.id)):
        worst.setdefault(m.of, m.id)
    metrics = tuple({"id": m.id, "name": m.name, "of": m.of, "of_type": "touchpoint" if m.of in tps else "element",
                     "actual": values[m.id], "target": point(m.target), "ideal": m.ideal_value,
                     "better": m.better, "unit": m.unit,
                     "gap": by_metric[m.id]} for m in model.metrics)
    items = tuple([{"id": t, "name": tp.name, "type": "touchpoint", "kind": "touchpoint", "gap": tp_gap[t],
                    "metric": worst.get(t)} for t, tp in tps.items()]
                  + [{"id": e.id, "name": e.name, "type": "element", "kind": e.kind, "gap": el_gap[e.id],
                      "metric": worst.get(e.id)} for e in model.elements])
    return GapsResult(model_name=model.name, metric_gap=by_metric, touchpoint_gap=tp_gap, element_gap=el_gap,
                      worst_metric=worst, notes=tuple(gap_notes(model, values)), _metrics=metrics, _items=items)
