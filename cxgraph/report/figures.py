"""Matplotlib figures as inline SVG: ids made unique per figure, sized to the page, no XML prolog."""

from __future__ import annotations

import importlib
import io
import re
from typing import Any

from ..errors import AnalysisInputError
from ..model import Model

__all__ = ["figure_svg", "model_svg"]

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^")]+)')
_SIZE = re.compile(r'(<svg\b[^>]*?)\s+width="([\d.]+)pt"\s+height="([\d.]+)pt"')


def figure_svg(figure: Any, *, prefix: str = "f", title: str | None = None) -> str:
    """Return a matplotlib figure as SVG text to put inside an HTML page.

    Every ``id`` in the SVG, and every reference to one, gets ``prefix`` in front, so that
    several figures in one page cannot take each other's clip paths or glyphs. The XML
    prolog is dropped; the ``<svg>`` keeps its ``viewBox`` and scales to the page width (no
    wider than drawn). Text is drawn as outlines, so the figure needs no font to show.

    Parameters
    ----------
    figure
        A matplotlib ``Figure`` (or an ``Axes``, whose figure is used).
    prefix
        Text put in front of every id; use a different one for each figure in a page.
    title
        Optional accessible title (``role="img"`` with ``aria-label``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> from cxgraph.report.figures import figure_svg
    >>> svg = figure_svg(fig, prefix="a-", title="A line")
    >>> svg.startswith('<svg') and 'id="a-' in svg and "<?xml" not in svg
    True
    >>> 'style="max-width:192px;width:100%;height:auto"' in svg  # 144 pt = 192 CSS px
    True
    """
    fig = figure if hasattr(figure, "savefig") else figure.get_figure(root=True)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOG.sub("", buffer.getvalue(), count=1)
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)

    def size(match: re.Match[str]) -> str:
        width_px = float(match.group(2)) * 4 / 3
        label = f' role="img" aria-label="{_attr(title)}"' if title else ""
        return f'{match.group(1)}{label} style="max-width:{width_px:.0f}px;width:100%;height:auto"'

    return _SIZE.sub(size, svg, count=1).strip()


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def model_svg(model: Model, result: Any = None, **options: Any) -> str:
    """Return the model's service blueprint (:func:`cxgraph.draw.blueprint`) as SVG text.

    Parameters
    ----------
    model
        The model to draw.
    result
        Optional impact result or mapping of id to number (computed when omitted).
    **options
        Passed to :func:`cxgraph.draw.blueprint` (``journey=``, ``focus=``, ``top=``, ...).

    Examples
    --------
    >>> from cxgraph.report.figures import model_svg
    >>> svg = model_svg(cx.examples.load("retail-bank"), journey="open-account")
    >>> svg.startswith("<svg") and svg.endswith("</svg>")
    True
    """
    try:
        draw = importlib.import_module("cxgraph.draw")
    except ImportError as err:  # pragma: no cover - the drawing package ships with cxgraph
        raise AnalysisInputError(f"drawing needs cxgraph.draw, which cannot be imported: {err}") from err
    figure = draw.blueprint(model, result, **options)
    return figure_svg(figure, prefix="bp-", title=f"Service blueprint of {model.name}")
