"""Journey risk: for every journey, how much customer weight each touchpoint carries and how much is at risk."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model, point
from ._charts import BOTTOM_H, ROW_H, TITLE_H, titled
from ._style import GREY, INK, SOFT_INK, colormap, fit_text, format_number, new_figure, style

__all__ = ["journey_risk"]

STAGE_W = 1.25
NAME_W = 2.75
FIG_W = 9.2
RIGHT_W = 0.4


def _weights(model: Model) -> dict[str, float]:
    return {tp.id: point(j.customers) * point(tp.reach) * point(tp.importance)
            for j in model.journeys for tp in j.touchpoints}


def _at_risk(model: Model, result: Any) -> tuple[dict[str, float], dict[str, str], str, str]:
    """Return (weight at risk per touchpoint, the label beside each bar, the legend text, the title)."""
    weights = _weights(model)
    kind = type(result).__name__
    if kind == "WhatIfResult":
        lost = {t: w * float(result.degradation.get(t, 0.0)) for t, w in weights.items()}
        labels = {t: f"{format_number(lost[t])} lost ({lost[t] / w:.0%})" if w > 0 and lost[t] > 0 else ""
                  for t, w in weights.items()}
        return lost, labels, "lost in this scenario", "Customer weight lost, by touchpoint"
    if result is not None and kind != "ImpactResult":
        raise AnalysisInputError(f"journey_risk draws an ImpactResult or a WhatIfResult, got {kind}")
    spof = importlib.import_module("cxgraph").single_points_of_failure(model).to_frame()
    names = {e.id: e.name for e in model.elements}
    causes: dict[str, list[str]] = {}
    for element, touchpoints in zip(spof["element"], spof["touchpoints"], strict=True):
        for t in touchpoints:
            causes.setdefault(t, []).append(element)
    at_risk = {t: (w if causes.get(t) else 0.0) for t, w in weights.items()}
    labels = {}
    for t in weights:
        found = sorted(causes.get(t, []))
        if not found:
            labels[t] = ""
        elif len(found) == 1:
            labels[t] = f"lost if {names[found[0]]} fails"
        else:
            labels[t] = f"{len(found)} single points of failure"
    return (at_risk, labels, "lost if one element fails (a single point of failure)",
            "Customer weight by touchpoint, and what a single failure can take out")


def journey_risk(model: Model, result: Any = None, *, journey: str | None = None, ax: Axes | None = None,
                 title: str | None = None) -> Figure | Axes:
    """Draw, journey by journey, the customer weight of each touchpoint and the part of it at risk.

    Bars are touchpoints in the customer's order (interactions per period). The dark part is the
    weight at risk: with an ``ImpactResult`` (or none), the touchpoints that a single element's
    failure takes out entirely (a single point of failure, named beside the bar); with a
    ``WhatIfResult``, the weight lost in that scenario.

    Parameters
    ----------
    model
        The model.
    result
        ``None``, an ``ImpactResult`` or a ``WhatIfResult`` of ``model``.
    journey
        Draw only this journey.
    ax
        Draw into this Axes; by default a new figure sized to the number of touchpoints.
    title
        Title above the chart (with a new figure).

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure, or ``ax`` when one was given.

    Examples
    --------
    >>> fig = cx.draw.journey_risk(cx.examples.load("retail-bank"))
    >>> fig.axes[0].get_xlabel()
    'customer weight (interactions / month)'
    """
    journeys = model.journeys
    if journey is not None:
        ids = [j.id for j in journeys]
        if journey not in ids:
            raise UnknownIdError(journey, ids, what="journey")
        journeys = [j for j in journeys if j.id == journey]
    weights = _weights(model)
    at_risk, labels, legend, heading = _at_risk(model, result)

    rows: list[tuple[str, Any]] = []  # ("journey", Journey) or ("tp", (Touchpoint, stage name or ""))
    for j in journeys:
        rows.append(("journey", j))
        stage_names = {s.id: s.name for s in j.stages}
        previous = object()
        for tp in j.touchpoints:
            shown_stage = stage_names.get(tp.stage, "") if tp.stage != previous else ""
            previous = tp.stage
            rows.append(("tp", (tp, shown_stage)))
    n = len(rows)
    unit = f"interactions / {model.period}"
    with style():
        if ax is None:
            height = TITLE_H + 0.35 + BOTTOM_H + n * ROW_H + 0.2
            fig = new_figure(FIG_W, height)
            left = STAGE_W + NAME_W + 0.3
            ax = fig.add_axes((left / FIG_W, BOTTOM_H / height, (FIG_W - left - RIGHT_W) / FIG_W,
                               (height - TITLE_H - 0.35 - BOTTOM_H) / height))
            created = True
        else:
            fig, created = ax.get_figure(root=True), False  # type: ignore[assignment]
        _draw(ax, fig, rows, weights, at_risk, labels, legend, unit)
        if created:
            titled(fig, title or heading, f"{model.name} · customer weight = customers × reach × importance "
                                          f"({unit})")
    return fig if created else ax


def _draw(ax: Axes, fig: Figure, rows: list[tuple[str, Any]], weights: dict[str, float],
          at_risk: dict[str, float], labels: dict[str, str], legend: str, unit: str) -> None:
    cmap = colormap()
    dark, light = cmap(0.8), GREY
    y = np.arange(len(rows))
    label_x = blended_transform_factory(fig.dpi_scale_trans, ax.transData)
    top = max((weights[r[1][0].id] for r in rows if r[0] == "tp"), default=1.0) or 1.0
    ax.set_xlim(0, top * 1.55)
    ax.set_ylim(len(rows) - 0.5, -0.6)
    axes_left = ax.get_position().x0 * fig.get_size_inches()[0]
    stage_x = max(axes_left - STAGE_W - NAME_W, 0.2)
    name_x = stage_x + STAGE_W
    for yi, (kind, item) in zip(y, rows, strict=True):
        if kind == "journey":
            j = item
            total = sum(weights[t.id] for t in j.touchpoints)
            risk = sum(at_risk[t.id] for t in j.touchpoints)
            text = (f"{j.name} — {format_number(point(j.customers))} customers, "
                    f"{format_number(risk)} of {format_number(total)} at risk")
            ax.text(stage_x, yi + 0.1, fit_text(text, axes_left - stage_x + ax.get_position().width
                                                * fig.get_size_inches()[0] * 0.95, 9.0, 1, "bold"),
                    transform=label_x, fontsize=9.0, fontweight="bold", color=INK, va="center", ha="left")
            if yi > 0:
                ax.axhline(yi - 0.5, color="#d0d0d0", lw=0.8, zorder=0, clip_on=False)
            continue
        tp, stage = item
        w, r = weights[tp.id], at_risk[tp.id]
        ax.barh(yi, w, height=0.66, color=light, edgecolor="none", zorder=2)
        if r > 0:
            ax.barh(yi, r, height=0.66, color=dark, edgecolor="none", zorder=3)
        if stage:
            ax.text(stage_x, yi, fit_text(stage, STAGE_W - 0.12, 7.5, 1), transform=label_x, fontsize=7.5,
                    color=SOFT_INK, style="italic", va="center", ha="left")
        ax.text(name_x, yi, fit_text(tp.name, NAME_W - 0.1, 8.0, 1), transform=label_x, fontsize=8.0, color=INK,
                va="center", ha="left")
        note = f"{format_number(w)}" + (f" · {labels[tp.id]}" if labels[tp.id] else "")
        room = (top * 1.55 - w) / (top * 1.55) * ax.get_position().width * fig.get_size_inches()[0] - 0.1
        ax.annotate(fit_text(note, max(room, 0.3), 7.0, 1), (w, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=7.0, color=SOFT_INK)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_formatter(lambda v, _: format_number(v))
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"customer weight ({unit})", fontsize=8.5)
    ax.legend(handles=[Patch(color=light, label="customer weight"), Patch(color=dark, label=legend)],
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=7.5, frameon=False,
              borderaxespad=0.2)
