"""Assembling a :class:`~cxgraph.engine.CompiledModel` from plain arrays, whichever form the model came in.

Both ways of compiling share this module: a pydantic :class:`~cxgraph.Model` (one object
per element) and a columnar :class:`~cxgraph.Estate` (one row per element in a table). Each
feeds :func:`assemble` the same arrays: node ids (touchpoints first), one row per link
(source and target node, strength, group code, the group's ``needs``) and the elements'
reliability; the journeys, touchpoints and capabilities come from the (small) model either way.

The links of a node become its redundancy groups in the order the pydantic form has always
used: first every link outside a group (each a group of its own, in the order given), then
the named groups in the order they first appear, their links in the order given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..model import point
from .layout import components, kernel_arrays

if TYPE_CHECKING:
    from ..model import Model
    from .compile import CompiledModel

__all__ = ["assemble", "group_links"]


def group_links(n: int, src: np.ndarray, group: np.ndarray, needs: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Order links into redundancy groups; return ``(order, node_groups, group_links, group_needs, first)``.

    ``src`` is each link's source node, ``group`` its group code (-1: no group; codes are
    compared within one source only), ``needs`` the ``k`` of its group. ``order`` permutes
    the links into stored order and ``first`` is the stored index of each group's first link.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.engine.assemble import group_links
    >>> order, ng, gl, needs, first = group_links(
    ...     2, np.array([0, 0, 0, 1]), np.array([5, -1, 5, -1]), np.array([2, 1, 2, 1]))
    >>> order.tolist(), ng.tolist(), gl.tolist(), needs.tolist()
    ([1, 0, 2, 3], [0, 2, 3], [0, 1, 3, 4], [1, 2, 1])
    """
    src = np.asarray(src, np.int64)
    group = np.asarray(group, np.int64)
    n_links = src.shape[0]
    pos = np.arange(n_links, dtype=np.int64)
    grouped = group >= 0
    first_pos = pos.copy()
    if grouped.any():
        sel = np.flatnonzero(grouped)
        key = src[sel] * (int(group.max()) + 1) + group[sel]
        _, first_at, inverse = np.unique(key, return_index=True, return_inverse=True)
        first_pos[sel] = sel[first_at][inverse]
    order = np.lexsort((pos, first_pos, grouped, src))
    s, g, grp = src[order], group[order], grouped[order]
    start = np.ones(n_links, bool)
    if n_links:
        start[1:] = (s[1:] != s[:-1]) | ~grp[1:] | (g[1:] != g[:-1])
    first = np.flatnonzero(start)
    gl = np.append(first, n_links).astype(np.int64)
    ng = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(s[first], minlength=n), out=ng[1:])
    return order, ng, gl, np.asarray(needs, np.int64)[order][first], first


