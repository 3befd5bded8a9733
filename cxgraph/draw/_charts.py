"""Horizontal bar charts with fitted labels: the building block of rankings and result plots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._style import (
    INK,
    SOFT_INK,
    colormap,
    fit_text,
    format_number,
    format_tick,
    impact_norm,
    new_figure,
    text_width,
    whole_text,
)

__all__ = ["Bars", "bar_axes", "draw_bars", "titled"]

LABEL_W = 3.2  # inches for the names left of the bars
FIG_W = 8.6
ROW_H = 0.3
TITLE_H = 0.78
BOTTOM_H = 0.62
RIGHT_W = 0.35
NAME_SIZE = 8.2
VALUE_SIZE = 8.0


@dataclass(frozen=True)
class Bars:
    """What a bar chart shows: one bar per name, optional 5-95% whiskers."""

    names: list[str]
    values: list[float]
    low: list[float] | None = None
    high: list[float] | None = None
    colours: list[tuple[float, float, float, float]] | None = None
    notes: list[str] | None = None  # written after the value at the end of each bar


def bar_axes(n_rows: int, ax: Axes | None, *, label_w: float = LABEL_W, width: float = FIG_W,
             extra_top: float = 0.0) -> tuple[Figure, Axes, bool, float]:
    """Return ``(figure, axes, created, label_width)`` for a chart of ``n_rows`` bars.

    A new figure is sized so every row gets the same height; the axes leaves ``label_w``
    inches for names on the left and room for the title above.
    """
    if ax is not None:
        fig = ax.get_figure(root=True)
        box = ax.get_position()
        label_w = min(label_w, box.width * fig.get_size_inches()[0] * 0.45)  # type: ignore[union-attr]
        return fig, ax, False, label_w  # type: ignore[return-value]
    height = TITLE_H + extra_top + BOTTOM_H + max(n_rows, 1) * ROW_H + 0.2
    fig = new_figure(width, height)
    ax = fig.add_axes((label_w / width, BOTTOM_H / height, (width - label_w - RIGHT_W) / width,
                       (height - TITLE_H - extra_top - BOTTOM_H) / height))
    return fig, ax, True, label_w


def titled(fig: Figure, title: str, subtitle: str = "") -> None:
    """Write a title (and a subtitle) at the top left of a figure made by :func:`bar_axes`."""
    w, h = fig.get_size_inches()
    text, size = whole_text(title, w - 0.5, 13, min_size=9.5, weight="bold")
    fig.text(0.25 / w, 1 - 0.22 / h, text, fontsize=size, fontweight="bold", color=INK, va="top", ha="left",
             linespacing=1.05)
    if subtitle:
        below = 0.22 + (text.count("\n") + 1) * size * 1.25 / 72 + 0.04
        sub, sub_size = whole_text(subtitle, w - 0.5, 8.5, min_size=7.0)
        fig.text(0.25 / w, 1 - max(0.5, below) / h, sub, fontsize=sub_size, color=SOFT_INK, va="top", ha="left")


def draw_bars(ax: Axes, bars: Bars, *, label_w: float, xlabel: str,
              fmt: Callable[[float], str] = format_number, interval_note: str = "") -> None:
    """Draw ``bars`` top to bottom on ``ax``, names fitted into ``label_w`` inches, values at the bar ends."""
    n = len(bars.names)
    y = np.arange(n)
    values = np.asarray(bars.values, dtype=float)
    colours = bars.colours
    if colours is None:
        norm = impact_norm(list(np.abs(values)))
        colours = [colormap()(norm(abs(v))) for v in values]
    ax.barh(y, values, height=0.68, color=colours, edgecolor=SOFT_INK, linewidth=0.5, zorder=2)
    ends = np.maximum(values, 0)
    if bars.low is not None and bars.high is not None:
        low, high = np.asarray(bars.low, dtype=float), np.asarray(bars.high, dtype=float)
        ax.errorbar(values, y, xerr=[np.maximum(values - low, 0), np.maximum(high - values, 0)], fmt="none",
                    ecolor=INK, elinewidth=1.0, capsize=3, zorder=3)
        ends = np.maximum(ends, high)
    notes = bars.notes or [""] * n
    texts = [fmt(v) + (f" · {note}" if note else "") for v, note in zip(values, notes, strict=True)]
    lo = min(0.0, float(values.min())) if n else 0.0
    hi = float(ends.max()) if n and ends.max() > 0 else 1.0
    # Leave room right of the longest bar for its label: end + label width <= the axis' end.
    fig = ax.get_figure(root=True)
    axes_w = ax.get_position().width * fig.get_size_inches()[0]  # type: ignore[union-attr]
    span = hi - (lo * 1.25 if lo < 0 else 0.0)
    for end, text in zip(ends, texts, strict=True):
        share = (text_width(text, VALUE_SIZE) + 0.1) / axes_w
        if end > 0 and share < 0.8:
            span = max(span, (end - (lo * 1.25 if lo < 0 else 0.0)) / (1 - share))
    ax.set_xlim(lo * 1.25 if lo < 0 else 0, (lo * 1.25 if lo < 0 else 0.0) + span * 1.02)
    ax.set_ylim(max(n, 1) - 0.5, -0.5)
    if n == 0:
        ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center", va="center", color=SOFT_INK)
    ax.set_yticks(y, [fit_text(name, label_w - 0.25, NAME_SIZE, 1) for name in bars.names], fontsize=NAME_SIZE)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.xaxis.set_major_formatter(lambda v, _: (format_tick if fmt is format_number else fmt)(v))
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(xlabel, fontsize=8.5)
    for yi, v, end, text in zip(y, values, ends, texts, strict=True):
        x = end if v >= 0 else v
        ax.annotate(text, (x, yi), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    va="center", ha="left" if v >= 0 else "right", fontsize=VALUE_SIZE, color=INK)
    if interval_note:
        ax.text(1.0, 1.01, interval_note, transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5,
                color=SOFT_INK)


def pick_rows(names: Sequence[str], top: int | None) -> slice:
    """Return the slice of the first ``top`` rows (all when ``top`` is None)."""
    return slice(None) if top is None else slice(0, max(int(top), 0))
