"""Figures of operational resilience: the scenario × journey heat map, and one journey's loss over time."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import AnalysisInputError
from ._style import INK, SOFT_INK, fit_text, ink_for, new_figure, style, text_width

__all__ = ["disruption_heatmap", "disruption_timeline"]

CELL_W = 0.95  # inches per journey column
CELL_H = 0.42  # inches per scenario row
NAME_SIZE = 8.0
CELL_SIZE = 7.5
TITLE_H = 0.8
BREACH = "#b2182b"
_HOURS = LinearSegmentedColormap.from_list("cxgraph-hours", ["#ffffff", "#fde0c5", "#f59e72", "#d6604d", "#67001f"])


def _kind(result: Any) -> None:
    if type(result).__name__ != "ResilienceResult":
        raise AnalysisInputError(f"expected the result of cx.resilience, got {type(result).__name__}")


def _hours(value: float) -> str:
    return f"{value:,.3g} h" if value < 1000 else f"{value:,.0f} h"


def disruption_heatmap(result: Any, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Draw hours of disruption for every scenario (rows) and journey (columns); breaches framed and marked "!".

    Each cell shows the hours the journey stays disrupted; the colour deepens with the hours,
    and a cell whose disruption breaches the journey's tolerance has a dark red frame and
    a "!" after its hours. Names wrap onto up to three lines; nothing is cut.

    Examples
    --------
    >>> r = cx.resilience(cx.examples.load("retail-bank"))
    >>> fig = cx.draw.disruption_heatmap(r)
    >>> fig.axes[0].get_ylabel()
    'scenario'
    """
    _kind(result)
    hours = result.matrix("disruption_hours")
    breach = result.matrix("breach").astype(bool)
    frame = result.to_frame()
    jnames = dict(zip(frame["id"], frame["name"], strict=False))
    snames = dict(zip(result.scenarios["id"], result.scenarios["name"], strict=True))
    n_s, n_j = hours.shape
    words = [w for j in hours.columns for w in str(jnames[j]).split()]
    cell_w = max([CELL_W, *(text_width(w, CELL_SIZE) + 0.1 for w in words)])  # a column holds its longest word
    row_labels = [fit_text(snames[s], 2.6, NAME_SIZE, 8) for s in hours.index]  # wrapped, never cut
    col_labels = [fit_text(jnames[j], cell_w * 0.95, CELL_SIZE, 8) for j in hours.columns]
    label_w = max([text_width(line, NAME_SIZE) for lab in row_labels for line in lab.split("\n")] or [1.0]) + 0.35
    lines = max([lab.count("\n") + 1 for lab in row_labels] or [1])
    cell_h = max(CELL_H, 0.16 * lines + 0.08)
    head_h = 0.45 + 0.14 * max([lab.count("\n") + 1 for lab in col_labels] or [1])
    with style():
        created = ax is None
        if ax is None:
            width = label_w + max(n_j, 1) * cell_w + 1.5
            height = TITLE_H + head_h + max(n_s, 1) * cell_h + 0.3
            fig = new_figure(width, height)
            ax = fig.add_axes((label_w / width, 0.3 / height, max(n_j, 1) * cell_w / width,
                               max(n_s, 1) * cell_h / height))
        else:
            fig = ax.get_figure(root=True)  # type: ignore[assignment]
        values = hours.to_numpy(float)
        top = float(np.nanmax(values)) if values.size and np.nanmax(values) > 0 else 1.0
        norm = Normalize(0, top)
        image = ax.imshow(values if values.size else np.zeros((1, 1)), cmap=_HOURS, norm=norm, aspect="auto",
                          interpolation="nearest")
        for i in range(n_s):
            for j in range(n_j):
                v = values[i, j]
                mark = breach.iat[i, j]
                colour = ink_for(_HOURS(norm(v)))
                ax.text(j, i, _hours(v) + (" !" if mark else ""), ha="center", va="center", fontsize=CELL_SIZE,
                        color=colour, fontweight="bold" if mark else "normal")
                if mark:
                    ax.add_patch(Rectangle((j - 0.46, i - 0.44), 0.92, 0.88, fill=False, edgecolor=BREACH,
                                           linewidth=1.6))
        ax.set_xticks(range(n_j), col_labels, fontsize=CELL_SIZE)
        ax.xaxis.tick_top()
        ax.set_yticks(range(n_s), row_labels, fontsize=NAME_SIZE)
        ax.tick_params(length=0)
        ax.set_xlabel("journey", fontsize=8.5, color=SOFT_INK)
        ax.xaxis.set_label_position("top")
        ax.set_ylabel("scenario", fontsize=8.5, color=SOFT_INK)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02) if not created else fig.colorbar(
            image, cax=fig.add_axes((1 - 1.05 / fig.get_size_inches()[0], ax.get_position().y0,
                                     0.15 / fig.get_size_inches()[0], ax.get_position().height)))
        bar.set_label("disruption (hours)", fontsize=8)
        bar.ax.tick_params(labelsize=7)
        if created:
            w, h = fig.get_size_inches()
            heading = title or "Hours each journey stays disrupted, by scenario"
            fig.text(0.2 / w, 1 - 0.2 / h, fit_text(heading, w - 0.4, 12, 1, "bold"), fontsize=12,
                     fontweight="bold", color=INK, va="top")  # the default fits; a caller's title is theirs
            n_b = int(breach.to_numpy().sum())
            sub = (f"{result.model_name}: {n_b} breach{'es' * (n_b != 1)} of an impact tolerance "
                   f"(framed, marked !)")
            fig.text(0.2 / w, 1 - 0.48 / h, fit_text(sub, w - 0.4, 8.5, 1), fontsize=8.5, color=SOFT_INK,
                     va="top")
    return fig


