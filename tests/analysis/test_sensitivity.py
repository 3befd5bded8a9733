"""Sensitivity: every sample against a slow per-sample reference, hand-worked spreads, bad input, progress."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.analysis._draws import draw, uncertain_inputs
from cxgraph.analysis._montecarlo import Progress
from cxgraph.model import point
from tests import reference
from tests.analysis.plan_reference import gap, ideal_of
from tests.strategies import models


def concretise(model: cx.Model, values: dict[str, float]) -> cx.Model:
    """A copy of ``model`` with each uncertain number (by its input label) replaced by a value."""
    m = model.model_copy(deep=True)
    for j in m.journeys:
        if f"{j.id}.customers" in values:
            j.customers = values[f"{j.id}.customers"]
        if f"{j.id}.importance" in values:
            j.importance = values[f"{j.id}.importance"]
        for tp in j.touchpoints:
            for attr in ("reach", "importance"):
                if f"{tp.id}.{attr}" in values:
                    setattr(tp, attr, values[f"{tp.id}.{attr}"])
    for item in [*m.touchpoints, *m.elements]:
        for dep in item.depends_on:
            if f"{item.id}->{dep.element}.strength" in values:
                dep.strength = values[f"{item.id}->{dep.element}.strength"]
    for metric in m.metrics:
        for attr in ("actual", "target", "ideal"):
            if f"{metric.id}.{attr}" in values:
                setattr(metric, attr, values[f"{metric.id}.{attr}"])
    return m


def reference_sample(model: cx.Model, measure: Any = "interactions") -> dict[str, tuple[float, float]]:
    """(impact in ``measure``, pain) of every element and capability of a model without ranges (tests/reference.py)."""
    weights = reference.touchpoint_weights(model)
    tp_gap = {tp.id: 0.0 for tp in model.touchpoints}
    for m in model.metrics:
        if m.of in tp_gap:
            tp_gap[m.of] = max(tp_gap[m.of], gap(point(m.actual), point(m.target), ideal_of(m)))
    pain_weight = {t: weights[t] * tp_gap[t] for t in weights}
    out = {}
    failures = {e.id: [e.id] for e in model.elements}
    failures.update({c.id: sorted(reference.capability_elements(model, c.id)) for c in model.capabilities})
    for item, failed in failures.items():
        out[item] = (reference.impact(model, failed, measure)[0], reference.impact(model, failed, pain_weight)[0])
    return out


def uncertain_bank() -> cx.Model:
    """Two journeys; a, b and c behind them; the ranking of a and b turns on journey j1's customers.

    weights: t1 = customers(j1) in [0, 2000]; t2 = 1000. a serves t1, b serves t2, c serves both at
    strength s in [0.2, 0.4]. So impact(a) = customers(j1), impact(b) = 1000, impact(c) = s * (t1 + t2).
    """
    m = cx.Model(name="Uncertain bank")
    j1 = m.add_journey("j1", "One", customers={"low": 0, "high": 2000})
    j1.add_touchpoint("t1", "T1", depends_on=["a", {"element": "c", "strength": {"low": 0.2, "high": 0.4}}])
    j2 = m.add_journey("j2", "Two", customers=1000)
    j2.add_touchpoint("t2", "T2", depends_on=["b", {"element": "c", "strength": 0.3}])
    for e in "abc":
        m.add_element(e, e.upper(), kind="system")
    m.add_capability("cap", "Cap", realized_by=["a", "b"])
    m.add_metric("csat", "CSAT", of="t1", actual={"low": 2, "high": 4}, target=4, ideal=5)
    m.add_initiative("fix", "Fix", cost={"low": 10, "mode": 20, "high": 40}, improves=[{"metric": "csat", "to": 4}])
    return m


def test_each_sample_matches_the_reference_on_the_drawn_values() -> None:
    m = uncertain_bank()
    r = cx.sensitivity(m, samples=20, seed=3, progress=False)
    inputs = uncertain_inputs(m)
    x = draw(inputs, 20, 3)
    impact, pain = r.sample_frame("impact"), r.sample_frame("pain")
    for s in (0, 7, 19):
        expected = reference_sample(concretise(m, {spec.label: x[s, k] for k, spec in enumerate(inputs)}))
        for item, (imp, pn) in expected.items():
            assert impact.loc[s, item] == pytest.approx(imp, rel=1e-9, abs=1e-9)
            assert pain.loc[s, item] == pytest.approx(pn, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("measure", ["customers", "revenue"])
@pytest.mark.parametrize("build", ["uncertain_bank", "redundant_bank", "funnel_bank"])
def test_funnel_measures_match_the_reference_sample_by_sample(build: str, measure: str) -> None:
    # customers and revenue are journey funnels: 1 - prod(1 - reach * d) over required touchpoints,
    # not linear in the degradations; every sample's impact equals the reference's on its drawn values.
    m = globals()[build]()
    for j in m.journeys:
        j.revenue = 100.0 * len(j.id)
    r = cx.sensitivity(m, samples=8, seed=5, progress=False, measure=measure)
    assert r.measure == measure and r.unit == f"{measure} / month" and r.pain_unit == "interactions / month"
    inputs = uncertain_inputs(m)
    x = draw(inputs, 8, 5)
    impact, pain = r.sample_frame("impact"), r.sample_frame("pain")
    for s in range(8):
        expected = reference_sample(concretise(m, {spec.label: x[s, k] for k, spec in enumerate(inputs)}), measure)
        for item, (imp, pn) in expected.items():
            assert impact.loc[s, item] == pytest.approx(imp, rel=1e-12, abs=1e-9)
            assert pain.loc[s, item] == pytest.approx(pn, rel=1e-12, abs=1e-9)


def test_a_measure_given_as_weights_matches_the_reference_sample_by_sample() -> None:
    m = redundant_bank()
    weights = {"t": 3.0, "u": 0.0, "v": 7.5}
    r = cx.sensitivity(m, samples=6, seed=9, progress=False, measure=weights)
    assert r.measure == "weight"
    inputs = uncertain_inputs(m)
    x = draw(inputs, 6, 9)
    impact = r.sample_frame("impact")
    for s in range(6):
        expected = reference_sample(concretise(m, {spec.label: x[s, k] for k, spec in enumerate(inputs)}), weights)
        for item, (imp, _) in expected.items():
            assert impact.loc[s, item] == pytest.approx(imp, rel=1e-12, abs=1e-9)


def test_the_command_line_takes_a_measure(tmp_path) -> None:
    from cxgraph.cli import main

    path = tmp_path / "bank.yaml"
    cx.save(cx.examples.load("retail-bank"), path)
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        assert main(["sensitivity", str(path), "--samples", "20", "--measure", "customers", "--format", "json",
                     "--no-progress"]) == 0
    data = json.loads(out.getvalue())
    assert data["measure"] == "customers" and data["unit"] == "customers / month"
    point = {row["id"]: row["impact"] for row in data["items"]}
    expected = cx.impact(cx.examples.load("retail-bank"), measure="customers").impact
    assert point["core-banking"] == pytest.approx(expected["core-banking"], rel=1e-12)


def funnel_bank() -> cx.Model:
    """One journey of three touchpoints, t3 not required; x behind all three at uncertain strengths.

    With x failed: d(t1) = s1, d(t2) = s2 (reach 0.5), d(t3) = 1. Customers lost =
    1000 * (1 - (1 - s1) * (1 - 0.5 s2)): t3 is not required, so it loses no customer.
    """
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1000)
    j.add_touchpoint("t1", "T1", depends_on=[{"element": "x", "strength": {"low": 0.2, "high": 0.6}}])
    j.add_touchpoint("t2", "T2", reach=0.5, depends_on=[{"element": "y", "strength": {"low": 0.1, "high": 0.9}}])
    j.add_touchpoint("t3", "T3", required=False, depends_on=["x"])
    m.add_element("x", "X", kind="system")
    m.add_element("y", "Y", kind="system", depends_on=["x"])
    return m


def test_a_funnel_sample_by_hand() -> None:
    m = funnel_bank()
    r = cx.sensitivity(m, samples=5, seed=2, progress=False, measure="customers")
    inputs = {spec.label: k for k, spec in enumerate(uncertain_inputs(m))}
    x = draw(uncertain_inputs(m), 5, 2)
    s1, s2 = x[:, inputs["t1->x.strength"]], x[:, inputs["t2->y.strength"]]
    by_hand = 1000 * (1 - (1 - s1) * (1 - 0.5 * s2))
    assert r.sample_frame("impact")["x"].to_numpy() == pytest.approx(by_hand, rel=1e-14)
    assert r.sample_frame("impact")["y"].to_numpy() == pytest.approx(1000 * 0.5 * s2, rel=1e-14)
    # in interactions t3 counts: 1000 * (s1 + 0.5 * s2 + 1)
    inter = cx.sensitivity(m, samples=5, seed=2, progress=False).sample_frame("impact")["x"].to_numpy()
    assert inter == pytest.approx(1000 * (s1 + 0.5 * s2 + 1), rel=1e-14)


def redundant_bank() -> cx.Model:
    """x feeds a and c through uncertain links; t needs a, and one of b or c (b never fails with x).

    In x's scenario the group {b, c} is lost only if both are: b is not degraded, so the group
    holds and t's degradation comes from a alone; the other groups must not leak into it.
    """
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1000)
    j.add_touchpoint("t", "T", reach={"low": 0.4, "high": 0.9},
                     depends_on=[{"element": "a", "strength": 0.9}, {"element": "b", "group": "ha"},
                                 {"element": "c", "group": "ha"}])
    j.add_touchpoint("u", "U", importance={"low": 0.5, "mode": 1, "high": 3},
                     depends_on=["a", {"element": "c", "strength": {"low": 0.1, "high": 0.9}}])
    j.add_touchpoint("v", "V", depends_on=["c"])
    m.add_metric("m-t", "On t", of="t", actual=3, target=4, ideal=5)
    m.add_metric("m-u", "On u", of="u", actual=3, target={"low": 3.5, "high": 5}, ideal=5)
    m.add_metric("m-v", "On v", of="v", actual=2, target=4, ideal=5)
    m.add_element("a", "A", kind="system", depends_on=[{"element": "x", "strength": {"low": 0.2, "high": 0.8}}])
    m.add_element("b", "B", kind="system")
    m.add_element("c", "C", kind="system", depends_on=[{"element": "x", "strength": {"low": 0.3, "high": 0.6}}])
    m.add_element("x", "X", kind="system")
    return m


@pytest.mark.parametrize("build", [uncertain_bank, redundant_bank])
def test_hand_built_models_match_the_reference_sample_by_sample(build) -> None:
    m = build()
    r = cx.sensitivity(m, samples=6, seed=4, progress=False)
    inputs = uncertain_inputs(m)
    x = draw(inputs, 6, 4)
    impact, pain = r.sample_frame("impact"), r.sample_frame("pain")
    for s in range(6):
        expected = reference_sample(concretise(m, {spec.label: x[s, k] for k, spec in enumerate(inputs)}))
        for item, (imp, pn) in expected.items():
            assert impact.loc[s, item] == pytest.approx(imp, rel=1e-12, abs=1e-9)
            assert pain.loc[s, item] == pytest.approx(pn, rel=1e-12, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(models(max_elements=6, max_journeys=2, max_touchpoints=3), st.sampled_from(["interactions", "customers"]))
def test_random_models_match_the_reference_sample_by_sample(model: cx.Model, measure: str) -> None:
    samples = 4
    r = cx.sensitivity(model, samples=samples, seed=11, progress=False, measure=measure)
    inputs = uncertain_inputs(model)
    x = draw(inputs, samples, 11)
    impact, pain = r.sample_frame("impact"), r.sample_frame("pain")
    for s in range(samples):
        try:
            expected = reference_sample(concretise(model, {spec.label: x[s, k] for k, spec in enumerate(inputs)}),
                                        measure)
        except reference.NotConverged:
            continue
        for item, (imp, pn) in expected.items():
            assert impact.loc[s, item] == pytest.approx(imp, rel=1e-7, abs=1e-7)
            assert pain.loc[s, item] == pytest.approx(pn, rel=1e-7, abs=1e-7)


def test_hand_worked_spreads_ranks_and_top_k() -> None:
    m = uncertain_bank()
    r = cx.sensitivity(m, samples=4000, seed=0, top_k=1, progress=False)
    rows = r.to_frame().set_index("id")
    # impact(a) = customers(j1) ~ uniform(0, 2000): mean 1000, 5% and 95% quantiles 100 and 1900.
    assert rows.loc["a", "impact"] == 1000                      # point value: the midpoint
    assert rows.loc["a", "impact_mean"] == pytest.approx(1000, abs=40)
    assert rows.loc["a", "impact_p05"] == pytest.approx(100, abs=40)
    assert rows.loc["a", "impact_p95"] == pytest.approx(1900, abs=40)
    # impact(b) = 1000 in every sample.
    assert (rows.loc["b", "impact_p05"], rows.loc["b", "impact_p95"]) == (1000, 1000)
    # a outranks b when customers(j1) > 1000 (half the samples); c (at most 0.4 * 3000 = 1200) rarely wins.
    ranks = r.sample_frame("rank")
    a_first = (ranks["a"] == 1).mean()
    assert rows.loc["a", "p_top_k"] == pytest.approx(a_first)
    assert 0.4 < a_first < 0.6
    assert rows.loc["b", "p_top_k"] + rows.loc["a", "p_top_k"] + rows.loc["c", "p_top_k"] == pytest.approx(1)
    assert rows.loc["a", "rank_p05"] == 1 and rows.loc["a", "rank_p95"] == 3
    # The capability is ranked on its own (rank 1 of 1).
    assert rows.loc["cap", "rank_median"] == 1 and rows.loc["cap", "p_top_k"] == 1
    # pain(a) = customers(j1) * gap(csat), gap = (4 - actual) / (5 - actual) <= 2/3 with actual ~ uniform(2, 4).
    pain = r.sample_frame("pain")["a"].to_numpy()
    imp = r.sample_frame("impact")["a"].to_numpy()
    assert (pain <= 2 / 3 * imp + 1e-9).all() and (pain >= 0).all()


def test_the_top_is_most_sensitive_to_the_input_that_decides_it() -> None:
    r = cx.sensitivity(uncertain_bank(), samples=2000, seed=1, top_k=2, progress=False)
    top = r.inputs.iloc[0]
    assert (top["input"], top["most_on"]) == ("j1.customers", "a")
    assert top["influence"] > 0.8 and top["influence_impact"] == pytest.approx(1)
    inputs = r.inputs.set_index("input")
    assert inputs.loc["fix.cost", "influence"] < 0.1          # a cost cannot move a rank: only noise
    infl = r.influence.set_index(["input", "item"])
    assert infl.loc[("j1.customers", "a"), "rho_impact"] == pytest.approx(1)   # impact(a) = customers(j1)
    assert infl.loc[("j1.customers", "a"), "rho_rank"] < -0.8                   # more customers, better rank
    assert infl.loc[("j1.customers", "b"), "rho_impact"] == 0                   # impact(b) is constant
    assert infl.loc[("j1.customers", "b"), "rho_rank"] > 0.8                    # ... but a overtakes it


def pointify(model: cx.Model) -> cx.Model:
    """A copy of ``model`` with every range replaced by its point value."""
    m = model.model_copy(deep=True)
    for j in m.journeys:
        j.customers = point(j.customers)
        for tp in j.touchpoints:
            tp.reach, tp.importance = point(tp.reach), point(tp.importance)
    for item in [*m.touchpoints, *m.elements]:
        for dep in item.depends_on:
            dep.strength = point(dep.strength)
    for element in m.elements:
        if element.availability is not None:
            element.availability = point(element.availability)
    for metric in m.metrics:
        metric.actual, metric.target = point(metric.actual), point(metric.target)
    for ini in m.initiatives:
        ini.cost = point(ini.cost)
        for imp in ini.improves:
            imp.to = point(imp.to)
    return m


def test_without_ranges_every_sample_is_the_point_value() -> None:
    plain = pointify(cx.examples.load("retail-bank"))
    r = cx.sensitivity(plain, samples=5, progress=False)
    frame = r.to_frame()
    assert (frame["impact_p05"] == frame["impact_p95"]).all()
    assert np.allclose(frame["impact"], frame["impact_mean"], rtol=1e-12)
    assert (frame["rank_median"] == frame["rank"]).all()
    impact, pain = cx.impact(plain), cx.pain(plain)
    for row in frame.itertuples():
        assert row.impact == pytest.approx(impact.impact[row.id], rel=1e-12)
        assert row.pain == pytest.approx(pain.pain[row.id], rel=1e-12, abs=1e-9)
        assert row.rank == impact.rank[row.id]
    assert "the model has no uncertain inputs (no {low, high} ranges): every sample is the same" in r.notes
    assert r.expected_loss["p05"] == r.expected_loss["p95"] == pytest.approx(cx.risk(plain).expected_loss)


def test_uncertain_availability_spreads_the_expected_loss() -> None:
    # One touchpoint on a, whose availability is uniform in [0.9, 0.99]: expected loss 1000 x (1 - A).
    m = cx.loads("""
