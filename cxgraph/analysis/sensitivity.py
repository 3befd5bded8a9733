"""How much the impact, pain and ranking of elements and capabilities depend on uncertain inputs.

Every number written as a range (``{low, high}``: uniform; ``{low, mode, high}``: triangular) is
drawn ``samples`` times - customers, reach, importance, strengths, metric values, costs and the
values initiatives set metrics ``to`` - and every element's and capability's impact and pain
(DESIGN.md section 3) is computed for each draw. The result gives, per element and capability,
the mean and the 5-95% interval of impact and pain, the median rank with its 5-95% interval, and
the probability of being in the top ``k``; per initiative, the spread of its cost and of its
benefit on its own; and, for the items at the top, the rank correlation (Spearman) between each
uncertain input and their impact and rank: the inputs the top of the ranking is sensitive to.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .. import limits
from ..engine import compile_model
from ..engine.executors import Executor, resolve_executor
from ..errors import AnalysisInputError
from ..model import Model, point
from ..model.apply import apply_initiatives
from ..model.estate import needs_model
from ._draws import Input, draw, uncertain_inputs
from ._montecarlo import Progress, Samples, gap_matrix, simulate
from ._result import Result
from .coverage import coverage_notes

__all__ = ["SensitivityResult", "sensitivity"]

_ITEM_COLUMNS = ["id", "name", "type", "kind", "impact", "pain", "rank", "impact_mean", "impact_p05", "impact_p95",
                 "pain_mean", "pain_p05", "pain_p95", "rank_median", "rank_p05", "rank_p95", "p_top_k"]


@dataclass(frozen=True, repr=False, eq=False)
class SensitivityResult(Result):
    """Impact, pain and rank of every element and capability over random draws of the uncertain inputs.

    Attributes
    ----------
    samples, seed, top_k, rank_by
        How the analysis was run; ranks order items by ``rank_by`` ("impact" or "pain").
    measure, unit
        The measure of impact, ranks by impact and the expected loss, and its unit (e.g.
        ``customers / month``).
    pain_unit
        Unit of pain, always ``interactions / <period>`` (pain is defined in interactions).
    total_pain
        Mean, 5%, 50% and 95% quantiles of total pain.
    expected_loss
        The same for the expected loss (DESIGN §3), drawing ``availability``, ``failures_per_year``
        and ``recovery_hours`` where they are ranges; empty when no element has reliability data.
    notes
        Plain statements: no uncertain inputs, no metrics, a cycle that did not converge.

    Examples
    --------
    >>> r = cx.sensitivity(cx.examples.load("retail-bank"), samples=200, seed=1, progress=False)
    >>> row = r.to_frame().iloc[0]
    >>> bool(row["impact_p05"] <= row["impact_mean"] <= row["impact_p95"])
    True
    >>> "open-account.customers" in set(r.inputs["input"])
    True
    """

    model_name: str
    samples: int
    seed: int
    top_k: int
    rank_by: str
    unit: str
    measure: str
    pain_unit: str
    total_pain: Mapping[str, float]
    expected_loss: Mapping[str, float]
    notes: tuple[str, ...]
    _items: pd.DataFrame
    _inputs: pd.DataFrame
    _influence: pd.DataFrame
    _initiatives: pd.DataFrame
    _ids: tuple[str, ...]
    _impact: np.ndarray
    _pain: np.ndarray
    _rank: np.ndarray

    title = "Sensitivity"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per element and capability: point values, means, 5-95% intervals, rank, P(top k).

        Columns: id, name, type, kind; impact, pain and rank at the point values (as the
        deterministic analyses report them); impact_mean/_p05/_p95 and pain_mean/_p05/_p95 over
        the samples; rank_median, rank_p05, rank_p95; p_top_k. Elements come first, then
        capabilities, each by median rank (ties by mean impact, then id).
        """
        return self._items.copy()

    @property
    def inputs(self) -> pd.DataFrame:
        """Every uncertain input: its range and how strongly the top items' ranks follow it."""
        return self._inputs.copy()

    @property
    def influence(self) -> pd.DataFrame:
        """Spearman correlation of each input with each top item's impact and rank (one row per pair)."""
        return self._influence.copy()

    @property
    def initiatives(self) -> pd.DataFrame:
        """Each initiative's cost and its benefit on its own (with what it requires): mean and 5-95%."""
        return self._initiatives.copy()

    def sample_frame(self, quantity: str = "impact") -> pd.DataFrame:
        """Return every sample of ``quantity`` ("impact", "pain" or "rank"): one row per sample, one column per id.

        Examples
        --------
        >>> r = cx.sensitivity(cx.examples.load("retail-bank"), samples=50, progress=False)
        >>> r.sample_frame("rank").shape[0]
        50
        """
        data = {"impact": self._impact, "pain": self._pain, "rank": self._rank}.get(quantity)
        if data is None:
            raise AnalysisInputError(f"quantity must be 'impact', 'pain' or 'rank', got {quantity!r}")
        return pd.DataFrame(data.copy(), columns=list(self._ids))

    def to_dict(self) -> dict[str, Any]:
        """Return the tables and the run's settings as plain data (the samples themselves are left out)."""
        return {
            "model": self.model_name, "samples": self.samples, "seed": self.seed, "top_k": self.top_k,
            "rank_by": self.rank_by, "measure": self.measure, "unit": self.unit, "pain_unit": self.pain_unit,
            "total_pain": dict(self.total_pain), "expected_loss": dict(self.expected_loss),
            "items": self._items, "inputs": self._inputs, "influence": self._influence,
            "initiatives": self._initiatives, "notes": list(self.notes),
        }


