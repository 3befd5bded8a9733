"""The planning problem in arrays: what each initiative does to each metric, and total pain of a set.

:class:`Portfolio` holds everything :mod:`cxgraph.analysis.plan` needs, read once from a model:
the initiatives (sorted by id) with their costs and ``requires`` closures, the metrics with their
actual, target and ``better``, the value each initiative sets each metric to, and the customer
exposure of whatever each metric is of (``weight(t)`` for a touchpoint, ``impact(x)`` for an
element). :meth:`Portfolio.total_pain` evaluates DESIGN.md's ``total_pain`` for any set of
initiatives; it is the reference every optimiser result is checked against.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..model import Model, point
from .gaps import metric_gap, run_impact, touchpoint_weights

__all__ = ["Portfolio", "gap"]

#: Two benefits (or costs) closer than this share of the total pain now (of the total cost) are a tie.
REL_TOL = 1e-9


@dataclass(frozen=True)
class Portfolio:
    """The initiatives and metrics of a model, indexed for planning.

    Initiatives are sorted by id; index ``i`` everywhere means ``ids[i]``. ``options[m]`` maps
    each initiative that improves metric ``m`` to the (best, if listed twice) value it sets.

    Examples
    --------
    >>> from cxgraph.analysis._portfolio import Portfolio
    >>> p = Portfolio.from_model(cx.examples.load("retail-bank"))
    >>> p.ids[:2], p.total_pain(()) == p.pain_now
    (['i-agent-desktop', 'i-aiops'], True)
    """

    ids: list[str]
    names: list[str]
    costs: np.ndarray
    requires: list[tuple[int, ...]]
    closure: list[frozenset[int]]
    metric_ids: list[str]
    actual: np.ndarray
    target: np.ndarray
    higher: np.ndarray
    ideal: np.ndarray
    holder_of: np.ndarray
    holder_ids: list[str]
    holder_coef: np.ndarray
    options: list[dict[int, float]]
    impact: Mapping[str, float] | None = field(default=None, repr=False)
    pain_now: float = field(default=0.0)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_model(cls, model: Model, impact: Mapping[str, float] | None = None) -> Portfolio:
        """Read a checked model; ``impact`` gives each element's customer impact.

        When ``impact`` is None and some element has a metric, :func:`cxgraph.impact` is run.
        """
        weights = touchpoint_weights(model)
        holders = sorted({m.of for m in model.metrics})
        if impact is None and any(h not in weights for h in holders):
            impact = run_impact(model, "interactions").impact
        holder_coef = np.array([weights[h] if h in weights else float((impact or {})[h]) for h in holders])
        holder_index = {h: k for k, h in enumerate(holders)}
        metric_ids = [m.id for m in model.metrics]
        metric_index = {mid: k for k, mid in enumerate(metric_ids)}
        higher = np.array([m.better == "higher" for m in model.metrics], dtype=bool)

        inits = sorted(model.initiatives, key=lambda i: i.id)
        index = {ini.id: k for k, ini in enumerate(inits)}
        options: list[dict[int, float]] = [{} for _ in metric_ids]
        for k, ini in enumerate(inits):
            for imp in ini.improves:
                m = metric_index[imp.metric]
                value = point(imp.to)
                old = options[m].get(k)
                options[m][k] = value if old is None else _best(old, value, bool(higher[m]))
        requires = [tuple(sorted({index[r] for r in ini.requires})) for ini in inits]
        portfolio = cls(
            ids=[i.id for i in inits],
            names=[i.name for i in inits],
            costs=np.array([point(i.cost) for i in inits], dtype=float),
            requires=requires,
            closure=_closures(requires),
            metric_ids=metric_ids,
            actual=np.array([point(m.actual) for m in model.metrics], dtype=float),
            target=np.array([point(m.target) for m in model.metrics], dtype=float),
            higher=higher,
            ideal=np.array([m.ideal_value for m in model.metrics], dtype=float),
            holder_of=np.array([holder_index[m.of] for m in model.metrics], dtype=int),
            holder_ids=holders,
            holder_coef=holder_coef,
            options=options,
            impact=impact,
        )
        object.__setattr__(portfolio, "pain_now", portfolio.total_pain(()))
        return portfolio

    # ------------------------------------------------------------------ evaluating
    def values(self, chosen: Iterable[int]) -> np.ndarray:
        """Each metric's value once the initiatives ``chosen`` are done (the best value counts)."""
        values = self.actual.copy()
        chosen = set(chosen)
        for m, opts in enumerate(self.options):
            mine = [v for i, v in opts.items() if i in chosen]
            if mine:
                values[m] = max(mine) if self.higher[m] else min(mine)
        return values

    def gaps(self, values: np.ndarray) -> np.ndarray:
        """Each metric's gap at ``values``."""
        return np.array([gap(float(v), float(t), float(i))
                         for v, t, i in zip(values, self.target, self.ideal, strict=True)])

    def metric_values(self, chosen: Iterable[int]) -> dict[str, float]:
        """Metric id -> value for the metrics the initiatives ``chosen`` change."""
        values = self.values(chosen)
        return {mid: float(values[m]) for m, mid in enumerate(self.metric_ids) if values[m] != self.actual[m]}

    def holder_gaps(self, chosen: Iterable[int]) -> np.ndarray:
        """Gap of each touchpoint or element with a metric (the largest of its metrics' gaps)."""
        holder_gap = np.zeros(len(self.holder_ids))
        np.maximum.at(holder_gap, self.holder_of, self.gaps(self.values(chosen)))
        return holder_gap

    def total_pain(self, chosen: Iterable[int], holders: np.ndarray | None = None) -> float:
        """DESIGN.md's ``total_pain`` once the initiatives ``chosen`` (indices) are done.

        With ``holders`` (a boolean mask), only those touchpoints' and elements' share of it.
        """
        terms = self.holder_coef * self.holder_gaps(chosen)
        return math.fsum((terms if holders is None else terms[holders]).tolist())

    def cost(self, chosen: Iterable[int]) -> float:
        """Total cost of the initiatives ``chosen``."""
        return math.fsum(float(self.costs[i]) for i in chosen)

    def is_closed(self, chosen: Iterable[int]) -> bool:
        """Whether every initiative ``chosen`` has what it ``requires`` chosen too."""
        chosen = set(chosen)
        return all(set(self.requires[i]) <= chosen for i in chosen)

    def dependents(self, i: int, chosen: Iterable[int]) -> set[int]:
        """``i`` and every initiative in ``chosen`` that requires ``i``, directly or not."""
        return {j for j in chosen if i in self.closure[j]} | {i}

    def pain_tol(self) -> float:
        """Benefits closer than this are a tie."""
        return REL_TOL * max(1.0, self.pain_now)

    def cost_tol(self) -> float:
        """Costs closer than this are a tie (between two sets; the budget itself is a hard limit)."""
        return REL_TOL * max(1.0, math.fsum(self.costs.tolist()))

    def fits(self, chosen: Iterable[int], budget: float) -> bool:
        """Whether the initiatives ``chosen`` cost at most ``budget``, compared exactly (as fractions).

        Examples
        --------
        >>> from cxgraph.analysis._portfolio import Portfolio
        >>> m = cx.Model()
        >>> _ = m.add_initiative("a", "A", cost=0.1)
        >>> _ = m.add_initiative("b", "B", cost=0.2)
        >>> p = Portfolio.from_model(m)
        >>> p.fits([0, 1], 0.3), p.fits([0, 1], 0.30000000000000004)   # 0.1 + 0.2 is just above 0.3
        (False, True)
        """
        return sum((Fraction(float(self.costs[i])) for i in chosen), Fraction(0)) <= Fraction(float(budget))

    def names_of(self, chosen: Sequence[int]) -> list[str]:
        """Return the ids of ``chosen``, sorted."""
        return sorted(self.ids[i] for i in chosen)


def gap(value: float, target: float, ideal: float) -> float:
    """Return a metric's gap at ``value`` (:func:`cxgraph.analysis.gaps.metric_gap`).

    Examples
    --------
    >>> from cxgraph.analysis._portfolio import gap
    >>> gap(5, 2, 0.0)
    0.6
    """
    return metric_gap(value, target, ideal)


def _best(a: float, b: float, higher: bool) -> float:
    return max(a, b) if higher else min(a, b)


def _closures(requires: list[tuple[int, ...]]) -> list[frozenset[int]]:
    """Each initiative with everything it requires, transitively (``requires`` is acyclic)."""
    out: list[frozenset[int] | None] = [None] * len(requires)

    def visit(i: int) -> frozenset[int]:
        stack, seen = [i], {i}
        while stack:
            for j in requires[stack.pop()]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        return frozenset(seen)

    for i in range(len(requires)):
        out[i] = visit(i)
    return [c for c in out if c is not None]
