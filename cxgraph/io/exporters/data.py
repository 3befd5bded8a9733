"""Graph data exports through networkx's own writers: GraphML, Cytoscape.js JSON and node-link JSON."""

from __future__ import annotations

import inspect
import io
import json
from typing import Any

import networkx as nx

from ...model import Model, point
from ._layout import Layout

__all__ = ["export_graph", "to_cytoscape", "to_graphml", "to_node_link"]


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None}


def export_graph(model: Model, result: Any = None) -> nx.DiGraph:
    """Return the graph the data exports write: plain text and number attributes only.

    Nodes are keyed by model id (ids hold only letters, digits, ``-``, ``_`` and ``.``).
    Every node has ``name``, ``type`` ("touchpoint" or "element"), ``kind`` and ``lane``
    (``journey``, ``services``, ``data``, ``processes`` or ``owners``); touchpoints add
    ``journey``, ``segment``, ``stage``, ``channel``, ``reach``, ``importance``, ``customers``
    and ``weight`` (customers x reach x importance); elements add ``owner``; ``needs`` is JSON
    text where set. With an impact ``result``, ``impact`` (float) and ``rank`` (int) where
    known, and the graph's ``unit``. Attributes that do not apply are left out (GraphML has
    no null). Edges: ``strength`` (float) and ``group`` where set.

    Examples
    --------
    >>> g = cx.io.exporters.export_graph(cx.examples.load("retail-bank"))
    >>> g.nodes["oa-compare"]["kind"], g.nodes["web-portal"]["lane"]
    ('touchpoint', 'services')
    """
    layout = Layout(model, result)
    graph = nx.DiGraph(**_clean({"name": model.name, "period": model.period, "unit": layout.unit}))
    for node in layout.nodes:
        item = node.item
        attrs: dict[str, Any] = {"name": item.name}
        if node.journey is not None:
            reach, importance = float(point(item.reach)), float(point(item.importance))  # type: ignore[union-attr]
            customers = float(point(node.journey.customers))
            journey_importance = float(point(node.journey.importance))
            attrs.update(type="touchpoint", kind="touchpoint", lane=node.lane, journey=node.journey.id,
                         segment=node.journey.segment, stage=item.stage, channel=item.channel,  # type: ignore[union-attr]
                         reach=reach, importance=importance, customers=customers,
                         weight=customers * journey_importance * reach * importance)
        else:
            attrs.update(type="element", kind=item.kind, lane=node.lane, owner=item.owner)  # type: ignore[union-attr]
        if item.needs:
            attrs["needs"] = json.dumps(item.needs, sort_keys=True)
        if item.id in layout.impact:
            attrs["impact"] = layout.impact[item.id]
        if item.id in layout.rank:
            attrs["rank"] = layout.rank[item.id]
        graph.add_node(item.id, **_clean(attrs))
    for source, target, strength, group in layout.edges():
        graph.add_edge(source, target, **_clean({"strength": strength, "group": group}))
    return graph


def to_graphml(model: Model, result: Any = None) -> str:
    """Return the model as GraphML (written by :func:`networkx.write_graphml`).

    Read it back with ``networkx.read_graphml(path)``: the same nodes, edges and attributes
    as :func:`export_graph`. yEd, Gephi and Cytoscape open it.

    Examples
    --------
    >>> import networkx as nx, io
    >>> text = cx.io.exporters.to_graphml(cx.examples.load("retail-bank"))
    >>> g = nx.read_graphml(io.BytesIO(text.encode()))
    >>> g.nodes["web-portal"]["kind"]
    'system'
    """
    buffer = io.BytesIO()
    nx.write_graphml(export_graph(model, result), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_cytoscape(model: Model, result: Any = None) -> str:
    """Return the model as Cytoscape.js JSON (written by :func:`networkx.cytoscape_data`).

    Load it in Cytoscape.js with ``cytoscape({elements: data.elements})``, or read it back
    with ``networkx.cytoscape_graph(data)``. Node data carry ``id`` (the model id), ``name``,
    ``kind``, ``lane`` and, with a result, ``impact`` and ``rank``.

    Examples
    --------
    >>> import json
    >>> data = json.loads(cx.io.exporters.to_cytoscape(cx.examples.load("retail-bank")))
    >>> data["elements"]["nodes"][0]["data"]["id"], data["data"]["name"]
    ('oa-compare', 'Retail bank')
    """
    data = nx.cytoscape_data(export_graph(model, result))
    data["data"] = dict(data["data"])  # Cytoscape reads the graph's data as an object (networkx: pairs)
    return _json(data)


def node_link_options() -> dict[str, str]:
    """Return the keyword that makes networkx's node-link functions use the key ``edges`` for links.

    Pass it to ``networkx.node_link_graph(data, **node_link_options())`` when reading an export
    back with a networkx older than 3.6 (where the default key was ``links``).

    Examples
    --------
    >>> cx.io.exporters.node_link_options()
    {'edges': 'edges'}
    """
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        return {"edges": "edges"}
    return {"link": "edges"}  # pragma: no cover - networkx < 3.4


def to_node_link(model: Model, result: Any = None) -> str:
    """Return the model as node-link JSON (written by :func:`networkx.node_link_data`).

    The nodes are under ``nodes`` (each with ``id`` and its attributes), the dependency
    links under ``edges`` (each with ``source``, ``target``, ``strength``, ``group``), the
    model's name, period and impact unit under ``graph``. Read it back with
    ``networkx.node_link_graph(data, edges="edges")``; D3 force layouts read it as it is
    (with ``data.edges`` as the links).

    Examples
    --------
    >>> import json
    >>> data = json.loads(cx.io.exporters.to_node_link(cx.examples.load("retail-bank")))
    >>> data["graph"]["name"], data["edges"][0]["source"]
    ('Retail bank', 'oa-compare')
    """
    return _json(nx.node_link_data(export_graph(model, result), **node_link_options()))