def sensitivity(model: Model, *, samples: int = 1000, seed: int = 0, top_k: int = 5, rank_by: str = "impact",
                progress: bool | None = None, measure: str | Mapping[str, float] = "interactions",
                executor: Any = None) -> SensitivityResult:
    """Draw the uncertain inputs ``samples`` times and report how impact, pain and rank vary.

    Parameters
    ----------
    model
        The model (checked first).
    samples
        Number of draws, >= 1.
    seed
        Seed of the draws (an integer >= 0); the same seed gives the same result.
    top_k
        ``p_top_k`` is the share of samples in which an item ranks ``top_k`` or better, and the
        influence of inputs is measured on the ``top_k`` elements and capabilities.
    rank_by
        ``"impact"`` (default) or ``"pain"``: what the ranks order by.
    progress
        Show a progress line on stderr while the failure scenarios are propagated for every
        sample: ``None`` (default) shows it only when stderr is a terminal; ``False`` never;
        ``True`` always.
    measure
        The measure of the sampled impact, its ranks and the expected loss: ``"interactions"``
        (default), ``"customers"``, ``"revenue"`` (journey funnels, DESIGN §3) or a mapping
        touchpoint id -> weight. Pain stays in interactions, the measure it is defined in.
    executor
        Where the failure scenarios are propagated for every sample: ``None`` (default, this
        machine's cores), a ``dask.distributed.Client`` or the ``ray`` module after ``ray.init()``
        (see the page "Distributed runs"). The draws stay here; the result is the same, bit for bit.

    Raises
    ------
    AnalysisInputError
        If ``samples`` or ``top_k`` is not an integer >= 1, ``seed`` is not an integer >= 0, or
        ``rank_by`` is neither "impact" nor "pain".

    Examples
    --------
    >>> model = cx.examples.load("retail-bank")
    >>> r = cx.sensitivity(model, samples=100, seed=7, progress=False)
    >>> r.to_frame().equals(cx.sensitivity(model, samples=100, seed=7, progress=False).to_frame())
    True
    >>> r.to_frame().equals(cx.sensitivity(model, samples=100, seed=7, progress=False, executor=None).to_frame())
    True
    >>> cx.sensitivity(model, samples=0)
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: samples must be an integer >= 1, got 0
    """
    needs_model(model, "cx.sensitivity")
    _integer("samples", samples, 1)
    _integer("seed", seed, 0)
    _integer("top_k", top_k, 1)
    if rank_by not in ("impact", "pain"):
        raise AnalysisInputError(f"rank_by must be 'impact' or 'pain', got {rank_by!r}")
    ex = resolve_executor(executor)
    c = compile_model(model)
    chosen = c.measure(measure)
    inputs = uncertain_inputs(model)
    columns = max(len(inputs), c.n_elements + len(c.capability_ids), 1)
    limits.check(f"samples x columns ({int(samples):,} x {columns:,})", int(samples) * columns, "MAX_CELL_VALUES")
    if chosen.funnel:
        limits.check(f"samples x scenarios x journeys ({int(samples):,} x {columns:,} x {len(c.journey_ids):,})",
                     int(samples) * columns * max(1, len(c.journey_ids)), "MAX_CELL_VALUES")
    x = draw(inputs, int(samples), int(seed))
    changes = _structural_closures(model)
    bar = Progress((c.n_elements + len(c.capability_ids)) * (1 + len(changes)), enabled=progress,
                   unit=f"scenarios x {int(samples)} samples")
    # The point values ride along as an extra first sample: one propagation serves both.
    points = np.array([[spec.point for spec in inputs]]).reshape(1, len(inputs))
    try:
        both = simulate(model, c, inputs, np.vstack([points, x]), bar, chosen, ex)
        burdens = {iid: _burden(apply_initiatives(model, closure), int(samples), int(seed), bar, ex)
                   for iid, closure in changes.items()}
    finally:
        bar.close()
    point_sim, sim = both.rows(slice(0, 1)), both.rows(slice(1, None))
    n_e = c.n_elements
    ids = [*c.ids[c.n_touchpoints:], *c.capability_ids]
    names = [*c.names[c.n_touchpoints:], *c.capability_names]
    types = ["element"] * n_e + ["capability"] * len(c.capability_ids)
    kinds = [*c.kinds[c.n_touchpoints:], *(["capability"] * len(c.capability_ids))]
    key = sim.loss if rank_by == "impact" else sim.pain
    point_key = point_sim.loss if rank_by == "impact" else point_sim.pain
    groups = [np.arange(n_e), np.arange(n_e, len(ids))]
    ranks = np.zeros(key.shape, np.int64)
    point_rank = np.zeros(point_key.shape, np.int64)
    for cols in groups:
        ranks[:, cols] = _ranks(key[:, cols], [ids[i] for i in cols])
        point_rank[:, cols] = _ranks(point_key[:, cols], [ids[i] for i in cols])
    k = int(top_k)
    impact_stats, pain_stats = _spread(sim.loss.T), _spread(sim.pain.T)
    ranks_t = np.ascontiguousarray(ranks.T)  # items x samples: each item's samples side by side
    items = pd.DataFrame({
        "id": ids, "name": names, "type": types, "kind": kinds,
        "impact": point_sim.loss[0], "pain": point_sim.pain[0], "rank": point_rank[0],
        "impact_mean": impact_stats[0], "impact_p05": impact_stats[1], "impact_p95": impact_stats[2],
        "pain_mean": pain_stats[0], "pain_p05": pain_stats[1], "pain_p95": pain_stats[2],
        "rank_median": np.median(ranks_t, axis=1), "rank_p05": np.quantile(ranks_t, 0.05, axis=1, method="lower"),
        "rank_p95": np.quantile(ranks_t, 0.95, axis=1, method="higher"), "p_top_k": (ranks_t <= k).mean(axis=1),
    }, columns=_ITEM_COLUMNS)
    items["_order"] = [0 if t == "element" else 1 for t in types]
    items = items.sort_values(["_order", "rank_median", "impact_mean", "id"], ascending=[True, True, False, True],
                              kind="stable").drop(columns="_order").reset_index(drop=True)
    top = [i for t in ("element", "capability") for i in items.loc[items["type"] == t, "id"].head(k)]
    influence, inputs_frame = _influence(inputs, x, sim, ranks, ids, top)
    total = _total_pain(sim)
    notes = _notes(model, inputs, sim)
    expected = _expected_loss(c, inputs, x, notes, chosen)
    benefits: dict[str, np.ndarray] = {}
    if burdens:
        before = _loss_samples(c, inputs, x, c.measure("interactions"))
        burden_now = None if isinstance(before, str) else _total_pain(sim) + before
        if burden_now is None or any(b is None for b in burdens.values()):
            notes.append("the benefits of initiatives that change the architecture (sets, adds, removes) are not "
                         "sampled: that needs the expected loss, computed exactly only with at most "
                         f"{_max_exact()} elements that can fail")
        else:
            benefits = {iid: burden_now - b for iid, b in burdens.items() if b is not None}
    for array in (sim.loss, sim.pain, ranks):
        array.flags.writeable = False  # the result is a read-only snapshot
    return SensitivityResult(
        model_name=model.name, samples=int(samples), seed=int(seed), top_k=k, rank_by=rank_by,
        unit=chosen.unit, measure=chosen.name, pain_unit=f"interactions / {model.period}",
        total_pain=MappingProxyType({"mean": float(total.mean()), "p05": float(np.quantile(total, 0.05)),
                                     "p50": float(np.quantile(total, 0.5)), "p95": float(np.quantile(total, 0.95))}),
        expected_loss=MappingProxyType(expected), notes=tuple(notes), _items=items, _inputs=inputs_frame,
        _influence=influence,
        _initiatives=_initiatives(model, sim, benefits, set(changes)), _ids=tuple(ids), _impact=sim.loss,
        _pain=sim.pain, _rank=ranks,
    )


