"""Gaps and total pain, worked by hand (DESIGN.md section 3)."""

from __future__ import annotations

import importlib
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.analysis.gaps import metric_gap, metric_gaps, own_gaps, total_pain, touchpoint_weights
from cxgraph.analysis.pain import pain
from tests.strategies import models


def small_model() -> cx.Model:
    """Two journeys, three touchpoints, three elements, four metrics.

    weights: t1 = 1000 * 1 * 1 = 1000; t2 = 1000 * 0.5 * 2 = 1000; t3 = 400 * 1 * 1 = 400.
    """
    m = cx.Model(name="Small")
    j = m.add_journey("j1", "Buy", customers=1000, revenue=50000)
    j.add_touchpoint("t1", "Browse", depends_on=["app"])
    j.add_touchpoint("t2", "Pay", reach=0.5, importance=2, depends_on=["app", {"element": "pay", "strength": 0.5}])
    k = m.add_journey("j2", "Return", customers=400, revenue=0)
    k.add_touchpoint("t3", "Send back", depends_on=["pay"])
    m.add_element("app", "App", kind="system", depends_on=["db"])
    m.add_element("pay", "Payments", kind="service")
    m.add_element("db", "Database", kind="data")
    # gap = (dist(actual) - dist(target)) / dist(actual), dist(v) = |ideal - v|
    m.add_metric("csat", "CSAT", of="t1", actual=3.0, target=4.0, ideal=7)           # (4 - 3) / 4 = 0.25
    m.add_metric("nps", "NPS", of="t2", actual=-20, target=100, ideal=100)           # (120 - 0) / 120 = 1
    m.add_metric("ces", "Effort", of="t2", actual=3, target=2, better="lower")       # (3 - 2) / 3 = 1/3
    m.add_metric("tat", "Turnaround", of="pay", actual=5, target=2, better="lower")  # (5 - 2) / 5 = 0.6
    return m


@pytest.mark.parametrize(
    ("actual", "target", "ideal", "expected"),
    [
        (5, 2, 0, 0.6),                # turnaround 5 days against 2: (5 - 2) / 5 (DESIGN §3)
        (99.5, 99.9, 100, 0.8),        # availability in percent: (0.5 - 0.1) / 0.5 (DESIGN §3)
        (0.5, 0.1, 0, 0.8),            # ... the same fact as unavailability
        (-50, 0, 100, 1 / 3),          # NPS -50 against 0: (150 - 100) / 150 (DESIGN §3)
        (3.1, 4.5, 5, 1.4 / 1.9),      # CSAT 1-5: distances 1.9 and 0.5
        (4.6, 4.5, 5, 0.0),            # better than target: no gap
        (1, 2, 0, 0.0),                # lower is better and below target: no gap
        (5, 5, 5, 0.0),                # at the ideal: 0 (no distance to divide by)
        (-40, -10, 100, 30 / 140),     # distances 140 and 110
        (4.1, 2.5, 1, 1.6 / 3.1),      # effort on 1-7, 1 = very easy
    ],
)
def test_metric_gap_by_hand(actual: float, target: float, ideal: float, expected: float) -> None:
    assert metric_gap(actual, target, ideal) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=60)
@given(st.floats(-1e3, 1e3), st.just(0.0) | st.floats(0.01, 1e3), st.just(0.0) | st.floats(0.01, 1e3),
       st.floats(0.1, 100) | st.floats(-100, -0.1), st.floats(-1e3, 1e3))
def test_metric_gap_does_not_depend_on_wording(ideal: float, a: float, b: float, alpha: float, beta: float) -> None:
    # Re-expressing a metric by v -> alpha v + beta (better flipping with the sign of alpha) changes no gap.
    actual, target = ideal - abs(a), ideal - abs(b)        # both on the worse side of the ideal
    before = metric_gap(actual, target, ideal)
    after = metric_gap(alpha * actual + beta, alpha * target + beta, alpha * ideal + beta)
    assert after == pytest.approx(before, abs=1e-6)


def test_touchpoint_and_element_gap_is_largest_of_their_metrics() -> None:
    tp_gap, el_gap = own_gaps(small_model())
    assert tp_gap == {"t1": 0.25, "t2": 1.0, "t3": 0.0}   # t2: max(1, 1/3)
    assert el_gap == {"app": 0.0, "pay": 0.6, "db": 0.0}


