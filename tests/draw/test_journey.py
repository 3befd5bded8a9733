import pytest

import cxgraph as cx
from cxgraph.model import point
from tests import reference as ref
from tests.draw import _geometry as G


@pytest.fixture(scope="module")
def bank() -> cx.Model:
    return cx.examples.load("retail-bank")


def _bars(fig) -> list:
    return sorted(fig.axes[0].patches, key=lambda p: (p.get_y(), p.zorder))


def test_one_bar_per_touchpoint_as_long_as_its_weight(bank) -> None:
    fig = cx.draw.journey_risk(bank)
    bars = _bars(fig)
    # weight = customers x reach x importance, e.g. "Fill in the application": 12,000 x 0.8 x 1.5 = 14,400
    expected = [point(j.customers) * point(t.reach) * point(t.importance) for j in bank.journeys for t in j.touchpoints]
    assert [b.get_width() for b in bars] == pytest.approx(expected)
    assert bars[2].get_width() == pytest.approx(14_400)
    assert G.overlapping_texts(fig) == [] and G.texts_outside(fig) == []


def test_counts_single_points_of_failure_per_touchpoint(bank) -> None:
    fig = cx.draw.journey_risk(bank, journey="card-help")
    texts = [t for t, _ in G.rendered_texts(fig)]
    for tp in bank.journeys[2].touchpoints:
        # an element is a single point of failure of tp when its failure alone loses tp entirely
        n = sum(1 for e in bank.elements if ref.degradation(bank, {e.id: 1.0})[tp.id] >= 1 - 1e-12)
        word = "point" if n == 1 else "points"
        assert any(t.get_text().endswith(f"· {n} single {word} of failure") for t in texts), tp.id


def test_a_what_if_shows_the_weight_lost(bank) -> None:
    d = ref.degradation(bank, {"core-db": 1.0})
    fig = cx.draw.journey_risk(bank, cx.what_if(bank, fail=["core-db"]), journey="make-payment")
    journey = bank.journeys[3]
    weights = [point(journey.customers) * point(t.reach) * point(t.importance) for t in journey.touchpoints]
    ax = fig.axes[0]
    dark = [p for p in ax.patches if p.zorder == 3]
    lost = [w * d[t.id] for w, t in zip(weights, journey.touchpoints, strict=True) if d[t.id] > 0]
    assert sorted(p.get_width() for p in dark) == pytest.approx(sorted(lost))
    assert "Core banking database" in fig.texts[0].get_text()
    assert G.overlapping_texts(fig) == []


def test_bad_input(bank) -> None:
    with pytest.raises(cx.UnknownIdError):
        cx.draw.journey_risk(bank, journey="nope")
    with pytest.raises(cx.AnalysisInputError, match="ImpactResult or a WhatIfResult"):
        cx.draw.journey_risk(bank, cx.gaps(bank))
