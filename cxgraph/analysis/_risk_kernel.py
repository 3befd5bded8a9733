"""What one more failure adds to a failure set: ``loss(F + x) - loss(F)`` for many ``x``, from ``F``'s degradation.

Sampling the risk of every element needs, for each drawn set ``F`` and each element ``x``,
the loss that ``x`` adds. Propagating ``F + x`` from scratch costs as much as ``F`` itself;
here the degradation of ``F`` is the starting point and only what ``x`` changes is
re-evaluated: ``x`` is set to 1, then the nodes whose inputs changed, lowest level first
(a cycle as one block, swept until it settles), each pulling all its links. Degradation is
monotone, so starting from ``F``'s values rises to the least fixed point of ``F + x``
(DESIGN §3). The changed touchpoints give the added loss, per touchpoint or, for a funnel
measure, per journey. Runs compiled with numba when available (and without the GIL),
otherwise as plain Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine.newton import jitable, newton, worth_newton

__all__ = ["added_loss", "get_added_loss"]


def added_loss(seed_ptr: np.ndarray, seeds: np.ndarray, d0: np.ndarray, failed: np.ndarray, node_groups: np.ndarray,
               group_links: np.ndarray, group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray,
               rev_ptr: np.ndarray, rev_src: np.ndarray, level: np.ndarray, comp: np.ndarray, cyclic: np.ndarray,
               comp_start: np.ndarray, order: np.ndarray, absorb: np.ndarray, n_tp: int, tp_weight: np.ndarray,
               funnel: bool,
               tp_funnel: np.ndarray, tp_journey: np.ndarray, journey_start: np.ndarray, journey_weight: np.ndarray,
               tol: float, max_sweeps: int) -> np.ndarray:
    """Return ``loss(F + X) - loss(F)`` for every set ``X`` (``seeds[seed_ptr[s]:seed_ptr[s + 1]]``).

    ``d0`` is the degradation under ``F`` and ``failed`` marks the elements of ``F``; ``absorb``
    gives each node's absorbing class (:func:`cxgraph.engine.layout.absorbing_classes`) or -1.
    """
    n = d0.shape[0]
    n_lv = 1
    for u in range(n):
        n_lv = max(n_lv, level[u] + 1)
    d = d0.copy()
    head = np.full(n_lv, -1, np.int64)
    nxt = np.full(n, -1, np.int64)
    queued = np.full(n, -1, np.int64)
    seen = np.full(n, -1, np.int64)
    touched = np.empty(n, np.int64)
    cdone = np.full(comp_start.shape[0], -1, np.int64)
    n_j = journey_start.shape[0] - 1
    jseen = np.full(max(n_j, 1), -1, np.int64)
    max_k = 1
    for g in range(group_needs.shape[0]):
        max_k = max(max_k, group_needs[g])
    prob = np.zeros(max_k + 1)
    jl0 = np.zeros(max(n_j, 1))
    if funnel:
        for j in range(n_j):
            keep = 1.0
            for t in range(journey_start[j], journey_start[j + 1]):
                keep *= 1.0 - tp_funnel[t] * d0[t]
            jl0[j] = 1.0 - keep
    isseed = np.full(n, -1, np.int64)
    slot = np.full(n, -1, np.int64)  # Newton's method on slow cycles (engine.newton)
    e = np.ones(n)
    out = np.zeros(seed_ptr.shape[0] - 1)
    for s in range(seed_ptr.shape[0] - 1):
        nt = 0
        low = n_lv
        for i in range(seed_ptr[s], seed_ptr[s + 1]):
            x = seeds[i]
            if failed[x] or isseed[x] == s:
                continue
            isseed[x] = s
            if d0[x] >= 1.0:
                continue
            d[x] = 1.0
            seen[x] = s
            touched[nt] = x
            nt += 1
            for r in range(rev_ptr[x], rev_ptr[x + 1]):
                u = rev_src[r]
                if queued[u] != s and comp[u] != comp[x]:
                    queued[u] = s
                    nxt[u] = head[level[u]]
                    head[level[u]] = u
                    low = min(low, level[u])
            if cyclic[x]:  # the rest of x's own cycle waits at x's level
                for p in range(comp_start[comp[x]], comp_start[comp[x] + 1]):
                    u = order[p]
                    if queued[u] != s:
                        queued[u] = s
                        nxt[u] = head[level[u]]
                        head[level[u]] = u
                        low = min(low, level[u])
        lv = low
        while lv < n_lv:
            u = head[lv]
            if u == -1:
                lv += 1
                continue
            head[lv] = nxt[u]
            c = comp[u]
            block = cyclic[u]
            lo, hi = 0, 1
            if block:
                if cdone[c] == s:
                    continue
                cdone[c] = s
                lo, hi = comp_start[c], comp_start[c + 1]
            sweeps = 0
            since = 0
            solves = 0
            previous = 0.0
            while True:
                change = 0.0
                for p in range(lo, hi):
                    v = order[p] if block else u
                    if failed[v] or isseed[v] == s:
                        continue
                    surv = 1.0
                    for g in range(node_groups[v], node_groups[v + 1]):
                        k = group_needs[g]
                        if k == 1:
                            lose = 1.0
                            for ln in range(group_links[g], group_links[g + 1]):
                                lose *= link_strength[ln] * d[link_target[ln]]
                        else:
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
                    if new != d[v]:
                        # the change relative to the value (or to 1 - d above 1/2): a tiny d is as exact as a large one
                        scale = new if new <= 0.5 else 1.0 - new
                        delta = abs(new - d[v])
                        change = max(change, delta / scale if delta < scale * 1e300 else 1e300)
                        if seen[v] != s:
                            seen[v] = s
                            touched[nt] = v
                            nt += 1
                        d[v] = new
                sweeps += 1
                since += 1
                if block:  # a cycle of strength-1 links with any member degraded is fully lost
                    for p in range(lo, hi):
                        v = order[p]
                        if absorb[v] >= 0 and 0.0 < d[v] < 1.0:
                            for p2 in range(lo, hi):
                                w = order[p2]
                                if absorb[w] == absorb[v] and d[w] < 1.0:
                                    d[w] = 1.0
                                    change = 1.0
                                    if seen[w] != s:
                                        seen[w] = s
                                        touched[nt] = w
                                        nt += 1
                if not block or change <= tol or sweeps >= max_sweeps:
                    break
                if solves < 8 and worth_newton(since, change, previous, tol, hi - lo):
                    _solve(order[lo:hi], slot, node_groups, group_links, group_needs, link_target, link_strength, d, e,
                           failed, isseed, s, tol)
                    for p in range(lo, hi):
                        v = order[p]
                        if seen[v] != s and d[v] != d0[v]:
                            seen[v] = s
                            touched[nt] = v
                            nt += 1
                    solves += 1
                    since = 0
                    previous = 0.0
                    continue
                previous = change
            for p in range(lo, hi):
                v = order[p] if block else u
                if seen[v] != s or d[v] == d0[v]:
                    continue
                for r in range(rev_ptr[v], rev_ptr[v + 1]):
                    w = rev_src[r]
                    if queued[w] != s and comp[w] != c:
                        queued[w] = s
                        nxt[w] = head[level[w]]
                        head[level[w]] = w
        total = 0.0
        for i in range(nt):
            v = touched[i]
            if v < n_tp:
                if funnel:
                    j = tp_journey[v]
                    if jseen[j] != s:
                        jseen[j] = s
                        keep = 1.0
                        for t in range(journey_start[j], journey_start[j + 1]):
                            keep *= 1.0 - tp_funnel[t] * d[t]
                        total += journey_weight[j] * ((1.0 - keep) - jl0[j])
                else:
                    total += tp_weight[v] * (d[v] - d0[v])
        for i in range(nt):
            d[touched[i]] = d0[touched[i]]
        out[s] = total
    return out


@jitable
def _solve(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
           group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray, e: np.ndarray,
           failed: np.ndarray, isseed: np.ndarray, s: int, tol: float) -> None:
    """Newton's method on one cycle (:func:`cxgraph.engine.newton.newton`), failed members held at 1."""
    m = members.shape[0]
    base_lost = np.zeros(m)
    base_surv = np.ones(m)
    for i in range(m):
        u = members[i]
        slot[u] = i
        if failed[u] or isseed[u] == s:
            base_lost[i] = 1.0
            base_surv[i] = 0.0
        e[u] = 1.0 - d[u]
        for g in range(node_groups[u], node_groups[u + 1]):
            for ln in range(group_links[g], group_links[g + 1]):
                e[link_target[ln]] = 1.0 - d[link_target[ln]]
    newton(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e, base_lost,
           base_surv, False, tol)
    for i in range(m):
        slot[members[i]] = -1


_COMPILED: dict[str, Callable[..., Any]] = {}


def get_added_loss(name: str | None = None) -> Callable[..., Any]:
    """Return :func:`added_loss`, compiled with numba where the engine's kernel is (see ``cx.engine.backend``).

    ``name`` (``"numba"`` or ``"python"``) asks for one of the two, as a cluster's worker does to
    run the kernel its caller chose.
    """
    from ..engine import backend

    if name == "python" or (name is None and (backend() != "numba" or os.environ.get(
            "CXGRAPH_NO_NUMBA", "").strip() not in ("", "0"))):
        return added_loss
    if "numba" not in _COMPILED:
        from ..engine.kernels import njit_cached

        _COMPILED["numba"] = njit_cached(added_loss)
    return _COMPILED["numba"]
