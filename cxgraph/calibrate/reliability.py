"""Incidents and outages to reliability: failures per year and recovery hours, with their ranges.

Over a window of ``T`` years (365.25 days each), the outages of one element are its
outage records (incidents of an outage priority, outage records, degradations weighted by
the degradation weight) clipped to the window, where records that overlap in time are
one outage spanning their union (its weight: the largest of its records'). With ``n`` the
sum of the outages' weights and ``S`` the sum of weight × length in hours:

- ``failures_per_year = n / T``; its range is the 5–95 % interval of the Gamma posterior
  of the rate with a Jeffreys prior, ``Gamma(shape = n + 1/2, rate = T)``;
- ``recovery_hours = S / n`` (the mean outage length); its range is the 5–95 % interval of
  the mean of exponentially distributed repair times with a Jeffreys prior (the rate's
  posterior is ``Gamma(n, S)``, so the mean lies between ``S / G95`` and ``S / G05``, the
  ``G`` being that Gamma's quantiles).

The point estimate is the range's ``mode`` (the range is widened to hold it, which only
happens for ``n = 0``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import gammaincinv

from ..errors import AnalysisInputError

__all__ = ["YEAR_SECONDS", "Window", "estimate_reliability", "merge_outages"]

YEAR_SECONDS = 365.25 * 86400.0
LOW, HIGH = 0.05, 0.95


@dataclass(frozen=True)
class Window:
    """The time span evidence is counted over, in seconds since the epoch (UTC).

    Examples
    --------
    >>> from cxgraph.calibrate.reliability import Window
    >>> Window(0, 365.25 * 86400).years
    1.0
    >>> Window(5, 5)
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: the window from 1970-01-01 00:00:05 to 1970-01-01 00:00:05 is empty: ...
    """

    start: float
    end: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.start) and np.isfinite(self.end)) or self.end <= self.start:
            raise AnalysisInputError(f"the window from {self.text(self.start)} to {self.text(self.end)} is empty: "
                                     f"evidence needs a window of positive length (give window= or --window-days)")

    @staticmethod
    def text(t: float) -> str:
        """Format a moment as ``YYYY-MM-DD HH:MM:SS`` (UTC)."""
        if not np.isfinite(t):
            return "(none)"
        return str(pd.Timestamp(int(t * 1e6), unit="us"))[:19]

    def holds(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Return which records overlap the window (a record that only touches its edge does not).

        Examples
        --------
        >>> import numpy as np
        >>> from cxgraph.calibrate.reliability import Window
        >>> Window(10, 20).holds(np.array([0., 5, 20, 15]), np.array([10., 12, 30, 15])).tolist()
        [False, True, False, True]
        """
        instant = (start == end) & (start >= self.start) & (start <= self.end)
        return ((start < self.end) & (end > self.start)) | instant

    @property
    def years(self) -> float:
        """Length in years of 365.25 days."""
        return (self.end - self.start) / YEAR_SECONDS

    @property
    def days(self) -> float:
        """Length in days."""
        return (self.end - self.start) / 86400.0


def merge_outages(item: np.ndarray, start: np.ndarray, end: np.ndarray, weight: np.ndarray) -> pd.DataFrame:
    """Merge overlapping intervals of each item into one spanning their union (the largest weight wins).

    Intervals that touch (one ends when the next starts) are merged too. Columnar: one sort,
    a grouped running maximum, and ``reduceat``.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.calibrate.reliability import merge_outages
    >>> merge_outages(np.array(["a", "a", "a", "b"], dtype=object), np.array([0., 5., 20., 1.]),
    ...               np.array([10., 12., 30., 2.]), np.array([1., .5, 1., 1.])).values.tolist()
    [['a', 0.0, 12.0, 1.0], ['a', 20.0, 30.0, 1.0], ['b', 1.0, 2.0, 1.0]]
    """
    if not len(item):
        return pd.DataFrame({"id": pd.Series([], dtype=object), "start": [], "end": [], "weight": []})
    codes, uniques = pd.factorize(pd.Series(item, dtype=object), sort=True)
    order = np.lexsort((start, codes))
    c, s, e, w = codes[order], start[order], end[order], weight[order]
    reach = pd.Series(e).groupby(c).cummax().to_numpy()
    first = np.ones(len(c), dtype=bool)
    first[1:] = (c[1:] != c[:-1]) | (s[1:] > reach[:-1])
    at = np.flatnonzero(first)
    return pd.DataFrame({"id": np.asarray(uniques, dtype=object)[c[at]], "start": s[at],
                         "end": np.maximum.reduceat(e, at), "weight": np.maximum.reduceat(w, at)})


