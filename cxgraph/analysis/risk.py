"""Expected loss and risk of every element and capability (DESIGN.md section 3, "Reliability and expected loss").

At a random moment every element ``x`` is down independently with probability ``q(x)``;
``expected_loss = E[loss(F)]`` over the random set ``F`` of elements down, and
``risk(x) = expected_loss - expected_loss with q(x) = 0`` (for a capability: with every
element realising it or a descendant never failing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..engine import CompiledModel, Measure, all_failures, compile_model, run_packed
from ..engine.executors import resolve_executor
from ..errors import AnalysisInputError
from ..model import Model
from ._frozen import FrozenDict
from ._result import Result
from ._risk_exact import clusters, enumerate_cluster, space_of
from ._risk_sample import sample_cluster
from ._risk_truncated import plan_order, truncated_cluster

__all__ = ["MAX_EXACT", "RiskResult", "expected_loss", "risk"]

MAX_EXACT = 16
"""Largest cluster of interacting unreliable elements enumerated exactly (``2**16`` failure sets)."""

_EXACT_BUDGET = 1 << 20  # failure sets enumerated in all, over every cluster
_TRUNCATED_BUDGET = 100_000  # failure sets of a large cluster of seldom-failing elements enumerated
_RISK_SAMPLES = 200  # failure sets on which the risks of the elements of sampled clusters are estimated
_CAP_SAMPLES = 2000  # and those of the capabilities
_BASE_SAMPLES = 8000  # failure sets drawn at least when risks are asked (the means of their control variates)
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
         risk_samples: int | None = None, executor: Any = None) -> RiskResult:
    """Return the expected loss of ``model`` and the risk of every element and capability.

    Elements say how often they are down with ``availability``, or ``failures_per_year``
    and ``recovery_hours``; elements with neither never fail here and are listed in
    ``lacking``. The unreliable elements split into clusters whose blast radii share no
    touchpoint (no journey for the customers and revenue measures): loss adds up across
    clusters. A cluster of at most :data:`MAX_EXACT` elements is enumerated exactly (every
    failure set, weighted by its probability). In a larger cluster of seldom-failing
    elements every set of up to a few failures is enumerated, and the rest bounded: the
    result gives that sure bound as ``interval``. Otherwise the cluster is sampled, and the
    result says so in ``method`` and gives a 95 % interval.

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
        capabilities are estimated; default: 200 for the elements, at least 2,000 for the
        capabilities (and then at least 8,000 sets are drawn, for the means of their control
        variates).
    executor
        Where the failure sets are propagated: ``None`` (default, this machine's cores), a
        ``dask.distributed.Client`` or the ``ray`` module after ``ray.init()`` (see the page
        "Distributed runs"). The draws stay here and the result is the same, bit for bit.

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
    >>> cx.risk(m, executor=None).expected_loss == r.expected_loss  # or a Dask Client, or ray
    True
    """
    ex = resolve_executor(executor)
    c = compile_model(model)
    m: Measure = c.measure(measure)
    impact = all_failures(c, m, executor=ex).impact
    est = _estimate(c, m, impact, samples=samples, seed=seed, tolerance=tolerance, max_samples=max_samples,
                    risk_samples=risk_samples, risks=True, executor=ex)
    n_tp, n_el = c.n_touchpoints, c.n_elements
    q_all = c.q
    caps = c.capability_ids
    members = [c.members(cap) for cap in caps]
    notes = list(est.notes)
    lacking = [c.ids[i] for i in range(n_tp, c.n_nodes) if not c.reliability_known[i]]
    if lacking:
        notes.append(f"{len(lacking)} element(s) lack reliability data (availability or failures_per_year) and "
                     "count as never down")

    cap_q = np.array([1.0 - float(np.prod(1.0 - q_all[mem])) for mem in members])
    el = slice(n_tp, c.n_nodes)
    frame = pd.DataFrame({
        "id": [*c.ids[el], *caps], "name": [*c.names[el], *c.capability_names],
        "type": ["element"] * n_el + ["capability"] * len(caps), "kind": [*c.kinds[el], *["capability"] * len(caps)],
        "q": np.concatenate([q_all[el], cap_q]), "risk": np.concatenate([est.risk_node[el], est.risk_cap]),
        "risk_interval": np.concatenate([est.half_node[el], est.half_cap]),
        "impact": np.concatenate([impact[el], impact[c.n_nodes:]]),
    }, columns=_COLUMNS)
    return RiskResult(model_name=c.model_name, measure=m.name, unit=m.unit, expected_loss=est.expected,
                      interval=est.half, method=est.method, frame=frame, lacking=lacking, notes=notes)


def expected_loss(model: Model | Any, measure: str | Mapping[str, float] = "interactions", *, seed: int = 0,
                  executor: Any = None) -> float:
    """Return only the expected loss of ``model`` (or its compiled form), as :func:`risk` gives it, without the risks.

    Examples
    --------
    >>> from cxgraph.analysis.risk import expected_loss
    >>> m = cx.examples.load("retail-bank")
    >>> expected_loss(m) == cx.risk(m).expected_loss
    True
    """
    ex = resolve_executor(executor)
    c = compile_model(model)
    m = c.measure(measure)
    impact = all_failures(c, m, executor=ex).impact
    return _estimate(c, m, impact, samples=None, seed=seed, tolerance=0.01, max_samples=200_000,
                     risk_samples=None, risks=False, executor=ex).expected


@dataclass(frozen=True)
class _Estimate:
    expected: float
    half: float
    method: str
    notes: list[str]
    risk_node: np.ndarray
    half_node: np.ndarray
    risk_cap: np.ndarray
    half_cap: np.ndarray


def _estimate(c: CompiledModel, m: Measure, impact: np.ndarray, *, samples: int | None, seed: int,
              tolerance: float, max_samples: int, risk_samples: int | None, risks: bool,
              executor: Any = None) -> _Estimate:
    """Split the unreliable elements into clusters; enumerate the small ones, sample the rest."""
    if samples is not None and (isinstance(samples, bool) or not isinstance(samples, int) or samples < 2):
        raise AnalysisInputError(f"samples must be a whole number >= 2, got {samples!r}")
    if not 0 < tolerance < 1:
        raise AnalysisInputError(f"tolerance must lie between 0 and 1, got {tolerance!r}")
    q_all = c.q
    members = [c.members(cap) for cap in c.capability_ids] if risks else []
    space = space_of(c, m)
    expected = 0.0
    risk_node = np.zeros(c.n_nodes)
    half_node = np.zeros(c.n_nodes)
    risk_cap = np.zeros(len(members))
    half_cap = np.zeros(len(members))
    sampled: list[np.ndarray] = []
    bounded: list[str] = []
    bound = 0.0
    budget = _EXACT_BUDGET
    for nodes in clusters(space, np.flatnonzero(q_all > 0)):
        positions = [np.flatnonzero(np.isin(nodes, mem)) for mem in members]
        if samples is None and len(nodes) <= MAX_EXACT and (1 << len(nodes)) <= budget:
            budget -= 1 << len(nodes)
            value, r, rc = enumerate_cluster(c, m, nodes, q_all[nodes], positions, risks=risks, executor=executor)
            expected += value
            risk_node[nodes] = r
            risk_cap += rc
            continue
        order = None
        if samples is None:
            max_loss = float(run_packed(c, [0, len(nodes)], nodes, np.ones(len(nodes)), m, executor=executor).impact[0])
            guess = min(max_loss, float(np.dot(q_all[nodes], impact[nodes])))
            order = plan_order(q_all[nodes], max_loss, guess, tolerance / 2, _TRUNCATED_BUDGET)
            while order is not None:  # the bound must be small beside what the enumerated sets lose
                lower = truncated_cluster(c, m, nodes, q_all[nodes], [], order, max_loss, risks=False,
                                          executor=executor)
                if lower.bound <= tolerance / 4 * (lower.expected - lower.bound):
                    break
                order = plan_order(q_all[nodes], max_loss, lower.expected - lower.bound, tolerance / 2,
                                   _TRUNCATED_BUDGET, start=order + 1)
        if order is None:
            sampled.append(nodes)
            continue
        t = truncated_cluster(c, m, nodes, q_all[nodes], positions, order, max_loss, risks=risks, executor=executor)
        expected += t.expected
        bound += t.bound
        risk_node[nodes], half_node[nodes] = t.risk, t.risk_bound
        risk_cap += t.group_risk
        half_cap += t.group_bound
        bounded.append(f"every failure set of up to {order} of {len(nodes)} interacting elements ({t.sets:,} sets)")
    method = "exact"
    notes: list[str] = []
    if bounded:
        method = "enumerated: " + "; ".join(bounded) + ", larger sets bounded"
        notes.append("failure sets larger than those enumerated are left out; their probability bounds the error: "
                     "'interval' and 'risk_interval' are half-widths the exact values are sure to lie within")
    if not sampled:
        return _Estimate(expected, bound, method, notes, risk_node, half_node, risk_cap, half_cap)
    nodes = np.concatenate(sampled)
    positions = [np.flatnonzero(np.isin(nodes, mem)) for mem in members]
    if risks:
        k_risk = risk_samples if risk_samples is not None else _RISK_SAMPLES
        k_cap = max(k_risk, _CAP_SAMPLES)
    else:
        k_risk = k_cap = 0
    out = sample_cluster(c, space, nodes, q_all[nodes], impact[nodes], positions,
                         rng=np.random.default_rng(seed), samples=samples, tolerance=tolerance,
                         known=expected, max_samples=max_samples, risk_samples=k_risk, group_samples=k_cap,
                         least=_BASE_SAMPLES if risks else 0, executor=executor)
    risk_node[nodes] = out.risk
    half_node[nodes] = out.risk_half
    text = (f"sampled: {out.samples:,} failure sets of {len(nodes)} interacting elements (seed {seed}), "
            "first-order control variate")
    if risks:
        text += (f"; risks on the first {out.risk_samples:,} sets (capabilities: {out.group_samples:,}) "
                 "with common random numbers")
    method = text if method == "exact" else f"{method}; {text}"
    notes.append(f"the expected loss and the risks of {len(nodes)} element(s) are estimated by sampling: "
                 "'interval' and 'risk_interval' are 95 % half-widths")
    if out.joint < 100:
        notes.append(f"joint failures are rare here: about {out.joint:,.0f} of the {out.samples:,} failure sets "
                     "drawn hold two or more, so the intervals, estimated from the sets drawn, may understate "
                     "the error; draw more (samples=)")
    return _Estimate(expected + out.expected, bound + out.half, method, notes, risk_node, half_node,
                     risk_cap + out.group_risk, half_cap + out.group_half)


def _enumerate(c: CompiledModel, m: Measure) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every failure set of the (at most :data:`MAX_EXACT`) elements with ``q > 0``, in one batch.

    Returns ``(unreliable, bits, q, factors, loss)``: the element indices (0 = first element),
    one row of membership bits per set, their ``q``, the factors of each set's probability
    (``q`` where in the set, ``1 - q`` where not) and each set's loss. For callers that
    re-weigh the same sets under other probabilities (sensitivity).
    """
    n_tp = c.n_touchpoints
    q = c.q[n_tp:]
    unreliable = np.flatnonzero(q > 0)
    k = len(unreliable)
    if k > MAX_EXACT:
        raise AnalysisInputError(f"{k} elements have a failure probability; enumerating every failure set "
                                 f"handles at most {MAX_EXACT}")
    sets = np.arange(1 << k, dtype=np.int64)
    bits = ((sets[:, None] >> np.arange(k)) & 1).astype(bool)
    ptr = np.zeros(len(sets) + 1, np.int64)
    np.cumsum(bits.sum(axis=1), out=ptr[1:])
    _, cols = np.nonzero(bits)
    nodes = unreliable[cols] + n_tp
    loss = run_packed(c, ptr, nodes, np.ones(len(nodes)), m).impact
    qs = q[unreliable]
    return unreliable, bits, qs, np.where(bits, qs, 1.0 - qs), loss
