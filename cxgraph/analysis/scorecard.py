"""Scorecards: per team or vendor (or capability, or journey), what rests on it and how it measures up.

One row per group:

- ``by="owner"``: each team or vendor that owns elements. ``impact`` and ``pain`` are those
  of the scenario "everything it owns fails at once" (``sum of weight(t) * d(t)`` and
  ``sum of weight(t) * gap(t) * d(t)``); ``it_pain`` is ``sum of impact(x) * gap(x)`` over the
  elements it owns (its share of total pain's IT side); its metrics are those of the
  elements it owns and of itself; its risks are the single points of failure it owns.
- ``by="capability"``: the elements realising the capability or its descendants, with the
  capability's impact and pain (the same scenario as :func:`cxgraph.impact`).
- ``by="journey"``: ``impact`` is the interactions the journey carries (``sum of weight(t)``
  over its touchpoints), ``pain`` its customer-side pain (``sum of weight(t) * gap(t)``); its
  metrics are its touchpoints'; its risks the single points of failure that fully lose one
  of its touchpoints, by the interactions lost in this journey.

Examples
--------
>>> card = cx.scorecard(cx.examples.load("retail-bank"), by="owner")
>>> list(card.to_frame().columns)[:5]
['id', 'name', 'type', 'elements', 'impact']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model
from ..model.estate import needs_model
from ._failures import run_degradations, run_spof
from ._result import Result, jsonable
from .gaps import WeightSpec, gap_notes, gaps, run_impact, touchpoint_weights, weight_unit
from .priorities import capability_elements

__all__ = ["ScorecardResult", "scorecard"]

BY = ("owner", "capability", "journey")
COLUMNS = ["id", "name", "type", "elements", "impact", "pain", "it_pain", "metrics", "metrics_with_gap",
           "worst_metric", "worst_gap", "spofs", "top_risks"]
METRIC_COLUMNS = ["group", "metric", "name", "of", "actual", "target", "better", "unit", "gap"]
RISK_COLUMNS = ["group", "element", "name", "kind", "loss", "touchpoints"]


@dataclass(frozen=True, repr=False)
class ScorecardResult(Result):
    """One row per owner, capability or journey; see :func:`scorecard`.

    Attributes
    ----------
    model_name
        Name of the model.
    by
        ``"owner"``, ``"capability"`` or ``"journey"``.
    unit
        Unit of impact and pain.
    notes
        Plain statements: elements without owner, no metrics, gaps 0 or capped by definition.

    Examples
    --------
    >>> card = cx.scorecard(cx.examples.load("retail-bank"), by="journey")
    >>> card.by, len(card.to_frame()) == len(cx.examples.load("retail-bank").journeys)
    ('journey', True)
    """

    model_name: str
    by: str
    unit: str
    notes: tuple[str, ...]
    _rows: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    _metrics: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    _risks: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    @property
    def title(self) -> str:  # type: ignore[override]
        """Heading shown in a notebook."""
        return f"Scorecard by {self.by}"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per group, highest impact first (ties by id).

        Examples
        --------
        >>> cx.scorecard(cx.examples.load("telecom")).to_frame()["impact"].is_monotonic_decreasing
        True
        """
        frame = pd.DataFrame(list(self._rows), columns=COLUMNS)
        return frame.sort_values(["impact", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    def metrics(self) -> pd.DataFrame:
        """Return every group's metrics with their gaps: largest gap first within each group.

        Examples
        --------
        >>> cx.scorecard(cx.examples.load("retail-bank")).metrics().columns.tolist()[:3]
        ['group', 'metric', 'name']
        """
        frame = pd.DataFrame(list(self._metrics), columns=METRIC_COLUMNS)
        return frame.sort_values(["group", "gap", "metric"], ascending=[True, False, True], kind="stable") \
            .reset_index(drop=True)

    def risks(self) -> pd.DataFrame:
        """Return every group's single points of failure, most interactions lost first within each group.

        Examples
        --------
        >>> cx.scorecard(cx.examples.load("retail-bank")).risks().columns.tolist()[:2]
        ['group', 'element']
        """
        frame = pd.DataFrame(list(self._risks), columns=RISK_COLUMNS)
        return frame.sort_values(["group", "loss", "element"], ascending=[True, False, True],
                                 kind="stable").reset_index(drop=True)

    def group(self, id: str) -> dict[str, Any]:
        """Return one group's row, metrics and risks as plain data.

        Examples
        --------
        >>> card = cx.scorecard(cx.examples.load("retail-bank"), by="capability")
        >>> card.group("cap-payments")["row"]["type"]
        'capability'
        """
        rows = [r for r in self._rows if r["id"] == id]
        if not rows:
            raise UnknownIdError(id, [r["id"] for r in self._rows], what=self.by)
        metrics, risks = self.metrics(), self.risks()
        return jsonable({"row": rows[0], "metrics": metrics[metrics["group"] == id],
                         "risks": risks[risks["group"] == id]})

    def to_dict(self) -> dict[str, Any]:
        """Return rows, metrics, risks and notes as plain data.

        Examples
        --------
        >>> sorted(cx.scorecard(cx.Model()).to_dict())
        ['analysis', 'by', 'cxgraph_result', 'items', 'measure', 'metric_items', 'model', 'notes', 'risk_items',
         'unit']
        """
        return {"model": self.model_name, "by": self.by, "unit": self.unit, "rows": jsonable(self.to_frame()),
                "metrics": jsonable(self.metrics()), "risks": jsonable(self.risks()), "notes": list(self.notes)}


def _groups(model: Model, by: str) -> tuple[list[tuple[str, str, str, list[str]]], list[str]]:
    """Return (id, name, type, element ids) per group, and notes."""
    notes: list[str] = []
    kinds = {e.id: e for e in model.elements}
    if by == "owner":
        owned: dict[str, list[str]] = {}
        for e in model.elements:
            if e.owner is not None:
                owned.setdefault(e.owner, []).append(e.id)
        unowned = sorted(e.id for e in model.elements if e.owner is None and e.kind not in ("team", "vendor"))
        if unowned:
            notes.append(f"{len(unowned)} element{'s have' if len(unowned) != 1 else ' has'} no owner and "
                         f"appear{'s' if len(unowned) == 1 else ''} on no scorecard: {', '.join(unowned)}.")
        return [(o, kinds[o].name if o in kinds else o, kinds[o].kind if o in kinds else "owner", sorted(ids))
                for o, ids in owned.items()], notes
    if by == "capability":
        elements = capability_elements(model)
        return [(c.id, c.name, "capability", elements[c.id]) for c in model.capabilities], notes
    return [(j.id, j.name, "journey", []) for j in model.journeys], notes


def scorecard(model: Model, by: Literal["owner", "capability", "journey"] = "owner", *,
              measure: WeightSpec = "interactions", top: int = 3) -> ScorecardResult:
    """Return a scorecard: per owner, capability or journey, its impact, pain, metrics and top risks.

    Parameters
    ----------
    model
        The model.
    by
        ``"owner"`` (each team or vendor that owns elements), ``"capability"`` or ``"journey"``.
    measure
        ``"interactions"`` (default) or a mapping touchpoint id -> weight: a scorecard sets
        impact beside pain, which is defined in the interactions measure only.
    top
        How many single points of failure to name in ``top_risks``.

    Examples
    --------
    >>> card = cx.scorecard(cx.examples.load("retail-bank"), by="owner")
    >>> row = card.to_frame().iloc[0]
    >>> bool(row["pain"] <= row["impact"])
    True
    """
    needs_model(model, "cx.scorecard")
    if by not in BY:
        raise AnalysisInputError(f"by must be one of {', '.join(map(repr, BY))}, got {by!r}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise AnalysisInputError(f"top must be a whole number >= 0, got {top!r}")
    w = touchpoint_weights(model, measure)
    g = gaps(model)
    pain_weight = {t: w[t] * g.touchpoint_gap[t] for t in w}
    groups, notes = _groups(model, by)
    impact_result = run_impact(model, measure) if any(v > 0 for v in g.element_gap.values()) else None
    impact = impact_result.impact if impact_result is not None else {}
    spof = run_spof(model, measure) if model.elements else pd.DataFrame(columns=RISK_COLUMNS[1:])
    metrics_of: dict[str, list[Any]] = {}
    for m in model.metrics:
        metrics_of.setdefault(m.of, []).append(m)
    metric_rows = {r["id"]: r for r in jsonable(g.to_frame())}
    tps_of = {j.id: [tp.id for tp in j.touchpoints] for j in model.journeys}
    spof_rows = spof.to_dict("records")
    spof_of = {s["element"]: s for s in spof_rows}
    journey_spofs: dict[str, list[dict[str, Any]]] = {}
    if by == "journey":
        journey_of = {t: j for j, tps in tps_of.items() for t in tps}
        for s in spof_rows:
            lost_in: dict[str, list[str]] = {}
            for t in s["touchpoints"]:
                lost_in.setdefault(journey_of[t], []).append(t)
            for j, lost in lost_in.items():
                journey_spofs.setdefault(j, []).append(
                    {**s, "loss": math.fsum(w[t] for t in lost), "touchpoints": lost})

    degradations = run_degradations(model, {gid: owned for gid, _, _, owned in groups}) if by != "journey" else {}
    rows, metrics, risks = [], [], []
    for gid, name, gtype, owned in groups:
        if by == "journey":
            tps = tps_of[gid]
            impact_value, pain_value = math.fsum(w[t] for t in tps), math.fsum(pain_weight[t] for t in tps)
            it_pain = 0.0
            holders = tps
            spofs = journey_spofs.get(gid, [])
        else:
            d = degradations[gid]
            impact_value = math.fsum(w[t] * v for t, v in d.items())
            pain_value = math.fsum(pain_weight[t] * v for t, v in d.items())
            it_pain = math.fsum(float(impact.get(x, 0.0)) * g.element_gap[x] for x in owned)
            holders = [*owned, gid] if by == "owner" else owned
            spofs = [spof_of[x] for x in owned if x in spof_of]
        spofs.sort(key=lambda s: (-s["loss"], s["element"]))
        own_metrics = [metric_rows[m.id] for h in dict.fromkeys(holders) for m in metrics_of.get(h, [])]
        worst = min(own_metrics, key=lambda r: (-r["gap"], r["id"]), default=None)
        rows.append({"id": gid, "name": name, "type": gtype, "elements": len(owned), "impact": impact_value,
                     "pain": pain_value, "it_pain": it_pain, "metrics": len(own_metrics),
                     "metrics_with_gap": sum(r["gap"] > 0 for r in own_metrics),
                     "worst_metric": worst["id"] if worst and worst["gap"] > 0 else None,
                     "worst_gap": worst["gap"] if worst else 0.0, "spofs": len(spofs),
                     "top_risks": [s["element"] for s in spofs[:top]]})
        metrics += [{"group": gid, "metric": r["id"], **{k: r[k] for k in METRIC_COLUMNS[2:]}} for r in own_metrics]
        risks += [{"group": gid, **{k: s[k] for k in RISK_COLUMNS[1:]}} for s in spofs]
    notes += gap_notes(model)
    return ScorecardResult(model_name=model.name, by=by, unit=weight_unit(model, measure),
                           notes=tuple(notes), _rows=tuple(rows), _metrics=tuple(metrics), _risks=tuple(risks))
