"""Journey risk: for every journey, how much customer weight each touchpoint carries and how much is at risk."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model, point
from ._charts import BOTTOM_H, ROW_H, TITLE_H, titled
from ._style import (
    GREY,
    INK,
    SOFT_INK,
    colormap,
    fit_text,
    format_number,
    format_tick,
    impact_norm,
    new_figure,
    style,
    text_width,
)

__all__ = ["journey_risk"]

STAGE_W = 1.25
NAME_W = 3.0
FIG_W = 9.5
RIGHT_W = 0.4


def _weights(model: Model) -> dict[str, float]:
    return {tp.id: point(j.customers) * point(tp.reach) * point(tp.importance)
            for j in model.journeys for tp in j.touchpoints}


@dataclass(frozen=True)
class _Risk:
    """What the bars show: the dark part of each bar, the text beside it, and the words around them."""

    dark: dict[str, float]  # touchpoint -> the dark (at risk) part of its bar; the rest is light
    notes: dict[str, str]  # touchpoint -> text after its weight
    spofs: dict[str, set[str]]  # touchpoint -> single points of failure (impact mode)
    legend: str
    title: str
    lost: bool  # True: a scenario's loss; False: weight coloured by itself


def _risk(model: Model, result: Any) -> _Risk:
    weights = _weights(model)
    kind = type(result).__name__
    if kind == "WhatIfResult":
        lost = {t: w * float(result.degradation.get(t, 0.0)) for t, w in weights.items()}
        notes = {t: f"{format_number(lost[t])} lost ({lost[t] / w:.0%})" if w > 0 and lost[t] > 0 else ""
                 for t, w in weights.items()}
        names = {e.id: e.name for e in model.elements}
        failed = [names.get(i, i) for i, level in sorted(result.scenario.items()) if level >= 1]
        more = " and more" if len(failed) > 2 else ""
        what = f"when {', '.join(failed[:2])}{more} fail{'s' if len(failed) == 1 else ''}"
        return _Risk(lost, notes, {}, "lost in this scenario",
                     f"Customer weight lost {what}" if failed else "Customer weight lost, by touchpoint", True)
    if result is not None and kind != "ImpactResult":
        raise AnalysisInputError(f"journey_risk draws an ImpactResult or a WhatIfResult, got {kind}")
    frame = importlib.import_module("cxgraph").single_points_of_failure(model).to_frame()
    spofs: dict[str, set[str]] = {t: set() for t in weights}
    for element, touchpoints in zip(frame["element"], frame["touchpoints"], strict=True):
        for t in touchpoints:
            spofs[t].add(element)
    notes = {t: f"{len(s)} single point{'s' if len(s) != 1 else ''} of failure" if s else "no single point of failure"
             for t, s in spofs.items()}
    return _Risk(dict(weights), notes, spofs, "", "Customer weight by touchpoint, and its single points of failure",
                 False)


def journey_risk(model: Model, result: Any = None, *, journey: str | None = None, ax: Axes | None = None,
                 title: str | None = None) -> Figure | Axes:
    """Draw, journey by journey, the customer weight of each touchpoint and the part of it at risk.

    Bars are touchpoints in the customer's order, as long as their customer weight (interactions
    per period). With an ``ImpactResult`` (or none) they are coloured by that weight, and each
    says how many single points of failure it has (elements whose failure alone loses it
    entirely); with a ``WhatIfResult`` the dark part of each bar is the weight lost in that
    scenario.

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
    risk = _risk(model, result)

    rows: list[tuple[str, Any]] = []  # ("journey", Journey) or ("tp", (Touchpoint, stage name or ""))
    for j in journeys:
        rows.append(("journey", j))
        stage_names = {s.id: s.name for s in j.stages}
        previous = object()
        for tp in j.touchpoints:
            shown_stage = stage_names.get(tp.stage or "", "") if tp.stage != previous else ""
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
        _draw(ax, fig, rows, weights, risk, unit)
        if created:
            titled(fig, title or risk.title, f"{model.name} · customer weight = customers × reach × importance "
                                          f"({unit})")
    return fig if created else ax


