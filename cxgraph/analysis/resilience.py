"""Operational resilience: how long each journey stays disrupted under each scenario, against its tolerance.

DESIGN.md section 3, "Disruption over time and impact tolerance". A scenario fails a set of
elements at time 0; each comes back after its recovery time. A journey with the tolerance
``{hours: H, loss: L}`` is disrupted while its journey loss ``jloss`` exceeds ``L``; its
disruption time is the first moment ``jloss <= L``, and the scenario breaches the tolerance
when that time exceeds ``H``. Customers harmed: ``customers * importance / hours(period)``
times the integral of ``jloss`` over time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..engine import compile_model
from ..engine.executors import resolve_executor
from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model
from ..model.estate import needs_model
from ._disruption import pick_scenarios, resolve_scenarios, steps
from ._result import Result

__all__ = ["ResilienceResult", "resilience"]

_COLUMNS = ["scenario", "scenario_name", "id", "name", "type", "tolerance_hours", "tolerance_loss",
            "disruption_hours", "breach", "max_loss", "customers_harmed", "peak_loss", "lost", "ended_by_ids",
            "message"]


@dataclass(frozen=True)
class _Steps:
    """One scenario's step functions: step i runs from starts[i] to ends[i]; loss and mloss are (step, journey)."""

    starts: np.ndarray
    ends: np.ndarray
    loss: np.ndarray
    mloss: np.ndarray
    restored: list[list[str]]

    def frame(self, j: int) -> pd.DataFrame:
        return pd.DataFrame({"from_hours": self.starts, "to_hours": self.ends, "jloss": self.loss[:, j],
                             "loss": self.mloss[:, j], "restored_ids": self.restored})


def hours_text(hours: float) -> str:
    """Return hours for a sentence: ``12 h``, ``1.5 h``.

    Examples
    --------
    >>> from cxgraph.analysis.resilience import hours_text
    >>> hours_text(12.0), hours_text(1.5)
    ('12 h', '1.5 h')
    """
    return f"{hours:,.4g} h"


def _names(ids: list[str], names: dict[str, str]) -> str:
    shown = [names.get(i, i) for i in ids]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def sentence(name: str, hours: float, tolerance: float, breach: bool, ended_by: list[str],
             names: dict[str, str]) -> str:
    """Return the one-line verdict for a journey under a scenario.

    Examples
    --------
    >>> from cxgraph.analysis.resilience import sentence
    >>> print(sentence("Payments", 12.0, 4.0, True, ["db"], {"db": "the core banking database"}))
    breach: Payments is disrupted for 12 h against a tolerance of 4 h;
    it ends when the core banking database is restored
    """
    if hours <= 0:
        head = f"{name} is not disrupted"
        return f"within tolerance: {head}" if not math.isnan(tolerance) else head
    tail = f"; it ends when {_names(ended_by, names)} {'is' if len(ended_by) == 1 else 'are'} restored"
    if math.isnan(tolerance):
        return f"{name} is disrupted for {hours_text(hours)} (no tolerance given){tail}"
    verdict = "breach" if breach else "within tolerance"
    against = f"against a tolerance of {hours_text(tolerance)}"
    return f"{verdict}: {name} is disrupted for {hours_text(hours)} {against}{tail}"


