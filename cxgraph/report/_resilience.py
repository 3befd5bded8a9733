"""The "Resilience" section of a report: disruption against impact tolerances, the mapping, vendor concentration."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ._page import Column, card, esc, figure, section, table

__all__ = ["resilience_section"]

TOP_ROWS = 40


def _hours(value: Any) -> str:
    x = float(value)
    return "–" if not math.isfinite(x) else f"{x:,.3g} h"


def _number(value: Any) -> str:
    x = float(value)
    return "–" if not math.isfinite(x) else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}")


def _yes(value: Any) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else ("yes" if value else "no")


def resilience_section(ctx: Any) -> str | None:
    """Return the Resilience section, or ``None`` when the model has no scenarios and no tolerances."""
    import cxgraph as cx

    model = ctx.model
    has_tolerance = any(j.tolerance is not None for j in model.journeys)
    if not model.scenarios and not has_tolerance:
        return None
    body = ""
    result = None
    if model.scenarios:
        try:
            result = cx.resilience(model)
        except AnalysisInputError as err:  # e.g. a period without a length in hours: say so, keep the rest
            body += f'<p class="note">The scenarios cannot be timed: {esc(err)}</p>'
    if result is not None:
        frame = result.to_frame()
        breaches = frame[frame["breach"]]
        cards = [card(str(len(breaches)), "breaches of an impact tolerance",
                      f"{len(result.scenarios)} scenarios × {frame['id'].nunique()} journeys"),
                 card(_number(frame["customers_harmed"].max() if len(frame) else 0),
                      "customers harmed in the worst case", "one scenario, one journey")]
        body += f'<div class="cards">{"".join(cards)}</div>'
        fig = cx.draw.disruption_heatmap(result)
        body += figure(ctx.svg(fig, "Disruption by scenario and journey"),
                       "Hours each journey stays disrupted under each scenario; breaches of a tolerance are framed "
                       "and marked “!”.")
        worst = (breaches if len(breaches) else frame).sort_values(
            ["disruption_hours", "customers_harmed", "scenario", "id"], ascending=[False, False, True, True])
        if len(worst) and worst.iloc[0]["disruption_hours"] > 0:
            row = worst.iloc[0]
            fig = cx.draw.disruption_timeline(result, row["scenario"], row["id"])
            body += figure(ctx.svg(fig, f"Timeline: {row['name']}"), str(row["message"]))
        shown = frame[frame["disruption_hours"] > 0].head(TOP_ROWS).copy()
        shown["verdict"] = ["breach" if b else ("within" if math.isfinite(t) else "no tolerance")
                            for b, t in zip(shown["breach"], shown["tolerance_hours"], strict=True)]
        shown["ended"] = [", ".join(ctx.names.get(i, i) for i in ids) for ids in shown["ended_by_ids"]]
        columns = [Column("scenario_name", "Scenario", sub="scenario", css="name"),
                   Column("name", "Journey", sub="id"),
                   Column("disruption_hours", "Disrupted", fmt=_hours, numeric=True, bar=True, unit="hours"),
                   Column("tolerance_hours", "Tolerance", fmt=_hours, numeric=True, unit="hours"),
                   Column("verdict", "Verdict"),
                   Column("customers_harmed", "Customers harmed", fmt=_number, numeric=True, unit="customers"),
                   Column("ended", "Ends when restored", css="why")]
        body += "<h3>Disruptions</h3>" + table(shown, columns, table_id="table-disruption")
    body += _mapping(ctx, cx.resilience_map(model))
    note = ("Each scenario fails its elements at once; each comes back after its recovery time. A journey is "
            "disrupted while the share of its customers who cannot complete it is above its tolerance's loss; "
            "a breach is a disruption longer than the journey's tolerance.")
    return section("resilience", "Resilience", note, body)


def _mapping(ctx: Any, mapping: Any) -> str:
    frame = mapping.to_frame()
    out = ""
    if len(frame):
        frame = frame.copy()
        frame["exceeds"] = frame["exceeds_tolerance"].map(_yes)
        frame["owner_name"] = [ctx.names.get(o, o) if isinstance(o, str) else "" for o in frame["owner"]]
        columns = [Column("journey_name", "Journey", sub="journey"),
                   Column("tolerance_hours", "Tolerance", fmt=_hours, numeric=True, unit="hours"),
                   Column("group", "Group", fmt=lambda k: f'<span class="tag">{esc(k)}</span>', html=True),
                   Column("name", "Rests on", sub="id", css="name"),
                   Column("owner_name", "Owner", css="owner"),
                   Column("recovery_hours", "Recovery", fmt=_hours, numeric=True, unit="hours"),
                   Column("exceeds", "Recovery alone exceeds tolerance")]
        out += ("<h3>What each journey rests on</h3>" + table(frame, columns, table_id="table-resilience-map"))
    vendors = mapping.vendors
    if len(vendors):
        vendors = vendors.copy()
        vendors["journeys"] = [", ".join(ctx.names.get(j, j) for j in js) for js in vendors["journey_ids"]]
        columns = [Column("name", "Vendor", sub="id", css="name"),
                   Column("n_journeys", "Journeys", numeric=True),
                   Column("customers", "Customers", fmt=_number, numeric=True, bar=True,
                          unit=f"customers / {ctx.model.period}"),
                   Column("customers_lost", "Lost if it fails", fmt=_number, numeric=True,
                          unit=f"customers / {ctx.model.period}"),
                   Column("journeys", "Journeys resting on it", css="why")]
        out += "<h3>Vendor concentration</h3>" + table(pd.DataFrame(vendors), columns, table_id="table-vendors")
    return out
