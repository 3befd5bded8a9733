"""The Monte Carlo core of :func:`cxgraph.sensitivity`: every sample's impact and pain, vectorised.

Impact is linear in the touchpoint weights: with ``D`` the degradation matrix (one row per
scenario - each element alone, each capability's elements together - one column per
touchpoint), the impacts of all samples are one product ``W @ D.T`` and the pains
``(W * gap) @ D.T``, where ``W`` and ``gap`` hold one row per sample. Weights vary through few
numbers (a journey's customers scales all its touchpoints), so ``W = C @ B.T`` with a basis ``B``
of one column per journey plus one per touchpoint whose own reach, importance or gap is uncertain;
the product is then ``C @ (D @ B).T``, a small dense one.

Only uncertain strengths change ``D``, and only for the touchpoints whose degradation can differ
between samples: :mod:`._mckernel` finds those in one pass per scenario and propagates just
them, for all samples at once; every other entry of ``D`` is computed once.

The customers and revenue measures are not linear in ``D``: a journey's loss is
``1 - prod (1 - reach(t) d(t))`` over its required touchpoints. Their impacts come from the same
propagation: the kernel adds ``log(1 - reach(t) d(t))`` per journey and sample, the constant
touchpoints add theirs here, and ``loss = sum_j w_j (1 - exp(sum))``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
from scipy.sparse import csr_array

from ..engine import CompiledModel, Measure
from ..engine.executors import Executor, interleave
from ..engine.kernels import MAX_SWEEPS, TOLERANCE
from ..engine.layout import absorbing_classes
from ..model import Model, point
from ._draws import Input
from ._mckernel import get_kernel, propagate_samples

__all__ = ["Progress", "Samples", "gap_matrix", "simulate"]


@dataclass(frozen=True)
class Samples:
    """Per-sample arrays: touchpoint weights and gaps, element gaps, impacts and pains of every scenario."""

    weights: np.ndarray        # S x T
    pain_weights: np.ndarray   # S x T
    tp_gap: np.ndarray         # S x T
    el_gap: np.ndarray         # S x E
    impact: np.ndarray         # S x (E + C)
    pain: np.ndarray           # S x (E + C)
    metric_values: np.ndarray  # S x M
    metric_target: np.ndarray  # S x M
    costs: np.ndarray          # S x I
    to_values: dict[tuple[str, str], np.ndarray]
    unconverged: int
    varying: int               # node evaluations done for every sample (the rest once)
    loss: np.ndarray           # S x (E + C): the impact in the measure asked for (``impact`` for interactions)
    metric_ideal: np.ndarray   # S x M

    def rows(self, index: slice) -> Samples:
        """Return the same arrays for a subset of the samples."""
        return Samples(self.weights[index], self.pain_weights[index], self.tp_gap[index], self.el_gap[index],
                       self.impact[index], self.pain[index], self.metric_values[index], self.metric_target[index],
                       self.costs[index], {k: v[index] for k, v in self.to_values.items()}, self.unconverged,
                       self.varying, self.loss[index], self.metric_ideal[index])


class Progress:
    """A progress bar on standard error (tqdm), shown when it is a terminal unless turned off.

    ``note`` says what the work is, e.g. that it grows with the square of the model's size.

    Examples
    --------
    >>> import io
    >>> from cxgraph.analysis._montecarlo import Progress
    >>> out = io.StringIO()
    >>> bar = Progress(10, enabled=True, stream=out, unit="scenarios")
    >>> bar.advance(10); bar.close()
    >>> "sensitivity: 100%" in out.getvalue() and "10/10" in out.getvalue()
    True
    """

    def __init__(self, total: int, *, enabled: bool | None, stream: TextIO | None = None,
                 unit: str = "scenarios", name: str = "sensitivity", note: str = "") -> None:
        from tqdm import tqdm

        self.stream = stream or sys.stderr
        self.enabled = bool(enabled) if enabled is not None else _is_terminal(self.stream)
        self.total = total
        self.done = 0
        if self.enabled and note:
            self.stream.write(f"{name}: {note}\n")
        self._bar = tqdm(total=total, desc=name, unit=f" {unit}", file=self.stream, disable=not self.enabled,
                         leave=True, dynamic_ncols=True, mininterval=0.2)

    def advance(self, n: int) -> None:
        """Count ``n`` more done and redraw."""
        self.done += n
        self._bar.update(n)

    def close(self) -> None:
        """End the bar."""
        self._bar.close()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def gap_matrix(values: np.ndarray, target: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """Metric gaps for arrays of values (DESIGN §3: distance from ideal; 0 where the actual is ideal).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.analysis._montecarlo import gap_matrix
    >>> gap_matrix(np.array([[3.1, 5.0, 0.0]]), np.array([[4.5, 2.0, -1.0]]), np.array([5.0, 0.0, 0.0]))
    array([[0.73684211, 0.6       , 0.        ]])
    """
    far = np.abs(ideal - values)
    short = far - np.abs(ideal - target)
    out = np.zeros(np.broadcast(short, far).shape)
    np.divide(short, far, out=out, where=short > 0)   # short > 0: 0 < short <= far, so the share is in (0, 1]
    return np.clip(out, 0.0, 1.0)


def _columns(inputs: list[Input], field: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(k, spec.target) for k, spec in enumerate(inputs) if spec.field == field]


def _scenarios(c: CompiledModel) -> list[np.ndarray]:
    out = [np.array([u]) for u in range(c.n_touchpoints, c.n_nodes)]
    out += [c.cap_members[c.cap_ptr[k]: c.cap_ptr[k + 1]] for k in range(len(c.capability_ids))]
    return out


def _link_index(c: CompiledModel) -> dict[tuple[int, int], int]:
    src = np.repeat(np.arange(c.n_nodes), np.diff(c.group_links[c.node_groups]))
    return {(int(u), int(v)): k for k, (u, v) in enumerate(zip(src.tolist(), c.link_target.tolist(), strict=True))}


def simulate(model: Model, c: CompiledModel, inputs: list[Input], x: np.ndarray, progress: Progress,
             measure: Measure | None = None, executor: Executor | None = None) -> Samples:
    """Compute every sample's weights, gaps, impacts and pains from the draws ``x`` (samples x inputs).

    ``measure`` (default interactions) is the measure of ``Samples.loss``; impact and pain are
    always computed in interactions too, the measure pain is defined in. With an ``executor``
    the scenarios are propagated on its cluster (the draws ``x`` stay here).
    """
    n_s = x.shape[0]
    t_index = {t: i for i, t in enumerate(c.ids[: c.n_touchpoints])}
    j_index = {j: i for i, j in enumerate(c.journey_ids)}
    customers = np.tile(c.journey_customers, (n_s, 1))
    reach = np.tile(c.tp_reach, (n_s, 1))
    importance = np.tile(c.tp_importance, (n_s, 1))
    own = np.zeros(c.n_touchpoints, dtype=bool)  # touchpoints whose own numbers vary
    for k, (j,) in _columns(inputs, "customers"):
        customers[:, j_index[j]] = x[:, k]
    importance_j = np.tile(c.journey_importance, (n_s, 1))
    for k, (j,) in _columns(inputs, "journey_importance"):
        importance_j[:, j_index[j]] = x[:, k]
    customers = customers * importance_j  # a journey's weight per customer: its importance
    for field, array in (("reach", reach), ("importance", importance)):
        for k, (t,) in _columns(inputs, field):
            array[:, t_index[t]] = x[:, k]
            own[t_index[t]] = True
    weights = customers[:, c.tp_journey] * reach * importance

    metrics = model.metrics
    m_index = {m.id: i for i, m in enumerate(metrics)}
    values = np.tile(np.array([point(m.actual) for m in metrics], dtype=float), (n_s, 1))
    target = np.tile(np.array([point(m.target) for m in metrics], dtype=float), (n_s, 1))
    ideal = np.tile(np.array([m.ideal_value for m in metrics], dtype=float), (n_s, 1))
    own_gap = own.copy()
    for field, array in (("actual", values), ("target", target), ("ideal", ideal)):
        for k, (mid,) in _columns(inputs, field):
            array[:, m_index[mid]] = x[:, k]
            of = metrics[m_index[mid]].of
            if of in t_index:
                own_gap[t_index[of]] = True
    gaps = gap_matrix(values, target, ideal)
    tp_gap = np.zeros((n_s, c.n_touchpoints))
    el_gap = np.zeros((n_s, c.n_elements))
    for mi, m in enumerate(metrics):
        if m.of in t_index:
            h = t_index[m.of]
            tp_gap[:, h] = np.maximum(tp_gap[:, h], gaps[:, mi])
        else:
            h = c.index[m.of] - c.n_touchpoints
            el_gap[:, h] = np.maximum(el_gap[:, h], gaps[:, mi])
    pain_weights = weights * tp_gap

    i_index = {ini.id: i for i, ini in enumerate(model.initiatives)}
    costs = np.tile(np.array([point(i.cost) for i in model.initiatives], dtype=float), (n_s, 1))
    for k, (iid,) in _columns(inputs, "cost"):
        costs[:, i_index[iid]] = x[:, k]
    to_values = {(iid, mid): x[:, k] for k, (iid, mid) in _columns(inputs, "to")}

    second = None
    if measure is not None and measure.funnel:
        funnel = np.where(c.tp_required, reach, 0.0)
        journey_w = customers if measure.name == "customers" else np.tile(measure.journey_weight, (n_s, 1))
        second = (funnel, journey_w)
    elif measure is not None and measure.name != "interactions":
        second = (np.tile(measure.tp_weight, (n_s, 1)), None)
    impact, pain, loss, unconverged, varying = _propagate(c, inputs, x, weights, pain_weights, customers, own,
                                                          own_gap, tp_gap[0], progress, second, executor)
    return Samples(weights, pain_weights, tp_gap, el_gap, impact, pain, values, target, costs, to_values,
                   unconverged, varying, impact if loss is None else loss, ideal)


def _basis(c: CompiledModel, factor: np.ndarray, own: np.ndarray, per_customer: np.ndarray,
           full: np.ndarray) -> tuple[csr_array, np.ndarray]:
    """``B`` (touchpoints x K) and ``C`` (samples x K) with ``C @ B.T`` equal to the weights ``full``."""
    shared = np.flatnonzero(~own)
    mine = np.flatnonzero(own)
    rows = np.concatenate([shared, mine])
    cols = np.concatenate([c.tp_journey[shared], len(c.journey_ids) + np.arange(len(mine))])
    vals = np.concatenate([per_customer[shared], np.ones(len(mine))])
    basis = csr_array((vals, (rows, cols)), shape=(c.n_touchpoints, len(c.journey_ids) + len(mine)))
    return basis, np.hstack([factor, full[:, mine]])


def _propagate(c: CompiledModel, inputs: list[Input], x: np.ndarray, weights: np.ndarray, pain_weights: np.ndarray,
               customers: np.ndarray, own: np.ndarray, own_gap: np.ndarray, gap0: np.ndarray,
               progress: Progress, second: tuple[np.ndarray, np.ndarray | None] | None = None,
               executor: Executor | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, int]:
    """Impacts and pains (samples x scenarios), and the loss in a second measure when ``second`` is given.

    ``second`` is ``(funnel, journey_weights)`` for a journey-funnel measure (samples x touchpoints,
    samples x journeys), or ``(touchpoint_weights, None)`` for a measure given as weights. With an
    ``executor``, the scenarios run in batches on its cluster (see :func:`_remote_chunk`).
    """
    n_s = x.shape[0]
    scenarios = _scenarios(c)
    n_scen = len(scenarios)
    links = _link_index(c)
    link_col = np.full(c.n_links, -1, np.int64)
    strength_cols = _columns(inputs, "strength")
    strengths = np.zeros((len(strength_cols), n_s))
    for row, (k, (u, v)) in enumerate(strength_cols):
        link_col[links[(c.index[u], c.index[v])]] = row
        strengths[row] = x[:, k]
    feeds = _feeds_touchpoints(c)
    owner = np.repeat(np.arange(c.n_nodes), np.diff(c.node_groups))
    owner = np.repeat(owner, np.diff(c.group_links))
    every = np.repeat(np.diff(c.group_links) == c.group_needs, np.diff(c.group_links))  # lost with their group
    certain = every & (link_col < 0)  # a link whose strength is drawn is not surely 1 in every sample
    absorb = absorbing_classes(c.n_nodes, owner[certain], c.link_target[certain], c.link_strength[certain],
                               c.component, c.cyclic)
    wt = np.ascontiguousarray(weights.T)
    wp = np.ascontiguousarray(pain_weights.T)
    block = max(1, min(n_s, 1024, max(32, 2**26 // (8 * max(c.n_nodes, 1)))))  # rows of <= 64 MB per thread
    kernel = get_kernel(work=n_scen * c.n_nodes)
    # Interleaved chunks balance the few heavy scenarios (shared infrastructure) across threads.
    n_chunks = min(n_scen, max(1, 8 * _threads())) if n_scen else 0
    chunks = [np.arange(i, n_scen, n_chunks) for i in range(n_chunks)]

    def run(ids: np.ndarray) -> tuple:
        ptr = np.zeros(len(ids) + 1, np.int64)
        ptr[1:] = np.cumsum([len(scenarios[i]) for i in ids])
        seeds = np.concatenate([scenarios[i] for i in ids]).astype(np.int64) if len(ids) else np.zeros(0, np.int64)
        return kernel(ptr, seeds, c.node_groups, c.group_links, c.group_needs, c.link_target, c.link_strength,
                      link_col, c.rev_ptr, c.rev_src, c.position, c.order, c.component, c.cyclic, feeds,
                      absorb, strengths, wt, wp, c.n_touchpoints, block, TOLERANCE, MAX_SWEEPS, ids, impact_t, pain_t,
                      tp_j, funnel_t, survive, linear)

    linear = second is not None and second[1] is None
    n_rows = 0 if second is None else 1 if linear else len(c.journey_ids)
    tp_j = np.zeros(c.n_touchpoints, np.int64) if linear else np.ascontiguousarray(c.tp_journey, np.int64)
    funnel_t = np.zeros((0, 0)) if second is None else np.ascontiguousarray(second[0].T, dtype=np.float64)
    survive = np.zeros((n_scen if second is not None else 0, n_rows, n_s))
    impact_t = np.zeros((n_scen, n_s))  # scenarios x samples: each thread writes its own rows
    pain_t = np.zeros((n_scen, n_s))
    triplets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    unconverged = varying = 0
    if executor is not None and n_scen > 1:
        chunks = interleave(n_scen, executor.batches(n_scen))
        seed_ptr = np.zeros(n_scen + 1, np.int64)
        seed_ptr[1:] = np.cumsum([len(s) for s in scenarios])
        shared = {"seed_ptr": seed_ptr, "seeds": np.concatenate(scenarios).astype(np.int64),
                  "graph": (c.node_groups, c.group_links, c.group_needs, c.link_target, c.link_strength, link_col,
                            c.rev_ptr, c.rev_src, c.position, c.order, c.component, c.cyclic, feeds, absorb,
                            strengths, wt, wp),
                  "n_touchpoints": c.n_touchpoints, "block": block,
                  "kernel": "python" if kernel is propagate_samples else "numba",
                  "funnel": (tp_j, funnel_t, linear), "rows": n_rows if second is not None else -1}
        results = executor.map(_remote_chunk, executor.put(shared), chunks)
        for ids, (c_s, c_t, c_v, bad, evals, rows, imp, pai, s_rows, surv) in zip(chunks, results, strict=True):
            impact_t[ids[rows]] = imp  # every other row stays 0, as the kernel leaves it
            pain_t[ids[rows]] = pai
            if len(s_rows):
                survive[ids[s_rows]] = surv
            triplets.append((ids[c_s], c_t, c_v))
            unconverged += int(bad)
            varying += int(evals)
        progress.advance(n_scen)
    else:
        with ThreadPoolExecutor(max(1, min(_threads(), n_chunks))) as pool:
            futures = {pool.submit(run, ids): ids for ids in chunks}
            for future in as_completed(futures):
                ids = futures[future]
                c_s, c_t, c_v, bad, evals = future.result()
                triplets.append((ids[c_s], c_t, c_v))
                unconverged += int(bad)
                varying += int(evals)
                progress.advance(len(ids))
    if triplets:
        rows, cols, vals = (np.concatenate([t[i] for t in triplets]) for i in range(3))
        d_const = csr_array((vals, (rows, cols)), shape=(n_scen, c.n_touchpoints))
        per_customer = c.tp_reach * c.tp_importance
        for full, mask, scale, out in ((weights, own, per_customer, impact_t),
                                       (pain_weights, own_gap, per_customer * gap0, pain_t)):
            basis, factor = _basis(c, customers, mask, scale, full)
            out += _product(d_const @ basis, factor)
        if second is not None:
            _add_constant(survive, rows, cols, vals, tp_j, second[0], linear)
    if second is None:
        return impact_t.T, pain_t.T, None, unconverged, varying
    if linear:
        return impact_t.T, pain_t.T, np.ascontiguousarray(survive[:, 0, :].T), unconverged, varying
    # sum over journeys of w_j * (1 - exp(log survival)), one scenario row at a time
    loss = np.empty((n_s, n_scen))
    assert second[1] is not None
    jw = second[1]
    for s in range(n_scen):
        loss[:, s] = -(np.expm1(survive[s]) * jw.T).sum(axis=0)
    return impact_t.T, pain_t.T, loss, unconverged, varying


def _add_constant(survive: np.ndarray, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, tp_j: np.ndarray,
                  funnel: np.ndarray, linear: bool) -> None:
    """Add the constant touchpoints' terms (``funnel * d``, or ``log(1 - funnel * d)``) to ``survive``."""
    n_j = survive.shape[1]
    flat = survive.reshape(-1, survive.shape[2])
    keys = rows * n_j + tp_j[cols]
    order = np.argsort(keys, kind="stable")
    step = max(1, 2**22 // max(1, survive.shape[2]))  # triplets per piece: at most 32 MB of terms
    for lo in range(0, len(order), step):
        part = order[lo: lo + step]
        y = funnel[:, cols[part]].T * vals[part, None]
        if not linear:
            with np.errstate(divide="ignore"):
                y = np.log1p(-np.minimum(y, 1.0))
        k = keys[part]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        flat[k[starts]] += np.add.reduceat(y, starts, axis=0)


def _remote_chunk(shared: dict[str, Any], ids: np.ndarray) -> tuple:
    """Propagate the scenarios ``ids`` on a worker, as one thread of :func:`_propagate` does.

    Returns the kernel's triplets and counts, and only the rows of impact, pain and (with a second
    measure) the survival terms that are not 0.
    """
    ptr = shared["seed_ptr"]
    size = ptr[ids + 1] - ptr[ids]
    sub = np.zeros(len(ids) + 1, np.int64)
    np.cumsum(size, out=sub[1:])
    seeds = shared["seeds"][np.repeat(ptr[ids] - sub[:-1], size) + np.arange(int(sub[-1]), dtype=np.int64)]
    graph = [a if a.flags.writeable else a.copy() for a in shared["graph"]]  # Ray's are read-only
    wt = graph[-2]
    impact = np.zeros((len(ids), wt.shape[1]))
    pain = np.zeros((len(ids), wt.shape[1]))
    tp_j, funnel_t, linear = (a if not isinstance(a, np.ndarray) or a.flags.writeable else a.copy()
                              for a in shared["funnel"])
    n_rows = shared["rows"]
    survive = np.zeros((len(ids) if n_rows >= 0 else 0, max(n_rows, 0), wt.shape[1]))
    kernel: Callable[..., tuple[Any, ...]] = propagate_samples if shared["kernel"] == "python" else get_kernel()
    c_s, c_t, c_v, bad, evals = kernel(sub, seeds, *graph, shared["n_touchpoints"], shared["block"], TOLERANCE,
                                       MAX_SWEEPS, np.arange(len(ids), dtype=np.int64), impact, pain, tp_j, funnel_t,
                                       survive, linear)
    rows = np.flatnonzero(impact.any(axis=1) | pain.any(axis=1))
    s_rows = np.flatnonzero(survive.reshape(len(survive), -1).any(axis=1)) if len(survive) else np.zeros(0, np.int64)
    return c_s, c_t, c_v, bad, evals, rows, impact[rows], pain[rows], s_rows, survive[s_rows]


def _feeds_touchpoints(c: CompiledModel) -> np.ndarray:
    """Touchpoints, and the elements some touchpoint depends on, directly or not."""
    feeds = np.zeros(c.n_nodes, dtype=bool)
    feeds[: c.n_touchpoints] = True
    src = np.repeat(np.arange(c.n_nodes), np.diff(c.group_links[c.node_groups]))
    count = -1
    while count != int(feeds.sum()):
        count = int(feeds.sum())
        feeds[c.link_target[feeds[src]]] = True
    return feeds


def _product(reduced: csr_array, factor: np.ndarray) -> np.ndarray:
    """``reduced @ factor.T`` (scenarios x samples), dense through BLAS when that is small enough."""
    if reduced.shape[0] * reduced.shape[1] <= 20_000_000:
        return reduced.toarray() @ factor.T
    return reduced @ factor.T


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