def disruption_timeline(result: Any, scenario: str, journey: str, *, ax: Axes | None = None,
                        title: str | None = None) -> Figure:
    """Draw one journey's loss over the hours of a scenario, with its tolerance: loss limit and hours.

    The step line is the share of the journey's customers who cannot complete it (``jloss``);
    the dashed horizontal line is the tolerance's loss, the dashed vertical line its hours, and
    the shaded span the disruption; the subtitle says which recovery ends it.

    Examples
    --------
    >>> r = cx.resilience(cx.examples.load("retail-bank"))
    >>> row = r.to_frame().iloc[0]
    >>> fig = cx.draw.disruption_timeline(r, row["scenario"], row["id"])
    >>> fig.axes[0].get_xlabel()
    'hours since the scenario began (h)'
    """
    _kind(result)
    line = result.timeline(scenario, journey)
    frame = result.to_frame()
    row = frame[(frame["scenario"] == scenario) & (frame["id"] == journey)].iloc[0]
    tol_h, tol_l = float(row["tolerance_hours"]), float(row["tolerance_loss"])
    starts = line["from_hours"].to_numpy(float)
    losses = 100 * line["jloss"].to_numpy(float)
    end = max(float(starts[-1]), 0.0 if math.isnan(tol_h) else tol_h, 1.0)
    right = end * 1.15
    width, plot_h = 9.6, 3.2
    heading = fit_text(title or f"{row['name']} under “{row['scenario_name']}”", width - 0.4, 12, 2, "bold")
    message = fit_text(str(row["message"]), width - 0.4, 8.5, 3)
    head_h = 0.25 + 0.24 * (heading.count("\n") + 1) + 0.16 * (message.count("\n") + 1) + 0.2
    with style():
        created = ax is None
        if ax is None:
            height = head_h + plot_h + 0.6
            fig = new_figure(width, height)
            ax = fig.add_axes((0.75 / width, 0.6 / height, (width - 3.25) / width, plot_h / height))
        else:
            fig = ax.get_figure(root=True)  # type: ignore[assignment]
        xs = np.concatenate([starts, [right]])
        ys = np.concatenate([losses, [losses[-1]]])
        ax.step(xs, ys, where="post", color="#2f5d8a", linewidth=2, label="customers unable to complete")
        if row["disruption_hours"] > 0:
            ax.axvspan(0, float(row["disruption_hours"]), color="#f4a582", alpha=0.25, linewidth=0,
                       label=f"disrupted: {_hours(float(row['disruption_hours']))}")
        if not math.isnan(tol_h):
            ax.axvline(tol_h, color=BREACH, linestyle="--", linewidth=1.2, label=f"tolerance: {_hours(tol_h)}")
            ax.axhline(100 * tol_l, color=SOFT_INK, linestyle=":", linewidth=1.0,
                       label=f"tolerated loss: {100 * tol_l:.3g} %")
        ax.set_xlim(0, right)
        ax.set_ylim(0, max(105.0, float(np.max(losses, initial=0)) * 1.05))
        ax.set_xlabel("hours since the scenario began (h)", fontsize=8.5)
        ax.set_ylabel("customers unable to complete (%)", fontsize=8.5)
        ax.tick_params(labelsize=7.5)
        ax.grid(color="#e6e6e6", linewidth=0.6)
        ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        if created:
            w, h = fig.get_size_inches()
            fig.text(0.2 / w, 1 - 0.2 / h, heading, fontsize=12, fontweight="bold", color=INK, va="top",
                     linespacing=1.3)
            top = 0.2 + 0.24 * (heading.count("\n") + 1) + 0.06
            fig.text(0.2 / w, 1 - top / h, message, fontsize=8.5, color=SOFT_INK, va="top", linespacing=1.35)
    return fig
