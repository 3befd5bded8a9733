"""Which initiatives to do for a budget: the plan that removes the most burden, and its frontier.

DESIGN.md section 3 defines every number here. The objective is the burden,
``total_pain + expected_loss`` (interactions per period): ``total_pain`` is customer exposure times
shortfall, ``sum over touchpoints t of weight(t) * gap(t) + sum over elements x of impact(x) * gap(x)``,
and ``expected_loss`` the loss to expect from the estate as it is (:func:`cxgraph.risk`). An
initiative sets metrics (``improves``), sets elements' reliability (``sets``), adds elements and
links (``adds``) and removes links (``removes``); the benefit of a set is the burden it removes,
computed on the changed model. The plan for a budget is the set of largest benefit whose cost fits
the budget and that holds everything its members ``require``; ties go to the lower cost, then to the
lexicographically smallest sorted list of ids. For each choice of structural initiatives the metric
plan is found exactly with a mixed-integer programme (:mod:`cxgraph.analysis._plan_milp`), and every
structural choice is tried (:mod:`cxgraph.analysis._plan_structure`). Burdens that differ by less
than a billionth of the burden now, and costs that differ by less than a billionth of the total
cost, count as ties (floating-point noise, not a difference).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ..model import Model
from ..model.estate import needs_model
from ._plan_breaches import BreachPlanResult
from ._plan_structure import MAX_STRUCTURAL, Structures
from ._portfolio import Portfolio
from ._result import Result
from .coverage import coverage_notes
from .gaps import pain_measure, total_pain

__all__ = ["FrontierResult", "PlanResult", "plan", "plan_frontier"]


@dataclass(frozen=True, repr=False, eq=False)
class PlanResult(Result):
    """The plan for one budget: what to do, what it costs, and the burden before and after.

    Attributes
    ----------
    budget, chosen, cost, benefit
        As named; ``chosen`` is the sorted tuple of initiative ids; ``benefit`` is the burden removed.
    burden_before, burden_after
        ``total_pain + expected_loss`` before and after the plan (interactions per period).
    total_pain_before, total_pain_after, expected_loss_before, expected_loss_after
        The two parts of the burden.
    exact
        Whether the plan is proven best (``False`` only when too many structural initiatives fit
        the budget to try every combination; ``notes`` then says what was searched).
    burden_bound
        Where the plan is not proven best: a burden no plan for the budget goes below (``None``
        when ``exact``); the plan's ``burden_after`` is within ``burden_after - burden_bound`` of the best.
    notes
        Plain statements about the input that affect the answer (an initiative that costs more
        than the budget, a model with no metrics, ...).
    pain_before_parts, pain_after_parts
        Total pain before and after split into ``customer`` and ``it`` sides, with ``total``.
    initiatives
        One row per initiative: id, name, cost, chosen, requires, changes (what it changes, in
        words), benefit_alone (the benefit of doing it with what it requires and nothing else),
        cost_alone (the cost of that).
    metrics
        One row per metric: id, of, better, actual, target, after, gap_before, gap_after, set_by.

    Examples
    --------
    >>> result = cx.plan(cx.examples.load("retail-bank"), budget=500_000)
    >>> result.cost <= 500_000 and result.benefit > 0
    True
    >>> abs(result.burden_before - result.burden_after - result.benefit) < 1e-6
    True
    """

    model_name: str
    budget: float
    chosen: tuple[str, ...]
    cost: float
    benefit: float
    burden_before: float
    burden_after: float
    total_pain_before: float
    total_pain_after: float
    expected_loss_before: float
    expected_loss_after: float
    exact: bool
    notes: tuple[str, ...]
    _initiatives: pd.DataFrame
    _metrics: pd.DataFrame
    pain_before_parts: Mapping[str, float]
    pain_after_parts: Mapping[str, float]
    currency: str | None = None
    burden_bound: float | None = None

    title = "Plan"

    @property
    def initiatives(self) -> pd.DataFrame:
        """Every initiative with its cost, whether chosen, and its benefit on its own."""
        return self._initiatives.copy()

    @property
    def metrics(self) -> pd.DataFrame:
        """Every metric's value and gap before and after the plan."""
        return self._metrics.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return the initiatives table: chosen ones first, then by id."""
        return self.initiatives

    def to_dict(self) -> dict[str, Any]:
        """Return the plan as plain data (``chosen_ids``, ``cost``, ``benefit``, ``burden_before``, ...)."""
        return {
            "model": self.model_name,
            "measure": "interactions",
            "budget": self.budget,
            "chosen_ids": list(self.chosen),
            "cost": self.cost,
            "benefit": self.benefit,
            "exact": self.exact,
            "burden_bound": self.burden_bound,
            "burden_before": self.burden_before,
            "burden_after": self.burden_after,
            "total_pain_before": self.total_pain_before,
            "total_pain_after": self.total_pain_after,
            "expected_loss_before": self.expected_loss_before,
            "expected_loss_after": self.expected_loss_after,
            "total_pain_parts": {"before": dict(self.pain_before_parts), "after": dict(self.pain_after_parts)},
            "notes": list(self.notes),
            "initiatives": self._initiatives,
            "metrics": self._metrics,
        }

    def __repr__(self) -> str:
        lines = [f"Plan for a budget of {_num(self.budget)}: {len(self.chosen)} initiative(s), "
                 f"cost {_num(self.cost)}, benefit {_num(self.benefit)} "
                 f"(burden {_num(self.burden_before)} -> {_num(self.burden_after)})"]
        lines += [f"  {i}" for i in self.chosen]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True, repr=False, eq=False)
class FrontierResult(Result):
    """Benefit against budget, and what each chosen initiative adds per unit of cost.

    Attributes
    ----------
    plans
        The :class:`PlanResult` for each budget, in increasing budget order.
    marginals
        One row per budget and chosen initiative: budget, id, name, cost (of it and of the chosen
        initiatives that require it, which go with it), marginal_benefit (the benefit lost if
        they are dropped from that plan), benefit_per_cost, drops (the ids that go with it).
    notes
        Plain statements, e.g. an initiative that costs more than every budget.

    Examples
    --------
    >>> frontier = cx.plan_frontier(cx.examples.load("retail-bank"), budgets=[0, 5e5, 1e6])
    >>> list(frontier.to_frame()["benefit"].diff().dropna() >= 0)
    [True, True]
    """

    model_name: str
    plans: tuple[PlanResult, ...]
    notes: tuple[str, ...]
    _marginals: pd.DataFrame
    currency: str | None = None

    title = "Plan frontier"

    @property
    def budgets(self) -> list[float]:
        """The budgets, increasing."""
        return [p.budget for p in self.plans]

    @property
    def marginals(self) -> pd.DataFrame:
        """Each chosen initiative's marginal benefit and benefit per cost, budget by budget."""
        return self._marginals.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return one row per budget: cost, benefit, total pain after, what is chosen, added and dropped.

        ``added`` and ``dropped`` compare with the previous (smaller) budget: the best plans for two
        budgets need not be nested. ``benefit_per_extra_cost`` is the extra benefit over the extra cost.
        """
        rows, previous = [], None
        for p in self.plans:
            added = sorted(set(p.chosen) - set(previous.chosen)) if previous else list(p.chosen)
            dropped = sorted(set(previous.chosen) - set(p.chosen)) if previous else []
            slope = math.nan
            if previous is not None and p.cost != previous.cost:
                slope = (p.benefit - previous.benefit) / (p.cost - previous.cost)
            rows.append({"budget": p.budget, "cost": p.cost, "benefit": p.benefit,
                         "burden_after": p.burden_after, "n_chosen": len(p.chosen),
                         "chosen": ", ".join(p.chosen), "added": ", ".join(added), "dropped": ", ".join(dropped),
                         "benefit_per_extra_cost": slope})
            previous = p
        return pd.DataFrame(rows, columns=["budget", "cost", "benefit", "burden_after", "n_chosen", "chosen",
                                           "added", "dropped", "benefit_per_extra_cost"])

    def to_dict(self) -> dict[str, Any]:
        """Return every plan, the marginals and the notes as plain data."""
        return {
            "model": self.model_name,
            "measure": "interactions",
            "burden_before": self.plans[0].burden_before,
            "plans": [{k: v for k, v in p.to_dict().items() if k in (
                "budget", "chosen_ids", "cost", "benefit", "exact", "burden_bound", "burden_after")}
                for p in self.plans],
            "marginals": self._marginals,
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------------- API
def _interactions_only(measure: Any) -> None:
    """Refuse every measure but interactions: plans are defined in it only (DESIGN §3)."""
    pain_measure(measure)  # customers and revenue: the message pain gives
    if not (isinstance(measure, str) and measure == "interactions"):
        raise AnalysisInputError(f"plans are defined in the interactions measure only (DESIGN §3), got measure="
                                 f"{measure!r}: use measure='interactions'")


def plan(model: Model, *, budget: float | None = None, objective: str = "burden",
         scenarios: Any = None, measure: str = "interactions") -> PlanResult | BreachPlanResult:
    """Return the best set of initiatives for ``budget`` (DESIGN.md, "Total pain and planning").

    Parameters
    ----------
    model
        The model; it is checked first (``requires`` naming an unknown initiative, itself, or
        forming a cycle is reported there as a :class:`~cxgraph.ModelError`).
    budget
        The most the chosen initiatives may cost together: a finite number >= 0 (for
        ``objective="breaches"``, optional: no limit by default).
    objective
        ``"burden"`` (default): the set of largest benefit. ``"breaches"``: the cheapest set that
        brings every journey within its impact tolerance under ``scenarios`` (see
        :func:`~cxgraph.resilience`; default the model's); it returns a
        :class:`~cxgraph.analysis._plan_breaches.BreachPlanResult`.
    measure
        ``"interactions"``, the only measure plans are defined in (DESIGN §3); the others are
        refused, saying so.

    Returns
    -------
    PlanResult

    Raises
    ------
    AnalysisInputError
        If ``budget`` is negative, NaN, infinite or not a number.

    Examples
    --------
    >>> model = cx.examples.load("retail-bank")
    >>> result = cx.plan(model, budget=300_000)
    >>> result.to_dict()["chosen_ids"] == sorted(result.chosen)
    True
    >>> fix = cx.plan(model, objective="breaches")  # the cheapest set against breaches of tolerance
    >>> fix.chosen, fix.breaches_before[0]
    (('i-core-active-active',), ('card-processor-outage', 'card-help'))
    >>> cx.plan(model, budget=-1)
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: budget must be a finite number >= 0, got -1
    """
    needs_model(model, "cx.plan")
    _interactions_only(measure)
    if objective == "breaches":
        from ._plan_breaches import plan_breaches

        return plan_breaches(model, budget=budget, scenarios=scenarios)
    if objective != "burden":
        raise AnalysisInputError(f"objective must be 'burden' or 'breaches', got {objective!r}")
    if scenarios is not None:
        raise AnalysisInputError("scenarios= applies only to objective='breaches'")
    value = _budget(budget)
    model.check()
    return _plan(model, Structures(model), value)


def plan_frontier(model: Model, *, budgets: Iterable[float], measure: str = "interactions") -> FrontierResult:
    """Return the plan for each of ``budgets``, and each chosen initiative's benefit per cost.

    Budgets are reported in increasing order (duplicates once). An initiative's marginal
    benefit in a plan is the benefit lost if it is dropped together with the chosen initiatives
    that require it; its benefit per cost divides that by their cost. ``measure`` is
    ``"interactions"``, as for :func:`plan`.

    Examples
    --------
    >>> frontier = cx.plan_frontier(cx.examples.load("retail-bank"), budgets=[1e6, 2e5])
    >>> frontier.budgets
    [200000.0, 1000000.0]
    >>> bool((frontier.marginals["marginal_benefit"] >= 0).all())
    True
    """
    _interactions_only(measure)
    if isinstance(budgets, str | bytes) or not isinstance(budgets, Iterable):
        raise AnalysisInputError(f"budgets must be a list of numbers, got {budgets!r}")
    values = sorted({_budget(b) for b in budgets})
    if not values:
        raise AnalysisInputError("budgets is empty: give at least one budget")
    model.check()
    structures = Structures(model)
    portfolio = structures.base
    plans = tuple(_plan(model, structures, b, largest=values[-1]) for b in values)
    rows = []
    for p in plans:
        chosen = [portfolio.ids.index(i) for i in p.chosen]
        for i in chosen:
            drops = portfolio.dependents(i, chosen)
            rest = [j for j in chosen if j not in drops]
            gain = structures.burden(rest) - structures.burden(chosen)
            cost = portfolio.cost(drops)
            rows.append({"budget": p.budget, "id": portfolio.ids[i], "name": portfolio.names[i], "cost": cost,
                         "marginal_benefit": gain, "benefit_per_cost": gain / cost if cost > 0 else math.nan,
                         "drops": ", ".join(portfolio.names_of(drops - {i}))})
    marginals = pd.DataFrame(rows, columns=["budget", "id", "name", "cost", "marginal_benefit", "benefit_per_cost",
                                            "drops"])
    notes = tuple(dict.fromkeys(n for p in plans for n in p.notes))
    return FrontierResult(model.name, plans, notes, marginals, model.currency)


# ---------------------------------------------------------------------------------------------- helpers
def _budget(budget: Any) -> float:
    if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
        raise AnalysisInputError(f"budget must be a finite number >= 0, got {budget!r}")
    value = float(budget)
    if not math.isfinite(value) or value < 0:
        raise AnalysisInputError(f"budget must be a finite number >= 0, got {budget!r}")
    return value


def _plan(model: Model, structures: Structures, budget: float, largest: float | None = None) -> PlanResult:
    chosen, variant, complete = structures.best(budget)
    now = structures.variant(frozenset())
    p = variant.portfolio
    before = total_pain(model, impact=now.portfolio.impact)
    after = total_pain(model, p.metric_values(chosen), impact=p.impact)
    burden_before = float(before) + now.expected_loss
    burden_after = float(after) + variant.expected_loss
    values_after = p.values(chosen)
    gaps_before, gaps_after = p.gaps(p.actual), p.gaps(values_after)
    chosen_set = set(chosen)
    by_id = {i.id: i for i in model.initiatives}
    rows = []
    for i, iid in enumerate(p.ids):
        alone = p.closure[i]
        rows.append({"id": iid, "name": p.names[i], "cost": float(p.costs[i]), "chosen": i in chosen_set,
                     "requires": ", ".join(p.names_of(p.requires[i])), "changes": "; ".join(by_id[iid].changes()),
                     "benefit_alone": burden_before - structures.burden(alone), "cost_alone": p.cost(alone)})
    initiatives = pd.DataFrame(rows, columns=["id", "name", "cost", "chosen", "requires", "changes", "benefit_alone",
                                              "cost_alone"])
    initiatives = initiatives.sort_values(["chosen", "id"], ascending=[False, True], kind="stable")
    metric_rows = []
    for m, mid in enumerate(p.metric_ids):
        setters = [i for i, v in p.options[m].items() if i in chosen_set and v == values_after[m]]
        metric_rows.append({"id": mid, "of": p.holder_ids[p.holder_of[m]],
                            "better": "higher" if p.higher[m] else "lower", "actual": float(p.actual[m]),
                            "target": float(p.target[m]), "after": float(values_after[m]),
                            "gap_before": float(gaps_before[m]), "gap_after": float(gaps_after[m]),
                            "set_by": ", ".join(p.names_of(setters))})
    metrics = pd.DataFrame(metric_rows, columns=["id", "of", "better", "actual", "target", "after", "gap_before",
                                                 "gap_after", "set_by"])
    notes = _notes(model, p, budget, largest)
    bound = None
    if not complete:
        bound = min(structures.lower_bound(budget), burden_after)
        notes.append(f"more than {MAX_STRUCTURAL} initiatives that change the architecture fit the budget: every "
                     "combination of up to two of them was tried and the best grown one at a time, so the plan is "
                     f"the best found, not proven best: no plan has a burden below {_num(bound)} (this one "
                     f"{_num(burden_after)})")
    return PlanResult(model.name, budget, tuple(p.names_of(chosen)), p.cost(chosen), burden_before - burden_after,
                      burden_before, burden_after, float(before), float(after), now.expected_loss,
                      variant.expected_loss, complete,
                      tuple(notes), initiatives.reset_index(drop=True), metrics,
                      MappingProxyType(before.to_dict()), MappingProxyType(after.to_dict()), model.currency, bound)


def _notes(model: Model, p: Portfolio, budget: float, largest: float | None) -> list[str]:
    notes = coverage_notes(model)
    if not model.metrics:
        notes.append("the model has no metrics: total pain is 0, so only initiatives that lower the expected loss "
                     "have a benefit (add metrics with actual and target values to plan for them)")
    elif p.pain_now == 0:
        notes.append("total pain is 0 (every metric meets its target, or nothing with a gap has customer "
                     "exposure): only initiatives that lower the expected loss have a benefit")
    if not p.ids:
        notes.append("the model has no initiatives: there is nothing to choose")
    limit, what = (budget, "the budget") if largest is None else (largest, "every budget")
    for i, iid in enumerate(p.ids):
        if p.costs[i] > limit:
            notes.append(f"initiative {iid!r} costs {_num(p.costs[i])}, more than {what} "
                         f"({_num(limit)}): it cannot be chosen")
        elif p.cost(p.closure[i]) > limit:
            needed = ", ".join(repr(x) for x in p.names_of(p.closure[i] - {i}))
            notes.append(f"initiative {iid!r} costs {_num(p.costs[i])}, but with what it requires ({needed}) "
                         f"{_num(p.cost(p.closure[i]))}, more than {what} ({_num(limit)}): it cannot be chosen")
    structural = {i.id for i in model.initiatives if i.structural}
    for i, iid in enumerate(p.ids):
        if not any(i in opts for opts in p.options) and iid not in structural:
            notes.append(f"initiative {iid!r} improves no metric and changes nothing: it has no benefit of its own")
    return notes


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.4g}"
