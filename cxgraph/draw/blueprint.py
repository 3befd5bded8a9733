"""The service-blueprint impact diagram: journeys on top, the IT behind them in lanes below."""

from __future__ import annotations

import importlib
import itertools
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..errors import AnalysisInputError, UnknownIdError
from ..model import Model
from . import _layout as L
from ._inputs import impact_values
from ._style import (
    BAND,
    INK,
    SOFT_INK,
    colormap,
    figure_and_axes,
    fit_inches,
    fit_text,
    format_tick,
    impact_norm,
    ink_for,
    style,
    whole_text,
)

__all__ = ["blueprint"]

DEFAULT_TOP = 40
DEFAULT_MAX_TOUCHPOINTS = 48


def blueprint(model: Model, result: Any = None, *, journey: str | None = None, focus: str | None = None,
              ax: Axes | None = None, top: int | None = DEFAULT_TOP,
              max_touchpoints: int | None = DEFAULT_MAX_TOUCHPOINTS, title: str | None = None) -> Figure | Axes:
    """Draw the service blueprint of ``model``, every box coloured by customer impact.

    Journeys run across the top, their touchpoints left to right in the customer's order and
    grouped under their stages. Below the line of visibility, lanes hold the services and
    systems, data and infrastructure, processes, and teams and vendors. Lines are dependencies
    (thicker = stronger); dashed lines with a "needs 1 of 2" badge are redundant alternatives;
    dotted lines lead to an element's owner. Colour is customer impact on one colour-blind-safe
    scale, explained by the colour bar.

    Parameters
    ----------
    model
        The model to draw.
    result
        An ``ImpactResult`` from :func:`cxgraph.impact`, or a mapping of id to number to colour by.
        Computed with ``cx.impact(model)`` when omitted.
    journey
        Draw only this journey (and the elements it depends on), coloured by the impact on it.
    focus
        Draw the blast radius of this element: everything that loses function when it fails,
        coloured by the share lost (from :func:`cxgraph.what_if`).
    ax
        Draw into this Axes (the drawing is scaled to fit it). By default a new figure is
        created, sized to its content.
    top
        Show at most this many elements, those with the highest impact (or degradation with
        ``focus``); a note says how many are hidden. ``None`` shows all.
    max_touchpoints
        Show at most this many touchpoints (columns), those with the most customer weight (or
        degradation), still in journey order; a note says how many are hidden. ``None`` shows all.
    title
        Title above the diagram (default: the model's name and what is shown).

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.axes.Axes
        The new figure, or ``ax`` when one was given.

    Examples
    --------
    >>> model = cx.examples.load("retail-bank")
    >>> fig = cx.draw.blueprint(model, journey="open-account")
    >>> boxes = [p.get_gid() for p in fig.axes[0].patches if (p.get_gid() or "").startswith("box:")]
    >>> boxes[:3]
    ['box:oa-compare', 'box:oa-branch-enquiry', 'box:oa-apply-online']
    >>> fig.savefig("open-account.svg")  # doctest: +SKIP
    """
    if top is not None and top < 0:
        raise AnalysisInputError(f"top must be a positive number of elements or None, got {top}")
    if max_touchpoints is not None and max_touchpoints < 1:
        raise AnalysisInputError(f"max_touchpoints must be at least 1 or None, got {max_touchpoints}")
    journeys = model.journeys
    if journey is not None:
        ids = [j.id for j in model.journeys]
        if journey not in ids:
            raise UnknownIdError(journey, ids, what="journey")
        journeys = [j for j in model.journeys if j.id == journey]
    element_ids = [e.id for e in model.elements]
    if focus is not None and focus not in element_ids:
        raise UnknownIdError(focus, element_ids, what="element")

    touchpoints = [tp.id for j in journeys for tp in j.touchpoints]
    reach = L._reachable(model, touchpoints) if journey is not None else set(element_ids)
    owners = {e.owner for e in model.elements if e.id in reach and e.owner}
    candidates = [e for e in element_ids if e in reach or e in owners]

    if focus is None:
        vals = impact_values(model, result, journey=journey)
        values = vals.values
        rank = {e: values.get(e, 0.0) for e in candidates}
        colour_label = vals.label
        heading = title or (model.name + (f": {journeys[0].name}" if journey else "")
                            + " — where customer impact sits")
        sub = ("Colour: customers' interactions lost per " + model.period + " if the box fails. "
               if vals.unit.startswith("interactions") else "Colour: " + vals.label + ". ")
        foot: dict[str, str] = {}
    else:
        what_if = importlib.import_module("cxgraph").what_if(model, fail=[focus])
        values = {k: float(v) for k, v in what_if.degradation.items()}
        focus_name = next(e.name for e in model.elements if e.id == focus)
        affected_tps = [t for t in touchpoints if values.get(t, 0.0) > 0]
        touched = {model.journey_of(t).id for t in affected_tps}
        touchpoints = [tp.id for j in journeys if j.id in touched for tp in j.touchpoints]
        candidates = [e for e in element_ids if values.get(e, 0.0) > 0 or e == focus]
        rank = {e: values.get(e, 0.0) for e in candidates}
        colour_label = f"share of function lost when “{focus_name}” fails"
        heading = title or f"{model.name}: blast radius of “{focus_name}”"
        sub = (f"{len(affected_tps)} touchpoints and {len(candidates) - 1} elements lose function when it fails. ")
        foot = {i: f"{round(100 * values.get(i, 0.0))}% lost" for i in [*touchpoints, *candidates]}
        foot[focus] = "fails"
        values = {k: v for k, v in values.items() if v > 0}

    hidden_tps = 0
    if max_touchpoints is not None and len(touchpoints) > max_touchpoints:
        order = {t: i for i, t in enumerate(touchpoints)}
        kept = set(sorted(touchpoints, key=lambda t: (-values.get(t, 0.0), order[t]))[:max_touchpoints])
        hidden_tps = len(touchpoints) - len(kept)
        touchpoints = [t for t in touchpoints if t in kept]
    keep = _select(model, candidates, rank, top, focus=focus, values=values)
    keep_set = set(keep)
    ordered = [e for e in element_ids if e in keep_set]
    hidden_ids = [e for e in candidates if e not in keep_set]
    sub += "Lines: dependencies (thicker = stronger)."
    lay = L.layout_blueprint(model, touchpoints, ordered, values, title=heading, subtitle=sub,
                             hidden=len(hidden_ids), foot=foot)
    lay.hidden_touchpoints = hidden_tps
    lay.hidden_note = _hidden_note(model, hidden_ids, rank, focus=focus)
    with style():
        fig, ax, created = figure_and_axes(ax, lay.width, lay.height)
        scale = fit_inches(ax, lay.width, lay.height, created)
        _draw(ax, lay, values, colour_label, scale, focus=focus)
    return fig if created else ax


