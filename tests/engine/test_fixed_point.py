"""The least fixed point to full precision: tiny feeds, tiny strengths and strength-1 loops (DESIGN section 3)."""

from __future__ import annotations

import itertools
import json
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.engine import compile_model
from cxgraph.model import point
from tests import reference
from tests.reference import _groups
from tests.strategies import tiny_feed_cycles

BACKENDS = ["python", "numba"]


def _loop(feed: float, back: float) -> cx.Model:
    """``a`` on ``c`` (feed) and on ``b`` (back), ``b`` on ``a`` (back); one touchpoint of 1000 on ``a``."""
    return cx.loads(f"""
cxgraph: 1
journeys:
  - {{id: j, name: J, customers: 1000, touchpoints: [{{id: t, name: T, depends_on: [a]}}]}}
elements:
  - {{id: a, name: A, kind: system,
     depends_on: [{{element: c, strength: {feed!r}}}, {{element: b, strength: {back!r}}}]}}
  - {{id: b, name: B, kind: system, depends_on: [{{element: a, strength: {back!r}}}]}}
  - {{id: c, name: C, kind: system}}
""")


@pytest.mark.parametrize("feed", [1e-9, 1e-12, 0.3])
def test_tiny_strength_in_a_cycle_to_full_relative_precision(feed: float) -> None:
    exact = 1000 * feed / (1 - 0.81 * (1 - feed))
    assert cx.impact(_loop(feed, 0.9)).to_frame().set_index("id").loc["c", "impact"] == pytest.approx(exact, rel=1e-14)


def test_a_tiny_degradation_to_full_relative_precision() -> None:
    c = compile_model(_loop(0.5, 0.9))
    exact = 0.5e-12 / (1 - 0.81 * (1 - 0.5e-12))
    assert c.degradation({c.node("c"): 1e-12})[c.node("a")] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_strength_1_loop_fed_a_little_is_fully_lost(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGRAPH_NO_NUMBA", "1" if backend == "python" else "0")
    m = _loop(1e-5, 1.0)
    assert cx.impact(m).to_frame().set_index("id").loc["c", "impact"] == 1000.0
    assert "c" in set(cx.single_points_of_failure(m).to_frame()["element"])
    c = compile_model(m)
    assert c.degradation({c.node("c"): 1e-12})[c.node("a")] == 1.0


def test_a_strength_1_loop_without_a_feed_stays_intact() -> None:
    m = _loop(1e-5, 1.0)
    _ = m.add_element("x", "X", kind="system")
    c = compile_model(m)
    d = c.degradation({c.node("x"): 1.0})
    assert d[c.node("a")] == 0.0 and d[c.node("b")] == 0.0


def test_a_strength_1_loop_in_a_redundancy_group_is_not_absorbing() -> None:
    # a is lost only when both b and x are: d(a) = d(b) * 0.25 and d(b) = d(a), whose least solution is 0
    m = cx.loads("""
cxgraph: 1
elements:
  - {id: a, name: A, kind: system, depends_on: [{element: b, group: g}, {element: x, group: g}]}
  - {id: b, name: B, kind: system, depends_on: [a]}
  - {id: x, name: X, kind: system}
""")
    c = compile_model(m)
    d = c.degradation({c.node("x"): 0.25})
    assert d[c.node("a")] == 0.0 and d[c.node("b")] == 0.0


def _update(model: cx.Model, d: dict[str, Fraction], a: dict[str, Fraction]) -> dict[str, Fraction]:
    """One application of the equations of DESIGN section 3, in exact rational arithmetic."""
    out = {}
    for item in [*model.touchpoints, *model.elements]:
        survive = 1 - a.get(item.id, Fraction(0))
        for k, links in _groups(item):
            losses = [Fraction(s) * d[v] for v, s in links]
            prob = [Fraction(1)] + [Fraction(0)] * (k - 1)  # P(exactly m survive so far), m < k
            for q in losses:
                for m in range(k - 1, 0, -1):
                    prob[m] = prob[m] * q + prob[m - 1] * (1 - q)
                prob[0] *= q
            survive *= 1 - sum(prob)
        out[item.id] = 1 - survive
    return out


@settings(max_examples=40)
@given(tiny_feed_cycles())
def test_the_engine_returns_a_fixed_point_to_full_precision(case: tuple[cx.Model, dict[str, float]]) -> None:
    model, scenario = case
    c = compile_model(model)
    for backend in BACKENDS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = c.degradation({c.node(k): v for k, v in scenario.items()}, backend=backend)
        assert not [w for w in caught if "sweeps before settling" in str(w.message)]
        d = {u: Fraction(float(got[c.node(u)])) for u in c.ids}
        again = _update(model, d, {k: Fraction(v) for k, v in scenario.items()})
        for u in c.ids:
            exact, value = again[u], d[u]
            small = min(value, 1 - value)  # the accurate one of d and 1 - d
            slack = Fraction(1, 10 ** 12) * max(small, Fraction(1, 10 ** 300)) + Fraction(1, 10 ** 300)
            assert abs(exact - value) <= slack, (u, float(value), float(exact))


# ------------------------------------------------------------------ slow cycles: Newton's method, no sweep cap
def _ring(n: int, strength: float, feed: float, uncertain: bool = False) -> cx.Model:
    """``r0 -> r1 -> ... -> r(n-1) -> r0`` of ``strength``; ``r0`` also on ``c`` (``feed``); 1000 customers on r0."""
    m = cx.Model(name="Ring")
    m.add_element("c", "C", kind="system", availability=0.99)
    for i in range(n):
        s: float | dict[str, float] = strength
        if uncertain and i == n - 1:
            s = {"low": strength, "mode": strength, "high": strength}
        deps: list[dict[str, object]] = [{"element": f"r{(i + 1) % n}", "strength": s}]
        if i == 0:
            deps.insert(0, {"element": "c", "strength": feed})
        m.add_element(f"r{i}", f"R{i}", kind="system", depends_on=deps)
    m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["r0"])
    return m


