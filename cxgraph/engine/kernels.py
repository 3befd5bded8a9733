"""The propagation kernel: degradation of every touchpoint and element for a batch of scenarios.

One function, :func:`run_batch`, written in the subset of Python that numba compiles. With
numba installed, large batches run it compiled (and release the GIL, so batches can run on
several threads; the machine code is cached in :func:`cache_dir`); small batches, runs
without numba, and runs with the environment variable ``CXGRAPH_NO_NUMBA=1`` use the very
same function as plain Python over numpy arrays (slower per scenario, same numbers, no
compiling): see :func:`backend`.

How one scenario is computed (DESIGN.md section 3):

1. Only the seeds (elements given an initial degradation ``a``) and the nodes that depend
   on them, directly or not, can change; every other node keeps ``d = 0``. They are reached
   from the seeds along the reverse links as the computation goes.
2. Every node has a level: higher than the level of everything it depends on (the members
   of a cycle share one). Reached nodes wait at their level and are evaluated lowest level
   first, so a node is evaluated once everything it depends on is final; a cycle is
   evaluated as one block.
3. A node outside a cycle is evaluated once. The members of a cycle are swept in order
   (Gauss-Seidel) from ``d = a`` upwards; every sweep stays below the least fixed point and
   rises towards it, because the equations are monotone. Changes are measured relative to
   each value (to the accurate one of ``d`` and ``1 - d``), so a degradation of 1e-12 is as
   precise as one of 0.5. Sweeping stops when a sweep changes nothing beyond rounding, or
   when the largest change is at most ``tol`` and so is the rest still to come as estimated
   from the rate of convergence (``change * r / (1 - r)``, ``r`` the ratio of the last two
   changes). A cycle of strength-1 links outside named groups or in groups needing all their
   links (an absorbing class, see :func:`cxgraph.engine.layout.absorbing_classes`) is set to
   fully lost as soon as any member is degraded: that is its least fixed point, which
   sweeping would approach only in about ``1/a`` sweeps. A cycle converging slowly (the rate
   ``r`` next to 1: links of strength just below 1, a tiny feed into a loop that nearly
   sustains itself) is solved by Newton's method once that is cheaper than the sweeps still
   to come (:mod:`cxgraph.engine.newton`), and a sweep after the solve confirms it; a cycle
   still growing climbs first, as far as is proven to stay below the least fixed point
   (:func:`cxgraph.engine.newton.climb`). After ``max_sweeps`` sweeps - a last-resort guard
   that only a slow cycle too large for Newton's method can reach - the component is counted
   as not converged (the caller warns).
4. Links outside named groups are *pushed*: once a node is final, each of its dependents
   multiplies the link's factor into its running value, so only links between degraded
   nodes cost anything. Named groups (k of n) and links inside a cycle are *pulled* when
   their node is evaluated. ``d`` and ``1 - d`` are both carried, each accurate where it is
   small, so neither a tiny input nor a value next to 1 is lost to rounding.

Examples
--------
>>> from cxgraph.engine.kernels import backend
>>> backend() in ("numba", "python")
True
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from .newton import newton, worth_newton

__all__ = ["MAX_SWEEPS", "SMALL_WORK", "TOLERANCE", "backend", "cache_dir", "compiled_ready", "get_kernel",
           "njit_cached", "run_batch"]

TOLERANCE = 1e-15
"""A cycle has converged when a sweep, and the estimated rest of the way, change no degradation by more than this
share of its value."""

ROUNDING = 4.5e-16
"""A relative change this small is rounding (two units in the last place): the sweep has settled."""

MAX_SWEEPS = 100_000
"""Sweeps of one cycle in one scenario before it is reported as not converged: a last-resort guard, as a slowly
settling or still growing cycle is handed to Newton's method long before (:mod:`cxgraph.engine.newton`); only a
cycle whose elimination would hold more than ``NEWTON_MAX_ENTRIES`` numbers is swept alone and can reach it."""

SETTLED = 8 * ROUNDING
"""After a Newton solve, a sweep changing no degradation by more than this share of its value confirms it."""

NEWTON_SOLVES = 8
"""Newton solves of one cycle in one scenario at most (one nearly always settles it)."""


def run_batch(
    seed_ptr: np.ndarray, seed_node: np.ndarray, seed_level: np.ndarray, graph: tuple,
    n_touchpoints: int, tp_journey: np.ndarray, n_journeys: int, weight: np.ndarray,
    funnel: bool, tp_funnel: np.ndarray, journey_weight: np.ndarray, want_journeys: bool, want_lost: bool, want_d: bool,
    lost_threshold: float, tol: float, max_sweeps: int,
) -> tuple[Any, ...]:
    """Propagate a batch of scenarios; return per-scenario aggregates and optional detail.

    Scenario ``s`` sets ``a(seed_node[i]) = seed_level[i]`` for ``i`` in
    ``seed_ptr[s]:seed_ptr[s+1]`` (the largest level where a node is given twice).
    ``graph`` is :attr:`CompiledModel.kernel_arrays`.

    Returns ``(impact, n_tp, n_j, j_s, j_j, j_v, lost_s, lost_t, d_s, d_u, d_v, unconverged)``:
    the loss, the weighted sum over touchpoints of ``weight * d`` - or, when ``funnel``, the sum over
    journeys of ``journey_weight * jloss`` with ``jloss = 1 - prod (1 - tp_funnel * d)`` over the
    journey's touchpoints (``tp_funnel``: reach where required, else 0); how many touchpoints and journeys
    have ``d > 0``; per (scenario, journey) sums as coordinates (when ``want_journeys``);
    the (scenario, touchpoint) pairs with ``d >= lost_threshold`` (when ``want_lost``); every
    (scenario, node, d) with ``d > 0`` (when ``want_d``); the number of cycle evaluations
    that reached ``max_sweeps``.
    """
    (simple_ptr, simple_target, simple_strength, gnode_ptr, group_ptr, group_k, glink_target, glink_strength,
     rev_ptr, rev_src, rev_simple, order, comp_start, cyc_comp, level, absorb, node_groups, group_links, group_needs,
     link_target, link_strength) = graph
    n = simple_ptr.shape[0] - 1
    n_scen = seed_ptr.shape[0] - 1
    n_comp = comp_start.shape[0] - 1
    n_lv = 1
    for u in range(n):
        n_lv = max(n_lv, level[u] + 1)
    # Per-node working state packed in rows (one cache line each), as the nodes of a scenario are
    # visited in no particular memory order: ni = (scenario mark, level, cycle or -1, first named group,
    # end of named groups, first reverse link, end of reverse links, next key at the same level) and
    # nv = (d, 1 - d, running lost, running survival, a).
    ni = np.empty((n, 8), np.int64)
    nv = np.zeros((n, 8))
    for u in range(n):
        ni[u, 0] = -1
        ni[u, 1] = level[u]
        ni[u, 2] = cyc_comp[u]
        ni[u, 3] = gnode_ptr[u]
        ni[u, 4] = gnode_ptr[u + 1]
        ni[u, 5] = rev_ptr[u]
        ni[u, 6] = rev_ptr[u + 1]
        nv[u, 1] = 1.0
        nv[u, 3] = 1.0
    slot = np.full(n, -1, np.int64)  # a member's position in the cycle Newton's method is solving
    cmark = np.full(max(n_comp, 1), -1, np.int64)
    cnxt = np.empty(max(n_comp, 1), np.int64)
    head = np.full(n_lv, -1, np.int64)        # first key waiting at each level (a key: node, or n + cycle)
    heap = np.empty(n_lv, np.int64)           # levels with keys waiting, smallest first
    touched = np.empty(n, np.int64)
    found = np.empty(max(n, rev_src.shape[0], seed_node.shape[0]) + 1, np.int64)
    max_k = 1
    for g in range(group_k.shape[0]):
        max_k = max(max_k, group_k[g])
    prob = np.zeros(max_k + 1)
    jacc = np.zeros(max(n_journeys, 1))
    jsurv = np.ones(max(n_journeys, 1))
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
        cnt = 0
        hn = 0
        nf = 0
        for i in range(seed_ptr[s], seed_ptr[s + 1]):
            u = seed_node[i]
            if seed_level[i] > nv[u, 4]:
                nv[u, 4] = seed_level[i]
                nv[u, 2] = nv[u, 4]  # (lost, surv) start from (a, 1 - a); pushes multiply in later
                nv[u, 3] = 1.0 - nv[u, 4]
            found[nf] = u
            nf += 1
        key = -1
        while True:
            # 1. Newly reached nodes wait at their level (a node is above everything it depends on);
            #    a node in a cycle brings its whole cycle, which waits as one key.
            for f in range(nf):
                u = found[f]
                cc = ni[u, 2]
                if cc < 0:
                    if ni[u, 0] == s:
                        continue
                    ni[u, 0] = s
                    touched[cnt] = u
                    cnt += 1
                    k = u
                else:
                    if cmark[cc] == s:
                        continue
                    cmark[cc] = s
                    for p in range(comp_start[cc], comp_start[cc + 1]):
                        m = order[p]
                        ni[m, 0] = s
                        touched[cnt] = m
                        cnt += 1
                    k = n + cc
                lv = ni[u, 1]
                if head[lv] == -1:  # a level starts waiting: into the heap
                    pos = hn
                    hn += 1
                    while pos > 0 and heap[(pos - 1) // 2] > lv:
                        heap[pos] = heap[(pos - 1) // 2]
                        pos = (pos - 1) // 2
                    heap[pos] = lv
                if k < n:
                    ni[k, 7] = head[lv]
                else:
                    cnxt[k - n] = head[lv]
                head[lv] = k
            nf = 0
            # 2. The next key: the rest of the current level, else the lowest level waiting.
            if key == -1:
                if hn == 0:
                    break
                lv = heap[0]
                hn -= 1
                last = heap[hn]
                pos = 0
                while True:
                    child = 2 * pos + 1
                    if child >= hn:
                        break
                    if child + 1 < hn and heap[child + 1] < heap[child]:
                        child += 1
                    if heap[child] >= last:
                        break
                    heap[pos] = heap[child]
                    pos = child
                heap[pos] = last
                key = head[lv]
                head[lv] = -1
            this = key
            key = ni[this, 7] if this < n else cnxt[this - n]
            # 3. Evaluate it. d(u) = 1 - (1 - a) * prod over groups (1 - G) is carried two ways: lost (= d,
            #    accurate near 0: 1 - (1 - 0.2) is not 0.2 in floating point) and surv (= 1 - d, accurate
            #    near 1, which a cycle saturating slowly needs), each built from sums and products of
            #    positive terms; a link's survival 1 - s d(v) is taken from d(v) while d(v) <= 1/2 and as
            #    (1 - s) + s e(v) above. Links outside named groups were pushed into (acc_lost, acc_surv)
            #    by the nodes they point at; named groups (k of n) are pulled here, as are links inside
            #    a cycle.
            if this < n:
                lo = this
                hi = this + 1
                cyc = -1
            else:
                cyc = this - n
                lo = comp_start[cyc]
                hi = comp_start[cyc + 1]
            sweeps = 0
            since = 0  # sweeps since the start or the last Newton solve
            solves = 0
            previous = 0.0
            while True:
                change = 0.0
                for p in range(lo, hi):
                    u = this if cyc < 0 else order[p]
                    lost = nv[u, 2]
                    surv = nv[u, 3]
                    if cyc >= 0:
                        for ln in range(simple_ptr[u], simple_ptr[u + 1]):
                            v = simple_target[ln]
                            if ni[v, 2] == cyc:
                                sl = simple_strength[ln]
                                q = sl * nv[v, 0]
                                lost += surv * q
                                surv *= (1.0 - q) if nv[v, 0] <= 0.5 else (1.0 - sl) + sl * nv[v, 1]
                    for g in range(ni[u, 3], ni[u, 4]):
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
                                q = sl * nv[v, 0]
                                keep = ((1.0 - q) if nv[v, 0] <= 0.5 else (1.0 - sl) + sl * nv[v, 1]) + q * keep
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
                                q = sl * nv[v, 0]
                                ps = (1.0 - q) if nv[v, 0] <= 0.5 else (1.0 - sl) + sl * nv[v, 1]
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
                    # the change relative to the accurate one of the pair: a tiny d is as exact as a large one
                    # (a change beyond 1e300 times the value counts as 1e300: no overflow next to a subnormal)
                    if lost <= 0.5:
                        delta = abs(lost - nv[u, 0])
                        diff = 0.0 if lost == 0.0 else (delta / lost if delta < lost * 1e300 else 1e300)
                    else:
                        delta = abs(surv - nv[u, 1])
                        diff = delta if surv == 0.0 else (delta / surv if delta < surv * 1e300 else 1e300)
                    if diff > change:
                        change = diff
                    nv[u, 0] = lost
                    nv[u, 1] = surv
                sweeps += 1
                since += 1
                if cyc < 0:
                    break
                # A cycle of strength-1 links with any member degraded is fully lost (engine.layout.absorbing_classes)
                for p in range(lo, hi):
                    u = order[p]
                    cls = absorb[u]
                    if cls >= 0 and nv[u, 0] > 0.0 and nv[u, 1] > 0.0:
                        for p2 in range(lo, hi):
                            w = order[p2]
                            if absorb[w] == cls and nv[w, 1] > 0.0:
                                nv[w, 0] = 1.0
                                nv[w, 1] = 0.0
                                change = 1.0
                if change <= ROUNDING:
                    break
                # After a Newton solve (which stopped at steps below tol), a sweep changing no more than
                # rounding of the solve's inputs confirms the fixed point.
                if solves > 0 and change <= SETTLED:
                    break
                # Converging geometrically at rate r, what is still to come is about change * r / (1 - r):
                # stop once that, not just the last change, is below tol (relative to each value).
                if change <= tol and previous > 0.0:
                    rate = change / previous
                    if rate < 1.0 and change * rate <= tol * (1.0 - rate):
                        break
                # Converging slowly (rate next to 1): Newton's method on the cycle (engine.newton).
                if solves < NEWTON_SOLVES and worth_newton(since, change, previous, tol, hi - lo):
                    members = order[lo:hi]
                    base_lost = np.empty(hi - lo)
                    base_surv = np.empty(hi - lo)
                    for i in range(hi - lo):
                        slot[members[i]] = i
                        base_lost[i] = nv[members[i], 2]
                        base_surv[i] = nv[members[i], 3]
                    newton(members, slot, node_groups, group_links, group_needs, link_target, link_strength,
                           nv[:, 0], nv[:, 1], base_lost, base_surv, True, tol)
                    for i in range(hi - lo):
                        slot[members[i]] = -1
                    solves += 1
                    since = 0
                    previous = 0.0
                    continue
                previous = change
                if sweeps >= max_sweeps:
                    unconverged += 1
                    break
            # 4. Push the final values to the dependents, and reach the ones not reached yet.
            for p in range(lo, hi):
                v = this if cyc < 0 else order[p]
                dv = nv[v, 0]
                if dv == 0.0:
                    continue
                ev = nv[v, 1]
                for r in range(ni[v, 5], ni[v, 6]):
                    u = rev_src[r]
                    if cyc >= 0 and ni[u, 2] == cyc:
                        continue
                    sl = rev_simple[r]
                    if sl >= 0.0:
                        q = sl * dv
                        nv[u, 2] += nv[u, 3] * q
                        nv[u, 3] *= (1.0 - q) if dv <= 0.5 else (1.0 - sl) + sl * ev
                    if ni[u, 0] != s:
                        found[nf] = u
                        nf += 1
        # 5. Aggregate over the touchpoints reached, record detail, reset.
        nj_here = 0
        for p in range(cnt):
            u = touched[p]
            du = nv[u, 0]
            if du > 0.0:
                if u < n_touchpoints:
                    n_tp[s] += 1
                    jj = tp_journey[u]
                    if jmark[jj] != s:
                        jmark[jj] = s
                        jlist[nj_here] = jj
                        nj_here += 1
                    if funnel:
                        # jloss carried as (lost, survival) like d itself, accurate near 0 and near 1
                        x = tp_funnel[u] * du
                        jacc[jj] += jsurv[jj] * x
                        jsurv[jj] *= (1.0 - x) if du <= 0.5 else (1.0 - tp_funnel[u]) + tp_funnel[u] * nv[u, 1]
                    else:
                        impact[s] += weight[u] * du
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
            nv[u, 0] = 0.0
            nv[u, 1] = 1.0
            nv[u, 4] = 0.0
            nv[u, 2] = 0.0
            nv[u, 3] = 1.0
        n_j[s] = nj_here
        for p in range(nj_here):
            jj = jlist[p]
            if funnel:
                jl = jacc[jj] if jacc[jj] <= 0.5 else 1.0 - jsurv[jj]
                jacc[jj] = journey_weight[jj] * jl
                impact[s] += jacc[jj]
                jsurv[jj] = 1.0
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

SMALL_WORK = 500_000
"""Below this much work (scenarios times nodes) the plain-Python kernel answers in well under a second,
sooner than numba can compile (about ten seconds, once per machine): :func:`backend` then picks it."""


def _numba_available() -> bool:
    try:
        import numba  # noqa: F401 - only checking that it imports
    except ImportError:
        return False
    return True


def cache_dir() -> str:
    """Return the folder where compiled kernels are kept between runs (outside the installed package).

    ``CXGRAPH_CACHE_DIR`` names it; otherwise it is ``cxgraph/numba`` under ``XDG_CACHE_HOME``
    (default ``~/.cache``). numba's own ``NUMBA_CACHE_DIR``, when set, wins over both.

    Examples
    --------
    >>> from cxgraph.engine.kernels import cache_dir
    >>> import os
    >>> cache_dir().startswith(os.environ.get("CXGRAPH_CACHE_DIR") or "/") or os.name == "nt"
    True
    """
    if os.environ.get("CXGRAPH_CACHE_DIR"):
        return os.environ["CXGRAPH_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cxgraph", "numba")


def _shared_code_tag() -> str:
    """Return a digest of :mod:`cxgraph.engine.newton`, the code every kernel compiles in.

    numba's cache of a kernel notices changes to the kernel's own file only, so each version of
    the shared code gets a folder of its own.
    """
    from . import newton

    with open(newton.__file__, "rb") as source:
        return hashlib.sha256(source.read()).hexdigest()[:16]


def njit_cached(function: Callable[..., Any]) -> Callable[..., Any]:
    """Compile ``function`` with numba (``nogil``), its machine code cached in :func:`cache_dir`.

    The cache sits in a subfolder named by a digest of the code the kernels share
    (:mod:`cxgraph.engine.newton`), so an upgrade never runs a kernel compiled with older shared code.

    Examples
    --------
    >>> from cxgraph.engine.kernels import njit_cached
    >>> njit_cached  # doctest: +ELLIPSIS
    <function njit_cached at ...>
    """
    import numba

    config: Any = numba.config  # its settings are module attributes made at run time
    before = config.CACHE_DIR
    if not before:  # numba picks the cache's folder when the function is decorated; never the source tree
        config.CACHE_DIR = os.path.join(cache_dir(), _shared_code_tag())
    try:
        return numba.njit(cache=True, nogil=True)(function)
    finally:
        config.CACHE_DIR = before


def _disabled() -> bool:
    return os.environ.get("CXGRAPH_NO_NUMBA", "").strip() not in ("", "0") or not _numba_available()


def compiled_ready(cache: dict[str, Any]) -> bool:
    """Tell whether the numba kernel kept in ``cache`` has already been compiled in this process."""
    kernel = cache.get("numba")
    return bool(kernel is not None and getattr(kernel, "signatures", None))


def backend(work: float | None = None) -> str:
    """Return the kernel to use: ``"numba"`` or ``"python"``.

    ``"python"`` without numba, with the environment variable ``CXGRAPH_NO_NUMBA=1``, or
    when ``work`` (scenarios times nodes) is at most :data:`SMALL_WORK` and numba has not
    compiled the kernel yet in this process: a model of a few hundred elements never waits
    for the compiler.

    Examples
    --------
    >>> from cxgraph.engine import kernels
    >>> kernels.backend(work=10**9) == ("python" if kernels._disabled() else "numba")
    True
    """
    if _disabled():
        return "python"
    if work is not None and work <= SMALL_WORK and not compiled_ready(_COMPILED):
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
        _COMPILED["numba"] = njit_cached(run_batch)
    return _COMPILED["numba"]
