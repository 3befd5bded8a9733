"""The interactive view: the blueprint and the dependency graph in a browser, each element's blast radius on a click.

One HTML fragment (inline data, the bundled Cytoscape.js and a small script; nothing loaded
from the network) serves the HTML report and notebooks (:func:`explore`). Every number shown
is worked out here, in Python, by the engine: the page only looks them up.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.colors import to_hex

from ..model import Model
from . import _layout as L
from ._explore_page import APP_JS, CSS
from ._inputs import impact_values
from ._style import colormap, format_number, impact_norm
from ._vendor import cytoscape_js

__all__ = ["Explorer", "explore", "explore_data", "explore_fragment"]

#: Points per inch of the blueprint's layout, as pixels in the view.
_PX = 100.0


def explore_data(model: Model, result: Any = None, *, measure: str | Mapping[str, float] = "interactions"
                 ) -> dict[str, Any]:
    """Return what the interactive view shows, as plain data: nodes, links and every element's blast radius.

    Nodes sit where the service blueprint puts them (inches times 100, y downwards); each
    element's blast radius lists every node that loses function when it fails alone (with the
    share lost) and the journeys it hits, with their loss in ``measure``.

    Examples
    --------
    >>> data = cx.draw.explore_data(cx.examples.load("retail-bank"))
    >>> blast = data["blast"]["payment-hub"]
    >>> blast["d"]["payment-hub"], blast["n_touchpoints"] > 0, data["unit"]
    (1.0, True, 'interactions / month')
    """
    from ..engine import compile_model

    c = compile_model(model)
    m = c.measure(measure)
    values = impact_values(model, result).values
    touchpoints = [tp.id for j in model.journeys for tp in j.touchpoints]
    elements = [e.id for e in model.elements]
    lay = L.layout_blueprint(model, touchpoints, elements, values, title=model.name, subtitle="", hidden=0)
    norm = impact_norm([values.get(i, 0.0) for i in lay.boxes])
    cmap = colormap()
    journey_of = {tp.id: j.id for j in model.journeys for tp in j.touchpoints}
    nodes = []
    for box in lay.boxes.values():
        value = values.get(box.id, 0.0)
        nodes.append({"id": box.id, "name": _name(model, box.id), "kind": box.kind, "journey": journey_of.get(box.id),
                      "x": round(box.x * _PX, 1), "y": round((lay.height - box.y) * _PX, 1),
                      "w": round(box.w * _PX, 1), "h": round(box.h * _PX, 1),
                      "impact": format_number(value), "color": to_hex(cmap(norm(value))) if value > 0 else "#ffffff"})
    links = [{"source": link.source, "target": link.target, "strength": link.strength,
              "group": link.group or "", "owner": link.owner} for link in lay.links]
    return {"title": model.name, "unit": m.unit, "measure": m.name, "nodes": nodes, "links": links,
            "journeys": [{"id": j.id, "name": j.name} for j in model.journeys],
            "blast": _blast(model, c, m, elements)}


def _name(model: Model, item_id: str) -> str:
    return model.get(item_id).name


def _blast(model: Model, c: Any, m: Any, elements: list[str]) -> dict[str, Any]:
    """Every element's blast radius: ``d`` per node (d > 0), the journeys hit and their loss."""
    scenarios = [{c.node(e): 1.0} for e in elements]
    if not scenarios:
        return {}
    out = c.run(scenarios, m, degradation=True)
    share = c.journey_loss(scenarios)  # share of each journey's customers who cannot complete it
    if m.funnel:
        loss = share * m.journey_weight[None, :]
    else:
        loss = np.zeros_like(share)
        per = c.run(scenarios, m, journeys=True)
        loss[per.journey_s, per.journey_j] = per.journey_v
    names = {j.id: j.name for j in model.journeys}
    blast: dict[str, Any] = {}
    for s, e in enumerate(elements):
        sel = out.d_s == s
        d = {c.ids[int(u)]: round(float(v), 4) for u, v in zip(out.d_u[sel], out.d_v[sel], strict=True)}
        hit = [(c.journey_ids[j], float(loss[s, j]), float(share[s, j])) for j in range(len(c.journey_ids))
               if loss[s, j] > 0 or share[s, j] > 0]
        hit.sort(key=lambda r: (-r[1], r[0]))
        blast[e] = {
            "d": d,
            "n_touchpoints": sum(1 for u in out.d_u[sel] if u < c.n_touchpoints),
            "n_elements": sum(1 for u in out.d_u[sel] if u >= c.n_touchpoints) - 1,
            "loss": format_number(float(out.impact[s]) if not m.funnel else float(loss[s].sum())),
            "journeys": [{"id": j, "name": names.get(j, j), "loss": format_number(v), "share": f"{p:.0%}"}
                         for j, v, p in hit],
        }
    return blast


