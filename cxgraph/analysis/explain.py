"""Explain an impact: which touchpoints and journeys it comes from, and the dependency paths that carry it."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..engine import CompiledModel, compile_model
from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model
from ._result import Result
from .coverage import coverage_notes

__all__ = ["ExplainResult", "explain"]


class ExplainResult(Result):
    """Why an element, touchpoint or capability has the impact it has; see :func:`explain`.

    Attributes
    ----------
    id, name, type : str
        The item explained; ``type`` is "element", "touchpoint" or "capability".
    impact : float
        Its impact (the same number :func:`~cxgraph.impact` reports).
    unit : str
        Unit of the impact.
    touchpoints : pandas.DataFrame
        Contributing touchpoints (d > 0): touchpoint, name, journey, weight, degradation,
        share (weight x degradation; the shares sum to the impact), fraction (share / impact).
    journeys : pandas.DataFrame
        journey, name, segment, share (sums to the impact), fraction, touchpoints (how many).
    paths : pandas.DataFrame
        For each contributing touchpoint, the strongest dependency path that carries the
        failure to it: touchpoint, strength (product of the link strengths), hops, path (ids
        from the touchpoint down to the failed element). Strongest first; ties by fewer hops,
        then touchpoint id.

    Examples
    --------
    >>> r = cx.explain(cx.examples.load("retail-bank"), "core-banking")
    >>> bool(abs(r.touchpoints["share"].sum() - r.impact) < 1e-6 * r.impact)
    True
    >>> r.paths.iloc[0]["path"][-1]
    'core-banking'
    """

    def __init__(self, **state: Any) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "title", f"Why {state['id']} has an impact of {state['impact']:,.6g} {state['unit']}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @property
    def touchpoints(self) -> pd.DataFrame:
        """Contributing touchpoints, largest share first."""
        return self._touchpoints.copy()

    @property
    def journeys(self) -> pd.DataFrame:
        """Contributing journeys, largest share first."""
        return self._journeys.copy()

    @property
    def paths(self) -> pd.DataFrame:
        """The strongest dependency path to each contributing touchpoint, strongest first."""
        return self._paths.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return the contributing touchpoints (see :attr:`touchpoints`).

        Examples
        --------
        >>> list(cx.explain(cx.examples.load("retail-bank"), "crm").to_frame().columns)
        ['touchpoint', 'name', 'journey', 'weight', 'degradation', 'share', 'fraction']
        """
        return self.touchpoints

    def to_dict(self) -> dict[str, Any]:
        """Return everything as plain data.

        Examples
        --------
        >>> sorted(cx.explain(cx.examples.load("retail-bank"), "crm").to_dict())
        ['analysis', 'cxgraph_result', 'id', 'impact', 'items', 'journey_items', 'measure', 'model', 'name',
         'notes', 'path_items', 'type', 'unit']
        """
        return {"model": self.model_name, "id": self.id, "name": self.name, "type": self.type,
                "impact": self.impact, "unit": self.unit,
                "touchpoints": self._touchpoints.to_dict(orient="records"),
                "journeys": self._journeys.to_dict(orient="records"), "paths": self._paths.to_dict(orient="records"),
                "notes": list(self.notes)}