def test_metric_values_replace_actuals() -> None:
    m = small_model()
    # nps to 40: (60 - 0) / 60 = 1; to 100 (its ideal): 0, so t2 is then max(0, 1/3) = 1/3
    assert metric_gaps(m, {"nps": 40})["nps"] == 1.0
    assert metric_gaps(m, {"nps": 100})["nps"] == 0.0
    assert own_gaps(m, {"nps": 100})[0]["t2"] == pytest.approx(1 / 3)
    assert m.metrics[1].actual == -20   # the model is untouched


def test_metric_values_reject_unknown_ids_and_bad_numbers() -> None:
    m = small_model()
    with pytest.raises(cx.UnknownIdError, match=r"unknown metric 'csta' \(did you mean 'csat'"):
        metric_gaps(m, {"csta": 4})
    with pytest.raises(cx.AnalysisInputError, match="metric 'csat' must be a finite number"):
        metric_gaps(m, {"csat": math.nan})
    with pytest.raises(cx.AnalysisInputError, match="finite number"):
        metric_gaps(m, {"csat": "4"})  # type: ignore[dict-item]


def test_touchpoint_weights_by_hand() -> None:
    m = small_model()
    assert touchpoint_weights(m) == {"t1": 1000.0, "t2": 1000.0, "t3": 400.0}
    assert touchpoint_weights(m, {"t3": 2}) == {"t1": 0.0, "t2": 0.0, "t3": 2.0}
    m.journeys[1].importance = 3                      # a whole journey weighs 3 times: 400 x 3
    assert touchpoint_weights(m)["t3"] == 1200.0


@pytest.mark.parametrize("measure", ["customers", "revenue"])
def test_pain_is_defined_in_interactions_only(measure: str) -> None:
    m = small_model()
    with pytest.raises(cx.AnalysisInputError, match="interactions measure only"):
        total_pain(m, measure=measure)
    with pytest.raises(cx.AnalysisInputError, match="interactions measure only"):
        pain(m, measure=measure)


def test_touchpoint_weights_reject_bad_weight() -> None:
    m = small_model()
    with pytest.raises(cx.AnalysisInputError, match="'interactions', 'customers', 'revenue' or a mapping"):
        touchpoint_weights(m, "customer")
    with pytest.raises(cx.UnknownIdError, match="unknown touchpoint 't4'"):
        touchpoint_weights(m, {"t4": 1})
    with pytest.raises(cx.AnalysisInputError, match=">= 0"):
        touchpoint_weights(m, {"t1": -1})


def test_total_pain_by_hand_with_given_impact() -> None:
    m = small_model()
    # customer side: 1000 * 0.25 + 1000 * 1 + 400 * 0 = 1250
    # IT side: only pay has a gap (0.6); with impact(pay) = 900: 540
    p = total_pain(m, impact={"app": 2000.0, "pay": 900.0, "db": 2000.0})
    assert (p.customer, p.it, float(p)) == (1250.0, pytest.approx(540.0), pytest.approx(1790.0))
    # with csat at target and turnaround at 3: 1000 * 1 + 900 * (3 - 2) / 3 = 1300
    q = total_pain(m, {"csat": 4, "tat": 3}, impact={"pay": 900.0})
    assert (q.customer, q.it) == (1000.0, pytest.approx(300.0))
    assert p - q == pytest.approx(490.0)   # behaves as a float: the benefit


def test_total_pain_accepts_an_impact_result_like_object() -> None:
    class Fake:
        def __init__(self) -> None:
            self.impact = {"pay": 100.0}

    assert total_pain(small_model(), impact=Fake()).it == pytest.approx(60.0)   # 100 * 0.6


def test_total_pain_without_metrics_is_zero_and_needs_no_impact() -> None:
    m = small_model()
    m.metrics.clear()
    p = total_pain(m)
    assert (float(p), p.customer, p.it) == (0.0, 0.0, 0.0)


def test_total_pain_is_read_only_and_serialisable() -> None:
    p = total_pain(small_model(), impact={"pay": 10.0})
    with pytest.raises(AttributeError):
        p.customer = 0.0  # type: ignore[misc]
    assert p.to_dict() == {"customer": 1250.0, "it": 6.0, "total": 1256.0}