def _draw(ax: Axes, lay: L.Layout, values: dict[str, float], colour_label: str, s: float, *,
          focus: str | None) -> None:
    cmap = colormap()
    shown_values = [v for k, v in values.items() if k in lay.boxes]
    norm = impact_norm([1.0]) if focus is not None else impact_norm(shown_values)
    top = lay.height - L.MARGIN
    left = L.MARGIN

    title = fit_text(lay.title, lay.width - 2 * L.MARGIN, L.TITLE_SIZE, 1, "bold")
    ax.text(left, top, title, fontsize=L.TITLE_SIZE * s, fontweight="bold", color=INK, va="top", ha="left")
    ax.text(left, top - 0.32, fit_text(lay.subtitle, lay.width - 2 * L.MARGIN, L.SUBTITLE_SIZE, 1),
            fontsize=L.SUBTITLE_SIZE * s, color=SOFT_INK, va="top", ha="left")

    # journeys and stages
    for x0, x1, y, name, subtitle in lay.journeys:
        ax.add_artist(Rectangle((x0 + 0.03, y - L.JOURNEY_H + 0.04), x1 - x0 - 0.06, L.JOURNEY_H - 0.04,
                               facecolor="#e4e4e0", edgecolor="none", zorder=1))
        ax.text(x0 + L.PAD + 0.03, y - 0.08, name, fontsize=L.JOURNEY_SIZE * s, fontweight="bold", color=INK,
                va="top", ha="left", zorder=5)
        ax.text(x0 + L.PAD + 0.03, y - 0.3, subtitle, fontsize=L.SMALL_SIZE * s, color=SOFT_INK, va="top",
                ha="left", zorder=5)
    for x0, x1, y, name in lay.stages:
        ax.add_artist(Rectangle((x0 + 0.03, y - L.STAGE_H + 0.05), x1 - x0 - 0.06, L.STAGE_H - 0.07,
                               facecolor=BAND, edgecolor="none", zorder=1))
        if name:
            ax.text((x0 + x1) / 2, y - L.STAGE_H / 2 + 0.01, name, fontsize=L.SMALL_SIZE * s, fontweight="bold",
                    color=SOFT_INK, va="center", ha="center", zorder=5, linespacing=1.0)

    # lanes, the line of visibility and the lane labels
    label_w = L.LABEL_COL - 0.1
    tb0, tb1 = lay.touchpoint_band
    ax.text(left, (tb0 + tb1) / 2, fit_text("Touchpoints", label_w, L.LANE_SIZE, 2, "bold"),
            fontsize=L.LANE_SIZE * s, fontweight="bold", color=INK, va="center", ha="left")
    for i, (y0, y1, name) in enumerate(lay.lanes):
        if i % 2 == 0:
            ax.add_artist(Rectangle((left - 0.1, y0), lay.width - 2 * L.MARGIN + 0.2, y1 - y0, facecolor="#f7f7f5",
                                   edgecolor="none", zorder=0))
        ax.text(left, y1 - L.LANE_PAD, fit_text(name, label_w, L.LANE_SIZE, 2, "bold"), fontsize=L.LANE_SIZE * s,
                fontweight="bold", color=INK, va="top", ha="left", linespacing=1.1)
    vy = lay.visibility_y
    ax.plot([left - 0.1, lay.width - L.MARGIN + 0.1], [vy, vy], color=SOFT_INK, lw=1.0 * s, ls=(0, (6, 3)),
            zorder=1)
    ax.text(left, vy + 0.04, "line of visibility", fontsize=L.FOOT_SIZE * s, color=SOFT_INK, style="italic",
            va="bottom", ha="left", zorder=5)

    _draw_links(ax, lay, s, focus=focus)

    # boxes
    for box in lay.boxes.values():
        value = values.get(box.id)
        face = cmap(norm(value)) if value is not None and value > 0 else (1.0, 1.0, 1.0, 1.0)
        ink = ink_for(face)
        edge = SOFT_INK
        lw = 0.6
        if box.id == focus:
            edge, lw = "#000000", 2.4
        shape = "round,pad=0,rounding_size=0.08" if box.kind == "touchpoint" else "square,pad=0"
        ax.add_artist(FancyBboxPatch((box.x - box.w / 2, box.bottom), box.w, box.h, boxstyle=shape,
                                    facecolor=face, edgecolor=edge, linewidth=lw * s, zorder=3, gid=f"box:{box.id}"))
        ax.text(box.x - box.w / 2 + L.PAD, box.top - L.PAD, box.label, fontsize=box.size * s, color=ink,
                va="top", ha="left", zorder=4, linespacing=1.05, gid=f"label:{box.id}")
        ax.text(box.x - box.w / 2 + L.PAD, box.bottom + L.PAD * 0.7, box.foot, fontsize=L.FOOT_SIZE * s,
                color=ink, va="bottom", ha="left", zorder=4, alpha=0.9, gid=f"foot:{box.id}")
        if box.badge:
            ax.text(box.x, box.bottom - 0.05, fit_text(box.badge, L.PITCH - 0.1, L.FOOT_SIZE, 1),
                    fontsize=L.FOOT_SIZE * s, color=INK, va="top", ha="center", zorder=6, gid=f"badge:{box.id}",
                    bbox={"boxstyle": "round,pad=0.18", "facecolor": "#fff8d0", "edgecolor": SOFT_INK,
                          "linewidth": 0.5 * s})

    _draw_legend(ax, lay, norm, colour_label, s, focus=focus)


