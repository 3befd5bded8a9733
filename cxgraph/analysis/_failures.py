"""Failure scenarios the priority analyses need, run in batches on the engine.

Kept apart from the analyses so that tests can stand a slow reference in for the engine.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..engine import compile_model
from ..model import Model
from .gaps import touchpoint_weights

__all__ = ["run_degradations", "run_spof"]


def run_degradations(model: Model, scenarios: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Return, per scenario, ``d(t)`` of each touchpoint the scenario's elements degrade when they fail together.

    Only touchpoints with ``d(t) > 0`` are listed. Every scenario runs in one batch on the
    compiled model (:mod:`cxgraph.engine`).

    Examples
    --------
    >>> from cxgraph.analysis._failures import run_degradations
    >>> m = cx.examples.load("retail-bank")
    >>> d = run_degradations(m, {"core": ["core-banking"], "none": []})
    >>> max(d["core"].values()), d["none"]
    (1.0, {})
    """
    compiled = compile_model(model)
    keys = list(scenarios)
    if not keys:
        return {}
    out = compiled.run([dict.fromkeys(compiled.resolve(list(scenarios[k])), 1.0) for k in keys], degradation=True)
    sel = (out.d_u < compiled.n_touchpoints) & (out.d_v > 0)
    s, u, v = out.d_s[sel], out.d_u[sel], out.d_v[sel]
    order = np.lexsort((u, s))
    s, u, v = s[order], u[order].tolist(), v[order].tolist()
    bounds = np.searchsorted(s, np.arange(len(keys) + 1))
    ids = compiled.ids
    return {k: {ids[t]: d for t, d in zip(u[bounds[i]: bounds[i + 1]], v[bounds[i]: bounds[i + 1]], strict=True)}
            for i, k in enumerate(keys)}


def run_spof(model: Model) -> pd.DataFrame:
    """Return ``cx.single_points_of_failure(model).to_frame()``.

    Columns: element, name, kind, owner, touchpoints (ids lost completely), weight_lost. Where
    that analysis is not available, the same table is computed here from the engine: the
    elements whose failure alone loses at least one touchpoint completely.

    Examples
    --------
    >>> from cxgraph.analysis._failures import run_spof
    >>> "core-banking" in set(run_spof(cx.examples.load("retail-bank"))["element"])
    True
    """
    try:
        spof = importlib.import_module("cxgraph.analysis.spof")
    except ModuleNotFoundError:
        spof = None
    if spof is not None:
        return spof.single_points_of_failure(model).to_frame()
    compiled = compile_model(model)
    weights = touchpoint_weights(model)
    first = compiled.n_touchpoints
    out = compiled.run([{u: 1.0} for u in range(first, compiled.n_nodes)], lost=True)
    lost: dict[int, list[str]] = {}
    for scenario, t in sorted(zip(out.lost_s.tolist(), out.lost_t.tolist(), strict=True)):
        lost.setdefault(scenario, []).append(compiled.ids[t])
    rows = []
    for i, e in enumerate(model.elements):
        if i in lost:
            rows.append({"element": e.id, "name": e.name, "kind": e.kind, "owner": e.owner, "touchpoints": lost[i],
                         "weight_lost": math.fsum(weights[t] for t in lost[i])})
    rows.sort(key=lambda r: (-r["weight_lost"], r["element"]))
    return pd.DataFrame(rows, columns=["element", "name", "kind", "owner", "touchpoints", "weight_lost"])
