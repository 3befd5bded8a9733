"""``plot_result``: the figure that suits each analysis result, and the charts only results need."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..errors import AnalysisInputError
from ._charts import Bars, bar_axes, draw_bars, titled
from ._style import INK, SOFT_INK, colormap, fit_text, format_number, format_tick, new_figure, style

__all__ = ["plot_result"]


def plot_result(result: Any, ax: Axes | None = None, **options: Any) -> Figure | Axes:
    """Draw the figure that suits ``result``, dispatching on its class name; what ``Result.plot`` calls.

    ============================================  =============================================
    result                                        figure
    ============================================  =============================================
    ImpactResult, PainResult, PrioritiesResult    :func:`ranking` (options: ``top``, ``type``, ...)
    SensitivityResult                             :func:`ranking` with 5-95% whiskers
    SpofResult                                    :func:`ranking` of the weight each loses alone
    WhatIfResult                                  weight lost per journey; with ``model=``,
                                                  :func:`journey_risk`; with ``model=`` and
                                                  ``focus=``, the :func:`blueprint` blast radius
    PlanResult                                    the plan's initiatives: cost against benefit
    FrontierResult                                benefit against budget (the frontier curve)
    ScorecardResult                               customer impact and pain per owner
    CompareResult                                 the largest changes in impact
    GapsResult                                    the largest metric gaps
    ResilienceResult                              :func:`disruption_heatmap`; with ``scenario=`` and
                                                  ``journey=``, :func:`disruption_timeline`
    ============================================  =============================================

    Parameters
    ----------
    result
        A result of a cxgraph analysis.
    ax
        Draw into this Axes; by default a new figure.
    **options
        Passed to the figure function (``top``, ``type``, ``title``, ``model``, ...).

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure, or ``ax`` when one was given.

    Raises
    ------
    TypeError
        When ``result`` is not a result cxgraph knows how to draw.

    Examples
    --------
    >>> fig = cx.impact(cx.examples.load("telecom")).plot(top=5)
    >>> len(fig.axes[0].patches)
    5
    >>> cx.draw.plot_result(42)
    Traceback (most recent call last):
    ...
    TypeError: cannot plot 'int' objects: expected the result of a cxgraph analysis (ImpactResult, WhatIfResult, ...)
    """
    name = type(result).__name__
    handler = _HANDLERS.get(name)
    if handler is None:
        raise TypeError(f"cannot plot {name!r} objects: expected the result of a cxgraph analysis "
                        f"(ImpactResult, WhatIfResult, ...)")
    return handler(result, ax, **options)


def _ranking(result: Any, ax: Axes | None, **options: Any) -> Figure | Axes:
    from .ranking import ranking

    return ranking(result, ax=ax, **options)


def _what_if(result: Any, ax: Axes | None, *, model: Any = None, focus: str | None = None, **options: Any
             ) -> Figure | Axes:
    if model is not None and focus is not None:
        from .blueprint import blueprint

        return blueprint(model, focus=focus, ax=ax, **options)
    if model is not None:
        from .journey import journey_risk

        return journey_risk(model, result, ax=ax, **options)
    frame = result.journeys
    unit = str(getattr(result, "unit", "") or "interactions")
    return _simple_bars(list(frame["name"]), list(frame["loss"].astype(float)), ax,
                        title=options.get("title") or "Loss per journey",
                        subtitle=getattr(result, "model_name", ""), xlabel=f"loss ({unit})")


def _simple_bars(names: list[str], values: list[float], ax: Axes | None, *, title: str, subtitle: str,
                 xlabel: str, fmt: Callable[[float], str] = format_number,
                 colours: list[Any] | None = None, notes: list[str] | None = None, share: bool = False
                 ) -> Figure | Axes:
    with style():
        fig, ax, created, label_w = bar_axes(len(names), ax)
        draw_bars(ax, Bars(names, values, colours=colours, notes=notes), label_w=label_w, xlabel=xlabel, fmt=fmt)
        if share:  # a share of 0..1: no tick beyond 100%
            ax.set_xticks([t / 5 for t in range(6)])
        if created:
            titled(fig, title, subtitle)
    return fig if created else ax


def _frontier(result: Any, ax: Axes | None, *, title: str | None = None) -> Figure | Axes:
    frame = result.to_frame()
    budgets = frame["budget"].to_numpy(float)
    benefit = frame["benefit"].to_numpy(float)
    heading = title or "Benefit of the best plan for each budget"
    names: dict[str, str] = {}
    for plan in result.plans:
        names.update(zip(plan.initiatives["id"], plan.initiatives["name"], strict=True))
    labels = [", ".join(names.get(i.strip(), i.strip()) for i in added.split(",")) if added else ""
              for added in frame["added"]]
    return _curve(budgets, benefit, frame["cost"].to_numpy(float), ax, heading, getattr(result, "model_name", ""),
                  labels=labels)


def _plan(result: Any, ax: Axes | None, *, title: str | None = None) -> Figure | Axes:
    frame = result.initiatives
    chosen = frame[frame["chosen"]].copy()
    if chosen.empty:
        raise AnalysisInputError("the plan chooses no initiative: nothing to draw")
    chosen["_ratio"] = chosen["benefit_alone"] / chosen["cost_alone"].where(chosen["cost_alone"] > 0, np.nan)
    chosen = chosen.sort_values(["_ratio", "id"], ascending=[False, True], na_position="first", kind="stable")
    cost = np.concatenate([[0.0], np.cumsum(chosen["cost"].to_numpy(float))])
    gain = np.concatenate([[0.0], np.cumsum(chosen["benefit_alone"].to_numpy(float))])
    gain *= result.benefit / gain[-1] if gain[-1] > 0 else 0.0  # alone benefits overlap: scale to the plan's
    heading = title or f"Plan for a budget of {format_number(result.budget)}: cost against benefit"
    return _curve(cost, gain, cost, ax, heading, getattr(result, "model_name", ""),
                  labels=["", *chosen["name"]], budget=result.budget)


def _curve(x: np.ndarray, y: np.ndarray, cost: np.ndarray, ax: Axes | None, heading: str, subtitle: str, *,
           labels: list[str], budget: float | None = None) -> Figure | Axes:
    with style():
        created = ax is None
        if ax is None:
            fig = new_figure(8.6, 5.2)
            ax = fig.add_axes((0.1, 0.13, 0.62, 0.68))
        else:
            fig = ax.get_figure(root=True)  # type: ignore[assignment]
        colour = colormap()(0.8)
        ax.step(x, y, where="post", color=colour, lw=2.0, zorder=3)
        ax.plot(x, y, "o", color=colour, ms=4, zorder=4)
        if budget is not None:
            ax.axvline(budget, color=SOFT_INK, lw=1.0, ls=(0, (4, 2)))
            ax.annotate("budget", (budget, 0), xytext=(3, 3), textcoords="offset points", fontsize=7.5,
                        color=SOFT_INK, rotation=90, va="bottom", ha="left")
        ax.xaxis.set_major_formatter(lambda v, _: format_tick(v))
        ax.yaxis.set_major_formatter(lambda v, _: format_tick(v))
        ax.tick_params(labelsize=7.5)
        ax.grid(color="#e6e6e6", lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel("budget / cost", fontsize=8.5)
        ax.set_ylabel("benefit (total pain removed)", fontsize=8.5)
        ax.set_ylim(bottom=0)
        # the initiatives added at each step, listed beside the chart (never on top of the curve)
        steps = [(xi, lab) for xi, lab in zip(x, labels, strict=True) if lab]
        if created and steps:
            fh = fig.get_size_inches()[1]
            lines = [fit_text(f"{format_number(xi)}: {lab}", 2.25, 7.0, 1) for xi, lab in steps[:24]]
            if len(steps) > 24:
                lines.append(f"… and {len(steps) - 24} more")
            fig.text(0.75, 0.81, "Added at each step", fontsize=8, fontweight="bold", color=INK, va="top")
            fig.text(0.75, 0.81 - 0.22 / fh, "\n".join(lines), fontsize=7.0, color=SOFT_INK, va="top",
                     linespacing=1.25)
        if created:
            titled(fig, heading, subtitle)
    return fig if created else ax


def _scorecard(result: Any, ax: Axes | None, *, top: int | None = 15, title: str | None = None) -> Figure | Axes:
    frame = result.to_frame().sort_values(["impact", "id"], ascending=[False, True], kind="stable")
    frame = frame if top is None else frame.head(top)
    unit = str(getattr(result, "unit", "") or "")
    spofs = frame["spofs"] if "spofs" in frame.columns else [0] * len(frame)
    notes = [f"{int(n)} single point{'s' if n != 1 else ''} of failure" if n else "" for n in spofs]
    return _simple_bars(list(frame["name"]), list(frame["impact"].astype(float)), ax, notes=notes,
                        title=title or "Customer impact of what each owner runs",
                        subtitle=getattr(result, "model_name", ""),
                        xlabel=f"customer impact ({unit})" if unit else "customer impact")


def _compare(result: Any, ax: Axes | None, *, top: int | None = 15, title: str | None = None) -> Figure | Axes:
    frame = result.to_frame()
    frame = frame.assign(_a=frame["impact_change"].abs())
    frame = frame[frame["_a"] > 0].sort_values(["_a", "id"], ascending=[False, True], kind="stable")
    frame = frame if top is None else frame.head(top)
    cmap = colormap()
    values = list(frame["impact_change"].astype(float))
    colours = [cmap(0.85) if v > 0 else cmap(0.3) for v in values]
    unit = str(getattr(result, "unit", "") or "")
    heading = title or (f"Largest changes in customer impact: {result.before_name} → {result.after_name}"
                        if hasattr(result, "before_name") else "Largest changes in customer impact")
    return _simple_bars(list(frame["name"]), values, ax, title=heading,
                        subtitle="dark: more impact after the change; light: less" if values else "no change",
                        xlabel=f"change in customer impact ({unit})" if unit else "change in customer impact",
                        fmt=lambda v: ("+" if v > 0 else "") + format_number(v), colours=colours)


def _gaps(result: Any, ax: Axes | None, *, top: int | None = 15, title: str | None = None) -> Figure | Axes:
    frame = result.to_frame().sort_values(["gap", "id"], ascending=[False, True], kind="stable")
    frame = frame if top is None else frame.head(top)
    return _simple_bars(list(frame["name"]), list(frame["gap"].astype(float)), ax,
                        title=title or "Largest metric gaps", subtitle=getattr(result, "model_name", ""),
                        xlabel="gap: share of the target not reached", fmt=lambda v: f"{v:.0%}", share=True)


def _resilience(result: Any, ax: Axes | None, *, scenario: str | None = None, journey: str | None = None,
                **options: Any) -> Figure | Axes:
    from .resilience import disruption_heatmap, disruption_timeline

    if scenario is not None and journey is not None:
        return disruption_timeline(result, scenario, journey, ax=ax, **options)
    return disruption_heatmap(result, ax=ax, **options)


_HANDLERS: dict[str, Callable[..., Figure | Axes]] = {
    "ImpactResult": _ranking,
    "PainResult": _ranking,
    "PrioritiesResult": _ranking,
    "SensitivityResult": _ranking,
    "SpofResult": _ranking,
    "WhatIfResult": _what_if,
    "PlanResult": _plan,
    "FrontierResult": _frontier,
    "ScorecardResult": _scorecard,
    "CompareResult": _compare,
    "GapsResult": _gaps,
    "ResilienceResult": _resilience,
}
