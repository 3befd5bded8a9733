"""Array layout of a compiled model: components, evaluation order, and the arrays the kernel reads."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = ["components", "kernel_arrays"]


def components(n: int, node_groups: np.ndarray, group_links: np.ndarray, link_target: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Strongly connected components, an evaluation order and levels.

    Components come from scipy's strong-connectivity labelling; they are ordered by peeling
    the condensation: a component is ready once every component it depends on is placed,
    and its level is the round in which it became ready (so a component's level is above
    the levels of all it depends on). Returns ``(order, position, component, cyclic,
    level)``, ``component`` numbered in evaluation order and ``level`` per component.
    """
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(group_links[node_groups])) if n else np.zeros(0, np.int64)
    graph = sp.csr_matrix((np.ones(len(src), np.int8), (src, link_target)), shape=(n, n))
    n_comp, labels = csgraph.connected_components(graph, directed=True, connection="strong")
    labels = labels.astype(np.int64)
    cu, cv = labels[src], labels[link_target]
    keep = cu != cv
    pairs = np.unique(cu[keep] * max(n_comp, 1) + cv[keep])
    dependent, dependency = pairs // max(n_comp, 1), pairs % max(n_comp, 1)
    waiting = np.bincount(dependent, minlength=n_comp)
    by_dependency = np.argsort(dependency, kind="stable")
    dependents = dependent[by_dependency]
    ptr = np.zeros(n_comp + 1, np.int64)
    np.cumsum(np.bincount(dependency, minlength=n_comp), out=ptr[1:])
    rank = np.empty(n_comp, np.int64)
    depth = np.zeros(n_comp, np.int64)
    placed = 0
    ready = np.flatnonzero(waiting == 0)
    rounds = 0
    while ready.size:
        rank[ready] = np.arange(placed, placed + ready.size)
        depth[ready] = rounds
        placed += ready.size
        rounds += 1
        starts, lens = ptr[ready], ptr[ready + 1] - ptr[ready]
        nxt = dependents[np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())]
        np.subtract.at(waiting, nxt, 1)
        ready = np.unique(nxt[waiting[nxt] == 0])
    component = rank[labels] if n else np.zeros(0, np.int64)
    order = np.argsort(component, kind="stable").astype(np.int64)
    position = np.empty(n, np.int64)
    position[order] = np.arange(n)
    cyclic = np.bincount(component, minlength=n_comp) > 1
    cyclic[component[src[src == link_target]]] = True
    level = np.empty(n_comp, np.int64)
    level[rank] = depth
    return order, position, component, cyclic, level


def kernel_arrays(ng: np.ndarray, gl: np.ndarray, needs: np.ndarray, lt: np.ndarray, ls: np.ndarray,
                   rev_ptr: np.ndarray, rev_src: np.ndarray, rev_link: np.ndarray, order: np.ndarray,
                   component: np.ndarray, cyclic: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the arrays :func:`~cxgraph.engine.kernels.run_batch` reads (its ``graph`` argument).

    Links outside any named group (groups of one) are stored apart from the named groups, and
    each reverse link carries its strength when it is such a link (-1 otherwise): the kernel
    pushes those along the reverse links and pulls the named groups. The last five arrays are
    the groups as compiled (``node_groups, group_links, group_needs, link_target, link_strength``),
    which Newton's method on a cycle (:mod:`cxgraph.engine.newton`) reads.
    """
    n = ng.shape[0] - 1
    sizes = np.diff(gl)
    group_node = np.repeat(np.arange(n, dtype=np.int64), np.diff(ng))
    single = sizes == 1
    single &= needs == 1
    # a named group of one link with k = 1 is the same as no group
    link_group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    link_single = single[link_group]
    simple_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(group_node[single], minlength=n), out=simple_ptr[1:])
    multi = np.flatnonzero(~single)
    gnode_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(group_node[multi], minlength=n), out=gnode_ptr[1:])
    group_ptr = np.zeros(len(multi) + 1, np.int64)
    np.cumsum(sizes[multi], out=group_ptr[1:])
    n_comp = int(component.max()) + 1 if n else 0
    comp_start = np.zeros(n_comp + 1, np.int64)
    np.cumsum(np.bincount(component, minlength=n_comp), out=comp_start[1:])
    cyc_comp = np.where(cyclic[component], component, -1) if n else np.zeros(0, np.int64)
    i32 = np.int32  # half the memory traffic of int64; models stay far below 2**31 links
    every = needs[link_group] == sizes[link_group]  # links lost with their group: no group, or one needing all
    absorb = absorbing_classes(n, group_node[link_group][every], lt[every], ls[every], component, cyclic)
    return (simple_ptr.astype(i32), lt[link_single].astype(i32), ls[link_single], gnode_ptr.astype(i32),
            group_ptr.astype(i32), needs[multi].astype(i32), lt[~link_single].astype(i32), ls[~link_single],
            rev_ptr.astype(i32), rev_src.astype(i32), np.where(link_single[rev_link], ls[rev_link], -1.0),
            order.astype(i32), comp_start.astype(i32), cyc_comp.astype(i32), level[component].astype(i32),
            absorb.astype(i32), ng.astype(i32), gl.astype(i32), needs.astype(i32), lt.astype(i32),
            ls.astype(np.float64))


def absorbing_classes(n: int, src: np.ndarray, tgt: np.ndarray, strength: np.ndarray, component: np.ndarray,
                      cyclic: np.ndarray) -> np.ndarray:
    """Return, per node, its absorbing class (-1 for none): a cycle of links of strength 1.

    The links given are those whose failure alone loses their group: links outside named groups
    and links of groups that need all their links. Along such a link ``u -> v`` of strength 1,
    ``1 - d(u) <= 1 - d(v)`` in every fixed point (the group keeps at most ``1 - d(v)``), so
    around a cycle of them every member has the same ``1 - d``, say ``e``. Each member ``u``
    then has ``e = c_u * e`` where ``c_u <= 1`` is the survival of everything else ``u`` needs
    (its initial degradation, its other groups and the other links of that group), so ``e = 0``
    unless every ``c_u`` is 1. A member degraded at all while sweeping up from the initial
    degradation got it from some ``c_u < 1`` at a point below the least fixed point, where
    ``c_u`` is no larger: so, in the least fixed point, once any member is degraded at all,
    every member is fully lost. The kernels set them to 1 at once rather than creep towards 1
    (which takes about ``1/a`` sweeps for a feed ``a``).

    A link of a group needing only some of its links (``k`` of ``n > k``) can fail without
    losing its group, so it is left out: such a cycle may settle anywhere in ``[0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.engine.layout import absorbing_classes
    >>> absorbing_classes(3, np.array([0, 1, 0]), np.array([1, 0, 2]), np.array([1.0, 1.0, 1.0]),
    ...                   np.array([0, 0, 1]), np.array([True, False]))
    array([ 0,  0, -1])
    """
    out = np.full(n, -1, np.int64)
    if n == 0:
        return out
    keep = (strength == 1.0) & (component[src] == component[tgt]) & cyclic[component[src]]
    if not keep.any():
        return out
    graph = sp.csr_array((np.ones(int(keep.sum())), (src[keep], tgt[keep])), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=n)
    looped = np.zeros(n, bool)
    looped[src[keep][src[keep] == tgt[keep]]] = True
    member = (sizes[labels] >= 2) | looped
    _, out[member] = np.unique(labels[member], return_inverse=True)
    return out
