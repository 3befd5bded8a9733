from __future__ import annotations

import numpy as np
import pytest

from cxgraph.calibrate.turnaround import case_durations, step_turnarounds, summarise

M = 60.0


def test_turnaround_is_end_minus_start_or_time_since_previous_event() -> None:
    case = np.array(["a", "a", "a", "b", "b"], dtype=object)
    time = np.array([10, 40, 25, 0, 7.0]) * M         # out of order within case a
    start = np.array([0, np.nan, np.nan, np.nan, 5.0]) * M
    out = step_turnarounds(case, time, start) / M
    assert out[0] == 10 and out[2] == 15 and out[1] == 15   # 25 - 10, then 40 - 25
    assert np.isnan(out[3]) and out[4] == 2


def test_percentiles_by_hand() -> None:
    # 10, 20, 30, 45 minutes: median 25; p10 at position 0.3 -> 13; p90 at 2.7 -> 40.5
    s = summarise(np.array(["t"] * 4, dtype=object), np.array([20, 10, 30, 45.0]) * M,
                  np.array(list("abcd"), dtype=object), 50).iloc[0]
    assert (s.n, s.cases) == (4, 4)
    assert s.p50 / M == pytest.approx(25) and s.p10 / M == pytest.approx(13) and s.p90 / M == pytest.approx(40.5)
    assert (s.low, s.value, s.high) == (s.p10, s.p50, s.p90)
    high = summarise(np.array(["t"] * 4, dtype=object), np.array([20, 10, 30, 45.0]) * M,
                     np.array(list("abcd"), dtype=object), 95).iloc[0]
    assert high.value / M == pytest.approx(42.75) and high.high == high.value   # the range widens to hold it


def test_case_journey_is_the_majority_of_matched_events() -> None:
    spans = case_durations(np.array(["c"] * 3, dtype=object), np.array([0, 5, 9.0]), np.full(3, np.nan),
                           np.array(["j2", "j1", "j1"], dtype=object), {"j1": 1, "j2": 0})
    assert spans.values.tolist() == [["c", 9.0, "j1"]]