def _route(lay: L.Layout, a: L.Box, b: L.Box) -> Path:
    """Path of a link from box ``a`` to box ``b`` that never passes behind another box.

    Lines leave and enter boxes vertically, move sideways only in the channels between rows,
    and cross rows of boxes only in the gaps between columns.
    """
    if abs(a.y - b.y) < 1e-6:  # same row: a loop through the channel below
        drop = a.bottom - min(0.3, L.ROW_GAP * 0.7)
        return Path([(a.x, a.bottom), (a.x, drop), (b.x, drop), (b.x, b.bottom)],
                    [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    down = b.y < a.y
    y0, y1 = (a.bottom, b.top) if down else (a.top, b.bottom)
    between = lay.rows_between(y0, y1) if down else lay.rows_between(y1, y0)
    if not between:
        return _s_curve([(a.x, y0), (b.x, y1)])
    first = max(t for _, t in between) if down else min(bb for bb, _ in between)
    last = min(bb for bb, _ in between) if down else max(t for _, t in between)
    gx = lay.gap_near(b.x)
    return _s_curve([(a.x, y0), (gx, first), (gx, last), (b.x, y1)])


def _s_curve(points: list[tuple[float, float]]) -> Path:
    """Join points alternately with vertical S-curves (odd legs) and straight vertical lines (even legs)."""
    verts = [points[0]]
    codes = [Path.MOVETO]
    for i, ((x0, y0), (x1, y1)) in enumerate(itertools.pairwise(points)):
        if i % 2 == 1:
            verts.append((x1, y1))
            codes.append(Path.LINETO)
            continue
        bend = 0.5 * (y1 - y0)
        verts += [(x0, y0 + bend), (x1, y1 - bend), (x1, y1)]
        codes += [Path.CURVE4] * 3
    return Path(verts, codes)


def _width(strength: float) -> float:
    """Line width in points of a dependency of this strength."""
    return 0.35 + 1.65 * strength


def _draw_links(ax: Axes, lay: L.Layout, s: float, *, focus: str | None) -> None:
    for link in lay.links:
        path = _route(lay, lay.boxes[link.source], lay.boxes[link.target])
        if link.owner:
            style = {"linestyle": (0, (1, 2)), "linewidth": 0.8 * s, "edgecolor": "#8a8a8a"}
        else:
            style = {"linestyle": (0, (4, 2)) if link.group else "solid",
                     "linewidth": _width(link.strength) * s, "edgecolor": "#5a5a5a"}
        kind = "owner" if link.owner else "link"
        ax.add_artist(PathPatch(path, facecolor="none", alpha=0.45, zorder=2, capstyle="butt",
                               gid=f"{kind}:{link.source}>{link.target}", **style))


def _draw_legend(ax: Axes, lay: L.Layout, norm: Any, label: str, s: float, *, focus: str | None) -> None:
    y = L.MARGIN + L.LEGEND_H - 0.3
    x = L.MARGIN
    bar_w = min(4.2, lay.width - 2 * L.MARGIN - 4.4)
    text, size = whole_text(label[:1].upper() + label[1:], bar_w + 0.6, 8.0, min_size=6.0, weight="bold")
    ax.text(x, y + 0.05, text, fontsize=size * s, fontweight="bold", color=INK, va="bottom", ha="left",
            linespacing=1.0)
    cax = ax.inset_axes((x, y - 0.22, bar_w, 0.18), transform=ax.transData)
    from matplotlib.colorbar import ColorbarBase

    bar = ColorbarBase(cax, cmap=colormap(), norm=norm, orientation="horizontal")
    bar.outline.set_linewidth(0.5 * s)
    if focus is not None:
        bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0])
        bar.formatter = FuncFormatter(lambda v, _: f"{v:.0%}")
    else:
        bar.set_ticks([t for t in MaxNLocator(5).tick_values(norm.vmin, norm.vmax) if norm.vmin <= t <= norm.vmax])
        bar.formatter = FuncFormatter(lambda v, _: format_tick(v))
    bar.update_ticks()
    cax.tick_params(labelsize=7.0 * s, length=2 * s, width=0.5 * s, pad=1.5 * s)

    lx = x + bar_w + 0.5
    ly = y + 0.12
    for i, (ls, strength, text) in enumerate(_key_rows(lay)):
        yy = ly - i * 0.2
        lw = 0.8 if strength is None else _width(strength)
        ax.plot([lx, lx + 0.45], [yy, yy], color="#5a5a5a", lw=lw * s, ls=ls, alpha=0.8)
        ax.text(lx + 0.55, yy, text, fontsize=7.0 * s, color=INK, va="center", ha="left")
    notes = []
    if lay.hidden:
        notes.append(f"Showing {lay.shown} elements; {lay.hidden_note}")
    if lay.hidden_touchpoints:
        many = lay.hidden_touchpoints != 1
        notes.append(f"{lay.hidden_touchpoints} touchpoint{'s' if many else ''} with less "
                     f"{'loss' if focus else 'customer weight'} {'are' if many else 'is'} hidden too.")
    if notes:  # along the bottom, under the colour bar and the key
        text, size = whole_text(" ".join(notes), lay.width - 2 * L.MARGIN, 7.5, min_size=6.5)
        ax.text(L.MARGIN, L.MARGIN + 0.3, text, fontsize=size * s, color=SOFT_INK, va="top", ha="left",
                style="italic", linespacing=1.1)


