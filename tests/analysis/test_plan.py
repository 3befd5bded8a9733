"""Plans and frontiers: hand-worked cases, bad input, and brute force over every subset."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from cxgraph.analysis.gaps import total_pain
from tests.analysis.plan_reference import brute_force_plan
from tests.strategies import portfolios, structural_portfolios


def shop() -> cx.Model:
    """One journey of 1000 customers, two touchpoints with one metric each; no element metrics.

    weights: t1 = 1000, t2 = 1000 * 0.5 * 2 = 1000.
    csat on t1 (a 1-7 scale): actual 3, target 4, ideal 7 -> gap (4 - 3) / 4 = 0.25 -> pain 250.
    wait on t2: actual 10, target 2, lower -> gap 0.8 -> pain 800.   total pain now = 1050.
    """
    m = cx.Model(name="Shop")
    j = m.add_journey("j", "Buy", customers=1000)
    j.add_touchpoint("t1", "Browse")
    j.add_touchpoint("t2", "Wait for delivery", reach=0.5, importance=2)
    m.add_metric("csat", "CSAT", of="t1", actual=3, target=4, ideal=7)
    m.add_metric("wait", "Delivery days", of="t2", actual=10, target=2, better="lower")
    return m


def test_hand_worked_plan_picks_the_larger_benefit_within_budget() -> None:
    m = shop()
    # a: csat -> 4 (gap 0): benefit 250, cost 100.
    # b: wait -> 4 (gap (4-2)/4 = 0.5): benefit 1000 * (0.8 - 0.5) = 300, cost 150.
    m.add_initiative("a", "A", cost=100, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("b", "B", cost=150, improves=[{"metric": "wait", "to": 4}])
    result = cx.plan(m, budget=200)
    assert result.chosen == ("b",)
    assert result.cost == 150
    assert result.total_pain_before == pytest.approx(1050)
    assert result.total_pain_after == pytest.approx(750)
    assert result.benefit == pytest.approx(300)
    both = cx.plan(m, budget=250)
    assert both.chosen == ("a", "b") and both.benefit == pytest.approx(550)


def test_the_best_value_counts_when_two_initiatives_improve_one_metric() -> None:
    m = shop()
    # fast: wait -> 3, gap 1/3, pain 333.3, benefit 466.7; faster: wait -> 2, gap 0, benefit 800.
    m.add_initiative("fast", "Fast", cost=10, improves=[{"metric": "wait", "to": 3}])
    m.add_initiative("faster", "Faster", cost=20, improves=[{"metric": "wait", "to": 2}])
    result = cx.plan(m, budget=30)
    # Together they give the best value (2), no more than "faster" alone: the cheaper set wins.
    assert result.chosen == ("faster",)
    assert result.benefit == pytest.approx(800)
    assert result.metrics.set_index("id").loc["wait", "after"] == 2


def test_the_best_value_counts_and_the_cheaper_set_reaching_it_wins() -> None:
    # Lower is better, ideal -20, target -10. At -5 the gap is (15 - 10) / 15 = 1/3; at -8, (12 - 10) / 12 = 1/6;
    # at 0 (worse than now) 1/2. Both together set -8 (the best value): no better than "eight" alone.
    m = cx.Model()
    m.add_journey("j", "J", customers=100).add_touchpoint("t", "T")
    m.add_metric("delta", "Delta", of="t", actual=-5, target=-10, better="lower", ideal=-20)
    m.add_initiative("eight", "To -8", cost=1, improves=[{"metric": "delta", "to": -8}])
    m.add_initiative("zero", "To 0", cost=1, improves=[{"metric": "delta", "to": 0}])
    result = cx.plan(m, budget=10)
    assert result.chosen == ("eight",)
    assert result.benefit == pytest.approx(100 * (1 / 3 - 1 / 6))
    assert result.metrics.set_index("id").loc["delta", "gap_after"] == pytest.approx(1 / 6)


def test_a_worse_to_value_has_a_negative_benefit_and_is_not_chosen() -> None:
    m = shop()
    m.add_initiative("worse", "Worse", cost=0, improves=[{"metric": "csat", "to": 2}])  # gap 2/5: pain +150
    result = cx.plan(m, budget=100)
    assert result.chosen == ()
    assert result.initiatives.set_index("id").loc["worse", "benefit_alone"] == pytest.approx(-150)


def test_requires_is_respected_transitively() -> None:
    m = shop()
    m.add_initiative("base", "Base", cost=50)
    m.add_initiative("mid", "Middle", cost=50, requires=["base"])
    m.add_initiative("top", "Top", cost=50, improves=[{"metric": "wait", "to": 2}], requires=["mid"])
    m.add_initiative("alt", "Alternative", cost=100, improves=[{"metric": "csat", "to": 4}])
    # top alone is worth 800 but needs mid and base: 150 in all. With 149, only alt (250) fits.
    assert cx.plan(m, budget=149).chosen == ("alt",)
    assert cx.plan(m, budget=150).chosen == ("base", "mid", "top")
    assert cx.plan(m, budget=250).chosen == ("alt", "base", "mid", "top")


def test_ties_go_to_the_lower_cost() -> None:
    m = shop()
    m.add_initiative("pricey", "Pricey", cost=90, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("cheap", "Cheap", cost=40, improves=[{"metric": "csat", "to": 4.5}])  # same gap 0
    assert cx.plan(m, budget=200).chosen == ("cheap",)


def test_ties_in_benefit_and_cost_go_to_the_smallest_sorted_id_list() -> None:
    m = shop()
    m.add_initiative("b", "B", cost=10, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("c", "C", cost=5, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("a", "A", cost=5)
    m.add_initiative("d", "D", cost=5, requires=["a"], improves=[{"metric": "csat", "to": 4}])
    # {b}, {c}, {a, d} all give 250; {b} costs 10, {c} and {a, d} cost 5 and 10.
    assert cx.plan(m, budget=20).chosen == ("c",)
    m.initiatives[1].cost = 10
    # Now {b}, {c} and {a, d} cost 10 each: ["a", "d"] < ["b"] < ["c"].
    assert cx.plan(m, budget=20).chosen == ("a", "d")


def test_a_shorter_list_wins_over_its_own_extension() -> None:
    m = shop()
    m.add_initiative("a", "A", cost=10, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("b", "B", cost=0)     # free and useless: ["a"] < ["a", "b"]
    assert cx.plan(m, budget=10).chosen == ("a",)
    assert cx.plan(m, budget=0).chosen == ()
    # Lexicographic order compares first elements first: ["0", "a"] < ["a"], so a free, useless
    # initiative whose id sorts first does join (the rule as written, applied literally).
    m.add_initiative("0", "Zero", cost=0)
    assert cx.plan(m, budget=10).chosen == ("0", "a")
    assert cx.plan(m, budget=0).chosen == ()


def test_total_pain_agrees_with_the_gaps_module() -> None:
    m = cx.examples.load("retail-bank")
    result = cx.plan(m, budget=1_000_000)
    assert result.total_pain_before == pytest.approx(float(total_pain(m)), rel=1e-12)
    assert result.expected_loss_before == pytest.approx(cx.risk(m).expected_loss, rel=1e-12)
    assert result.burden_before == pytest.approx(result.total_pain_before + result.expected_loss_before)
    structural = [i for i in result.chosen if next(x for x in m.initiatives if x.id == i).structural]
    changed = cx.model.apply_initiatives(m, structural)
    values = result.metrics.set_index("id")["after"].to_dict()
    assert result.total_pain_after == pytest.approx(float(total_pain(m, values, impact=cx.impact(changed))),
                                                    rel=1e-12)
    assert result.expected_loss_after == pytest.approx(cx.risk(changed).expected_loss, rel=1e-12)
    assert result.cost <= 1_000_000


@pytest.mark.parametrize("budget", [-1, -0.5, math.nan, math.inf, "100", None, True, [5]])
def test_a_bad_budget_is_refused(budget: object) -> None:
    with pytest.raises(cx.AnalysisInputError, match="budget must be a finite number >= 0"):
        cx.plan(shop(), budget=budget)  # type: ignore[arg-type]


def test_bad_budgets_for_the_frontier_are_refused() -> None:
    with pytest.raises(cx.AnalysisInputError, match="budgets is empty"):
        cx.plan_frontier(shop(), budgets=[])
    with pytest.raises(cx.AnalysisInputError, match="budgets must be a list of numbers"):
        cx.plan_frontier(shop(), budgets=100)  # type: ignore[arg-type]
    with pytest.raises(cx.AnalysisInputError, match="got -3"):
        cx.plan_frontier(shop(), budgets=[10, -3])


@pytest.mark.parametrize(
    ("requires", "message"),
    [
        ({"a": ["nope"]}, "initiatives[0].requires[0]: unknown initiative 'nope'"),
        ({"a": ["a"]}, "initiatives[0].requires[0]: initiative 'a' requires itself"),
        ({"a": ["b"], "b": ["a"]}, "initiatives[0].requires: requires cycle: a -> b -> a"),
        ({"a": ["csat"]}, "initiatives[0].requires[0]: 'csat' is a metric, not an initiative"),
    ],
)
def test_bad_requires_are_reported_by_the_model_check(requires: dict, message: str) -> None:
    m = shop()
    m.add_initiative("a", "A", cost=1, requires=requires.get("a", []))
    m.add_initiative("b", "B", cost=1, requires=requires.get("b", []))
    with pytest.raises(cx.ModelError) as info:
        cx.plan(m, budget=10)
    assert message in str(info.value)


def test_an_initiative_costing_more_than_the_budget_is_said_plainly() -> None:
    m = shop()
    m.add_initiative("big", "Big", cost=5000, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("small", "Small", cost=10, requires=["big"])
    result = cx.plan(m, budget=1000)
    assert result.chosen == ()
    assert "initiative 'big' costs 5,000, more than the budget (1,000): it cannot be chosen" in result.notes
    assert ("initiative 'small' costs 10, but with what it requires ('big') 5,010, more than the budget "
            "(1,000): it cannot be chosen") in result.notes
    frontier = cx.plan_frontier(m, budgets=[100, 1000])
    assert "initiative 'big' costs 5,000, more than every budget (1,000): it cannot be chosen" in frontier.notes


def test_no_metrics_means_no_benefit_said_plainly() -> None:
    m = cx.Model(name="Bare")
    m.add_journey("j", "J", customers=10).add_touchpoint("t", "T")
    m.add_initiative("x", "X", cost=1)
    result = cx.plan(m, budget=100)
    assert (result.chosen, result.benefit, result.total_pain_before, result.expected_loss_before) == ((), 0.0, 0.0,
                                                                                                     0.0)
    assert any(n.startswith("the model has no metrics: total pain is 0") for n in result.notes)


def test_no_initiatives_is_said_plainly() -> None:
    result = cx.plan(shop(), budget=100)
    assert result.chosen == () and result.benefit == 0
    assert "the model has no initiatives: there is nothing to choose" in result.notes


def test_json_has_the_documented_keys() -> None:
    m = shop()
    m.add_initiative("a", "A", cost=100, improves=[{"metric": "csat", "to": 4}])
    data = json.loads(cx.plan(m, budget=100).to_json())
    assert data["chosen_ids"] == ["a"]
    assert data["cost"] == 100 and data["benefit"] == pytest.approx(250)
    assert data["total_pain_before"] == pytest.approx(1050) and data["total_pain_after"] == pytest.approx(800)
    assert data["total_pain_parts"]["after"] == {"customer": pytest.approx(800), "it": 0.0,
                                                 "total": pytest.approx(800)}
    assert [r["id"] for r in data["items"]] == ["a"]


def test_the_result_is_a_table_and_html() -> None:
    m = shop()
    m.add_initiative("a", "A", cost=100, improves=[{"metric": "csat", "to": 4}])
    m.add_initiative("b", "B", cost=150, improves=[{"metric": "wait", "to": 4}])
    result = cx.plan(m, budget=100)
    frame = result.to_frame()
    assert list(frame["id"]) == ["a", "b"] and list(frame["chosen"]) == [True, False]
    assert "<table" in result._repr_html_()
    assert repr(result).startswith("Plan for a budget of 100: 1 initiative(s), cost 100, benefit 250")


def test_the_plan_does_not_change_the_model() -> None:
    m = cx.examples.load("retail-bank")
    before = m.model_copy(deep=True)
    cx.plan(m, budget=500_000)
    assert m == before


def test_frontier_reports_each_budget_and_marginal_benefits() -> None:
    m = shop()
    m.add_initiative("a", "A", cost=100, improves=[{"metric": "csat", "to": 4}])   # 250
    m.add_initiative("b", "B", cost=150, improves=[{"metric": "wait", "to": 4}])   # 300
    m.add_initiative("c", "C", cost=50, improves=[{"metric": "wait", "to": 2}], requires=["b"])  # with b: 800
    frontier = cx.plan_frontier(m, budgets=[300, 0, 100, 200])
    frame = frontier.to_frame()
    assert list(frame["budget"]) == [0, 100, 200, 300]
    assert list(frame["chosen"]) == ["", "a", "b, c", "a, b, c"]   # a + b + c cost exactly 300
    assert list(frame["benefit"]) == pytest.approx([0, 250, 800, 1050])
    assert list(frame["added"]) == ["", "a", "b, c", "a"]
    assert list(frame["dropped"]) == ["", "", "a", ""]                       # the plans are not nested
    assert frame["benefit_per_extra_cost"].iloc[1] == pytest.approx(2.5)       # 250 / 100
    assert frame["benefit_per_extra_cost"].iloc[2] == pytest.approx(550 / 100)  # (800 - 250) / (200 - 100)
    marg = frontier.marginals.set_index(["budget", "id"])
    # Dropping b drops c too: the whole 800 for 200. Dropping c alone: wait back to 4, 800 - 300 = 500 for 50.
    assert marg.loc[(200.0, "b"), "marginal_benefit"] == pytest.approx(800)
    assert marg.loc[(200.0, "b"), "benefit_per_cost"] == pytest.approx(4)
    assert marg.loc[(200.0, "b"), "drops"] == "c"
    assert marg.loc[(200.0, "c"), "benefit_per_cost"] == pytest.approx(10)
    assert json.loads(frontier.to_json())["items"][2]["chosen_ids"] == ["b", "c"]


def test_two_hundred_initiatives_are_planned_exactly(tmp_path) -> None:
    import random

    rng = random.Random(7)
    m = cx.Model()
    j = m.add_journey("j", "J", customers=1000)
    for t in range(30):
        j.add_touchpoint(f"t{t}", f"T{t}", importance=rng.choice([0.5, 1, 2]))
        m.add_metric(f"m{t}", f"M{t}", of=f"t{t}", actual=rng.randint(1, 5), target=5, ideal=5)
    for k in range(200):
        improves = [{"metric": f"m{t}", "to": rng.randint(3, 5)} for t in rng.sample(range(30), rng.randint(1, 2))]
        requires = [f"i{r:03d}" for r in rng.sample(range(k), min(k, rng.choice([0, 0, 1])))]
        m.add_initiative(f"i{k:03d}", f"I{k}", cost=rng.randint(1, 20), improves=improves, requires=requires)
    result = cx.plan(m, budget=60)
    assert result.cost <= 60 and result.benefit > 0
    # Check optimality against the greedy of single initiatives (a weak bound that still can fail).
    assert result.benefit >= result.initiatives.query("cost_alone <= 60")["benefit_alone"].max()


# ------------------------------------------------------------------------------------- brute force
@settings(max_examples=60, deadline=None)
@given(portfolios(), st.integers(0, 40))
def test_the_plan_equals_brute_force_over_every_subset(model: cx.Model, budget: int) -> None:
    expected = brute_force_plan(model, budget)
    result = cx.plan(model, budget=budget)
    assert result.chosen == expected.chosen
    assert result.cost == pytest.approx(expected.cost)
    assert result.benefit == pytest.approx(expected.benefit, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(portfolios(element_metrics=True, max_initiatives=6), st.integers(0, 30))
def test_the_plan_equals_brute_force_with_element_metrics(model: cx.Model, budget: int) -> None:
    expected = brute_force_plan(model, budget)
    result = cx.plan(model, budget=budget)
    assert result.chosen == expected.chosen
    assert result.benefit == pytest.approx(expected.benefit, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(structural_portfolios(), st.integers(0, 8))
def test_plans_with_structural_initiatives_equal_brute_force(model: cx.Model, budget: int) -> None:
    expected = brute_force_plan(model, budget)
    result = cx.plan(model, budget=budget)
    assert result.chosen == expected.chosen
    assert result.cost == pytest.approx(expected.cost)
    assert result.benefit == pytest.approx(expected.benefit, rel=1e-9, abs=1e-6)


def test_a_structural_benefit_is_computed_on_the_changed_model_not_added_up() -> None:
    # Two providers in one redundancy group, each down 10 % of the time: the touchpoint is lost 1 %.
    # Raising either to 99.9 % cuts the loss to 0.1 x 0.001 = 0.01 %: benefits 1000 x (0.01 - 0.0001) each,
    # but both together are worth 1000 x (0.01 - 0.000001): far less than the sum of the two.
    m = cx.loads("""
