"""Report sections about what to do: priorities, and the plan for a budget with its frontier."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..model import point
from ._page import Column, esc, section, table
from ._sections import TOP_ROWS, Context, num, producer, share

__all__ = ["default_budget", "plan_for", "plan_section", "priorities_section"]


def _gap(value: Any) -> str:
    return share(value) if value else "–"


def priorities_section(ctx: Context) -> str | None:
    """Return the capabilities ranked by priority score, every component beside the score."""
    priorities = producer("priorities")
    if priorities is None or not ctx.model.capabilities:
        return None
    result = priorities(ctx.model, measure=ctx.measure)
    frame = result.capabilities()
    shown = frame.head(TOP_ROWS)
    columns = [Column("rank", "Rank", numeric=True), Column("name", "Capability", sub="id", css="name"),
               Column("score", "Score", fmt=lambda v: f"{float(v):.3f}", numeric=True, css="score"),
               Column("impact_share", "Impact share", fmt=share, numeric=True),
               Column("pain_share", "Pain share", fmt=share, numeric=True),
               Column("own_gap", "Own gap", fmt=_gap, numeric=True),
               Column("effort", "Effort", fmt=num, numeric=True),
               Column("why", "Why", css="why")]
    notes = "".join(f"<li>{esc(n)}</li>" for n in getattr(result, "notes", ()))
    body = table(shown, columns, table_id="table-priorities")
    if len(frame) > len(shown):
        body += f'<p class="more">… and {len(frame) - len(shown)} more (all in <code>cx.priorities(model)</code>).</p>'
    if notes:
        body += f'<ul class="more">{notes}</ul>'
    note = (f"What to improve first: <code>{esc(result.formula)}</code>. Impact share is the share of all customer "
            "interactions lost if the capability fails; pain share the share of customer pain (interactions "
            "times experience gap) it sits behind; own gap the largest shortfall of its elements' own metrics.")
    return section("priorities", "Priorities", note, body)


def default_budget(ctx: Context) -> float:
    """Half the cost of all initiatives (the report's budget when none is given)."""
    return math.fsum(point(i.cost) for i in ctx.model.initiatives) / 2


def plan_for(ctx: Context) -> Any:
    """Return the plan for the report's budget, or ``None`` without initiatives or a planner."""
    plan = producer("plan")
    if plan is None or not ctx.model.initiatives:
        return None
    budget = ctx.budget if ctx.budget is not None else default_budget(ctx)
    return plan(ctx.model, budget=budget)


def plan_section(ctx: Context, plan: Any) -> str | None:
    """Return the plan for the budget (every initiative, chosen or not), and benefit against budget."""
    if plan is None:
        return None
    before = plan.total_pain_before
    frame = plan.initiatives.sort_values(["chosen", "benefit_alone", "id"], ascending=[False, False, True],
                                         kind="stable")
    frame = frame.assign(chosen_text=["yes" if c else "" for c in frame["chosen"]],
                         requires_text=[_names(ctx, r) for r in frame["requires"]])
    columns = [Column("chosen_text", "In plan", fmt=lambda v: f'<span class="yes">{esc(v)}</span>' if v else "",
                      html=True),
               Column("name", "Initiative", sub="id", css="name"), Column("cost", "Cost", fmt=num, numeric=True),
               Column("benefit_alone", "Benefit on its own", fmt=num, numeric=True, bar=True),
               Column("requires_text", "Requires")]
    spent = f"{len(plan.chosen)} of {len(frame)} initiatives, cost {num(plan.cost)} of a budget of {num(plan.budget)}"
    removed = share(plan.benefit / before) if before > 0 else "0%"
    how = "" if ctx.budget is not None else \
        " (half the cost of all initiatives; choose another with <code>budget=</code>)"
    note = (f"The set of initiatives that removes the most total pain within the budget{how}: {esc(spent)}; "
            f"it removes {num(plan.benefit)} of {num(before)} total pain ({removed}). Total pain is customer "
            "interactions times experience gap, plus element impact times the gap of its own metrics.")
    body = table(frame, columns, table_id="table-plan")
    frontier = _frontier(ctx, before)
    if frontier:
        body += "<h3>Benefit against budget</h3>" + frontier
    notes = "".join(f"<li>{esc(n)}</li>" for n in plan.notes)
    if notes:
        body += f'<ul class="more">{notes}</ul>'
    return section("plan", "Plan", note, body)


def _names(ctx: Context, requires: Any) -> str:
    ids = [r.strip() for r in requires.split(",")] if isinstance(requires, str) else list(requires or [])
    return ", ".join(ctx.names.get(i, i) for i in ids if i)


def _frontier(ctx: Context, before: float) -> str | None:
    plan_frontier = producer("plan_frontier")
    total = math.fsum(point(i.cost) for i in ctx.model.initiatives)
    if plan_frontier is None or total <= 0:
        return None
    budgets = sorted({total * k / 4 for k in range(1, 5)} | ({ctx.budget} if ctx.budget is not None else set()))
    frame: pd.DataFrame = plan_frontier(ctx.model, budgets=budgets).to_frame()
    frame["removed"] = frame["benefit"] / before if before > 0 else 0.0
    changes, previous = [], set()
    for chosen in frame["chosen"]:
        now = {c.strip() for c in chosen.split(",") if c.strip()}
        changes.append("; ".join([*(f"+ {ctx.names.get(i, i)}" for i in sorted(now - previous)),
                                  *(f"− {ctx.names.get(i, i)}" for i in sorted(previous - now))]))
        previous = now
    frame["change"] = changes
    columns = [Column("budget", "Budget", fmt=num, numeric=True), Column("cost", "Cost", fmt=num, numeric=True),
               Column("benefit", "Pain removed", fmt=num, numeric=True, bar=True),
               Column("removed", "Share removed", fmt=share, numeric=True),
               Column("n_chosen", "Initiatives", numeric=True),
               Column("change", "Change from the budget before", css="why")]
    return table(frame, columns, table_id="table-frontier")
