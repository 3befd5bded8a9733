"""cx.risk: expected loss and risk by hand, against brute-force enumeration, and the sampled estimate's promise."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.errors import AnalysisInputError
from tests.strategies import reliable_models

THREE = """
cxgraph: 1
name: Three elements
period: month
journeys:
  - id: buy
    name: Buy online
    customers: 1000
    touchpoints:
      - id: checkout
        name: Check out
        depends_on:
          - shop
          - {element: gateway-a, group: cards}
          - {element: gateway-b, group: cards}
elements:
  - {id: shop, name: Web shop, kind: system, availability: 0.99}
  - {id: gateway-a, name: Card gateway A, kind: vendor, availability: 0.9}
  - {id: gateway-b, name: Card gateway B, kind: vendor, failures_per_year: 8766, recovery_hours: 0.2}
  - {id: help, name: Help desk, kind: team}
capabilities:
  - {id: pay, name: Take payments, realized_by: [gateway-a, gateway-b]}
"""


# ---------------------------------------------------------------------------- by hand
def test_three_elements_worked_by_enumeration() -> None:
    # checkout is lost when the shop is down (q 0.01) or both gateways are (q 0.1 and 0.2):
    # P = 1 - 0.99 * (1 - 0.1 * 0.2) = 0.0298, so 1000 customers x 0.0298 = 29.8 a month.
    r = cx.risk(cx.loads(THREE))
    assert r.method == "exact" and r.interval == 0.0
    assert r.expected_loss == pytest.approx(29.8, rel=1e-12)
    # without the shop failing: 1000 * 0.02 = 20 -> risk 9.8; without gateway A: 1000 * 0.01 = 10 -> 19.8
    assert r.risk["shop"] == pytest.approx(9.8, rel=1e-12)
    assert r.risk["gateway-a"] == pytest.approx(19.8, rel=1e-12)
    assert r.risk["gateway-b"] == pytest.approx(19.8, rel=1e-12)
    # the capability: both gateways never failing leaves 10
    assert r.risk["pay"] == pytest.approx(19.8, rel=1e-12)
    assert r.q["gateway-b"] == pytest.approx(0.2) and r.q["pay"] == pytest.approx(1 - 0.9 * 0.8)
    assert r.lacking == ("help",) and r.risk["help"] == 0.0


def test_redundant_elements_carry_risk_only_through_joint_failures() -> None:
    r = cx.risk(cx.loads(THREE))
    frame = r.to_frame().set_index("id")
    assert frame.loc["gateway-a", "impact"] == 0.0 and frame.loc["gateway-b", "impact"] == 0.0
    assert r.risk["gateway-a"] > 0
    # risks do not add up to the expected loss
    assert r.risk["shop"] + r.risk["gateway-a"] + r.risk["gateway-b"] > r.expected_loss


def test_the_numbers_page_works_three_elements_by_enumeration() -> None:
    # docs/numbers.md, "Expected loss and risk": core banking (q 0.01), gateways A and B (0.1 each)
    import re
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "numbers.md").read_text(encoding="utf-8")
    section = page.split("## Expected loss and risk", 1)[1].split("\n## ", 1)[0]
    assert "27 + 11.88 = 38.88" in section and "26.88" in section
    bank = re.search(r'```yaml title="small-bank.yaml"\n(.*?)```', page, re.S)
    assert bank is not None
    r = cx.risk(cx.loads(bank.group(1)))
    # 0.01 x 2700 (core banking down: everything lost) + 0.99 x 0.1 x 0.1 x 1200 (both gateways: Pay lost)
    assert r.expected_loss == pytest.approx(0.01 * 2700 + 0.99 * 0.1 * 0.1 * 1200, rel=1e-12)
    assert r.risk["core-banking"] == pytest.approx(38.88 - 0.01 * 1200, rel=1e-12)
    assert r.risk["gateway-a"] == pytest.approx(38.88 - 27, rel=1e-12)


def test_q_one_and_zero_are_fine() -> None:
    m = cx.loads(THREE.replace("availability: 0.99", "availability: 0.0"))
    r = cx.risk(m)
    assert r.expected_loss == pytest.approx(1000.0)
    assert r.risk["shop"] == pytest.approx(1000 * (1 - 0.02))
    assert r.risk["gateway-a"] == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------- brute force
def brute_force(model: cx.Model, measure: str) -> tuple[float, dict[str, float]]:
    """Expected loss and risks by enumerating every failure set of the unreliable elements, plainly."""
    c = cx.engine.compile_model(model)
    m = c.measure(measure)
    unreliable = [i for i in range(c.n_touchpoints, c.n_nodes) if c.q[i] > 0]
    sets = [frozenset(s) for n in range(len(unreliable) + 1) for s in itertools.combinations(unreliable, n)]
    losses = dict(zip(sets, c.run([dict.fromkeys(s, 1.0) for s in sets], m).impact.tolist(), strict=True))

    def expected(q: dict[int, float]) -> float:
        total = 0.0
        for s in sets:
            p = 1.0
            for i in unreliable:
                p *= q[i] if i in s else 1.0 - q[i]
            total += p * losses[s]
        return total

    q = {i: float(c.q[i]) for i in unreliable}
    base = expected(q)
    risks = {}
    for i in unreliable:
        risks[c.ids[i]] = base - expected({**q, i: 0.0})
    for cap in c.capability_ids:
        members = set(c.members(cap).tolist())
        risks[cap] = base - expected({k: (0.0 if k in members else v) for k, v in q.items()})
    return base, risks


@settings(max_examples=40)
@given(model=reliable_models(), measure=st.sampled_from(["interactions", "customers", "revenue"]))
def test_exact_equals_brute_force_enumeration(model: cx.Model, measure: str) -> None:
    expected, risks = brute_force(model, measure)
    r = cx.risk(model, measure=measure)
    assert r.method == "exact"
    scale = max(1.0, abs(expected))
    assert r.expected_loss == pytest.approx(expected, rel=1e-9, abs=1e-9 * scale)
    for key, value in risks.items():
        assert r.risk[key] == pytest.approx(value, rel=1e-9, abs=1e-9 * scale), key
    for element in model.elements:
        if element.id not in risks:
            assert r.risk[element.id] == 0.0


@settings(max_examples=40)
@given(model=reliable_models(max_elements=7), measure=st.sampled_from(["customers", "revenue"]))
def test_funnel_losses_never_exceed_the_totals(model: cx.Model, measure: str) -> None:
    c = cx.engine.compile_model(model)
    total = float(c.measure(measure).journey_weight.sum())
    r = cx.risk(model, measure=measure)
    assert -1e-9 <= r.expected_loss <= total * (1 + 1e-12) + 1e-9
    for value in r.risk.values():
        assert -1e-9 * max(1.0, total) <= value <= r.expected_loss + 1e-9 * max(1.0, total)


# ---------------------------------------------------------------------------- clusters and sampling
def chains(journeys: int) -> cx.Model:
    """Four touchpoints, each behind its own chain of five elements (20 unreliable elements)."""
    m = cx.Model(name="Chains")
    rng = np.random.default_rng(7)
    for k in range(4):
        for i in range(5):
            deps = [f"x{k}.{i + 1}"] if i < 4 else []
            m.add_element(f"x{k}.{i}", f"X {k}.{i}", kind="system", depends_on=deps,
                          availability=float(1 - rng.uniform(0.01, 0.2)))
    for k in range(4):
        j = m.journeys[0] if journeys == 1 and k else m.add_journey(f"j{k}", f"J{k}", customers=100 * (k + 1))
        j.add_touchpoint(f"t{k}", f"T{k}", depends_on=[f"x{k}.0"])
    return m


def test_independent_clusters_are_enumerated_exactly() -> None:
    m = chains(journeys=4)
    r = cx.risk(m)
    assert r.method == "exact"
    q = {e.id: 1 - e.availability for e in m.elements}
    up = [math.prod(1 - q[f"x{k}.{i}"] for i in range(5)) for k in range(4)]
    assert r.expected_loss == pytest.approx(sum(100 * (k + 1) * (1 - up[k]) for k in range(4)), rel=1e-9)
    # risk of x: w * q(x) * P(the rest of its chain up)
    assert r.risk["x2.3"] == pytest.approx(300 * q["x2.3"] * up[2] / (1 - q["x2.3"]), rel=1e-9)


def test_a_funnel_joins_the_touchpoints_of_one_journey() -> None:
    m = chains(journeys=1)
    r = cx.risk(m, measure="customers")    # q add up to 2: too many joint failures to enumerate
    assert r.method.startswith("sampled: ") and "of 20 interacting" in r.method
    truth = 100 * (1 - math.prod(e.availability for e in m.elements))   # one journey, every step required
    assert 0 < r.interval <= 0.01 * truth and abs(r.expected_loss - truth) <= 2 * r.interval
    assert cx.risk(m).method == "exact"   # per touchpoint they stay apart


def hub_model() -> tuple[cx.Model, dict[str, float]]:
    """31 unreliable elements in one cluster: ten touchpoints behind a hub (strength 0.5), a pair and an element."""
    m = cx.Model(name="Hub")
    rng = np.random.default_rng(3)
    q = {"hub": 0.05}
    m.add_element("hub", "Hub", kind="infrastructure", availability=0.95)
    j = m.add_journey("j", "J", customers=1000, revenue=5000)
    for i in range(10):
        for name, lo, hi in (("a", 0.1, 0.3), ("b", 0.1, 0.3), ("e", 0.01, 0.05)):
            q[f"{name}{i}"] = float(rng.uniform(lo, hi))
            m.add_element(f"{name}{i}", f"{name} {i}", kind="system", availability=1 - q[f"{name}{i}"])
        j.add_touchpoint(f"t{i}", f"T{i}", depends_on=[
            f"e{i}", {"element": "hub", "strength": 0.5},
            {"element": f"a{i}", "group": "pair"}, {"element": f"b{i}", "group": "pair"}])
    m.add_capability("core", "Core", realized_by=["hub", "e0", "a1"])
    return m, q


def hub_truth(q: dict[str, float], measure: str) -> float:
    """The exact expected loss of hub_model (given the hub, the touchpoints fail independently)."""
    keep = [(1 - q[f"e{i}"]) * (1 - q[f"a{i}"] * q[f"b{i}"]) for i in range(10)]
    if measure == "interactions":
        return sum(1000 * (1 - (1 - 0.5 * q["hub"]) * k) for k in keep)
    return 1000 * (1 - ((1 - q["hub"]) + q["hub"] * 0.5 ** 10) * math.prod(keep))


@pytest.mark.parametrize("measure", ["interactions", "customers"])
def test_the_estimate_keeps_its_promise_against_the_exact_value(measure: str) -> None:
    m, q = hub_model()
    truth = hub_truth(q, measure)
    risk_truth = {x: truth - hub_truth({**q, x: 0.0}, measure) for x in q}
    risk_truth["core"] = truth - hub_truth({**q, "hub": 0.0, "e0": 0.0, "a1": 0.0}, measure)
    inside = risk_inside = risk_total = 0
    seeds = range(12)
    for seed in seeds:
        r = cx.risk(m, measure=measure, seed=seed, risk_samples=200)
        assert r.method.startswith("sampled: ") and "31 interacting elements" in r.method
        assert r.interval <= 0.0101 * r.expected_loss        # the default aims at +-1 %
        inside += abs(r.expected_loss - truth) <= r.interval
        for key, value in risk_truth.items():
            risk_total += 1
            risk_inside += abs(r.risk[key] - value) <= r.risk_interval[key]
    # a 95 % interval: 12 seeds miss it more than 3 times with probability below 0.3 %
    assert inside >= len(seeds) - 3
    assert risk_inside >= 0.85 * risk_total


@pytest.mark.parametrize("measure", ["interactions", "customers"])
def test_a_large_cluster_of_seldom_failing_elements_is_enumerated_within_a_sure_bound(measure: str) -> None:
    m, q = hub_model()
    for element in m.elements:   # twenty times more reliable: joint failures are rare
        q[element.id] /= 20
        element.availability = 1 - q[element.id]
    truth = hub_truth(q, measure)
    r = cx.risk(m, measure=measure)
    assert r.method.startswith("enumerated: every failure set of up to ") and "31 interacting" in r.method
    assert 0 < r.interval <= 0.01 * truth
    assert abs(r.expected_loss - truth) <= r.interval
    for x in q:
        exact = truth - hub_truth({**q, x: 0.0}, measure)
        assert abs(r.risk[x] - exact) <= r.risk_interval[x] + 1e-12 * truth, x
    core = truth - hub_truth({**q, "hub": 0.0, "e0": 0.0, "a1": 0.0}, measure)
    assert abs(r.risk["core"] - core) <= r.risk_interval["core"] + 1e-12 * truth


def test_same_seed_same_result_and_samples_force_sampling() -> None:
    m = cx.loads(THREE)
    a = cx.risk(m, samples=500, seed=4)
    b = cx.risk(m, samples=500, seed=4)
    assert a.method.startswith("sampled: 500 failure sets")
    assert a.expected_loss == b.expected_loss and a.risk == b.risk
    assert abs(a.expected_loss - 29.8) <= 2 * a.interval


# ---------------------------------------------------------------------------- the result
def test_result_is_read_only_and_serialises() -> None:
    r = cx.risk(cx.loads(THREE))
    with pytest.raises(AttributeError):
        r.expected_loss = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.risk["shop"] = 0.0  # type: ignore[index]
    data = json.loads(r.to_json())
    assert data["cxgraph_result"] == 1 and data["analysis"] == "risk"
    assert data["measure"] == "interactions" and data["unit"] == "interactions / month"
    assert data["expected_loss"] == r.expected_loss and data["lacking_ids"] == ["help"]
    ids = [row["id"] for row in data["items"]]
    assert ids == ["gateway-a", "gateway-b", "pay", "shop", "help"]       # risk, then id
    assert {"id", "name", "type", "q", "risk"} <= set(data["items"][0])


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(AnalysisInputError, match="samples"):
        cx.risk(cx.loads(THREE), samples=1)
    with pytest.raises(AnalysisInputError, match="tolerance"):
        cx.risk(cx.loads(THREE), tolerance=0)
    with pytest.raises(AnalysisInputError, match="revenue"):
        cx.risk(cx.loads(THREE), measure="revenue")
