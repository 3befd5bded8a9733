"""Expected loss and risk of a large cluster whose elements are seldom down together: every small failure set.

Where the elements of a cluster are rarely down (their ``q`` add up to well below 1), a set
of more than ``m`` failures is so unlikely that enumerating every set of at most ``m``
elements gives the expected loss to within a bound that holds: loss is monotone, so no set
loses more than the whole cluster failing at once (``max_loss``), and the sets left out
weigh ``P(|F| > m)`` together. The risks are worked out on the same sets, with bounds of
the same kind.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import CompiledModel, Measure, run_packed

__all__ = ["Truncated", "plan_order", "truncated_cluster"]


@dataclass(frozen=True)
class Truncated:
    """Expected loss and risks from every failure set of at most ``order`` elements, each with a sure half-width.

    Each value is the middle of the range the truth is sure to lie in; the ``..bound`` is its half-width.
    """

    expected: float
    bound: float
    risk: np.ndarray
    risk_bound: np.ndarray
    group_risk: np.ndarray
    group_bound: np.ndarray
    order: int
    sets: int


def _tail(q: np.ndarray, m: int) -> float:
    """Return ``P(more than m of the elements are down)`` (Poisson binomial)."""
    dist = np.zeros(m + 2)
    dist[0] = 1.0
    for p in q.tolist():
        dist[1:] = dist[1:] * (1.0 - p) + dist[:-1] * p
        dist[0] *= 1.0 - p
    return max(0.0, 1.0 - float(dist[: m + 1].sum()))


def plan_order(q: np.ndarray, max_loss: float, least: float, tolerance: float, budget: int,
               start: int = 1) -> int | None:
    """Return the smallest ``m >= start`` whose bound is within ``tolerance`` of ``least`` and fits ``budget`` sets.

    ``None`` when there is none (or some element is down half the time or more).
    """
    k = len(q)
    if k == 0 or float(q.max()) >= 0.5:
        return None
    count = 1
    for m in range(1, k + 1):
        count += math.comb(k, m)
        if count > budget:
            return None
        if m >= start and _tail(q, m) * max_loss <= tolerance * max(least, 1e-300):
            return m
    return k


def truncated_cluster(c: CompiledModel, measure: Measure, nodes: np.ndarray, q: np.ndarray,
                      groups: list[np.ndarray], order: int, max_loss: float, *, risks: bool = True,
                      executor: Any = None) -> Truncated:
    """Enumerate every failure set of at most ``order`` of ``nodes``; see the module's description."""
    k = len(nodes)
    combos = [t for m in range(order + 1) for t in itertools.combinations(range(k), m)]
    ptr = np.zeros(len(combos) + 1, np.int64)
    np.cumsum([len(t) for t in combos], out=ptr[1:])
    flat = np.fromiter((i for t in combos for i in t), np.int64, count=int(ptr[-1]))
    loss = run_packed(c, ptr, nodes[flat], np.ones(len(flat)), measure, executor=executor).impact
    odds = q / (1.0 - q)
    base = float(np.prod(1.0 - q))
    prob = np.array([base * math.prod(odds[i] for i in t) for t in combos])
    expected = float(np.dot(prob, loss))   # the truth lies in [expected, expected + bound]
    bound = _tail(q, order) * max_loss
    risk = np.zeros(k)
    risk_bound = np.zeros(k)
    group_risk = np.zeros(len(groups))
    group_bound = np.zeros(len(groups))
    if not risks:
        return Truncated(expected + bound / 2, bound / 2, risk, risk_bound, group_risk, group_bound, order,
                         len(combos))
    index = {t: j for j, t in enumerate(combos)}
    # risk(x) = q(x) * sum over F' without x, |F'| < order, of P_-x(F') (loss(F' + x) - loss(F'))
    for j, t in enumerate(combos):
        if len(t) >= order:
            continue
        inside = set(t)
        for x in range(k):
            if x not in inside:
                risk[x] += prob[j] / (1.0 - q[x]) * (loss[index[tuple(sorted((*t, x)))]] - loss[j])
    risk *= q
    for x in range(k):
        risk_bound[x] = q[x] * _tail(np.delete(q, x), order - 1) * max_loss
    for g, positions in enumerate(groups):
        if len(positions) == 0:
            continue
        members = set(positions.tolist())
        keep = np.array([not members.intersection(t) for t in combos])
        without = float(np.dot(prob[keep], loss[keep])) / float(np.prod(1.0 - q[positions]))
        # expected in [E, E + bound], without in [W, W + b2]: the risk lies in [E - W - b2, E - W + bound]
        b2 = _tail(np.delete(q, positions), order) * max_loss
        group_risk[g] = expected - without + (bound - b2) / 2
        group_bound[g] = (bound + b2) / 2
    return Truncated(expected + bound / 2, bound / 2, risk + risk_bound / 2, risk_bound / 2, group_risk, group_bound,
                     order, len(combos))