def _key_rows(lay: L.Layout) -> list[tuple[Any, float | None, str]]:
    """Return the line styles the diagram uses, for its key: the strengths present, groups and owners if drawn."""
    deps = [link for link in lay.links if not link.owner]
    strengths = sorted({round(link.strength, 2) for link in deps if not link.group})
    rows: list[tuple[Any, float | None, str]] = []
    if 1.0 in strengths or not deps:
        rows.append(("solid", 1.0, "full dependency"))
    partial = [v for v in strengths if v < 1.0]
    if partial:
        span = f"{partial[0]:g}" if len(partial) == 1 else f"{partial[0]:g}–{partial[-1]:g}"
        rows.append(("solid", partial[0], f"partial (strength {span})"))
    if any(link.group for link in deps):
        rows.append(((0, (4, 2)), 1.0, "redundant alternatives"))
    if any(link.owner for link in lay.links):
        rows.append(((0, (1, 2)), None, "owner"))
    return rows


def _groups(model: Model) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Return (element -> the elements it is an alternative to, itself included; element -> who needs the group)."""
    together: dict[str, set[str]] = {}
    users: dict[str, set[str]] = {}
    for item in [*model.touchpoints, *model.elements]:
        by_group: dict[str, list[str]] = {}
        for dep in item.depends_on:
            if dep.group is not None:
                by_group.setdefault(dep.group, []).append(dep.element)
        for members in by_group.values():
            if len(members) < 2:
                continue
            union = set(members).union(*(together.get(m, set()) for m in members))
            for m in union:
                together[m] = union
                users.setdefault(m, set()).add(item.id)
    return together, users


def _select(model: Model, candidates: list[str], rank: dict[str, float], top: int | None, *, focus: str | None,
            values: dict[str, float]) -> list[str]:
    """Return the elements to draw: at most ``top``, highest value first, redundancy groups whole.

    An element of a redundancy group carries no impact alone (the group has a spare), so a
    group ranks by what its members would take down together: the value of what needs it.
    Groups come whole, so a "needs 1 of 2" badge never points at one box. Elements with no
    value and no group (owner teams with nothing failing on them) are left out first.
    """
    if top is None:
        return list(candidates)
    together, users = _groups(model)
    cand = set(candidates)

    def worth(e: str) -> float:
        own = rank.get(e, 0.0)
        if e in together:
            own = max([own, *(max(rank.get(m, 0.0), *(values.get(u, 0.0) for u in users.get(m, ())))
                              for m in together[e])])
        return own

    units: list[tuple[float, str, list[str]]] = []
    seen: set[str] = set()
    for e in candidates:
        if e in seen:
            continue
        unit = sorted(together.get(e, {e}) & cand) or [e]
        seen.update(unit)
        units.append((max(worth(m) for m in unit), unit[0], unit))
    first = [u for u in units if focus is not None and focus in u[2]]
    order = first + sorted((u for u in units if u not in first), key=lambda u: (-u[0], u[1]))
    shown: list[str] = []
    for value, _, unit in order:
        if value <= 0 and len(unit) == 1 and unit[0] != focus:
            continue  # nothing rests on it: only where room is left (below)
        if len(shown) + len(unit) <= top or not shown:
            shown += unit
    for value, _, unit in sorted(units, key=lambda u: u[1]):
        if value <= 0 and len(unit) == 1 and unit[0] not in shown and len(shown) < top:
            shown += unit
    return shown


def _hidden_note(model: Model, hidden: list[str], rank: dict[str, float], *, focus: str | None) -> str:
    """Say what the diagram leaves out: how many, of which kinds, and whether any had a value."""
    kinds: dict[str, int] = {}
    for e in model.elements:
        if e.id in set(hidden):
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
    names = {e.id: e.name for e in model.elements}
    plural = {"process": "processes", "infrastructure": "infrastructure elements", "data": "data elements"}
    parts = [f"{n} {plural.get(k, k + 's') if n != 1 else k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])]
    what = "share lost" if focus else "customer impact"
    with_value = [e for e in hidden if rank.get(e, 0.0) > 0]
    n = len(hidden)
    head = f"{n} more {'is' if n == 1 else 'are'} hidden"
    if n <= 3:
        head += " (" + ", ".join(names.get(e, e) for e in hidden) + ")"
    else:
        head += " (" + ", ".join(parts) + ")"
    if not with_value:
        return f"{head}, none with any {what}."
    return f"{head}: {len(with_value)} with the least {what}, {n - len(with_value)} with none."
