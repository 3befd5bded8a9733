from __future__ import annotations

import math

import numpy as np
import pytest

from cxgraph.calibrate.surveys import Z90, guess_scale, score_surveys


def _one(scores: list[float], scale: str) -> tuple[float, float, float, float]:
    table, _ = score_surveys(np.array(["t"] * len(scores), dtype=object), np.array(scores, dtype=float), scale)
    row = table.iloc[0]
    return row.n, row.value, row.low, row.high


def test_nps_by_hand() -> None:
    # 2 promoters, 1 passive, 1 detractor of 4: NPS 25; var = .5 + .25 - .0625 = .6875
    n, value, low, high = _one([9, 10, 8, 2], "nps")
    se = 100 * math.sqrt(0.6875 / 4)
    assert (n, value) == (4, 25.0)
    assert low == pytest.approx(25 - Z90 * se) and high == pytest.approx(25 + Z90 * se)
    assert _one([10, 10], "nps")[1:] == (100.0, 100.0, 100.0)


def test_csat_mean_and_t_interval() -> None:
    _, value, low, high = _one([5, 4, 4, 3, 5], "csat")
    # mean 4.2, sd sqrt(0.7), t(0.95, 4) = 2.131847
    half = 2.1318467863266495 * math.sqrt(0.7) / math.sqrt(5)
    assert value == pytest.approx(4.2) and low == pytest.approx(4.2 - half)
    assert high == pytest.approx(min(5, 4.2 + half))


def test_top_two_box_wilson() -> None:
    _, value, low, high = _one([5, 4, 3, 1], "top2")
    p, z2 = 0.5, Z90 ** 2
    centre, half = (p + z2 / 8) / (1 + z2 / 4), Z90 * math.sqrt(p * p / 4 + z2 / 64) / (1 + z2 / 4)
    assert value == 50.0 and low == pytest.approx(100 * (centre - half))
    assert high == pytest.approx(100 * (centre + half))


def test_off_scale_scores_are_marked() -> None:
    _, off = score_surveys(np.array(["t"] * 3, dtype=object), np.array([11, 7.5, 9.0]), "nps")
    assert off.tolist() == [True, True, False]


def test_scale_guess() -> None:
    assert guess_scale("likelihood to recommend", np.array([3.0])) == "nps"
    assert guess_scale("Q1", np.array([1.0, 5.0])) == "csat"
