"""The capability heat map: level-1 capabilities as columns, their children nested inside, coloured by value."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from matplotlib.axes import Axes
from matplotlib.colorbar import ColorbarBase
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..errors import AnalysisInputError
from ..model import Capability, Model
from ._inputs import impact_values
from ._style import (
    INK,
    SOFT_INK,
    colormap,
    figure_and_axes,
    fit_inches,
    fit_text,
    format_number,
    format_tick,
    impact_norm,
    ink_for,
    style,
)

__all__ = ["capability_map"]

MARGIN = 0.3
COL_W = 2.2
COL_GAP = 0.16
INSET = 0.1
GAP = 0.08
TITLE_H = 0.85
LEGEND_H = 0.8
SIZES = (9.0, 8.0, 7.5)  # name font size by depth
VALUE_SIZE = 7.0


@dataclass
class _Block:
    cap: Capability
    depth: int
    label: str
    size: float
    children: list[_Block] = field(default_factory=list)
    height: float = 0.0


def _line_h(size: float) -> float:
    return size * 1.22 / 72


def _build(cap: Capability, kids: dict[str | None, list[Capability]], depth: int, width: float) -> _Block:
    size = SIZES[min(depth, len(SIZES) - 1)]
    weight = "bold" if depth == 0 else "normal"
    label = fit_text(cap.name, width - 2 * INSET - 0.55, size, 3, weight)  # 0.55 in: room for the value
    block = _Block(cap, depth, label, size)
    block.children = [_build(c, kids, depth + 1, width - 2 * INSET) for c in kids.get(cap.id, [])]
    header = 0.1 + _line_h(size) * (label.count("\n") + 1) + 0.06
    block.height = header + sum(c.height + GAP for c in block.children) + (INSET - GAP + 0.02 if block.children else 0)
    return block


def _values(model: Model, result: Any, by: str) -> tuple[dict[str, float], str, Any]:
    if by == "impact":
        vals = impact_values(model, result)
        return vals.values, vals.label, format_number
    if by == "priority":
        if result is None:
            result = importlib.import_module("cxgraph").priorities(model, level="all")
        if type(result).__name__ != "PrioritiesResult":
            raise AnalysisInputError(f"by='priority' needs a PrioritiesResult (from priorities), got "
                                     f"{type(result).__name__}")
        frame = result.to_frame()
        frame = frame[frame["type"] == "capability"]
        return dict(zip(frame["id"], frame["score"].astype(float), strict=True)), "priority score", \
            (lambda v: f"{v:.2f}")
    raise AnalysisInputError(f"by must be 'impact' or 'priority', got {by!r}")


def capability_map(model: Model, result: Any = None, *, by: str = "impact", columns: int = 6, ax: Axes | None = None,
                   title: str | None = None) -> Figure | Axes:
    """Draw the business capability map as a heat map: level-1 capabilities as columns, children nested inside.

    Each box is coloured by the capability's customer impact (``by="impact"``: everything that
    realises it, or its children, fails at once) or its priority score (``by="priority"``), on
    the same colour scale as every cxgraph figure, with the value written in the box.

    Parameters
    ----------
    model
        The model; it needs capabilities.
    result
        An ``ImpactResult`` (``by="impact"``) or ``PrioritiesResult`` (``by="priority"``) of
        ``model``; computed when omitted.
    by
        ``"impact"`` or ``"priority"``.
    columns
        Level-1 capabilities per row of the map.
    ax
        Draw into this Axes (scaled to fit); by default a new figure sized to the map.
    title
        Title above the map.

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure, or ``ax`` when one was given.

    Examples
    --------
    >>> fig = cx.draw.capability_map(cx.examples.load("telecom"))
    >>> len([p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("cap:")])
    15
    """
    if not model.capabilities:
        raise AnalysisInputError(f"model {model.name!r} has no capabilities to draw")
    if columns < 1:
        raise AnalysisInputError(f"columns must be at least 1, got {columns}")
    values, label, fmt = _values(model, result, by)
    kids: dict[str | None, list[Capability]] = {}
    for cap in model.capabilities:
        kids.setdefault(cap.parent, []).append(cap)
    roots = [_build(c, kids, 0, COL_W) for c in kids.get(None, [])]
    grid = [roots[i:i + columns] for i in range(0, len(roots), columns)]
    n_cols = min(len(roots), columns)
    width = max(2 * MARGIN + n_cols * COL_W + (n_cols - 1) * COL_GAP, 6.5)
    row_heights = [max(b.height for b in row) for row in grid]
    height = 2 * MARGIN + TITLE_H + sum(row_heights) + COL_GAP * (len(grid) - 1) + LEGEND_H
    norm = impact_norm([values.get(c.id, 0.0) for c in model.capabilities])

    with style():
        fig, ax, created = figure_and_axes(ax, width, height)
        s = fit_inches(ax, width, height, created)
        heading = title or f"{model.name}: capability map by {'customer impact' if by == 'impact' else 'priority'}"
        ax.text(MARGIN, height - MARGIN, fit_text(heading, width - 2 * MARGIN, 14, 1, "bold"), fontsize=14 * s,
                fontweight="bold", color=INK, va="top", ha="left")
        sub = ("Each box: what customers lose if everything that realises the capability fails at once."
               if by == "impact" else "Each box: the capability's priority score (higher = fix first).")
        ax.text(MARGIN, height - MARGIN - 0.34, fit_text(sub, width - 2 * MARGIN, 9, 1), fontsize=9 * s,
                color=SOFT_INK, va="top", ha="left")
        y = height - MARGIN - TITLE_H
        for row, row_h in zip(grid, row_heights, strict=True):
            for i, block in enumerate(row):
                block.height = row_h  # level-1 columns of a row share one height, as on a capability map
                _draw_block(ax, block, MARGIN + i * (COL_W + COL_GAP), y, COL_W, values, norm, fmt, s)
            y -= row_h + COL_GAP
        _legend(ax, norm, label, fmt, width, s)
    return fig if created else ax


def _draw_block(ax: Axes, block: _Block, x: float, top: float, width: float, values: dict[str, float],
                norm: Normalize, fmt: Any, s: float, edge: str = SOFT_INK) -> None:
    value = values.get(block.cap.id)
    face = colormap()(norm(value)) if value is not None else (0.95, 0.95, 0.95, 1.0)
    ink = ink_for(face)
    ax.add_artist(FancyBboxPatch((x, top - block.height), width, block.height,
                                boxstyle="round,pad=0,rounding_size=0.05", facecolor=face, edgecolor=edge,
                                linewidth=(1.0 if block.depth == 0 else 0.6) * s, gid=f"cap:{block.cap.id}"))
    ax.text(x + INSET, top - 0.1, block.label, fontsize=block.size * s,
            fontweight="bold" if block.depth == 0 else "normal", color=ink, va="top", ha="left",
            linespacing=1.05, gid=f"caplabel:{block.cap.id}")
    ax.text(x + width - INSET, top - 0.1, fmt(value) if value is not None else "–", fontsize=VALUE_SIZE * s,
            color=ink, va="top", ha="right", gid=f"capvalue:{block.cap.id}")
    y = top - (0.1 + _line_h(block.size) * (block.label.count("\n") + 1) + 0.06)
    for child in block.children:
        # a child's outline takes the parent's text colour, so it shows on a dark parent as on a light one
        _draw_block(ax, child, x + INSET, y, width - 2 * INSET, values, norm, fmt, s, edge=ink)
        y -= child.height + GAP


def _legend(ax: Axes, norm: Normalize, label: str, fmt: Any, width: float, s: float) -> None:
    bar_w = min(4.2, width - 2 * MARGIN)
    y = MARGIN + LEGEND_H - 0.35
    ax.text(MARGIN, y + 0.05, fit_text(label[:1].upper() + label[1:], width - 2 * MARGIN, 8.0, 1, "bold"),
            fontsize=8.0 * s, fontweight="bold", color=INK, va="bottom", ha="left")
    cax = ax.inset_axes((MARGIN, y - 0.22, bar_w, 0.18), transform=ax.transData)
    bar = ColorbarBase(cax, cmap=colormap(), norm=norm, orientation="horizontal")
    bar.outline.set_linewidth(0.5 * s)
    bar.set_ticks([t for t in MaxNLocator(5).tick_values(norm.vmin, norm.vmax) if norm.vmin <= t <= norm.vmax])
    bar.formatter = FuncFormatter(lambda v, _: (format_tick if fmt is format_number else fmt)(v))
    bar.update_ticks()
    cax.tick_params(labelsize=7.0 * s, length=2 * s, width=0.5 * s, pad=1.5 * s)
