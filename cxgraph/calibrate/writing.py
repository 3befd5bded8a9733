"""Writing calibrated values into a copy of the model, recording each change and where it came from."""

from __future__ import annotations

import re
from typing import Any

from ..model import Element, Metric, Model, Uncertain
from .report import Change

__all__ = ["TIME_UNITS", "Writer", "rounded", "slug", "time_unit", "uncertain"]

TIME_UNITS: dict[str, float] = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "week": 604800, "weeks": 604800,
}
"""Seconds in each unit of time a turnaround metric may be written in."""


def time_unit(unit: str | None) -> float | None:
    """Seconds in ``unit`` ('days', 'hours', 'min', ...), or ``None`` if it is not a unit of time.

    Examples
    --------
    >>> from cxgraph.calibrate.writing import time_unit
    >>> time_unit("days"), time_unit("Hours"), time_unit("%")
    (86400, 3600, None)
    """
    return TIME_UNITS.get((unit or "").strip().lower())


def rounded(x: float) -> float:
    """Six significant digits: enough for any evidence, short in a model file.

    Examples
    --------
    >>> from cxgraph.calibrate.writing import rounded
    >>> rounded(2.0 / 3.0)
    0.666667
    """
    return float(f"{x:.6g}")


def uncertain(low: float, mode: float, high: float) -> Uncertain:
    """Return an :class:`~cxgraph.Uncertain` of three rounded values (``low <= mode <= high`` kept).

    Examples
    --------
    >>> from cxgraph.calibrate.writing import uncertain
    >>> uncertain(0.57272, 2, 5.53518)
    Uncertain(low=0.57272, mode=2.0, high=5.53518)
    """
    lo, mo, hi = rounded(low), rounded(mode), rounded(high)
    return Uncertain(low=min(lo, mo), mode=mo, high=max(hi, mo))


def slug(text: str) -> str:
    """Turn any text into an id fragment (letters, digits, '-', '_', '.').

    Examples
    --------
    >>> from cxgraph.calibrate.writing import slug
    >>> slug("Good experience (p99)")
    'good-experience-p99'
    """
    return re.sub(r"[^a-z0-9_.]+", "-", text.lower()).strip("-") or "x"


class Writer:
    """Applies values to a model (a copy the caller made) and records every change.

    Examples
    --------
    >>> from cxgraph.calibrate.writing import Writer
    >>> m = cx.examples.load("retail-bank")
    >>> w = Writer(m)
    >>> metric = w.metric("m-csat-compare", of="oa-compare", new={}, values={"actual": 4.0}, evidence=12,
    ...                   source="s.csv", how="mean of 12 responses")
    >>> metric.actual, [str(c) for c in w.changes]
    (4.0, ['m-csat-compare.actual: 3.8 -> 4 (12 records: mean of 12 responses; s.csv)'])
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self._written: set[str] = set()
        self.metrics: dict[str, Metric] = {m.id: m for m in model.metrics}
        self._metric_at = {m.id: i for i, m in enumerate(model.metrics)}
        self._element_at = {e.id: i for i, e in enumerate(model.elements)}
        self.ids_of: dict[str, list[str]] = {}
        for m in model.metrics:
            self.ids_of.setdefault(m.of, []).append(m.id)

    def _record(self, item: Any, type_: str, field: str, before: Any, after: Any, evidence: int, source: str,
                how: str) -> None:
        if before != after:
            self.changes.append(Change(item.id, item.name, type_, field, before, after, evidence, source, how))

    def _rebuilt(self, item: Any, changes: dict[str, Any], evidence_text: str) -> Any:
        # Rebuilt whole, so checks across fields see the final values, never a half-changed item.
        data = {**item.model_dump(), **changes}
        if item.id in self._written:   # written twice in one run (an SLO's target, a survey's actual): keep both
            evidence_text = f"{item.properties['evidence']}; {evidence_text}"
        self._written.add(item.id)
        data["properties"] = {**item.properties, "evidence": evidence_text}
        return type(item).model_validate(data)

    def element(self, element: Element, values: dict[str, Any], *, evidence: int, source: str, how: str) -> Element:
        """Set reliability fields of ``element`` (a stated ``availability`` gives way); return the new element."""
        changes = dict(values)
        if "availability" not in values and getattr(element, "availability", None) is not None:
            changes = {"availability": None, **changes}
        new = self._rebuilt(element, changes, f"{how} ({source})")
        for name, value in changes.items():
            why = "replaced by failures per year and recovery hours" if name == "availability" else how
            self._record(element, "element", name, getattr(element, name), value, evidence, source, why)
        self.model.elements[self._element_at[element.id]] = new
        return new

    def metric(self, id: str, *, of: str, new: dict[str, Any], values: dict[str, Any], evidence: int, source: str,
               how: str) -> Metric:
        """Update metric ``id`` with ``values``, or add it (``new`` holds its other fields) if the model has none."""
        old = self.metrics.get(id)
        text = f"{how} ({source})"
        if old is None:
            fields = {"name": id, **new, **values}
            metric = Metric.model_validate({"id": id, "of": of, **fields, "properties": {"evidence": text}})
            self._written.add(id)
            self._metric_at[id] = len(self.model.metrics)
            self.ids_of.setdefault(of, []).append(id)
            self.model.metrics.append(metric)
            for name in ("actual", "target"):
                self._record(metric, "metric", name, None, getattr(metric, name), evidence, source, how)
            for name in ("better", "ideal", "unit"):
                if fields.get(name) is not None:
                    self._record(metric, "metric", name, None, fields[name], evidence, source, "new metric")
        else:
            metric = self._rebuilt(old, values, text)
            for name, value in values.items():
                self._record(metric, "metric", name, getattr(old, name), value, evidence, source, how)
            self.model.metrics[self._metric_at[id]] = metric
        self.metrics[id] = metric
        return metric
