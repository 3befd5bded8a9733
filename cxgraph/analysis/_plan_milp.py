"""The exact planner: a mixed-integer linear programme solved with :func:`scipy.optimize.milp`.

Variables
---------
``x[i]`` (binary)
    initiative ``i`` is chosen.
``w[m, k]`` (in [0, 1])
    for a metric ``m`` that some initiative improves, with the distinct values the initiatives
    set it to sorted best first ``v[1], ..., v[K]``: "some chosen initiative sets ``m`` to
    ``v[k]`` or better". Constraints ``w[m, k] >= x[i]`` for every such ``i`` and
    ``w[m, k] <= sum of those x[i]`` pin it to exactly that OR once the ``x`` are 0 or 1.
``G[h]`` (>= 0)
    the gap of a touchpoint or element ``h`` whose pain can change (its exposure is > 0 and an
    initiative improves one of its metrics).

Why the model is exact
----------------------
With the ``w`` pinned, metric ``m`` takes value ``v[k]`` exactly when ``w[m, k] - w[m, k-1] = 1``
(``w[m, 0] = 0``) and stays at ``actual`` when ``w[m, K] = 0``, so its gap is the linear expression
``gap_m(w) = g_actual + sum over k of (g[k] - g[k+1]) * w[m, k]`` with ``g[K+1] = g_actual``: the gap of
the best value among the chosen initiatives, as DESIGN.md defines, with no assumption that the gap
falls as the value improves. Each ``G[h]`` is bounded below by ``gap_m(w)`` for each of ``h``'s
metrics (constant metrics give a constant lower bound), so ``G[h] >= max over m of gap_m(w)``. The
objective ``sum of exposure(h) * G[h]`` has positive coefficients and nothing else bounds ``G[h]``,
so for any fixed choice ``x`` the minimum over ``G`` sets every ``G[h]`` to that maximum, which is
``h``'s gap; the optimum of the programme is therefore the least total pain over all choices
``x`` that meet the budget and ``requires`` (``x[i] <= x[j]`` for each ``j`` that ``i`` requires,
which gives the transitive closure by chaining). Touchpoints and elements whose pain cannot change
only add a constant and are left out.

Tie-breaks
----------
1. minimise total pain -> ``P*`` (its set re-evaluated exactly with :class:`Portfolio`);
2. minimise cost subject to pain <= ``P*`` (plus the tie tolerance) -> ``C*``;
3. ask whether another set reaches ``P*`` and ``C*`` (a "no-good" cut removes the set from 2);
   if none, done. Otherwise build the lexicographically smallest sorted id list greedily: after
   a decided prefix, stop if the prefix alone is a tie-optimal set (a shorter list is smaller);
   else the next id is the smallest one that some tie-optimal set extends the prefix with, found
   by bisecting over the undecided ids below the current witness's next id with feasibility
   problems ("at least one of these ids is chosen").
Every set the solver returns is rounded and checked exactly (budget, closure, pain, cost); one
that passes only within the solver's tolerances is cut off and the problem solved again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from ..errors import CxGraphError
from ._portfolio import Portfolio, gap

__all__ = ["PlanSolver"]

_OPTIONS = {"mip_rel_gap": 1e-12, "presolve": True}
_SCALE = 1e4  # objectives are scaled to about this size, far above HiGHS's absolute gap (1e-6)
_RETRIES = 20


class PlanSolver:
    """Finds the plan DESIGN.md defines for a :class:`Portfolio`, for one budget at a time.

    Examples
    --------
    >>> from cxgraph.analysis._portfolio import Portfolio
    >>> from cxgraph.analysis._plan_milp import PlanSolver
    >>> p = Portfolio.from_model(cx.examples.load("retail-bank"))
    >>> p.names_of(PlanSolver(p).solve(0.0))
    []
    """

    def __init__(self, portfolio: Portfolio) -> None:
        p = self.p = portfolio
        n = self.n = len(p.ids)
        variable_metrics = [m for m, opts in enumerate(p.options) if opts]
        varying = np.zeros(len(p.holder_ids), dtype=bool)
        varying[[int(p.holder_of[m]) for m in variable_metrics]] = True
        varying &= p.holder_coef > 0
        self.varying = varying
        holders = np.flatnonzero(varying)
        g_index = {int(h): k for k, h in enumerate(holders)}
        rows: list[tuple[dict[int, float], float, float]] = []  # (coefficients, lower, upper)
        for i, reqs in enumerate(p.requires):
            for j in reqs:
                rows.append(({i: 1.0, j: -1.0}, -np.inf, 0.0))
        n_w = 0
        gap_rows: list[tuple[int, dict[int, float], float]] = []  # (G index, w coefficients, g_actual)
        for m in variable_metrics:
            h = int(p.holder_of[m])
            if h not in g_index:
                continue
            higher = bool(p.higher[m])
            opts = p.options[m]
            levels = sorted(set(opts.values()), reverse=higher)  # best first
            gaps = [gap(v, float(p.target[m]), float(p.ideal[m])) for v in levels]
            g_actual = gap(float(p.actual[m]), float(p.target[m]), float(p.ideal[m]))
            coefficients: dict[int, float] = {}
            for k, level in enumerate(levels):
                col = n + n_w
                n_w += 1
                members = [i for i, v in opts.items() if (v >= level if higher else v <= level)]
                for i in members:
                    rows.append(({col: 1.0, i: -1.0}, 0.0, np.inf))
                rows.append(({col: 1.0, **{i: -1.0 for i in members}}, -np.inf, 0.0))
                nxt = gaps[k + 1] if k + 1 < len(levels) else g_actual
                if gaps[k] != nxt:
                    coefficients[col] = gaps[k] - nxt
            gap_rows.append((g_index[h], coefficients, g_actual))
        self.n_w = n_w
        self.n_g = len(holders)
        n_var = n + n_w + self.n_g
        g0 = n + n_w
        for gk, coefficients, g_actual in gap_rows:
            rows.append(({g0 + gk: 1.0, **{c: -v for c, v in coefficients.items()}}, g_actual, np.inf))
        self.n_var = n_var
        self.base = _rows(rows, n_var)
        # G lower bounds: the largest constant gap among each holder's metrics no initiative improves.
        gap_now = p.gaps(p.actual)
        self.g_lower = np.zeros(self.n_g)
        for m in range(len(p.metric_ids)):
            h = int(p.holder_of[m])
            if h in g_index and not p.options[m]:
                self.g_lower[g_index[h]] = max(self.g_lower[g_index[h]], gap_now[m])
        coef = p.holder_coef[holders]
        scale = p.total_pain((), varying) or math.fsum(coef.tolist()) or 1.0
        self.pain_scale = scale
        self.pain_obj = np.zeros(n_var)
        self.pain_obj[g0:] = coef / scale
        cost_scale = math.fsum(p.costs.tolist()) or 1.0
        self.cost_scale = cost_scale
        self.cost_obj = np.zeros(n_var)
        self.cost_obj[:n] = p.costs / cost_scale

    # ------------------------------------------------------------------ public
    def solve(self, budget: float, fix: dict[int, int] | None = None) -> list[int] | None:
        """Return the plan for ``budget``: initiative indices, sorted by id.

        ``fix`` forces initiatives in (1) or out (0); ``None`` comes back when no set within the
        budget honours it.
        """
        p = self.p
        self.base_fix = dict(fix or {})
        if self.n == 0:
            return []
        self.budget = budget
        self.cuts: list[tuple[dict[int, float], float, float]] = []
        self.allowed = np.array([p.fits(p.closure[i], budget) for i in range(self.n)], dtype=bool)
        budget_row = ({i: float(p.costs[i]) / self.cost_scale for i in range(self.n)},
                      -np.inf, (budget + p.cost_tol()) / self.cost_scale)
        self.fixed_rows = [budget_row]
        self.p_star = math.inf
        self.c_star = math.inf
        if any(v == 1 and not self.allowed[i] for i, v in self.base_fix.items()):
            return None
        first = self._query(self.pain_obj, [], self.base_fix, check=self._feasible)
        if first is None:
            if self.base_fix:  # what is forced in costs more than the budget
                return None
            # the empty set is always feasible; reaching here is a solver failure
            raise CxGraphError("the plan could not be solved (the MILP solver found no feasible set)")
        self.p_star = self._pain(first)
        pain_row = self._pain_row()
        second = self._query(self.cost_obj, [pain_row], self.base_fix, check=self._tie_pain) or first
        self.p_star = min(self.p_star, self._pain(second))
        self.c_star = p.cost(second)
        bounds = [self._pain_row(), self._cost_row()]
        other = self._query(None, [*bounds, _no_good(second, self.n)], self.base_fix, check=self._tie)
        if other is None:
            return self._sorted(second)
        return self._lexicographic(bounds, witness=other)

    def least_pain(self, budget: float, fix: dict[int, int] | None = None) -> float:
        """Return a lower bound on the total pain of every set within ``budget`` honouring ``fix``.

        The solver's dual bound (``inf`` when no set honours ``fix``): below the least total pain
        up to the solver's tolerances, and far cheaper than :meth:`solve`'s exact, tie-broken plan.
        """
        p = self.p
        constant = p.total_pain((), ~self.varying)
        if self.n == 0:
            return constant + p.total_pain((), self.varying)
        self.allowed = np.array([p.fits(p.closure[i], budget) for i in range(self.n)], dtype=bool)
        if any(v == 1 and not self.allowed[i] for i, v in (fix or {}).items()):
            return math.inf
        budget_row = ({i: float(p.costs[i]) / self.cost_scale for i in range(self.n)},
                      -np.inf, (budget + p.cost_tol()) / self.cost_scale)
        self.fixed_rows = [budget_row]
        res = self._solve(self.pain_obj, [], dict(fix or {}))
        if res.status == 2:
            return math.inf
        if res.status != 0:
            raise CxGraphError(f"the plan could not be solved: {res.message}")
        dual = getattr(res, "mip_dual_bound", None)
        value = float(res.fun if dual is None or not np.isfinite(dual) else min(dual, res.fun))
        return constant + value / _SCALE * self.pain_scale

    # ------------------------------------------------------------------ steps
    def _lexicographic(self, bounds: list, witness: set[int]) -> list[int]:
        order = sorted(range(self.n), key=lambda i: self.p.ids[i])
        fix: dict[int, int] = dict(self.base_fix)
        included: list[int] = []
        pos = 0
        for _ in range(self.n + 1):
            if self._tie(set(included)):
                return self._sorted(included)
            nxt = next((q for q in range(pos, self.n) if order[q] in witness), None)
            if nxt is None:  # only possible through solver tolerances: keep the last exact witness
                return self._sorted(witness)
            while pos < nxt:
                lower = order[pos: pos + (nxt - pos + 1) // 2]
                at_least_one = ({i: 1.0 for i in lower}, 1.0, np.inf)
                found = self._query(None, [*bounds, at_least_one], fix, check=self._tie)
                if found is None:
                    for i in lower:
                        fix[i] = 0
                    pos += len(lower)
                else:
                    witness = found
                    nxt = next(q for q in range(pos, self.n) if order[q] in witness)
            fix[order[nxt]] = 1
            included.append(order[nxt])
            pos = nxt + 1
        return self._sorted(witness)

    def _query(self, objective: np.ndarray | None, extra: list, fix: dict[int, int], *, check) -> set[int] | None:
        """Solve, round, check exactly; cut off sets that pass only within solver tolerances."""
        for _ in range(_RETRIES):
            x = self._milp(objective, extra + self.cuts, fix)
            if x is None:
                return None
            chosen = {i for i in range(self.n) if x[i] > 0.5}
            if check(chosen):
                return chosen
            self.cuts.append(_no_good(chosen, self.n))
        return None

    def _milp(self, objective: np.ndarray | None, extra: list, fix: dict[int, int]) -> np.ndarray | None:
        res = self._solve(objective, extra, fix)
        if res.status == 2:
            return None
        if res.status != 0 or res.x is None:
            raise CxGraphError(f"the plan could not be solved: {res.message}")
        return np.asarray(res.x)

    def _solve(self, objective: np.ndarray | None, extra: list, fix: dict[int, int]) -> Any:
        lower = np.zeros(self.n_var)
        upper = np.ones(self.n_var)
        lower[self.n + self.n_w:] = self.g_lower
        upper[self.n + self.n_w:] = 1.0
        upper[: self.n][~self.allowed] = 0.0
        for i, v in fix.items():
            lower[i] = upper[i] = v
        integrality = np.zeros(self.n_var)
        integrality[: self.n] = 1
        matrix = self.base
        rows = self.fixed_rows + extra
        extra_matrix = _rows(rows, self.n_var)
        constraints = []
        if matrix is not None:
            constraints.append(LinearConstraint(matrix[0], matrix[1], matrix[2]))
        if extra_matrix is not None:
            constraints.append(LinearConstraint(extra_matrix[0], extra_matrix[1], extra_matrix[2]))
        c = np.zeros(self.n_var) if objective is None else objective * _SCALE
        return milp(c, integrality=integrality, bounds=Bounds(lower, upper), constraints=constraints,
                    options=_OPTIONS)

    # ------------------------------------------------------------------ exact checks
    def _pain(self, chosen: Iterable[int]) -> float:
        return self.p.total_pain(chosen, self.varying)

    def _feasible(self, chosen: set[int]) -> bool:
        p = self.p
        return (p.is_closed(chosen) and p.fits(chosen, self.budget)
                and all((i in chosen) == bool(v) for i, v in self.base_fix.items()))

    def _tie_pain(self, chosen: set[int]) -> bool:
        return self._feasible(chosen) and self._pain(chosen) <= self.p_star + self.p.pain_tol()

    def _tie(self, chosen: set[int]) -> bool:
        return self._tie_pain(chosen) and self.p.cost(chosen) <= self.c_star + self.p.cost_tol()

    def _pain_row(self) -> tuple[dict[int, float], float, float]:
        g0 = self.n + self.n_w
        coefs = {g0 + k: float(v) for k, v in enumerate(self.pain_obj[g0:])}
        return coefs, -np.inf, (self.p_star + self.p.pain_tol()) / self.pain_scale

    def _cost_row(self) -> tuple[dict[int, float], float, float]:
        coefs = {i: float(self.p.costs[i]) / self.cost_scale for i in range(self.n)}
        return coefs, -np.inf, (self.c_star + self.p.cost_tol()) / self.cost_scale

    def _sorted(self, chosen: Iterable[int]) -> list[int]:
        return sorted(chosen, key=lambda i: self.p.ids[i])


def _no_good(chosen: set[int], n: int) -> tuple[dict[int, float], float, float]:
    """Return a row that every choice of the ``n`` initiatives satisfies except exactly ``chosen``."""
    return {i: (1.0 if i in chosen else -1.0) for i in range(n)}, -np.inf, len(chosen) - 1.0


def _rows(rows: Sequence[tuple[dict[int, float], float, float]], n_var: int):
    """Sparse matrix and bounds of ``rows``; a row with no coefficients is ``0 in [lo, hi]``."""
    if not rows:
        return None
    data, cols, ptr = [], [], [0]
    for coefficients, _, _ in rows:
        cols.extend(coefficients)
        data.extend(coefficients.values())
        ptr.append(len(cols))
    matrix = csr_array((np.array(data, dtype=float), np.array(cols, dtype=int), np.array(ptr)),
                       shape=(len(rows), n_var))
    lower = np.array([r[1] for r in rows], dtype=float)
    upper = np.array([r[2] for r in rows], dtype=float)
    return matrix, lower, upper

