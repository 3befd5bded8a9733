"""Running batches of scenarios through the kernel, and the batches every analysis needs.

A scenario is ``{node index: initial degradation a}``. :func:`run_scenarios` packs a list of
them for :func:`~cxgraph.engine.kernels.run_batch`, splits large batches over the machine's
cores (the compiled kernel releases the GIL) and returns a :class:`BatchOutput`.
:func:`all_failures` is the batch behind impact: every touchpoint, every element and every
capability failing on its own.

Examples
--------
>>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
>>> out = cx.engine.all_failures(c, c.measure())
>>> len(out.impact) == c.n_nodes + len(c.capability_ids)
True
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .executors import Executor, resolve_executor
from .kernels import MAX_SWEEPS, TOLERANCE, get_kernel
from .kernels import backend as default_backend
from .measures import Measure, as_measure
from .newton import NEWTON_MAX_ENTRIES

if TYPE_CHECKING:
    from .compile import CompiledModel

__all__ = ["LOST", "BatchOutput", "all_failures", "run_packed", "run_scenarios"]

LOST = 1.0 - 1e-12
"""A touchpoint counts as fully lost when its degradation is at least this (1 up to rounding)."""

_PARALLEL_MIN = 512  # scenarios below which one thread is quicker than two


@dataclass(frozen=True)
class BatchOutput:
    """What a batch of scenarios produced (arrays indexed by scenario unless said otherwise).

    ``impact``: weighted sum of touchpoint degradation; ``touchpoints`` / ``journeys``: how
    many have d > 0; ``journey_s, journey_j, journey_v``: per (scenario, journey) weighted
    loss; ``lost_s, lost_t``: (scenario, touchpoint) pairs fully lost; ``d_s, d_u, d_v``:
    (scenario, node, d) for every d > 0; ``unconverged``: cycle evaluations that hit the cap.
    """

    n_nodes: int
    impact: np.ndarray
    touchpoints: np.ndarray
    journeys: np.ndarray
    journey_s: np.ndarray
    journey_j: np.ndarray
    journey_v: np.ndarray
    lost_s: np.ndarray
    lost_t: np.ndarray
    d_s: np.ndarray
    d_u: np.ndarray
    d_v: np.ndarray
    unconverged: int

    def degradation(self, scenario: int) -> np.ndarray:
        """Return the dense degradation vector of one scenario (needs ``degradation=True``)."""
        d = np.zeros(self.n_nodes)
        sel = self.d_s == scenario
        d[self.d_u[sel]] = self.d_v[sel]
        return d


def _pack(scenarios: list[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ptr = np.zeros(len(scenarios) + 1, np.int64)
    ptr[1:] = np.cumsum([len(s) for s in scenarios])
    nodes = np.fromiter((u for s in scenarios for u in s), np.int64, count=int(ptr[-1]))
    levels = np.fromiter((v for s in scenarios for v in s.values()), np.float64, count=int(ptr[-1]))
    return ptr, nodes, levels


def _run_packed(c: CompiledModel, ptr: np.ndarray, nodes: np.ndarray, levels: np.ndarray, measure: Measure,
                journeys: bool, lost: bool, degradation: bool, backend: str) -> tuple:
    kernel = get_kernel(backend)
    return kernel(ptr, nodes, levels, c.kernel_arrays, c.n_touchpoints, c.tp_journey, len(c.journey_ids),
                  measure.tp_weight, measure.funnel, measure.tp_funnel, measure.journey_weight,
                  journeys, lost, degradation, LOST, TOLERANCE, MAX_SWEEPS)


def _writable(array: np.ndarray) -> np.ndarray:
    """``array``, copied only when read-only (Ray hands out read-only views; numba compiles those apart)."""
    return array if array.flags.writeable else array.copy()


_ROWS = ((3, (4, 5)), (6, (7,)), (8, (9, 10)))  # kernel outputs: (scenario, ...) rows, sorted by scenario


def _run_remote(graph: tuple[np.ndarray, ...], task: tuple) -> tuple:
    """Run one batch on a worker: the serial engine's kernel call, on the graph shipped once.

    The output travels back compressed without loss (see :func:`_shrink`).
    """
    ptr, nodes, levels, n_tp, tp_journey, n_journeys, tp_weight, funnel, tp_funnel, journey_weight, flags, name = task
    ptr, nodes, levels, tp_journey, tp_weight, tp_funnel, journey_weight = (
        _writable(a) for a in (ptr, nodes, levels, tp_journey, tp_weight, tp_funnel, journey_weight))
    kernel = get_kernel(name)
    out = kernel(ptr, nodes, levels, tuple(_writable(a) for a in graph), n_tp, tp_journey, n_journeys, tp_weight,
                 funnel, tp_funnel, journey_weight, *flags, LOST, TOLERANCE, MAX_SWEEPS)
    return _shrink(out, len(ptr) - 1)


def _narrow(a: np.ndarray) -> np.ndarray:
    """Return ``a`` as int32 when that loses nothing (node, journey and touchpoint indices): half the bytes."""
    if a.dtype == np.int64 and (not len(a) or (int(a.min()) >= 0 and int(a.max()) < 2**31)):
        return a.astype(np.int32)
    return a


def _shrink(out: tuple, n: int) -> tuple:
    """Return the kernel's output with each scenario column as counts per scenario, and indices narrowed."""
    parts: list[Any] = list(out[:3])
    for s_col, cols in _ROWS:
        s = out[s_col]
        ordered = not len(s) or bool(np.all(s[1:] >= s[:-1]))
        parts.append(("counts", np.bincount(s, minlength=n).astype(np.int32)) if ordered else ("ids", _narrow(s)))
        parts.extend(_narrow(out[k]) for k in cols)
    parts.append(out[11])
    return tuple(parts)


