"""Journey event logs to turnaround: how long each step takes, and each journey end to end.

Events are sorted by case and time. A step's turnaround is its end minus its start where
the log gives both; otherwise the time since the case's previous event (the first event
of a case, without a start, has none and is counted). A case's duration is from its
earliest start (or event) to its last event; a case belongs to the journey most of its
matched events belong to (ties: the journey that comes first in the model).

Distributions are summarised by percentiles (linear interpolation between order
statistics, as ``numpy.percentile`` does by default): the metric's value is the median (or
the percentile asked for) and its range the 10th to the 90th percentile (widened to hold
the value when a percentile outside that range is asked for).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PERCENTILES", "case_durations", "step_turnarounds", "summarise"]

PERCENTILES = (10, 25, 50, 75, 90)


def step_turnarounds(case: np.ndarray, time: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Return each event's turnaround in seconds (NaN for a case's first event without a start).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.calibrate.turnaround import step_turnarounds
    >>> step_turnarounds(np.array(["a", "a", "b", "a"], dtype=object), np.array([0., 60., 5., 30.]),
    ...                  np.array([np.nan, np.nan, 1., np.nan])).tolist()
    [nan, 30.0, 4.0, 30.0]
    """
    codes = pd.factorize(pd.Series(case, dtype=object), sort=False)[0]
    order = np.lexsort((time, codes))
    c, t = codes[order], time[order]
    previous = np.empty(len(t))
    previous[:1] = np.nan
    previous[1:] = np.where(c[1:] == c[:-1], t[:-1], np.nan)
    out = np.empty(len(t))
    out[order] = np.where(np.isnan(start[order]), t - previous, t - start[order])
    return out


def case_durations(case: np.ndarray, time: np.ndarray, start: np.ndarray, journey: np.ndarray,
                   journey_order: dict[str, int]) -> pd.DataFrame:
    """Return one row per case: ``case``, ``duration`` (seconds) and ``journey`` (``None`` if no event matched one).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.calibrate.turnaround import case_durations
    >>> case_durations(np.array(["a", "a", "b"], dtype=object), np.array([10., 70., 5.]),
    ...                np.array([0., np.nan, np.nan]), np.array(["j", None, None], dtype=object),
    ...                {"j": 0}).values.tolist()
    [['a', 70.0, 'j'], ['b', 0.0, None]]
    """
    frame = pd.DataFrame({"case": pd.Series(case, dtype=object), "first": np.fmin(start, time), "last": time})
    spans = frame.groupby("case", sort=True).agg(first=("first", "min"), last=("last", "max"))
    spans["duration"] = spans["last"] - spans["first"]
    matched = pd.DataFrame({"case": case, "journey": journey})[pd.notna(journey)]
    if len(matched):
        counts = matched.groupby(["case", "journey"]).size().rename("n").reset_index()
        counts["rank"] = counts["journey"].map(journey_order)
        counts = counts.sort_values(["case", "n", "rank"], ascending=[True, False, True])
        chosen = counts.drop_duplicates("case").set_index("case")["journey"]
        spans["journey"] = chosen.reindex(spans.index).astype(object)
    else:
        spans["journey"] = None
    spans["journey"] = spans["journey"].where(pd.notna(spans["journey"]), None)
    return spans.reset_index()[["case", "duration", "journey"]]


def summarise(key: np.ndarray, value: np.ndarray, case: np.ndarray, percentile: float) -> pd.DataFrame:
    """Percentiles of ``value`` (seconds) per ``key``, with how many values and how many cases.

    Returns columns ``id``, ``n``, ``cases``, ``p10``, ``p25``, ``p50``, ``p75``, ``p90``,
    ``value`` (the ``percentile``-th), ``low`` and ``high`` (the range written), sorted by id.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.calibrate.turnaround import summarise
    >>> s = summarise(np.array(["t"] * 5, dtype=object), np.array([1., 2., 3., 4., 100.]),
    ...               np.array(list("abcde"), dtype=object), 50)
    >>> s[["id", "n", "cases", "p10", "p50", "p90", "value", "low", "high"]].round(6).values.tolist()
    [['t', 5, 5, 1.4, 3.0, 61.6, 3.0, 1.4, 61.6]]
    """
    ok = pd.notna(key) & np.isfinite(value)
    frame = pd.DataFrame({"id": key[ok], "value": value[ok], "case": case[ok]})
    columns = ["id", "n", "cases", *(f"p{p}" for p in PERCENTILES), "value", "low", "high"]
    if not len(frame):
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby("id", sort=True)["value"]
    qs = sorted({*(p / 100 for p in PERCENTILES), percentile / 100})
    quant = grouped.quantile(qs).unstack()
    out = pd.DataFrame({"n": grouped.size(), "cases": frame.groupby("id", sort=True)["case"].nunique()})
    for p in PERCENTILES:
        out[f"p{p}"] = quant[p / 100]
    out["value"] = quant[percentile / 100]
    out["low"] = np.minimum(out["p10"], out["value"])
    out["high"] = np.maximum(out["p90"], out["value"])
    out.index.name = "id"
    return out.reset_index()[columns]
