"""Failure scenarios the priority analyses need, run in batches on the engine.

Kept apart from the analyses so that tests can stand a slow reference in for the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..engine import compile_model
from ..model import Model
from .gaps import WeightSpec
from .spof import single_points_of_failure

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


def run_spof(model: Model, measure: WeightSpec = "interactions") -> pd.DataFrame:
    """Return ``cx.single_points_of_failure(model, measure=measure).to_frame()`` (pairs are not searched).

    Columns: element, name, kind, owner, touchpoints (ids lost completely), loss.

    Examples
    --------
    >>> from cxgraph.analysis._failures import run_spof
    >>> "core-banking" in set(run_spof(cx.examples.load("retail-bank"))["element"])
    True
    """
    return single_points_of_failure(model, measure=measure, max_pair_elements=0).to_frame()