def _ring_exact(n: int, strength: float, feed: float) -> tuple[Fraction, Fraction]:
    """d(r0) when c fails, ``f / (1 - (1 - f) s**n)``, and the condition number ``1 / (1 - (1 - f) s**n)``."""
    f, p = Fraction(feed), Fraction(strength) ** n
    return f / (1 - (1 - f) * p), 1 / (1 - (1 - f) * p)


SLOW = [(2, 0.999999, 1e-9), (2, 0.999999, 1e-3), (50, 1 - 1e-9, 1e-5), (50, 1 - 1e-9, 1e-9), (50, 1 - 1e-9, 0.5)]


def _close(value: float, exact: Fraction, cond: Fraction, n: int) -> bool:
    """Within rounding of each member's update (n of them) amplified by the condition number 1 / (1 - r).

    The rate r of these cycles is within 1e-5 of 1: no double-precision method gets closer than this.
    """
    return abs(Fraction(value) - exact) <= exact * max(Fraction(1, 10 ** 14), Fraction(n, 10 ** 15) * cond)


@pytest.mark.parametrize(("n", "strength", "feed"), SLOW)
@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_cycles_settle_to_their_closed_form_without_a_warning(n: int, strength: float, feed: float,
                                                                     backend: str) -> None:
    c = compile_model(_ring(n, strength, feed))
    exact, cond = _ring_exact(n, strength, feed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("c"): 1.0}, backend=backend)
    assert _close(float(d[c.node("r0")]), exact, cond, n)
    assert _close(float(d[c.node(f"r{n - 1}")]), exact * Fraction(strength), cond, n)


LARGE = [(3000, 1 - 1e-9, 1e-5, "python"), (3000, 1 - 1e-9, 1e-9, "numba"), (20_000, 1 - 1e-9, 1e-5, "numba")]


