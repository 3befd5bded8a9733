"""Expected loss and risk (DESIGN §3) estimated by sampling failure sets, for clusters too large to enumerate.

Failure sets ``F`` are drawn with common random numbers (one seeded generator). Then:

- **expected loss**: the mean of ``loss(F)`` with the first-order term ``L1(F) = sum over x
  in F of impact(x)`` (whose mean ``sum q(x) impact(x)`` is known) as a control variate,
  its coefficient fitted by least squares; the 95 % interval is ``1.96`` standard errors
  of the adjusted mean.
- **risk of an element** ``x``: ``q(x) * E[loss(F' + x) - loss(F')]`` over ``F' = F - {x}``,
  on the first ``K`` sets drawn. Where ``x``'s blast radius does not meet that of ``F'``
  the difference is exactly ``impact(x)``; otherwise it is propagated (in one batch). The
  control variate is ``sum over units u of a_x(u) (1 - share_F(u))`` - exact when ``x`` and
  ``F`` hit a unit along independent paths - with its mean taken over all sets drawn.
- **risk of a capability** with members ``M``: the mean of ``loss(F) - loss(F - M)`` on the
  first ``K`` sets, with the first-order term over ``F`` and ``M`` as control variate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..engine import CompiledModel, Measure, run_packed
from ._risk_exact import Space

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


class _Units:
    """Propagates failure sets and reports the share of every unit lost (touchpoint d, or journey jloss)."""

    def __init__(self, c: CompiledModel, space: Space) -> None:
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
        return run_packed(self.plain_compiled, ptr, nodes, np.ones(len(nodes)), self.plain_measure).impact

    def run(self, sets: list[np.ndarray]) -> tuple[np.ndarray, sp.csr_matrix]:
        """Return the loss of every set and the (set x unit) matrix of shares lost."""
        ptr, nodes = _pack(sets)
        out = run_packed(self.compiled, ptr, nodes, np.ones(len(nodes)), self.measure, journeys=True)
        keep = out.journey_j < self.n_units
        s, u, v = out.journey_s[keep], out.journey_j[keep], out.journey_v[keep]
        loss = np.bincount(s, weights=self.weight[u] * v, minlength=len(sets))
        shares = sp.csr_matrix((v, (s, u)), shape=(len(sets), self.n_units))
        return loss, shares


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
                   known: float, max_samples: int, risk_samples: int, group_samples: int) -> Sampled:
    """Estimate the expected loss and risks of the elements ``nodes`` (unavailability ``q``, single-failure ``impact``).

    ``samples``: failure sets to draw (``None``: draw until the 95 % half-width is at most
    ``tolerance`` times the whole expected loss, ``known`` being the part of it worked out
    exactly elsewhere, or ``max_samples`` sets drawn).
    """
    units = _Units(c, space)
    k = len(nodes)
    mu1 = float(np.dot(q, impact))
    fails: list[np.ndarray] = []
    losses: list[np.ndarray] = []
    first: list[np.ndarray] = []
    share_sum = np.zeros(units.n_units)
    risk_shares: list[sp.csr_matrix] = []
    target = samples if samples is not None else min(1000, max_samples)
    drawn = 0
    while True:
        while drawn < target:
            n = min(CHUNK, target - drawn)
            fail = rng.random((n, k)) < q
            sets = [nodes[row] for row in fail]
            loss, shares = units.run(sets)
            fails.append(fail)
            losses.append(loss)
            first.append(fail @ impact)
            share_sum += np.asarray(shares.sum(axis=0)).ravel()
            if drawn < risk_samples:
                risk_shares.append(shares[: risk_samples - drawn])
            drawn += n
        if samples is None and drawn < min(group_samples, max_samples):
            target = min(group_samples, max_samples)
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
    mean_share = share_sum / drawn
    kr = min(risk_samples, drawn)
    risk, risk_half = _element_risk(c, space, units, nodes, q, impact, fail_all[:kr], loss_all[:kr],
                                    sp.vstack(risk_shares).tocsr()[:kr] if risk_shares else None, mean_share, drawn)
    kg = min(group_samples, drawn)
    group_risk, group_half = _group_risk(units, nodes, q, impact, groups, fail_all[:kg], loss_all[:kg])
    return Sampled(expected, half, risk, risk_half, group_risk, group_half, drawn, kr, kg)


def _element_risk(c: CompiledModel, space: Space, units: _Units, nodes: np.ndarray, q: np.ndarray,
                  impact: np.ndarray, fail: np.ndarray, loss: np.ndarray, shares: sp.csr_matrix | None,
                  mean_share: np.ndarray, drawn: int) -> tuple[np.ndarray, np.ndarray]:
    k, kr = len(nodes), len(fail)
    if kr == 0 or shares is None:
        return q * impact, np.full(k, np.inf)
    # a_x(u): what x alone loses on unit u
    _, single = units.run([nodes[i: i + 1] for i in range(k)])
    a = sp.csr_matrix(single.multiply(space.weight[None, :]))
    keep = 1.0 - shares.toarray()                               # (kr, units)
    cv = np.asarray(a @ keep.T)                                 # (k, kr)
    cv_mean = np.asarray(a @ (1.0 - mean_share)).ravel()        # (k,)
    delta = np.repeat(impact[:, None], kr, axis=1)              # non-interacting: exactly impact(x)
    sets: list[np.ndarray] = []
    where: list[tuple[int, int, bool]] = []
    for j in range(kr):
        inside = np.flatnonzero(fail[j])
        base = nodes[inside]
        hit = space.meets(nodes, space.union(base))
        hit[inside] = False
        for i in np.flatnonzero(hit):
            sets.append(np.append(base, nodes[i]))
            where.append((i, j, False))
        for pos, i in enumerate(inside):
            rest = np.delete(base, pos)
            if space.meets(nodes[i: i + 1], space.union(rest))[0]:
                sets.append(rest)
                where.append((int(i), j, True))
    for lo in range(0, len(sets), 20 * CHUNK):
        part_loss = units.loss(sets[lo: lo + 20 * CHUNK])
        for (i, j, removed), value in zip(where[lo: lo + 20 * CHUNK], part_loss.tolist(), strict=True):
            delta[i, j] = loss[j] - value if removed else value - loss[j]
    resid = delta - cv
    var_r = resid.var(axis=1, ddof=1) if kr > 1 else np.full(k, np.inf)
    var_c = cv.var(axis=1, ddof=1) if kr > 1 else np.full(k, np.inf)
    risk = q * (resid.mean(axis=1) + cv_mean)
    half = Z95 * q * np.sqrt(var_r / kr + var_c / drawn)
    return risk, half


def _group_risk(units: _Units, nodes: np.ndarray, q: np.ndarray, impact: np.ndarray, groups: list[np.ndarray],
                fail: np.ndarray, loss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kr = len(fail)
    risk = np.zeros(len(groups))
    half = np.zeros(len(groups))
    sets: list[np.ndarray] = []
    where: list[tuple[int, int]] = []
    for g, positions in enumerate(groups):
        if len(positions) == 0:
            continue
        member = np.zeros(len(nodes), bool)
        member[positions] = True
        for j in np.flatnonzero((fail[:, member]).any(axis=1)):
            sets.append(nodes[fail[j] & ~member])
            where.append((g, int(j)))
    diff = np.zeros((len(groups), kr))
    if sets:
        rest_loss = units.loss(sets)
        for (g, j), value in zip(where, rest_loss.tolist(), strict=True):
            diff[g, j] = loss[j] - value
    for g, positions in enumerate(groups):
        if len(positions) == 0 or kr == 0:
            continue
        first = fail[:, positions] @ impact[positions]
        risk[g], half[g] = _cv_mean(diff[g], first, float(np.dot(q[positions], impact[positions])))
    return risk, half