cxgraph: 1
journeys:
  - id: pay
    name: Pay
    customers: 1000
    touchpoints:
      - {id: checkout, name: Checkout, depends_on: [{element: a, group: psp}, {element: b, group: psp}]}
elements:
  - {id: a, name: PSP A, kind: vendor, availability: 0.9}
  - {id: b, name: PSP B, kind: vendor, availability: 0.9}
initiatives:
  - {id: ha-a, name: Harden A, cost: 10, sets: [{element: a, availability: 0.999}]}
  - {id: ha-b, name: Harden B, cost: 10, sets: [{element: b, availability: 0.999}]}
""")
    one = cx.plan(m, budget=10)
    assert one.chosen == ("ha-a",) and one.benefit == pytest.approx(1000 * (0.01 - 0.0001))
    both = cx.plan(m, budget=20)
    assert both.chosen == ("ha-a", "ha-b") and both.benefit == pytest.approx(1000 * (0.01 - 0.000001))
    assert both.benefit < 2 * one.benefit
    assert both.initiatives.set_index("id").loc["ha-a", "changes"] == "sets a availability 0.999"


def test_plan_and_frontier_plot() -> None:
    import matplotlib.pyplot as plt

    m = cx.examples.load("retail-bank")
    for result in (cx.plan(m, budget=1e6), cx.plan_frontier(m, budgets=[0, 5e5, 1e6])):
        fig = result.plot()
        assert fig.axes
        plt.close(fig)


# ------------------------------------------------------------------------- wording does not matter
def reword(model: cx.Model, metric_id: str, alpha: float, beta: float) -> cx.Model:
    """The same model with one metric re-expressed by v -> alpha v + beta (better flips where alpha < 0)."""
    m = model.model_copy(deep=True)
    metric = next(x for x in m.metrics if x.id == metric_id)
    ideal = metric.ideal_value
    flipped = "lower" if metric.better == "higher" else "higher"
    fields = {"actual": alpha * metric.actual + beta, "target": alpha * metric.target + beta,
              "ideal": alpha * ideal + beta, "better": metric.better if alpha > 0 else flipped}
    index = m.metrics.index(metric)
    m.metrics[index] = cx.Metric(**{**metric.model_dump(exclude={"actual", "target", "ideal", "better"}), **fields})
    for ini in m.initiatives:
        for imp in ini.improves:
            if imp.metric == metric_id:
                imp.to = alpha * imp.to + beta
    return m


@settings(max_examples=40, deadline=None)
@given(portfolios(element_metrics=True, max_initiatives=5), st.integers(0, 20), st.data())
def test_rewording_a_metric_changes_no_gap_pain_priority_or_plan(model: cx.Model, budget: int,
                                                                 data: st.DataObject) -> None:
    if not model.metrics:
        return
    metric = data.draw(st.sampled_from([m.id for m in model.metrics]))
    alpha = data.draw(st.sampled_from([-1.0, 0.01, 100.0, -20.0, 2.5]))
    beta = data.draw(st.sampled_from([0.0, 100.0, -7.5]))
    other = reword(model, metric, alpha, beta)
    assert cx.gaps(other).metric_gap == pytest.approx(cx.gaps(model).metric_gap, abs=1e-9)
    assert cx.pain(other).pain == pytest.approx(cx.pain(model).pain, rel=1e-9, abs=1e-6)
    a, b = cx.plan(model, budget=budget), cx.plan(other, budget=budget)
    assert (a.chosen, a.benefit) == (b.chosen, pytest.approx(b.benefit, rel=1e-9, abs=1e-6))
    pa = cx.priorities(model, elements=True, level="all").score
    pb = cx.priorities(other, elements=True, level="all").score
    assert pa == pytest.approx(pb, rel=1e-9, abs=1e-12)


def test_availability_in_percent_and_unavailability_give_the_same_priorities_and_plans() -> None:
    bank = cx.examples.load("retail-bank")
    written_as_downtime = bank
    for metric in bank.metrics:
        if metric.id.startswith("m-avail-"):        # availability % -> unavailability %: v -> 100 - v
            written_as_downtime = reword(written_as_downtime, metric.id, -1.0, 100.0)
    renamed = {m.id: m.better for m in written_as_downtime.metrics if m.id.startswith("m-avail-")}
    assert set(renamed.values()) == {"lower"}
    assert cx.priorities(bank).to_dict()["items"] == cx.priorities(written_as_downtime).to_dict()["items"]
    for budget in (300_000, 1_000_000):
        a, b = cx.plan(bank, budget=budget), cx.plan(written_as_downtime, budget=budget)
        assert a.chosen == b.chosen and a.benefit == pytest.approx(b.benefit, rel=1e-12)


def test_the_budget_is_a_hard_limit_compared_exactly() -> None:
    m = shop()
    m.add_initiative("big", "Big", cost=2_000_000, improves=[{"metric": "wait", "to": 2}])
    m.add_initiative("small", "Small", cost=1_000_000, improves=[{"metric": "csat", "to": 4}])
    assert cx.plan(m, budget=2_999_999.997).chosen == ("big",)     # both cost 3,000,000: over by 0.003
    assert cx.plan(m, budget=3_000_000).chosen == ("big", "small")
    tiny = shop()
    tiny.add_initiative("a", "A", cost=0.1, improves=[{"metric": "csat", "to": 4}])
    tiny.add_initiative("b", "B", cost=0.2, improves=[{"metric": "wait", "to": 2}])
    assert cx.plan(tiny, budget=0.29999999999).chosen == ("b",)   # 0.1 + 0.2 = 0.30000000000000004
    assert cx.plan(tiny, budget=0.30000000000000004).chosen == ("a", "b")


@settings(max_examples=40, deadline=None)
@given(structural_portfolios(max_initiatives=8), st.integers(0, 12))
def test_ruling_structural_choices_out_by_bounds_changes_no_plan(model: cx.Model, budget: int) -> None:
    from cxgraph.analysis._plan_structure import Structures

    bounded, exhaustive = Structures(model), Structures(model)
    exhaustive._bounds = lambda options: None  # type: ignore[method-assign]
    chosen, variant, complete = bounded.best(budget)
    expected, expected_variant, _ = exhaustive.best(budget)
    assert complete and bounded.names(chosen) == exhaustive.names(expected)
    assert variant.burden(chosen) == pytest.approx(expected_variant.burden(expected), rel=1e-12)


def test_bounds_rule_out_structural_choices_that_cannot_win() -> None:
    # Three ways to harden the provider, each far dearer than what it saves: the budget is better spent on
    # the metric. Hardening saves at most 1000 x 0.1 = 100 interactions; the metric initiative saves 800.
    m = cx.loads("""
