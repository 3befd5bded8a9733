"""Where everything in a service blueprint goes: a deterministic layout in inches.

The layout is computed from the model alone (plus the numbers used to rank elements), so the
same input always gives the same picture. Columns are touchpoints, in journey order; below
the line of visibility, each lane holds rows of element slots aligned with those columns,
and every element goes to the free slot nearest to the things that depend on it.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field

from ..model import Journey, Model, point
from ._style import fit_text

__all__ = ["LANES", "Box", "Layout", "Link", "box_label", "layout_blueprint"]

LANES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Services & systems", ("service", "system")),
    ("Data & infrastructure", ("data", "infrastructure")),
    ("Processes", ("process",)),
    ("Teams & vendors", ("team", "vendor")),
)
"""The lanes below the line of visibility, top to bottom, with the element kinds each holds."""

# Geometry, in inches.
MARGIN = 0.3
LABEL_COL = 1.3
PITCH = 1.24
BOX_W = 1.06
JOURNEY_GAP = 0.36
TITLE_H = 0.8
JOURNEY_H = 0.52
STAGE_H = 0.36
TP_H = 0.8
VISIBILITY_GAP = 0.42
EL_H = 0.72
ROW_GAP = 0.44
LANE_PAD = 0.14
LEGEND_H = 1.3
PAD = 0.06

# Font sizes, in points.
TITLE_SIZE = 14.0
SUBTITLE_SIZE = 9.0
JOURNEY_SIZE = 10.0
SMALL_SIZE = 7.5
LABEL_SIZE = 7.2
FOOT_SIZE = 6.4
LANE_SIZE = 8.5

ROW_COST = 1.7  # how many columns of distance a new row is worth when choosing an element's slot


@dataclass
class Box:
    """One touchpoint or element: its centre, size, text and the number it is coloured by."""

    id: str
    kind: str
    x: float
    y: float
    w: float
    h: float
    label: str
    foot: str
    value: float | None
    size: float = 7.2
    badge: str = ""

    @property
    def top(self) -> float:
        """Upper edge."""
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        """Lower edge."""
        return self.y - self.h / 2


@dataclass(frozen=True)
class Link:
    """A dependency ``source -> target`` drawn between two boxes."""

    source: str
    target: str
    strength: float
    group: str | None
    owner: bool = False


@dataclass
class Layout:
    """Everything the blueprint draws, positioned in inches (origin at the bottom left)."""

    width: float
    height: float
    title: str
    subtitle: str
    boxes: dict[str, Box] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    journeys: list[tuple[float, float, float, str, str]] = field(default_factory=list)
    stages: list[tuple[float, float, float, str]] = field(default_factory=list)
    lanes: list[tuple[float, float, str]] = field(default_factory=list)
    visibility_y: float = 0.0
    touchpoint_band: tuple[float, float] = (0.0, 0.0)
    hidden: int = 0
    shown: int = 0
    hidden_touchpoints: int = 0
    hidden_note: str = ""
    rows: list[tuple[float, float]] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)

    def rows_between(self, upper: float, lower: float) -> list[tuple[float, float]]:
        """Return the rows of boxes (bottom, top) lying strictly between heights ``upper`` and ``lower``."""
        return [(b, t) for b, t in self.rows if t < upper - 1e-9 and b > lower + 1e-9]

    def gap_near(self, x: float) -> float:
        """Return the x of the free vertical channel between columns nearest to ``x``."""
        return min(self.gaps, key=lambda g: (abs(g - x), g))


def _reachable(model: Model, starts: list[str]) -> set[str]:
    deps = {item.id: [d.element for d in item.depends_on] for item in [*model.touchpoints, *model.elements]}
    seen: set[str] = set()
    queue = deque(starts)
    while queue:
        for nxt in deps.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _group_badges(model: Model, shown: set[str]) -> dict[str, str]:
    """Return "needs k of n" for every shown item with a redundancy group that has a link on the diagram."""
    badges: dict[str, str] = {}
    for item in [*model.touchpoints, *model.elements]:
        if item.id not in shown:
            continue
        sizes: dict[str, int] = {}
        drawn: set[str] = set()  # groups with at least one link on the diagram
        for dep in item.depends_on:
            if dep.group is not None:
                sizes[dep.group] = sizes.get(dep.group, 0) + 1
                if dep.element in shown:
                    drawn.add(dep.group)
        parts = [f"{item.needs.get(g, 1)} of {n}" for g, n in sorted(sizes.items()) if n > 1 and g in drawn]
        if parts:
            badges[item.id] = "needs " + " · ".join(parts)
    return badges


def _slot_x(columns: list[float], n_slots: int) -> list[float]:
    """Slots under the touchpoint columns, extended on both sides when a lane needs more."""
    xs = list(columns)
    left = True
    while len(xs) < n_slots:
        if left:
            xs.insert(0, xs[0] - PITCH)
        else:
            xs.append(xs[-1] + PITCH)
        left = not left
    return xs


def layout_blueprint(model: Model, touchpoints: list[str], elements: list[str], values: dict[str, float], *,
                     title: str, subtitle: str, hidden: int, foot: dict[str, str] | None = None) -> Layout:
    """Lay out a blueprint of ``touchpoints`` (in journey order) over ``elements`` (already chosen).

    ``values`` colour the boxes; ``foot`` overrides the small line under each label.
    """
    foot = foot or {}
    shown_tp = set(touchpoints)
    tp_journey = {tp.id: (j, tp) for j in model.journeys for tp in j.touchpoints if tp.id in shown_tp}
    element_by_id = {el.id: el for el in model.elements}
    shown_el = [e for e in elements if e in element_by_id]
    shown = shown_tp | set(shown_el)

    # ---- columns: journeys left to right, touchpoints in order, a gap between journeys
    x = MARGIN + LABEL_COL + PITCH / 2
    columns: list[float] = []
    column_of: dict[str, float] = {}
    journey_spans: list[tuple[float, float, Journey]] = []
    for journey in model.journeys:
        tps = [tp for tp in journey.touchpoints if tp.id in shown_tp]
        if not tps:
            continue
        start = x
        for tp in tps:
            column_of[tp.id] = x
            columns.append(x)
            x += PITCH
        journey_spans.append((start - PITCH / 2, x - PITCH / 2, journey))
        x += JOURNEY_GAP
    if not columns:
        columns = [MARGIN + LABEL_COL + PITCH / 2]

    # ---- lanes: which elements go where, and in which order they choose their slot
    lanes = [(name, [e for e in shown_el if element_by_id[e].kind in kinds]) for name, kinds in LANES]
    lanes = [(name, members) for name, members in lanes if members]
    biggest = max((len(m) for _, m in lanes), default=0)
    n_slots = max(len(columns), math.ceil(biggest / 3))
    slots = _slot_x(columns, n_slots)

    dependents: dict[str, list[str]] = {e: [] for e in shown_el}
    for item in [*model.touchpoints, *model.elements]:
        if item.id in shown:
            for dep in item.depends_on:
                if dep.element in dependents and item.id != dep.element:
                    dependents[dep.element].append(item.id)
    owned: dict[str, list[str]] = {}
    for e in shown_el:
        owner = element_by_id[e].owner
        if owner in dependents:
            owned.setdefault(owner, []).append(e)

    # distance from the touchpoints shown, following dependencies (owners only: after everything)
    distance: dict[str, float] = {}
    frontier = [t for t in touchpoints]
    level = 0
    seen = set(frontier)
    while frontier:
        level += 1
        nxt = []
        for item_id in frontier:
            item = element_by_id.get(item_id) or tp_journey[item_id][1]
            for dep in item.depends_on:
                if dep.element in dependents and dep.element not in seen:
                    seen.add(dep.element)
                    distance[dep.element] = level
                    nxt.append(dep.element)
        frontier = nxt
    order = sorted(shown_el, key=lambda e: (distance.get(e, math.inf), -values.get(e, 0.0), e))

    placed_x: dict[str, float] = dict(column_of)
    rows_of: dict[str, list[dict[int, str]]] = {name: [] for name, _ in lanes}
    row_of: dict[str, tuple[str, int]] = {}
    lane_of = {e: name for name, members in lanes for e in members}
    centre = (slots[0] + slots[-1]) / 2
    for e in order:
        anchors = [(placed_x[d], values.get(d, 0.0)) for d in dependents[e] if d in placed_x]
        if not anchors:
            anchors = [(placed_x[o], values.get(o, 0.0)) for o in owned.get(e, []) if o in placed_x]
        target = _weighted_median(anchors) if anchors else centre
        rows = rows_of[lane_of[e]]
        best: tuple[float, int, int] | None = None
        for r in range(len(rows) + 1):
            taken = rows[r] if r < len(rows) else {}
            for s, sx in enumerate(slots):
                if s in taken:
                    continue
                cost = abs(sx - target) / PITCH + ROW_COST * r
                if best is None or (cost, r, s) < best:
                    best = (cost, r, s)
        assert best is not None
        _, r, s = best
        if r == len(rows):
            rows.append({})
        rows[r][s] = e
        placed_x[e] = slots[s]
        row_of[e] = (lane_of[e], r)

    # ---- vertical positions, from the top down
    lane_heights = [LANE_PAD * 2 + len(rows_of[name]) * (EL_H + ROW_GAP) - ROW_GAP for name, _ in lanes]
    body = TITLE_H + JOURNEY_H + STAGE_H + TP_H + VISIBILITY_GAP + sum(lane_heights) + LEGEND_H
    left_edge = min(slots[0], columns[0]) - PITCH / 2
    right_edge = max(slots[-1], columns[-1]) + PITCH / 2
    shift = MARGIN + LABEL_COL - left_edge  # slots may extend left of the first touchpoint column
    width = right_edge + shift + MARGIN
    height = body + MARGIN * 2
    lay = Layout(width=max(width, 8.0), height=height, title=title, subtitle=subtitle, hidden=hidden,
                 shown=len(shown_el))

    y = height - MARGIN - TITLE_H
    for x0, x1, journey in journey_spans:
        name = fit_text(journey.name, x1 - x0 - 2 * PAD, JOURNEY_SIZE, 1, "bold")
        lay.journeys.append((x0 + shift, x1 + shift, y, name, _journey_subtitle(model, journey, x1 - x0)))
    y -= JOURNEY_H
    for _, _, journey in journey_spans:
        runs: list[tuple[str | None, float, float]] = []  # consecutive touchpoints of one stage
        for tp in journey.touchpoints:
            if tp.id not in shown_tp:
                continue
            x0, x1 = column_of[tp.id] - PITCH / 2, column_of[tp.id] + PITCH / 2
            if runs and runs[-1][0] == tp.stage:
                runs[-1] = (tp.stage, runs[-1][1], x1)
            else:
                runs.append((tp.stage, x0, x1))
        names = {st.id: st.name for st in journey.stages}
        for stage, s0, s1 in runs:
            label = names.get(stage, "") if stage else ""
            text = fit_text(label, s1 - s0 - 2 * PAD, SMALL_SIZE, 2, "bold") if label else ""
            lay.stages.append((s0 + shift, s1 + shift, y, text))
    y -= STAGE_H
    tp_top = y
    y -= TP_H / 2
    for tp_id in touchpoints:
        if tp_id not in column_of:
            continue
        _, tp = tp_journey[tp_id]
        value = values.get(tp_id)
        text, size = box_label(tp.name)
        lay.boxes[tp_id] = Box(tp_id, "touchpoint", column_of[tp_id] + shift, y, BOX_W, TP_H - 0.08, text,
                               _foot(foot.get(tp_id), tp.channel, value), value, size)
    y -= TP_H / 2
    lay.touchpoint_band = (y, tp_top)
    lay.rows.append((y + 0.04, tp_top - 0.04))
    y -= VISIBILITY_GAP / 2
    lay.visibility_y = y
    y -= VISIBILITY_GAP / 2
    for (name, _), lane_h in zip(lanes, lane_heights, strict=True):
        lay.lanes.append((y - lane_h, y, name))
        for r, row in enumerate(rows_of[name]):
            cy = y - LANE_PAD - r * (EL_H + ROW_GAP) - EL_H / 2
            lay.rows.append((cy - EL_H / 2, cy + EL_H / 2))
            for s, e in sorted(row.items()):
                el = element_by_id[e]
                value = values.get(e)
                text, size = box_label(el.name)
                lay.boxes[e] = Box(e, el.kind, slots[s] + shift, cy, BOX_W, EL_H, text,
                                   _foot(foot.get(e), el.kind, value), value, size)
        y -= lane_h

    grid = sorted(set(slots) | set(columns))
    lay.gaps = [grid[0] - PITCH / 2 + shift, *((a + b) / 2 + shift for a, b in itertools.pairwise(grid)),
                grid[-1] + PITCH / 2 + shift]
    for item_id, badge in _group_badges(model, set(lay.boxes)).items():
        lay.boxes[item_id].badge = badge
    for item in [*model.touchpoints, *model.elements]:
        if item.id not in lay.boxes:
            continue
        for dep in item.depends_on:
            if dep.element in lay.boxes and dep.element != item.id:
                lay.links.append(Link(item.id, dep.element, point(dep.strength), dep.group))
    for e in shown_el:
        owner = element_by_id[e].owner
        if owner in lay.boxes and owner != e and not any(
                lk.source == e and lk.target == owner for lk in lay.links):
            lay.links.append(Link(e, owner, 0.0, None, owner=True))
    return lay


def box_label(name: str) -> tuple[str, float]:
    r"""Return a box's label wrapped to at most four lines, and its font size.

    The size steps down (to 6 pt at least) when a name would otherwise be cut.

    Examples
    --------
    >>> from cxgraph.draw._layout import box_label
    >>> box_label("Network fault and performance monitoring")
    ('Network fault\nand\nperformance\nmonitoring', 7.2)
    """
    for size in (LABEL_SIZE, 6.6, 6.0):
        text = fit_text(name, BOX_W - 2 * PAD, size, 4)
        if not text.endswith("…") and "…\n" not in text:
            return text, size
    return text, size


def _weighted_median(points: list[tuple[float, float]]) -> float:
    """Return the x that the heaviest half of ``(x, weight)`` points lies on either side of.

    The median keeps an element next to the journey that leans on it most, where a mean would
    strand it halfway between two distant journeys. Weights of 0 count a little, so that
    points with no impact still pull.
    """
    pts = sorted((x, max(w, 0.0)) for x, w in points)
    total = sum(w for _, w in pts)
    floor = total * 0.01 / len(pts) if total > 0 else 1.0
    pts = [(x, w + floor) for x, w in pts]
    half = sum(w for _, w in pts) / 2
    run = 0.0
    for i, (x, w) in enumerate(pts):
        run += w
        if abs(run - half) < 1e-9 * half and i + 1 < len(pts):
            return (x + pts[i + 1][0]) / 2
        if run > half:
            return x
    return pts[-1][0]


def _foot(override: str | None, kind: str | None, value: float | None) -> str:
    from ._style import format_number

    if override is not None:
        return override
    parts = [p for p in (kind, format_number(value) if value is not None else None) if p]
    return " · ".join(parts)


def _journey_subtitle(model: Model, journey: Journey, width: float) -> str:
    from ._style import format_number

    text = f"{format_number(point(journey.customers))} customers / {model.period}"
    if journey.segment:
        text += f" · {journey.segment}"
    return fit_text(text, width - 2 * PAD, SMALL_SIZE, 1)
