"""The risk of every element of a sampled cluster: ``q(x) E[loss(F' + x) - loss(F')]``, ``F' = F - {x}``.

On each of the first ``K`` failure sets ``F_k`` drawn, the loss ``x`` adds to ``F_k`` comes from
:mod:`._risk_kernel` (starting from ``F_k``'s degradation), or is exactly ``impact(x)`` where
``x``'s blast radius does not meet ``F_k``'s. Where ``x`` is itself in ``F_k``:

- if ``q(x) <= 1/2``, the set counts 0 and the others are weighed by ``1 / (1 - q(x))``:
  ``E[1{x not in F} (loss(F + x) - loss(F))] / (1 - q(x)) = E[loss(F' + x) - loss(F')]``,
  since ``x`` fails independently of the rest;
- otherwise ``loss(F) - loss(F - {x})`` is propagated.

The control variate ``C = sum over units u of a_x(u) (1 - share_F(u))`` (``a_x``: what ``x``
alone loses on ``u``) equals the added loss where ``x`` and ``F`` reach a unit along
independent paths; its mean is taken over every set drawn.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from ..engine import CompiledModel, run_packed
from ._risk_kernel import added_loss, get_added_loss

if TYPE_CHECKING:
    from ._risk_exact import Space

__all__ = ["States", "element_risk", "group_risk"]

Z95 = 1.959963984540054
TOL = 1e-15
MAX_SWEEPS = 100_000


def _graph(c: CompiledModel, space: Space) -> tuple:
    """Return the arrays :func:`~._risk_kernel.added_loss` reads, as int64 / float64."""
    ka = c.kernel_arrays
    i64 = np.int64
    m = space.measure
    n_j = len(c.journey_ids)
    journey_start = np.searchsorted(c.tp_journey, np.arange(n_j + 1)).astype(i64) if c.n_touchpoints else \
        np.zeros(n_j + 1, i64)
    return (c.node_groups.astype(i64), c.group_links.astype(i64), c.group_needs.astype(i64),
            c.link_target.astype(i64), c.link_strength.astype(np.float64), c.rev_ptr.astype(i64),
            c.rev_src.astype(i64), ka[14].astype(i64), c.component.astype(i64), ka[13] >= 0,
            ka[12].astype(i64), ka[11].astype(i64), ka[15].astype(i64), c.n_touchpoints, m.tp_weight.astype(np.float64),
            bool(m.funnel),
            m.tp_funnel.astype(np.float64), c.tp_journey.astype(i64), journey_start,
            m.journey_weight.astype(np.float64), TOL, MAX_SWEEPS)


def _pool_map(fn: Callable[[int], Any], n: int) -> list[Any]:
    """Run ``fn`` over ``range(n)`` on one thread per core (the compiled kernel releases the GIL)."""
    threads = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 8))
    if threads > 1 and n > 1:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(fn, range(n)))
    return [fn(j) for j in range(n)]


def _added_remote(shared: dict[str, Any], batch: list[tuple]) -> list[np.ndarray]:
    """Run :func:`~._risk_kernel.added_loss` on a worker for a batch of failure sets, each with its seeds."""
    graph = tuple(a.copy() if isinstance(a, np.ndarray) and not a.flags.writeable else a for a in shared["graph"])
    kernel = get_added_loss(shared["kernel"])
    n = shared["n"]
    out = []
    for ptr, seeds, d_u, d_v, members in batch:
        d0 = np.zeros(n)
        d0[d_u] = d_v
        failed = np.zeros(n, bool)
        failed[members] = True
        out.append(kernel(ptr.copy(), seeds.copy(), d0, failed, *graph))
    return out


def _added_on(executor: Any, c: CompiledModel, graph: tuple, kernel: Callable[..., Any], states: States,
              jobs: list[tuple[int, np.ndarray, np.ndarray]]) -> dict[int, np.ndarray]:
    """Return, per failure set ``j`` of ``jobs`` ``(j, seed_ptr, seeds)``, what the kernel returns, run on ``executor``.

    Only each set's own degradation travels (its ``d > 0`` entries, node indices as int32), with
    its seeds; the kernel's graph goes once.
    """
    if not jobs:
        return {}
    shared = executor.put({"graph": graph, "n": c.n_nodes, "kernel": "python" if kernel is added_loss else "numba"})
    bounds = np.linspace(0, len(jobs), executor.batches(len(jobs)) + 1).astype(np.int64)
    batches = []
    for lo, hi in itertools.pairwise(bounds):
        batch = []
        for j, ptr, seeds in jobs[lo:hi]:
            sel = slice(*np.searchsorted(states.d_s, [j, j + 1]))
            batch.append((ptr, seeds, states.d_u[sel].astype(np.int32), states.d_v[sel], states.sets[j]))
        batches.append(batch)
    results = [value for part in executor.map(_added_remote, shared, [b for b in batches if b]) for value in part]
    return {j: value for (j, _, _), value in zip(jobs, results, strict=True)}


class States:
    """The degradation of every node under each failure set: ``(set, node, d)`` for every ``d > 0``, by set."""

    def __init__(self, n_nodes: int, sets: list[np.ndarray], d_s: np.ndarray, d_u: np.ndarray,
                 d_v: np.ndarray) -> None:
        self.sets, self.n = sets, n_nodes
        self.d_s, self.d_u, self.d_v = d_s, d_u, d_v

    def __getitem__(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(d, failed)`` of set ``j``."""
        d0 = np.zeros(self.n)
        sel = slice(*np.searchsorted(self.d_s, [j, j + 1]))
        d0[self.d_u[sel]] = self.d_v[sel]
        failed = np.zeros(self.n, bool)
        failed[self.sets[j]] = True
        return d0, failed


