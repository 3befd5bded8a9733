"""Mermaid flowchart export: a subgraph per journey (with its stages) and per element lane."""

from __future__ import annotations

import json
from typing import Any

from ...model import Model
from ._layout import LANES, Layout, NodeInfo, impact_colour

__all__ = ["mermaid_text", "to_mermaid"]

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_/:()+?!")

# Node shapes by kind: (opening, closing) around the quoted label.
_SHAPES = {
    "touchpoint": ("(", ")"),
    "system": ("[", "]"),
    "service": ("[", "]"),
    "data": ("[(", ")]"),
    "infrastructure": ("[[", "]]"),
    "process": ("[/", "/]"),
    "team": ("([", "])"),
    "vendor": ("{{", "}}"),
}

_CLASSES = {
    "touchpoint": "fill:#e8f1fb,stroke:#3b6ea5,color:#10263f",
    "services": "fill:#f4f6f8,stroke:#5b6b7f,color:#1b1b1b",
    "data": "fill:#f3efe7,stroke:#8a7350,color:#1b1b1b",
    "processes": "fill:#edf5ee,stroke:#4f7f5b,color:#1b1b1b",
    "owners": "fill:#f5eef5,stroke:#7f5b7a,color:#1b1b1b",
}


def mermaid_text(text: str) -> str:
    r"""Escape ``text`` for a quoted Mermaid label: anything but plain words becomes an entity code.

    Line breaks become ``<br/>``; quotes, brackets, ``#``, ``;``, ``|``, ``<`` and ``&`` become
    ``#NN;`` codes that Mermaid turns back into the characters, so no name can end a label early.

    Examples
    --------
    >>> from cxgraph.io.exporters.mermaid import mermaid_text
    >>> mermaid_text('Say "hi"; [a|b]')
    'Say #34;hi#34;#59; #91;a#124;b#93;'
    >>> mermaid_text("two\nlines")
    'two<br/>lines'
    """
    out = []
    for ch in text.replace("\r\n", "\n"):
        if ch == "\n":
            out.append("<br/>")
        elif ch in _SAFE or (ord(ch) > 127 and ch.isprintable()):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def _node(layout: Layout, node: NodeInfo, indent: str) -> str:
    kind = getattr(node.item, "kind", "touchpoint")
    opening, closing = _SHAPES[kind]
    return f'{indent}{node.nid}{opening}"{mermaid_text(layout.label(node))}"{closing}'


def _journey_lines(layout: Layout) -> list[str]:
    lines: list[str] = []
    for j, journey in enumerate(layout.model.journeys):
        nodes = [n for n in layout.nodes if n.journey is journey]
        lines.append(f'  subgraph j{j}["{mermaid_text(journey.name)}"]')
        stage_ids = {s.id for s in journey.stages}
        for node in nodes:
            if node.item.stage not in stage_ids:  # type: ignore[union-attr]
                lines.append(_node(layout, node, "    "))
        for s, stage in enumerate(journey.stages):
            members = [n for n in nodes if n.item.stage == stage.id]  # type: ignore[union-attr]
            if members:
                lines.append(f'    subgraph j{j}s{s}["{mermaid_text(stage.name)}"]')
                lines += [_node(layout, n, "      ") for n in members]
                lines.append("    end")
        lines.append("  end")
    return lines


def _lane_lines(layout: Layout) -> list[str]:
    lines: list[str] = []
    for lane, title, _ in LANES:
        nodes = layout.lane(lane)
        if nodes:
            lines.append(f'  subgraph {lane}["{mermaid_text(title)}"]')
            lines += [_node(layout, n, "    ") for n in nodes]
            lines.append("  end")
    return lines


def _title(name: str) -> str:
    # Mermaid shows the title as HTML without decoding entity codes: use look-alikes for markup characters.
    return " ".join(name.translate({ord("<"): "‹", ord(">"): "›", ord("&"): "＆"}).split())


def _width(strength: float) -> float:
    return round((1 + 2 * strength) * 2) / 2  # 1px (weak) to 3px (full), in half pixels