class ResilienceResult(Result):
    """Disruption time, breach and customers harmed of every journey under every scenario; see :func:`resilience`.

    Attributes
    ----------
    model_name, measure, unit : str
        The model, the measure of ``peak_loss`` and its unit (``lost`` is in the unit times a period).
    scenarios : pandas.DataFrame
        One row per scenario: id, name, reason, element_ids (what it fails), n_breaches.

    Examples
    --------
    >>> r = cx.resilience(cx.examples.load("retail-bank"))
    >>> list(r.to_frame().columns)[:5]
    ['scenario', 'scenario_name', 'id', 'name', 'type']
    """

    title = "Operational resilience"

    def __init__(self, *, model_name: str, measure: str, unit: str, period: str, frame: pd.DataFrame,
                 scenarios: pd.DataFrame, timelines: dict[str, _Steps], notes: list[str]) -> None:
        for key, value in (("model_name", model_name), ("measure", measure), ("unit", unit), ("period", period),
                           ("_frame", frame), ("_scenarios", scenarios), ("_timelines", timelines),
                           ("notes", list(notes))):
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @property
    def scenarios(self) -> pd.DataFrame:
        """One row per scenario: id, name, reason, element_ids, n_breaches."""
        return self._scenarios.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return one row per (scenario, journey), in scenario then journey order.

        Columns: scenario, scenario_name, id, name, type ("journey"), tolerance_hours and
        tolerance_loss (NaN and 0 without a tolerance), disruption_hours, breach, max_loss
        (the largest journey loss, a share of its customers), customers_harmed, peak_loss (the
        largest loss per period in the chosen measure), lost (the measure's loss over the
        disruption: per-period loss integrated over hours, divided by the hours of a period),
        ended_by_ids (the elements whose recovery ends the disruption) and message.

        Examples
        --------
        >>> r = cx.resilience(cx.examples.load("retail-bank"))
        >>> bool((r.to_frame()["disruption_hours"] >= 0).all())
        True
        """
        return self._frame.copy()

    def breaches(self) -> pd.DataFrame:
        """Return the rows whose scenario breaches the journey's tolerance.

        Examples
        --------
        >>> r = cx.resilience(cx.examples.load("retail-bank"))
        >>> bool(r.breaches()["breach"].all())
        True
        """
        return self._frame[self._frame["breach"]].reset_index(drop=True)

    def timeline(self, scenario: str, journey: str) -> pd.DataFrame:
        """Return the steps of the journey loss over time under one scenario.

        Columns: from_hours, to_hours (``inf`` on the last step, when nothing is down),
        jloss, loss (in the chosen measure, per period), restored_ids (the elements back at
        ``to_hours``).

        Examples
        --------
        >>> r = cx.resilience(cx.examples.load("retail-bank"))
        >>> row = r.to_frame().iloc[0]
        >>> float(r.timeline(row["scenario"], row["id"])["jloss"].iloc[-1])
        0.0
        """
        if scenario not in self._timelines:
            raise UnknownIdError(scenario, self._timelines, what="scenario")
        journeys = list(dict.fromkeys(self._frame["id"]))
        if journey not in journeys:
            raise UnknownIdError(journey, journeys, what="journey")
        return self._timelines[scenario].frame(journeys.index(journey))

    def matrix(self, column: str = "disruption_hours") -> pd.DataFrame:
        """Return ``column`` as a table: one row per scenario, one column per journey.

        Examples
        --------
        >>> r = cx.resilience(cx.examples.load("retail-bank"))
        >>> r.matrix().shape == (len(r.scenarios), r.to_frame()["id"].nunique())
        True
        """
        frame = self._frame.pivot(index="scenario", columns="id", values=column)
        return frame.loc[self._scenarios["id"].tolist(), list(dict.fromkeys(self._frame["id"]))]

    @cached_property
    def _items(self) -> list[dict[str, Any]]:
        journeys = list(dict.fromkeys(self._frame["id"]))
        rows = []
        for row in self._frame.to_dict(orient="records"):
            line = self._timelines[row["scenario"]].frame(journeys.index(row["id"]))
            row["timeline"] = [
                {"from_hours": r["from_hours"], "to_hours": None if math.isinf(r["to_hours"]) else r["to_hours"],
                 "jloss": r["jloss"], "loss": r["loss"], "restored_ids": r["restored_ids"]}
                for r in line.to_dict(orient="records")]
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Return the result in the JSON envelope: one row per (scenario, journey) in ``items``, with its timeline.

        Examples
        --------
        >>> d = cx.resilience(cx.examples.load("retail-bank")).to_dict()
        >>> d["analysis"], sorted(d["items"][0])[:4]
        ('resilience', ['breach', 'customers_harmed', 'disruption_hours', 'ended_by_ids'])
        """
        scenarios = [{"id": s["id"], "name": s["name"], "type": "scenario", "reason": s["reason"],
                      "element_ids": s["element_ids"], "n_breaches": s["n_breaches"]}
                     for s in self._scenarios.to_dict(orient="records")]
        return {"cxgraph_result": 1, "analysis": "resilience", "model": self.model_name, "measure": self.measure,
                "unit": self.unit, "notes": list(self.notes), "n_breaches": int(self._frame["breach"].sum()),
                "scenario_items": scenarios, "items": self._items}


