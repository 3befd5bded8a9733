"""Priorities: which capabilities (and elements) to improve first.

The default score (DESIGN.md section 3: impact, risk, pain, own metric gaps and effort)::

    score = (w_impact * impact_share + w_risk * risk_share + w_pain * pain_share + w_gap * own_gap) / effort

- ``impact_share = impact(x) / total``: the share of the whole measure (all customer
  interactions, customers or revenue of the model) lost if ``x`` fails;
- ``risk_share = risk(x) / expected_loss``: the share of the loss to expect from the estate
  as it is that would no longer be lost if ``x`` never failed (:func:`cxgraph.risk`);
- ``pain_share = pain(x) / sum of weight(t) * gap(t)``: the share of the customer
  pain that ``x`` sits behind (pain is counted in interactions);
- ``own_gap``: an element's own gap; for a capability, the largest own gap among
  the elements that realise it or its descendants;
- ``effort``: a capability's ``effort`` (default 1); 1 for an element.

The weights default to 1; pass ``weights={"impact": ..., "risk": ..., "pain": ..., "gap": ...}``
or a whole ``score`` function. Ties go to the lower id. By default only the leaves of the
capability tree are ranked, so that parents and children do not compete (``level=``).

Examples
--------
>>> r = cx.priorities(cx.examples.load("retail-bank"))
>>> r.formula
'score = (1 * impact_share + 1 * risk_share + 1 * pain_share + 1 * own_gap) / effort'
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ..model import Model, point
from ..model.estate import needs_model
from ._failures import run_degradations
from ._result import Result, jsonable
from .gaps import WeightSpec, gaps, touchpoint_weights, weight_unit
from .pain import pain, rank_by

__all__ = ["DEFAULT_WEIGHTS", "PrioritiesResult", "capability_elements", "capability_levels", "compact", "percent",
           "priorities"]

DEFAULT_WEIGHTS: dict[str, float] = {"impact": 1.0, "risk": 1.0, "pain": 1.0, "gap": 1.0}
"""Weights of the default score's four parts."""

COLUMNS = ["id", "name", "type", "kind", "level", "rank", "score", "impact", "impact_share", "risk", "risk_share",
           "pain", "pain_share", "own_gap", "effort", "journeys", "touchpoints", "reached", "why"]

_PARTS = {"impact": "impact_share", "risk": "risk_share", "pain": "pain_share", "gap": "own_gap"}

Level = str | int

ScoreFunction = Callable[[Mapping[str, Any]], float]


def capability_elements(model: Model) -> dict[str, list[str]]:
    """Return, per capability, the sorted ids of the elements realising it or any of its descendants.

    Examples
    --------
    >>> from cxgraph.analysis.priorities import capability_elements
    >>> capability_elements(cx.examples.load("retail-bank"))["cap-payments"][:3]
    ['card-dispute', 'card-mgmt', 'card-processor']
    """
    children: dict[str, list[str]] = {}
    for cap in model.capabilities:
        if cap.parent is not None:
            children.setdefault(cap.parent, []).append(cap.id)
    own = {cap.id: set(cap.realized_by) for cap in model.capabilities}

    def collect(cid: str, seen: frozenset[str]) -> set[str]:
        out = set(own.get(cid, ()))
        for child in children.get(cid, []):
            if child not in seen:
                out |= collect(child, seen | {child})
        return out

    return {cid: sorted(collect(cid, frozenset({cid}))) for cid in own}


def compact(x: float) -> str:
    """Return a short human figure: 850, 41k, 1.2M.

    Examples
    --------
    >>> from cxgraph.analysis.priorities import compact
    >>> compact(850.4), compact(41234), compact(1_234_567), compact(0.25)
    ('850', '41k', '1.2M', '0.25')
    """
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            value = x / size
            return f"{value:.1f}".rstrip("0").rstrip(".") + suffix if value < 10 else f"{value:.0f}{suffix}"
    return f"{x:.0f}" if abs(x) >= 10 else f"{x:.2g}"


def percent(gap: float) -> str:
    """Return a gap as a percentage: whole percent from 10%, two significant digits below.

    Examples
    --------
    >>> from cxgraph.analysis.priorities import percent
    >>> percent(0.3111), percent(0.065), percent(0.0025)
    ('31%', '6.5%', '0.25%')
    """
    return f"{gap * 100:.0f}%" if gap >= 0.1 else f"{gap * 100:.2g}%"