def _widen(a: np.ndarray) -> np.ndarray:
    return a.astype(np.int64) if a.dtype == np.int32 else a


def _remote_batches(ex: Executor, c: CompiledModel, ptr: np.ndarray, nodes: np.ndarray, levels: np.ndarray,
                    measure: Measure, flags: tuple[bool, bool, bool], backend: str,
                    progress: Callable[[int], None] | None) -> list[Any]:
    """Run the scenarios on ``ex`` in contiguous batches; return what the serial engine returns, bit for bit.

    Four batches per worker: the cluster hands the next batch to the first worker free, so a
    batch of heavy scenarios (a shared hub) does not hold the others up.
    """
    n = len(ptr) - 1
    graph = ex.share(c.kernel_arrays)
    bounds = np.linspace(0, n, ex.batches(n, per_worker=4) + 1).astype(np.int64)
    chunks = [(int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds) if hi > lo]
    tasks = [(ptr[lo: hi + 1] - ptr[lo], nodes[ptr[lo]: ptr[hi]], levels[ptr[lo]: ptr[hi]], c.n_touchpoints,
              c.tp_journey, len(c.journey_ids), measure.tp_weight, measure.funnel, measure.tp_funnel,
              measure.journey_weight, flags, backend) for lo, hi in chunks]
    results = ex.map(_run_remote, graph, tasks)
    if progress is not None:
        progress(n)
    out: list[Any] = [np.concatenate([r[i] for r in results]) for i in range(3)]
    at = 3
    for _, cols in _ROWS:
        scen = []
        for r, (lo, hi) in zip(results, chunks, strict=True):
            kind, values = r[at]
            scen.append(np.repeat(np.arange(lo, hi, dtype=np.int64), values) if kind == "counts"
                        else _widen(values) + lo)
        out.append(np.concatenate(scen))
        out.extend(np.concatenate([_widen(r[at + 1 + k]) for r in results]) for k in range(len(cols)))
        at += 1 + len(cols)
    out.append(int(sum(r[at] for r in results)))
    return out


def _threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def run_scenarios(c: CompiledModel, scenarios: list[dict[int, float]], weight: Measure | np.ndarray | None = None, *,
                  journeys: bool = False, lost: bool = False, degradation: bool = False,
                  backend: str | None = None, executor: Any = None) -> BatchOutput:
    """Propagate every scenario; see :class:`BatchOutput` for what comes back.

    ``weight`` is a :class:`~cxgraph.engine.Measure` (``c.measure("customers")``), per-touchpoint
    weights, or ``None`` (no loss counted). ``executor``: see :func:`run_packed`.

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> out = cx.engine.run_scenarios(c, [{c.node("core-banking"): 1.0}, {}], c.measure())
    >>> bool(out.impact[0] > 0), float(out.impact[1])
    (True, 0.0)
    """
    return run_packed(c, *_pack(scenarios), weight, journeys=journeys, lost=lost, degradation=degradation,
                      backend=backend, executor=executor)


