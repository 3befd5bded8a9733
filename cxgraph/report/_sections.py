"""The sections of a report, each built from the public analyses and figures that produce it."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..model import Model, point
from ._page import Column, card, esc, figure, section, table
from .figures import figure_svg

__all__ = ["Context", "num", "plural", "producer", "share"]

TOP_ROWS = 25


def producer(name: str) -> Callable[..., Any] | None:
    """Return the public function ``cxgraph.<name>`` (or ``cxgraph.draw.<name>``), or ``None`` if absent."""
    module, _, attr = name.rpartition(".")
    try:
        found = importlib.import_module(f"cxgraph{'.' + module if module else ''}")
    except ImportError:
        return None
    return getattr(found, attr, None)


def num(value: Any) -> str:
    """Format a number for a table: thousands separators, three significant digits below 100.

    Examples
    --------
    >>> from cxgraph.report._sections import num
    >>> num(1234567.8), num(12.345), num(0), num(float("nan"))
    ('1,234,568', '12.3', '0', '–')
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def share(value: Any) -> str:
    """Format a share in [0, 1] as a percentage.

    Examples
    --------
    >>> from cxgraph.report._sections import share
    >>> share(0.1234), share(0.0004), share(0)
    ('12.3%', '0.04%', '0%')
    """
    x = float(value)
    if x == 0 or not math.isfinite(x):
        return "0%" if x == 0 else "–"
    return f"{100 * x:.3g}%" if abs(x) < 0.01 else f"{100 * x:.1f}%"