cxgraph: 1
journeys:
  - id: pay
    name: Pay
    customers: 1000
    touchpoints:
      - {id: checkout, name: Checkout, depends_on: [a]}
elements:
  - {id: a, name: PSP A, kind: vendor, availability: 0.9}
metrics:
  - {id: wait, name: Wait, of: checkout, actual: 10, target: 2, better: lower}
initiatives:
  - {id: fix-wait, name: Fix the wait, cost: 10, improves: [{metric: wait, to: 2}]}
  - {id: ha-1, name: Harden 1, cost: 10, sets: [{element: a, availability: 0.99}]}
  - {id: ha-2, name: Harden 2, cost: 10, sets: [{element: a, availability: 0.999}]}
  - {id: ha-3, name: Harden 3, cost: 10, sets: [{element: a, availability: 0.95}]}
""")
    from cxgraph.analysis._plan_structure import Structures

    s = Structures(m)
    chosen, _, complete = s.best(10)
    assert complete and s.names(chosen) == ["fix-wait"]
    assert s.ruled_out == 3 and s.evaluated == 1  # every hardening choice ruled out, none evaluated


def test_a_search_too_large_to_prove_says_so_and_gives_its_bound() -> None:
    # Thirteen ways to harden one provider (more than every combination can be tried for), one affordable at
    # a time. The best is the highest availability, 0.99 + 12 x 0.0007 = 0.9984: burden 1000 x 0.0016 = 1.6.
    # With only reliability settings the bound is the expected loss with every setting applied: the same 1.6.
    m = cx.Model(name="Thirteen")
    m.add_journey("pay", "Pay", customers=1000).add_touchpoint("checkout", "Checkout", depends_on=["a"])
    m.add_element("a", "PSP A", kind="vendor", availability=0.9)
    for k in range(13):
        m.add_initiative(f"h-{k:02d}", f"Harden {k}", cost=10,
                         sets=[{"element": "a", "availability": round(0.99 + k * 0.0007, 4)}])
    result = cx.plan(m, budget=10)
    assert result.chosen == ("h-12",) and not result.exact
    assert result.burden_after == pytest.approx(1.6)
    assert result.burden_bound == pytest.approx(1.6) and result.burden_bound <= result.burden_after
    assert "no plan has a burden below 1.6" in " ".join(result.notes)
    assert result.to_dict()["burden_bound"] == result.burden_bound


def test_the_bound_of_a_search_not_proven_best_lies_below_the_plan_found() -> None:
    m = cx.Model(name="Thirteen links")
    j = m.add_journey("pay", "Pay", customers=1000)
    for t in range(13):
        j.add_touchpoint(f"t{t}", f"T{t}", depends_on=["a"])
    m.add_element("a", "PSP A", kind="vendor", availability=0.9)
    for t in range(13):
        m.add_initiative(f"r-{t:02d}", f"Drop {t}", cost=1, removes=[{"from": f"t{t}", "element": "a"}])
    result = cx.plan(m, budget=3)
    # The best is any three removals (ties to the smallest ids): 10 of 13 touchpoints still fail 10 % of the time.
    assert result.chosen == ("r-00", "r-01", "r-02") and not result.exact
    assert result.burden_after == pytest.approx(1000 * 10 * 0.1)
    assert 0 <= result.burden_bound <= result.burden_after
