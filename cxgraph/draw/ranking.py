"""Rankings: the elements or capabilities with the most customer impact (or pain, or priority), as bars."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import AnalysisInputError
from ._charts import Bars, bar_axes, draw_bars, titled
from ._style import format_number, style

__all__ = ["ranking"]

#: The column each result ranks by, and how the axis names it.
_MEASURES: dict[str, tuple[str, str]] = {
    "ImpactResult": ("impact", "customer impact"),
    "PainResult": ("pain", "customer pain"),
    "PrioritiesResult": ("score", "priority score"),
    "SensitivityResult": ("impact", "customer impact"),
    "SpofResult": ("loss", "loss if it fails alone"),
}
_TYPES = ("element", "capability", "touchpoint")


def _frame(result: Any) -> tuple[pd.DataFrame, str, str]:
    """Return the result's table (with ``id``, ``name``, ``type``), the value column and its description."""
    cls = type(result).__name__
    if cls not in _MEASURES or not hasattr(result, "to_frame"):
        raise TypeError(f"cannot rank a {cls}: expected a result of cx.impact, cx.pain, cx.priorities, "
                        f"cx.sensitivity or cx.single_points_of_failure")
    column, what = _MEASURES[cls]
    if cls == "SensitivityResult" and getattr(result, "rank_by", "impact") == "pain":
        column, what = "pain", "customer pain"
    frame = result.to_frame()
    if "id" not in frame.columns and "element" in frame.columns:
        frame = frame.rename(columns={"element": "id"})
    if "type" not in frame.columns:
        frame = frame.assign(type="element")
    return frame, column, what


def ranking(result: Any, top: int | None = 15, *, type: str | None = None, sensitivity: Any = None,
            ax: Axes | None = None, title: str | None = None) -> Figure | Axes:
    """Draw the ``top`` elements (or capabilities) of a result as horizontal bars, largest first.

    Parameters
    ----------
    result
        A result of :func:`cxgraph.impact`, ``cx.pain``, ``cx.priorities``, ``cx.sensitivity`` or
        ``cx.single_points_of_failure``. A sensitivity result draws its 5-95% interval as whiskers.
    top
        How many bars (``None``: all).
    type
        ``"element"`` or ``"capability"`` (default: elements; capabilities for priorities when the
        model has any).
    sensitivity
        A ``SensitivityResult`` of the same model: adds its 5-95% intervals to an impact or pain ranking.
    ax
        Draw into this Axes; by default a new figure sized to the number of bars.
    title
        Title above the chart (with a new figure).

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure, or ``ax`` when one was given.

    Examples
    --------
    >>> result = cx.impact(cx.examples.load("retail-bank"))
    >>> fig = cx.draw.ranking(result, top=10)
    >>> len(fig.axes[0].patches)
    10
    """
    frame, column, what = _frame(result)
    cls = _type_name(result)
    if type is None:
        type = "capability" if cls == "PrioritiesResult" and (frame["type"] == "capability").any() else "element"
    if type not in _TYPES:
        raise AnalysisInputError(f"type must be one of {', '.join(_TYPES)}, got {type!r}")
    if top is not None and top < 1:
        raise AnalysisInputError(f"top must be at least 1 (or None for all), got {top}")
    rows = frame[frame["type"] == type].copy()
    rows["_v"] = rows[column].astype(float)
    rows = rows.sort_values(["_v", "id"], ascending=[False, True], kind="stable")
    if top is not None:
        rows = rows.head(top)

    low: list[float] | None = None
    high: list[float] | None = None
    note = ""
    source = result if cls == "SensitivityResult" else sensitivity
    if source is not None:
        if _type_name(source) != "SensitivityResult":
            raise AnalysisInputError(f"sensitivity= expects a SensitivityResult, got {_type_name(source)}")
        measure = column if column in ("impact", "pain") else "impact"
        table = source.to_frame().set_index("id")
        missing = [i for i in rows["id"] if i not in table.index]
        if missing:
            raise AnalysisInputError(f"the sensitivity result has no {', '.join(map(repr, missing[:3]))}: "
                                     f"is it of the same model?")
        low = [float(table.at[i, f"{measure}_p05"]) for i in rows["id"]]
        high = [float(table.at[i, f"{measure}_p95"]) for i in rows["id"]]
        note = f"whiskers: 5–95% range over {source.samples:,} draws of the uncertain inputs"

    unit = str(getattr(result, "unit", "") or "")
    xlabel = f"{what} ({unit})" if unit and column != "score" else what
    plural = {"element": "elements", "capability": "capabilities", "touchpoint": "touchpoints"}[type]
    with style():
        fig, ax, created, label_w = bar_axes(len(rows), ax)
        fmt = (lambda v: f"{v:.2f}") if column == "score" else format_number
        bars = Bars(list(rows["name"]), list(rows["_v"]), low=low, high=high)
        draw_bars(ax, bars, label_w=label_w, xlabel=xlabel, fmt=fmt, interval_note=note)
        if created:
            model = getattr(result, "model_name", "")
            heading = title or f"Top {len(rows)} {plural} by {what}"
            titled(fig, heading, f"{model} · {xlabel}" if model else xlabel)
    return fig if created else ax


def _type_name(obj: Any) -> str:
    return type(obj).__name__