def _cv_coefficient(y: np.ndarray, cv: np.ndarray) -> np.ndarray:
    """Per row, ``cov(y, cv) / var(cv)``: the coefficient of the control variate with the least variance.

    The estimate is ``mean_K(y - b cv) + b mean_N(cv)``, the ``K`` sets here being the first
    of the ``N`` the mean of ``cv`` is taken over; its variance
    ``var(y) / K - 2 b cov (1/K - 1/N) + b^2 var(cv) (1/K - 1/N)`` is least at that ``b``.
    """
    k = y.shape[1]
    if k < 2:
        return np.zeros(y.shape[0])
    yc = y - y.mean(axis=1, keepdims=True)
    cc = cv - cv.mean(axis=1, keepdims=True)
    var = (cc * cc).sum(axis=1)
    return np.where(var > 0, (yc * cc).sum(axis=1) / np.maximum(var, 1e-300), 0.0)


def element_risk(c: CompiledModel, space: Space, nodes: np.ndarray, q: np.ndarray, impact: np.ndarray,
                 fail: np.ndarray, loss: np.ndarray, shares: sp.csr_matrix, single: sp.csr_matrix,
                 mean_share: np.ndarray, drawn: int, states: States, *,
                 executor: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the risk of each of ``nodes`` and its 95 % half-width from the failure sets ``fail`` (rows).

    ``loss`` and ``shares``: each set's loss and unit shares; ``single``: each node's unit
    shares when it fails alone; ``mean_share``: the unit shares averaged over all ``drawn`` sets.
    ``executor``: where the added losses are propagated (a cluster's workers, or this machine's threads).
    """
    k, kr = len(nodes), len(fail)
    a = sp.csr_matrix(single.multiply(space.weight[None, :]))
    cv = impact[:, None] - np.asarray((a @ shares.T).todense())          # (k, kr)
    cv_mean = impact - np.asarray(a @ mean_share).ravel()
    sets = states.sets
    graph = _graph(c, space)
    kernel = get_added_loss()
    low = q <= 0.5
    weight_out = np.where(low, 1.0 / np.maximum(1.0 - q, 1e-300), 1.0)

    def one(j: int) -> tuple[np.ndarray, np.ndarray]:
        d0, failed = states[j]
        inside = fail[j]
        hit = space.meets(nodes, space.union(sets[j])) & ~inside
        delta = np.where(inside, 0.0, impact)
        seeds = nodes[hit]
        if len(seeds):
            delta[hit] = kernel(np.arange(len(seeds) + 1), seeds, d0, failed, *graph)
        return delta, hit

    if executor is not None:
        hits = [space.meets(nodes, space.union(sets[j])) & ~fail[j] for j in range(kr)]
        added = _added_on(executor, c, graph, kernel, states, [
            (j, np.arange(int(hits[j].sum()) + 1), nodes[hits[j]]) for j in range(kr) if hits[j].any()])
        columns = []
        for j in range(kr):
            delta = np.where(fail[j], 0.0, impact)
            if j in added:
                delta[hits[j]] = added[j]
            columns.append((delta, hits[j]))
    else:
        columns = _pool_map(one, kr)
    delta = np.column_stack([col[0] for col in columns]) if columns else np.zeros((k, 0))
    delta *= weight_out[:, None]
    # high q: x in F_k counts loss(F_k) - loss(F_k - {x}), propagated
    removed: list[np.ndarray] = []
    where: list[tuple[int, int]] = []
    for i in np.flatnonzero(~low):
        for j in np.flatnonzero(fail[:, i]):
            removed.append(sets[j][sets[j] != nodes[i]])
            where.append((int(i), int(j)))
    if removed:
        rptr = np.zeros(len(removed) + 1, np.int64)
        np.cumsum([len(s_) for s_ in removed], out=rptr[1:])
        rest = run_packed(c, rptr, np.concatenate(removed), np.ones(int(rptr[-1])), space.measure,
                          executor=executor).impact
        for (i, j), value in zip(where, rest.tolist(), strict=True):
            delta[i, j] = loss[j] - value
    b = _cv_coefficient(delta, cv)[:, None]
    resid = delta - b * cv
    var_r = resid.var(axis=1, ddof=1) if kr > 1 else np.full(k, np.inf)
    var_c = (b * cv).var(axis=1, ddof=1) if kr > 1 else np.full(k, np.inf)
    risk = q * (resid.mean(axis=1) + b[:, 0] * cv_mean)
    half = Z95 * q * np.sqrt(var_r / kr + var_c / drawn)
    return risk, half


def group_risk(c: CompiledModel, space: Space, nodes: np.ndarray, q: np.ndarray, impact: np.ndarray,
               groups: list[np.ndarray], fail: np.ndarray, rng: np.random.Generator,
               states: States, *, executor: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the risk of each group of ``nodes`` (a capability's members, by position) and its 95 % half-width.

    ``risk(M) = E[loss(F' + G) - loss(F')]`` with ``F'`` drawn with the members never failing
    and ``G`` the members' failures drawn apart: the sets ``F_k`` that hold no member stand
    for ``F'`` (weighed by ``1 / P(no member down)``), ``G`` is drawn afresh (seeded), and
    the loss ``G`` adds comes from the kernel. The first-order term of ``G`` is the control
    variate.
    """
    kg = len(fail)
    live = [g for g, pos in enumerate(groups) if len(pos)]
    risk = np.zeros(len(groups))
    half = np.zeros(len(groups))
    if kg < 2 or not live:
        return risk, half
    draws = {g: rng.random((kg, len(groups[g]))) < q[groups[g]] for g in live}
    clear = {g: ~fail[:, groups[g]].any(axis=1) for g in live}
    p_clear = {g: float(np.prod(1.0 - q[groups[g]])) for g in live}
    graph = _graph(c, space)
    kernel = get_added_loss()

    def seeds_of(j: int) -> tuple[list[int], np.ndarray, np.ndarray]:
        chosen = [g for g in live if clear[g][j] and p_clear[g] > 0 and draws[g][j].any()]
        seeds = [nodes[groups[g][draws[g][j]]] for g in chosen]
        ptr = np.zeros(len(seeds) + 1, np.int64)
        np.cumsum([len(s_) for s_ in seeds], out=ptr[1:])
        return chosen, ptr, (np.concatenate(seeds) if seeds else np.zeros(0, np.int64))

    def one(j: int) -> np.ndarray:
        chosen, ptr, seeds = seeds_of(j)
        values = np.zeros(len(groups))
        if chosen:
            d0, failed = states[j]
            values[chosen] = kernel(ptr, seeds, d0, failed, *graph) / np.array([p_clear[g] for g in chosen])
        return values

    if executor is not None:
        plan = [seeds_of(j) for j in range(kg)]
        added = _added_on(executor, c, graph, kernel, states, [(j, ptr, seeds) for j, (chosen, ptr, seeds)
                                                               in enumerate(plan) if chosen])
        columns = []
        for j, (chosen, _, _) in enumerate(plan):
            values = np.zeros(len(groups))
            if chosen:
                values[chosen] = added[j] / np.array([p_clear[g] for g in chosen])
            columns.append(values)
    else:
        columns = _pool_map(one, kg)
    y = np.column_stack(columns)
    for g in live:
        first = draws[g] @ impact[groups[g]]
        mu = float(np.dot(q[groups[g]], impact[groups[g]]))
        vx = float(np.var(first))
        beta = float(np.cov(y[g], first)[0, 1] / vx) if vx > 0 else 0.0
        adjusted = y[g] - beta * (first - mu)
        risk[g] = float(adjusted.mean())
        half[g] = Z95 * float(np.std(adjusted, ddof=1)) / np.sqrt(kg)
    return risk, half
