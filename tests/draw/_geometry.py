"""Measuring a rendered figure: text bounding boxes, overlaps, and which boxes a line passes through."""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, PathPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TOLERANCE = 0.5  # pixels: anti-aliasing may touch, but no glyph may sit on another


def rendered_texts(fig: Figure) -> list[tuple[Text, Bbox]]:
    """Every visible, non-empty text of the figure with its extent in display pixels, after a real draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = set()  # labels of ticks outside their axis' view: kept by matplotlib, never drawn
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not (lo - 1e-9 * max(1.0, abs(hi)) <= tick.get_loc() <= hi + 1e-9 * max(1.0, abs(hi))):
                    hidden.update({id(tick.label1), id(tick.label2)})
    out = []
    for text in fig.findobj(Text):
        if id(text) in hidden:
            continue
        if text.get_visible() and text.get_text().strip() and text.get_alpha() != 0:
            out.append((text, text.get_window_extent(renderer)))
    return out


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts whose extents intersect by more than TOLERANCE pixels in both directions."""
    items = rendered_texts(fig)
    bad = []
    for (ta, a), (tb, b) in itertools.combinations(items, 2):
        dx = min(a.x1, b.x1) - max(a.x0, b.x0)
        dy = min(a.y1, b.y1) - max(a.y0, b.y0)
        if dx > TOLERANCE and dy > TOLERANCE:
            bad.append((ta.get_text(), tb.get_text()))
    return bad


def texts_outside(fig: Figure) -> list[str]:
    """Texts that reach beyond the figure's edges."""
    w, h = fig.bbox.width, fig.bbox.height
    return [t.get_text() for t, b in rendered_texts(fig)
            if b.x0 < -TOLERANCE or b.y0 < -TOLERANCE or b.x1 > w + TOLERANCE or b.y1 > h + TOLERANCE]


def by_gid(fig: Figure, prefix: str) -> dict[str, object]:
    """Artists whose gid starts with ``prefix:``, keyed by the rest of the gid."""
    out = {}
    for artist in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix + ":")):
        out[artist.get_gid().split(":", 1)[1]] = artist
    return out


def labels_outside_boxes(fig: Figure) -> list[str]:
    """Box labels (and feet) whose text extent is not inside the extent of their own box."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = by_gid(fig, "box")
    bad = []
    for prefix in ("label", "foot"):
        for key, text in by_gid(fig, prefix).items():
            if not text.get_text().strip():
                continue
            t = text.get_window_extent(renderer)
            b = boxes[key].get_window_extent(renderer)
            if t.x0 < b.x0 - TOLERANCE or t.x1 > b.x1 + TOLERANCE or t.y0 < b.y0 - TOLERANCE or t.y1 > b.y1 + TOLERANCE:
                bad.append(f"{prefix}:{key}")
    return bad


def links_through_boxes(fig: Figure) -> list[tuple[str, str]]:
    """(link, box) pairs where a dependency line passes through a box that is neither of its ends."""
    fig.canvas.draw()
    boxes = {k: v for k, v in by_gid(fig, "box").items() if isinstance(v, FancyBboxPatch)}
    extents = {k: (p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height())
               for k, p in boxes.items()}
    bad = []
    for kind in ("link", "owner"):
        for key, patch in by_gid(fig, kind).items():
            assert isinstance(patch, PathPatch)
            source, target = key.split(">")
            points = np.concatenate([poly for poly in patch.get_path().to_polygons(closed_only=False)])
            dense = np.concatenate([np.linspace(a, b, 20) for a, b in itertools.pairwise(points)])
            for name, (x0, y0, x1, y1) in extents.items():
                if name in (source, target):
                    continue
                inside = (dense[:, 0] > x0 + 0.01) & (dense[:, 0] < x1 - 0.01) & \
                         (dense[:, 1] > y0 + 0.01) & (dense[:, 1] < y1 - 0.01)
                if inside.any():
                    bad.append((key, name))
    return bad
