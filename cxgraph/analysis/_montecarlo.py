"""The Monte Carlo core of :func:`cxgraph.sensitivity`: every sample's impact and pain, vectorised.

Impact is linear in the touchpoint weights: with ``D`` the degradation matrix (one row per
scenario - each element alone, each capability's elements together - one column per
touchpoint), the impacts of all samples are one product ``W @ D.T`` and the pains
``(W * gap) @ D.T``, where ``W`` and ``gap`` hold one row per sample. Only uncertain strengths
change ``D``, and only in the scenarios that can reach an uncertain link (the scenario fails
something the link's target depends on, directly or not): those rows are propagated again for
each sample with the engine's kernel, over the machine's cores.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from scipy.sparse import csr_array

from ..engine import CompiledModel
from ..engine.kernels import MAX_SWEEPS, TOLERANCE, backend, get_kernel
from ..engine.scenarios import LOST
from ..model import Model, point
from ._draws import Input

__all__ = ["Progress", "Samples", "gap_matrix", "simulate"]


@dataclass(frozen=True)
class Samples:
    """Per-sample arrays: touchpoint weights and gaps, element gaps, impacts and pains of every scenario."""

    weights: np.ndarray        # S x T
    tp_gap: np.ndarray         # S x T
    el_gap: np.ndarray         # S x E
    impact: np.ndarray         # S x (E + C)
    pain: np.ndarray           # S x (E + C)
    metric_values: np.ndarray  # S x M
    metric_target: np.ndarray  # S x M
    costs: np.ndarray          # S x I
    to_values: dict[tuple[str, str], np.ndarray]
    unconverged: int
    repropagated: int          # scenarios propagated again for every sample


class Progress:
    """A plain-text progress line on stderr (``sensitivity: 400/1000 samples``).

    Examples
    --------
    >>> import io
    >>> from cxgraph.analysis._montecarlo import Progress
    >>> out = io.StringIO()
    >>> bar = Progress(10, enabled=True, stream=out)
    >>> bar.advance(10); bar.close()
    >>> out.getvalue().splitlines()[-1].strip()
    'sensitivity: 10/10 samples'
    """

    def __init__(self, total: int, *, enabled: bool | None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(enabled) if enabled is not None else _is_terminal(self.stream)
        self.total = total
        self.done = 0

    def advance(self, n: int) -> None:
        """Count ``n`` more samples done and redraw."""
        self.done += n
        if self.enabled:
            self.stream.write(f"\rsensitivity: {self.done}/{self.total} samples")
            self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def gap_matrix(values: np.ndarray, target: np.ndarray, higher: np.ndarray) -> np.ndarray:
    """Metric gaps for arrays of values (DESIGN.md: 0 where the denominator is 0, capped at 1).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.analysis._montecarlo import gap_matrix
    >>> gap_matrix(np.array([[3.1, 5.0, 0.0]]), np.array([[4.5, 2.0, -1.0]]), np.array([True, False, False]))
    array([[0.31111111, 0.6       , 0.        ]])
    """
    short = np.where(higher, np.maximum(0.0, target - values), np.maximum(0.0, values - target))
    denominator = np.where(higher, np.abs(target), np.abs(values))
    out = np.zeros(np.broadcast(short, denominator).shape)
    np.divide(short, denominator, out=out, where=denominator != 0)
    return np.minimum(out, 1.0)


def _columns(inputs: list[Input], field: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(k, spec.target) for k, spec in enumerate(inputs) if spec.field == field]


def _scenarios(c: CompiledModel) -> list[dict[int, float]]:
    out: list[dict[int, float]] = [{u: 1.0} for u in range(c.n_touchpoints, c.n_nodes)]
    for k in range(len(c.capability_ids)):
        out.append(dict.fromkeys(c.cap_members[c.cap_ptr[k]: c.cap_ptr[k + 1]].tolist(), 1.0))
    return out


def _link_index(c: CompiledModel) -> dict[tuple[int, int], int]:
    src = np.repeat(np.arange(c.n_nodes), np.diff(c.group_links[c.node_groups]))
    return {(int(u), int(v)): k for k, (u, v) in enumerate(zip(src, c.link_target, strict=True))}


def _reaching(c: CompiledModel, links: list[int], scenarios: list[dict[int, float]]) -> list[int]:
    """Scenarios that fail something an uncertain link's target depends on (or the target itself)."""
    seen: set[int] = set()
    stack = [int(c.link_target[k]) for k in links]
    seen.update(stack)
    while stack:
        u = stack.pop()
        for ln in range(c.group_links[c.node_groups[u]], c.group_links[c.node_groups[u + 1]]):
            v = int(c.link_target[ln])
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return [s for s, scen in enumerate(scenarios) if any(u in seen for u in scen)]


def _degradation_matrix(c: CompiledModel, scenarios: list[dict[int, float]]) -> csr_array:
    out = c.run(scenarios, degradation=True)
    keep = out.d_u < c.n_touchpoints
    return csr_array((out.d_v[keep], (out.d_s[keep], out.d_u[keep])), shape=(len(scenarios), c.n_touchpoints))