@pytest.mark.parametrize(("n", "strength", "feed", "backend"), LARGE)
def test_slow_rings_of_thousands_settle_through_their_feedback_set(n: int, strength: float, feed: float,
                                                                   backend: str) -> None:
    # swept alone (beyond the 2,048 members of the dense solve there was), these reached the sweep cap 30 % and more
    # below the exact value; the Schur complement on the ring's one-member feedback set settles them in one solve
    c = compile_model(_ring(n, strength, feed))
    exact, cond = _ring_exact(n, strength, feed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("c"): 1.0}, backend=backend)
    assert _close(float(d[c.node("r0")]), exact, cond, n)
    assert _close(float(d[c.node(f"r{n // 2}")]), exact * Fraction(strength) ** (n - n // 2), cond, n)


def _chain(n: int, strength: float, feed: float) -> cx.Model:
    """``x0 <-> x1 <-> ... <-> x(n-1)``, each on its neighbours (``strength``); ``x0`` also on ``c`` (``feed``)."""
    m = cx.Model(name="Chain")
    m.add_element("c", "C", kind="system")
    for i in range(n):
        deps: list[dict[str, object]] = [{"element": f"x{j}", "strength": strength} for j in (i - 1, i + 1)
                                         if 0 <= j < n]
        if i == 0:
            deps.append({"element": "c", "strength": feed})
        m.add_element(f"x{i}", f"X{i}", kind="system", depends_on=deps)
    return m


def _chain_f(d: np.ndarray, strength: float, feed: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``F(d)`` of the chain, as ``1 - prod(1 - q)`` through ``expm1``/``log1p`` (exact to rounding however small)."""
    left, right = np.concatenate([[0.0], d[:-1]]), np.concatenate([d[1:], [0.0]])
    fed = np.zeros(len(d))
    fed[0] = np.log1p(-feed)
    keep_left, keep_right = np.log1p(-strength * left), np.log1p(-strength * right)
    return -np.expm1(keep_left + keep_right + fed), np.exp(keep_right + fed), np.exp(keep_left + fed)


def _chain_exact(n: int, strength: float, feed: float) -> np.ndarray:
    """The chain's least fixed point by Newton's method on the tridiagonal system (scipy's sparse solver), from 0."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spl

    d = np.zeros(n)
    settled = 0
    for _ in range(100):
        f, by_left, by_right = _chain_f(d, strength, feed)
        a = sp.diags([np.ones(n), -strength * by_left[1:], -strength * by_right[:-1]], [0, -1, 1], format="csc")
        step = spl.spsolve(a, f - d)
        d = d + step
        settled = settled + 1 if np.all(np.abs(step) <= 1e-9 * d) else 0
        if settled == 3:  # steps at the level of rounding (times the condition) three times over
            return d
    raise AssertionError("the reference did not settle")


@pytest.mark.parametrize(("n", "backend"), [(2500, "python"), (5000, "numba"), (20_000, "numba")])
def test_slow_two_way_chains_of_thousands_settle_by_sparse_elimination(n: int, backend: str) -> None:
    # every link is in a loop of two, so the feedback set is half the chain: eliminated as a sparse (tridiagonal)
    # system instead, without fill; swept alone, 5,000 members reached the sweep cap
    c = compile_model(_chain(n, 0.5, 1e-6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("c"): 1.0}, backend=backend)
    got = d[[c.node(f"x{i}") for i in range(n)]]
    assert np.max(np.abs(_chain_f(got, 0.5, 1e-6)[0] / got - 1)) < 1e-14  # a fixed point to rounding
    # the least one, within rounding times the condition (about n**2 / 5)
    assert np.max(np.abs(got / _chain_exact(n, 0.5, 1e-6) - 1)) < 1e-15 * n**2


def _use(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the analysis kernels compiled (however small the model) or as plain Python."""
    from cxgraph.engine import kernels

    monkeypatch.setenv("CXGRAPH_NO_NUMBA", "1" if backend == "python" else "0")
    monkeypatch.setattr(kernels, "SMALL_WORK", 0)


@pytest.mark.parametrize(("n", "strength", "feed"), SLOW[1:3])
@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_cycles_through_the_monte_carlo_kernel(n: int, strength: float, feed: float, backend: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # an uncertain strength (a range of one value) sends every scenario through the vector pass too
    _use(backend, monkeypatch)
    exact, cond = _ring_exact(n, strength, feed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = cx.sensitivity(_ring(n, strength, feed, uncertain=True), samples=3, progress=False)
    assert not any("stopped" in note for note in r.notes)
    for value in r.sample_frame("impact")["c"]:
        assert _close(float(value) / 1000, exact, cond, n)


@pytest.mark.parametrize(("n", "strength", "feed"), SLOW[:3])
@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_cycles_through_the_risk_kernel(n: int, strength: float, feed: float, backend: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    import numpy as np

    from cxgraph.analysis._risk_kernel import get_added_loss
    from cxgraph.analysis._risk_marginal import _graph

    _use(backend, monkeypatch)
    added_loss = get_added_loss()

    m = _ring(n, strength, feed)
    c = compile_model(m)
    exact, cond = _ring_exact(n, strength, feed)
    graph = _graph(c, SimpleNamespace(measure=c.measure()))  # type: ignore[arg-type]  # only .measure is read
    out = added_loss(np.array([0, 1]), np.array([c.node("c")]), np.zeros(c.n_nodes), np.zeros(c.n_nodes, bool),
                     *graph)
    assert _close(float(out[0]) / 1000, exact, cond, n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        risk = cx.risk(m)
    assert float(risk.to_frame().set_index("id").loc["c", "risk"]) == pytest.approx(
        0.01 * float(exact) * 1000, rel=max(1e-12, float(n * cond) * 1e-15))


@settings(max_examples=60)
@given(tiny_feed_cycles())
def test_the_engine_agrees_with_the_reference_where_it_settles(case: tuple[cx.Model, dict[str, float]]) -> None:
    model, scenario = case
    try:
        expected = reference.degradation(model, scenario)
    except reference.NotConverged:
        return  # a cycle too slow for plain iteration: the fixed-point test above covers it
    c = compile_model(model)
    got = c.degradation({c.node(k): v for k, v in scenario.items()})
    strengths = [point(dep.strength) for item in [*model.touchpoints, *model.elements] for dep in item.depends_on]
    plain = min([*strengths, *scenario.values()]) >= 1e-3  # no tiny input: plain iteration gets close
    for u in c.ids:
        value, ref = float(got[c.node(u)]), expected[u]
        # iterating up from d = a stays below the least fixed point (the reference to about 1e-16 absolute;
        # it stops once an iteration changes less than 1e-15, which a tiny feed does from the start)
        assert value >= ref * (1 - 1e-9) - 1e-15, (u, value, ref)
        if plain:
            assert value == pytest.approx(ref, rel=1e-9, abs=1e-12), (u, value, ref)


# ------------------------------------------------------------------ absorbing cycles through groups needing all links
def _and_loop(feed: float, needs: int, extra: bool = False) -> cx.Model:
    """``a`` needs ``needs`` of {``b`` (1), ``x`` (``feed``)[, ``y`` (1)]}; ``b`` on ``a`` (1); 1000 on ``a``."""
    group = [{"element": "b", "group": "g"}, {"element": "x", "strength": feed, "group": "g"}]
    if extra:
        group.append({"element": "y", "group": "g"})
    m = cx.Model(name="Loop")
    m.add_element("a", "A", kind="system", depends_on=group, needs={"g": needs})
    m.add_element("b", "B", kind="system", depends_on=["a"])
    m.add_element("x", "X", kind="system", availability=0.99)
    m.add_element("y", "Y", kind="system")
    m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["a"])
    return m


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("feed", [1e-12, 1e-5, 0.5])
def test_a_strength_1_loop_through_a_group_needing_all_its_links_is_fully_lost(feed: float, backend: str) -> None:
    # 1 - d(a) = (1 - feed) (1 - d(b)) and d(b) = d(a): the only solution is d(a) = d(b) = 1 (sweeping alone
    # would need about 1 / feed sweeps to get there)
    c = compile_model(_and_loop(feed, needs=2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("x"): 1.0}, backend=backend)
    assert d[c.node("a")] == 1.0 and d[c.node("b")] == 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_strength_1_loop_through_a_group_needing_some_of_its_links_is_not_absorbing(backend: str) -> None:
    # a needs 2 of {b, x, y}; y never fails, so a is lost only when both b and x are:
    # d(a) = d(b) * 1e-5 and d(b) = d(a), whose least solution is 0
    c = compile_model(_and_loop(1e-5, needs=2, extra=True))
    d = c.degradation({c.node("x"): 1.0}, backend=backend)
    assert d[c.node("a")] == 0.0 and d[c.node("b")] == 0.0


def _self_loop(feed: float | None = None) -> cx.Model:
    """Found by the fixed-point property: ``e0`` needs both itself (1) and ``e1`` (0.058), ``e1`` is on ``e0``
    (3e-9); with ``feed``, ``e0`` is also on ``x`` (``feed``). 1000 customers on ``e0``.

    Its Jacobian's spectral radius is just above 1 while ``d(e0)`` is tiny: the cycle grows by a factor of
    about 1 + 2e-10 a sweep, and Newton's method has no M-matrix to solve.
    """
    m = cx.Model(name="Self")
    deps: list[object] = [{"element": "e0", "group": "g"}, {"element": "e1", "strength": 0.058, "group": "g"}]
    if feed is not None:
        deps.append({"element": "x", "strength": feed})
    m.add_element("e0", "E0", kind="system", depends_on=deps, needs={"g": 2})
    m.add_element("e1", "E1", kind="system", depends_on=[{"element": "e0", "strength": 3e-9}])
    m.add_element("x", "X", kind="system", availability={"low": 0.98, "high": 0.995})
    m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["e0"])
    return m


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_self_loop_needing_both_its_links_fed_a_trace_is_fully_lost(backend: str) -> None:
    # 1 - d(e0) = (1 - 5e-12) (1 - d(e0)) (1 - 0.058 d(e1)) forces d(e0) = 1, so d(e1) = 3e-9
    c = compile_model(_self_loop())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("e0"): 5.355630492757699e-12}, backend=backend)
    assert d[c.node("e0")] == 1.0 and d[c.node("e1")] == 3e-9


@pytest.mark.parametrize("backend", BACKENDS)
def test_absorbing_loops_through_the_monte_carlo_and_risk_kernels(backend: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _use(backend, monkeypatch)
    m = _self_loop(feed=5e-12)  # x's availability is drawn: every sample goes through the kernel
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sens = cx.sensitivity(m, samples=4, progress=False)
        risk = cx.risk(m)
    assert set(sens.sample_frame("impact")["x"]) == {1000.0}  # x failing loses e0, whatever is drawn
    # x fails 1.25 % of the time (availability 0.9875, the range's midpoint) and then loses all 1000
    assert float(risk.to_frame().set_index("id").loc["x", "risk"]) == pytest.approx(0.0125 * 1000, rel=1e-12)

    # the kernel adding one failure to a failure set (sampled risk): x added to nothing failed loses all 1000
    from types import SimpleNamespace

    import numpy as np

    from cxgraph.analysis._risk_kernel import get_added_loss
    from cxgraph.analysis._risk_marginal import _graph

    c = compile_model(m)
    graph = _graph(c, SimpleNamespace(measure=c.measure()))  # type: ignore[arg-type]  # only .measure is read
    out = get_added_loss()(np.array([0, 1]), np.array([c.node("x")]), np.zeros(c.n_nodes),
                           np.zeros(c.n_nodes, bool), *graph)
    assert out.tolist() == [1000.0]


# ------------------------------------------------------------------ cycles still growing: a proven climb
def _critical() -> cx.Model:
    """``u`` and ``v`` each on themselves and on each other (0.5), ``v`` on ``w`` (1e-9), ``w`` on ``v`` (1).

    With ``u`` degraded by 1e-12 the Jacobian's spectral radius starts just above 1: sweeping grows by a
    factor of about 1 + 1e-9 a sweep (billions of sweeps), and Newton's method has no M-matrix to solve.
    """
    m = cx.Model(name="Critical")
    m.add_element("u", "U", kind="system", depends_on=[{"element": "u", "strength": 0.5},
                                                       {"element": "v", "strength": 0.5}])
    m.add_element("v", "V", kind="system", depends_on=[{"element": "u", "strength": 0.5},
                                                       {"element": "v", "strength": 0.5},
                                                       {"element": "w", "strength": 1e-9}])
    m.add_element("w", "W", kind="system", depends_on=[{"element": "v", "strength": 1.0}])
    return m


def _critical_exact() -> tuple[Decimal, Decimal]:
    """The least fixed point ``(d(u), d(v))`` at 60 digits, worked out from the equations by hand.

    ``w = v``; ``u``'s equation ``1 - u = c (1 - u/2)``, ``c = (1 - a)(1 - v/2)``, gives
    ``u = (1 - c) / (1 - c/2)``; what is left, ``g(v) = 1 - (1 - u/2)(1 - v/2)(1 - s v) - v``, is
    positive at 0 and changes sign once on (0, 1] (checked on a grid): bisection finds its root.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        a, s = Decimal("1e-12"), Decimal("1e-9")

        def g(v: Decimal) -> tuple[Decimal, Decimal]:
            c = (1 - a) * (1 - v / 2)
            u = (1 - c) / (1 - c / 2)
            return 1 - (1 - u / 2) * (1 - v / 2) * (1 - s * v) - v, u

        signs = [g(Decimal(10) ** (Decimal(-16) + Decimal(i) / 100))[0] > 0 for i in range(1601)]
        assert sum(x != y for x, y in itertools.pairwise(signs)) == 1  # one root: the least
        lo, hi = Decimal(0), Decimal(1)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if g(mid)[0] > 0 else (lo, mid)
        return g(lo)[1], lo


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cycle_still_growing_climbs_to_its_least_fixed_point(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    u, v = _critical_exact()
    c = compile_model(_critical())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("u"): 1e-12}, backend=backend)
    # the cycle's rate at the fixed point is about 1 - 1e-6: rounding amplified by 1 / (1 - r), as documented
    assert float(d[c.node("u")]) == pytest.approx(float(u), rel=1e-9)
    assert float(d[c.node("v")]) == pytest.approx(float(v), rel=1e-9)
    assert d[c.node("w")] == d[c.node("v")]
    _use(backend, monkeypatch)
    m = _critical()
    m.add_element("x", "X", kind="system", availability={"low": 0.98, "high": 0.995})
    m.elements[0].depends_on.append(cx.Dependency(element="x", strength=1e-12))
    _ = m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["u"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sens = cx.sensitivity(m, samples=2, progress=False)
    for value in sens.sample_frame("impact")["x"]:
        assert value == pytest.approx(1000 * float(u), rel=1e-9)


GROWING = json.loads((Path(__file__).parents[1] / "data" / "cycles" / "growing.json").read_text())
"""Cycles the fixed-point property once found still growing at the sweep cap (a model and a scenario each)."""


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", range(len(GROWING)))
def test_cycles_once_found_growing_at_the_sweep_cap_reach_a_fixed_point(case: int, backend: str) -> None:
    model, scenario = cx.loads(GROWING[case]["model"]), GROWING[case]["scenario"]
    c = compile_model(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = c.degradation({c.node(k): v for k, v in scenario.items()}, backend=backend)
    d = {u: Fraction(float(got[c.node(u)])) for u in c.ids}
    again = _update(model, d, {k: Fraction(v) for k, v in scenario.items()})
    for u in c.ids:
        small = min(d[u], 1 - d[u])
        assert abs(again[u] - d[u]) <= Fraction(1, 10 ** 12) * small + Fraction(1, 10 ** 300), u


def _half_redundant(partner: float) -> dict[str, float]:
    """``a`` needs one of {itself (1), ``f`` (1)}, is on ``x`` (1e-12); ``f`` degraded by ``partner``, ``x`` failed."""
    m = cx.Model(name="Redundant")
    m.add_element("a", "A", kind="system", depends_on=[{"element": "a", "group": "g"}, {"element": "f", "group": "g"},
                                                       {"element": "x", "strength": 1e-12}])
    m.add_element("f", "F", kind="system")
    m.add_element("x", "X", kind="system")
    c = compile_model(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = c.degradation({c.node("f"): partner, c.node("x"): 1.0})
    return {u: float(d[c.node(u)]) for u in c.ids}


def test_a_loop_through_a_redundancy_group_whose_partner_failed_is_fully_lost() -> None:
    # f at 1: the group keeps 1 - d(a) * 1, so 1 - d(a) = (1 - 1e-12)(1 - d(a)): d(a) = 1
    assert _half_redundant(1.0)["a"] == 1.0


def test_a_loop_through_a_redundancy_group_whose_partner_survives_in_part_is_not_absorbing() -> None:
    # f at 0.5: 1 - d = (1 - 1e-12)(1 - d / 2), so d = 2e-12 / (1 + 1e-12)
    assert _half_redundant(0.5)["a"] == pytest.approx(2e-12 / (1 + 1e-12), rel=1e-14)
