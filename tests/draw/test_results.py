import pytest

import cxgraph as cx
from cxgraph.draw._style import new_figure
from tests.draw import _geometry as G


@pytest.fixture(scope="module")
def bank() -> cx.Model:
    return cx.examples.load("retail-bank")


def _title(fig) -> str:
    return fig.texts[0].get_text()


def _check(fig) -> None:
    assert G.overlapping_texts(fig) == []
    assert G.texts_outside(fig) == []


def test_rankings_for_impact_pain_priorities_and_failures(bank) -> None:
    fig = cx.impact(bank).plot(top=5)
    assert _title(fig) == "Top 5 elements by customer impact"
    fig = cx.pain(bank).plot(top=5)
    assert _title(fig) == "Top 5 elements by customer pain"
    fig = cx.priorities(bank).plot(top=5)
    assert _title(fig) == "Top 5 capabilities by priority score"
    spof = cx.single_points_of_failure(bank)
    fig = spof.plot(top=6)
    frame = spof.to_frame().sort_values(["loss", "element"], ascending=[False, True]).head(6)
    bars = sorted(fig.axes[0].patches, key=lambda p: p.get_y())
    assert [b.get_width() for b in bars] == pytest.approx(list(frame["loss"]))
    _check(fig)


def test_what_if_without_a_model_is_weight_lost_per_journey(bank) -> None:
    result = cx.what_if(bank, fail=["payment-hub"])
    fig = result.plot()
    bars = sorted(fig.axes[0].patches, key=lambda p: p.get_y())
    assert [b.get_width() for b in bars] == pytest.approx(list(result.journeys["loss"]))
    _check(fig)
    fig = result.plot(model=bank)  # journey risk
    assert _title(fig).startswith("Customer weight lost when Payments hub fails")
    fig = result.plot(model=bank, focus="payment-hub")  # the blast radius
    assert "blast radius" in fig.axes[0].texts[0].get_text()


def test_plans_draw_benefit_against_cost(bank) -> None:
    frontier = cx.plan_frontier(bank, budgets=[0, 250_000, 500_000, 1_000_000])
    fig = frontier.plot()
    line = fig.axes[0].lines[0]
    assert list(line.get_xdata()) == [0, 250_000, 500_000, 1_000_000]
    assert list(line.get_ydata()) == pytest.approx(list(frontier.to_frame()["benefit"]))
    _check(fig)
    plan = cx.plan(bank, budget=500_000)
    fig = plan.plot()
    ys = fig.axes[0].lines[0].get_ydata()
    assert ys[0] == 0 and ys[-1] == pytest.approx(plan.benefit)
    assert fig.axes[0].lines[0].get_xdata()[-1] == pytest.approx(plan.cost)
    _check(fig)


def test_scorecard_compare_and_gaps(bank) -> None:
    card = cx.scorecard(bank)
    fig = card.plot(top=5)
    bars = sorted(fig.axes[0].patches, key=lambda p: p.get_y())
    assert [b.get_width() for b in bars] == pytest.approx(sorted(card.to_frame()["impact"], reverse=True)[:5])
    _check(fig)
    after = cx.examples.load("retail-bank")
    after.elements = [e for e in after.elements if e.id != "fraud-engine"]
    for item in [*after.touchpoints, *after.elements]:
        item.depends_on = [d for d in item.depends_on if d.element != "fraud-engine"]
    after.capabilities = [c.model_copy(update={"realized_by": [r for r in c.realized_by if r != "fraud-engine"]})
                          for c in after.capabilities]
    fig = cx.compare(bank, after).plot()
    _check(fig)
    gaps = cx.gaps(bank)
    fig = gaps.plot(top=4)
    labels = [t.get_text() for t in fig.axes[0].texts]
    expected = sorted(gaps.to_frame()["gap"], reverse=True)[:4]
    assert labels == [f"{g:.0%}" for g in expected]
    _check(fig)


def test_plot_into_an_axes_returns_it(bank) -> None:
    fig = new_figure(6, 4)
    ax = fig.add_subplot()
    assert cx.impact(bank).plot(ax=ax, top=3) is ax


def test_unknown_results_are_a_type_error() -> None:
    class Odd(cx.analysis.Result):
        pass

    with pytest.raises(TypeError, match="cannot plot 'Odd' objects"):
        Odd().plot()


def test_empty_models_draw_without_warnings() -> None:
    empty = cx.Model(name="Empty")
    fig = cx.draw.ranking(cx.impact(empty))
    assert "nothing to show" in [t.get_text() for t in fig.axes[0].texts]
    cx.draw.blueprint(empty)
    cx.draw.journey_risk(empty)
