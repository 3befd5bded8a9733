"""Order-2 cut sets: pairs of elements that together fully lose a touchpoint neither loses alone.

Which pairs can do that (the argument behind the candidate list)
-----------------------------------------------------------------
Let ``Z_S`` be the nodes fully lost (d = 1) when the elements in ``S`` fail. Suppose
``Z_{x,y}`` holds nodes outside ``Z_x`` and ``Z_y``, and take such a node ``u`` lowest in
the evaluation order.

- If ``u`` is outside every cycle, some group of ``u`` is lost for certain: at least
  ``n - k + 1`` of its links have strength 1 and a fully lost target, all below ``u`` and
  so in ``Z_x`` or ``Z_y``. Not all of them in ``Z_x`` (``u`` would be in ``Z_x``), nor all
  in ``Z_y``: so the group needs fewer links than it has (``k < n``), one strength-1 link
  points at a node that ``x`` alone fully loses, and another at one that ``y`` alone does.
  Neither ``x`` nor ``y`` loses ``u`` alone.
- A cycle can reach d = 1 only in the limit, fed by any positive degradation; a pair
  makes a difference there only where neither element alone feeds it at all, that is
  through a group with ``k < n`` in which one element of the pair reaches one link's
  target and the other another's.

So the candidates are: for every group with ``k < n`` of a node that a touchpoint depends
on, pairs of single killers of two of its strength-1 links' targets (minus the killers of
the node itself); and, for such groups at or below a cycle, pairs of elements reachable
from two of its links. Each candidate is then propagated exactly, like any scenario.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import LOST, BatchOutput, CompiledModel, run_packed

__all__ = ["order_two"]


def _reach(c: CompiledModel) -> list[int]:
    """For every node, the nodes reachable from it (itself included) as a bitset (a Python int)."""
    reach = [0] * c.n_nodes
    n_comp = int(c.component.max()) + 1 if c.n_nodes else 0
    members: list[list[int]] = [[] for _ in range(n_comp)]
    for u in c.order.tolist():
        members[int(c.component[u])].append(u)
    comp_bits = [0] * n_comp
    for comp in range(n_comp):  # components in evaluation order: dependencies first
        bits = 0
        for u in members[comp]:
            bits |= 1 << u
            for ln in range(c.group_links[c.node_groups[u]], c.group_links[c.node_groups[u + 1]]):
                v = int(c.link_target[ln])
                if int(c.component[v]) != comp:
                    bits |= comp_bits[int(c.component[v])]
        comp_bits[comp] = bits
        for u in members[comp]:
            reach[u] = bits
    return reach


def _bits(value: int) -> list[int]:
    out = []
    while value:
        low = value & -value
        out.append(low.bit_length() - 1)
        value ^= low
    return out


def _candidates(c: CompiledModel, killers: list[int]) -> list[tuple[int, int]]:
    reach = _reach(c)
    wanted = 0                      # nodes some touchpoint depends on (touchpoints included)
    for t in range(c.n_touchpoints):
        wanted |= reach[t]
    below_cycle = 0                 # nodes in a cycle or reachable from one
    for u in np.flatnonzero(c.cyclic[c.component]).tolist():
        below_cycle |= reach[u]
    elements = ((1 << c.n_nodes) - 1) ^ ((1 << c.n_touchpoints) - 1)
    pairs: set[tuple[int, int]] = set()
    for u in range(c.n_nodes):
        if not (wanted >> u) & 1:
            continue
        for g in range(c.node_groups[u], c.node_groups[u + 1]):
            lo, hi = int(c.group_links[g]), int(c.group_links[g + 1])
            if hi - lo < 2 or c.group_needs[g] >= hi - lo:
                continue
            if (below_cycle >> u) & 1:
                sets = [reach[int(c.link_target[ln])] & elements for ln in range(lo, hi)]
            else:
                keep = ~killers[u]
                sets = [killers[int(c.link_target[ln])] & keep if c.link_strength[ln] == 1.0 else 0
                        for ln in range(lo, hi)]
            members = [_bits(s) for s in sets]
            for i in range(len(members)):
                for j in range(i + 1, len(members)):
                    for x in members[i]:
                        for y in members[j]:
                            if x != y:
                                pairs.add((x, y) if x < y else (y, x))
    return sorted(pairs)


def order_two(c: CompiledModel, weight: Any, single: BatchOutput
              ) -> tuple[list[tuple[int, int, list[int]]], int]:
    """Return the order-2 cut sets as ``(x, y, touchpoints newly lost)`` and the number of candidates tried.

    ``single`` is the batch of every element failing alone, in node order, with degradations.
    """
    n_tp = c.n_touchpoints
    full = single.d_v >= LOST
    failed = single.d_s[full] + n_tp          # scenario s fails node n_tp + s
    lost = single.d_u[full]
    killers = [0] * c.n_nodes
    for x, u in zip(failed.tolist(), lost.tolist(), strict=True):
        killers[u] |= 1 << x
    candidates = _candidates(c, killers)
    if not candidates:
        return [], 0
    pair = np.asarray(candidates, dtype=np.int64)
    out = run_packed(c, np.arange(0, 2 * len(pair) + 1, 2), pair.ravel(), np.ones(2 * len(pair)), weight,
                     lost=True)
    alone = np.unique(failed[lost < n_tp] * n_tp + lost[lost < n_tp])
    s, t = out.lost_s, out.lost_t
    new = ~np.isin(pair[s, 0] * n_tp + t, alone) & ~np.isin(pair[s, 1] * n_tp + t, alone)
    s, t = s[new], t[new]
    order = np.lexsort((t, s))
    s, t = s[order], t[order]
    found: list[tuple[int, int, list[int]]] = []
    if not len(s):
        return found, len(candidates)
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    for a, b in zip(starts.tolist(), [*starts[1:].tolist(), len(s)], strict=True):
        x, y = candidates[int(s[a])]
        found.append((x, y, t[a:b].tolist()))
    return found, len(candidates)
