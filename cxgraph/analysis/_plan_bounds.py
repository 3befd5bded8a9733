"""Sure bounds on the burden of a structural choice, so that most choices are ruled out unsolved.

The plan tries every choice ``T`` of structural initiatives; for each, the best burden is
``expected_loss(T) + least total pain with T done``. Both parts have lower bounds that cost far
less than solving them, so a choice whose bound already exceeds the best burden found is ruled out
without its expected loss enumerated or its metric plan solved; the plan stays exact.

Expected loss
    Loss is monotone in the set of elements down, so enumerating every failure set of at most
    ``order`` elements of the *universe* (every element that may be down in this architecture)
    gives ``EL`` to within ``[lo, lo + P(|F| > order) * loss(universe)]``
    (:mod:`cxgraph.analysis._risk_truncated` argues the same). The losses are the architecture's
    (its *shape*: what ``adds`` and ``removes`` make it); only the probabilities depend on which
    reliability ``sets`` are chosen, so one enumeration per shape serves all of them.
Total pain
    Elements' exposures (their impact) differ between shapes; the least over every shape, with
    the ``requires`` links dropped and the budget left after the choice's purely structural members,
    gives a programme whose optimum is below the least total pain of every choice that leaves at
    least that budget. Its solver's dual bound is used, less a margin for the solver's tolerances.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np

from ..engine import CompiledModel, run_packed
from ..model import Model, unavailability
from ..model.apply import _best_setting, _q_of
from ._plan_milp import PlanSolver
from ._portfolio import Portfolio
from ._risk_truncated import _tail

__all__ = ["PainBound", "ShapeBound", "shape_bound"]

ORDER = 2
"""Failure sets of at most this many elements are enumerated for the bound on the expected loss."""

MARGIN = 1e-7
"""Share of the total pain now kept as a margin below the solver's dual bound (its tolerances)."""


@dataclass(frozen=True)
class ShapeBound:
    """One architecture's exposures and the losses of its small failure sets.

    ``coef`` is aligned with the portfolio's holders; ``universe`` lists the elements that may be
    down, ``bits`` the failure sets enumerated (one row each) and ``loss`` their losses.
    """

    coef: np.ndarray
    universe: tuple[str, ...]
    current: dict[str, object]
    bits: np.ndarray
    loss: np.ndarray
    all_loss: float

    def q(self, settings: dict[str, list]) -> np.ndarray:
        """Each universe element's unavailability once the reliability ``settings`` (by element) are done."""
        out = np.empty(len(self.universe))
        for k, e in enumerate(self.universe):
            element = self.current[e]
            mine = settings.get(e)
            out[k] = _q_of(_best_setting(element, mine)) if mine else unavailability(element)  # type: ignore[arg-type]
        return out

    def expected_loss_range(self, q: np.ndarray) -> tuple[float, float]:
        """Return ``(lo, hi)`` with ``lo <= expected_loss <= hi`` for the unavailabilities ``q``."""
        if not len(q):
            return 0.0, 0.0
        prob = np.prod(np.where(self.bits, q, 1.0 - q), axis=1)
        lo = float(prob @ self.loss)
        return lo, lo + _tail(q, ORDER) * self.all_loss


def shape_bound(model: Model, c: CompiledModel, base: Portfolio, settable: set[str]) -> ShapeBound:
    """Evaluate the architecture ``model`` (compiled ``c``) for bounds; ``settable``: elements ``sets`` may reach.

    Examples
    --------
    >>> from cxgraph.analysis._portfolio import Portfolio
    >>> from cxgraph.analysis._plan_bounds import shape_bound
    >>> m = cx.examples.load("retail-bank")
    >>> b = shape_bound(m, cx.engine.compile_model(m), Portfolio.from_model(m), set())
    >>> lo, hi = b.expected_loss_range(b.q({}))
    >>> lo <= cx.risk(m).expected_loss <= hi
    True
    """
    elements = {e.id: e for e in model.elements}
    measure = c.measure("interactions")
    coef = base.holder_coef.copy()
    holders = [k for k, h in enumerate(base.holder_ids) if h in elements]
    if holders:
        nodes = np.array([c.node(base.holder_ids[k]) for k in holders], np.int64)
        ptr = np.arange(len(nodes) + 1, dtype=np.int64)
        coef[holders] = run_packed(c, ptr, nodes, np.ones(len(nodes)), measure).impact
    universe = tuple(sorted(e for e, x in elements.items() if e in settable or unavailability(x) > 0))
    k = len(universe)
    combos = [t for m in range(min(ORDER, k) + 1) for t in itertools.combinations(range(k), m)]
    bits = np.zeros((len(combos) + 1, k), dtype=bool)
    for row, t in enumerate(combos):
        bits[row, list(t)] = True
    bits[-1] = True  # every element of the universe down: the most any failure set loses
    ptr = np.zeros(len(bits) + 1, np.int64)
    np.cumsum(bits.sum(axis=1), out=ptr[1:])
    nodes = np.array([c.node(e) for e in universe], np.int64)
    seeds = np.concatenate([nodes[row] for row in bits]) if k else np.zeros(0, np.int64)
    loss = run_packed(c, ptr, seeds, np.ones(len(seeds)), measure).impact
    return ShapeBound(coef, universe, {e: elements[e] for e in universe}, bits[:-1], loss[:-1], float(loss[-1]))


class PainBound:
    """The least total pain within a budget, below that of every shape: a lower bound, cached by budget.

    Examples
    --------
    >>> from cxgraph.analysis._portfolio import Portfolio
    >>> from cxgraph.analysis._plan_bounds import PainBound
    >>> p = Portfolio.from_model(cx.examples.load("retail-bank"))
    >>> PainBound(p, p.holder_coef).at(0.0) <= p.pain_now
    True
    """

    def __init__(self, base: Portfolio, coef: np.ndarray) -> None:
        n = len(base.ids)
        relaxed = replace(base, holder_coef=coef, requires=[()] * n, closure=[frozenset({i}) for i in range(n)])
        object.__setattr__(relaxed, "pain_now", relaxed.total_pain(()))
        self.solver = PlanSolver(relaxed)
        self.margin = MARGIN * max(1.0, base.pain_now)
        self.slack = base.cost_tol()
        self._known: list[tuple[float, float]] = []  # (budget, bound), budgets increasing

    def at(self, budget: float) -> float:
        """Return a lower bound on the total pain of any set of initiatives costing at most ``budget``."""
        for b, value in self._known:
            if b == budget:
                return value
        value = max(0.0, self.solver.least_pain(budget + self.slack) - self.margin)
        self._known.append((budget, value))
        self._known.sort()
        return value

    def known_above(self, budget: float) -> float:
        """Return the best bound already known for ``budget`` (from a larger or equal budget), or ``-inf``."""
        return next((value for b, value in self._known if b >= budget), -math.inf)
