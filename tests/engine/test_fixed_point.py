"""The least fixed point to full precision: tiny feeds, tiny strengths and strength-1 loops (DESIGN section 3)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

import cxgraph as cx
from cxgraph.engine import compile_model
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
        got = c.degradation({c.node(k): v for k, v in scenario.items()}, backend=backend)
        d = {u: Fraction(float(got[c.node(u)])) for u in c.ids}
        again = _update(model, d, {k: Fraction(v) for k, v in scenario.items()})
        for u in c.ids:
            exact, value = again[u], d[u]
            small = min(value, 1 - value)  # the accurate one of d and 1 - d
            assert abs(exact - value) <= Fraction(1, 10 ** 12) * max(small, Fraction(1, 10 ** 300)) + \
                Fraction(1, 10 ** 300), (u, float(value), float(exact))