def _checked_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise AnalysisInputError(f"unknown score weight {key!r}: use {', '.join(map(repr, DEFAULT_WEIGHTS))}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not (math.isfinite(value) and value >= 0):
            raise AnalysisInputError(f"score weight {key!r} must be a finite number >= 0, got {value!r}")
        out[key] = float(value)
    return out


def capability_levels(model: Model) -> dict[str, int]:
    """Return every capability's level in the tree: 1 for a root, 2 for its children, ...

    Examples
    --------
    >>> from cxgraph.analysis.priorities import capability_levels
    >>> levels = capability_levels(cx.examples.load("retail-bank"))
    >>> levels["cap-payments"], min(levels.values())
    (1, 1)
    """
    parent = {c.id: c.parent for c in model.capabilities}
    levels: dict[str, int] = {}
    for cid in parent:
        chain: list[str] = []
        node: str | None = cid
        while node is not None and node not in levels:
            chain.append(node)
            node = parent.get(node)
        base = 0 if node is None else levels[node]
        for depth, item in enumerate(reversed(chain), start=1):
            levels[item] = base + depth
    return levels


def _selected(model: Model, level: Level) -> list[str]:
    """Return the capabilities ``level`` asks for: ``"leaf"`` (no children), a level number, or ``"all"``."""
    levels = capability_levels(model)
    if level == "all":
        return [c.id for c in model.capabilities]
    if level == "leaf":
        parents = {c.parent for c in model.capabilities if c.parent is not None}
        return [c.id for c in model.capabilities if c.id not in parents]
    if isinstance(level, bool) or not isinstance(level, int) or level < 1:
        raise AnalysisInputError(f"level must be 'leaf', 'all' or a level number >= 1 (1 = the roots), got {level!r}")
    return [c.id for c in model.capabilities if levels[c.id] == level]


def _default_score(row: Mapping[str, Any], w: Mapping[str, float]) -> float:
    numerator = math.fsum(w[k] * row[col] for k, col in _PARTS.items())
    if row["effort"] == 0:
        return math.inf if numerator > 0 else 0.0
    return numerator / row["effort"]


@dataclass(frozen=True, repr=False)
class PrioritiesResult(Result):
    """Capabilities (and optionally elements) ranked by priority score; see :func:`priorities`.

    Attributes
    ----------
    model_name
        Name of the model.
    unit
        Unit of impact and risk (pain is counted in interactions).
    measure
        The measure of impact and risk: ``interactions``, ``customers``, ``revenue`` or ``weight``.
    level
        Which capabilities were ranked: ``"leaf"``, ``"all"`` or a level number.
    expected_loss
        The expected loss of the model as it is (the denominator of ``risk_share``).
    formula
        The score formula used, in words.
    weights
        Weights of the default score (``None`` with a custom score function).
    score, rank
        Id -> score and id -> rank (1 = first), ranked among capabilities and elements separately.
    notes
        Plain statements: no metrics, effort 0, gaps 0 or capped by definition.

    Examples
    --------
    >>> r = cx.priorities(cx.examples.load("retail-bank"), elements=True)
    >>> sorted(set(r.to_frame()["type"]))
    ['capability', 'element']
    """

    model_name: str
    unit: str
    measure: str
    level: Level
    expected_loss: float
    formula: str
    weights: dict[str, float] | None
    score: dict[str, float]
    rank: dict[str, int]
    notes: tuple[str, ...]
    _rows: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    title = "Priorities"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per item: capabilities first, then elements, each by rank.

        Examples
        --------
        >>> list(cx.priorities(cx.examples.load("telecom")).to_frame().columns)[:7]
        ['id', 'name', 'type', 'kind', 'level', 'rank', 'score']
        """
        frame = pd.DataFrame(list(self._rows), columns=COLUMNS)
        order = frame["type"].map({"capability": 0, "element": 1})
        return frame.assign(_o=order).sort_values(["_o", "rank"], kind="stable").drop(columns="_o") \
            .reset_index(drop=True)

    def capabilities(self) -> pd.DataFrame:
        """Return the capability rows, by rank.

        Examples
        --------
        >>> cx.priorities(cx.examples.load("telecom")).capabilities()["rank"].tolist()[0]
        1
        """
        frame = self.to_frame()
        return frame[frame["type"] == "capability"].reset_index(drop=True)

    def elements(self) -> pd.DataFrame:
        """Return the element rows (empty unless computed with ``elements=True``), by rank.

        Examples
        --------
        >>> cx.priorities(cx.examples.load("telecom")).elements().empty
        True
        """
        frame = self.to_frame()
        return frame[frame["type"] == "element"].reset_index(drop=True)

    def top(self, n: int = 10, type: str = "capability") -> pd.DataFrame:
        """Return the first ``n`` rows of one type ("capability" or "element").

        Examples
        --------
        >>> len(cx.priorities(cx.examples.load("telecom")).top(3))
        3
        """
        frame = self.to_frame()
        return frame[frame["type"] == type].head(n).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the formula, weights, rows and notes as plain data (an infinite score is ``None``).

        Examples
        --------
        >>> sorted(cx.priorities(cx.Model()).to_dict())
        ['analysis', 'cxgraph_result', 'expected_loss', 'formula', 'items', 'level', 'measure', 'model', 'notes',
         'unit', 'weights']
        """
        return {"model": self.model_name, "measure": self.measure, "unit": self.unit, "level": self.level,
                "expected_loss": self.expected_loss, "formula": self.formula, "weights": self.weights,
                "items": jsonable(self.to_frame()), "notes": list(self.notes)}


_LABEL = {"impact_share": "impact", "risk_share": "risk", "pain_share": "pain", "own_gap": "own gap"}


def _why(row: Mapping[str, Any], w: Mapping[str, float], unit: str, journeys: list[str],
         own: tuple[str, str, float] | None, top_tp: tuple[str, str, float] | None) -> str:
    """Say what drives the row: its own largest component, and the journeys (or the metric) it comes from."""
    if not row["reached"]:
        return ("no touchpoint depends on it: no journey can feel it, so impact, risk and pain are 0 "
                "(link it to what depends on it, or leave it out)")
    parts = {col: w.get(k, 1.0) * row[col] for k, col in _PARTS.items()}
    largest = max(parts, key=lambda col: (parts[col], col))
    if parts[largest] <= 0:
        return "nothing at stake: no impact, risk, pain or gap"
    where = ", ".join(journeys[:2]) + (f" and {len(journeys) - 2} more" if len(journeys) > 2 else "")
    per = unit.replace(" / ", "/")
    if largest == "impact_share":
        text = f"impact {compact(row['impact'])} {per} ({percent(row['impact_share'])} of all), from {where}"
    elif largest == "risk_share":
        text = f"risk {compact(row['risk'])} {per} ({percent(row['risk_share'])} of the expected loss), from {where}"
    elif largest == "pain_share":
        text = f"pain ({percent(row['pain_share'])} of all pain), from {where}"
        if top_tp is not None:
            text += f"; worst: {top_tp[0]} gap {percent(top_tp[2])} at {top_tp[1]}"
    else:
        metric, holder, gap = own if own is not None else ("a metric", row["name"], row["own_gap"])
        text = f"own gap {percent(gap)}: {metric} on {holder}"
    if row["effort"] != 1:
        text += f"; effort {row['effort']:g}"
    return text


def priorities(model: Model, *, elements: bool = False, weights: Mapping[str, float] | None = None,
               score: ScoreFunction | None = None, measure: WeightSpec = "interactions",
               level: Level = "leaf") -> PrioritiesResult:
    """Rank capabilities (and, with ``elements=True``, elements) by priority score.

    Parameters
    ----------
    model
        The model.
    elements
        Also rank elements (effort 1 each).
    weights
        Weights of the default score's parts: ``{"impact": 1, "risk": 1, "pain": 1, "gap": 1}`` by
        default; keys left out keep 1.
    score
        A function of one row (a mapping with every column: ``impact``, ``impact_share``, ``risk``,
        ``risk_share``, ``pain``, ``pain_share``, ``own_gap``, ``effort``, ``journeys``,
        ``touchpoints``, ``reached``, ``id``, ``type``, ...) returning the score; replaces the
        default formula. Give ``weights`` or ``score``, not both.
    measure
        The measure of impact and risk: ``"interactions"`` (default), ``"customers"``,
        ``"revenue"`` or a mapping touchpoint id -> weight. Pain is counted in interactions.
    level
        Which capabilities compete: ``"leaf"`` (default: those without children), a level number
        (1 = the roots) or ``"all"``.

    Examples
    --------
    >>> m = cx.examples.load("retail-bank")
    >>> r = cx.priorities(m)
    >>> row = r.to_frame().iloc[0]
    >>> parts = row["impact_share"] + row["risk_share"] + row["pain_share"] + row["own_gap"]
    >>> bool(abs(row["score"] - parts / row["effort"]) < 1e-12)
    True
    >>> by_impact = cx.priorities(m, score=lambda row: row["impact"])
    >>> by_impact.formula
    'score = custom function'
    """
    needs_model(model, "cx.priorities")
    if weights is not None and score is not None:
        raise AnalysisInputError("give weights or a score function, not both")
    w = _checked_weights(weights)
    tp_weight = touchpoint_weights(model, "interactions" if isinstance(measure, str) else measure)
    g = gaps(model)
    p = pain(model, measure="interactions" if isinstance(measure, str) else measure)
    impact_result = importlib.import_module("cxgraph.analysis.impact").impact(model, measure=measure)
    risk_result = importlib.import_module("cxgraph.analysis.risk").risk(model, measure=measure)
    from ..engine import compile_model

    total_measure = compile_model(model).measure(measure).total
    unit = weight_unit(model, measure)
    metric_name = {m.id: m.name for m in model.metrics}
    names = {i.id: i.name for i in [*model.touchpoints, *model.elements, *model.capabilities]}
    journey_name = {j.id: j.name for j in model.journeys}
    pain_weight = {t: tp_weight[t] * g.touchpoint_gap[t] for t in tp_weight}
    total_pain = math.fsum(pain_weight.values())
    expected = float(risk_result.expected_loss)
    journey_of = {tp.id: j.id for j in model.journeys for tp in j.touchpoints}
    by_journey = impact_result.by_journey
    notes = list(p.notes)
    levels = capability_levels(model)

    scenarios: dict[str, tuple[str, str, list[str], float]] = {}
    chosen = set(_selected(model, level))
    for cid, realised in capability_elements(model).items():
        if cid in chosen:
            cap = next(c for c in model.capabilities if c.id == cid)
            scenarios[cid] = ("capability", "capability", realised, point(cap.effort))
    if elements:
        for e in model.elements:
            scenarios[e.id] = ("element", e.kind, [e.id], 1.0)

    degradations = run_degradations(model, {xid: s[2] for xid, s in scenarios.items()})
    rows: list[dict[str, Any]] = []
    unreached: list[str] = []
    for xid, (xtype, kind, fail, effort) in scenarios.items():
        d = degradations[xid]
        hit = [t for t, v in d.items() if v > 0]
        own_ids = sorted(fail, key=lambda e: (-g.element_gap[e], e))
        own_gap = g.element_gap[own_ids[0]] if own_ids else 0.0
        row = {"id": xid, "name": names[xid], "type": xtype, "kind": kind,
               "level": levels.get(xid) if xtype == "capability" else None, "rank": 0, "score": 0.0,
               "impact": float(impact_result.impact.get(xid, 0.0)), "risk": float(risk_result.risk.get(xid, 0.0)),
               "pain": p.pain.get(xid, 0.0), "own_gap": own_gap, "effort": effort,
               "journeys": len({journey_of[t] for t in hit}), "touchpoints": len(hit), "reached": bool(hit)}
        row["impact_share"] = row["impact"] / total_measure if total_measure > 0 else 0.0
        row["risk_share"] = row["risk"] / expected if expected > 0 else 0.0
        row["pain_share"] = row["pain"] / total_pain if total_pain > 0 else 0.0
        worst_tp = min(hit, key=lambda t: (-pain_weight[t] * d[t], t), default=None)
        top_tp = None
        if worst_tp is not None and pain_weight[worst_tp] > 0:
            top_tp = (metric_name[g.worst_metric[worst_tp]], names[worst_tp], g.touchpoint_gap[worst_tp])
        own = (metric_name[g.worst_metric[own_ids[0]]], names[own_ids[0]], own_gap) if own_gap > 0 else None
        shares = by_journey.loc[xid] if xid in by_journey.index else None
        hit_journeys = sorted({journey_of[t] for t in hit},
                              key=lambda j: (-(float(shares[j]) if shares is not None else 0.0), j))
        row["why"] = _why(row, w, unit, [journey_name[j] for j in hit_journeys], own, top_tp)
        if xtype == "capability" and not fail:
            row["why"] = "realised by no element: " + row["why"]
        if not hit:
            unreached.append(xid)
        if effort == 0 and score is None:
            notes.append(f"Capability {xid!r} has effort 0: its score is infinite when anything is at stake, "
                         f"so it ranks first; give it a positive effort.")
        rows.append(row)
    if unreached:
        notes.append(f"{len(unreached)} item(s) no touchpoint depends on, so no journey can feel them (flagged "
                     f"reached = false, not scored as if they mattered): {', '.join(sorted(unreached))}.")
    if expected == 0:
        notes.append("The expected loss is 0 (no element has availability or failures_per_year): every risk is 0; "
                     "add reliability data to rank by risk.")

    for row in rows:
        value = _default_score(row, w) if score is None else score(dict(row))
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise AnalysisInputError(f"the score function returned {value!r} for {row['id']!r}: expected a number")
        row["score"] = float(value)
    ranks = rank_by({r["id"]: r["score"] for r in rows}, {r["id"]: r["type"] for r in rows})
    for row in rows:
        row["rank"] = ranks[row["id"]]
    formula = ("score = custom function" if score is not None else
               f"score = ({w['impact']:g} * impact_share + {w['risk']:g} * risk_share + {w['pain']:g} * pain_share"
               f" + {w['gap']:g} * own_gap) / effort")
    return PrioritiesResult(model_name=model.name, unit=unit, measure=impact_result.measure, level=level,
                            expected_loss=expected, formula=formula,
                            weights=None if score is not None else w, score={r["id"]: r["score"] for r in rows},
                            rank=ranks, notes=tuple(notes), _rows=tuple({k: r[k] for k in COLUMNS} for r in rows))