def assemble(model: Model, *, ids: list[str], index: dict[str, int], names: list[str], kinds: list[str],
             owners: list[str | None], src: np.ndarray, dst: np.ndarray, strength: np.ndarray,
             group: np.ndarray, group_labels: list[str], needs: np.ndarray, q: np.ndarray,
             reliability_known: np.ndarray, recovery_hours: np.ndarray) -> CompiledModel:
    """Return the compiled model of these arrays (nodes: ``model``'s touchpoints, then the elements).

    ``ids``, ``names``, ``kinds`` and ``owners`` cover every node (touchpoints first, as
    ``model.journeys`` lists them); ``q``, ``reliability_known`` and ``recovery_hours`` only the
    elements. One row per link: ``src`` and ``dst`` node indices, ``strength`` (a point value),
    ``group`` (an index into ``group_labels``, -1 for none) and ``needs`` (the ``k`` of its
    group, 1 outside a group). Nothing is checked here: the callers check first.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.engine.assemble import assemble
    >>> c = assemble(cx.Model(), ids=["a", "b"], index={"a": 0, "b": 1}, names=["A", "B"],
    ...              kinds=["system", "data"], owners=[None, None], src=np.array([0]), dst=np.array([1]),
    ...              strength=np.array([0.5]), group=np.array([-1]), group_labels=[], needs=np.array([1]),
    ...              q=np.zeros(2), reliability_known=np.zeros(2, bool), recovery_hours=np.full(2, np.nan))
    >>> float(c.degradation({1: 1.0})[0])
    0.5
    """
    from .compile import NO_SEGMENT, CompiledModel

    touchpoints = [(ji, tp) for ji, j in enumerate(model.journeys) for tp in j.touchpoints]
    n_tp = len(touchpoints)
    n = len(ids)
    order, ng, gl, group_needs, first = group_links(n, src, group, needs)
    lt = np.ascontiguousarray(np.asarray(dst, np.int64)[order])
    ls = np.ascontiguousarray(np.asarray(strength, np.float64)[order])
    labels = np.asarray([*group_labels, None], dtype=object)
    first_group = np.asarray(group, np.int64)[order][first]
    group_names: list[str | None] = labels[np.where(first_group >= 0, first_group, len(group_labels))].tolist()
    del order, first, first_group
    src_sorted = np.repeat(np.arange(n, dtype=np.int64), np.diff(gl[ng])) if n else np.zeros(0, np.int64)
    by_target = np.argsort(lt, kind="stable")
    rev_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(lt, minlength=n), out=rev_ptr[1:])
    order_, position, component, cyclic, level = components(n, ng, gl, lt)
    rev_src = np.ascontiguousarray(src_sorted[by_target])
    del src_sorted

    journeys = model.journeys
    segments: list[str] = []
    seg_index: dict[str, int] = {}
    journey_segment = []
    for j in journeys:
        name = j.segment if j.segment is not None else NO_SEGMENT
        if name not in seg_index:
            seg_index[name] = len(segments)
            segments.append(name)
        journey_segment.append(seg_index[name])

    caps = model.capabilities
    children: dict[str, list[str]] = {}
    for cap in caps:
        if cap.parent is not None:
            children.setdefault(cap.parent, []).append(cap.id)
    realized = {cap.id: cap.realized_by for cap in caps}
    cap_ptr = [0]
    cap_members: list[int] = []
    for cap in caps:
        members: set[int] = set()
        todo = [cap.id]
        while todo:
            cid = todo.pop()
            members.update(index[e] for e in realized[cid])
            todo.extend(children.get(cid, []))
        cap_members.extend(sorted(members))
        cap_ptr.append(len(cap_members))

    return CompiledModel(
        model_name=model.name, period=model.period, ids=ids, names=names, kinds=kinds,
        n_touchpoints=n_tp, index=index,
        node_groups=ng, group_links=gl, group_needs=group_needs, group_names=group_names,
        link_target=lt, link_strength=ls, rev_ptr=rev_ptr, rev_src=rev_src, rev_link=by_target.astype(np.int64),
        order=order_, position=position, component=component, cyclic=cyclic,
        tp_journey=np.asarray([ji for ji, _ in touchpoints], np.int64),
        tp_reach=np.asarray([point(tp.reach) for _, tp in touchpoints], np.float64),
        tp_importance=np.asarray([point(tp.importance) for _, tp in touchpoints], np.float64),
        journey_ids=[j.id for j in journeys], journey_names=[j.name for j in journeys],
        journey_segment=np.asarray(journey_segment, np.int64),
        journey_customers=np.asarray([point(j.customers) for j in journeys], np.float64),
        journey_revenue=np.asarray([point(j.revenue) for j in journeys], np.float64),
        segment_names=segments,
        capability_ids=[c.id for c in caps], capability_names=[c.name for c in caps],
        capability_parent=[c.parent for c in caps],
        cap_ptr=np.asarray(cap_ptr, np.int64), cap_members=np.asarray(cap_members, np.int64),
        capability_index={c.id: i for i, c in enumerate(caps)},
        owners=owners,
        kernel_arrays=kernel_arrays(ng, gl, group_needs, lt, ls, rev_ptr, rev_src, by_target, order_, component,
                                    cyclic, level),
        currency=model.currency,
        q=np.concatenate([np.zeros(n_tp), np.asarray(q, np.float64)]),
        reliability_known=np.concatenate([np.zeros(n_tp, bool), np.asarray(reliability_known, bool)]),
        recovery_hours=np.concatenate([np.full(n_tp, np.nan), np.asarray(recovery_hours, np.float64)]),
        tp_required=np.asarray([tp.required for _, tp in touchpoints], bool),
        journey_importance=np.asarray([point(j.importance) for j in journeys], np.float64),
        journey_tolerance_hours=np.asarray([np.nan if j.tolerance is None else point(j.tolerance.hours)
                                            for j in journeys], np.float64),
        journey_tolerance_loss=np.asarray([0.0 if j.tolerance is None else point(j.tolerance.loss)
                                           for j in journeys], np.float64),
    )


def touchpoint_links(model: Model, index: dict[str, int], group_code: dict[str, int]
                     ) -> tuple[list[int], list[int], list[float], list[int], list[int]]:
    """Return the links of ``model``'s touchpoints as ``(src, dst, strength, group, needs)`` lists.

    ``group_code`` maps group names to codes and grows with every new name.

    Examples
    --------
    >>> from cxgraph.engine.assemble import touchpoint_links
    >>> m = cx.examples.load("retail-bank")
    >>> c = cx.engine.compile_model(m)
    >>> src, dst, *_ = touchpoint_links(m, c.index, {})
    >>> len(src) == sum(len(t.depends_on) for t in m.touchpoints)
    True
    """
    src: list[int] = []
    dst: list[int] = []
    strength: list[float] = []
    group: list[int] = []
    needs: list[int] = []
    for journey in model.journeys:
        for tp in journey.touchpoints:
            add_links(tp, index[tp.id], index, group_code, src, dst, strength, group, needs)
    return src, dst, strength, group, needs


def add_links(item: object, node: int, index: dict[str, int], group_code: dict[str, int], src: list[int],
              dst: list[int], strength: list[float], group: list[int], needs: list[int]) -> None:
    """Append the links of one touchpoint or element (its ``depends_on`` and ``needs``) to the lists."""
    item_needs: dict[str, int] = item.needs  # type: ignore[attr-defined]
    for dep in item.depends_on:  # type: ignore[attr-defined]
        src.append(node)
        dst.append(index[dep.element])
        strength.append(point(dep.strength))
        if dep.group is None:
            group.append(-1)
            needs.append(1)
        else:
            group.append(group_code.setdefault(dep.group, len(group_code)))
            needs.append(int(item_needs.get(dep.group, 1)))
