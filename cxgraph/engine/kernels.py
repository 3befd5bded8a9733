"""The propagation kernel: degradation of every touchpoint and element for a batch of scenarios.

One function, :func:`run_batch`, written in the subset of Python that numba compiles. With
numba installed it runs compiled (and releases the GIL, so batches can run on several
threads); without numba, or with the environment variable ``CXGRAPH_NO_NUMBA=1``, the very
same function runs as plain Python over numpy arrays (slow, but it gives the same numbers).

How one scenario is computed (DESIGN.md section 3):

1. The seeds (elements given an initial degradation ``a``) and every node that depends on
   them, directly or not, are collected by a depth-first walk over the reverse links, a
   strongly connected component (a cycle) being entered as one block. Nothing else can
   change: every other node keeps ``d = 0``.
2. Those nodes are evaluated in reverse finishing order of that walk, which puts every
   node after the nodes it depends on (the members of a cycle together).
3. A node outside a cycle is evaluated once. The members of a cycle are swept in order
   (Gauss-Seidel) from ``d = a`` upwards; every sweep stays below the least fixed point and
   rises towards it, because the equations are monotone. Sweeping stops when a sweep changes
   nothing, or when the largest change is at most ``tol`` and so is the rest still to come
   as estimated from the rate of convergence (``change * r / (1 - r)``, ``r`` the ratio of
   the last two changes) - a cycle of strength-1 links fed a little converges slowly, and
   a small last step alone would stop it early. After ``max_sweeps`` sweeps the component
   is counted as not converged (the caller warns).

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
"""A cycle has converged when a sweep, and the estimated rest of the way, change no degradation by more than this."""

MAX_SWEEPS = 100_000
"""Sweeps of one cycle in one scenario before it is reported as not converged."""


def run_batch(
    seed_ptr: np.ndarray, seed_node: np.ndarray, seed_level: np.ndarray, graph: tuple,
    n_touchpoints: int, tp_journey: np.ndarray, n_journeys: int, weight: np.ndarray,
    want_journeys: bool, want_lost: bool, want_d: bool,
    lost_threshold: float, tol: float, max_sweeps: int,
) -> tuple[Any, ...]:
    """Propagate a batch of scenarios; return per-scenario aggregates and optional detail.

    Scenario ``s`` sets ``a(seed_node[i]) = seed_level[i]`` for ``i`` in
    ``seed_ptr[s]:seed_ptr[s+1]`` (the largest level where a node is given twice).
    ``graph`` is :attr:`CompiledModel.kernel_arrays`.

    Returns ``(impact, n_tp, n_j, j_s, j_j, j_v, lost_s, lost_t, d_s, d_u, d_v, unconverged)``:
    the weighted sum over touchpoints of ``weight * d``; how many touchpoints and journeys
    have ``d > 0``; per (scenario, journey) sums as coordinates (when ``want_journeys``);
    the (scenario, touchpoint) pairs with ``d >= lost_threshold`` (when ``want_lost``); every
    (scenario, node, d) with ``d > 0`` (when ``want_d``); the number of cycle evaluations
    that reached ``max_sweeps``.
    """
    (simple_ptr, simple_target, simple_strength, gnode_ptr, group_ptr, group_k, glink_target, glink_strength,
     rev_ptr, rev_src, rev_simple, order, component, cyclic, comp_start, comp_rev_ptr, comp_rev_src) = graph
    n = simple_ptr.shape[0] - 1
    n_scen = seed_ptr.shape[0] - 1
    n_comp = comp_start.shape[0] - 1
    d = np.zeros(n)
    e = np.ones(n)
    a = np.zeros(n)
    acc_lost = np.zeros(n)
    acc_surv = np.ones(n)
    mark = np.full(n, -1, np.int64)
    cmark = np.full(n_comp, -1, np.int64)
    st_key = np.empty(n + 1, np.int64)
    st_pos = np.empty(n + 1, np.int64)
    st_end = np.empty(n + 1, np.int64)
    post = np.empty(n, np.int32)
    max_k = 1
    for g in range(group_k.shape[0]):
        max_k = max(max_k, group_k[g])
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
        # 1. Depth-first over the dependents of the seeds; a cycle is entered as one block.
        #    The reverse of the finishing order puts dependencies before dependents.
        cnt = 0
        for i in range(seed_ptr[s], seed_ptr[s + 1]):
            root = seed_node[i]
            if seed_level[i] > a[root]:
                a[root] = seed_level[i]
            c = component[root]
            if cyclic[c]:
                if cmark[c] == s:
                    continue
                cmark[c] = s
                key = n + c
                lo = comp_rev_ptr[c]
                hi = comp_rev_ptr[c + 1]
            else:
                if mark[root] == s:
                    continue
                mark[root] = s
                key = root
                lo = rev_ptr[root]
                hi = rev_ptr[root + 1]
            top = 1
            st_key[0] = key
            st_pos[0] = lo
            st_end[0] = hi
            while top > 0:
                key = st_key[top - 1]
                pos = st_pos[top - 1]
                if pos < st_end[top - 1]:
                    st_pos[top - 1] = pos + 1
                    nb = rev_src[pos] if key < n else comp_rev_src[pos]
                    c = component[nb]
                    if cyclic[c]:
                        if cmark[c] != s:
                            cmark[c] = s
                            st_key[top] = n + c
                            st_pos[top] = comp_rev_ptr[c]
                            st_end[top] = comp_rev_ptr[c + 1]
                            top += 1
                    elif mark[nb] != s:
                        mark[nb] = s
                        st_key[top] = nb
                        st_pos[top] = rev_ptr[nb]
                        st_end[top] = rev_ptr[nb + 1]
                        top += 1
                else:
                    top -= 1
                    if key < n:
                        post[cnt] = key
                        cnt += 1
                    else:
                        for p in range(comp_start[key - n], comp_start[key - n + 1]):
                            post[cnt] = order[p]
                            cnt += 1
        # 2. Evaluate in reverse finishing order, block by block (a block is one component).
        #    d(u) = 1 - (1 - a) * prod over groups (1 - G) is carried two ways: lost (= d, accurate near 0:
        #    1 - (1 - 0.2) is not 0.2 in floating point) and surv (= 1 - d, accurate near 1, which a cycle
        #    saturating slowly needs), each built from sums and products of positive terms. A link's
        #    survival 1 - s d(v) is taken from d(v) while d(v) <= 1/2 and as (1 - s) + s e(v) above.
        #    Links outside any named group are pushed: once a node is final, each dependent's running
        #    (lost, surv) takes its factor, so only links between degraded nodes cost anything. Named
        #    groups (k of n) are pulled when their node is evaluated, as are links inside a cycle.
        for p in range(cnt):
            u = post[p]
            acc_lost[u] = a[u]
            acc_surv[u] = 1.0 - a[u]
        i = cnt - 1
        while i >= 0:
            c = component[post[i]]
            cyc = cyclic[c]
            j = i - 1
            while j >= 0 and component[post[j]] == c:
                j -= 1
            sweeps = 0
            previous = 0.0
            while True:
                change = 0.0
                for p in range(i, j, -1):
                    u = post[p]
                    lost = acc_lost[u]
                    surv = acc_surv[u]
                    if cyc:
                        for ln in range(simple_ptr[u], simple_ptr[u + 1]):
                            v = simple_target[ln]
                            if component[v] == c:
                                sl = simple_strength[ln]
                                q = sl * d[v]
                                lost += surv * q
                                surv *= (1.0 - q) if d[v] <= 0.5 else (1.0 - sl) + sl * e[v]
                    for g in range(gnode_ptr[u], gnode_ptr[u + 1]):
                        if surv == 0.0:
                            break
                        k = group_k[g]
                        if k == 1:
                            # lose = prod q; keep = 1 - prod q, built as p_l + q_l * keep
                            lose = 1.0
                            keep = 0.0
                            for ln in range(group_ptr[g], group_ptr[g + 1]):
                                sl = glink_strength[ln]
                                v = glink_target[ln]
                                q = sl * d[v]
                                keep = ((1.0 - q) if d[v] <= 0.5 else (1.0 - sl) + sl * e[v]) + q * keep
                                lose *= q
                        else:
                            # Poisson binomial: prob[m] = P(exactly m of the links so far survive), m < k;
                            # keep = P(at least k survive)
                            prob[0] = 1.0
                            for m in range(1, k):
                                prob[m] = 0.0
                            keep = 0.0
                            for ln in range(group_ptr[g], group_ptr[g + 1]):
                                sl = glink_strength[ln]
                                v = glink_target[ln]
                                q = sl * d[v]
                                ps = (1.0 - q) if d[v] <= 0.5 else (1.0 - sl) + sl * e[v]
                                keep += prob[k - 1] * ps
                                for m in range(k - 1, 0, -1):
                                    prob[m] = prob[m] * q + prob[m - 1] * ps
                                prob[0] *= q
                            lose = 0.0
                            for m in range(k):
                                lose += prob[m]
                        lost += surv * lose
                        surv *= keep
                    # keep the pair consistent: the smaller of the two is exact, the other follows from it
                    if surv < 0.5:
                        lost = 1.0 - surv
                    else:
                        surv = 1.0 - lost
                    diff = abs(lost - d[u]) if lost <= 0.5 else abs(surv - e[u])
                    if diff > change:
                        change = diff
                    d[u] = lost
                    e[u] = surv
                sweeps += 1
                if not cyc or change == 0.0:
                    break
                # Converging geometrically at rate r, what is still to come is about change * r / (1 - r):
                # stop once that, not just the last change, is below tol.
                if change <= tol and previous > 0.0:
                    rate = change / previous
                    if rate < 1.0 and change * rate <= tol * (1.0 - rate):
                        break
                previous = change
                if sweeps >= max_sweeps:
                    unconverged += 1
                    break
            for p in range(i, j, -1):
                v = post[p]
                dv = d[v]
                if dv == 0.0:
                    continue
                ev = e[v]
                for r in range(rev_ptr[v], rev_ptr[v + 1]):
                    sl = rev_simple[r]
                    u = rev_src[r]
                    if sl >= 0.0 and component[u] != c:
                        q = sl * dv
                        acc_lost[u] += acc_surv[u] * q
                        acc_surv[u] *= (1.0 - q) if dv <= 0.5 else (1.0 - sl) + sl * ev
            i = j
        # 3. Aggregate over the touchpoints reached, record detail, reset.
        nj_here = 0
        for p in range(cnt - 1, -1, -1):
            u = post[p]
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
            e[u] = 1.0
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
