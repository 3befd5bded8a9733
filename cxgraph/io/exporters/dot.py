"""Graphviz DOT export: a cluster per journey (with its stages) and per element lane."""

from __future__ import annotations

from typing import Any

from ...model import Model
from ._layout import LANES, Layout, NodeInfo, impact_colour

__all__ = ["dot_text", "to_dot"]

_SHAPES = {
    "touchpoint": "box", "system": "box", "service": "box", "data": "cylinder",
    "infrastructure": "box3d", "process": "cds", "team": "box", "vendor": "hexagon",
}
_FILLS = {
    "journey": ("#e8f1fb", "#3b6ea5"), "services": ("#f4f6f8", "#5b6b7f"), "data": ("#f3efe7", "#8a7350"),
    "processes": ("#edf5ee", "#4f7f5b"), "owners": ("#f5eef5", "#7f5b7a"),
}


def dot_text(text: str) -> str:
    r"""Return ``text`` as a double-quoted DOT string: backslashes and quotes escaped, line breaks as ``\n``.

    Examples
    --------
    >>> from cxgraph.io.exporters.dot import dot_text
    >>> print(dot_text('A "quoted" \\ name\nline 2'))
    "A \"quoted\" \\ name\nline 2"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n")
    escaped = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in escaped)
    return '"' + escaped.replace("\n", "\\n") + '"'


def _attrs(pairs: dict[str, str | float | int]) -> str:
    parts = []
    for key, value in pairs.items():
        text = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(f"{key}={dot_text(text)}")
    return "[" + ", ".join(parts) + "]"


def _node(layout: Layout, node: NodeInfo, indent: str) -> str:
    kind = getattr(node.item, "kind", "touchpoint")
    fill, line = _FILLS[node.lane]
    font = "#1b1b1b"
    value = layout.impact.get(node.item.id)
    if value is not None and node.lane != "journey":
        fill, font = impact_colour(value, layout.top_impact)
    style = "rounded,filled" if kind in ("touchpoint", "system", "service", "team") else "filled"
    attrs: dict[str, str | float | int] = {
        "label": layout.label(node), "id": node.item.id, "kind": kind, "shape": _SHAPES[kind],
        "style": style, "fillcolor": fill, "color": line, "fontcolor": font,
    }
    if value is not None:
        attrs["impact"] = value
        if node.item.id in layout.rank:
            attrs["impact_rank"] = layout.rank[node.item.id]
    return f"{indent}{node.nid} {_attrs(attrs)};"


def _cluster(name: str, title: str, indent: str) -> list[str]:
    return [f"{indent}subgraph {name} {{", f"{indent}  label={dot_text(title)}; fontsize=\"12\";"]


def to_dot(model: Model, result: Any = None) -> str:
    r"""Return the model as a Graphviz DOT digraph.

    Touchpoints sit in a cluster per journey (and per stage within it), elements in a
    cluster per lane. An edge ``A -> B`` reads "A depends on B"; its pen width shows the
    strength, its label the strength below 1 and the redundancy group; a dashed grey line
    joins an element to its owner. Nodes carry ``id`` (the model id) and ``kind``; with an
    impact ``result`` also ``impact`` and ``impact_rank``, and elements are filled on one
    colour-blind-safe scale. Render with ``dot -Tsvg model.dot -o model.svg``.

    Parameters
    ----------
    model
        The model to export.
    result
        Optional: an impact result (:func:`cxgraph.impact`) or a mapping of id to number.

    Examples
    --------
    >>> m = cx.Model(name="Shop")
    >>> buy = m.add_journey("buy", "Buy", customers=100)
    >>> _ = buy.add_touchpoint("pay", "Pay", depends_on=["psp"])
    >>> _ = m.add_element("psp", "Payment provider", kind="vendor")
    >>> print(cx.io.exporters.to_dot(m, {"psp": 100.0}))  # doctest: +NORMALIZE_WHITESPACE
    digraph "cxgraph" {
      graph [label="Shop", labelloc="t", fontname="Helvetica", fontsize="16", rankdir="TB", charset="UTF-8",
        nodesep="0.25", ranksep="0.7", style="rounded", color="#c9d2dc"];
      node [fontname="Helvetica", fontsize="10", margin="0.12,0.06"];
      edge [color="#6b7785", arrowsize="0.6", fontname="Helvetica"];
      subgraph cluster_j0 {
        label="Buy"; fontsize="12";
        n0 [label="Pay", id="pay", kind="touchpoint", shape="box", style="rounded,filled", fillcolor="#e8f1fb",
          color="#3b6ea5", fontcolor="#1b1b1b"];
      }
      subgraph cluster_owners {
        label="Teams and vendors"; fontsize="12";
        n1 [label="Payment provider\n100", id="psp", kind="vendor", shape="hexagon", style="filled",
          fillcolor="#b10026", color="#7f5b7a", fontcolor="#ffffff", impact="100"];
      }
      n0 -> n1 [penwidth="2"];
    }
    """
    layout = Layout(model, result)
    graph = {"label": model.name, "labelloc": "t", "fontname": "Helvetica", "fontsize": 16, "rankdir": "TB",
             "charset": "UTF-8", "nodesep": 0.25, "ranksep": 0.7, "style": "rounded", "color": "#c9d2dc"}
    lines = [
        'digraph "cxgraph" {',
        f"  graph {_attrs(graph)};",
        f"  node {_attrs({'fontname': 'Helvetica', 'fontsize': 10, 'margin': '0.12,0.06'})};",
        f"  edge {_attrs({'color': '#6b7785', 'arrowsize': 0.6, 'fontname': 'Helvetica'})};",
    ]
    for j, journey in enumerate(model.journeys):
        nodes = [n for n in layout.nodes if n.journey is journey]
        lines += _cluster(f"cluster_j{j}", journey.name, "  ")
        stage_ids = {s.id for s in journey.stages}
        lines += [_node(layout, n, "    ") for n in nodes if n.item.stage not in stage_ids]  # type: ignore[union-attr]
        for s, stage in enumerate(journey.stages):
            members = [n for n in nodes if n.item.stage == stage.id]  # type: ignore[union-attr]
            if members:
                lines += _cluster(f"cluster_j{j}s{s}", stage.name, "    ")
                lines += [_node(layout, n, "      ") for n in members]
                lines.append("    }")
        lines.append("  }")
    for lane, title, _ in LANES:
        nodes = layout.lane(lane)
        if nodes:
            lines += _cluster(f"cluster_{lane}", title, "  ")
            lines += [_node(layout, n, "    ") for n in nodes]
            lines.append("  }")
    item = {n.item.id: n.item for n in layout.nodes}
    for source, target, strength, group in layout.edges():
        attrs: dict[str, str | float | int] = {"penwidth": round(0.6 + 1.4 * strength, 2)}
        label = layout.link_label(item[source], strength, group)
        if label:
            attrs.update(label=label, fontsize=8, fontcolor="#4a5560")
        if group is not None:
            attrs["style"] = "dashed"
        lines.append(f"  {layout.nid[source]} -> {layout.nid[target]} {_attrs(attrs)};")
    for element, owner in layout.owner_links():
        attrs = {"style": "dotted", "arrowhead": "none", "color": "#a7b0bb", "constraint": "false"}
        lines.append(f"  {layout.nid[element]} -> {layout.nid[owner]} {_attrs(attrs)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
