"""What every exporter shares: lanes, generated node ids, impact values, colours and number formats."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import AnalysisInputError
from ...model import Model, point
from ...model.items import Element, Journey, Touchpoint

__all__ = ["LANES", "Layout", "NodeInfo", "compact", "impact_colour", "lane_of"]

LANES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("services", "Systems and services", ("system", "service")),
    ("data", "Data and infrastructure", ("data", "infrastructure")),
    ("processes", "Processes", ("process",)),
    ("owners", "Teams and vendors", ("team", "vendor")),
)
"""The element lanes, top to bottom: (lane id, title, element kinds in it)."""

# ColorBrewer YlOrRd, 7 classes: sequential and colour-blind safe; light = little impact.
_PALETTE = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026")


def lane_of(kind: str) -> str:
    """Return the lane id an element kind is drawn in.

    Examples
    --------
    >>> from cxgraph.io.exporters._layout import lane_of
    >>> lane_of("data"), lane_of("vendor")
    ('data', 'owners')
    """
    for lane, _, kinds in LANES:
        if kind in kinds:
            return lane
    raise ValueError(f"unknown element kind {kind!r}")


def impact_colour(value: float, top: float) -> tuple[str, str]:
    """Return ``(fill, text colour)`` for an impact ``value`` on a scale from 0 to ``top``.

    Examples
    --------
    >>> from cxgraph.io.exporters._layout import impact_colour
    >>> impact_colour(0, 100), impact_colour(100, 100)
    (('#ffffb2', '#1b1b1b'), ('#b10026', '#ffffff'))
    """
    share = value / top if top > 0 else 0.0
    index = min(len(_PALETTE) - 1, max(0, math.ceil(share * (len(_PALETTE) - 1) - 1e-9)))
    return _PALETTE[index], "#ffffff" if index >= 4 else "#1b1b1b"


def compact(value: float) -> str:
    """Format a number shortly for a diagram label: 950, 12.3k, 4.56M.

    Examples
    --------
    >>> from cxgraph.io.exporters._layout import compact
    >>> compact(950), compact(12345), compact(4_560_000), compact(0.25)
    ('950', '12.3k', '4.56M', '0.25')
    """
    size = abs(value)
    for bound, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= bound:
            return f"{value / bound:.3g}{suffix}"
    return f"{value:.3g}"


def _impact_of(result: Any) -> tuple[dict[str, float], dict[str, int], str | None]:
    if result is None:
        return {}, {}, None
    if isinstance(result, Mapping):
        impact, rank, unit = result, {}, None
    elif isinstance(getattr(result, "impact", None), Mapping):
        impact, rank, unit = result.impact, getattr(result, "rank", None) or {}, getattr(result, "unit", None)
    else:
        raise AnalysisInputError(
            f"result must be an impact result (cx.impact(model)) or a mapping of id to number, "
            f"got {type(result).__name__}")
    values: dict[str, float] = {}
    for key, number in impact.items():
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise AnalysisInputError(f"impact of {key!r} must be a finite number, got {number!r}")
        values[str(key)] = float(number)
    return values, {str(k): int(v) for k, v in rank.items()}, unit


@dataclass(frozen=True)
class NodeInfo:
    """One exported node: its generated id, the model item and where it is drawn."""

    nid: str
    item: Touchpoint | Element
    lane: str
    journey: Journey | None = None


@dataclass
class Layout:
    """The model arranged for export: generated ids (``n0``, ``n1``, ...) in drawing order, lanes, impact.

    Touchpoints come first, journey by journey in customer order, then elements lane by lane
    (in model order within a lane). Ids are generated so that no name can break a format.

    Examples
    --------
    >>> from cxgraph.io.exporters._layout import Layout
    >>> layout = Layout(cx.examples.load("retail-bank"))
    >>> layout.nodes[0].nid, layout.nodes[0].lane
    ('n0', 'journey')
    """

    model: Model
    result: Any = None
    nodes: list[NodeInfo] = field(init=False)
    impact: dict[str, float] = field(init=False)
    rank: dict[str, int] = field(init=False)
    unit: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.impact, self.rank, self.unit = _impact_of(self.result)
        nodes: list[NodeInfo] = []
        for journey in self.model.journeys:
            for tp in journey.touchpoints:
                nodes.append(NodeInfo(f"n{len(nodes)}", tp, "journey", journey))
        for lane, _, kinds in LANES:
            for element in self.model.elements:
                if element.kind in kinds:
                    nodes.append(NodeInfo(f"n{len(nodes)}", element, lane))
        self.nodes = nodes
        self.nid = {node.item.id: node.nid for node in nodes}

    @property
    def top_impact(self) -> float:
        """The largest element impact (the top of the colour scale), 0 without a result."""
        return max((self.impact.get(n.item.id, 0.0) for n in self.nodes if n.lane != "journey"), default=0.0)

    def lane(self, lane: str) -> list[NodeInfo]:
        """Return the nodes of one element lane, in order."""
        return [n for n in self.nodes if n.lane == lane]

    def edges(self) -> list[tuple[str, str, float, str | None]]:
        """Return the dependency links as ``(from id, to id, strength, group)``, in model order."""
        return [(node.item.id, dep.element, float(point(dep.strength)), dep.group)
                for node in self.nodes for dep in node.item.depends_on]

    def owner_links(self) -> list[tuple[str, str]]:
        """Return ``(element id, owner id)`` for every owned element that does not also depend on its owner."""
        links = []
        for node in self.nodes:
            owner = getattr(node.item, "owner", None)
            if owner and owner in self.nid and all(d.element != owner for d in node.item.depends_on):
                links.append((node.item.id, owner))
        return links

    def group_size(self, item: Touchpoint | Element, group: str) -> tuple[int, int]:
        """Return ``(needed, size)`` of a redundancy group of ``item``."""
        size = sum(1 for d in item.depends_on if d.group == group)
        return item.needs.get(group, 1), size

    def link_label(self, item: Touchpoint | Element, strength: float, group: str | None) -> str:
        """Return the text shown on a link: its strength below 1, and its redundancy group."""
        parts = []
        if group is not None:
            needed, size = self.group_size(item, group)
            parts.append(f"{group}: {needed} of {size}")
        if strength < 1:
            parts.append(f"{strength:g}")
        return " · ".join(parts)

    def label(self, node: NodeInfo) -> str:
        """Return the node's label: its name, and its impact on a second line when known."""
        value = self.impact.get(node.item.id)
        if value is None:
            return node.item.name
        return f"{node.item.name}\n{compact(value)}"
