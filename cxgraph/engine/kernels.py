"""The propagation kernel: degradation of every touchpoint and element for a batch of scenarios.

One function, :func:`run_batch`, written in the subset of Python that numba compiles. With
numba installed it runs compiled (and releases the GIL, so batches can run on several
threads); without numba, or with the environment variable ``CXGRAPH_NO_NUMBA=1``, the very
same function runs as plain Python over numpy arrays (slow, but it gives the same numbers).

How one scenario is computed (DESIGN.md section 3):

1. The seeds (elements given an initial degradation ``a``) and every node that depends on
   them, directly or not, are collected by a walk over the reverse links. Nothing else can
   change: every other node keeps ``d = 0``.
2. Those nodes are evaluated in the compiled evaluation order (dependencies first; the
   members of one strongly connected component are contiguous).
3. A node outside a cycle is evaluated once. The members of a cycle are swept in order
   (Gauss-Seidel) from ``d = a`` upwards until a sweep changes no value by more than
   ``tol``; every sweep stays below the least fixed point and rises towards it, because the
   equations are monotone. After ``max_sweeps`` sweeps the component is counted as not
   converged (the caller reports it).

Examples
--------
>>> from cxgraph.engine.kernels import backend
>>> backend() in ("numba", "python")
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["MAX_SWEEPS", "TOLERANCE", "backend", "get_kernel", "run_batch"]

TOLERANCE = 1e-15
"""A cycle has converged when a sweep changes no degradation by more than this."""

MAX_SWEEPS = 100_000
"""Sweeps of one cycle in one scenario before it is reported as not converged."""


def run_batch(
    seed_ptr: np.ndarray, seed_node: np.ndarray, seed_level: np.ndarray,
    node_groups: np.ndarray, group_links: np.ndarray, group_needs: np.ndarray,
    link_target: np.ndarray, link_strength: np.ndarray,
    rev_ptr: np.ndarray, rev_src: np.ndarray,
    order: np.ndarray, position: np.ndarray, component: np.ndarray, cyclic: np.ndarray,
    n_touchpoints: int, tp_journey: np.ndarray, n_journeys: int, weight: np.ndarray,
    want_journeys: bool, want_lost: bool, want_d: bool,
    lost_threshold: float, tol: float, max_sweeps: int,
) -> tuple[Any, ...]:
    """Propagate a batch of scenarios; return per-scenario aggregates and optional detail.

    Scenario ``s`` sets ``a(seed_node[i]) = seed_level[i]`` for ``i`` in
    ``seed_ptr[s]:seed_ptr[s+1]`` (the largest level where a node is given twice).

    Returns ``(impact, n_tp, n_j, j_s, j_j, j_v, lost_s, lost_t, d_s, d_u, d_v, unconverged)``:
    the weighted sum over touchpoints of ``weight * d``; how many touchpoints and journeys
    have ``d > 0``; per (scenario, journey) sums as coordinates (when ``want_journeys``);
    the (scenario, touchpoint) pairs with ``d >= lost_threshold`` (when ``want_lost``); every
    (scenario, node, d) with ``d > 0`` (when ``want_d``); the number of cycle evaluations
    that reached ``max_sweeps``.
    """
    n = node_groups.shape[0] - 1
    n_scen = seed_ptr.shape[0] - 1
    d = np.zeros(n)
    a = np.zeros(n)
    mark = np.full(n, -1, np.int64)
    stack = np.empty(n, np.int64)
    anc = np.empty(n, np.int64)
    max_k = 1
    for g in range(group_needs.shape[0]):
        max_k = max(max_k, group_needs[g])
    prob = np.zeros(max_k + 1)
    jacc = np.zeros(max(n_journeys, 1))
    jmark = np.full(max(n_journeys, 1), -1, np.int64)
    jlist = np.empty(max(n_journeys, 1), np.int64)

    impact = np.zeros(n_scen)
    n_tp = np.zeros(n_scen, np.int64)
    n_j = np.zeros(n_scen, np.int64)
    j_s = np.empty(16, np.int64)
    j_j = np.empty(16, np.int64)
    j_v = np.empty(16)
    j_n = 0
    lost_s = np.empty(16, np.int64)
    lost_t = np.empty(16, np.int64)
    lost_n = 0
    d_s = np.empty(16, np.int64)
    d_u = np.empty(16, np.int64)
    d_v = np.empty(16)
    d_n = 0
    unconverged = 0

    for s in range(n_scen):
        # 1. the seeds and everything that depends on them
        top = 0
        cnt = 0
        for i in range(seed_ptr[s], seed_ptr[s + 1]):
            u = seed_node[i]
            if seed_level[i] > a[u]:
                a[u] = seed_level[i]
            if mark[u] != s:
                mark[u] = s
                stack[top] = u
                top += 1
                anc[cnt] = position[u]
                cnt += 1
        while top > 0:
            top -= 1
            v = stack[top]
            for r in range(rev_ptr[v], rev_ptr[v + 1]):
                u = rev_src[r]
                if mark[u] != s:
                    mark[u] = s
                    stack[top] = u
                    top += 1
                    anc[cnt] = position[u]
                    cnt += 1
        # 2. evaluation order: dependencies first, each cycle contiguous
        ordered = np.sort(anc[:cnt])
        for i in range(cnt):
            ordered[i] = order[ordered[i]]
        # 3. evaluate block by block (a block is one strongly connected component)
        i = 0
        while i < cnt:
            c = component[ordered[i]]
            j = i + 1
            while j < cnt and component[ordered[j]] == c:
                j += 1
            sweeps = 0
            while True:
                change = 0.0
                for p in range(i, j):
                    u = ordered[p]
                    surv = 1.0 - a[u]
                    for g in range(node_groups[u], node_groups[u + 1]):
                        if surv == 0.0:
                            break
                        k = group_needs[g]
                        if k == 1:
                            lose = 1.0
                            for ln in range(group_links[g], group_links[g + 1]):
                                lose *= link_strength[ln] * d[link_target[ln]]
                                if lose == 0.0:
                                    break
                        else:
                            # Poisson binomial: prob[m] = P(exactly m of the links so far survive), m < k
                            prob[0] = 1.0
                            for m in range(1, k):
                                prob[m] = 0.0
                            for ln in range(group_links[g], group_links[g + 1]):
                                q = link_strength[ln] * d[link_target[ln]]
                                for m in range(k - 1, 0, -1):
                                    prob[m] = prob[m] * q + prob[m - 1] * (1.0 - q)
                                prob[0] *= q
                            lose = 0.0
                            for m in range(k):
                                lose += prob[m]
                        surv *= 1.0 - lose
                    new = 1.0 - surv
                    diff = abs(new - d[u])
                    if diff > change:
                        change = diff
                    d[u] = new
                sweeps += 1
                if not cyclic[c] or change <= tol:
                    break
                if sweeps >= max_sweeps:
                    unconverged += 1
                    break
            i = j
        # 4. aggregate over the touchpoints reached, record detail, reset
        nj_here = 0
        for p in range(cnt):
            u = ordered[p]
            du = d[u]
            if du > 0.0:
                if u < n_touchpoints:
                    impact[s] += weight[u] * du
                    n_tp[s] += 1
                    jj = tp_journey[u]
                    if jmark[jj] != s:
                        jmark[jj] = s
                        jlist[nj_here] = jj
                        nj_here += 1
                    jacc[jj] += weight[u] * du
                    if want_lost and du >= lost_threshold:
                        if lost_n == lost_s.shape[0]:
                            lost_s = np.concatenate((lost_s, np.empty(lost_n, np.int64)))
                            lost_t = np.concatenate((lost_t, np.empty(lost_n, np.int64)))
                        lost_s[lost_n] = s
                        lost_t[lost_n] = u
                        lost_n += 1
                if want_d:
                    if d_n == d_s.shape[0]:
                        d_s = np.concatenate((d_s, np.empty(d_n, np.int64)))
                        d_u = np.concatenate((d_u, np.empty(d_n, np.int64)))
                        d_v = np.concatenate((d_v, np.empty(d_n)))
                    d_s[d_n] = s
                    d_u[d_n] = u
                    d_v[d_n] = du
                    d_n += 1
            d[u] = 0.0
            a[u] = 0.0
        n_j[s] = nj_here
        for p in range(nj_here):
            jj = jlist[p]
            if want_journeys:
                if j_n == j_s.shape[0]:
                    j_s = np.concatenate((j_s, np.empty(j_n, np.int64)))
                    j_j = np.concatenate((j_j, np.empty(j_n, np.int64)))
                    j_v = np.concatenate((j_v, np.empty(j_n)))
                j_s[j_n] = s
                j_j[j_n] = jj
                j_v[j_n] = jacc[jj]
                j_n += 1
            jacc[jj] = 0.0
    return (impact, n_tp, n_j, j_s[:j_n], j_j[:j_n], j_v[:j_n], lost_s[:lost_n], lost_t[:lost_n],
            d_s[:d_n], d_u[:d_n], d_v[:d_n], unconverged)


_COMPILED: dict[str, Callable[..., tuple[Any, ...]]] = {}


def _numba_available() -> bool:
    try:
        import numba  # noqa: F401 - only checking that it imports
    except ImportError:
        return False
    return True


def backend() -> str:
    """Return the kernel in use: ``"numba"``, or ``"python"`` without numba or with ``CXGRAPH_NO_NUMBA=1``.

    Examples
    --------
    >>> import os
    >>> from cxgraph.engine.kernels import backend
    >>> backend() == ("python" if os.environ.get("CXGRAPH_NO_NUMBA") else backend())
    True
    """
    if os.environ.get("CXGRAPH_NO_NUMBA", "").strip() not in ("", "0") or not _numba_available():
        return "python"
    return "numba"


def get_kernel(name: str | None = None) -> Callable[..., tuple[Any, ...]]:
    """Return :func:`run_batch` for the backend ``name`` (default: :func:`backend`).

    Examples
    --------
    >>> from cxgraph.engine.kernels import get_kernel, run_batch
    >>> get_kernel("python") is run_batch
    True
    """
    name = name or backend()
    if name == "python":
        return run_batch
    if name != "numba":
        raise ValueError(f"unknown kernel backend {name!r} (expected 'numba' or 'python')")
    if "numba" not in _COMPILED:
        import numba

        _COMPILED["numba"] = numba.njit(cache=True, nogil=True)(run_batch)
    return _COMPILED["numba"]
