"""The mapping an operational-resilience review asks for: what each journey rests on, and vendor concentration.

For each journey with an impact tolerance, every element it rests on (some touchpoint of the
journey has ``d > 0`` when that element alone fails), grouped by kind (systems, services,
data, infrastructure, processes, teams, vendors: the third parties), with its recovery time
and whether that recovery alone already exceeds the tolerance. And for each vendor, the
journeys and customers that rest on it: the vendor and every element it owns failing at once.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..engine import compile_model
from ..errors import AnalysisInputError
from ..model import Model
from ._result import Result

__all__ = ["GROUPS", "ResilienceMapResult", "resilience_map"]

GROUPS: dict[str, str] = {"system": "systems", "service": "services", "data": "data",
                          "infrastructure": "infrastructure", "process": "processes", "team": "teams",
                          "vendor": "vendors"}
"""The heading each element kind is grouped under, in the order a mapping lists them."""

_ORDER = {kind: i for i, kind in enumerate(GROUPS)}
_COLUMNS = ["journey", "journey_name", "tolerance_hours", "group", "id", "name", "type", "kind", "owner",
            "recovery_hours", "exceeds_tolerance", "jloss", "breach_alone"]
_VENDOR_COLUMNS = ["id", "name", "type", "owned_ids", "journey_ids", "n_journeys", "customers", "customers_lost"]


class ResilienceMapResult(Result):
    """The elements each journey with a tolerance rests on, and vendor concentration; see :func:`resilience_map`.

    Attributes
    ----------
    vendors : pandas.DataFrame
        One row per vendor: id, name, type, owned_ids, journey_ids (journeys resting on it),
        n_journeys, customers (their customers per period), customers_lost (customers ×
        importance × journey loss when the vendor and all it owns fail).

    Examples
    --------
    >>> r = cx.resilience_map(cx.examples.load("retail-bank"))
    >>> list(r.to_frame().columns)[:4]
    ['journey', 'journey_name', 'tolerance_hours', 'group']
    """

    title = "Resilience mapping"

    def __init__(self, *, model_name: str, period: str, frame: pd.DataFrame, vendors: pd.DataFrame,
                 notes: list[str]) -> None:
        for key, value in (("model_name", model_name), ("period", period), ("_frame", frame),
                           ("_vendors", vendors), ("notes", list(notes))):
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @property
    def vendors(self) -> pd.DataFrame:
        """One row per vendor, most customers first (ties by id)."""
        return self._vendors.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return one row per (journey with a tolerance, element it rests on), grouped by kind.

        Columns: journey, journey_name, tolerance_hours, group (systems, services, data,
        infrastructure, processes, teams, vendors), id, name, type ("element"), kind, owner,
        recovery_hours (NaN where none), exceeds_tolerance (the recovery time alone is longer
        than the tolerance; ``None`` without a recovery time), jloss (the journey's loss when
        the element alone fails) and breach_alone (that failure alone breaches the tolerance).

        Examples
        --------
        >>> frame = cx.resilience_map(cx.examples.load("retail-bank")).to_frame()
        >>> set(frame["group"]) <= {"systems", "services", "data", "infrastructure", "processes", "teams", "vendors"}
        True
        """
        return self._frame.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the mapping in the JSON envelope: ``items`` (journey × element) and ``vendor_items``.

        Examples
        --------
        >>> sorted(cx.resilience_map(cx.examples.load("retail-bank")).to_dict())[-2:]
        ['unit', 'vendor_items']
        """
        return {"cxgraph_result": 1, "analysis": "resilience_map", "model": self.model_name, "measure": "customers",
                "unit": f"customers / {self.period}", "notes": list(self.notes),
                "items": self._frame.to_dict(orient="records"),
                "vendor_items": self._vendors.to_dict(orient="records")}


def resilience_map(model: Model) -> ResilienceMapResult:
    """Return every element each journey with a tolerance rests on, by kind, and each vendor's concentration.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: pay
    ...     name: Payments
    ...     customers: 1000
    ...     tolerance: {hours: 4}
    ...     touchpoints: [{id: send, name: Send, depends_on: [app]}]
    ... elements:
    ...   - {id: app, name: App, kind: system, recovery_hours: 2, depends_on: [host]}
    ...   - {id: host, name: Hosting Ltd, kind: vendor, recovery_hours: 8}
    ... ''')
    >>> r = cx.resilience_map(m)
    >>> r.to_frame()[["group", "id", "recovery_hours", "exceeds_tolerance"]].values.tolist()
    [['systems', 'app', 2.0, False], ['vendors', 'host', 8.0, True]]
    >>> r.vendors[["id", "journey_ids", "customers"]].values.tolist()
    [['host', ['pay'], 1000.0]]
    """
    if not isinstance(model, Model):
        raise AnalysisInputError(f"resilience_map needs a cxgraph Model, got {type(model).__name__}")
    c = compile_model(model)
    first, n_j = c.n_touchpoints, len(c.journey_ids)
    elements = list(range(first, c.n_nodes))
    recovery = np.asarray(c.recovery_hours, np.float64)
    tol_h = np.asarray(c.journey_tolerance_hours, np.float64)
    tol_l = np.nan_to_num(np.asarray(c.journey_tolerance_loss, np.float64))
    touched = np.zeros((len(elements), n_j), bool)
    jl = np.zeros((len(elements), n_j))
    ones = dict.fromkeys(c.ids[:first], 1.0)
    if elements and first:
        batch = [{u: 1.0} for u in elements]
        out = c.run(batch, c.measure(ones), journeys=True)
        hit = out.journey_v > 0
        touched[out.journey_s[hit], out.journey_j[hit]] = True
        jl = c.journey_loss(batch)
    rows = []
    with_tolerance = [j for j in range(n_j) if not math.isnan(tol_h[j])]
    for j in with_tolerance:
        picked = [k for k in range(len(elements)) if touched[k, j]]
        picked.sort(key=lambda k: (_ORDER[c.kinds[elements[k]]], c.ids[elements[k]]))
        for k in picked:
            u = elements[k]
            r = float(recovery[u])
            exceeds = None if math.isnan(r) else bool(r > tol_h[j])
            rows.append({"journey": c.journey_ids[j], "journey_name": c.journey_names[j],
                         "tolerance_hours": float(tol_h[j]), "group": GROUPS[c.kinds[u]], "id": c.ids[u],
                         "name": c.names[u], "type": "element", "kind": c.kinds[u], "owner": c.owners[u],
                         "recovery_hours": r, "exceeds_tolerance": exceeds, "jloss": float(jl[k, j]),
                         "breach_alone": bool(exceeds and jl[k, j] > tol_l[j])})
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    vendors = _vendors(model, c, ones)
    notes = [] if with_tolerance else ["no journey has a tolerance: give journeys `tolerance: {hours: H}`"]
    return ResilienceMapResult(model_name=c.model_name, period=c.period, frame=frame, vendors=vendors, notes=notes)


def _vendors(model: Model, c: Any, ones: dict[str, float]) -> pd.DataFrame:
    vendors = [e for e in model.elements if e.kind == "vendor"]
    if not vendors:
        return pd.DataFrame([], columns=_VENDOR_COLUMNS)
    owned = [[x.id for x in model.elements if x.owner == v.id and x.id != v.id] for v in vendors]
    batch = [dict.fromkeys([c.index[v.id], *(c.index[x] for x in own)], 1.0) for v, own in
             zip(vendors, owned, strict=True)]
    n_j = len(c.journey_ids)
    touched = np.zeros((len(vendors), n_j), bool)
    jl = np.zeros((len(vendors), n_j))
    if n_j and c.n_touchpoints:
        out = c.run(batch, c.measure(ones), journeys=True)
        hit = out.journey_v > 0
        touched[out.journey_s[hit], out.journey_j[hit]] = True
        jl = c.journey_loss(batch)
    customers = np.asarray(c.journey_customers, np.float64)
    weight = customers * np.asarray(c.journey_importance, np.float64)
    rows = []
    for k, v in enumerate(vendors):
        js = np.flatnonzero(touched[k])
        rows.append({"id": v.id, "name": v.name, "type": "element", "owned_ids": owned[k],
                     "journey_ids": [c.journey_ids[j] for j in js], "n_journeys": len(js),
                     "customers": float(customers[js].sum()), "customers_lost": float(weight @ jl[k])})
    frame = pd.DataFrame(rows, columns=_VENDOR_COLUMNS)
    frame = frame.sort_values(["customers", "id"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)