cxgraph: 1
journeys:
  - {id: j, name: J, customers: 1000, importance: {low: 1, high: 3},
     touchpoints: [{id: t, name: T, depends_on: [a]}]}
elements:
  - {id: a, name: A, kind: system, availability: {low: 0.9, high: 0.99}}
""")
    r = cx.sensitivity(m, samples=4000, seed=3, progress=False)
    # weight 1000 x importance, importance ~ U(1, 3), is not part of the expected loss's spread (weights at their
    # points): the spread comes from availability alone: 1000 x 2 x (1 - A), A ~ U(0.9, 0.99)
    assert r.expected_loss["mean"] == pytest.approx(2000 * 0.055, rel=0.02)
    assert r.expected_loss["p05"] == pytest.approx(2000 * (0.01 + 0.05 * 0.09), rel=0.03)
    assert r.expected_loss["p95"] == pytest.approx(2000 * (0.01 + 0.95 * 0.09), rel=0.03)
    assert {"a.availability", "j.importance"} <= set(r.inputs["input"])
    impact = r.sample_frame("impact")["a"]
    assert impact.min() >= 1000 - 1e-9 and impact.max() <= 3000 + 1e-9   # journey importance is drawn


def test_initiative_benefits_match_the_plan_at_point_values() -> None:
    m = cx.examples.load("retail-bank")
    plain = m
    r = cx.sensitivity(plain, samples=300, seed=2, progress=False)
    plan = cx.plan(plain, budget=0).initiatives.set_index("id")
    rows = r.initiatives.set_index("id")
    # The KYC vendor upgrade touches no uncertain input... except m-csat-verify.actual: spread, so compare
    # an initiative whose metrics are all certain: the dispute workflow.
    assert rows.loc["i-dispute-workflow", "benefit_p05"] == pytest.approx(plan.loc["i-dispute-workflow",
                                                                                   "benefit_alone"])
    assert rows.loc["i-dispute-workflow", "benefit_p95"] == pytest.approx(plan.loc["i-dispute-workflow",
                                                                                   "benefit_alone"])
    # A cost of {low: 150000, high: 260000}: mean 205000, within sampling error.
    assert rows.loc["i-kyc-automation", "cost_mean"] == pytest.approx(205_000, rel=0.02)


def test_the_same_seed_gives_the_same_result_and_another_seed_does_not() -> None:
    m = cx.examples.load("retail-bank")
    a = cx.sensitivity(m, samples=50, seed=5, progress=False)
    b = cx.sensitivity(m, samples=50, seed=5, progress=False)
    c = cx.sensitivity(m, samples=50, seed=6, progress=False)
    assert a.to_json() == b.to_json()
    assert a.to_json() != c.to_json()


def test_draws_follow_their_distribution_and_stay_in_range() -> None:
    m = cx.Model()
    m.add_journey("u", "U", customers={"low": 10, "high": 20})
    m.add_journey("t", "T", customers={"low": 0, "mode": 0, "high": 30})
    m.add_journey("p", "P", customers={"low": 5, "high": 5})
    x = draw(uncertain_inputs(m), 20_000, 0)
    assert x[:, 0].min() >= 10 and x[:, 0].max() <= 20 and x[:, 0].mean() == pytest.approx(15, abs=0.1)
    # Triangular(0, 0, 30): mean (0 + 0 + 30) / 3 = 10, median 30 * (1 - sqrt(1/2)) = 8.79.
    assert x[:, 1].mean() == pytest.approx(10, abs=0.2)
    assert np.median(x[:, 1]) == pytest.approx(8.787, abs=0.2)
    assert (x[:, 2] == 5).all()


def test_adding_an_uncertain_number_leaves_the_other_draws_alone() -> None:
    m = uncertain_bank()
    before = draw(uncertain_inputs(m), 10, 0)
    m.journeys[1].customers = cx.Uncertain(low=900, high=1100)
    labels = [i.label for i in uncertain_inputs(m)]
    after = draw(uncertain_inputs(m), 10, 0)
    old_labels = [i.label for i in uncertain_inputs(uncertain_bank())]
    for k, label in enumerate(old_labels):
        assert (after[:, labels.index(label)] == before[:, k]).all()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"samples": 0}, "samples must be an integer >= 1, got 0"),
        ({"samples": -5}, "samples must be an integer >= 1, got -5"),
        ({"samples": 10.5}, "samples must be an integer >= 1, got 10.5"),
        ({"samples": True}, "samples must be an integer >= 1, got True"),
        ({"seed": -1}, "seed must be an integer >= 0, got -1"),
        ({"top_k": 0}, "top_k must be an integer >= 1, got 0"),
        ({"rank_by": "cost"}, "rank_by must be 'impact' or 'pain', got 'cost'"),
    ],
)
def test_bad_options_are_refused(options: dict, message: str) -> None:
    with pytest.raises(cx.AnalysisInputError) as info:
        cx.sensitivity(uncertain_bank(), **options)
    assert str(info.value) == message


def test_no_metrics_means_no_pain_said_plainly() -> None:
    m = uncertain_bank()
    m.metrics = []
    m.initiatives[0].improves = []
    r = cx.sensitivity(m, samples=10, progress=False)
    assert (r.to_frame()["pain_p95"] == 0).all()
    assert "the model has no metrics: every gap is 0, so pain is 0 in every sample" in r.notes


def test_rank_by_pain_orders_by_pain() -> None:
    r = cx.sensitivity(uncertain_bank(), samples=200, seed=0, rank_by="pain", progress=False)
    pains = r.sample_frame("pain")[["a", "b", "c"]].to_numpy()
    ranks = r.sample_frame("rank")[["a", "b", "c"]].to_numpy()
    for s in range(0, 200, 37):
        assert list(np.argsort(ranks[s])) == list(np.lexsort((np.arange(3), -pains[s])))


def test_progress_is_shown_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    m = uncertain_bank()
    cx.sensitivity(m, samples=30, progress=True)
    assert "sensitivity: 100%" in capsys.readouterr().err.rstrip().splitlines()[-1]
    cx.sensitivity(m, samples=30)            # stderr is not a terminal under pytest
    cx.sensitivity(m, samples=30, progress=False)
    assert capsys.readouterr().err == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    bar = Progress(3, enabled=None, stream=tty)
    bar.advance(3)
    bar.close()
    assert "sensitivity: 100%" in tty.getvalue() and "3/3" in tty.getvalue()
    assert Progress(3, enabled=None, stream=io.StringIO()).enabled is False


def test_json_and_tables() -> None:
    r = cx.sensitivity(uncertain_bank(), samples=30, progress=False)
    data = json.loads(r.to_json())
    assert data["n_samples"] == 30 and data["seed"] == 0 and data["top_k"] == 5
    assert {row["id"] for row in data["items"]} == {"a", "b", "c", "cap"}
    assert next(i for i in data["input_items"] if i["id"] == "j1.customers")["mode"] is None
    assert set(data["total_pain"]) == {"mean", "p05", "p50", "p95"}
    assert list(r.to_frame()["type"]) == ["element"] * 3 + ["capability"]
    assert "<table" in r._repr_html_()
    with pytest.raises(cx.AnalysisInputError, match="quantity must be"):
        r.sample_frame("cost")


@pytest.mark.parametrize("measure", ["interactions", "customers"])
def test_a_generated_enterprise_matches_the_engine_sample_by_sample(measure: str) -> None:
    # A thousand elements in layers with shared hubs, redundancy groups and uncertain strengths: each
    # sample's impacts and pains equal cx.impact on the model with that sample's numbers written in.
    from benchmarks.generate import generate

    m = generate("S", seed=1)
    r = cx.sensitivity(m, samples=3, seed=2, progress=False, measure=measure)
    inputs = uncertain_inputs(m)
    x = draw(inputs, 3, 2)
    impact, pain = r.sample_frame("impact"), r.sample_frame("pain")
    for s in range(3):
        concrete = concretise(m, {spec.label: x[s, k] for k, spec in enumerate(inputs)})
        weights = reference.touchpoint_weights(concrete)
        tp_gap = {tp.id: 0.0 for tp in concrete.touchpoints}
        for metric in concrete.metrics:
            if metric.of in tp_gap:
                tp_gap[metric.of] = max(tp_gap[metric.of], gap(point(metric.actual), point(metric.target),
                                                               ideal_of(metric)))
        expected = cx.impact(concrete, measure=measure)
        expected_pain = cx.impact(concrete, measure={t: weights[t] * tp_gap[t] for t in weights})
        for item in impact.columns:
            assert impact.loc[s, item] == pytest.approx(expected.impact[item], rel=1e-9, abs=1e-6)
            assert pain.loc[s, item] == pytest.approx(expected_pain.impact[item], rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("rank_by", ["impact", "pain"])
def test_the_result_plots_as_a_ranking_with_whiskers(rank_by: str) -> None:
    import matplotlib.pyplot as plt

    r = cx.sensitivity(cx.examples.load("retail-bank"), samples=20, rank_by=rank_by, progress=False)
    fig = r.plot()
    assert len(fig.axes[0].patches) == 15
    plt.close(fig)


def test_an_uncertain_ideal_is_drawn_and_moves_the_gap_by_hand() -> None:
    # t (1000 interactions) behind x; CSAT 3 against target 4, ideal drawn in [4.5, 5.5]:
    # gap = (ideal - 3 - (ideal - 4)) / (ideal - 3) = 1 / (ideal - 3), so pain(x) = 1000 / (ideal - 3).
    m = cx.Model()
    m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["x"])
    m.add_element("x", "X", kind="system")
    m.add_metric("csat", "CSAT", of="t", actual=3, target=4, ideal={"low": 4.5, "high": 5.5})
    m.add_initiative("fix", "Fix", cost=10, improves=[{"metric": "csat", "to": 4}])
    r = cx.sensitivity(m, samples=40, seed=8, progress=False)
    assert "csat.ideal" in set(r.inputs["input"])
    x = draw(uncertain_inputs(m), 40, 8)[:, 0]
    assert r.sample_frame("pain")["x"].to_numpy() == pytest.approx(1000 / (x - 3), rel=1e-14)
    assert r.initiatives.loc[0, "benefit_mean"] == pytest.approx(np.mean(1000 / (x - 3)), rel=1e-14)


def test_an_actual_beyond_the_least_favourable_ideal_is_refused() -> None:
    with pytest.raises(ValueError, match=r"actual 5\.2 lies beyond the ideal 5"):
        cx.Metric(id="csat", name="CSAT", of="t", actual=5.2, target=4, ideal={"low": 5, "high": 6})


def test_a_structural_initiative_benefit_is_sampled_on_the_changed_model_by_hand() -> None:
    # t (1000 interactions) needs x, down 1 % of the time: expected loss 10. "ha" sets x's availability
    # to a drawn a in [0.995, 0.999]: the burden falls to 1000 (1 - a), a benefit of 1000 a - 990.
    # "bot" only improves a metric on t (gap 1 -> 0 at exposure 1000): its benefit stays pain.
    m = cx.Model()
    m.add_journey("j", "J", customers=1000).add_touchpoint("t", "T", depends_on=["x"])
    m.add_element("x", "X", kind="system", availability=0.99)
    m.add_metric("wait", "Wait", of="t", actual=4, target=0, better="lower")
    m.add_initiative("ha", "HA", cost={"low": 5, "high": 7},
                     sets=[{"element": "x", "availability": {"low": 0.995, "high": 0.999}}])
    m.add_initiative("bot", "Bot", cost=3, improves=[{"metric": "wait", "to": 0}])
    r = cx.sensitivity(m, samples=30, seed=4, progress=False)
    changed = cx.model.apply_initiatives(m, ["ha"])
    a = draw(uncertain_inputs(changed), 30, 4)[:, 0]
    rows = r.initiatives.set_index("id")
    assert rows.loc["ha", "benefit_mean"] == pytest.approx(np.mean(1000 * a - 990), rel=1e-12)
    assert rows.loc["ha", "benefit_p05"] == pytest.approx(np.quantile(1000 * a - 990, 0.05), rel=1e-12)
    assert rows.loc["bot", "benefit_mean"] == pytest.approx(1000 * 0.99 * 1 + 1000 * 0.01, rel=1e-12)


def test_a_structural_benefit_is_not_sampled_without_an_exact_expected_loss() -> None:
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1000)
    for k in range(18):  # more elements that can fail than the exact expected loss enumerates
        j.add_touchpoint(f"t{k}", f"T{k}", depends_on=[f"x{k}"])
        m.add_element(f"x{k}", f"X{k}", kind="system", availability=0.99)
    m.add_initiative("ha", "HA", cost=5, sets=[{"element": "x0", "availability": 0.999}])
    r = cx.sensitivity(m, samples=5, progress=False)
    assert np.isnan(r.initiatives.loc[0, "benefit_mean"])
    assert any("changes the architecture" in n or "change the architecture" in n for n in r.notes)