def test_gaps_result_tables() -> None:
    r = cx.gaps(small_model())
    frame = r.to_frame()
    # largest gap first, ties by id: nps 1, tat 0.6, ces 1/3, csat 0.25
    assert frame["id"].tolist() == ["nps", "tat", "ces", "csat"]
    assert frame.set_index("id")["of_type"].to_dict() == {"nps": "touchpoint", "tat": "element",
                                                          "ces": "touchpoint", "csat": "touchpoint"}
    items = r.items().set_index("id")
    assert items.loc["t2", "metric"] == "nps" and items.loc["pay", "metric"] == "tat"
    assert items.loc["t3", "gap"] == 0.0 and pd.isna(items.loc["t3", "metric"])
    assert r.worst_metric == {"t2": "nps", "pay": "tat", "t1": "csat"}
    data = r.to_dict()
    assert data["metric_items"][0] == {"id": "nps", "name": "NPS", "type": "metric", "of": "t2",
                                       "of_type": "touchpoint", "actual": -20.0, "target": 100.0, "ideal": 100.0,
                                       "better": "higher",
                                       "unit": None, "gap": 1.0}
    assert "<table" in r._repr_html_()


def test_gaps_notes_say_a_target_at_the_ideal_plainly() -> None:
    m = small_model()
    m.add_metric("z", "At ideal", of="t3", actual=0, target=0, better="lower")
    r = cx.gaps(m)
    assert r.metric_gap["z"] == 0.0
    assert not any("'z'" in n for n in r.notes)
    assert any("'nps'" in n and "target at the ideal" in n for n in r.notes)


def test_gaps_without_metrics_says_so() -> None:
    m = small_model()
    m.metrics.clear()
    r = cx.gaps(m)
    assert r.to_frame().empty and set(r.touchpoint_gap.values()) == {0.0}
    assert r.notes == ("The model has no metrics: every gap is 0, so all pain is 0 "
                       "(add metrics with actual and target values).",)


def test_uncertain_metric_uses_its_point_value() -> None:
    m = small_model()
    m.metrics[0].actual = cx.Uncertain(low=2.0, high=4.0)   # midpoint 3 -> same gap 0.25
    assert cx.gaps(m).metric_gap["csat"] == 0.25


# --------------------------------------------------------------------------- pain
# A slow reference for impact, straight from DESIGN.md section 3, used to check pain
# independently of the engine.


def _group_loss(losses: list[float], k: int) -> float:
    """P(fewer than k of the links survive), each surviving with probability 1 - loss."""
    dist = [1.0]   # dist[j] = P(j survive so far)
    for p in losses:
        nxt = [0.0] * (len(dist) + 1)
        for j, q in enumerate(dist):
            nxt[j] += q * p
            nxt[j + 1] += q * (1 - p)
        dist = nxt
    return sum(dist[:k])


def reference_degradation(model: cx.Model, failed: set[str]) -> dict[str, float]:
    nodes = {**{tp.id: tp for tp in model.touchpoints}, **{e.id: e for e in model.elements}}
    d = {u: 1.0 if u in failed else 0.0 for u in nodes}
    for _ in range(10_000):
        new = {}
        for u, node in nodes.items():
            groups: dict[str, list[float]] = {}
            for i, dep in enumerate(node.depends_on):
                key = f"g:{dep.group}" if dep.group is not None else f"l:{i}"
                groups.setdefault(key, []).append(cx.model.point(dep.strength) * d[dep.element])
            survive = 1.0
            for key, losses in groups.items():
                k = node.needs.get(key[2:], 1) if key.startswith("g:") else 1
                survive *= 1 - _group_loss(losses, k)
            new[u] = 1 - (1 - (1.0 if u in failed else 0.0)) * survive
        if max((abs(new[u] - d[u]) for u in nodes), default=0.0) < 1e-14:
            return new
        d = new
    raise AssertionError("no convergence")


def reference_weights(model: cx.Model, weight: object = "customers") -> dict[str, float]:
    if isinstance(weight, dict):
        return {tp.id: float(weight.get(tp.id, 0.0)) for tp in model.touchpoints}
    point = cx.model.point
    return {tp.id: point(j.customers) * point(j.importance) * point(tp.reach)
            * point(tp.importance) for j in model.journeys for tp in j.touchpoints}


class ReferenceImpact:
    def __init__(self, model: cx.Model, weight: object = "customers") -> None:
        w = reference_weights(model, weight)
        children: dict[str, list[str]] = {}
        for c in model.capabilities:
            if c.parent:
                children.setdefault(c.parent, []).append(c.id)

        def realised(cid: str) -> set[str]:
            cap = next(c for c in model.capabilities if c.id == cid)
            return set(cap.realized_by).union(*(realised(k) for k in children.get(cid, [])))

        def lost(failed: set[str]) -> float:
            d = reference_degradation(model, failed)
            return sum(w[t] * d[t] for t in w)

        self.unit = "interactions / month"
        self.impact = {**w, **{e.id: lost({e.id}) for e in model.elements},
                       **{c.id: lost(realised(c.id)) for c in model.capabilities}}