def simulate(model: Model, c: CompiledModel, inputs: list[Input], x: np.ndarray,
             progress: Progress) -> Samples:
    """Compute every sample's weights, gaps, impacts and pains from the draws ``x`` (samples x inputs)."""
    n_s = x.shape[0]
    t_ids = c.ids[: c.n_touchpoints]
    t_index = {t: i for i, t in enumerate(t_ids)}
    j_index = {j: i for i, j in enumerate(c.journey_ids)}
    customers = np.tile(c.journey_customers, (n_s, 1))
    reach = np.tile(c.tp_reach, (n_s, 1))
    importance = np.tile(c.tp_importance, (n_s, 1))
    for k, (j,) in _columns(inputs, "customers"):
        customers[:, j_index[j]] = x[:, k]
    for k, (t,) in _columns(inputs, "reach"):
        reach[:, t_index[t]] = x[:, k]
    for k, (t,) in _columns(inputs, "importance"):
        importance[:, t_index[t]] = x[:, k]
    weights = customers[:, c.tp_journey] * reach * importance

    metrics = model.metrics
    m_index = {m.id: i for i, m in enumerate(metrics)}
    values = np.tile(np.array([point(m.actual) for m in metrics], dtype=float), (n_s, 1))
    target = np.tile(np.array([point(m.target) for m in metrics], dtype=float), (n_s, 1))
    for k, (mid,) in _columns(inputs, "actual"):
        values[:, m_index[mid]] = x[:, k]
    for k, (mid,) in _columns(inputs, "target"):
        target[:, m_index[mid]] = x[:, k]
    higher = np.array([m.better == "higher" for m in metrics], dtype=bool)
    gaps = gap_matrix(values, target, higher)
    tp_gap = np.zeros((n_s, c.n_touchpoints))
    el_gap = np.zeros((n_s, c.n_elements))
    for mi, m in enumerate(metrics):
        if m.of in t_index:
            h = t_index[m.of]
            tp_gap[:, h] = np.maximum(tp_gap[:, h], gaps[:, mi])
        else:
            h = c.index[m.of] - c.n_touchpoints
            el_gap[:, h] = np.maximum(el_gap[:, h], gaps[:, mi])

    i_index = {ini.id: i for i, ini in enumerate(model.initiatives)}
    costs = np.tile(np.array([point(i.cost) for i in model.initiatives], dtype=float), (n_s, 1))
    for k, (iid,) in _columns(inputs, "cost"):
        costs[:, i_index[iid]] = x[:, k]
    to_values = {(iid, mid): x[:, k] for k, (iid, mid) in _columns(inputs, "to")}

    scenarios = _scenarios(c)
    links = _link_index(c)
    uncertain = [(k, links[(c.index[u], c.index[v])]) for k, (u, v) in _columns(inputs, "strength")]
    hit = _reaching(c, [ln for _, ln in uncertain], scenarios) if uncertain else []
    weighted_pain = weights * tp_gap
    impact = np.zeros((n_s, len(scenarios)))
    pain = np.zeros((n_s, len(scenarios)))
    rest = np.setdiff1d(np.arange(len(scenarios)), hit)
    if len(rest):
        d = _degradation_matrix(c, [scenarios[s] for s in rest])
        impact[:, rest] = (d @ weights.T).T
        pain[:, rest] = (d @ weighted_pain.T).T
    unconverged = 0
    if hit:
        unconverged = _repropagate(c, [scenarios[s] for s in hit], np.array(hit), uncertain, x, weights,
                                   weighted_pain, impact, pain, progress)
    else:
        progress.advance(n_s)
    return Samples(weights, tp_gap, el_gap, impact, pain, values, target, costs, to_values, unconverged, len(hit))


def _repropagate(c: CompiledModel, scenarios: list[dict[int, float]], columns: np.ndarray,
                 uncertain: list[tuple[int, int]], x: np.ndarray, weights: np.ndarray, weighted_pain: np.ndarray,
                 impact: np.ndarray, pain: np.ndarray, progress: Progress) -> int:
    """Propagate ``scenarios`` again for every sample with that sample's strengths; fill the columns."""
    kernel = get_kernel(backend())
    ptr = np.zeros(len(scenarios) + 1, np.int64)
    ptr[1:] = np.cumsum([len(s) for s in scenarios])
    nodes = np.array([u for s in scenarios for u in s], dtype=np.int64)
    levels = np.ones(len(nodes))
    cols = np.array([k for k, _ in uncertain], dtype=np.int64)
    link_ids = np.array([ln for _, ln in uncertain], dtype=np.int64)
    n_t = c.n_touchpoints
    n_s = x.shape[0]

    def one(s: int) -> int:
        strength = c.link_strength.copy()
        strength[link_ids] = x[s, cols]
        res = kernel(ptr, nodes, levels, c.node_groups, c.group_links, c.group_needs, c.link_target, strength,
                     c.rev_ptr, c.rev_src, c.order, c.position, c.component, c.cyclic,
                     n_t, c.tp_journey, len(c.journey_ids), weights[s], False, False, True,
                     LOST, TOLERANCE, MAX_SWEEPS)
        d_s, d_u, d_v = res[8], res[9], res[10]
        keep = d_u < n_t
        impact[s, columns] = res[0]
        pain[s, columns] = np.bincount(d_s[keep], weights=weighted_pain[s, d_u[keep]] * d_v[keep],
                                       minlength=len(scenarios))
        return int(res[11])

    def chunk(lo: int, hi: int) -> tuple[int, int]:
        return hi - lo, sum(one(s) for s in range(lo, hi))

    step = max(1, min(50, n_s // 20))
    bounds = [(lo, min(n_s, lo + step)) for lo in range(0, n_s, step)]
    unconverged = 0
    workers = _threads() if backend() == "numba" else 1
    run: Callable[[int, int], tuple[int, int]] = chunk
    with ThreadPoolExecutor(workers) as pool:
        for future in as_completed([pool.submit(run, lo, hi) for lo, hi in bounds]):
            done, bad = future.result()
            unconverged += bad
            progress.advance(done)
    return unconverged


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