def _measure(c: Any, measure: str | Mapping[str, float]) -> tuple[Any, str, str]:
    m = c.measure(measure)
    return m, m.name, m.unit


def resilience(model: Model, *, scenarios: Any = None, measure: str | Mapping[str, float] = "interactions",
               by: str | list[str] | None = None, executor: Any = None) -> ResilienceResult:
    """Return how long each journey stays disrupted under each scenario, and whether that breaches its tolerance.

    Parameters
    ----------
    model
        The model (not its compiled form: scenarios select the model's elements by their fields).
    scenarios
        ``None``: the model's ``scenarios``; ``"plausible"``: severe-but-plausible scenarios
        generated from the model (see :func:`plausible_scenarios`); or ids of the model's
        scenarios, :class:`~cxgraph.model.Scenario` objects or mappings.
    measure
        What ``peak_loss`` and ``lost`` count: "interactions" (default), "customers",
        "revenue" or a mapping touchpoint id -> weight. ``customers_harmed`` is always
        customers.
    by
        For ``scenarios="plausible"``: where sites are named (``"tag:site"``, ``"property:site"``).
    executor
        Where the scenarios' steps are propagated: ``None`` (default, this machine), a
        ``dask.distributed.Client`` or the ``ray`` module after ``ray.init()`` (see the page
        "Distributed runs"). The result is the same, bit for bit.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... period: day
    ... journeys:
    ...   - id: pay
    ...     name: Payments
    ...     customers: 2400
    ...     tolerance: {hours: 4}
    ...     touchpoints: [{id: send, name: Send money, depends_on: [app]}]
    ... elements:
    ...   - {id: app, name: Payments app, kind: system, recovery_hours: 2, depends_on: [db]}
    ...   - {id: db, name: the core banking database, kind: data, recovery_hours: 12}
    ... scenarios:
    ...   - {id: outage, name: Data centre outage, fail: [app, db]}
    ... ''')
    >>> r = cx.resilience(m)
    >>> print(r.to_frame().loc[0, "message"])
    breach: Payments is disrupted for 12 h against a tolerance of 4 h;
    it ends when the core banking database is restored
    >>> float(r.to_frame().loc[0, "customers_harmed"])  # 2400 a day x 12 h / 24 h
    1200.0
    >>> cx.resilience(m, executor=None).to_frame().equals(r.to_frame())  # or a Dask Client, or ray
    True
    """
    needs_model(model, "cx.resilience")
    if not isinstance(model, Model):
        raise AnalysisInputError(f"resilience needs a cxgraph Model, got {type(model).__name__}")
    ex = resolve_executor(executor)
    c = compile_model(model)
    notes: list[str] = []
    if isinstance(scenarios, str) and scenarios == "plausible":
        from ._plausible import plausible_scenarios

        chosen = plausible_scenarios(model, by=by)
        notes.append(f"{len(chosen)} severe-but-plausible scenarios generated from the model")
    else:
        if by is not None:
            raise AnalysisInputError("by= applies only to scenarios='plausible'")
        chosen = pick_scenarios(model, scenarios)
    if not chosen:
        notes.append("no scenarios: give the model `scenarios`, or use scenarios='plausible'")
    hours_per_period = float(c.hours_per_period)
    if math.isnan(hours_per_period) and chosen:
        raise AnalysisInputError(f"the model's period {c.period!r} has no length in hours: use hour, day, week, "
                                 "month, quarter or year to measure disruption over time")
    resolved = resolve_scenarios(model, c.index, chosen)
    batch = steps(resolved)
    meas, measure_name, unit = _measure(c, measure)
    n_j = len(c.journey_ids)
    jl = c.journey_loss(batch.batch, executor=ex) if batch.batch else np.zeros((0, n_j))
    ml = np.zeros((len(batch.batch), n_j))
    if batch.batch:
        out = c.run(batch.batch, meas, journeys=True, executor=ex)
        ml[out.journey_s, out.journey_j] = out.journey_v
    names = {c.ids[i]: c.names[i] for i in range(c.n_nodes)}
    tol_h = np.asarray(c.journey_tolerance_hours, np.float64)
    tol_l = np.nan_to_num(np.asarray(c.journey_tolerance_loss, np.float64))
    per_hour = np.asarray(c.journey_customers) * np.asarray(c.journey_importance) / hours_per_period
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    timelines: dict[str, _Steps] = {}
    scen_rows = []
    has_tol = ~np.isnan(tol_h)
    for s, scen in enumerate(resolved):
        lo, hi = int(batch.step_ptr[s]), int(batch.step_ptr[s + 1])
        starts = batch.times[s]
        ends = np.concatenate([starts[1:], [math.inf]])
        loss = np.vstack([jl[lo:hi], np.zeros((1, n_j))])
        mloss = np.vstack([ml[lo:hi], np.zeros((1, n_j))])
        width = np.diff(starts)
        first = np.argmax(loss <= tol_l[None, :], axis=0)  # the last step (nothing down) always qualifies
        disruption = starts[first]
        area = width @ loss[:-1] if len(width) else np.zeros(n_j)
        marea = width @ mloss[:-1] if len(width) else np.zeros(n_j)
        back_at = [[c.ids[int(u)] for u in scen.nodes[scen.recovery == t]] for t in starts[1:]]
        restored = [*back_at, []]
        breach = has_tol & (disruption > np.where(has_tol, tol_h, 0.0))
        ended = [back_at[i - 1] if i > 0 else [] for i in first.tolist()]
        columns["scenario"] += [scen.id] * n_j
        columns["scenario_name"] += [scen.name] * n_j
        columns["id"] += c.journey_ids
        columns["name"] += c.journey_names
        columns["type"] += ["journey"] * n_j
        columns["tolerance_hours"] += tol_h.tolist()
        columns["tolerance_loss"] += tol_l.tolist()
        columns["disruption_hours"] += disruption.tolist()
        columns["breach"] += breach.tolist()
        columns["max_loss"] += loss.max(axis=0).tolist()
        columns["customers_harmed"] += (per_hour * area).tolist()
        columns["peak_loss"] += mloss.max(axis=0).tolist()
        columns["lost"] += (marea / hours_per_period).tolist()
        columns["ended_by_ids"] += ended
        columns["message"] += [sentence(name, h, t, b, e, names) for name, h, t, b, e in zip(
            c.journey_names, disruption.tolist(), tol_h.tolist(), breach.tolist(), ended, strict=True)]
        timelines[scen.id] = _Steps(starts, ends, loss, mloss, restored)
        scen_rows.append({"id": scen.id, "name": scen.name, "reason": scen.reason,
                          "element_ids": [c.ids[int(u)] for u in scen.nodes], "n_breaches": int(breach.sum())})
    frame = pd.DataFrame(columns, columns=_COLUMNS)
    frame["breach"] = frame["breach"].astype(bool)
    scen_frame = pd.DataFrame(scen_rows, columns=["id", "name", "reason", "element_ids", "n_breaches"])
    lost_unit = unit.split(" / ")[0]
    notes.append(f"lost is in {lost_unit} (loss per {c.period} integrated over the disruption); "
                 f"customers_harmed in customers")
    return ResilienceResult(model_name=c.model_name, measure=measure_name, unit=unit, period=c.period, frame=frame,
                            scenarios=scen_frame, timelines=timelines, notes=notes)