def reference_spof(model: cx.Model, weight: object = "customers") -> pd.DataFrame:
    """Elements whose failure alone loses a touchpoint completely (d = 1), by weight lost."""
    w = reference_weights(model, weight)
    rows = []
    for e in model.elements:
        d = reference_degradation(model, {e.id})
        lost = [tp.id for tp in model.touchpoints if d[tp.id] >= 1 - 1e-12]
        if lost:
            rows.append({"element": e.id, "name": e.name, "kind": e.kind, "owner": e.owner, "touchpoints": lost,
                         "loss": sum(w[t] for t in lost)})
    rows.sort(key=lambda r: (-r["loss"], r["element"]))
    return pd.DataFrame(rows, columns=["element", "name", "kind", "owner", "touchpoints", "loss"])


ANALYSES = ("gaps", "pain", "priorities", "scorecard", "compare")


def use_reference_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compute impact, degradation and single points of failure with the slow reference instead of the engine."""
    def degradations(model: cx.Model, scenarios: dict[str, list[str]]) -> dict[str, dict[str, float]]:
        out = {}
        for key, fail in scenarios.items():
            d = reference_degradation(model, set(fail))
            out[key] = {tp.id: d[tp.id] for tp in model.touchpoints}
        return out

    for name in ANALYSES:
        module = importlib.import_module(f"cxgraph.analysis.{name}")
        for attr, fn in (("run_impact", ReferenceImpact), ("run_degradations", degradations),
                         ("run_spof", reference_spof)):
            if hasattr(module, attr):
                monkeypatch.setattr(module, attr, fn)


@pytest.fixture
def reference_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    use_reference_engine(monkeypatch)



def small_model_with_capabilities() -> cx.Model:
    m = small_model()
    m.add_capability("cap-a", "Selling", realized_by=["app"])
    m.add_capability("cap-b", "Paying", parent="cap-a", realized_by=["pay"], effort=2)
    return m


def test_reference_impact_by_hand() -> None:
    r = ReferenceImpact(small_model_with_capabilities())
    # app (or db, behind it) fails: t1 and t2 lost -> 1000 + 1000
    # pay fails: t2 loses 0.5 * 1 -> 500, t3 lost -> 400
    # cap-a (app + pay, its child's element): everything lost -> 2400
    assert {k: r.impact[k] for k in ("app", "db", "pay", "cap-a", "cap-b")} == {
        "app": 2000.0, "db": 2000.0, "pay": 900.0, "cap-a": 2400.0, "cap-b": 900.0}


@pytest.mark.usefixtures("reference_engine")
def test_pain_by_hand() -> None:
    r = pain(small_model_with_capabilities())
    # pain weights: t1 1000 * 0.25 = 250, t2 1000 * 1 = 1000, t3 400 * 0 = 0
    # app, db: t1 and t2 lost -> 250 + 1000 = 1250; pay: 1000 * 0.5 = 500
    # cap-a: 1250 (t3 carries no pain); cap-b = pay = 500
    assert r.pain == {"t1": 250.0, "t2": 1000.0, "t3": 0.0, "app": 1250.0, "pay": 500.0, "db": 1250.0,
                      "cap-a": 1250.0, "cap-b": 500.0}
    # ranks within each type, ties by id: app before db
    assert r.rank == {"t2": 1, "t1": 2, "t3": 3, "app": 1, "db": 2, "pay": 3, "cap-a": 1, "cap-b": 2}
    # total: customer 1250; IT: impact(pay) 900 * gap 0.6 = 540
    assert (r.total.customer, r.total.it) == (1250.0, pytest.approx(540.0))
    frame = r.to_frame()
    assert frame.columns.tolist() == ["id", "name", "type", "kind", "pain", "rank", "impact", "gap"]
    assert frame["id"].tolist() == ["app", "cap-a", "db", "t2", "cap-b", "pay", "t1", "t3"]
    assert r.elements()["id"].tolist() == ["app", "db", "pay"]
    assert r.capabilities()["id"].tolist() == ["cap-a", "cap-b"]
    assert r.top(1, type="touchpoint")["id"].tolist() == ["t2"]
    assert frame.set_index("id").loc["pay", "gap"] == 0.6
    assert r.notes == ("Metric 'nps' (NPS) has its target at the ideal 100: its whole distance from the ideal "
                       "counts as gap (gap 1).",)


@pytest.mark.usefixtures("reference_engine")
def test_pain_customer_side_is_the_sum_of_touchpoint_pain() -> None:
    r = pain(cx.examples.load("retail-bank"))
    tps = [tp.id for tp in cx.examples.load("retail-bank").touchpoints]
    assert r.total.customer == pytest.approx(sum(r.pain[t] for t in tps))
    assert all(r.pain[k] <= r.impact[k] + 1e-9 for k in r.pain)   # gap <= 1


@pytest.mark.usefixtures("reference_engine")
def test_pain_with_a_mapping_of_touchpoint_weights() -> None:
    r = pain(small_model_with_capabilities(), measure={"t1": 10, "t2": 20})
    # pay: t2 weighs 20, gap 1, d = 0.5 -> 10; app: t1 10 x 0.25 + t2 20 x 1 = 22.5
    assert (r.pain["pay"], r.pain["app"]) == (10.0, 22.5)


@pytest.mark.usefixtures("reference_engine")
def test_pain_without_metrics_is_zero_and_said_plainly() -> None:
    m = small_model_with_capabilities()
    m.metrics.clear()
    r = pain(m)
    assert set(r.pain.values()) == {0.0} and float(r.total) == 0.0
    assert r.notes[0].startswith("The model has no metrics")
    assert r.to_dict()["total_pain"] == {"customer": 0.0, "it": 0.0, "total": 0.0}


@pytest.mark.parametrize("name", ["retail-bank", "telecom"])
def test_pain_from_the_engine_matches_the_reference(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    m = cx.examples.load(name)
    real = pain(m)
    use_reference_engine(monkeypatch)
    slow = pain(m)
    assert real.pain == pytest.approx(slow.pain, rel=1e-9, abs=1e-9)
    assert (real.total.customer, real.total.it) == pytest.approx((slow.total.customer, slow.total.it), rel=1e-9)
    assert real.rank == slow.rank


def test_batch_degradations_from_the_engine_match_the_reference() -> None:
    from cxgraph.analysis._failures import run_degradations

    m = cx.examples.load("retail-bank")
    scenarios = {"core": ["core-banking"], "pay": ["payment-gateway-a", "payment-gateway-b"], "none": [],
                 "cap": ["kyc-check", "kyc-vendor", "kyc-review"]}
    got = run_degradations(m, scenarios)
    tps = [tp.id for tp in m.touchpoints]
    for key, fail in scenarios.items():
        want = reference_degradation(m, set(fail))
        assert all(v > 0 for v in got[key].values())
        assert {t: got[key].get(t, 0.0) for t in tps} == pytest.approx({t: want[t] for t in tps}, abs=1e-12)


@settings(max_examples=25)
@given(model=models())
def test_pain_matches_the_reference_on_random_models(model: cx.Model) -> None:
    real = pain(model)
    slow = ReferenceImpact(model)
    w = reference_weights(model)
    tp_gap, el_gap = own_gaps(model)
    by_tp = {t: w[t] * tp_gap[t] for t in w}
    slow_pain = ReferenceImpact(model, by_tp).impact
    for e in model.elements:
        assert real.pain[e.id] == pytest.approx(slow_pain[e.id], rel=1e-9, abs=1e-9)
        assert real.pain[e.id] <= real.impact[e.id] + 1e-9   # gaps are at most 1
    for c in model.capabilities:
        assert real.pain[c.id] == pytest.approx(slow_pain[c.id], rel=1e-9, abs=1e-9)
    it = sum(slow.impact[x] * g for x, g in el_gap.items())
    assert real.total.customer == pytest.approx(sum(by_tp.values()), rel=1e-9, abs=1e-9)
    assert real.total.it == pytest.approx(it, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name", ["retail-bank", "online-retailer"])
def test_single_points_of_failure_from_the_engine_match_the_reference(name: str) -> None:
    from cxgraph.analysis._failures import run_spof

    m = cx.examples.load(name)
    real, slow = run_spof(m), reference_spof(m)
    assert real["element"].tolist() == slow["element"].tolist()
    assert real["loss"].tolist() == pytest.approx(slow["loss"].tolist())
    assert [sorted(t) for t in real["touchpoints"]] == [sorted(t) for t in slow["touchpoints"]]