def _strongest_paths(c: CompiledModel, seeds: list[int], d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dijkstra from the failed nodes up the reverse links (largest product of strengths), through nodes with d > 0.

    Strengths are compared as products rounded to 12 significant digits, so that paths of equal
    strength tie however their products were rounded, and the tie goes to fewer hops, then to the
    lower node index. Returns (cost = -log strength, hops, next node towards the failure) per
    node; cost is inf where unreached.
    """
    best = np.zeros(c.n_nodes)
    hops = np.zeros(c.n_nodes, np.int64)
    toward = np.full(c.n_nodes, -1, np.int64)
    heap: list[tuple[float, int, int, int]] = []
    for s in sorted(set(seeds)):
        best[s] = 1.0
        heap.append((-1.0, 0, -1, s))
    heapq.heapify(heap)
    done = np.zeros(c.n_nodes, bool)
    while heap:
        _, h, _, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = True
        for r in range(c.rev_ptr[v], c.rev_ptr[v + 1]):
            u = int(c.rev_src[r])
            s = float(c.link_strength[c.rev_link[r]])
            if s <= 0.0 or d[u] <= 0.0 or done[u]:
                continue
            strength = best[v] * s
            new = (-_rounded(strength), h + 1, v)
            old = (-_rounded(best[u]), hops[u], toward[u] if toward[u] >= 0 else c.n_nodes)
            if new < old:
                best[u], hops[u], toward[u] = strength, h + 1, v
                heapq.heappush(heap, (new[0], h + 1, v, u))
    with np.errstate(divide="ignore"):
        return -np.log(best), hops, toward


def _rounded(x: float) -> float:
    """Return ``x`` to 12 significant digits: products of equal strengths compare equal."""
    return float(f"{x:.12g}")


def explain(model: Model, item: str, *, measure: str | Mapping[str, float] = "interactions") -> ExplainResult:
    """Explain the impact of an element, touchpoint or capability.

    Lists the touchpoints and journeys it degrades with their share of the impact (the
    shares sum to the impact), and for each touchpoint the strongest dependency path that
    carries the failure to it (strength of a path = product of its link strengths).

    Parameters
    ----------
    model
        The model, or its :func:`~cxgraph.engine.compile_model` form.
    item
        Id of an element, touchpoint or capability.
    measure
        As for :func:`~cxgraph.impact`. In the ``customers`` and ``revenue`` measures a journey's
        loss is shared among its required touchpoints in proportion to ``reach x d``.

    Examples
    --------
    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 1000
    ...     touchpoints:
    ...       - {id: browse, name: Browse, depends_on: [{element: shop, strength: 0.5}]}
    ...       - {id: pay, name: Pay, depends_on: [shop]}
    ... elements:
    ...   - {id: shop, name: Shop, kind: system, depends_on: [db]}
    ...   - {id: db, name: Database, kind: data}
    ... ''')
    >>> r = cx.explain(m, "db")
    >>> r.impact                    # 1000 x 1 (pay) + 1000 x 0.5 (browse)
    1500.0
    >>> r.touchpoints[["touchpoint", "share"]].values.tolist()
    [['pay', 1000.0], ['browse', 500.0]]
    >>> r.paths[["path", "strength"]].values.tolist()
    [[['pay', 'shop', 'db'], 1.0], [['browse', 'shop', 'db'], 0.5]]
    """
    c = compile_model(model)
    if not isinstance(item, str):
        raise AnalysisInputError(f"explain takes one id (text), got {item!r}")
    if item in c.index:
        kind = "touchpoint" if c.index[item] < c.n_touchpoints else "element"
        name = c.names[c.index[item]]
    elif item in c.capability_index:
        kind, name = "capability", c.capability_names[c.capability_index[item]]
    else:
        raise UnknownIdError(item, [*c.ids, *c.capability_ids], what="element, touchpoint or capability")
    seeds = c.resolve([item])
    m = c.measure(measure)
    unit = m.unit
    out = c.run([dict.fromkeys(seeds, 1.0)], m, degradation=True, journeys=True)
    d = out.degradation(0)
    n_tp = c.n_touchpoints
    impact = float(out.impact[0])
    touched = np.flatnonzero(d[:n_tp] > 0)
    if m.funnel:  # the journey's loss shared among its touchpoints in proportion to reach x d
        w = m.tp_funnel
        exposure = w[touched] * d[touched]
        per_journey = np.bincount(c.tp_journey[touched], weights=exposure, minlength=len(c.journey_ids))
        jl = np.zeros(len(c.journey_ids))
        jl[out.journey_j] = out.journey_v
        jt = c.tp_journey[touched]
        share = np.divide(exposure * jl[jt], per_journey[jt], out=np.zeros(len(touched)), where=per_journey[jt] > 0)
    else:
        w = m.tp_weight
        share = w[touched] * d[touched]
    tp = pd.DataFrame({
        "touchpoint": [c.ids[t] for t in touched], "name": [c.names[t] for t in touched],
        "journey": [c.journey_ids[c.tp_journey[t]] for t in touched], "weight": w[touched],
        "degradation": d[touched], "share": share,
        "fraction": share / impact if impact > 0 else np.zeros(len(touched)),
    })
    tp = tp.sort_values(["share", "touchpoint"], ascending=[False, True], kind="stable").reset_index(drop=True)
    jids = c.tp_journey[touched]
    journeys = pd.DataFrame({"j": jids, "share": share}).groupby("j", sort=True).agg(
        share=("share", "sum"), touchpoints=("share", "size")).reset_index()
    journeys = pd.DataFrame({
        "journey": [c.journey_ids[j] for j in journeys["j"]], "name": [c.journey_names[j] for j in journeys["j"]],
        "segment": [c.segment_names[c.journey_segment[j]] for j in journeys["j"]],
        "share": journeys["share"].to_numpy(float),
        "fraction": journeys["share"].to_numpy(float) / impact if impact > 0 else 0.0,
        "touchpoints": journeys["touchpoints"].to_numpy(np.int64),
    }, columns=["journey", "name", "segment", "share", "fraction", "touchpoints"])
    journeys = journeys.sort_values(["share", "journey"], ascending=[False, True], kind="stable")
    cost, _, toward = _strongest_paths(c, seeds, d)
    rows = []
    for t in touched:
        if not np.isfinite(cost[t]):
            continue
        path, strength, node = [int(t)], 1.0, int(t)
        while toward[node] >= 0:
            nxt = int(toward[node])
            strength *= _link_strength(c, node, nxt)
            path.append(nxt)
            node = nxt
        rows.append({"touchpoint": c.ids[t], "strength": strength, "hops": len(path) - 1,
                     "path": [c.ids[p] for p in path]})
    paths = pd.DataFrame(rows, columns=["touchpoint", "strength", "hops", "path"])
    if len(paths):
        paths = paths.assign(key=paths["strength"].map(_rounded)).sort_values(
            ["key", "hops", "touchpoint"], ascending=[False, True, True], kind="stable").drop(columns="key")
    return ExplainResult(model_name=c.model_name, id=item, name=name, type=kind, impact=impact, unit=unit,
                         _touchpoints=tp, _journeys=journeys.reset_index(drop=True),
                         _paths=paths.reset_index(drop=True), notes=tuple(coverage_notes(c)))


def _link_strength(c: CompiledModel, u: int, v: int) -> float:
    """Strength of the link u -> v (u depends on v)."""
    for g in range(c.node_groups[u], c.node_groups[u + 1]):
        for ln in range(c.group_links[g], c.group_links[g + 1]):
            if c.link_target[ln] == v:
                return float(c.link_strength[ln])
    raise AssertionError(f"no link {c.ids[u]} -> {c.ids[v]}")  # pragma: no cover - paths follow links