def _draw(ax: Axes, fig: Figure, rows: list[tuple[str, Any]], weights: dict[str, float], risk: _Risk,
          unit: str) -> None:
    cmap = colormap()
    y = np.arange(len(rows))
    label_x = blended_transform_factory(fig.dpi_scale_trans, ax.transData)
    top = max((weights[r[1][0].id] for r in rows if r[0] == "tp"), default=1.0) or 1.0
    norm = impact_norm([weights[r[1][0].id] for r in rows if r[0] == "tp"])
    ax.set_ylim(len(rows) - 0.5, -0.6)
    fig_w = fig.get_size_inches()[0]
    axes_left = ax.get_position().x0 * fig_w
    axes_w = ax.get_position().width * fig_w
    notes = {r[1][0].id: f"{format_number(weights[r[1][0].id])}"
             + (f" · {risk.notes[r[1][0].id]}" if risk.notes[r[1][0].id] else "") for r in rows if r[0] == "tp"}
    span = top * 1.2  # wide enough for every bar and the whole note after it
    for t, note in notes.items():
        share = (text_width(note, 7.0) + 0.12) / axes_w
        if share < 0.9:
            span = max(span, weights[t] / (1 - share))
    ax.set_xlim(0, span)
    stage_x = max(axes_left - STAGE_W - NAME_W, 0.2)
    name_x = stage_x + STAGE_W
    for yi, (kind, item) in zip(y, rows, strict=True):
        if kind == "journey":
            tps = [t.id for t in item.touchpoints]
            total = sum(weights[t] for t in tps)
            if risk.lost:
                tail = f"{format_number(sum(risk.dark[t] for t in tps))} of {format_number(total)} lost"
            else:
                n = len(set().union(*(risk.spofs[t] for t in tps))) if tps else 0
                tail = f"{format_number(total)} in all, {n} single point{'s' if n != 1 else ''} of failure"
            text = f"{item.name} — {format_number(point(item.customers))} customers; {tail}"
            ax.text(stage_x, yi + 0.1, fit_text(text, axes_left - stage_x + axes_w * 0.95, 9.0, 1, "bold"),
                    transform=label_x, fontsize=9.0, fontweight="bold", color=INK, va="center", ha="left")
            if yi > 0:
                ax.axhline(yi - 0.5, color="#d0d0d0", lw=0.8, zorder=0, clip_on=False)
            continue
        tp, stage = item
        w = weights[tp.id]
        if risk.lost:
            ax.barh(yi, w, height=0.66, color=GREY, edgecolor="none", zorder=2)
            if risk.dark[tp.id] > 0:
                ax.barh(yi, risk.dark[tp.id], height=0.66, color=cmap(0.8), edgecolor="none", zorder=3)
        else:
            ax.barh(yi, w, height=0.66, color=cmap(norm(w)), edgecolor=SOFT_INK, linewidth=0.4, zorder=2)
        if stage:
            ax.text(stage_x, float(yi), fit_text(stage, STAGE_W - 0.12, 6.5, 2), transform=label_x, fontsize=6.5,
                    color=SOFT_INK, style="italic", va="center", ha="left", linespacing=1.0,
                    gid=f"label:stage:{tp.id}")
        ax.text(name_x, float(yi), fit_text(tp.name, NAME_W - 0.1, 8.0, 1), transform=label_x, fontsize=8.0,
                color=INK,
                va="center", ha="left", gid=f"label:{tp.id}")
        ax.annotate(notes[tp.id], (w, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=7.0, color=SOFT_INK)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_formatter(lambda v, _: format_tick(v))
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"customer weight ({unit})", fontsize=8.5)
    if risk.lost:
        ax.legend(handles=[Patch(color=GREY, label="customer weight"), Patch(color=cmap(0.8), label=risk.legend)],
                  loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, fontsize=7.5, frameon=False,
                  borderaxespad=0.2)
