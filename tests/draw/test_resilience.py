"""The resilience figures: nothing cut or overlapping, units on every axis, breaches marked."""

from __future__ import annotations

import pytest

import cxgraph as cx

from ..conftest import DATA
from ._geometry import overlapping_texts, rendered_texts, texts_outside


@pytest.fixture(scope="module")
def result() -> object:
    model = cx.load(DATA / "resilience.yaml")
    return cx.resilience(model, scenarios=[*model.scenarios, *cx.plausible_scenarios(model)])


def test_heatmap_marks_breaches_and_fits(result: object) -> None:
    fig = cx.draw.disruption_heatmap(result)
    texts = [t.get_text() for t, _ in rendered_texts(fig)]
    assert texts.count("3 h !") == 1  # Pay under the loss of the north data centre
    assert texts_outside(fig) == [] and overlapping_texts(fig) == []
    assert not any("…" in t for t in texts)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("journey", "scenario")
    assert fig.axes[1].get_ylabel() == "disruption (hours)"


def test_timeline_draws_tolerance_and_fits(result: object) -> None:
    fig = cx.draw.disruption_timeline(result, "north", "pay")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "hours since the scenario began (h)"
    assert ax.get_ylabel() == "customers unable to complete (%)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "tolerance: 2 h" in labels and "disrupted: 3 h" in labels
    assert texts_outside(fig) == [] and overlapping_texts(fig) == []


def test_plot_dispatches(result: object) -> None:
    fig = result.plot()
    assert fig.axes[0].get_ylabel() == "scenario"
    fig = result.plot(scenario="north", journey="pay")
    assert fig.axes[0].get_ylabel() == "customers unable to complete (%)"


def test_other_results_are_refused() -> None:
    with pytest.raises(cx.AnalysisInputError, match=r"cx\.resilience"):
        cx.draw.disruption_heatmap(cx.impact(cx.examples.load("retail-bank")))


def test_long_names_wrap_and_are_never_cut() -> None:
    model = cx.load(DATA / "resilience.yaml")
    model.journeys[0].name = "Pay a bill from the current account through the mobile app or the website"
    model.scenarios[0].name = "Loss of the north data centre after a flood in the basement that houses the generators"
    fig = cx.draw.disruption_heatmap(cx.resilience(model))
    texts = [t.get_text() for t, _ in rendered_texts(fig)]
    assert not any("…" in t for t in texts)
    assert " ".join(" ".join(t.split()) for t in texts).count("houses the generators") == 1
    assert texts_outside(fig) == [] and overlapping_texts(fig) == []
