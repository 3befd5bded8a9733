"""Plans with initiatives that change the architecture: one exact metric plan per structural choice.

An initiative is *structural* when it sets an element's reliability, adds elements or links,
or removes links. The burden of a set ``S`` of initiatives (DESIGN §3) is
``total_pain + expected_loss`` of the model with ``S`` applied. Once the structural members
``T`` of ``S`` are fixed, the model's structure is fixed: impact and expected loss come from
the model with ``T`` applied, and what is left is the metric plan, which
:class:`~cxgraph.analysis._plan_milp.PlanSolver` solves exactly with ``T`` forced in and every
other structural initiative forced out. The plan is the best over every ``T`` within the
budget: benefits of structural initiatives are computed on the changed model, never added up.
Up to :data:`MAX_STRUCTURAL` structural initiatives every ``T`` is accounted for: cheapest
first, each either ruled out by sure lower bounds on its expected loss and total pain
(:mod:`cxgraph.analysis._plan_bounds`) or solved. Beyond that the search tries every ``T`` of
at most two and then grows the best greedily, says so, and gives a bound no plan goes below.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from ..engine import compile_model, run_packed
from ..engine.compile import _build
from ..model import Model, apply_initiatives, unavailability
from ._plan_bounds import PainBound, ShapeBound, shape_bound
from ._plan_milp import PlanSolver
from ._portfolio import Portfolio

__all__ = ["MAX_STRUCTURAL", "Bounder", "Structures", "Variant"]

MAX_STRUCTURAL = 12
"""Structural initiatives up to which every combination of them is tried (2^12 = 4,096)."""

MAX_ENUMERATED = 16
"""Elements that can fail up to which the expected loss of a variant is summed over every failure set."""


@dataclass(frozen=True)
class Variant:
    """The model with one set of structural initiatives applied: its metric portfolio and expected loss."""

    structural: frozenset[int]
    portfolio: Portfolio
    expected_loss: float

    def burden(self, chosen: Iterable[int]) -> float:
        """Return ``total_pain + expected_loss`` once ``chosen`` (which holds ``structural``) are done."""
        return self.portfolio.total_pain(chosen) + self.expected_loss


class Structures:
    """Every structural choice of a model, evaluated once each and cached.

    Examples
    --------
    >>> from cxgraph.analysis._plan_structure import Structures
    >>> s = Structures(cx.examples.load("retail-bank"))
    >>> [s.base.ids[i] for i in s.structural][:2]
    ['i-core-active-active', 'i-identity-ha']
    >>> s.variant(frozenset()).expected_loss > 0
    True
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.base = Portfolio.from_model(model)
        by_id = {i.id: i for i in model.initiatives}
        self.structural = [k for k, iid in enumerate(self.base.ids) if by_id[iid].structural]
        self._cache: dict[frozenset[int], Variant] = {}
        self._shapes: dict[frozenset[int], tuple[Any, dict[str, float]]] = {}
        self._losses: dict[tuple[frozenset[int], tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}
        by_index = [by_id[iid] for iid in self.base.ids]
        self._reshapes = frozenset(k for k in self.structural if by_index[k].removes or by_index[k].adds)
        # Only what changes the architecture is applied to evaluate a structure (metrics are the portfolio's).
        self._bare = model.model_copy(update={"initiatives": [
            by_index[k].model_copy(update={"requires": [], "improves": []}) for k in self.structural]})
        self._bare._cache = {}
        self.evaluated = 0
        self.ruled_out = 0  # structural choices the last search ruled out by their bounds alone
        self._bounder: Bounder | None = None

    def structure_of(self, chosen: Iterable[int]) -> frozenset[int]:
        """Return the structural members of ``chosen``."""
        return frozenset(i for i in chosen if i in set(self.structural))

    def variant(self, structural: frozenset[int]) -> Variant:
        """Return the model with the structural initiatives ``structural`` applied, evaluated."""
        found = self._cache.get(structural)
        if found is not None:
            return found
        # Links and elements (the shape) decide impact and the loss of each failure set; reliability only
        # decides how likely each failure set is. So the shape's work is done once and shared.
        shape = structural & self._reshapes
        compiled, element_impact = self._shape(shape)
        changed = self._apply(structural) if structural - shape else None
        q = {e.id: unavailability(e) for e in (changed or self._apply(shape) or self.model).elements}
        portfolio = Portfolio.from_model(self.model, impact=element_impact)
        variant = Variant(structural, portfolio, self._expected_loss(shape, compiled, q, changed))
        self._cache[structural] = variant
        self.evaluated += 1
        return variant

    def _apply(self, structural: frozenset[int]) -> Any:
        if not structural:
            return None
        changed = apply_initiatives(self._bare, [self.base.ids[i] for i in sorted(structural)])
        changed.initiatives = []  # only the structure matters here; the metric plan is the base's
        return changed

    def _shape(self, shape: frozenset[int]) -> tuple[Any, dict[str, float]]:
        found = self._shapes.get(shape)
        if found is None:
            model = self._apply(shape) or self.model
            c = compile_model(model)
            # only the impact of elements with metrics enters total pain
            elements = {e.id for e in model.elements}
            holders = [h for h in self.base.holder_ids if h in elements]
            nodes = np.array([c.node(h) for h in holders], np.int64)
            loss = run_packed(c, np.arange(len(holders) + 1, dtype=np.int64), nodes, np.ones(len(holders)),
                              c.measure("interactions")).impact
            found = (c, dict(zip(holders, loss.tolist(), strict=True)))
            self._shapes[shape] = found
        return found

    def _expected_loss(self, shape: frozenset[int], c: Any, q: dict[str, float], changed: Any) -> float:
        """Sum P(F) loss(F) over every failure set, the losses shared by every variant of one shape."""
        down = tuple(sorted(e for e, v in q.items() if v > 0))
        if len(down) > MAX_ENUMERATED:
            model = changed if changed is not None else (self._apply(shape) or self.model)
            return float(importlib.import_module("cxgraph.analysis.risk").expected_loss(model))
        key = (shape, down)
        if key not in self._losses:
            nodes = np.array([c.node(e) for e in down], dtype=np.int64)
            sets = np.arange(2 ** len(down), dtype=np.int64)
            bits = ((sets[:, None] >> np.arange(len(down))) & 1).astype(bool)
            ptr = np.zeros(len(sets) + 1, np.int64)
            ptr[1:] = np.cumsum(bits.sum(axis=1))
            seeds = np.concatenate([nodes[row] for row in bits]) if down else np.zeros(0, np.int64)
            loss = run_packed(c, ptr, seeds, np.ones(len(seeds)), c.measure("interactions")).impact
            self._losses[key] = (bits, loss)
        bits, loss = self._losses[key]
        qs = np.array([q[e] for e in down])
        return float(np.prod(np.where(bits, qs, 1.0 - qs), axis=1) @ loss)

    def burden(self, chosen: Iterable[int]) -> float:
        """Return the burden once ``chosen`` are done (DESIGN §3)."""
        chosen = set(chosen)
        return self.variant(self.structure_of(chosen)).burden(chosen)

    # ------------------------------------------------------------------ search
    def fix_for(self, structural: frozenset[int]) -> dict[int, int] | None:
        """Return what the metric plan must honour with ``structural`` chosen (``None``: not closed)."""
        p = self.base
        forced_in = set().union(*(p.closure[i] for i in structural)) if structural else set()
        forced_out = set(self.structural) - structural
        if forced_in & forced_out:
            return None
        out = {j for j in range(len(p.ids)) if p.closure[j] & forced_out}
        if forced_in & out:
            return None
        return {**dict.fromkeys(out, 0), **dict.fromkeys(forced_in, 1)}

    def candidates(self, budget: float) -> tuple[list[frozenset[int]], bool]:
        """Return the structural choices to try within ``budget``, and whether they are all of them."""
        p = self.base
        fits = [i for i in self.structural if p.fits(p.closure[i], budget)]
        if len(fits) <= MAX_STRUCTURAL:
            sets = [frozenset(c) for r in range(len(fits) + 1) for c in itertools.combinations(fits, r)]
            return [s for s in sets if p.fits(set().union(*(p.closure[i] for i in s)) if s else (), budget)], True
        return [frozenset(c) for r in range(3) for c in itertools.combinations(fits, r)], False

    def best(self, budget: float) -> tuple[list[int], Variant, bool]:
        """Return the plan for ``budget``, the variant it lives in, and whether the search was complete."""
        options, complete = self.candidates(budget)
        best: tuple[float, float, list[str], list[int], Variant] | None = None
        tol_burden = 1e-9 * max(1.0, self.variant(frozenset()).burden(()))
        tol_cost = self.base.cost_tol()

        def consider(structural: frozenset[int]) -> None:
            nonlocal best
            fix = self.fix_for(structural)
            if fix is None:
                return
            v = self.variant(structural)
            chosen = PlanSolver(v.portfolio).solve(budget, fix)
            if chosen is None:
                return
            key = (v.burden(chosen), self.base.cost(chosen), sorted(self.base.ids[i] for i in chosen))
            if best is None or _better(key, best[:3], tol_burden, tol_cost):
                best = (*key, chosen, v)

        bounds = self._bounds(options) if complete and len(options) > 2 else None
        self.ruled_out = 0
        if bounds is None:
            for structural in options:
                consider(structural)
        else:
            consider(frozenset())
            for structural in sorted(options, key=lambda t: (self.base.cost(t), self.names(t))):
                if structural and not (best is not None and bounds.rules_out(structural, budget, best[0] + tol_burden)):
                    consider(structural)
            self.ruled_out = bounds.ruled_out
        if not complete and best is not None:  # grow the best choice one structural initiative at a time
            improved = True
            while improved:
                improved = False
                current = self.structure_of(best[3])
                for i in self.structural:
                    if i not in current:
                        before = best
                        consider(current | {i})
                        improved = improved or best is not before
        assert best is not None  # the empty structural choice always fits
        return best[3], best[4], complete

    def lower_bound(self, budget: float) -> float:
        """Return a burden below that of every plan for ``budget``: the bound of a search not proven best.

        Total pain is bounded with the exposure of every element whose impact some structural
        initiative could change set to 0 (those a changed link's owner, or an added link's target,
        depends on), and the expected loss by its value with every reliability ``sets`` applied
        when no initiative changes links, else by 0.
        """
        graph = self.model.to_networkx()
        by_id = {i.id: i for i in self.model.initiatives}
        inits = [by_id[self.base.ids[k]] for k in self.structural]
        ends = {ref.source for i in inits for ref in i.removes}
        ends |= {x for i in inits if i.adds for link in i.adds.links for x in (link.source, link.element)}
        reached = set(ends).union(*(nx.descendants(graph, e) for e in ends if e in graph))
        coef = self.base.holder_coef.copy()
        elements = {e.id for e in self.model.elements}
        coef[[k for k, h in enumerate(self.base.holder_ids) if h in elements and h in reached]] = 0.0
        pain = PainBound(self.base, coef).at(budget)
        if self._reshapes:
            return pain
        every = [k for k in self.structural if self.base.costs[k] <= budget]
        return pain + self.variant(frozenset(every)).expected_loss

    def names(self, chosen: Iterable[int]) -> list[str]:
        """Return the sorted ids of ``chosen``."""
        return sorted(self.base.ids[i] for i in chosen)

    def _bounds(self, options: list[frozenset[int]]) -> Bounder | None:
        """Return the bounds that rule choices out, or ``None`` where they cannot be relied on."""
        if self._bounder is None:
            self._bounder = Bounder(self)
        bounder = self._bounder
        for shape in sorted({t & self._reshapes for t in options} - set(bounder.shapes), key=self.names):
            if not bounder.add_shape(shape):
                return None
        bounder.ruled_out = 0
        return bounder


class Bounder:
    """Rules out structural choices whose burden is sure to exceed the best one found (:mod:`._plan_bounds`)."""

    def __init__(self, structures: Structures) -> None:
        self.s = structures
        by_id = {i.id: i for i in structures.model.initiatives}
        self.initiatives = [by_id[iid] for iid in structures.base.ids]
        self.settable = {x.element for k in structures.structural for x in self.initiatives[k].sets}
        self.shapes: dict[frozenset[int], ShapeBound] = {}
        self.pain: PainBound | None = None
        self.ruled_out = 0

    def add_shape(self, shape: frozenset[int]) -> bool:
        """Evaluate one architecture; ``False`` when its expected loss would not be enumerated exactly.

        The bound on total pain covers every architecture added so far, so it is worked out anew.
        """
        model = self.s._apply(shape) or self.s.model
        # The model and each initiative are checked; a combination can only break a redundancy group.
        touched = {ref.source for k in shape for ref in self.initiatives[k].removes}
        sound = all(_groups_sound(x) for x in [*model.touchpoints, *model.elements] if x.id in touched)
        c = _build(model, check=False) if sound else compile_model(model)
        bound = shape_bound(model, c, self.s.base, self.settable)
        if len(bound.universe) > MAX_ENUMERATED:
            return False
        self.shapes[shape] = bound
        self.pain = None
        return True

    def rules_out(self, structural: frozenset[int], budget: float, threshold: float) -> bool:
        """Whether every plan with just the structural initiatives ``structural`` has a burden above ``threshold``."""
        s = self.s
        if self.pain is None:
            self.pain = PainBound(s.base, np.minimum.reduce([b.coef for b in self.shapes.values()]))
        shape = self.shapes[structural & s._reshapes]
        settings: dict[str, list] = {}
        for k in sorted(structural, key=lambda i: s.base.ids[i]):
            for x in self.initiatives[k].sets:
                settings.setdefault(x.element, []).append(x)
        lo, _ = shape.expected_loss_range(shape.q(settings))
        closure = set().union(*(s.base.closure[k] for k in structural))
        left = budget - s.base.cost(k for k in closure if not self.initiatives[k].improves)
        if lo + self.pain.known_above(left) > threshold or lo + self.pain.at(left) > threshold:
            self.ruled_out += 1
            return True
        return False


def _groups_sound(item: Any) -> bool:
    """Whether every redundancy group ``item`` needs still has as many links as it needs."""
    counts: dict[str, int] = {}
    for d in item.depends_on:
        if d.group is not None:
            counts[d.group] = counts.get(d.group, 0) + 1
    return all(counts.get(group, 0) >= k for group, k in item.needs.items())


def _better(key: tuple, other: tuple, tol_burden: float, tol_cost: float) -> bool:
    """Lower burden; ties (within tolerance) to the lower cost, then to the smaller sorted id list."""
    if key[0] < other[0] - tol_burden:
        return True
    if key[0] > other[0] + tol_burden:
        return False
    if key[1] < other[1] - tol_cost:
        return True
    if key[1] > other[1] + tol_cost:
        return False
    return key[2] < other[2]
