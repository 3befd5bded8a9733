"""The executor adapter: what ``executor=`` accepts, and batches on a cluster equal to the serial engine bit for bit."""

from __future__ import annotations

import pickle
import types
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.engine import BatchOutput, all_failures, compile_model, run_packed, run_scenarios
from cxgraph.engine.executors import DaskExecutor, Executor, RayExecutor, interleave, resolve_executor

BANK = compile_model(cx.examples.load("retail-bank"))


class InProcess(Executor):
    """Runs every batch here, each through a pickle round trip as a cluster would: no cluster needed."""

    def __init__(self, workers: int) -> None:
        super().__init__()
        self.n = workers
        self.puts = 0

    @property
    def workers(self) -> int:
        return self.n

    def put(self, obj: Any) -> Any:
        self.puts += 1
        return pickle.loads(pickle.dumps(obj))

    def map(self, fn: Callable[[Any, Any], Any], handle: Any, batches: Sequence[Any]) -> list[Any]:
        return [pickle.loads(pickle.dumps(fn(handle, pickle.loads(pickle.dumps(b))))) for b in batches]


def assert_same(a: BatchOutput, b: BatchOutput) -> None:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, name
            assert x.tobytes() == y.tobytes(), name  # bit for bit, -0.0 and NaN included
        else:
            assert x == y, name


# ---------------------------------------------------------------------------------------------- what is accepted
def test_none_is_the_serial_engine() -> None:
    assert resolve_executor(None) is None


@pytest.mark.parametrize("wrong", ["ray", 2, ThreadPoolExecutor(1), types.ModuleType("dask")])
def test_anything_else_is_refused_with_what_is_accepted(wrong: Any) -> None:
    with pytest.raises(cx.AnalysisInputError, match=r"executor must be None, a dask\.distributed Client or the ray "
                                                    r"module after ray\.init"):
        resolve_executor(wrong)


def test_an_analysis_refuses_a_wrong_executor_before_any_work() -> None:
    with pytest.raises(ValueError, match="got str"):
        cx.impact(BANK, executor="ray")
    with pytest.raises(ValueError, match="got ThreadPoolExecutor"):
        cx.risk(BANK, executor=ThreadPoolExecutor(1))


def test_ray_must_be_started_first() -> None:
    fake = types.ModuleType("ray")
    fake.is_initialized = lambda: False  # type: ignore[attr-defined]
    with pytest.raises(cx.AnalysisInputError, match=r"call ray.init\(\)"):
        resolve_executor(fake)


def test_an_executor_is_passed_through() -> None:
    ex = InProcess(2)
    assert resolve_executor(ex) is ex


@given(st.integers(0, 200), st.integers(1, 12))
def test_interleaved_batches_cover_every_scenario_once(n: int, parts: int) -> None:
    batches = interleave(n, parts)
    assert all(len(b) for b in batches) or n == 0
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert len(batches) == max(1, min(n, parts))


# ---------------------------------------------------------------------------------------------- gathering
@given(st.lists(st.lists(st.integers(0, BANK.n_nodes - 1), max_size=4), min_size=2, max_size=30),
       st.integers(1, 5), st.sampled_from(["interactions", "customers"]))
def test_batches_gathered_in_order_equal_the_serial_run(sets: list[list[int]], workers: int, measure: str) -> None:
    scenarios = [dict.fromkeys(s, 1.0) for s in sets]
    w = BANK.measure(measure)
    flags = {"journeys": True, "lost": True, "degradation": True, "backend": "python"}
    serial = run_scenarios(BANK, scenarios, w, **flags)
    assert_same(serial, run_scenarios(BANK, scenarios, w, executor=InProcess(workers), **flags))


def test_the_graph_is_shipped_once_per_executor() -> None:
    ex = InProcess(2)
    w = BANK.measure()
    all_failures(BANK, w, backend="python", executor=ex)
    all_failures(BANK, w, journeys=True, backend="python", executor=ex)
    assert ex.puts == 1


# ---------------------------------------------------------------------------------------------- real clusters
@pytest.mark.parametrize("backend", ["python", "numba"])
def test_all_failures_on_a_cluster_equal_the_serial_run(executor: Any, backend: str) -> None:
    w = BANK.measure("customers")
    serial = all_failures(BANK, w, journeys=True, lost=True, backend=backend)
    assert_same(serial, all_failures(BANK, w, journeys=True, lost=True, backend=backend, executor=executor))


def test_run_scenarios_on_a_cluster_equal_the_serial_run(executor: Any) -> None:
    rng = np.random.default_rng(3)
    scenarios = [{int(u): float(rng.uniform(0.1, 1.0)) for u in rng.choice(BANK.n_nodes, 3, replace=False)}
                 for _ in range(40)]
    serial = run_scenarios(BANK, scenarios, BANK.measure(), degradation=True, backend="python")
    assert_same(serial, run_scenarios(BANK, scenarios, BANK.measure(), degradation=True, backend="python",
                                      executor=executor))


def test_the_adapter_knows_its_engine(executor: Any) -> None:
    ex = resolve_executor(executor)
    assert isinstance(ex, DaskExecutor if ex.name == "dask" else RayExecutor)
    assert ex.workers == 2
    assert ex.batches(3) == 3 and ex.batches(1000) == 4
    assert ex.map(_twice, ex.put(np.arange(3)), [1, 2]) == [[0, 2, 4], [0, 4, 8]]


def test_one_scenario_runs_here(executor: Any) -> None:
    out = run_packed(BANK, [0, 1], [BANK.node("core-banking")], [1.0], BANK.measure(), executor=executor)
    assert out.impact[0] == cx.impact(BANK).impact["core-banking"]


def _twice(shared: np.ndarray, k: int) -> list[int]:
    return (shared * 2 * k).tolist()
