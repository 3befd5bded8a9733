"""The kernel: both backends, the Poisson-binomial group loss, convergence, batching."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.engine import compile_model, kernels, run_scenarios, scenarios

BACKENDS = ["python", "numba"]


def group_model(k: int, n: int, strengths: list[float]) -> cx.Model:
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1)
    j.add_touchpoint("t", "T", needs={"g": k},
                     depends_on=[{"element": f"e{i}", "group": "g", "strength": strengths[i]} for i in range(n)])
    for i in range(n):
        m.add_element(f"e{i}", f"E{i}", kind="system")
    return m


def enumerate_loss(k: int, q: list[float]) -> float:
    """P(fewer than k survive) by listing every pattern of survivors."""
    total = 0.0
    for alive in itertools.product((0, 1), repeat=len(q)):
        if sum(alive) < k:
            total += math.prod((1 - qi) if a else qi for a, qi in zip(alive, q, strict=True))
    return total


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_group_loss_is_the_poisson_binomial_tail(backend: str, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 6))
    k = data.draw(st.integers(1, n))
    strengths = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    levels = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    c = compile_model(group_model(k, n, strengths))
    d = c.degradation({c.node(f"e{i}"): levels[i] for i in range(n)}, backend=backend)
    q = [s * lv for s, lv in zip(strengths, levels, strict=True)]
    assert d[c.node("t")] == pytest.approx(enumerate_loss(k, q), abs=1e-14)
    if k == 1:     # the product of the losses
        assert d[c.node("t")] == pytest.approx(math.prod(q), abs=1e-15)
    if k == n:     # an AND: 1 - product of survivals
        assert d[c.node("t")] == pytest.approx(1 - math.prod(1 - qi for qi in q), abs=1e-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_small_degradations_come_out_exact(backend: str) -> None:
    m = group_model(1, 1, [0.2])
    c = compile_model(m)
    d = c.degradation({c.node("e0"): 1.0}, backend=backend)
    assert d[c.node("t")] == 0.2          # not 1 - (1 - 0.2) = 0.19999999999999996


def test_environment_variable_selects_the_plain_python_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGRAPH_NO_NUMBA", "1")
    assert kernels.backend() == "python"
    assert kernels.get_kernel() is kernels.run_batch
    python = cx.impact(cx.examples.load("telecom")).impact
    monkeypatch.setenv("CXGRAPH_NO_NUMBA", "0")
    assert kernels.backend() == "numba"
    compiled = cx.impact(cx.examples.load("telecom")).impact
    assert python == compiled
    with pytest.raises(ValueError, match="unknown kernel backend"):
        kernels.get_kernel("fortran")


def test_unconverged_cycles_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1)
    j.add_touchpoint("t", "T", depends_on=["a"])
    m.add_element("a", "A", kind="system", depends_on=[{"element": "x", "strength": 0.01},
                                                       {"element": "b", "strength": 0.9}])
    m.add_element("b", "B", kind="system", depends_on=[{"element": "a", "strength": 0.9}])
    m.add_element("x", "X", kind="system")
    c = compile_model(m)
    exact = 0.01 / (1 - 0.81 * 0.99)           # d(a) = 1 - (1 - 0.01)(1 - 0.81 d(a))
    monkeypatch.setattr(scenarios, "MAX_SWEEPS", 5)
    with pytest.warns(RuntimeWarning, match="1 evaluation.* stopped after 5 sweeps before settling"):
        low = c.degradation({c.node("x"): 1.0})
    assert 0 < low[c.node("t")] < exact        # the last sweep's value: below the least fixed point
    monkeypatch.undo()
    assert c.degradation({c.node("x"): 1.0})[c.node("t")] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_batches_split_over_threads_give_the_same_numbers(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    c = compile_model(cx.examples.load("online-retailer"))
    w, _ = c.weights()
    batch = [{u: 1.0} for u in range(c.n_nodes)] * 3
    whole = run_scenarios(c, batch, w, journeys=True, lost=True, degradation=True, backend=backend)
    monkeypatch.setattr(scenarios, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(scenarios, "_threads", lambda: 3)
    split = run_scenarios(c, batch, w, journeys=True, lost=True, degradation=True, backend=backend)
    for field in ("impact", "touchpoints", "journeys", "journey_s", "journey_j", "journey_v", "lost_s", "lost_t",
                  "d_s", "d_u", "d_v"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(split, field), err_msg=field)


def test_a_node_named_twice_takes_the_larger_level() -> None:
    c = compile_model(group_model(1, 1, [1.0]))
    ptr, nodes, levels = scenarios._pack([{c.node("e0"): 0.3}])
    out = kernels.run_batch(np.array([0, 2]), np.array([c.node("e0")] * 2), np.array([0.3, 0.7]), c.kernel_arrays,
                            c.n_touchpoints, c.tp_journey, 1, np.ones(1), False, np.zeros(1), np.zeros(1),
                                False, False, True, 1.0, 1e-15, 10)
    assert out[10].tolist() == [0.7, 0.7]       # e0 and t both at 0.7
    assert ptr.tolist() == [0, 1] and levels.tolist() == [0.3] and nodes.tolist() == [c.node("e0")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cycle_that_amplifies_grows_from_the_smallest_input(backend: str) -> None:
    # e0 -> e0 (0.75), e0 -> e1 (0.75), e1 -> e1 (0.85), e1 -> e0 (0.35): near d = 0 the cycle amplifies
    # (the linear part has spectral radius about 1.31 > 1), so any positive a on e1 rises to the same
    # least fixed point far above it; 1e-300 and 1e-10 give nearly the same answer, and every d stays in [0, 1].
    m = cx.Model()
    m.add_element("e0", "E0", kind="system", depends_on=[{"element": "e0", "strength": 0.75},
                                                        {"element": "e1", "strength": 0.75}])
    m.add_element("e1", "E1", kind="system", depends_on=[{"element": "e1", "strength": 0.85},
                                                        {"element": "e0", "strength": 0.35}])
    c = compile_model(m)
    tiny = c.degradation({1: 1e-300}, backend=backend)
    small = c.degradation({1: 1e-10}, backend=backend)
    assert tiny == pytest.approx(small, abs=1e-9)   # the input itself moves the fixed point by about 1e-10
    assert small.min() > 0.5 and small.max() < 1
    # and it is a fixed point: d0 = 1 - (1 - 0.75 d0)(1 - 0.75 d1), d1 = 1 - (1 - 0.85 d1)(1 - 0.35 d0)
    d0, d1 = tiny   # its own input (1e-300) is below rounding
    assert d0 == pytest.approx(1 - (1 - 0.75 * d0) * (1 - 0.75 * d1), abs=1e-12)
    assert d1 == pytest.approx(1 - (1 - 0.85 * d1) * (1 - 0.35 * d0), abs=1e-12)
