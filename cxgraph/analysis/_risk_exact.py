"""Expected loss and risk (DESIGN §3) worked out exactly: blast radii, clusters, enumeration.

The loss of a failure set ``F`` only depends on the *units* its failures reach: touchpoints
for a per-touchpoint measure (interactions, a caller's weights), journeys for the funnel
measures (customers, revenue), where the touchpoints of one journey interact. Two sets of
elements whose structural blast radii (every unit reachable upwards along dependency links,
whatever the strengths and redundancy) share no unit lose exactly the sum of what each loses
alone. So the elements that can fail split into independent clusters, each enumerated on its
own: ``2**k`` failure sets for a cluster of ``k`` elements, propagated in one batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from ..engine import CompiledModel, Measure, run_packed

__all__ = ["Space", "clusters", "enumerate_cluster", "space_of"]


@dataclass(frozen=True, eq=False)
class Space:
    """Where loss is counted: ``weight`` per unit, ``tp_unit`` (unit of each touchpoint, -1: none) and reach bits."""

    measure: Measure
    weight: np.ndarray
    tp_unit: np.ndarray
    bits: np.ndarray  # packed, one row per node: the units reachable upwards from it

    @property
    def n_units(self) -> int:
        """Number of units (touchpoints or journeys that carry weight)."""
        return len(self.weight)

    def meets(self, rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return, for each node of ``rows``, whether its blast radius meets the packed unit set ``mask``."""
        return (self.bits[rows] & mask).any(axis=1)

    def union(self, rows: np.ndarray) -> np.ndarray:
        """Return the packed union of the blast radii of ``rows``."""
        if len(rows) == 0:
            return np.zeros(self.bits.shape[1], np.uint8)
        return np.bitwise_or.reduce(self.bits[rows], axis=0)


def space_of(c: CompiledModel, measure: Measure) -> Space:
    """Return the units of ``measure`` on ``c`` and every node's structural blast radius over them."""
    n_tp = c.n_touchpoints
    if measure.funnel:
        jw = measure.journey_weight
        carries = (measure.tp_funnel[:n_tp] > 0) & (jw[c.tp_journey] > 0) if n_tp else np.zeros(0, bool)
        used = np.unique(c.tp_journey[carries])
        renumber = np.full(len(c.journey_ids), -1, np.int64)
        renumber[used] = np.arange(len(used))
        tp_unit = np.where(carries, renumber[c.tp_journey] if n_tp else 0, -1)
        weight = jw[used].astype(np.float64)
    else:
        carries = measure.tp_weight > 0
        tp_unit = np.full(n_tp, -1, np.int64)
        tp_unit[carries] = np.arange(int(carries.sum()))
        weight = measure.tp_weight[carries].astype(np.float64)
    n_units = len(weight)
    nbytes = max(1, (n_units + 7) // 8)
    bits = np.zeros((c.n_nodes, nbytes), np.uint8)
    own = np.flatnonzero(tp_unit >= 0)
    if len(own):
        units = tp_unit[own]
        bits[own, units // 8] |= (np.uint8(128) >> (units % 8).astype(np.uint8)).astype(np.uint8)
    # Dependents sit at higher levels than what they depend on; a cycle's members share one set.
    level = c.kernel_arrays[14].astype(np.int64)
    by_level = np.argsort(-level, kind="stable")
    rev_ptr, rev_src, comp = c.rev_ptr, c.rev_src, c.component
    done_comp: set[int] = set()
    for v in by_level:
        cc = int(comp[v])
        if c.cyclic[cc]:
            if cc in done_comp:
                continue
            done_comp.add(cc)
            members = np.flatnonzero(comp == cc)
            deps = np.concatenate([rev_src[rev_ptr[m]: rev_ptr[m + 1]] for m in members])
            row = np.bitwise_or.reduce(bits[np.concatenate([members, deps])], axis=0)
            bits[members] = row
        else:
            deps = rev_src[rev_ptr[v]: rev_ptr[v + 1]]
            if len(deps):
                bits[v] |= np.bitwise_or.reduce(bits[deps], axis=0)
    return Space(measure, weight, tp_unit, bits)


def clusters(space: Space, nodes: np.ndarray) -> list[np.ndarray]:
    """Split ``nodes`` into groups whose blast radii meet (directly or through others); nodes reaching no unit dropped.

    Groups come in order of their first node; each keeps the order of ``nodes``.
    """
    nodes = np.asarray(nodes, np.int64)
    if len(nodes) == 0 or space.n_units == 0:
        return []
    rows_l: list[np.ndarray] = []
    cols_l: list[np.ndarray] = []
    for lo in range(0, len(nodes), 4096):  # unpacked a slice at a time: bits x units can be large
        dense = np.unpackbits(space.bits[nodes[lo: lo + 4096]], axis=1)[:, : space.n_units].astype(bool)
        r, col = np.nonzero(dense)
        rows_l.append(r + lo)
        cols_l.append(col)
    rows, cols = np.concatenate(rows_l), np.concatenate(cols_l)
    live = np.zeros(len(nodes), bool)
    live[rows] = True
    renumber = np.cumsum(live) - 1
    nodes, rows = nodes[live], renumber[rows]
    k = len(nodes)
    if k == 0:
        return []
    graph = sp.csr_matrix((np.ones(len(rows), np.int8), (rows, k + cols)), shape=(k + space.n_units,) * 2)
    _, labels = csgraph.connected_components(graph, directed=False)
    labels = labels[:k]
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    groups = np.split(order, cuts)
    groups.sort(key=lambda g: int(g[0]))
    return [nodes[g] for g in groups]


def enumerate_cluster(c: CompiledModel, measure: Measure, nodes: np.ndarray, q: np.ndarray,
                      groups: list[np.ndarray], *, risks: bool = True,
                      executor: Any = None) -> tuple[float, np.ndarray, np.ndarray]:
    """Enumerate every failure set of ``nodes`` (failing with probabilities ``q``).

    Returns ``(expected loss, risk of each node, risk of each group)``, a group being the
    positions (in ``nodes``) of a capability's members: its risk is the expected loss minus
    the expected loss with all of them never failing (risks left 0 unless ``risks``).
    Probabilities are built as products with the factor left out, never by dividing, so
    ``q = 1`` is fine.
    """
    k = len(nodes)
    masks = np.arange(1 << k, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(k)) & 1).astype(bool)
    ptr = np.zeros(len(masks) + 1, np.int64)
    np.cumsum(bits.sum(axis=1), out=ptr[1:])
    _, cols = np.nonzero(bits)
    loss = run_packed(c, ptr, nodes[cols], np.ones(len(cols)), measure, executor=executor).impact
    factor = np.where(bits, q[None, :], 1.0 - q[None, :])
    prob = np.prod(factor, axis=1)
    expected = float(np.dot(prob, loss))
    risk = np.zeros(k)
    for i in range(k if risks else 0):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        rest = np.prod(np.delete(factor[without], i, axis=1), axis=1)
        risk[i] = q[i] * float(np.dot(rest, loss[without | bit] - loss[without]))
    group_risk = np.zeros(len(groups))
    for g, positions in enumerate(groups):
        if len(positions) == 0:
            continue
        gmask = int(sum(1 << int(p) for p in positions))
        group_risk[g] = float(np.dot(prob, loss - loss[masks & ~gmask]))
    return expected, risk, group_risk