# ---------------------------------------------------------------------------------------------- helpers
def _expected_loss(c: Any, inputs: list[Input], x: np.ndarray, notes: list[str], measure: Any) -> dict[str, float]:
    """Quantiles of the expected loss over the draws of the elements' reliability (strengths at their points)."""
    if not c.reliability_known.any():
        return {}
    values = _loss_samples(c, inputs, x, measure)
    if isinstance(values, str):
        notes.append(values)
        return {}
    return {"mean": float(values.mean()), "p05": float(np.quantile(values, 0.05)),
            "p50": float(np.quantile(values, 0.5)), "p95": float(np.quantile(values, 0.95))}


def _max_exact() -> int:
    from .risk import MAX_EXACT

    return MAX_EXACT


def _loss_samples(c: Any, inputs: list[Input], x: np.ndarray, measure: Any) -> np.ndarray | str:
    """Return the expected loss of every sample, or the reason it is not sampled."""
    from ..model import HOURS_PER_YEAR
    from .risk import MAX_EXACT, _enumerate

    n_tp = c.n_touchpoints
    fields = ("availability", "failures_per_year", "recovery_hours")
    varying = [(k, spec) for k, spec in enumerate(inputs) if spec.field in fields]
    if not c.reliability_known.any():
        return np.zeros(x.shape[0])
    unreliable_now = int((c.q[n_tp:] > 0).sum())
    if unreliable_now > MAX_EXACT or any(c.q[c.index[spec.item]] == 0 for _, spec in varying):
        return ("the expected loss is not sampled: it is computed exactly only with at most "
                f"{MAX_EXACT} elements that can fail, each with a failure probability above 0 at its point value")
    unreliable, bits, qs, _, loss = _enumerate(c, measure)
    q = np.tile(qs, (x.shape[0], 1))
    position = {int(u): i for i, u in enumerate(unreliable)}
    avail: dict[int, np.ndarray] = {}
    rate: dict[int, np.ndarray] = {}
    hours: dict[int, np.ndarray] = {}
    for k, spec in varying:
        e = c.index[spec.item] - n_tp
        {"availability": avail, "failures_per_year": rate, "recovery_hours": hours}[spec.field][e] = x[:, k]
    for e, i in position.items():
        if e in avail:
            q[:, i] = 1.0 - avail[e]
        elif e in rate or e in hours:
            element_rate = rate.get(e, np.full(x.shape[0], qs[i] * HOURS_PER_YEAR / max(c.recovery_hours[n_tp + e],
                                                                                          1e-300)))
            element_hours = hours.get(e, np.full(x.shape[0], c.recovery_hours[n_tp + e]))
            q[:, i] = np.minimum(1.0, element_rate * element_hours / HOURS_PER_YEAR)
    values = np.empty(x.shape[0])
    for lo in range(0, x.shape[0], 256):
        qq = q[lo:lo + 256]
        prob = np.prod(np.where(bits[None, :, :], qq[:, None, :], 1.0 - qq[:, None, :]), axis=2)
        values[lo:lo + 256] = prob @ loss
    return values