def to_mermaid(model: Model, result: Any = None) -> str:
    """Return the model as a Mermaid flowchart.

    Touchpoints sit in a subgraph per journey (and per stage within it), elements in a
    subgraph per lane: systems and services, data and infrastructure, processes, teams
    and vendors. An arrow ``A --> B`` reads "A depends on B"; its width shows the strength,
    its label the strength below 1 and the redundancy group. A dotted line joins an
    element to its owner. With an impact ``result`` each node's label shows its impact
    and each element is filled on one colour-blind-safe scale (light: low, dark red: high).
    The title shows ``<``, ``>`` and ``&`` as look-alikes (Mermaid would read them as markup).

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
    >>> _ = buy.add_touchpoint("pay", 'Pay "now"', depends_on=["psp"])
    >>> _ = m.add_element("psp", "Payment provider", kind="vendor")
    >>> print(cx.io.exporters.to_mermaid(m))
    ---
    title: "Shop"
    ---
    flowchart TB
      subgraph j0["Buy"]
        n0("Pay #34;now#34;")
      end
      subgraph owners["Teams and vendors"]
        n1{{"Payment provider"}}
      end
      n0 --> n1
      linkStyle 0 stroke-width:3px
      classDef touchpoint fill:#e8f1fb,stroke:#3b6ea5,color:#10263f
      classDef owners fill:#f5eef5,stroke:#7f5b7a,color:#1b1b1b
      class n0 touchpoint
      class n1 owners
      style j0 fill:#fafbfc,stroke:#c9d2dc,color:#33414e
      style owners fill:#fafbfc,stroke:#c9d2dc,color:#33414e
    """
    layout = Layout(model, result)
    lines = ["---", f"title: {json.dumps(_title(model.name), ensure_ascii=False)}", "---", "flowchart TB"]
    lines += _journey_lines(layout)
    lines += _lane_lines(layout)

    widths: dict[float, list[int]] = {}
    item = {n.item.id: n.item for n in layout.nodes}
    links = 0
    for source, target, strength, group in layout.edges():
        label = layout.link_label(item[source], strength, group)
        arrow = f'-->|"{mermaid_text(label)}"|' if label else "-->"
        lines.append(f"  {layout.nid[source]} {arrow} {layout.nid[target]}")
        widths.setdefault(_width(strength), []).append(links)
        links += 1
    owned = []
    for element, owner in layout.owner_links():
        lines.append(f"  {layout.nid[element]} -.- {layout.nid[owner]}")
        owned.append(links)
        links += 1
    for width in sorted(widths):
        lines.append(f"  linkStyle {','.join(map(str, widths[width]))} stroke-width:{width:g}px")
    if owned:
        lines.append(f"  linkStyle {','.join(map(str, owned))} stroke:#a7b0bb,stroke-width:1px")

    classes = {"touchpoint": [n.nid for n in layout.nodes if n.lane == "journey"]}
    for lane, _, _ in LANES:
        classes[lane] = [n.nid for n in layout.lane(lane)]
    for name, members in classes.items():
        if members:
            lines.append(f"  classDef {name} {_CLASSES[name]}")
    for name, members in classes.items():
        if members:
            lines.append(f"  class {','.join(members)} {name}")
    stages = [f"j{j}s{s}" for j, journey in enumerate(layout.model.journeys) for s, stage in
              enumerate(journey.stages) if any(tp.stage == stage.id for tp in journey.touchpoints)]
    outer = [f"j{j}" for j in range(len(layout.model.journeys))] + [lane for lane, _, _ in LANES if layout.lane(lane)]
    lines += [f"  style {name} fill:#fafbfc,stroke:#c9d2dc,color:#33414e" for name in outer]
    lines += [f"  style {name} fill:#f1f5fa,stroke:#d5dde6,color:#33414e" for name in stages]
    if layout.impact:
        top = layout.top_impact
        for node in layout.nodes:
            if node.lane != "journey" and node.item.id in layout.impact:
                fill, text = impact_colour(layout.impact[node.item.id], top)
                lines.append(f"  style {node.nid} fill:{fill},color:{text}")
    return "\n".join(lines) + "\n"
