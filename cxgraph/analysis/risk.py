"""Expected loss and risk of every element and capability (DESIGN.md section 3, "Reliability and expected loss").

At a random moment every element ``x`` is down independently with probability ``q(x)``;
``expected_loss = E[loss(F)]`` over the random set ``F`` of elements down, and
``risk(x) = expected_loss - expected_loss with q(x) = 0`` (for a capability: with every
element realising it or a descendant never failing).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..engine import Measure, all_failures, compile_model
from ..errors import AnalysisInputError
from ..model import Model
from ._frozen import FrozenDict
from ._result import Result
from ._risk_exact import clusters, enumerate_cluster, space_of
from ._risk_sample import sample_cluster

__all__ = ["EXACT_MAX", "RiskResult", "risk"]

EXACT_MAX = 16
"""Largest cluster of interacting unreliable elements enumerated exactly (``2**16`` failure sets)."""

_EXACT_BUDGET = 1 << 20  # failure sets enumerated in all, over every cluster
_RISK_PROPAGATIONS = 40_000  # propagations aimed at for the risks of the elements of sampled clusters
_CAP_PROPAGATIONS = 15_000  # and for the risks of the capabilities
_COLUMNS = ["id", "name", "type", "kind", "q", "risk", "risk_interval", "impact"]


class RiskResult(Result):
    """Expected loss, and the unavailability ``q`` and ``risk`` of every element and capability; see :func:`risk`.

    Attributes
    ----------
    model_name, measure, unit : str
        The model, the measure of loss and its unit (e.g. ``"interactions / month"``).
    expected_loss : float
        Loss per period to expect from the estate as it is.
    interval : float
        Half-width of the 95 % interval around ``expected_loss`` (0 when exact).
    method : str
        ``"exact"``, or a text naming the estimator and the number of failure sets drawn.
    q, risk : dict[str, float]
        Per element and capability id (read-only). A capability's ``q`` is the chance that
        at least one of its elements is down.
    risk_interval : dict[str, float]
        Half-width of the 95 % interval around each risk (0 where exact).
    lacking : tuple[str, ...]
        Ids of the elements without reliability data (``q = 0``).
    notes : tuple[str, ...]
        What a reader should know about the numbers.

    Examples
    --------
    >>> r = cx.risk(cx.examples.load("retail-bank"))
    >>> r.method
    'exact'
    >>> bool(r.expected_loss >= 0), r.interval
    (True, 0.0)
    """

    title = "Expected loss and risk"

    def __init__(self, *, model_name: str, measure: str, unit: str, expected_loss: float, interval: float,
                 method: str, frame: pd.DataFrame, lacking: list[str], notes: list[str]) -> None:
        state = {
            "model_name": model_name, "measure": measure, "unit": unit, "expected_loss": float(expected_loss),
            "interval": float(interval), "method": method, "_frame_data": frame,
            "q": FrozenDict(zip(frame["id"], frame["q"].tolist(), strict=True)),
            "risk": FrozenDict(zip(frame["id"], frame["risk"].tolist(), strict=True)),
            "risk_interval": FrozenDict(zip(frame["id"], frame["risk_interval"].tolist(), strict=True)),
            "lacking": tuple(lacking), "notes": tuple(notes),
            "title": f"Expected loss and risk ({unit})",
        }
        for key, value in state.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only")

    @cached_property
    def _frame(self) -> pd.DataFrame:
        frame = self._frame_data.sort_values(["risk", "id"], ascending=[False, True], kind="stable")
        return frame.reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per element and capability, highest risk first (ties by id).

        Columns: id, name, type ("element" or "capability"), kind, q, risk, risk_interval
        (95 % half-width, 0 when exact) and impact (the loss when it alone fails).

        Examples
        --------
        >>> list(cx.risk(cx.examples.load("retail-bank")).to_frame().columns)
        ['id', 'name', 'type', 'kind', 'q', 'risk', 'risk_interval', 'impact']
        """
        return self._frame.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data: the envelope of DESIGN §5, the expected loss, and rows in ``items``.

        Examples
        --------
        >>> d = cx.risk(cx.examples.load("retail-bank")).to_dict()
        >>> d["analysis"], sorted(d["items"][0])
        ('risk', ['id', 'impact', 'kind', 'name', 'q', 'risk', 'risk_interval', 'type'])
        """
        return {
            "cxgraph_result": 1, "analysis": "risk", "model": self.model_name, "measure": self.measure,
            "unit": self.unit, "notes": list(self.notes), "expected_loss": self.expected_loss,
            "interval": self.interval, "method": self.method, "n_lacking": len(self.lacking),
            "lacking_ids": list(self.lacking), "items": self._frame.to_dict(orient="records"),
        }


def risk(model: Model, *, measure: str | Mapping[str, float] = "interactions", samples: int | None = None,
         seed: int = 0, tolerance: float = 0.01, max_samples: int = 200_000,
         risk_samples: int | None = None) -> RiskResult:
    """Return the expected loss of ``model`` and the risk of every element and capability.

    Elements say how often they are down with ``availability``, or ``failures_per_year``
    and ``recovery_hours``; elements with neither never fail here and are listed in
    ``lacking``. The unreliable elements split into clusters whose blast radii share no
    touchpoint (no journey for the customers and revenue measures): loss adds up across
    clusters. A cluster of at most :data:`EXACT_MAX` elements is enumerated exactly (every
    failure set, weighted by its probability); a larger one is sampled, and the result says
    so in ``method`` and gives a 95 % interval.

    Parameters
    ----------
    model
        The model, or its :func:`~cxgraph.engine.compile_model` form.
    measure
        ``"interactions"`` (default), ``"customers"``, ``"revenue"``, or a mapping touchpoint
        id -> weight.
    samples
        Failure sets to draw where sampling is needed; ``None``: as many as it takes for a 95 %
        interval within ``tolerance`` of the expected loss (at most ``max_samples``). Giving
        a number forces sampling even where enumeration is possible.
    seed
        Seed of the random draws (the same seed gives the same result).
    tolerance
        Relative half-width of the 95 % interval aimed at when ``samples`` is ``None``.
    max_samples
        Most failure sets drawn when ``samples`` is ``None``.
    risk_samples
        Failure sets (the first ones drawn) on which the risks of sampled elements and
        capabilities are estimated; default: enough for about 60,000 propagations.

    Returns
    -------
    RiskResult
        ``.expected_loss``, ``.interval``, ``.method``, ``.q`` and ``.risk`` per id, ``.lacking``.

    Examples
    --------
    Two elements in a row behind one touchpoint: the touchpoint is lost when either is down.

    >>> m = cx.loads('''
    ... cxgraph: 1
    ... journeys:
    ...   - id: buy
    ...     name: Buy
    ...     customers: 1000
    ...     touchpoints:
    ...       - {id: checkout, name: Checkout, depends_on: [shop]}
    ... elements:
    ...   - {id: shop, name: Shop, kind: system, depends_on: [db], availability: 0.9}
    ...   - {id: db, name: Database, kind: data, availability: 0.8}
    ... ''')
    >>> r = cx.risk(m)
    >>> round(r.expected_loss, 6)  # 1000 * (1 - 0.9 * 0.8)
    280.0
    >>> round(r.risk["shop"], 6), round(r.risk["db"], 6)  # 1000 * 0.1 * 0.8, 1000 * 0.2 * 0.9
    (80.0, 180.0)
    """
    if samples is not None and (not isinstance(samples, int) or samples < 2):
        raise AnalysisInputError(f"samples must be a whole number >= 2, got {samples!r}")
    if not 0 < tolerance < 1:
        raise AnalysisInputError(f"tolerance must lie between 0 and 1, got {tolerance!r}")
    c = compile_model(model)
    m: Measure = c.measure(measure)
    n_tp, n_el = c.n_touchpoints, c.n_elements
    impact = all_failures(c, m).impact
    q_all = c.q
    caps = c.capability_ids
    members = [c.members(cap) for cap in caps]
    space = space_of(c, m)
    active = np.flatnonzero(q_all > 0)
    groups = clusters(space, active)

    expected = half = 0.0
    risk_node = np.zeros(c.n_nodes)
    half_node = np.zeros(c.n_nodes)
    risk_cap = np.zeros(len(caps))
    half_cap = np.zeros(len(caps))
    sampled: list[np.ndarray] = []
    budget = _EXACT_BUDGET
    for nodes in groups:
        if samples is None and len(nodes) <= EXACT_MAX and (1 << len(nodes)) <= budget:
            budget -= 1 << len(nodes)
            positions = [np.flatnonzero(np.isin(nodes, mem)) for mem in members]
            value, r, rc = enumerate_cluster(c, m, nodes, q_all[nodes], positions)
            expected += value
            risk_node[nodes] = r
            risk_cap += rc
        else:
            sampled.append(nodes)
    method = "exact"
    notes: list[str] = []
    if sampled:
        nodes = np.concatenate(sampled)
        positions = [np.flatnonzero(np.isin(nodes, mem)) for mem in members]
        k_risk = risk_samples if risk_samples is not None else max(32, _RISK_PROPAGATIONS // max(1, len(nodes)))
        n_groups = sum(1 for p in positions if len(p))
        k_cap = max(k_risk, _CAP_PROPAGATIONS // max(1, n_groups))
        out = sample_cluster(c, space, nodes, q_all[nodes], impact[nodes], positions,
                             rng=np.random.default_rng(seed), samples=samples, tolerance=tolerance,
                             known=expected, max_samples=max_samples, risk_samples=k_risk, group_samples=k_cap)
        expected += out.expected
        half = out.half
        risk_node[nodes] = out.risk
        half_node[nodes] = out.risk_half
        risk_cap += out.group_risk
        half_cap = np.sqrt(half_cap**2 + out.group_half**2)
        method = (f"sampled: {out.samples:,} failure sets of {len(nodes)} interacting elements (seed {seed}), "
                  "first-order control variate; risks on the first "
                  f"{out.risk_samples:,} sets (capabilities: {out.group_samples:,}) with common random numbers")
        notes.append(f"the expected loss and the risks of {len(nodes)} element(s) are estimated by sampling: "
                     "'interval' and 'risk_interval' are 95 % half-widths")
    lacking = [c.ids[i] for i in range(n_tp, c.n_nodes) if not c.reliability_known[i]]
    if lacking:
        notes.append(f"{len(lacking)} element(s) lack reliability data and are counted as never failing")

    cap_q = np.array([1.0 - float(np.prod(1.0 - q_all[mem])) for mem in members])
    el = slice(n_tp, c.n_nodes)
    frame = pd.DataFrame({
        "id": [*c.ids[el], *caps], "name": [*c.names[el], *c.capability_names],
        "type": ["element"] * n_el + ["capability"] * len(caps), "kind": [*c.kinds[el], *["capability"] * len(caps)],
        "q": np.concatenate([q_all[el], cap_q]), "risk": np.concatenate([risk_node[el], risk_cap]),
        "risk_interval": np.concatenate([half_node[el], half_cap]),
        "impact": np.concatenate([impact[el], impact[c.n_nodes:]]),
    }, columns=_COLUMNS)
    return RiskResult(model_name=c.model_name, measure=m.name, unit=m.unit, expected_loss=expected, interval=half,
                      method=method, frame=frame, lacking=lacking, notes=notes)