def explore_fragment(model: Model, result: Any = None, *, measure: str | Mapping[str, float] = "interactions",
                     height: int = 640) -> str:
    """Return the interactive view as an HTML fragment (a ``<div>`` and its scripts) to place in a page.

    Examples
    --------
    >>> fragment = cx.draw.explore_fragment(cx.examples.load("telecom"))
    >>> fragment.startswith('<div class="cx-explore"'), "cytoscape" in fragment
    (True, True)
    """
    data = explore_data(model, result, measure=measure)
    # No markup in the data, whatever the names hold: <, > and & as JSON escapes.
    payload = (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
               .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    view = "cx-explore-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:10]  # the same model, the same page
    unit = html.escape(data["unit"])
    return (
        f'<div class="cx-explore" id="{view}">'
        '<div class="cx-bar" role="toolbar" aria-label="Explore the dependencies">'
        '<input type="search" class="cx-search" placeholder="Search by name" aria-label="Search by name">'
        '<button type="button" data-act="zoom-in" title="Zoom in">+</button>'
        '<button type="button" data-act="zoom-out" title="Zoom out">−</button>'
        '<button type="button" data-act="fit" title="Show everything">Fit</button>'
        '<span class="cx-sep"></span>'
        '<button type="button" data-layout="blueprint" aria-pressed="true">Blueprint</button>'
        '<button type="button" data-layout="dependencies" aria-pressed="false">Dependencies</button>'
        '</div><div class="cx-main">'
        f'<div class="cx-canvas" style="height:{int(height)}px" aria-label="Dependency graph"></div>'
        '<aside class="cx-panel" aria-live="polite"><p class="cx-hint">Click an element to light up its blast '
        f'radius: everything that loses function when it fails, and the journeys it hits ({unit}). '
        'Click the background to clear; scroll or use the buttons to zoom.</p></aside></div>'
        f'<script type="application/json" class="cx-data">{payload}</script>'
        f'<style>{CSS}</style>'
        f'<script>{cytoscape_js()}</script>'
        f'<script>{APP_JS}</script>'
        '</div>'
    )


@dataclass(frozen=True)
class Explorer:
    """The interactive view of a model, for a notebook (shown in place) or a file (:meth:`save`).

    Examples
    --------
    >>> view = cx.draw.explore(cx.examples.load("retail-bank"))
    >>> view.html.startswith("<!DOCTYPE html>"), "<iframe" in view._repr_html_()
    (True, True)
    """

    html: str
    height: int = 700

    def _repr_html_(self) -> str:
        # A sandboxed frame runs the view's scripts in every notebook front end, apart from the notebook's own.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{self.height}px;border:0" title="cxgraph explorer"></iframe>')

    def save(self, path: Any) -> None:
        """Write the view as one self-contained HTML file (it loads nothing from the network)."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.html)


def explore(model: Model, result: Any = None, *, measure: str | Mapping[str, float] = "interactions",
            height: int = 640) -> Explorer:
    """Return the interactive blueprint and dependency view of ``model``: click an element to see its blast radius.

    Boxes are coloured by customer impact (``result``, an ``ImpactResult`` or a mapping of id
    to number; computed when omitted). Clicking an element lights up everything that loses
    function when it fails, and lists the journeys it hits with their loss in ``measure``;
    the search box finds boxes by name; the view zooms and pans. In a notebook the returned
    object shows itself; :meth:`Explorer.save` writes it to an HTML file.

    Parameters
    ----------
    model
        The model to explore.
    result
        What colours the boxes: an ``ImpactResult`` or a mapping of id to number.
    measure
        The measure of the journeys' loss: ``"interactions"``, ``"customers"``, ``"revenue"``
        or a mapping of touchpoint id to weight.
    height
        Height of the view in pixels.

    Returns
    -------
    Explorer
        The view; ``.html`` is the whole page.

    Examples
    --------
    >>> view = cx.draw.explore(cx.examples.load("retail-bank"))
    >>> view.save("explore.html")  # doctest: +SKIP
    """
    fragment = explore_fragment(model, result, measure=measure, height=height)
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(model.name)} · '
            'cxgraph explorer</title><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            '<style>body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1d2733}</style></head>'
            f"<body>{fragment}</body></html>")
    return Explorer(page, height + 60)
