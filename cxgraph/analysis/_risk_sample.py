"""Expected loss and risk (DESIGN §3) estimated by sampling failure sets, for clusters too large to enumerate.

Failure sets ``F`` are drawn with common random numbers (one seeded generator). Then:

- **expected loss**: the mean of ``loss(F)`` with the first-order term ``L1(F) = sum over x
  in F of impact(x)`` (whose mean ``sum q(x) impact(x)`` is known) as a control variate,
  its coefficient fitted by least squares; the 95 % interval is ``1.96`` standard errors
  of the adjusted mean.
- **risk of an element** ``x``: ``q(x) * E[loss(F' + x) - loss(F')]`` over ``F' = F - {x}``,
  on the first ``K`` sets drawn (see :mod:`._risk_marginal`).
- **risk of a capability**: from the same sets, with its members' failures drawn apart
  (see :func:`._risk_marginal.group_risk`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..engine import CompiledModel, Measure, run_packed
from ._risk_exact import Space
from ._risk_marginal import States, element_risk
from ._risk_marginal import group_risk as groups_risk

__all__ = ["Sampled", "sample_cluster"]

Z95 = 1.959963984540054
CHUNK = 2000  # failure sets propagated per batch


@dataclass(frozen=True)
class Sampled:
    """What sampling gave: expected loss and its 95 % half-width, risks and their half-widths, sets drawn."""

    expected: float
    half: float
    risk: np.ndarray
    risk_half: np.ndarray
    group_risk: np.ndarray
    group_half: np.ndarray
    samples: int
    risk_samples: int
    group_samples: int
    joint: float  # expected number of the sets drawn that hold two failures or more


class _Units:
    """Propagates failure sets and reports the share of every unit lost (touchpoint d, or journey jloss)."""

    def __init__(self, c: CompiledModel, space: Space, executor: Any = None) -> None:
        self.executor = executor
        n_u = space.n_units
        unit = np.where(space.tp_unit >= 0, space.tp_unit, n_u).astype(np.int64)
        self.compiled = dataclasses.replace(c, tp_journey=unit, journey_ids=[""] * (n_u + 1))
        on = space.tp_unit >= 0
        m: Measure = space.measure
        if m.funnel:
            self.measure = Measure("units", "", True, np.zeros(c.n_touchpoints),
                                   np.ascontiguousarray(np.where(on, m.tp_funnel, 0.0)), np.ones(n_u + 1))
        else:
            self.measure = Measure("units", "", False, on.astype(np.float64), np.zeros(c.n_touchpoints),
                                   np.zeros(n_u + 1))
        self.weight = space.weight
        self.n_units = n_u
        self.plain_compiled, self.plain_measure = c, m

    def loss(self, sets: list[np.ndarray]) -> np.ndarray:
        """Return the loss of every set."""
        ptr, nodes = _pack(sets)
        return run_packed(self.plain_compiled, ptr, nodes, np.ones(len(nodes)), self.plain_measure,
                          executor=self.executor).impact

    def run(self, sets: list[np.ndarray], degradation: bool = False) -> tuple[np.ndarray, sp.csr_matrix, tuple]:
        """Return the loss of every set, the (set x unit) matrix of shares lost and, if asked, ``(d_s, d_u, d_v)``."""
        ptr, nodes = _pack(sets)
        out = run_packed(self.compiled, ptr, nodes, np.ones(len(nodes)), self.measure, journeys=True,
                         degradation=degradation, executor=self.executor)
        keep = out.journey_j < self.n_units
        s, u, v = out.journey_s[keep], out.journey_j[keep], out.journey_v[keep]
        loss = np.bincount(s, weights=self.weight[u] * v, minlength=len(sets))
        shares = sp.csr_matrix((v, (s, u)), shape=(len(sets), self.n_units))
        return loss, shares, (out.d_s, out.d_u, out.d_v)


def _pack(sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(sets) + 1, np.int64)
    np.cumsum([len(s) for s in sets], out=ptr[1:])
    return ptr, (np.concatenate(sets) if sets else np.zeros(0, np.int64))


def _cv_mean(y: np.ndarray, x: np.ndarray, mu: float) -> tuple[float, float]:
    """Mean of ``y`` with control variate ``x`` (known mean ``mu``); return (estimate, 95 % half-width)."""
    n = len(y)
    vx = float(np.var(x))
    beta = float(np.cov(y, x)[0, 1] / vx) if n > 1 and vx > 0 else 0.0
    adjusted = y - beta * (x - mu)
    half = Z95 * float(np.std(adjusted, ddof=1)) / np.sqrt(n) if n > 1 else float("inf")
    return float(adjusted.mean()), half


def sample_cluster(c: CompiledModel, space: Space, nodes: np.ndarray, q: np.ndarray, impact: np.ndarray,
                   groups: list[np.ndarray], *, rng: np.random.Generator, samples: int | None, tolerance: float,
                   known: float, max_samples: int, risk_samples: int, group_samples: int,
                   least: int = 0, executor: Any = None) -> Sampled:
    """Estimate the expected loss and risks of the elements ``nodes`` (unavailability ``q``, single-failure ``impact``).

    ``samples``: failure sets to draw (``None``: draw until the 95 % half-width is at most
    ``tolerance`` times the whole expected loss, ``known`` being the part of it worked out
    exactly elsewhere, or ``max_samples`` sets drawn), and at least ``least`` sets. ``executor``:
    where the sets are propagated (see :func:`cxgraph.engine.run_packed`); the draws stay here.
    """
    units = _Units(c, space, executor)
    k = len(nodes)
    mu1 = float(np.dot(q, impact))
    fails: list[np.ndarray] = []
    losses: list[np.ndarray] = []
    first: list[np.ndarray] = []
    share_sum = np.zeros(units.n_units)
    risk_shares: list[sp.csr_matrix] = []
    kept: list[tuple[np.ndarray, ...]] = []  # degradations of the first sets, for the risks
    keep_states = max(risk_samples, group_samples)
    target = samples if samples is not None else min(1000, max_samples)
    drawn = 0
    while True:
        while drawn < target:
            n = min(CHUNK, target - drawn)
            fail = rng.random((n, k)) < q
            sets = [nodes[row] for row in fail]
            loss, shares, (d_s, d_u, d_v) = units.run(sets, degradation=drawn < keep_states)
            if drawn < keep_states:
                sel = d_s < keep_states - drawn
                kept.append((d_s[sel] + drawn, d_u[sel], d_v[sel]))
            fails.append(fail)
            losses.append(loss)
            first.append(fail @ impact)
            share_sum += np.asarray(shares.sum(axis=0)).ravel()
            if drawn < risk_samples:
                risk_shares.append(shares[: risk_samples - drawn])
            drawn += n
        if samples is None and drawn < min(max(group_samples, least), max_samples):
            target = min(max(group_samples, least), max_samples)
            continue
        expected, half = _cv_mean(np.concatenate(losses), np.concatenate(first), mu1)
        if samples is not None or drawn >= max_samples:
            break
        goal = tolerance * abs(expected + known)
        if half <= goal:
            break
        need = int(np.ceil(drawn * (half / max(goal, 1e-300)) ** 2 * 1.1))
        target = min(max_samples, max(need, drawn + 500))
    fail_all = np.concatenate(fails)
    loss_all = np.concatenate(losses)
    n_states = min(keep_states, drawn)
    states = States(c.n_nodes, [nodes[row] for row in fail_all[:n_states]],
                    *(np.concatenate([part[i] for part in kept]) if kept else np.zeros(0) for i in range(3)))
    mean_share = share_sum / drawn
    kr = min(risk_samples, drawn)
    risk, risk_half = np.zeros(k), np.zeros(k)
    if kr:
        _, single, _ = units.run([nodes[i: i + 1] for i in range(k)])
        risk, risk_half = element_risk(c, space, nodes, q, impact, fail_all[:kr], loss_all[:kr],
                                       sp.vstack(risk_shares).tocsr()[:kr], single, mean_share, drawn, states,
                                       executor=executor)
    kg = min(group_samples, drawn)
    group_risk, group_half = groups_risk(c, space, nodes, q, impact, groups, fail_all[:kg], rng, states,
                                         executor=executor)
    return Sampled(expected, half, risk, risk_half, group_risk, group_half, drawn, kr, kg, drawn * _joint(q))


def _joint(q: np.ndarray) -> float:
    """Return the probability that two or more of the elements are down at once."""
    none, one = 1.0, 0.0
    for p in q.tolist():
        none, one = none * (1.0 - p), one * (1.0 - p) + none * p
    return max(0.0, 1.0 - none - one)
