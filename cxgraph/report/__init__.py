"""One self-contained HTML report of a model: impact, failures, priorities, the plan, and the diagrams.

Examples
--------
>>> from cxgraph.report import render
>>> html = render(cx.examples.load("retail-bank"))
>>> html.startswith("<!DOCTYPE html>") and "Retail bank" in html
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._files import write_text
from ..errors import AnalysisInputError
from ..model import Model
from . import _page, figures
from ._page import esc
from ._planning import plan_for, plan_section, priorities_section
from ._resilience import resilience_section
from ._sections import Context, capabilities, elements, explore, failures, headline, journeys, producer
from .evidence import evidence_section

__all__ = ["figures", "render", "report"]


def render(model: Model, *, measure: str | Mapping[str, float] = "interactions", budget: float | None = None,
           evidence: Any = None) -> str:
    """Return the report of ``model`` as one HTML document (text); see :func:`report`.

    Examples
    --------
    >>> from cxgraph.report import render
    >>> html = render(cx.examples.load("telecom"), measure="revenue")
    >>> "/ month" in html
    True
    """
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int | float)
                               or not math.isfinite(budget) or budget < 0):
        raise AnalysisInputError(f"budget must be a finite number >= 0, got {budget!r}")
    model.check()
    ctx = Context(model, measure, budget)
    spof_fn = producer("single_points_of_failure")
    spof = spof_fn(model).to_frame() if spof_fn is not None else None
    plan = plan_for(ctx)
    parts = [
        ("summary", "Summary", headline(ctx, spof, plan)),
        ("capabilities", "Capabilities", capabilities(ctx)),
        ("elements", "Elements", elements(ctx)),
        ("failures", "Single points of failure", failures(ctx, spof)),
        ("journeys", "Journeys", journeys(ctx)),
        ("explore", "Explore", explore(ctx)),
        ("priorities", "Priorities", priorities_section(ctx)),
        ("plan", "Plan", plan_section(ctx, plan)),
        ("evidence", "Evidence", evidence_section(model, evidence)),
        ("resilience", "Resilience", resilience_section(ctx)),
    ]
    sections = [(anchor, text, body) for anchor, text, body in parts if body]
    fonts = figures.font_faces(ctx.svgs) if ctx.svgs else ""
    return _page.page(model.name, _lede(model, ctx), sections, _footer(ctx), fonts=fonts)


def _lede(model: Model, ctx: Context) -> str:
    return (f"Which IT capabilities, systems, processes and teams the customers' journeys rest on, "
            f"and what to fix first. Impact is counted in {ctx.unit}.")


def _footer(ctx: Context) -> str:
    from .. import __version__

    terms = [
        ("Measure", {"interactions": f"customers per {ctx.model.period} × journey importance × reach × importance "
                                     "of each touchpoint",
                     "customers": f"customers per {ctx.model.period} × journey importance who cannot complete their "
                                  "journey (a funnel of its required touchpoints)",
                     "revenue": f"revenue per {ctx.model.period} that customers cannot complete"}.get(
            ctx.measure if isinstance(ctx.measure, str) else "", f"the chosen weight per touchpoint ({ctx.unit})")),
        ("Impact", "the weight of the touchpoints lost if the element (or every element of the capability) fails, "
                   "each touchpoint counted by the share of its function lost"),
        ("Share of all", "impact divided by the total weight of all touchpoints"),
        ("Single point of failure", "an element whose failure alone stops a touchpoint completely"),
        ("Experience gap", "how far a metric falls short of its target, from 0 to 100%"),
        ("Total pain", "weight × experience gap over touchpoints, plus impact × own gap over elements"),
    ]
    rows = "".join(f"<dt>{esc(t)}</dt><dd>{esc(d)}</dd>" for t, d in terms)
    return (f"<h2>How to read this report</h2><dl>{rows}</dl>"
            f"<p>Made with cxgraph {esc(__version__)} from the model “{esc(ctx.model.name)}”. The same model gives "
            f"the same report. This file is self-contained: it loads nothing from the network.</p>")


def report(model: Model, path: str | Path, *, measure: str | Mapping[str, float] = "interactions",
           budget: float | None = None, evidence: Any = None) -> Path:
    """Write one self-contained HTML report of ``model`` to ``path`` and return the path.

    The report holds the headline numbers, the capabilities and elements with the most
    customer impact, the single points of failure, the service blueprint of every journey and
    the capability map (inline SVG), and, when the model has initiatives, the priorities and the
    plan for a budget. Tables sort by clicking a column header. The file loads nothing: no
    fonts, scripts or images from the network (its Content-Security-Policy forbids it).

    Parameters
    ----------
    model
        The model to report on (it is checked first).
    path
        The HTML file to write (UTF-8).
    measure
        What impact counts: ``"interactions"`` (per period, the default), ``"customers"``,
        ``"revenue"`` or a mapping of touchpoint id to weight (DESIGN §3).
    budget
        Budget of the plan; by default half the cost of all initiatives.
    evidence
        The :class:`~cxgraph.CalibrationReport` of the model, if it was calibrated: the
        "Evidence" section then lists the files read and the names that matched nothing too
        (values written by :func:`~cxgraph.calibrate` are listed either way).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = cx.report(cx.examples.load("retail-bank"), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> path.read_text(encoding="utf-8").count("<svg") >= 4
    True
    """
    target = Path(path)
    text = render(model, measure=measure, budget=budget, evidence=evidence)
    write_text(target, text)
    return target
