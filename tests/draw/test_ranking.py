import numpy as np
import pytest

import cxgraph as cx
from tests import reference as ref
from tests.draw import _geometry as G


@pytest.fixture(scope="module")
def bank() -> cx.Model:
    return cx.examples.load("retail-bank")


def _bars(fig):
    ax = fig.axes[0]
    return ax, sorted(ax.patches, key=lambda p: p.get_y())


def test_bars_are_the_top_impacts_largest_first(bank) -> None:
    expected = sorted(((ref.impact(bank, [e.id])[0], e.id, e.name) for e in bank.elements),
                      key=lambda r: (-r[0], r[1]))[:8]
    fig = cx.draw.ranking(cx.impact(bank), top=8)
    ax, bars = _bars(fig)
    assert [b.get_width() for b in bars] == pytest.approx([r[0] for r in expected], rel=1e-9)
    assert [t.get_text() for t in ax.get_yticklabels()] == [r[2] for r in expected]
    assert G.overlapping_texts(fig) == [] and G.texts_outside(fig) == []


def test_capabilities_and_all_rows(bank) -> None:
    fig = cx.draw.ranking(cx.impact(bank), top=None, type="capability")
    _, bars = _bars(fig)
    assert len(bars) == len(bank.capabilities)
    widths = [b.get_width() for b in bars]
    assert widths == sorted(widths, reverse=True)


def test_sensitivity_whiskers_are_the_5_to_95_range(bank) -> None:
    sens = cx.sensitivity(bank, samples=60, seed=3, progress=False)
    table = sens.to_frame()
    elements = table[table["type"] == "element"].sort_values(["impact", "id"], ascending=[False, True]).head(5)
    fig = cx.draw.ranking(sens, top=5)
    ax, bars = _bars(fig)
    assert [b.get_width() for b in bars] == pytest.approx(list(elements["impact"]))
    segments = ax.collections[0].get_segments()  # one horizontal whisker per bar
    lows = [min(s[:, 0]) for s in segments]
    highs = [max(s[:, 0]) for s in segments]
    assert lows == pytest.approx(list(elements["impact_p05"]))
    assert highs == pytest.approx(list(elements["impact_p95"]))
    assert any("5–95%" in t.get_text() for t, _ in G.rendered_texts(fig))
    # the same whiskers on an impact ranking given the sensitivity result
    fig2 = cx.draw.ranking(cx.impact(bank), top=5, sensitivity=sens)
    assert np.allclose(fig2.axes[0].collections[0].get_segments(), segments)


def test_priorities_rank_capabilities_by_score(bank) -> None:
    result = cx.priorities(bank)
    frame = result.to_frame()
    caps = frame[frame["type"] == "capability"].sort_values(["score", "id"], ascending=[False, True]).head(6)
    fig = cx.draw.ranking(result, top=6)
    ax, bars = _bars(fig)
    assert [b.get_width() for b in bars] == pytest.approx(list(caps["score"]))
    assert ax.get_xlabel() == "priority score"


def test_draws_into_an_axes(bank) -> None:
    from cxgraph.draw._style import new_figure

    fig = new_figure(6, 4)
    ax = fig.add_subplot()
    assert cx.draw.ranking(cx.impact(bank), top=4, ax=ax) is ax
    assert len(ax.patches) == 4


def test_bad_arguments(bank) -> None:
    result = cx.impact(bank)
    with pytest.raises(cx.AnalysisInputError, match="type must be"):
        cx.draw.ranking(result, type="team")
    with pytest.raises(cx.AnalysisInputError, match="top"):
        cx.draw.ranking(result, top=0)
    with pytest.raises(TypeError, match="cannot rank a dict"):
        cx.draw.ranking({})
    with pytest.raises(cx.AnalysisInputError, match="SensitivityResult"):
        cx.draw.ranking(result, sensitivity=result)
