from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from scipy import stats

import cxgraph as cx
from cxgraph.calibrate.reliability import Window, estimate_reliability, merge_outages
from tests.strategies import outage_records

H = 3600.0
YEAR = 365.25 * 86400


def test_overlapping_incidents_are_one_outage_spanning_their_union() -> None:
    ids = np.array(["a", "a", "a", "a", "b"], dtype=object)
    merged = merge_outages(ids, np.array([0, 2, 4, 20, 0.0]) * H, np.array([3, 5, 4.5, 21, 1.0]) * H, np.ones(5))
    assert merged[["id"]].values.ravel().tolist() == ["a", "a", "b"]
    assert (merged["start"] / H).tolist() == [0, 20, 0] and (merged["end"] / H).tolist() == [5, 21, 1]


def test_hand_computed_rates_and_ranges() -> None:
    # a: outages of 2 h and 4 h (the second is two overlapping incidents, 100-103 h and 102-104 h)
    ids = np.array(["a", "a", "a", "b"], dtype=object)
    start = np.array([0, 100, 102, 50.0]) * H
    end = np.array([2, 103, 104, 51.0]) * H
    weight = np.array([1, 1, 1, 0.0])   # b only has an incident that is not an outage
    r = estimate_reliability(ids, start, end, weight, Window(0, 2 * YEAR)).set_index("id")
    assert r.loc["a", "records"] == 3 and r.loc["a", "outages"] == 2
    assert r.loc["a", "downtime_hours"] == 6
    assert r.loc["a", "failures_per_year"] == 1.0           # 2 outages / 2 years
    assert r.loc["a", "recovery_hours"] == 3.0              # 6 h / 2
    # Gamma(2.5, rate 2 years): the 5 % and 95 % quantiles / 2
    assert r.loc["a", "fpy_low"] == pytest.approx(stats.gamma.ppf(0.05, 2.5) / 2, rel=1e-12)
    assert r.loc["a", "fpy_high"] == pytest.approx(stats.gamma.ppf(0.95, 2.5) / 2, rel=1e-12)
    # chi-square form of the same: chi2(5) quantiles / (2 T)
    assert r.loc["a", "fpy_high"] == pytest.approx(11.0704977 / 4, rel=1e-7)
    # mean repair time: 6 h / Gamma(2, 1) quantiles
    assert r.loc["a", "rh_low"] == pytest.approx(6 / stats.gamma.ppf(0.95, 2), rel=1e-12)
    assert r.loc["a", "rh_high"] == pytest.approx(6 / stats.gamma.ppf(0.05, 2), rel=1e-12)
    # no outage: rate 0 with the Jeffreys upper bound, no recovery time
    assert r.loc["b", "failures_per_year"] == 0 and r.loc["b", "fpy_low"] == 0
    assert r.loc["b", "fpy_high"] == pytest.approx(stats.gamma.ppf(0.95, 0.5) / 2, rel=1e-12)
    assert math.isnan(r.loc["b", "recovery_hours"])


def test_window_clips_and_weights() -> None:
    ids = np.array(["a", "a"], dtype=object)
    # the first outage starts before the window: only its last hour counts; a half-weight degradation of 4 h
    r = estimate_reliability(ids, np.array([-2, 10.0]) * H, np.array([1, 14.0]) * H, np.array([1, 0.5]),
                             Window(0, YEAR)).iloc[0]
    assert r.outages == 1.5 and r.downtime_hours == 1 + 2 and r.recovery_hours == 2.0


def test_zero_length_window_is_an_error() -> None:
    with pytest.raises(cx.AnalysisInputError, match="is empty"):
        Window(10, 10)


def _merged_by_hand(ids: list[str], starts: list[float], ends: list[float], weights: list[float]) -> list[tuple]:
    """The slow reference: one element at a time, intervals in order, extended while they overlap or touch."""
    out = []
    for item in sorted(set(ids)):
        spans = sorted((s, e, w) for i, s, e, w in zip(ids, starts, ends, weights, strict=True) if i == item)
        current = list(spans[0])
        for s, e, w in spans[1:]:
            if s <= current[1]:
                current[1], current[2] = max(current[1], e), max(current[2], w)
            else:
                out.append((item, *current))
                current = [s, e, w]
        out.append((item, *current))
    return out


@given(outage_records())
def test_merging_matches_the_reference(records) -> None:
    ids, starts, ends, weights = records
    merged = merge_outages(np.array(ids, dtype=object), np.array(starts), np.array(ends), np.array(weights))
    assert [tuple(r) for r in merged.itertuples(index=False)] == _merged_by_hand(ids, starts, ends, weights)
