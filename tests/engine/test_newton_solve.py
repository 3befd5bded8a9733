"""The linear algebra of Newton's method: the feedback set and the Schur-complement solve (engine.newton)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgraph.engine.newton import elimination_pattern, feedback_set, lu_solve, schur_solve, sparse_solve


@st.composite
def patterns(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A random dependency pattern over up to 12 members, as compressed rows (self-loops and repeats allowed)."""
    m = draw(st.integers(1, 12))
    rows = [draw(st.lists(st.integers(0, m - 1), max_size=4)) for _ in range(m)]
    ptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    col = np.array([j for r in rows for j in r], dtype=np.int64)
    return ptr, col


def _graph(ptr: np.ndarray, col: np.ndarray) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(len(ptr) - 1))
    g.add_edges_from((i, int(col[k])) for i in range(len(ptr) - 1) for k in range(ptr[i], ptr[i + 1]))
    return g


@settings(max_examples=300)
@given(patterns())
def test_the_feedback_set_breaks_every_loop_and_the_rest_is_in_dependency_order(pattern: tuple) -> None:
    ptr, col = pattern
    feedback, rest = feedback_set(ptr, col)
    m = len(ptr) - 1
    assert sorted(feedback.tolist() + rest.tolist()) == list(range(m))
    g = _graph(ptr, col)
    assert nx.is_directed_acyclic_graph(g.subgraph(rest.tolist()))
    place = {int(u): p for p, u in enumerate(rest)}
    for i, j in g.edges:
        if i in place and j in place:
            assert place[j] < place[i], (i, j)  # what a member depends on comes first
    if nx.is_directed_acyclic_graph(g):
        assert feedback.size == 0


def test_a_ring_and_a_hub_have_a_feedback_set_of_one() -> None:
    n = 5000
    ring = feedback_set(np.arange(n + 1), (np.arange(n) + 1) % n)[0]
    # a hub on every spoke, every spoke on the hub
    ptr = np.concatenate([[0, n - 1], n - 1 + np.arange(1, n)])
    col = np.concatenate([np.arange(1, n), np.zeros(n - 1, np.int64)])
    hub = feedback_set(ptr, col)[0]
    assert ring.size == 1 and hub.tolist() == [0]


@st.composite
def systems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """A pattern, non-negative values scaled to a chosen spectral radius, and a right-hand side."""
    ptr, col = draw(patterns())
    m = len(ptr) - 1
    raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=len(col), max_size=len(col))))
    dense = np.zeros((m, m))
    for i in range(m):
        for k in range(ptr[i], ptr[i + 1]):
            dense[i, col[k]] += raw[k]
    rho = max(abs(np.linalg.eigvals(dense))) if m else 0.0
    target = draw(st.sampled_from([0.0, 0.5, 0.9, 0.999, 1.1, 2.0]))
    val = raw * (target / rho) if rho > 1e-9 else raw * 0.0
    b = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=m, max_size=m)))
    return ptr, col, val, b, target if rho > 1e-9 else 0.0


@settings(max_examples=300)
@given(systems())
def test_the_schur_and_sparse_solves_equal_gaussian_elimination_of_the_whole_matrix(system: tuple) -> None:
    ptr, col, val, b, rho = system
    m = len(ptr) - 1
    a = np.eye(m)
    for i in range(m):
        for k in range(ptr[i], ptr[i + 1]):
            a[i, col[k]] -= val[k]
    feedback, rest = feedback_set(ptr, col)
    h = b.copy()
    ok = schur_solve(ptr, col, val, feedback, rest, h, np.empty((feedback.size, feedback.size)), np.empty(m))
    dense = b.copy()
    dense_ok = lu_solve(a.copy(), dense)
    plan = elimination_pattern(ptr, col, 10_000)
    lcol = plan[6]
    g = b.copy()
    sparse_ok = sparse_solve(ptr, col, val, *plan[:7], np.empty(lcol.size), np.empty(lcol.size), np.empty(m), g,
                             np.zeros(m), np.zeros(m))
    if rho < 1.0:  # a non-singular M-matrix: all three solve it, and agree
        assert ok and dense_ok and sparse_ok
        exact = np.linalg.solve(a, b)
        for x in (h, dense, g):
            np.testing.assert_allclose(x, exact, rtol=1e-9 / (1.0 - rho), atol=1e-12 / (1.0 - rho))
    if rho > 1.0:  # no M-matrix: all refuse
        assert not ok and not dense_ok and not sparse_ok


@settings(max_examples=300)
@given(patterns())
def test_the_planned_fill_holds_every_entry_of_l_and_u(pattern: tuple) -> None:
    # with values that make every product of the elimination non-zero, L and U have no entry outside the plan
    ptr, col = pattern
    m = len(ptr) - 1
    _, rank, *_, lptr, lcol, cost = elimination_pattern(ptr, col, 10_000)
    a = np.eye(m) * (m + 1.0)
    for i in range(m):
        for k in range(ptr[i], ptr[i + 1]):
            if col[k] != i:
                a[rank[i], rank[col[k]]] = -1.0
    planned = np.eye(m, dtype=bool)
    for k in range(m):
        planned[k, lcol[lptr[k]:lptr[k + 1]]] = True
        planned[lcol[lptr[k]:lptr[k + 1]], k] = True
    u = a.copy()
    for k in range(m):  # Gaussian elimination without pivoting; record where anything is ever non-zero
        u[k + 1:, k] /= u[k, k]
        u[k + 1:, k + 1:] -= np.outer(u[k + 1:, k], u[k, k + 1:])
    assert not np.any((np.abs(u) > 1e-300) & ~planned)
    assert np.isfinite(cost)


def test_a_plan_beyond_the_budget_is_refused_before_its_fill_is_held() -> None:
    n = 200  # every member on every other: L holds n (n - 1) / 2 entries
    ptr = np.arange(0, n * (n - 1) + 1, n - 1)
    col = np.array([j for i in range(n) for j in range(n) if j != i])
    *_, lcol, cost = elimination_pattern(ptr, col, 1000)
    assert lcol.size == 0 and cost == np.inf
    *_, lcol, cost = elimination_pattern(ptr, col, n * n)
    assert lcol.size == n * (n - 1) // 2 and np.isfinite(cost)
