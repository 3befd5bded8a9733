"""Propagating failure scenarios for many strength samples at once (numba, with a plain-Python fallback).

:func:`propagate_samples` computes, for each scenario (one element, or a capability's elements,
failing at level 1), the degradation of its dependents under every sample of the uncertain
link strengths, by the rules of DESIGN.md section 3 (the same rules as
:mod:`cxgraph.engine.kernels`). It splits the work in two:

1. one scalar pass per scenario at the point strengths, which also marks each node *varying*
   when its degradation can differ between samples: it has an uncertain link to a node that is
   degraded (or may be), or a link to a varying node; but not when one of its groups is lost for
   certain (strength-1 links to nodes lost for certain leave fewer than ``k`` survivors: then
   ``d = 1`` whatever the samples). A dependency cycle with any varying input varies as a whole;
2. a vector pass over the varying nodes only, for blocks of samples at a time, each node's
   degradation a row over the samples of the block.

It returns the touchpoints that do not vary as ``(scenario, touchpoint, d)`` triplets (the caller
weighs them with one matrix product) and, for the varying ones, their weighted sums per sample.
For the customers and revenue measures (journey funnels) it also adds, per sample, each varying
touchpoint's ``log(1 - reach * d)`` to its journey's row: the journey's surviving share is the
exponential of that sum (DESIGN.md section 3).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import kernels
from ..engine.newton import jitable, newton, worth_newton

__all__ = ["get_kernel", "propagate_samples"]


def propagate_samples(
    seed_ptr: np.ndarray, seed_node: np.ndarray,
    node_groups: np.ndarray, group_links: np.ndarray, group_needs: np.ndarray,
    link_target: np.ndarray, link_strength: np.ndarray, link_col: np.ndarray,
    rev_ptr: np.ndarray, rev_src: np.ndarray, position: np.ndarray, order: np.ndarray,
    component: np.ndarray, cyclic: np.ndarray, feeds: np.ndarray, absorb: np.ndarray,
    strengths: np.ndarray, wt: np.ndarray, wp: np.ndarray, n_touchpoints: int,
    block: int, tol: float, max_sweeps: int, out_row: np.ndarray, impact: np.ndarray, pain: np.ndarray,
    tp_journey: np.ndarray, funnel: np.ndarray, survive: np.ndarray, linear: bool,
) -> tuple[Any, ...]:
    """Propagate every scenario for every sample; see the module docstring.

    Only nodes that ``feeds`` marks (touchpoints, and elements some touchpoint depends on, directly
    or not) are evaluated: no other degradation reaches a touchpoint.
    ``link_col[l]`` is the row of ``strengths`` (uncertain links x samples) holding link ``l``'s
    samples, or -1 for a certain link. ``wt`` and ``wp`` are the touchpoint weights and pain
    weights, touchpoints x samples. Scenario ``s`` adds, per sample, the weighted sums over its
    varying touchpoints to rows ``out_row[s]`` of ``impact`` and ``pain`` (rows x samples; calls on
    other threads write other rows). ``absorb`` gives each node's absorbing class (a cycle of certain
    strength-1 links, see :func:`cxgraph.engine.layout.absorbing_classes`) or -1.
    Returns ``(c_s, c_t, c_v, unconverged, varying)``: the
    constant touchpoint degradations as triplets (``c_s`` indexes this call's scenarios); cycle
    evaluations that hit ``max_sweeps``; and the number of node evaluations done per sample.
    ``funnel`` (touchpoints x samples, or an empty array when no funnel measure is asked for) is each
    touchpoint's ``reach`` when it is required, else 0; scenario ``s`` then adds, per sample,
    ``log(1 - funnel * d)`` of each varying touchpoint to ``survive[out_row[s], tp_journey[t]]``
    (rows x journeys x samples); with ``linear`` it adds ``funnel * d`` instead (a second weighting,
    for a measure given as per-touchpoint weights).
    """
    n = node_groups.shape[0] - 1
    n_scen = seed_ptr.shape[0] - 1
    n_samples = wt.shape[1]
    use_funnel = funnel.shape[0] > 0
    d = np.zeros(n)
    a = np.zeros(n)
    mark = np.full(n, -1, np.int64)
    vary = np.zeros(n, np.bool_)
    stack = np.empty(n, np.int64)
    found = np.empty(n, np.int64)
    vlist = np.empty(n, np.int64)
    # How each varying node is computed: kind 0 = in full; 1, 2, 3 = base + c * y with y the samples of
    # (strength x row of v), (row of v), (strength): one varying link in all its groups.
    op_kind = np.zeros(n, np.int64)
    op_v = np.zeros(n, np.int64)
    op_col = np.zeros(n, np.int64)
    op_base = np.zeros(n)
    op_c = np.zeros(n)
    rows = np.zeros((n, block))
    surv = np.empty(block)
    lose = np.empty(block)
    max_k = 1
    for g in range(group_needs.shape[0]):
        max_k = max(max_k, group_needs[g])
    prob = np.zeros(max_k + 1)
    c_s = np.empty(16, np.int64)
    c_t = np.empty(16, np.int64)
    c_v = np.empty(16)
    c_n = 0
    unconverged = 0
    evaluations = 0
    # Newton's method on slow cycles (engine.newton): positions in the cycle, d and 1 - d of a sample, strengths
    slot = np.full(n, -1, np.int64)
    dx = np.zeros(n)
    ex = np.ones(n)
    lsx = link_strength.copy()

    for s in range(n_scen):
        # 1. the seeds and everything that depends on them
        top = 0
        cnt = 0
        for i in range(seed_ptr[s], seed_ptr[s + 1]):
            u = seed_node[i]
            a[u] = 1.0
            if mark[u] != s:
                mark[u] = s
                stack[top] = u
                top += 1
                found[cnt] = position[u]
                cnt += 1
        while top > 0:
            top -= 1
            v = stack[top]
            for r in range(rev_ptr[v], rev_ptr[v + 1]):
                u = rev_src[r]
                if mark[u] != s and feeds[u]:
                    mark[u] = s
                    stack[top] = u
                    top += 1
                    found[cnt] = position[u]
                    cnt += 1
        ordered = np.sort(found[:cnt])
        for i in range(cnt):
            ordered[i] = order[ordered[i]]
        # 2. scalar pass at the point strengths, marking the varying nodes
        nv = 0
        i = 0
        while i < cnt:
            comp = component[ordered[i]]
            j = i + 1
            while j < cnt and component[ordered[j]] == comp:
                j += 1
            block_vary = False
            sweeps = 0
            since = 0
            solves = 0
            previous = 0.0
            while True:
                change = 0.0
                for p in range(i, j):
                    u = ordered[p]
                    sv = 1.0 - a[u]
                    lost = a[u]  # d carried as a sum of positive terms too: 1 - (1 - 1e-9) is not 1e-9
                    saturated = a[u] == 1.0
                    node_vary = False
                    for g in range(node_groups[u], node_groups[u + 1]):
                        k = group_needs[g]
                        lo = group_links[g]
                        hi = group_links[g + 1]
                        sure = 0
                        for ln in range(lo, hi):
                            v = link_target[ln]
                            if mark[v] != s:
                                continue
                            if vary[v] or (link_col[ln] >= 0 and (d[v] > 0.0 or cyclic[comp])):
                                node_vary = True
                            elif link_strength[ln] == 1.0 and d[v] == 1.0 and component[v] != comp:
                                sure += 1
                        if sure > hi - lo - k:
                            saturated = True
                        if sv == 0.0:
                            continue
                        if k == 1:
                            g_lose = 1.0
                            for ln in range(lo, hi):
                                g_lose *= link_strength[ln] * d[link_target[ln]]
                                if g_lose == 0.0:
                                    break
                        else:
                            prob[0] = 1.0
                            for m in range(1, k):
                                prob[m] = 0.0
                            for ln in range(lo, hi):
                                q = link_strength[ln] * d[link_target[ln]]
                                for m in range(k - 1, 0, -1):
                                    prob[m] = prob[m] * q + prob[m - 1] * (1.0 - q)
                                prob[0] *= q
                            g_lose = 0.0
                            for m in range(k):
                                g_lose += prob[m]
                        lost += sv * g_lose
                        sv *= 1.0 - g_lose
                    new = lost if lost <= 0.5 else 1.0 - sv
                    diff = abs(new - d[u]) / new if new > 0.0 else 0.0  # relative: a tiny d is kept as exact
                    if diff > change:
                        change = diff
                    d[u] = new
                    if node_vary and not saturated:
                        block_vary = True
                        vary[u] = True
                sweeps += 1
                if cyclic[comp]:  # a cycle of strength-1 links with any member degraded is fully lost
                    for p in range(i, j):
                        u = ordered[p]
                        if absorb[u] >= 0 and 0.0 < d[u] < 1.0:
                            for p2 in range(i, j):
                                w = ordered[p2]
                                if absorb[w] == absorb[u] and d[w] < 1.0:
                                    d[w] = 1.0
                                    change = 1.0
                since += 1
                if not cyclic[comp] or change <= tol or (solves > 0 and change <= kernels.SETTLED):
                    break
                if solves < kernels.NEWTON_SOLVES and worth_newton(since, change, previous, tol, j - i):
                    _solve(ordered[i:j], slot, node_groups, group_links, group_needs, link_target, link_strength,
                           d, a, mark, s, dx, ex, tol, False)
                    for p in range(i, j):
                        d[ordered[p]] = dx[ordered[p]]
                    solves += 1
                    since = 0
                    previous = 0.0
                    continue
                previous = change
                if sweeps >= max_sweeps:
                    unconverged += 1
                    break
            for p in range(i, j):
                u = ordered[p]
                if cyclic[comp]:
                    vary[u] = block_vary
                if vary[u]:
                    vlist[nv] = u
                    op_kind[nv] = 0
                    if not cyclic[comp]:
                        # One varying link in all of u's groups, in a group of k = 1: d(u) is affine in it.
                        cs = 1.0 - a[u]
                        n_vg = 0
                        simple = True
                        last = -1
                        c1 = 0.0
                        for g in range(node_groups[u], node_groups[u + 1]):
                            k = group_needs[g]
                            lo = group_links[g]
                            hi = group_links[g + 1]
                            n_vary = 0
                            g_last = -1
                            cq = 1.0
                            for ln in range(lo, hi):
                                v = link_target[ln]
                                if vary[v] or (link_col[ln] >= 0 and d[v] > 0.0):
                                    n_vary += 1
                                    g_last = ln
                                else:
                                    cq *= link_strength[ln] * d[v]
                            if n_vary == 0 or (k == 1 and cq == 0.0):
                                if k == 1:
                                    cs *= 1.0 - cq
                                else:
                                    simple = False
                            elif k == 1 and n_vary == 1:
                                n_vg += 1
                                c1 = cq
                                last = g_last
                            else:
                                simple = False
                        if simple and n_vg == 1:
                            v = link_target[last]
                            op_v[nv] = v
                            op_col[nv] = link_col[last]
                            op_base[nv] = 1.0 - cs
                            if vary[v] and link_col[last] >= 0:
                                op_kind[nv] = 1
                                op_c[nv] = cs * c1
                            elif vary[v]:
                                op_kind[nv] = 2
                                op_c[nv] = cs * c1 * link_strength[last]
                            else:
                                op_kind[nv] = 3
                                op_c[nv] = cs * c1 * d[v]
                    nv += 1
                elif u < n_touchpoints and d[u] > 0.0:
                    if c_n == c_s.shape[0]:
                        c_s = np.concatenate((c_s, np.empty(c_n, np.int64)))
                        c_t = np.concatenate((c_t, np.empty(c_n, np.int64)))
                        c_v = np.concatenate((c_v, np.empty(c_n)))
                    c_s[c_n] = s
                    c_t[c_n] = u
                    c_v[c_n] = d[u]
                    c_n += 1
            i = j
        evaluations += nv
        # 3. vector pass over the varying nodes, a block of samples at a time
        for b0 in range(0, n_samples, block):
            b1 = min(n_samples, b0 + block)
            nb = b1 - b0
            r = out_row[s]
            i = 0
            while i < nv:
                u = vlist[i]
                kind = op_kind[i]
                if kind > 0:
                    v = op_v[i]
                    col = op_col[i]
                    base = op_base[i]
                    cc = op_c[i]
                    if u < n_touchpoints:  # a touchpoint: nothing depends on it, only add it up
                        if kind == 1:
                            for x in range(nb):
                                val = base + cc * strengths[col, b0 + x] * rows[v, x]
                                impact[r, b0 + x] += wt[u, b0 + x] * val
                                pain[r, b0 + x] += wp[u, b0 + x] * val
                                if use_funnel:
                                    y = funnel[u, b0 + x] * val
                                    if not linear:
                                        y = math.log1p(-y) if y < 1.0 else -math.inf
                                    survive[r, tp_journey[u], b0 + x] += y
                        elif kind == 2:
                            for x in range(nb):
                                val = base + cc * rows[v, x]
                                impact[r, b0 + x] += wt[u, b0 + x] * val
                                pain[r, b0 + x] += wp[u, b0 + x] * val
                                if use_funnel:
                                    y = funnel[u, b0 + x] * val
                                    if not linear:
                                        y = math.log1p(-y) if y < 1.0 else -math.inf
                                    survive[r, tp_journey[u], b0 + x] += y
                        else:
                            for x in range(nb):
                                val = base + cc * strengths[col, b0 + x]
                                impact[r, b0 + x] += wt[u, b0 + x] * val
                                pain[r, b0 + x] += wp[u, b0 + x] * val
                                if use_funnel:
                                    y = funnel[u, b0 + x] * val
                                    if not linear:
                                        y = math.log1p(-y) if y < 1.0 else -math.inf
                                    survive[r, tp_journey[u], b0 + x] += y
                    elif kind == 1:
                        for x in range(nb):
                            rows[u, x] = base + cc * strengths[col, b0 + x] * rows[v, x]
                    elif kind == 2:
                        for x in range(nb):
                            rows[u, x] = base + cc * rows[v, x]
                    else:
                        for x in range(nb):
                            rows[u, x] = base + cc * strengths[col, b0 + x]
                    i += 1
                    continue
                comp = component[u]
                j = i + 1
                while cyclic[comp] and j < nv and component[vlist[j]] == comp:
                    j += 1
                if cyclic[comp]:
                    for p in range(i, j):
                        u = vlist[p]
                        for x in range(nb):
                            rows[u, x] = a[u]
                sweeps = 0
                since = 0
                solves = 0
                previous = 0.0
                while True:
                    change = 0.0
                    for p in range(i, j):
                        u = vlist[p]
                        # Groups with no varying link only scale the survival by a constant (cs);
                        # the others multiply the row ``surv``, which starts as "1" (fresh).
                        cs = 1.0 - a[u]
                        fresh = True
                        for g in range(node_groups[u], node_groups[u + 1]):
                            k = group_needs[g]
                            lo = group_links[g]
                            hi = group_links[g + 1]
                            n_vary = 0
                            last = -1
                            cq = 1.0
                            for ln in range(lo, hi):
                                v = link_target[ln]
                                if mark[v] != s:
                                    cq = 0.0
                                elif vary[v] or link_col[ln] >= 0:
                                    n_vary += 1
                                    last = ln
                                else:
                                    cq *= link_strength[ln] * d[v]
                            if n_vary == 0 or (k == 1 and cq == 0.0):
                                if k == 1:
                                    cs *= 1.0 - cq
                                else:
                                    prob[0] = 1.0
                                    for m in range(1, k):
                                        prob[m] = 0.0
                                    for ln in range(lo, hi):
                                        q = link_strength[ln] * d[link_target[ln]]
                                        for m in range(k - 1, 0, -1):
                                            prob[m] = prob[m] * q + prob[m - 1] * (1.0 - q)
                                        prob[0] *= q
                                    g_lose = 0.0
                                    for m in range(k):
                                        g_lose += prob[m]
                                    cs *= 1.0 - g_lose
                            elif k == 1 and n_vary == 1:
                                v = link_target[last]
                                col = link_col[last]
                                if vary[v] and col >= 0:
                                    if fresh:
                                        for x in range(nb):
                                            surv[x] = 1.0 - cq * strengths[col, b0 + x] * rows[v, x]
                                    else:
                                        for x in range(nb):
                                            surv[x] *= 1.0 - cq * strengths[col, b0 + x] * rows[v, x]
                                elif vary[v]:
                                    c1 = cq * link_strength[last]
                                    if fresh:
                                        for x in range(nb):
                                            surv[x] = 1.0 - c1 * rows[v, x]
                                    else:
                                        for x in range(nb):
                                            surv[x] *= 1.0 - c1 * rows[v, x]
                                else:
                                    c1 = cq * d[v]
                                    if fresh:
                                        for x in range(nb):
                                            surv[x] = 1.0 - c1 * strengths[col, b0 + x]
                                    else:
                                        for x in range(nb):
                                            surv[x] *= 1.0 - c1 * strengths[col, b0 + x]
                                fresh = False
                            elif k == 1:
                                for x in range(nb):
                                    lose[x] = cq
                                for ln in range(lo, hi):
                                    v = link_target[ln]
                                    col = link_col[ln]
                                    if mark[v] != s or not (vary[v] or col >= 0):
                                        continue
                                    if vary[v] and col >= 0:
                                        for x in range(nb):
                                            lose[x] *= strengths[col, b0 + x] * rows[v, x]
                                    elif vary[v]:
                                        sl = link_strength[ln]
                                        for x in range(nb):
                                            lose[x] *= sl * rows[v, x]
                                    else:
                                        dv = d[v]
                                        for x in range(nb):
                                            lose[x] *= strengths[col, b0 + x] * dv
                                if fresh:
                                    for x in range(nb):
                                        surv[x] = 1.0 - lose[x]
                                else:
                                    for x in range(nb):
                                        surv[x] *= 1.0 - lose[x]
                                fresh = False
                            else:
                                for x in range(nb):
                                    prob[0] = 1.0
                                    for m in range(1, k):
                                        prob[m] = 0.0
                                    for ln in range(lo, hi):
                                        v = link_target[ln]
                                        col = link_col[ln]
                                        sl = strengths[col, b0 + x] if col >= 0 else link_strength[ln]
                                        dv = 0.0 if mark[v] != s else (rows[v, x] if vary[v] else d[v])
                                        q = sl * dv
                                        for m in range(k - 1, 0, -1):
                                            prob[m] = prob[m] * q + prob[m - 1] * (1.0 - q)
                                        prob[0] *= q
                                    g_lose = 0.0
                                    for m in range(k):
                                        g_lose += prob[m]
                                    if fresh:
                                        surv[x] = 1.0 - g_lose
                                    else:
                                        surv[x] *= 1.0 - g_lose
                                fresh = False
                        if fresh:
                            for x in range(nb):
                                surv[x] = 1.0
                        if cyclic[comp]:
                            for x in range(nb):
                                new = 1.0 - cs * surv[x]
                                if new > 0.0:
                                    change = max(change, abs(new - rows[u, x]) / new)
                                rows[u, x] = new
                        else:
                            for x in range(nb):
                                rows[u, x] = 1.0 - cs * surv[x]
                    sweeps += 1
                    if cyclic[comp]:  # as in the scalar pass, per sample
                        for p in range(i, j):
                            u = vlist[p]
                            if absorb[u] >= 0:
                                for x in range(nb):
                                    if 0.0 < rows[u, x] < 1.0:
                                        for p2 in range(i, j):
                                            w = vlist[p2]
                                            if absorb[w] == absorb[u] and rows[w, x] < 1.0:
                                                rows[w, x] = 1.0
                                                change = 1.0
                    since += 1
                    if not cyclic[comp] or change <= tol or (solves > 0 and change <= kernels.SETTLED):
                        break
                    if solves < kernels.NEWTON_SOLVES and worth_newton(since, change, previous, tol, j - i):
                        for x in range(nb):  # each sample its own solve, at its own strengths
                            for p in range(i, j):
                                u = vlist[p]
                                dx[u] = rows[u, x]
                                for g in range(node_groups[u], node_groups[u + 1]):
                                    for ln in range(group_links[g], group_links[g + 1]):
                                        v = link_target[ln]
                                        lsx[ln] = strengths[link_col[ln], b0 + x] if link_col[ln] >= 0 else \
                                            link_strength[ln]
                                        if not vary[v]:
                                            dx[v] = d[v] if mark[v] == s else 0.0
                                        elif component[v] != comp:
                                            dx[v] = rows[v, x]
                            _solve(vlist[i:j], slot, node_groups, group_links, group_needs, link_target, lsx, d, a,
                                   mark, s, dx, ex, tol, True)
                            for p in range(i, j):
                                rows[vlist[p], x] = dx[vlist[p]]
                        solves += 1
                        since = 0
                        previous = 0.0
                        continue
                    previous = change
                    if sweeps >= max_sweeps:
                        unconverged += 1
                        break
                for p in range(i, j):
                    u = vlist[p]
                    if u < n_touchpoints:
                        for x in range(nb):
                            impact[r, b0 + x] += wt[u, b0 + x] * rows[u, x]
                            pain[r, b0 + x] += wp[u, b0 + x] * rows[u, x]
                            if use_funnel:
                                y = funnel[u, b0 + x] * rows[u, x]
                                if not linear:
                                    y = math.log1p(-y) if y < 1.0 else -math.inf
                                survive[r, tp_journey[u], b0 + x] += y
                i = j
        # 4. reset
        for p in range(cnt):
            u = ordered[p]
            d[u] = 0.0
            a[u] = 0.0
            vary[u] = False
    return c_s[:c_n], c_t[:c_n], c_v[:c_n], unconverged, evaluations


@jitable
def _solve(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
           group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray, a: np.ndarray,
           mark: np.ndarray, s: int, dx: np.ndarray, ex: np.ndarray, tol: float, filled: bool) -> None:
    """Newton's method on one cycle (:func:`cxgraph.engine.newton.newton`); the result is left in ``dx``.

    ``dx`` holds the degradation it starts from: copied here from ``d`` (members and what they depend
    on) unless ``filled`` says the caller has set it.
    """
    m = members.shape[0]
    base_lost = np.empty(m)
    base_surv = np.empty(m)
    for i in range(m):
        u = members[i]
        slot[u] = i
        base_lost[i] = a[u]
        base_surv[i] = 1.0 - a[u]
        if not filled:
            dx[u] = d[u]
        ex[u] = 1.0 - dx[u]
        for g in range(node_groups[u], node_groups[u + 1]):
            for ln in range(group_links[g], group_links[g + 1]):
                v = link_target[ln]
                if not filled:
                    dx[v] = d[v] if mark[v] == s else 0.0
                ex[v] = 1.0 - dx[v]
    newton(members, slot, node_groups, group_links, group_needs, link_target, link_strength, dx, ex, base_lost,
           base_surv, False, tol)
    for i in range(m):
        slot[members[i]] = -1


_COMPILED: dict[str, Callable[..., tuple[Any, ...]]] = {}


def get_kernel(work: float | None = None) -> Callable[..., tuple[Any, ...]]:
    """Return :func:`propagate_samples`, compiled with numba unless the engine's rule picks plain Python.

    ``work`` (scenarios times nodes) is weighed as in :func:`cxgraph.engine.kernels.backend`.

    Examples
    --------
    >>> from cxgraph.analysis._mckernel import get_kernel, propagate_samples
    >>> callable(get_kernel(work=1))
    True
    """
    if kernels.backend() == "python" or (work is not None and work <= kernels.SMALL_WORK
                                          and not kernels.compiled_ready(_COMPILED)):
        return propagate_samples
    if "numba" not in _COMPILED:
        _COMPILED["numba"] = kernels.njit_cached(propagate_samples)
    return _COMPILED["numba"]
