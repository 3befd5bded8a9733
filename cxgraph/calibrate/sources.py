"""Reading the evidence named in a call of :func:`cxgraph.calibrate`: paths, lists of paths, or tables already read."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ..io.evidence import (
    EvidenceTable,
    read_event_log,
    read_openslo,
    read_pagerduty,
    read_servicenow_incidents,
    read_servicenow_outages,
    read_survey,
)
from .reliability import Window

__all__ = ["read_sources", "window_from"]

Spec = str | Path | EvidenceTable | None


def _listed(spec: Any) -> list[Any]:
    if spec is None:
        return []
    return list(spec) if isinstance(spec, list | tuple) else [spec]


def read_sources(kind: str, spec: Any, *, columns: Mapping[str, str] | None = None,
                 outage_priorities: Collection[int] | None = (1, 2), include_planned: bool = False,
                 degradation_weight: float = 0.0, dayfirst: bool = False) -> list[EvidenceTable]:
    """Read every file given for one kind of evidence (an :class:`EvidenceTable` passes through).

    Examples
    --------
    >>> from cxgraph.calibrate.sources import read_sources
    >>> read_sources("incidents", None)
    []
    """
    tables = []
    for item in _listed(spec):
        if isinstance(item, EvidenceTable):
            tables.append(item)
            continue
        if not isinstance(item, str | Path):
            raise AnalysisInputError(f"{kind}: expected a file path or a table read by cxgraph.io.evidence, "
                                     f"got {type(item).__name__}")
        path = Path(item)
        if not path.is_file():
            raise FileNotFoundError(2, "no such file", str(path))
        if kind == "incidents" and path.suffix.lower() == ".json":
            tables.append(read_pagerduty(path, outage_priorities=outage_priorities))
        elif kind == "incidents":
            tables.append(read_servicenow_incidents(path, columns=columns, outage_priorities=outage_priorities,
                                                    dayfirst=dayfirst))
        elif kind == "outages":
            tables.append(read_servicenow_outages(path, columns=columns, include_planned=include_planned,
                                                  degradation_weight=degradation_weight, dayfirst=dayfirst))
        elif kind == "slos":
            tables.append(read_openslo(path))
        elif kind == "events":
            tables.append(read_event_log(path, columns=columns, dayfirst=dayfirst))
        elif kind == "surveys":
            tables.append(read_survey(path, columns=columns))
        else:  # pragma: no cover - the kinds are fixed by calibrate()
            raise AnalysisInputError(f"unknown kind of evidence {kind!r}")
    return tables


def _moment(value: Any, what: str) -> float:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise AnalysisInputError(f"window {what}: cannot read {value!r} as a date and time") from None
    if stamp is pd.NaT:
        raise AnalysisInputError(f"window {what}: cannot read {value!r} as a date and time")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return float(stamp.value) / 1e9


def window_from(window: Any, starts: list[float], ends: list[float]) -> Window | None:
    """Return the window evidence is counted over: given, a number of days to the last record, or the data's span.

    Examples
    --------
    >>> from cxgraph.calibrate.sources import window_from
    >>> w = window_from(("2024-01-01", "2025-01-01"), [], [])
    >>> w.days
    366.0
    >>> window_from(30, [0.0], [86400.0 * 100]).days
    30.0
    >>> window_from(None, [5.0], [5.0])
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: the window from 1970-01-01 00:00:05 to 1970-01-01 00:00:05 is empty: ...
    """
    if isinstance(window, tuple | list):
        if len(window) != 2:
            raise AnalysisInputError(f"window: expected (start, end) or a number of days, got {window!r}")
        return Window(_moment(window[0], "start"), _moment(window[1], "end"))
    if not starts:
        return None
    last = max(ends)
    if window is None:
        return Window(min(starts), last)
    if isinstance(window, bool) or not isinstance(window, int | float) or not window > 0:
        raise AnalysisInputError(f"window: a number of days must be above 0, got {window!r}")
    return Window(last - float(window) * 86400.0, last)