def plural(n: int, word: str) -> str:
    """Return ``"1 journey"``, ``"2 journeys"``.

    Examples
    --------
    >>> from cxgraph.report._sections import plural
    >>> plural(1, "journey"), plural(3, "IT element")
    ('1 journey', '3 IT elements')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


def _money(value: Any) -> str:
    return num(value)


class Context:
    """What the sections share: the model, the measure, the impact result and small lookups."""

    def __init__(self, model: Model, measure: Any, budget: float | None) -> None:
        from ..engine import compile_model

        self.model = model
        self.measure = measure
        self.budget = budget
        impact = producer("impact")
        self.impact = impact(model, measure=measure) if impact is not None else None
        resolved = compile_model(model).measure(measure)
        self.unit = resolved.unit
        self.names = {i.id: i.name for i in model.items()}
        self.total_weight = resolved.total
        self.svgs: list[str] = []

    def svg(self, fig: Any, title: str) -> str:
        """Return a figure as inline SVG with ids unique within the report, its text as text."""
        svg = figure_svg(fig, prefix=f"f{len(self.svgs) + 1}-", title=title, text="text")
        self.svgs.append(svg)
        return svg


# ---------------------------------------------------------------------------------------------- headline
def headline(ctx: Context, spof: pd.DataFrame | None, plan: Any) -> str:
    """Return the headline numbers: customers, interactions, the biggest dependency, failures, the plan."""
    m = ctx.model
    customers = math.fsum(point(j.customers) for j in m.journeys)
    cards = [
        card(num(customers), f"customers start a journey each {m.period}",
             f"{plural(len(m.journeys), 'journey')}, {plural(len(m.touchpoints), 'touchpoint')}"),
        card(num(ctx.total_weight), ctx.unit, f"{plural(len(m.elements), 'IT element')} behind them"),
    ]
    if ctx.impact is not None and ctx.total_weight > 0:
        elements = ctx.impact.elements()
        if len(elements):
            top = elements.iloc[0]
            what = {"interactions": "of interactions rest", "customers": "of customers' journeys rest",
                    "revenue": "of revenue rests"}.get(
                ctx.measure if isinstance(ctx.measure, str) else "", "of the weight rests")
            cards.append(card(share(top["impact"] / ctx.total_weight), f"{what} on {top['name']}",
                              f"{num(top['impact'])} {ctx.unit} lost if it fails"))
        caps = ctx.impact.capabilities()
        if len(caps):
            top = caps.iloc[0]
            cards.append(card(share(top["impact"] / ctx.total_weight), f"rest on capability {top['name']}",
                              f"{plural(top['journeys'], 'journey')}, {plural(top['touchpoints'], 'touchpoint')}"))
    if spof is not None:
        cards.append(card(str(len(spof)), "single points of failure",
                          "elements whose failure alone stops a touchpoint"))
    if plan is not None and plan.total_pain_before > 0:
        cards.append(card(share(plan.benefit / plan.total_pain_before), "of total pain removed by the plan",
                          f"{len(plan.chosen)} initiatives for {_money(plan.cost)} (budget {_money(plan.budget)})"))
    note = esc(m.description.strip()) if m.description else None
    return section("summary", "Summary", note, f'<div class="cards">{"".join(cards)}</div>')


# ---------------------------------------------------------------------------------------------- impact
def _impact_table(ctx: Context, frame: pd.DataFrame, what: str, *, owners: bool) -> str:
    frame = frame.copy()
    frame["share"] = frame["impact"] / ctx.total_weight if ctx.total_weight > 0 else 0.0
    shown = frame.head(TOP_ROWS)
    columns = [Column("rank", "Rank", numeric=True), Column("name", what, sub="id", css="name")]
    if owners:
        shown = shown.assign(owner=[ctx.names.get(e.owner, e.owner) if (e := _element(ctx, i)) and e.owner else ""
                                    for i in shown["id"]])
        columns += [Column("kind", "Kind", fmt=lambda k: f'<span class="tag">{esc(k)}</span>', html=True),
                    Column("owner", "Owner", css="owner")]
    columns += [Column("impact", "Impact", fmt=num, numeric=True, bar=True, unit=ctx.unit),
                Column("share", "Share of all", fmt=share, numeric=True),
                Column("journeys", "Journeys", numeric=True), Column("touchpoints", "Touchpoints", numeric=True)]
    more = len(frame) - len(shown)
    tail = f'<p class="more">… and {more} more (all in <code>cx.impact(model)</code>).</p>' if more > 0 else ""
    return table(shown, columns, table_id=f"table-{what.lower()}") + tail


def _element(ctx: Context, element_id: str) -> Any:
    return next((e for e in ctx.model.elements if e.id == element_id), None)


def capabilities(ctx: Context) -> str | None:
    """Return the top capabilities by customer impact, and the capability map."""
    if ctx.impact is None or not ctx.model.capabilities:
        return None
    body = ""
    draw_map = producer("draw.capability_map")
    if draw_map is not None:
        fig = draw_map(ctx.model, ctx.impact)
        body += figure(ctx.svg(fig, "Capability map"), f"Capability map: each capability coloured by customer impact "
                                                       f"({ctx.unit}).")
    body += _impact_table(ctx, ctx.impact.capabilities(), "Capability", owners=False)
    note = ("The impact of a capability is what customers lose if every element that realises it (or a "
            "sub-capability) fails at once: " + esc(ctx.unit) + ".")
    return section("capabilities", "Capabilities by customer impact", note, body)


def elements(ctx: Context) -> str | None:
    """Return the top elements by customer impact."""
    if ctx.impact is None or not ctx.model.elements:
        return None
    note = ("The impact of an element is what customers lose if it alone fails, through everything that "
            "depends on it, redundancy taken into account: " + esc(ctx.unit) + ".")
    return section("elements", "Elements by customer impact", note,
                   _impact_table(ctx, ctx.impact.elements(), "Element", owners=True))


def failures(ctx: Context, spof: pd.DataFrame | None) -> str | None:
    """Return the single points of failure: elements whose failure alone fully stops touchpoints."""
    if spof is None:
        return None
    if spof.empty:
        return section("failures", "Single points of failure",
                       "No element's failure alone stops a touchpoint completely.", "")
    frame = spof.head(TOP_ROWS).copy()
    frame["owner_name"] = [ctx.names.get(o, o) if isinstance(o, str) else "" for o in frame["owner"]]
    frame["lost"] = [len(t) for t in frame["touchpoints"]]
    frame["which"] = [", ".join(ctx.names.get(t, t) for t in list(ts)[:3])
                      + (f" and {len(ts) - 3} more" if len(ts) > 3 else "") for ts in frame["touchpoints"]]
    columns = [Column("name", "Element", sub="element", css="name"),
               Column("kind", "Kind", fmt=lambda k: f'<span class="tag">{esc(k)}</span>', html=True),
               Column("owner_name", "Owner", css="owner"),
               Column("lost", "Stops", numeric=True, unit="touchpoints"),
               Column("which", "Touchpoints stopped", css="why"),
               Column("loss", "Lost if it fails", fmt=num, numeric=True, bar=True, unit=ctx.unit)]
    note = ("Elements whose failure on its own stops at least one touchpoint completely (no alternative takes "
            "over), with the customer interactions lost.")
    more = len(spof) - len(frame)
    tail = (f'<p class="more">… and {more} more (all in <code>cx.single_points_of_failure(model)</code>).</p>'
            if more > 0 else "")
    return section("failures", "Single points of failure", note, table(frame, columns, table_id="table-spof") + tail)


def journeys(ctx: Context) -> str | None:
    """Return the service blueprint of each journey, coloured by customer impact."""
    blueprint = producer("draw.blueprint")
    if blueprint is None or not ctx.model.journeys:
        return None
    parts = []
    for journey in ctx.model.journeys:
        fig = blueprint(ctx.model, ctx.impact, journey=journey.id)
        caption = (f"{journey.name}: {num(point(journey.customers))} customers / {ctx.model.period}. "
                   f"Colour: customer impact on this journey.")
        parts.append(f"<h3>{esc(journey.name)}</h3>" + figure(ctx.svg(fig, f"Service blueprint: {journey.name}"),
                                                             caption))
    note = ("Each journey's touchpoints across the top, the IT behind them in lanes below the line of visibility. "
            "Thicker lines are stronger dependencies; dashed lines are redundant alternatives; darker boxes carry "
            "more customer impact.")
    return section("journeys", "Journeys", note, "".join(parts))
