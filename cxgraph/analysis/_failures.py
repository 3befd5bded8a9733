"""Failure scenarios the priority analyses need, run in batches on the engine.

Kept apart from the analyses so that tests can stand a slow reference in for the engine.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..model import Model
from .gaps import touchpoint_weights

__all__ = ["run_degradations", "run_spof"]


def run_degradations(model: Model, scenarios: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Return, per scenario, ``d(t)`` for every touchpoint when the scenario's elements fail together.

    Every scenario runs in one batch on the compiled model (:mod:`cxgraph.engine`).

    Examples
    --------
    >>> from cxgraph.analysis._failures import run_degradations
    >>> m = cx.examples.load("retail-bank")
    >>> d = run_degradations(m, {"core": ["core-banking"], "none": []})
    >>> max(d["core"].values()), max(d["none"].values())
    (1.0, 0.0)
    """
    compiled = importlib.import_module("cxgraph.engine").compile_model(model)
    keys = list(scenarios)
    tps = compiled.ids[: compiled.n_touchpoints]
    if not keys:
        return {}
    out = compiled.run([dict.fromkeys(compiled.resolve(list(scenarios[k])), 1.0) for k in keys], degradation=True)
    d = np.zeros((len(keys), len(tps)))
    sel = out.d_u < len(tps)
    d[out.d_s[sel], out.d_u[sel]] = out.d_v[sel]
    return {k: dict(zip(tps, d[i].tolist(), strict=True)) for i, k in enumerate(keys)}


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
    lost_level = importlib.import_module("cxgraph.engine").LOST
    weights = touchpoint_weights(model)
    d = run_degradations(model, {e.id: [e.id] for e in model.elements})
    rows = []
    for e in model.elements:
        lost = [t for t, v in d[e.id].items() if v >= lost_level]
        if lost:
            rows.append({"element": e.id, "name": e.name, "kind": e.kind, "owner": e.owner, "touchpoints": lost,
                         "weight_lost": math.fsum(weights[t] for t in lost)})
    rows.sort(key=lambda r: (-r["weight_lost"], r["element"]))
    return pd.DataFrame(rows, columns=["element", "name", "kind", "owner", "touchpoints", "weight_lost"])
