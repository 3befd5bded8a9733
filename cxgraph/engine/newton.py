"""Newton's method for the least fixed point of one dependency cycle, shared by every propagation kernel.

The members of a cycle satisfy ``d = F(d)`` (DESIGN.md section 3), ``F`` monotone. Sweeping
(Gauss-Seidel) rises towards the least fixed point at a rate ``r``, the spectral radius of the
Jacobian there; for links of strength just below 1, or a tiny feed into a loop that nearly
sustains itself, ``r`` is so close to 1 that sweeping would take millions of sweeps. Newton's
method solves the linearised system instead, ``(I - J(d)) delta = F(d) - d`` - by elimination
through the Schur complement on a feedback set (:func:`schur_solve`: a ring of thousands of
members solves as a system of one) or by sparse elimination of the whole (:func:`sparse_solve`:
a chain of members depending on each other both ways fills nothing), whichever is cheaper - and
converges quadratically: Newton iterates for monotone systems approach the least fixed point from below
(Esparza, Kiefer and Luttenberger, "Newtonian program analysis", 2010) where ``F`` is convex;
where it is concave a step may land just above it, which the kernel's next sweep, measured
relative to each value, settles back. Each iterate is kept within ``[min(d, F(d)), 1]``.

While a cycle is still growing from a small feed, the spectral radius is 1 or more and
``I - J`` is no M-matrix: there is nothing to solve, and sweeping grows by a factor of that
radius a sweep, which next to 1 is as slow. The members then climb (:func:`climb`) along the
Jacobian's Perron vector as far as a lower bound of the Jacobian over the way proves the point
reached still below the least fixed point; from there Newton's method takes over.

Both ``d`` and ``1 - d`` are carried, each accurate where it is small, so the residual of a value
next to 1 is taken from ``1 - d`` and loses nothing to rounding. The Jacobian is exact: a link
``u -> v`` of strength ``s`` in a group needing ``k`` of its links contributes
``dF_u/dd_v = S_u * s * P(exactly k - 1 of the group's other links survive)``, ``S_u`` the
survival of ``u``'s other groups and of its initial degradation.

The functions are plain Python that numba also compiles inside the kernels that call them
(``register_jitable``): one implementation for every backend.

Examples
--------
>>> import numpy as np
>>> from cxgraph.engine.newton import lu_solve
>>> a = np.array([[2.0, 1.0], [1.0, 3.0]])
>>> b = np.array([3.0, 5.0])
>>> lu_solve(a, b), b.round(12).tolist()
(True, [0.8, 1.4])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = ["CLIMB_DOUBLINGS", "LIFTS", "NEWTON_ITERATIONS", "NEWTON_MAX_ENTRIES", "ROUNDING", "absorb_lost", "climb",
           "cycle_pattern", "cycle_system", "elimination_pattern", "feedback_set", "jitable", "lu_solve", "newton",
           "schur_solve", "sparse_solve", "worth_newton"]

NEWTON_ITERATIONS = 60
"""Newton steps for one cycle at most (each one at least halves the error, even at a singular Jacobian)."""

NEWTON_MAX_ENTRIES = 1 << 24
"""The most numbers Newton's method may hold for one elimination (about 134 MB): the dense Schur complement on a
feedback set (:func:`schur_solve`), or ``L`` and ``U`` of the sparse elimination (:func:`sparse_solve`). A cycle
needing more for both is left to sweeping."""

ROUNDING = 16.0 * 2.2e-16
"""A residual ``F(d) - d`` at most this much of the value is rounding: it proves no growth."""

LIFTS = 16
"""Steps of ``F`` a growing cycle may take before climbing, to lift members a sweep has just settled."""

CLIMB_DOUBLINGS = 200
"""How many times one climb may double its step (from a sweep's step: a factor of 2**200 at most)."""

_F = TypeVar("_F", bound=Callable[..., Any])


def jitable(function: _F) -> _F:
    """Let numba compile ``function`` inside a kernel that calls it; plain Python stays plain Python.

    Examples
    --------
    >>> from cxgraph.engine.newton import jitable
    >>> jitable(abs)(-2)
    2
    """
    try:
        from numba.extending import register_jitable
    except ImportError:  # numba is optional: the kernels then run as plain Python too
        return function
    return register_jitable(function)  # type: ignore[no-any-return]  # returns the function itself


@jitable
def worth_newton(since: int, change: float, previous: float, tol: float, members: int) -> bool:
    """Tell whether Newton's method is cheaper than the sweeps a cycle still needs.

    ``since``: sweeps since the start or the last solve; ``change`` and ``previous``: the
    largest relative changes of the last two sweeps. At rate ``r = change / previous`` sweeping
    needs about ``log(tol / change) / log(r)`` more sweeps. A Newton step through a feedback set
    of ``f`` members costs about ``f`` sweeps and ``f**3 / 3`` operations, a sparse elimination
    a few sweeps where it fills little and ``m**3 / 3`` where it fills all, against a sweep's
    few operations per link: counted as ``m / 3`` sweeps, at most 64 (a large cycle with a small
    feedback set or little fill, as rings, hubs and chains have). A rate of 1 or more (changes
    that do not shrink relative to the values, as when ``1 - d`` falls geometrically towards an
    exact 0) counts once the sweeps since the last solve cost as much as a solve.

    Examples
    --------
    >>> from cxgraph.engine.newton import worth_newton
    >>> worth_newton(10, 1e-6, 1.000001e-6, 1e-15, 2), worth_newton(10, 1e-6, 1e-3, 1e-15, 2)
    (True, False)
    """
    if since < 8 or previous <= 0.0 or change <= tol:
        return False
    rate = change / previous
    cost = min(members / 3.0, 64.0)  # a solve, in sweeps
    if rate >= 1.0:
        return bool(since >= 8.0 + cost)
    remaining = np.log(tol / change) / np.log(rate)
    return bool(remaining > 16.0 and remaining > cost)


@jitable
def lu_solve(a: np.ndarray, b: np.ndarray) -> bool:
    """Solve ``a x = b`` in place (``b`` becomes ``x``) for an M-matrix ``a`` (``I - J``, ``J >= 0``, ``rho(J) < 1``).

    Gaussian elimination without pivoting, stable for M-matrices, whose pivots are all positive;
    returns False (``b`` then undefined) at a pivot that is not: ``a`` is then no M-matrix, the
    spectral radius of ``J`` being 1 or more.
    """
    m = b.shape[0]
    for k in range(m):
        piv = a[k, k]
        if not piv > 1e-300 or not np.isfinite(piv):
            return False
        for i in range(k + 1, m):
            f = a[i, k] / piv
            if f != 0.0:
                a[i, k + 1:] -= f * a[k, k + 1:]
                b[i] -= f * b[k]
    for k in range(m - 1, -1, -1):
        acc = b[k]
        for j in range(k + 1, m):
            acc -= a[k, j] * b[j]
        b[k] = acc / a[k, k]
        if not np.isfinite(b[k]):
            return False
    return True


@jitable
def _link_survival(sl: float, dv: float, ev: float) -> float:
    """``1 - s d(v)``, from ``1 - d(v)`` where ``d(v)`` is above 1/2 (accurate next to 1)."""
    return (1.0 - sl * dv) if dv <= 0.5 else (1.0 - sl) + sl * ev


@jitable
def _group(lo: int, hi: int, k: int, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray,
           e: np.ndarray, skip: int, prob: np.ndarray) -> tuple[float, float]:
    """``(lose, keep)`` of a group needing ``k`` of links ``lo:hi``, leaving out link ``skip`` (-1: none).

    With ``skip`` given, ``lose`` is instead P(exactly k - 1 of the other links survive).
    """
    if k == 1:
        lose = 1.0
        keep = 0.0
        for ln in range(lo, hi):
            if ln == skip:
                continue
            v = link_target[ln]
            q = link_strength[ln] * d[v]
            keep = _link_survival(link_strength[ln], d[v], e[v]) + q * keep
            lose *= q
        return lose, keep
    prob[0] = 1.0
    for m in range(1, k):
        prob[m] = 0.0
    keep = 0.0
    for ln in range(lo, hi):
        if ln == skip:
            continue
        v = link_target[ln]
        q = link_strength[ln] * d[v]
        ps = _link_survival(link_strength[ln], d[v], e[v])
        keep += prob[k - 1] * ps
        for m in range(k - 1, 0, -1):
            prob[m] = prob[m] * q + prob[m - 1] * ps
        prob[0] *= q
    if skip >= 0:
        return prob[k - 1], keep
    lose = 0.0
    for m in range(k):
        lose += prob[m]
    return lose, keep


@jitable
def cycle_pattern(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
                  link_target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Give the Jacobian's pattern over the members of one cycle, as compressed rows ``(ptr, col)``.

    Row ``i`` (member ``members[i]``) has one entry per link of that member into the cycle, in
    link order, ``ptr[i]:ptr[i + 1]``; ``col`` gives the slot of the link's target. A member on
    the same member twice (two groups) has two entries for it: the values add up.

    Examples
    --------
    ``a`` on ``b`` and on the outside ``c``, ``b`` on ``a``:

    >>> import numpy as np
    >>> from cxgraph.engine.newton import cycle_pattern
    >>> ptr, col = cycle_pattern(np.array([0, 1]), np.array([0, 1, -1]), np.array([0, 2, 3, 3]),
    ...                          np.array([0, 1, 2, 3]), np.array([1, 2, 0]))
    >>> ptr.tolist(), col.tolist()
    ([0, 1, 2], [1, 0])
    """
    m = members.shape[0]
    ptr = np.zeros(m + 1, np.int64)
    count = 0
    for i in range(m):
        u = members[i]
        for ln in range(group_links[node_groups[u]], group_links[node_groups[u + 1]]):
            if slot[link_target[ln]] >= 0:
                count += 1
        ptr[i + 1] = count
    col = np.empty(count, np.int64)
    pos = 0
    for i in range(m):
        u = members[i]
        for ln in range(group_links[node_groups[u]], group_links[node_groups[u + 1]]):
            j = slot[link_target[ln]]
            if j >= 0:
                col[pos] = j
                pos += 1
    return ptr, col


@jitable
def cycle_system(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
                 group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray,
                 e: np.ndarray, base_lost: np.ndarray, base_surv: np.ndarray, skip_pushed: bool,
                 f_lost: np.ndarray, f_surv: np.ndarray, jval: np.ndarray) -> None:
    """Evaluate ``F`` (as ``(f_lost, f_surv)``) and its Jacobian over the members of one cycle.

    ``slot[v]`` is ``v``'s position among ``members`` (-1 outside the cycle); ``d`` and ``e`` hold
    ``d`` and ``1 - d`` of every node; member ``i`` starts from ``(base_lost[i], base_surv[i])``,
    its initial degradation and, when ``skip_pushed``, its ungrouped links out of the cycle
    (already multiplied in by the caller, so left out here). The Jacobian's values go to
    ``jval`` in the order of :func:`cycle_pattern`.

    Examples
    --------
    ``a`` on ``b`` (0.5) and ``b`` on ``a`` (0.5), ``a`` degraded 0.2: ``F(d) = (1 - 0.8 (1 - 0.5 d_b),
    0.5 d_a)``, so at ``d = (0.2, 0.1)`` the Jacobian's entries are ``0.8 * 0.5`` and ``0.5``:

    >>> import numpy as np
    >>> from cxgraph.engine.newton import cycle_system
    >>> f_lost, f_surv, jval = np.empty(2), np.empty(2), np.empty(2)
    >>> cycle_system(np.arange(2), np.arange(2), np.array([0, 1, 2]), np.arange(3), np.ones(2, np.int64),
    ...              np.array([1, 0]), np.array([0.5, 0.5]), np.array([0.2, 0.1]), np.array([0.8, 0.9]),
    ...              np.array([0.2, 0.0]), np.array([0.8, 1.0]), False, f_lost, f_surv, jval)
    >>> f_lost.round(12).tolist(), jval.round(12).tolist()
    ([0.24, 0.1], [0.4, 0.5])
    """
    m = members.shape[0]
    max_k = 1
    max_groups = 1
    for i in range(m):
        u = members[i]
        max_groups = max(max_groups, node_groups[u + 1] - node_groups[u])
        for g in range(node_groups[u], node_groups[u + 1]):
            max_k = max(max_k, group_needs[g])
    prob = np.zeros(max_k + 1)
    keeps = np.ones(max_groups)
    pos = 0
    for i in range(m):
        u = members[i]
        g0 = node_groups[u]
        g1 = node_groups[u + 1]
        lost = base_lost[i]
        surv = base_surv[i]
        for g in range(g0, g1):
            lo = group_links[g]
            hi = group_links[g + 1]
            k = group_needs[g]
            keeps[g - g0] = 1.0
            if skip_pushed and hi - lo == 1 and k == 1 and slot[link_target[lo]] < 0:
                continue
            lose, keep = _group(lo, hi, k, link_target, link_strength, d, e, -1, prob)
            keeps[g - g0] = keep
            lost += surv * lose
            surv *= keep
        if surv < 0.5:
            lost = 1.0 - surv
        else:
            surv = 1.0 - lost
        f_lost[i] = lost
        f_surv[i] = surv
        for g in range(g0, g1):
            lo = group_links[g]
            hi = group_links[g + 1]
            other = -1.0  # the survival of the member's other groups, once a link into the cycle needs it
            for ln in range(lo, hi):
                if slot[link_target[ln]] < 0:
                    continue
                if other < 0.0:
                    other = base_surv[i]
                    for h in range(g1 - g0):
                        if h != g - g0:
                            other *= keeps[h]
                value = 0.0
                if other > 0.0:
                    exact, _ = _group(lo, hi, group_needs[g], link_target, link_strength, d, e, ln, prob)
                    value = other * link_strength[ln] * exact
                jval[pos] = value
                pos += 1


@jitable
def feedback_set(ptr: np.ndarray, col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the members of a cycle into a feedback set and the rest, the rest in an order that solves it forward.

    ``(ptr, col)``: the pattern of :func:`cycle_pattern` (row ``i`` depends on ``col``). A depth-first
    search, started from the members with the most links, puts the target of every edge back into
    the search path into the feedback set; what is left has no such edge, so no loop, and the
    order in which the search finishes it lists every member after those it depends on. Returns
    ``(feedback, rest)``, both as member positions.

    Examples
    --------
    A ring of four: one member breaks it, and the others follow in dependency order.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import feedback_set
    >>> feedback, rest = feedback_set(np.arange(5), np.array([1, 2, 3, 0]))
    >>> feedback.tolist(), rest.tolist()
    ([0], [3, 2, 1])
    """
    m = ptr.shape[0] - 1
    degree = np.zeros(m, np.int64)
    for i in range(m):
        degree[i] += ptr[i + 1] - ptr[i]
        for k in range(ptr[i], ptr[i + 1]):
            degree[col[k]] += 1
    starts = np.argsort(-degree, kind="mergesort")
    state = np.zeros(m, np.int64)  # 0: not seen, 1: on the search path, 2: finished
    breaks = np.zeros(m, np.bool_)
    finished = np.empty(m, np.int64)
    n_finished = 0
    stack = np.empty(m, np.int64)
    edge = np.empty(m, np.int64)
    for s in starts:
        if state[s] != 0:
            continue
        top = 0
        stack[0] = s
        edge[0] = ptr[s]
        state[s] = 1
        while top >= 0:
            u = stack[top]
            k = edge[top]
            if k < ptr[u + 1]:
                edge[top] = k + 1
                v = col[k]
                if state[v] == 0:
                    top += 1
                    stack[top] = v
                    edge[top] = ptr[v]
                    state[v] = 1
                elif state[v] == 1:
                    breaks[v] = True
            else:
                state[u] = 2
                finished[n_finished] = u
                n_finished += 1
                top -= 1
    n_breaks = 0
    for i in range(m):
        if breaks[i]:
            n_breaks += 1
    feedback = np.empty(n_breaks, np.int64)
    rest = np.empty(m - n_breaks, np.int64)
    a = 0
    for i in range(m):
        if breaks[i]:
            feedback[a] = i
            a += 1
    b = 0
    for p in range(m):
        if not breaks[finished[p]]:
            rest[b] = finished[p]
            b += 1
    return feedback, rest


@jitable
def _forward(ptr: np.ndarray, col: np.ndarray, val: np.ndarray, rest: np.ndarray, rhs: np.ndarray, scale: float,
             w: np.ndarray) -> None:
    """``w_i = scale rhs_i + sum_j J_ij w_j`` over ``rest`` in order (each ``w_j`` it needs already set)."""
    for p in range(rest.shape[0]):
        i = rest[p]
        acc = scale * rhs[i]
        for k in range(ptr[i], ptr[i + 1]):
            acc += val[k] * w[col[k]]
        w[i] = acc


@jitable
def schur_solve(ptr: np.ndarray, col: np.ndarray, val: np.ndarray, feedback: np.ndarray, rest: np.ndarray,
                b: np.ndarray, s: np.ndarray, w: np.ndarray) -> bool:
    """Solve ``(I - J) h = b`` in place (``b`` becomes ``h``) through the Schur complement on a feedback set.

    ``J`` is given by its pattern ``(ptr, col)`` and values ``val``; ``feedback`` and ``rest`` come from
    :func:`feedback_set`; ``s`` is ``f x f``. On the rest ``J`` has no loop, so ``h_R = b_R + J_RR h_R + J_RF h_F`` is
    solved forward once ``h_F`` is known, and ``h_F`` solves the ``f x f`` system
    ``(I - J_FF - J_FR Z) h_F = b_F + J_FR y`` (``Z``: the rest's solution for each feedback
    member at 1, ``y``: for ``b`` alone), by :func:`lu_solve` in ``s``; ``w`` is workspace of
    the members' length. That system is an M-matrix exactly when ``I - J`` is, so it fails where
    the dense one does (``b`` then undefined). The cost is ``f`` forward passes over the links and
    ``f**3 / 3`` for the elimination, against ``m**3 / 3`` for the whole matrix: a ring of
    thousands of members has a feedback set of one.

    Examples
    --------
    A ring of three, each on the next with strength 0.5: ``(I - J) h = 1`` gives ``h = 2``.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import feedback_set, schur_solve
    >>> ptr, col, val = np.arange(4), np.array([1, 2, 0]), np.full(3, 0.5)
    >>> feedback, rest = feedback_set(ptr, col)
    >>> b = np.ones(3)
    >>> schur_solve(ptr, col, val, feedback, rest, b, np.empty((1, 1)), np.empty(3)), b.round(12).tolist()
    (True, [2.0, 2.0, 2.0])
    """
    f = feedback.shape[0]
    for c in range(f):
        for r in range(f):
            w[feedback[r]] = 0.0
        w[feedback[c]] = 1.0
        _forward(ptr, col, val, rest, b, 0.0, w)
        for r in range(f):
            i = feedback[r]
            acc = 1.0 if r == c else 0.0
            for k in range(ptr[i], ptr[i + 1]):
                acc -= val[k] * w[col[k]]
            s[r, c] = acc
    for r in range(f):
        w[feedback[r]] = 0.0
    _forward(ptr, col, val, rest, b, 1.0, w)
    x = np.empty(f)
    for r in range(f):
        i = feedback[r]
        acc = b[i]
        for k in range(ptr[i], ptr[i + 1]):
            acc += val[k] * w[col[k]]
        x[r] = acc
    if not lu_solve(s, x):
        return False
    for r in range(f):
        w[feedback[r]] = x[r]
    _forward(ptr, col, val, rest, b, 1.0, w)
    for i in range(b.shape[0]):
        if not np.isfinite(w[i]):
            return False
        b[i] = w[i]
    return True


@jitable
def elimination_pattern(ptr: np.ndarray, col: np.ndarray, budget: int) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Plan the sparse elimination of ``I - J`` (pattern ``(ptr, col)``): order, column access, fill and cost.

    The members are ordered by their number of links, fewest first (a hub last, a chain's members
    in chain order, so eliminating them makes little fill). The fill of ``L`` and ``U`` is found on
    the symmetric pattern from its elimination tree (Liu's algorithm; row ``k`` of ``L`` is the
    tree's reach from ``k``'s neighbours, as in Davis's CSparse), and ``U``'s column ``k`` has the
    same pattern. Returns ``(perm, rank, tptr, trow, tidx, lptr, lcol, cost)``: the order
    (``perm[new] = old``, ``rank[old] = new``), the pattern by columns (``tidx``: positions in
    ``col``), row ``k`` of ``L`` as ``lcol[lptr[k]:lptr[k + 1]]`` (new positions, ascending) and the
    operations the factorization takes. Where ``L`` would hold more than ``budget`` entries,
    ``lcol`` is left empty and ``cost`` is infinite.

    Examples
    --------
    A two-way chain of four eliminates without fill: each row of ``L`` holds only its neighbour.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import elimination_pattern
    >>> ptr, col = np.array([0, 1, 3, 5, 6]), np.array([1, 0, 2, 1, 3, 2])
    >>> perm, rank, tptr, trow, tidx, lptr, lcol, cost = elimination_pattern(ptr, col, 100)
    >>> perm.tolist(), [lcol[lptr[k]:lptr[k + 1]].tolist() for k in range(4)]
    ([0, 3, 1, 2], [[], [], [0], [1, 2]])
    """
    m = ptr.shape[0] - 1
    nnz = ptr[m]
    tptr = np.zeros(m + 1, np.int64)
    for e in range(nnz):
        tptr[col[e] + 1] += 1
    for j in range(m):
        tptr[j + 1] += tptr[j]
    trow = np.empty(nnz, np.int64)
    tidx = np.empty(nnz, np.int64)
    fill = tptr[:m].copy()
    for i in range(m):
        for e in range(ptr[i], ptr[i + 1]):
            j = col[e]
            trow[fill[j]] = i
            tidx[fill[j]] = e
            fill[j] += 1
    degree = np.empty(m, np.int64)
    for i in range(m):
        degree[i] = ptr[i + 1] - ptr[i] + tptr[i + 1] - tptr[i]
    perm = np.argsort(degree, kind="mergesort")
    rank = np.empty(m, np.int64)
    for r in range(m):
        rank[perm[r]] = r
    # the elimination tree of the symmetric pattern, with path compression through ``ancestor``
    parent = np.full(m, -1, np.int64)
    ancestor = np.full(m, -1, np.int64)
    for k in range(m):
        old = perm[k]
        for side in range(2):
            lo = ptr[old] if side == 0 else tptr[old]
            hi = ptr[old + 1] if side == 0 else tptr[old + 1]
            for e in range(lo, hi):
                i = rank[col[e]] if side == 0 else rank[trow[e]]
                while i != -1 and i < k:
                    nxt = ancestor[i]
                    ancestor[i] = k
                    if nxt == -1:
                        parent[i] = k
                    i = nxt
    # the rows of L: each neighbour before k walks up the tree to a node already reached (k itself at last)
    mark = np.full(m, -1, np.int64)
    lptr = np.zeros(m + 1, np.int64)
    lcol = np.empty(0, np.int64)
    for sweep in range(2):
        count = 0
        for k in range(m):
            mark[k] = k + sweep * m
            start = count
            old = perm[k]
            for side in range(2):
                lo = ptr[old] if side == 0 else tptr[old]
                hi = ptr[old + 1] if side == 0 else tptr[old + 1]
                for e in range(lo, hi):
                    i = rank[col[e]] if side == 0 else rank[trow[e]]
                    if i >= k:
                        continue
                    while mark[i] != k + sweep * m:
                        if sweep == 1:
                            lcol[count] = i
                        count += 1
                        mark[i] = k + sweep * m
                        i = parent[i]
            if sweep == 0:
                lptr[k + 1] = count
                if count > budget:
                    return perm, rank, tptr, trow, tidx, lptr, lcol, np.inf
            else:
                lcol[start:count] = np.sort(lcol[start:count])
        if sweep == 0:
            lcol = np.empty(count, np.int64)
    cost = 0.0
    for k in range(m):
        for q in range(lptr[k], lptr[k + 1]):
            j = lcol[q]
            cost += 2.0 * (lptr[j + 1] - lptr[j]) + 2.0
    return perm, rank, tptr, trow, tidx, lptr, lcol, cost


@jitable
def sparse_solve(ptr: np.ndarray, col: np.ndarray, val: np.ndarray, perm: np.ndarray, rank: np.ndarray,
                 tptr: np.ndarray, trow: np.ndarray, tidx: np.ndarray, lptr: np.ndarray, lcol: np.ndarray,
                 lval: np.ndarray, uval: np.ndarray, diag: np.ndarray, b: np.ndarray, wb: np.ndarray,
                 wc: np.ndarray) -> bool:
    """Solve ``(I - J) h = b`` in place (``b`` becomes ``h``) by the elimination :func:`elimination_pattern` plans.

    ``J``: values ``val`` on the pattern ``(ptr, col)``. Row ``k`` of ``L`` and column ``k`` of ``U``
    come from solving against the rows and columns before ``k`` on the planned fill (``lval``,
    ``uval``: as long as ``lcol``; ``diag``, ``wb``, ``wc``: as long as the members, ``wb`` and ``wc``
    all zero, as they are left). Without pivoting, which is stable for M-matrices, whose pivots
    are all positive in any order; returns False at a pivot that is not (``b`` then undefined).

    Examples
    --------
    A two-way chain of three, each on its neighbours with strength 0.25: ``(I - J) h = 1``.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import elimination_pattern, sparse_solve
    >>> ptr, col, val = np.array([0, 1, 3, 4]), np.array([1, 0, 2, 1]), np.full(4, 0.25)
    >>> perm, rank, tptr, trow, tidx, lptr, lcol, _ = elimination_pattern(ptr, col, 100)
    >>> b = np.ones(3)
    >>> sparse_solve(ptr, col, val, perm, rank, tptr, trow, tidx, lptr, lcol, np.empty(lcol.size),
    ...              np.empty(lcol.size), np.empty(3), b, np.zeros(3), np.zeros(3)), (b * 7).round(12).tolist()
    (True, [10.0, 12.0, 10.0])
    """
    m = ptr.shape[0] - 1
    for k in range(m):
        old = perm[k]
        pivot = 1.0
        for e in range(ptr[old], ptr[old + 1]):  # row k: a[k, j] = -J[k, j]
            j = rank[col[e]]
            if j < k:
                wc[j] -= val[e]
            elif j == k:
                pivot -= val[e]
        for t in range(tptr[old], tptr[old + 1]):  # column k: a[i, k] = -J[i, k]
            i = rank[trow[t]]
            if i < k:
                wb[i] -= val[tidx[t]]
        for q in range(lptr[k], lptr[k + 1]):
            j = lcol[q]
            u = wb[j]  # U[j, k], from L's rows before k
            for r in range(lptr[j], lptr[j + 1]):
                u -= lval[r] * wb[lcol[r]]
            wb[j] = u
            uval[q] = u
            low = wc[j]  # L[k, j], from U's columns before k
            for r in range(lptr[j], lptr[j + 1]):
                low -= uval[r] * wc[lcol[r]]
            low /= diag[j]
            wc[j] = low
            lval[q] = low
            pivot -= low * u
        for q in range(lptr[k], lptr[k + 1]):
            wb[lcol[q]] = 0.0
            wc[lcol[q]] = 0.0
        if not pivot > 1e-300 or not np.isfinite(pivot):
            return False
        diag[k] = pivot
    for k in range(m):  # L y = P b
        y = b[perm[k]]
        for q in range(lptr[k], lptr[k + 1]):
            y -= lval[q] * wb[lcol[q]]
        wb[k] = y
    for k in range(m - 1, -1, -1):  # U x = y, by columns
        x = wb[k] / diag[k]
        wb[k] = x
        for q in range(lptr[k], lptr[k + 1]):
            wb[lcol[q]] -= uval[q] * x
    ok = True
    for k in range(m):
        b[perm[k]] = wb[k]
        ok = ok and bool(np.isfinite(wb[k]))
        wb[k] = 0.0
    return ok


@jitable
def newton(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
           group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray,
           e: np.ndarray, base_lost: np.ndarray, base_surv: np.ndarray, skip_pushed: bool, tol: float) -> int:
    """Move the members of one cycle to the fixed point of ``F`` by Newton's method; return the steps taken.

    ``d`` and ``e`` (``d`` and ``1 - d`` of every node) are updated in place for the members; the
    other arguments are those of :func:`cycle_system`. Stops when a step changes no member by more
    than ``tol`` of its value (relative to the accurate one of ``d`` and ``1 - d``), after
    :data:`NEWTON_ITERATIONS` steps, or when the linear system is singular (returning the steps
    done, perhaps 0: the caller then goes on sweeping).

    Examples
    --------
    ``a`` on ``c`` (failed, strength 1e-9) and on ``b`` (0.999999), ``b`` on ``a`` (0.999999):
    ``d(a) = 1e-9 / (1 - 0.999999**2 (1 - 1e-9))``.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import newton
    >>> s = 0.999999
    >>> node_groups, group_links = np.array([0, 2, 3, 3]), np.array([0, 1, 2, 3])
    >>> target, strength = np.array([2, 1, 0]), np.array([1e-9, s, s])
    >>> d, e = np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 0.0])
    >>> steps = newton(np.array([0, 1]), np.array([0, 1, -1]), node_groups, group_links, np.ones(3, np.int64),
    ...                target, strength, d, e, np.zeros(2), np.ones(2), False, 1e-15)
    >>> bool(abs(d[0] / (1e-9 / (1 - s * s * (1 - 1e-9))) - 1) < 1e-9)
    True
    """
    m = members.shape[0]
    ptr, col = cycle_pattern(members, slot, node_groups, group_links, link_target)
    nnz = ptr[m]
    # the cheaper elimination that fits: through a feedback set, or of the whole (sparse) matrix
    feedback, rest = feedback_set(ptr, col)
    f = feedback.shape[0]
    schur_cost = float(f) * nnz + float(f) ** 3 / 3.0 if f * f <= NEWTON_MAX_ENTRIES else np.inf
    perm, rank, tptr, trow, tidx, lptr, lcol, lu_cost = elimination_pattern(ptr, col, NEWTON_MAX_ENTRIES // 2)
    if schur_cost == np.inf and lu_cost == np.inf:
        return 0  # left to sweeping
    schur = schur_cost <= lu_cost
    jval = np.empty(nnz)
    a = np.empty((f, f)) if schur else np.empty((0, 0))
    lval = np.empty(0 if schur else lcol.shape[0])
    uval = np.empty(0 if schur else lcol.shape[0])
    diag = np.empty(m)
    work = np.zeros(m)
    work2 = np.zeros(m)
    f_lost = np.empty(m)
    f_surv = np.empty(m)
    res = np.empty(m)
    step = np.empty(m)
    x_lost = np.empty(m)
    x_surv = np.empty(m)
    last = np.inf
    lifts = 0
    last_flat = m + 1
    absorb_lost(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e)
    for it in range(NEWTON_ITERATIONS):
        cycle_system(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e,
                     base_lost, base_surv, skip_pushed, f_lost, f_surv, jval)
        below = True  # F(d) >= d everywhere: d is below the least fixed point (it came from sweeping up)
        for i in range(m):
            u = members[i]
            x_lost[i] = d[u]
            x_surv[i] = e[u]
            # the residual F(d) - d from the accurate one of the pair
            res[i] = (f_lost[i] - d[u]) if d[u] <= 0.5 and f_lost[i] <= 0.5 else (e[u] - f_surv[i])
            step[i] = res[i]
            if res[i] < -4.5e-16 * (d[u] if d[u] <= 0.5 else e[u]):
                below = False
        top = 0.0
        for i in range(m):
            top = max(top, abs(res[i]))
        if not top > 0.0:
            return it  # F(d) = d to the last bit
        if schur:
            solved = schur_solve(ptr, col, jval, feedback, rest, step, a, work)
        else:
            solved = sparse_solve(ptr, col, jval, perm, rank, tptr, trow, tidx, lptr, lcol, lval, uval, diag, step,
                                  work, work2)
        if not solved:
            # not an M-matrix: the spectral radius of J is 1 or more (the cycle still grows from a small feed)
            if not below:
                return it
            if absorb_lost(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e):
                continue
            flat = 0
            for i in range(m):
                if not res[i] > ROUNDING * (x_lost[i] if x_lost[i] <= 0.5 else x_surv[i]):
                    flat += 1
            if 0 < flat < last_flat and lifts < LIFTS:
                # members a sweep has just settled (F(d) = d) cannot climb: one step of F (to a point still below
                # the least fixed point) lifts those fed by the members still growing
                lifts += 1
                last_flat = flat
                for i in range(m):
                    d[members[i]] = f_lost[i]
                    e[members[i]] = f_surv[i]
                continue
            last_flat = m + 1
            if climb(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e,
                     base_lost, base_surv, skip_pushed, ptr, col, jval, res, x_lost, x_surv):
                continue
            return it  # left to sweeping, which never passes the least fixed point
        largest = 0.0
        moved = False
        for i in range(m):
            u = members[i]
            delta = max(step[i], res[i]) if below else step[i]  # from below: never short of a sweep's step
            _shift(x_lost[i], x_surv[i], delta, d, e, u)
            moved = moved or d[u] != x_lost[i] or e[u] != x_surv[i]
            scale = d[u] if d[u] <= 0.5 else e[u]
            change = abs(delta)
            if change > 0.0:
                largest = max(largest, change / scale if change < scale * 1e300 else 1e300)
        # converged; or steps no longer shrinking at the level of rounding (an ill-conditioned cycle)
        if largest <= tol or not moved or (largest <= 64.0 * tol and largest >= 0.5 * last):
            return it + 1
        last = largest
    return NEWTON_ITERATIONS


@jitable
def _exact_low(lo: int, hi: int, k: int, link_target: np.ndarray, link_strength: np.ndarray, slot: np.ndarray,
               x_lost: np.ndarray, d: np.ndarray, e: np.ndarray, skip: int, prob: np.ndarray) -> float:
    """Bound P(exactly k - 1 of the group's links other than ``skip`` survive) from below between two points.

    The lower point gives the members' ``d`` in ``x_lost`` (by slot); the upper point is in ``d``
    and ``e``. Each link is lost with probability at least ``s d`` at the lower point and
    survives with probability at least ``1 - s d`` at the upper one; the recurrence over the
    links adds and multiplies only non-negative terms, so these bounds give a bound.
    """
    prob[0] = 1.0
    for m in range(1, k):
        prob[m] = 0.0
    for ln in range(lo, hi):
        if ln == skip:
            continue
        v = link_target[ln]
        sl = link_strength[ln]
        j = slot[v]
        q = sl * (x_lost[j] if j >= 0 else d[v])
        ps = _link_survival(sl, d[v], e[v])
        for m in range(k - 1, 0, -1):
            prob[m] = prob[m] * q + prob[m - 1] * ps
        prob[0] *= q
    return prob[k - 1]


@jitable
def _jacobian_low(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
                  group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray,
                  e: np.ndarray, base_surv: np.ndarray, skip_pushed: bool, x_lost: np.ndarray, prob: np.ndarray,
                  keeps: np.ndarray, low: np.ndarray) -> None:
    """``low``: a lower bound of the Jacobian of ``F`` over the box from ``x_lost`` (the members) up to ``d``.

    ``dF_u/dd_v = S_u * s * P(exactly k - 1 of the group's other links survive)``; ``S_u``, the
    survival of ``u``'s other groups, falls as ``d`` rises, so the upper point bounds it, and
    :func:`_exact_low` bounds the rest. The values go to ``low`` in the order of :func:`cycle_pattern`.
    """
    m = members.shape[0]
    pos = 0
    for i in range(m):
        u = members[i]
        g0 = node_groups[u]
        g1 = node_groups[u + 1]
        for g in range(g0, g1):
            lo = group_links[g]
            hi = group_links[g + 1]
            keeps[g - g0] = 1.0
            if skip_pushed and hi - lo == 1 and group_needs[g] == 1 and slot[link_target[lo]] < 0:
                continue
            _, keep = _group(lo, hi, group_needs[g], link_target, link_strength, d, e, -1, prob)
            keeps[g - g0] = keep
        for g in range(g0, g1):
            lo = group_links[g]
            hi = group_links[g + 1]
            other = base_surv[i]
            for h in range(g1 - g0):
                if h != g - g0:
                    other *= keeps[h]
            for ln in range(lo, hi):
                if slot[link_target[ln]] < 0:
                    continue
                value = 0.0
                if other > 0.0:
                    exact = _exact_low(lo, hi, group_needs[g], link_target, link_strength, slot, x_lost, d, e, ln,
                                       prob)
                    value = other * link_strength[ln] * exact
                low[pos] = value
                pos += 1


@jitable
def climb(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
          group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray, e: np.ndarray,
          base_lost: np.ndarray, base_surv: np.ndarray, skip_pushed: bool, ptr: np.ndarray, col: np.ndarray,
          jval: np.ndarray, res: np.ndarray, x_lost: np.ndarray, x_surv: np.ndarray) -> bool:
    """Move a cycle still growing from ``x`` (below the least fixed point) as far up as is proven to stay below it.

    ``(ptr, col, jval)`` is the Jacobian ``J`` at ``x`` (:func:`cycle_pattern`, :func:`cycle_system`;
    ``x_lost``, ``x_surv``: ``d`` and ``1 - d`` of the members, also in ``d`` and ``e``) and
    ``res = F(x) - x``. Where ``J``'s spectral radius is 1
    or more, sweeping grows by that factor a sweep, which next to 1 takes millions of sweeps,
    and Newton's method has no M-matrix to solve. The members move instead along ``h``, ``J``'s
    Perron vector (by power iteration), to ``y = x + t h`` with ``t`` doubled from a sweep's
    step as long as, with ``L`` a lower bound of the Jacobian over the box ``[x, y]``
    (:func:`_jacobian_low`), ``res + t (L - I) h >= res / 2`` in every member that moves.

    Then ``F(z) - z >= F(x) - x + (L - I)(z - x) > 0`` in every moving member for every ``z`` on
    the segment ``[x, y]``; were the segment to leave the order interval below the least fixed
    point ``mu``, it would do so at a ``z <= mu`` with ``z_i = mu_i`` for some moving member
    ``i``, where ``F_i(z) <= F_i(mu) = mu_i = z_i``: a contradiction. So ``y <= mu``, proven
    rather than hoped for (the difference from extrapolating along ``h``, which can overshoot
    to a higher fixed point). Returns whether the members moved (``d`` and ``e`` then hold
    ``y``; otherwise they are left at ``x``).

    Examples
    --------
    ``u`` and ``v`` each on themselves and on each other (0.5); ``v`` also on ``w`` (1e-9), ``w`` on
    ``v`` (1); ``u`` degraded 1e-12. The Jacobian at 0 has a spectral radius just above 1:

    >>> import numpy as np
    >>> from cxgraph.engine.newton import climb, cycle_pattern, cycle_system
    >>> node_groups, group_links = np.array([0, 2, 5, 6]), np.arange(7)
    >>> target, strength = np.array([0, 1, 0, 1, 2, 1]), np.array([0.5, 0.5, 0.5, 0.5, 1e-9, 1.0])
    >>> members, slot, needs = np.arange(3), np.arange(3), np.ones(6, np.int64)
    >>> d, e = np.array([1e-12, 0.0, 0.0]), np.array([1 - 1e-12, 1.0, 1.0])
    >>> base_lost, base_surv = np.array([1e-12, 0.0, 0.0]), np.array([1 - 1e-12, 1.0, 1.0])
    >>> ptr, col = cycle_pattern(members, slot, node_groups, group_links, target)
    >>> f_lost, f_surv, jval = np.empty(3), np.empty(3), np.empty(col.shape[0])
    >>> cycle_system(members, slot, node_groups, group_links, needs, target, strength, d, e, base_lost, base_surv,
    ...              False, f_lost, f_surv, jval)
    >>> climb(members, slot, node_groups, group_links, needs, target, strength, d, e, base_lost, base_surv, False,
    ...       ptr, col, jval, f_lost - d, d.copy(), e.copy()), bool(d[0] > 1e-11)
    (True, True)
    """
    m = members.shape[0]
    h = np.ones(m)
    nxt = np.empty(m)
    moving = 0
    for i in range(m):
        scale = x_lost[i] if x_lost[i] <= 0.5 else x_surv[i]
        if not res[i] > ROUNDING * scale:  # a residual at the level of rounding proves nothing
            h[i] = 0.0
        else:
            moving += 1
    if moving == 0:
        return False
    # power iteration on I + J (aperiodic), kept to the members that may move; a rough vector only slows the
    # climb (each step is proven), so the iterations stop at about 10**8 operations
    nnz = max(int(ptr[m]), 1)
    for _ in range(min(4 * m + 64, max(64, 100_000_000 // nnz))):
        top = 0.0
        for i in range(m):
            acc = h[i]
            if h[i] > 0.0:
                for k in range(ptr[i], ptr[i + 1]):
                    acc += jval[k] * h[col[k]]
            else:
                acc = 0.0
            nxt[i] = acc
            top = max(top, acc)
        if not top > 0.0:
            return False
        for i in range(m):
            h[i] = nxt[i] / top
    t = np.inf  # the first step: no member moves further than a sweep moves it
    for i in range(m):
        if h[i] > 0.0:
            t = min(t, res[i] / h[i])
    if not t < np.inf:
        return False
    max_k = 1
    max_groups = 1
    for i in range(m):
        u = members[i]
        max_groups = max(max_groups, node_groups[u + 1] - node_groups[u])
        for g in range(node_groups[u], node_groups[u + 1]):
            max_k = max(max_k, group_needs[g])
    prob = np.zeros(max_k + 1)
    keeps = np.ones(max_groups)
    low = np.empty(ptr[m])
    best = 0.0
    for _ in range(CLIMB_DOUBLINGS):
        ok = True
        for i in range(m):
            if t * h[i] > x_surv[i]:  # beyond 1
                ok = False
        if ok:
            for i in range(m):
                _shift(x_lost[i], x_surv[i], t * h[i], d, e, members[i])
            _jacobian_low(members, slot, node_groups, group_links, group_needs, link_target, link_strength, d, e,
                          base_surv, skip_pushed, x_lost, prob, keeps, low)
            for i in range(m):
                if h[i] > 0.0:
                    acc = -h[i]
                    for k in range(ptr[i], ptr[i + 1]):
                        acc += low[k] * h[col[k]]
                    if not res[i] + t * acc >= 0.5 * res[i]:
                        ok = False
        if not ok:
            break
        best = t
        t *= 2.0
    for i in range(m):
        _shift(x_lost[i], x_surv[i], best * h[i], d, e, members[i])
    return bool(best > 0.0)


@jitable
def absorb_lost(members: np.ndarray, slot: np.ndarray, node_groups: np.ndarray, group_links: np.ndarray,
                group_needs: np.ndarray, link_target: np.ndarray, link_strength: np.ndarray, d: np.ndarray,
                e: np.ndarray) -> bool:
    """Set to 1 every member of a loop of links whose failure alone now loses their group, once one is degraded.

    A link ``u -> v`` of strength 1 is *critical* at ``x`` when fewer than ``k`` of its group's
    other links can still survive there (each survives with probability ``1 - s d``, which is 0
    for a strength-1 link to a node at 1); degradation only rises, so it stays critical above
    ``x``. Along it, ``1 - d(u) <= 1 - d(v)``. In a strongly connected set ``K`` of critical links
    every member therefore has the same ``1 - d`` in every fixed point above ``x``; were that
    positive in the least one, nothing else could degrade a member of ``K`` there, and the
    iterates from the initial degradation, all below it, would keep ``K`` at 0 - so would their
    limit. Hence once a member of ``K`` is degraded at ``x`` (``x`` below the least fixed point),
    all of ``K`` is lost in it. This is :func:`cxgraph.engine.layout.absorbing_classes` at the
    state reached: a redundancy group whose other links have all failed makes one too. Returns
    whether a member was set.

    Examples
    --------
    ``a`` is lost only if both ``a`` itself and the failed ``f`` are (a group needing one of two);
    ``a`` is degraded a little: the loop on ``a`` is critical now that ``f`` is at 1.

    >>> import numpy as np
    >>> from cxgraph.engine.newton import absorb_lost
    >>> node_groups, group_links = np.array([0, 1, 1]), np.array([0, 2])
    >>> d, e = np.array([1e-12, 1.0]), np.array([1 - 1e-12, 0.0])
    >>> absorb_lost(np.array([0]), np.array([0, -1]), node_groups, group_links, np.array([1]), np.array([0, 1]),
    ...             np.array([1.0, 1.0]), d, e), d.tolist()
    (True, [1.0, 1.0])
    """
    m = members.shape[0]
    n_links = 0
    for i in range(m):
        u = members[i]
        n_links += group_links[node_groups[u + 1]] - group_links[node_groups[u]]
    ptr = np.zeros(m + 1, np.int64)
    adj = np.empty(max(n_links, 1), np.int64)
    rptr = np.zeros(m + 1, np.int64)
    radj = np.empty(max(n_links, 1), np.int64)
    src = np.empty(max(n_links, 1), np.int64)
    n_edges = 0
    for i in range(m):
        u = members[i]
        for g in range(node_groups[u], node_groups[u + 1]):
            lo = group_links[g]
            hi = group_links[g + 1]
            can = 0  # links of the group that can still survive
            for ln in range(lo, hi):
                if link_strength[ln] < 1.0 or e[link_target[ln]] > 0.0:
                    can += 1
            for ln in range(lo, hi):
                j = slot[link_target[ln]]
                # a strength-1 link to a member not yet lost, without which fewer than k links can survive
                if j >= 0 and link_strength[ln] == 1.0 and e[link_target[ln]] > 0.0 and can - 1 < group_needs[g]:
                    adj[n_edges] = j
                    src[n_edges] = i
                    n_edges += 1
        ptr[i + 1] = n_edges
    if n_edges == 0:
        return False
    for k in range(n_edges):
        rptr[adj[k] + 1] += 1
    for i in range(m):
        rptr[i + 1] += rptr[i]
    fill = rptr[:m].copy()
    for k in range(n_edges):
        radj[fill[adj[k]]] = src[k]
        fill[adj[k]] += 1
    fwd = np.full(m, -1, np.int64)
    back = np.full(m, -1, np.int64)
    stack = np.empty(m + n_edges, np.int64)
    changed = False
    for i in range(m):
        u = members[i]
        if not (d[u] > 0.0 and e[u] > 0.0):
            continue
        # reachable from i along critical links (fwd) and reaching i (back): i's class is both, if i is on a loop
        top = 0
        for k in range(ptr[i], ptr[i + 1]):
            stack[top] = adj[k]
            top += 1
        while top > 0:
            top -= 1
            j = stack[top]
            if fwd[j] == i:
                continue
            fwd[j] = i
            for k in range(ptr[j], ptr[j + 1]):
                if fwd[adj[k]] != i:
                    stack[top] = adj[k]
                    top += 1
        if fwd[i] != i:
            continue
        top = 0
        for k in range(rptr[i], rptr[i + 1]):
            stack[top] = radj[k]
            top += 1
        while top > 0:
            top -= 1
            j = stack[top]
            if back[j] == i:
                continue
            back[j] = i
            for k in range(rptr[j], rptr[j + 1]):
                if back[radj[k]] != i:
                    stack[top] = radj[k]
                    top += 1
        for j in range(m):
            if fwd[j] == i and back[j] == i:
                d[members[j]] = 1.0
                e[members[j]] = 0.0
                changed = True
    return changed


@jitable
def _shift(lost: float, surv: float, delta: float, d: np.ndarray, e: np.ndarray, u: int) -> None:
    """Set ``(d[u], e[u])`` to ``(lost + delta, surv - delta)`` within [0, 1], each from the accurate one."""
    if lost + delta <= 0.5:
        d[u] = max(lost + delta, 0.0)
        e[u] = 1.0 - d[u]
    else:
        e[u] = min(max(surv - delta, 0.0), 1.0)
        d[u] = 1.0 - e[u]
