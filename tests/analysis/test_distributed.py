"""impact, risk, sensitivity and resilience run on a Ray or Dask cluster give the serial result bit for bit."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import cxgraph as cx

BANK = cx.examples.load("retail-bank")


def assert_same(serial: Any, distributed: Any) -> None:
    pd.testing.assert_frame_equal(serial.to_frame(), distributed.to_frame(), check_exact=True)
    assert serial.to_json() == distributed.to_json()


@pytest.mark.parametrize("measure", ["interactions", "customers"])
def test_impact(executor: Any, measure: str) -> None:
    serial = cx.impact(BANK, measure=measure)
    distributed = cx.impact(BANK, measure=measure, executor=executor)
    assert_same(serial, distributed)
    pd.testing.assert_frame_equal(serial.by_journey, distributed.by_journey, check_exact=True)


def test_risk_exact(executor: Any) -> None:
    serial = cx.risk(BANK)
    assert serial.method == "exact"
    assert_same(serial, cx.risk(BANK, executor=executor))


def test_risk_sampled(executor: Any) -> None:
    serial = cx.risk(BANK, samples=3000, seed=5)
    assert serial.method.startswith("sampled")
    assert_same(serial, cx.risk(BANK, samples=3000, seed=5, executor=executor))


@pytest.mark.parametrize("measure", ["interactions", "customers"])
def test_sensitivity(executor: Any, measure: str) -> None:
    serial = cx.sensitivity(BANK, samples=60, seed=2, progress=False, measure=measure)
    distributed = cx.sensitivity(BANK, samples=60, seed=2, progress=False, measure=measure, executor=executor)
    assert_same(serial, distributed)
    pd.testing.assert_frame_equal(serial.sample_frame("pain"), distributed.sample_frame("pain"), check_exact=True)


def test_resilience(executor: Any) -> None:
    assert_same(cx.resilience(BANK, scenarios="plausible"), cx.resilience(BANK, scenarios="plausible",
                                                                          executor=executor))