def _gamma(q: float, shape: np.ndarray) -> np.ndarray:
    return np.where(shape > 0, gammaincinv(np.maximum(shape, 1e-300), q), 0.0)


def estimate_reliability(item: np.ndarray, start: np.ndarray, end: np.ndarray, weight: np.ndarray,
                         window: Window) -> pd.DataFrame:
    """Estimate failures per year and recovery hours of every item from its outage records.

    ``item`` holds each record's item id; records of weight 0 (incidents that are not
    outages) count as evidence that the item was watched (``records``) but not as outages.

    Returns
    -------
    pandas.DataFrame
        One row per item (sorted by id): ``id``, ``records``, ``outages`` (merged, weighted),
        ``downtime_hours``, ``failures_per_year`` with ``fpy_low`` and ``fpy_high``,
        ``recovery_hours`` with ``rh_low`` and ``rh_high`` (NaN without outages).

    Examples
    --------
    Two outages of 2 and 4 hours over one year:

    >>> import numpy as np
    >>> from cxgraph.calibrate.reliability import Window, estimate_reliability
    >>> h = 3600.0
    >>> r = estimate_reliability(np.array(["crm", "crm"], dtype=object), np.array([0., 100 * h]),
    ...                          np.array([2 * h, 104 * h]), np.ones(2), Window(0, 365.25 * 86400))
    >>> r[["id", "outages", "failures_per_year", "recovery_hours"]].values.tolist()
    [['crm', 2.0, 2.0, 3.0]]
    >>> round(float(r.fpy_low[0]), 4), round(float(r.fpy_high[0]), 4)
    (0.5727, 5.5352)
    """
    inside = window.holds(start, end)
    s = np.maximum(start[inside], window.start)
    e = np.minimum(end[inside], window.end)
    ids = item[inside]
    records = pd.Series(ids, dtype=object).value_counts().sort_index()
    outage = weight[inside] > 0
    merged = merge_outages(ids[outage], s[outage], e[outage], weight[inside][outage])
    merged["hours"] = (merged["end"] - merged["start"]) / 3600.0 * merged["weight"]
    per = merged.groupby("id").agg(outages=("weight", "sum"), downtime_hours=("hours", "sum"))
    out = pd.DataFrame({"records": records}).join(per, how="left").fillna({"outages": 0.0, "downtime_hours": 0.0})
    n, hours, years = out["outages"].to_numpy(), out["downtime_hours"].to_numpy(), window.years
    out["failures_per_year"] = n / years
    out["fpy_low"] = np.minimum(_gamma(LOW, n + 0.5) / years, out["failures_per_year"])
    out["fpy_high"] = _gamma(HIGH, n + 0.5) / years
    with np.errstate(divide="ignore", invalid="ignore"):
        rh = np.where(n > 0, hours / np.where(n > 0, n, 1), np.nan)
        out["recovery_hours"] = rh
        out["rh_low"] = np.where(n > 0, np.minimum(hours / _gamma(HIGH, n), rh), np.nan)
        out["rh_high"] = np.where(n > 0, np.maximum(hours / np.where(n > 0, _gamma(LOW, n), 1), rh), np.nan)
    out.index.name = "id"
    return out.reset_index()