def run_packed(c: CompiledModel, ptr: np.ndarray, nodes: np.ndarray, levels: np.ndarray,
               weight: Measure | np.ndarray | None = None, *, journeys: bool = False, lost: bool = False,
               degradation: bool = False, backend: str | None = None,
               progress: Callable[[int], None] | None = None, executor: Any = None) -> BatchOutput:
    """Propagate scenarios given as arrays, like :func:`run_scenarios`.

    ``progress``, if given, is called with the number of scenarios each piece finished.
    ``executor``: ``None`` (this machine's threads), a ``dask.distributed.Client`` or the ``ray``
    module after ``ray.init()``: the scenarios then run in batches on that cluster, with the
    same kernel, and come back equal bit for bit (see :mod:`cxgraph.engine.executors`).

    Scenario ``s`` sets ``levels[i]`` on ``nodes[i]`` for ``i`` in ``ptr[s]:ptr[s+1]``. Large
    batches are cut into pieces run on a pool of threads (one per core), so that heavy
    scenarios (a shared hub) and light ones spread evenly.

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> out = cx.engine.run_packed(c, [0, 1, 2], [c.node("crm"), c.node("core-banking")], [1.0, 1.0], c.measure())
    >>> out.impact.tolist() == [cx.impact(c).impact["crm"], cx.impact(c).impact["core-banking"]]
    True
    """
    backend = backend or default_backend(work=(len(ptr) - 1) * c.n_nodes)
    w = as_measure(c, weight)
    ptr = np.ascontiguousarray(ptr, dtype=np.int64)
    nodes = np.ascontiguousarray(nodes, dtype=np.int64)
    levels = np.ascontiguousarray(levels, dtype=np.float64)
    n = len(ptr) - 1
    ex = resolve_executor(executor)
    if ex is not None and n > 1:
        return _output(c, _remote_batches(ex, c, ptr, nodes, levels, w, (journeys, lost, degradation), backend,
                                          progress))
    threads = _threads() if backend == "numba" and n >= _PARALLEL_MIN else 1
    pieces = min(8 * threads, max(1, n // 64)) if threads > 1 else 1
    bounds = np.linspace(0, n, pieces + 1).astype(np.int64)
    chunks = [(int(bounds[i]), int(bounds[i + 1])) for i in range(pieces) if bounds[i + 1] > bounds[i]] or [(0, 0)]

    def one(lo_hi: tuple[int, int]) -> tuple:
        lo, hi = lo_hi
        sub_ptr = ptr[lo: hi + 1] - ptr[lo]
        out = _run_packed(c, sub_ptr, nodes[ptr[lo]: ptr[hi]], levels[ptr[lo]: ptr[hi]], w,
                          journeys, lost, degradation, backend)
        if progress is not None:
            progress(hi - lo)
        return out

    if len(chunks) > 1:
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(one, chunks))
    else:
        results = [one(chunks[0])]
    offsets = [lo for lo, _ in chunks]

    def cat(i: int, shift: bool = False) -> np.ndarray:
        return np.concatenate([r[i] + off if shift else r[i] for r, off in zip(results, offsets, strict=True)])

    return _output(c, [cat(0), cat(1), cat(2), cat(3, True), cat(4), cat(5), cat(6, True), cat(7), cat(8, True),
                       cat(9), cat(10), int(sum(r[11] for r in results))])


def _output(c: CompiledModel, parts: list[Any]) -> BatchOutput:
    out = BatchOutput(c.n_nodes, *parts)
    if out.unconverged:
        warnings.warn(
            f"{out.unconverged} evaluation(s) of a dependency cycle stopped after {MAX_SWEEPS} sweeps before "
            "settling to 1e-15, Newton's method on the cycle having failed too (a cycle whose elimination would "
            f"hold more than {NEWTON_MAX_ENTRIES:,} numbers is only swept). The degradations reported for it are the "
            "last sweep's, below the exact ones.", RuntimeWarning,
            stacklevel=4)
    return out


def all_failures(c: CompiledModel, weight: Measure | np.ndarray, *, journeys: bool = False, lost: bool = False,
                 backend: str | None = None, progress: Callable[[int], None] | None = None,
                 executor: Any = None) -> BatchOutput:
    """Every touchpoint, then every element, then every capability failing on its own.

    Scenario ``i < n_nodes`` fails node ``i``; scenario ``n_nodes + k`` fails every element
    realising capability ``k`` or one of its descendants. ``executor``: see :func:`run_packed`.

    Examples
    --------
    >>> c = cx.engine.compile_model(cx.examples.load("retail-bank"))
    >>> w = c.measure()
    >>> out = cx.engine.all_failures(c, w)
    >>> bool(abs(out.impact[0] - w.tp_weight[0]) < 1e-9)  # a touchpoint failing loses its own weight
    True
    """
    n = c.n_nodes
    ptr = np.concatenate([np.arange(n + 1, dtype=np.int64), n + c.cap_ptr[1:]])
    nodes = np.concatenate([np.arange(n, dtype=np.int64), c.cap_members])
    return run_packed(c, ptr, nodes, np.ones(len(nodes)), weight, journeys=journeys, lost=lost, backend=backend,
                      progress=progress, executor=executor)