def _structural_closures(model: Model) -> dict[str, list[str]]:
    """Each initiative that, with what it requires, changes the architecture: its id -> that closure, sorted."""
    index = {ini.id: ini for ini in model.initiatives}
    out = {}
    for ini in model.initiatives:
        closure, todo = {ini.id}, list(ini.requires)
        while todo:
            r = todo.pop()
            if r not in closure:
                closure.add(r)
                todo.extend(index[r].requires)
        if any(index[i].structural for i in closure):
            out[ini.id] = sorted(closure)
    return out


def _burden(changed: Model, samples: int, seed: int, bar: Progress, executor: Executor | None = None,
            ) -> np.ndarray | None:
    """Return total pain + expected loss of every sample of the changed model, or None without an exact loss.

    Its inputs are drawn as in the model's run: each input's stream is seeded by its label.
    """
    c = compile_model(changed)
    inputs = uncertain_inputs(changed)
    x = draw(inputs, samples, seed)
    sim = simulate(changed, c, inputs, x, bar, executor=executor)
    loss = _loss_samples(c, inputs, x, c.measure("interactions"))
    return None if isinstance(loss, str) else _total_pain(sim) + loss


def _integer(name: str, value: Any, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise AnalysisInputError(f"{name} must be an integer >= {least}, got {value!r}")


def _spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, 5% and 95% quantiles of each row (an item's samples)."""
    rows = np.ascontiguousarray(values)
    p05, p95 = np.quantile(rows, [0.05, 0.95], axis=1)
    return rows.mean(axis=1), p05, p95


def _ranks(values: np.ndarray, ids: list[str]) -> np.ndarray:
    """Rank each row's values, 1 = highest; equal values (to 1e-12 of the row's largest) by id.

    Each value becomes one integer key, ``-round(value / largest * 1e12) * n + position by id``,
    unique within its row, so a plain (unstable) sort orders by value and then by id.
    """
    n_rows, n = values.shape
    if n == 0:
        return np.zeros(values.shape, np.int64)
    by_id = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    scale = np.maximum(np.abs(values).max(axis=1, keepdims=True), 1e-300)
    out = np.empty((n_rows, n), np.int64)
    places = np.arange(1, n + 1)

    def part(lo: int, hi: int) -> None:  # numpy sorts without the GIL: halves run side by side
        keyed = np.rint(values[lo:hi, by_id] / scale[lo:hi] * 1e12).astype(np.int64)
        keyed *= -n
        keyed += np.arange(n)
        order = np.argsort(keyed, axis=1)
        within = np.empty_like(order)
        np.put_along_axis(within, order, np.broadcast_to(places, order.shape), axis=1)
        out[lo:hi, by_id] = within

    cuts = np.linspace(0, n_rows, 3).astype(int)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(part, cuts[:-1], cuts[1:]))
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman correlation of every column of ``a`` with every column of ``b`` (0 where one is constant)."""
    from scipy.stats import rankdata  # scipy.stats takes most of a second to import: only when needed

    ra, rb = rankdata(a, axis=0), rankdata(b, axis=0)
    ra -= ra.mean(axis=0)
    rb -= rb.mean(axis=0)
    na, nb = np.sqrt((ra**2).sum(axis=0)), np.sqrt((rb**2).sum(axis=0))
    out = np.zeros((a.shape[1], b.shape[1]))
    ok = np.outer(na > 0, nb > 0)
    np.divide(ra.T @ rb, np.outer(na, nb), out=out, where=ok)
    return np.clip(out, -1.0, 1.0)


def _influence(inputs: list[Input], x: np.ndarray, sim: Samples, ranks: np.ndarray, ids: list[str],
               top: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = [ids.index(t) for t in top]
    rho_impact = _spearman(x, sim.impact[:, cols]) if inputs and cols else np.zeros((len(inputs), len(cols)))
    rho_rank = _spearman(x, ranks[:, cols].astype(float)) if inputs and cols else np.zeros((len(inputs), len(cols)))
    rows = [{"input": spec.label, "item": item, "rho_impact": float(rho_impact[i, j]),
             "rho_rank": float(rho_rank[i, j])} for i, spec in enumerate(inputs) for j, item in enumerate(top)]
    influence = pd.DataFrame(rows, columns=["input", "item", "rho_impact", "rho_rank"])
    summary = []
    for i, spec in enumerate(inputs):
        strongest = int(np.argmax(np.abs(rho_rank[i]))) if cols else -1
        summary.append({"input": spec.label, "item": spec.item, "field": spec.field,
                        "distribution": spec.distribution, "low": spec.low,
                        "mode": math.nan if spec.mode is None else spec.mode, "high": spec.high,
                        "influence": float(abs(rho_rank[i, strongest])) if cols else 0.0,
                        "most_on": top[strongest] if cols else None,
                        "influence_impact": float(np.abs(rho_impact[i]).max()) if cols else 0.0})
    frame = pd.DataFrame(summary, columns=["input", "item", "field", "distribution", "low", "mode", "high",
                                           "influence", "most_on", "influence_impact"])
    frame = frame.sort_values(["influence", "influence_impact", "input"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)
    return influence, frame


def _total_pain(sim: Samples) -> np.ndarray:
    n_e = sim.el_gap.shape[1]
    return (sim.weights * sim.tp_gap).sum(axis=1) + (sim.impact[:, :n_e] * sim.el_gap).sum(axis=1)


def _initiatives(model: Model, sim: Samples, burdens: dict[str, np.ndarray], structural: set[str]) -> pd.DataFrame:
    """Per initiative: cost, and the benefit of doing it (with what it requires) alone, over the samples.

    The benefit is the burden it removes. Initiatives that only improve metrics remove pain, computed
    from the exposures; those that change the architecture (``structural``) have their benefit in
    ``burdens`` (computed on the changed model), or NaN where it could not be sampled.
    """
    n_s = sim.weights.shape[0]
    inits = model.initiatives
    index = {ini.id: k for k, ini in enumerate(inits)}
    m_index = {m.id: k for k, m in enumerate(model.metrics)}
    higher = np.array([m.better == "higher" for m in model.metrics], dtype=bool)
    holders = [m.of for m in model.metrics]
    metrics_of: dict[str, list[int]] = {}
    for m, h in enumerate(holders):
        metrics_of.setdefault(h, []).append(m)
    tp_index = {tp.id: k for k, tp in enumerate(model.touchpoints)}
    el_index = {e.id: k for k, e in enumerate(model.elements)}
    exposure = {h: sim.weights[:, tp_index[h]] if h in tp_index else sim.impact[:, el_index[h]] for h in metrics_of}
    ideal = sim.metric_ideal
    gaps_before = gap_matrix(sim.metric_values, sim.metric_target, ideal)
    now = _total_pain(sim)
    rows = []
    for ini in inits:
        closure, todo = {ini.id}, list(ini.requires)
        while todo:
            r = todo.pop()
            if r not in closure:
                closure.add(r)
                todo.extend(inits[index[r]].requires)
        offered: dict[int, list[np.ndarray]] = {}
        for iid in sorted(closure):  # a fixed order: sums give the same last digit under any hash seed
            for imp in inits[index[iid]].improves:
                v = sim.to_values.get((iid, imp.metric), np.full(n_s, point(imp.to)))
                offered.setdefault(m_index[imp.metric], []).append(v)
        after = {}
        for m, vs in offered.items():
            value = np.max(vs, axis=0) if higher[m] else np.min(vs, axis=0)
            after[m] = gap_matrix(value, sim.metric_target[:, m], ideal[:, m])
        delta = np.zeros(n_s)
        for h in sorted({holders[m] for m in offered}):
            ms = metrics_of[h]
            g0 = gaps_before[:, ms].max(axis=1)
            g1 = np.max([after.get(m, gaps_before[:, m]) for m in ms], axis=0)
            delta += exposure[h] * (g0 - g1)
        if ini.id in structural:  # the burden removed, computed on the changed model
            delta = burdens.get(ini.id, np.full(n_s, np.nan))
        cost = sim.costs[:, [index[i] for i in sorted(closure)]].sum(axis=1)
        ratio = np.divide(delta, cost, out=np.full(n_s, np.nan), where=cost > 0)
        rows.append({"id": ini.id, "name": ini.name, "cost_mean": cost.mean(), "cost_p05": np.quantile(cost, 0.05),
                     "cost_p95": np.quantile(cost, 0.95), "benefit_mean": delta.mean(),
                     "benefit_p05": np.quantile(delta, 0.05), "benefit_p95": np.quantile(delta, 0.95),
                     "benefit_per_cost_mean": float(np.nanmean(ratio)) if np.isfinite(ratio).any() else math.nan,
                     "share_of_total_pain": float((delta / np.where(now > 0, now, np.inf)).mean())})
    return pd.DataFrame(rows, columns=["id", "name", "cost_mean", "cost_p05", "cost_p95", "benefit_mean",
                                       "benefit_p05", "benefit_p95", "benefit_per_cost_mean", "share_of_total_pain"])


def _notes(model: Model, inputs: list[Input], sim: Samples) -> list[str]:
    notes = coverage_notes(model)
    if not inputs:
        notes.append("the model has no uncertain inputs (no {low, high} ranges): every sample is the same")
    if not model.metrics:
        notes.append("the model has no metrics: every gap is 0, so pain is 0 in every sample")
    if sim.unconverged:
        notes.append(f"{sim.unconverged} evaluation(s) of a dependency cycle stopped before converging: "
                     "the impacts involved are the last sweep's, below the exact ones")
    return notes
