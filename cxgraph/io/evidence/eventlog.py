"""Journey event logs: CSV (case, activity, timestamp, optional start and end) and XES.

Both give an :class:`~cxgraph.io.evidence.EvidenceTable` whose frame has one row per
completed event: ``case``, ``activity``, ``time`` (when the event completed, float seconds
since the epoch, UTC), ``start`` (when the activity started, ``NaN`` where unknown) and
``row`` (the CSV row, the header being row 1; the XES line of the event).

XES (IEEE 1849) files are read with the hardened XML reader of :mod:`cxgraph.io.xmlsafe`:
a trace's ``concept:name`` is the case; an event's ``concept:name`` the activity and its
``time:timestamp`` the time. With the lifecycle extension, a ``start`` event is paired with
the next ``complete`` event of the same activity in its trace and gives its ``start``;
other transitions (``schedule``, ``assign``, ...) are counted and left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import FormatError
from ..xmlsafe import parse_xml, read_limited
from ._common import EvidenceTable, RowProblem, columns_option, find_column, read_csv_text, read_text, row_problems
from ._common import seconds as _seconds
from .servicenow import _wanted

__all__ = ["read_event_log", "read_event_log_csv", "read_xes"]

EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "case": ("case_id", "case", "case id", "caseid", "case:concept:name"),
    "activity": ("activity", "activity name", "concept:name", "event"),
    "timestamp": ("timestamp", "time:timestamp", "time", "event time"),
    "start": ("start", "start timestamp", "start_timestamp", "start_time"),
    "end": ("end", "complete timestamp", "end timestamp", "end_timestamp", "end_time"),
}


def read_event_log_csv(path: str | Path, *, columns: Mapping[str, str] | None = None,
                       dayfirst: bool = False) -> EvidenceTable:
    r"""Read an event log from CSV: case id, activity, timestamp, and optionally start and end times.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Column names by role (``case``, ``activity``, ``timestamp``, ``start``, ``end``); by
        default common names are recognised (``case_id``, ``Case ID``, ``Activity``,
        ``timestamp``, ``Start Timestamp``, ``Complete Timestamp``, ...). A timestamp or an
        end column is needed.
    dayfirst
        Read ambiguous dates such as ``01/03/2024`` as 1 March.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_event_log_csv
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = p.write_text("case_id,activity,timestamp\nc1,Apply,2024-01-01 10:00\nc1,Verify,2024-01-01 10:30\n")
    >>> t = read_event_log_csv(p)
    >>> t.frame[["case", "activity"]].values.tolist(), float(t.frame.time.iloc[1] - t.frame.time.iloc[0])
    ([['c1', 'Apply'], ['c1', 'Verify']], 1800.0)
    """
    file = str(path)
    what = "an event log (CSV)"
    frame = read_csv_text(read_text(path, what), file, what, keep=_wanted(EVENT_COLUMNS, columns))
    named = columns_option(columns, list(EVENT_COLUMNS), "event log")
    cols: dict[str, str | None] = {}
    for role, names in EVENT_COLUMNS.items():
        candidates = (named[role],) if role in named else names
        cols[role] = find_column(frame, candidates, file, f"the {role} column of {what}", option=role,
                                 required=role in ("case", "activity") or role in named)
    if cols["timestamp"] is None and cols["end"] is None:
        find_column(frame, ["timestamp"], file, f"when each event happened, or an end column, of {what}",
                    option="timestamp")
    rows = np.arange(2, len(frame) + 2)

    def times(role: str) -> np.ndarray:
        column = cols[role]
        if column is None:
            return np.full(len(frame), np.nan)
        return _seconds(frame[column], file=file, column=column, rows=rows, dayfirst=dayfirst)

    stamp, start, end = times("timestamp"), times("start"), times("end")
    time = np.where(np.isnan(end), stamp, end)
    backwards = start > time
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        later = cols["end"] if cols["end"] is not None and not np.isnan(end[i]) else cols["timestamp"]
        raise FormatError(f"row {int(rows[i])}: {later} ({frame[later].iloc[i].strip()}) is before {cols['start']} "
                          f"({frame[cols['start']].iloc[i].strip()})", file=file)
    case = frame[cols["case"]].astype(str).str.strip().to_numpy(dtype=object)
    activity = frame[cols["activity"]].astype(str).str.strip().to_numpy(dtype=object)
    no_case, no_activity = case == "", activity == ""
    no_time = np.isnan(time) & ~no_case & ~no_activity
    problems = [*row_problems(f"no {cols['case']}", no_case, rows),
                *row_problems(f"no {cols['activity']}", no_activity & ~no_case, rows),
                *row_problems("no time", no_time, rows)]
    keep = ~(no_case | no_activity | no_time)
    out = pd.DataFrame({"case": case[keep], "activity": activity[keep], "time": time[keep],
                        "start": start[keep], "row": rows[keep]})
    return EvidenceTable(out, file, "event log (CSV)", "events", len(frame), problems)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attributes(element: object) -> dict[str, str]:
    return {child.get("key", ""): child.get("value", "") for child in element  # type: ignore[attr-defined]
            if _local(child.tag) in ("string", "date", "int", "float", "boolean", "id")}


def read_xes(path: str | Path, *, max_bytes: int | None = None) -> EvidenceTable:
    """Read an XES event log (IEEE 1849) with the hardened XML reader.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_xes
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.xes"
    >>> _ = p.write_text('''<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
    ...  <trace><string key="concept:name" value="c1"/>
    ...   <event><string key="concept:name" value="Review"/><string key="lifecycle:transition" value="start"/>
    ...          <date key="time:timestamp" value="2024-01-01T10:00:00.000+00:00"/></event>
    ...   <event><string key="concept:name" value="Review"/><string key="lifecycle:transition" value="complete"/>
    ...          <date key="time:timestamp" value="2024-01-01T12:00:00.000+00:00"/></event>
    ...  </trace></log>''')
    >>> f = read_xes(p).frame
    >>> f[["case", "activity"]].values.tolist(), float(f.time[0] - f.start[0])
    ([['c1', 'Review']], 7200.0)
    """
    file = str(path)
    tree = parse_xml(read_limited(path, max_bytes=max_bytes), file=file, max_bytes=max_bytes)
    if _local(tree.root.tag) != "log":
        raise FormatError(f"not an XES event log: the root element is <{_local(tree.root.tag)}>, expected <log>",
                          file=file, line=tree.line(tree.root))
    cases, activities, stamps, starts, lines = [], [], [], [], []
    skipped: dict[str, list[int]] = {}
    for t, trace in enumerate(e for e in tree.root if _local(e.tag) == "trace"):
        case = _attributes(trace).get("concept:name") or f"trace {t + 1}"
        open_starts: dict[str, list[tuple[str, int]]] = {}
        for event in (e for e in trace if _local(e.tag) == "event"):
            attrs = _attributes(event)
            line = tree.line(event) or 0
            activity = attrs.get("concept:name", "").strip()
            stamp = attrs.get("time:timestamp", "").strip()
            transition = attrs.get("lifecycle:transition", "complete").strip().lower()
            if not activity or not stamp:
                skipped.setdefault("event without concept:name or time:timestamp", []).append(line)
            elif transition == "start":
                open_starts.setdefault(activity, []).append((stamp, line))
            elif transition == "complete":
                cases.append(case)
                activities.append(activity)
                stamps.append(stamp)
                waiting = open_starts.get(activity)
                starts.append(waiting.pop(0)[0] if waiting else "")
                lines.append(line)
            else:
                skipped.setdefault(f"lifecycle:transition {transition!r} (start and complete are read)",
                                   []).append(line)
        unpaired = [line for waiting in open_starts.values() for _, line in waiting]
        if unpaired:
            skipped.setdefault("start event without a complete event", []).extend(unpaired)
    rows = np.array(lines, dtype=np.int64)
    time = _seconds(pd.Series(stamps, dtype=object), file=file, column="time:timestamp", rows=rows)
    start = _seconds(pd.Series(starts, dtype=object), file=file, column="time:timestamp (start)", rows=rows)
    backwards = start > time
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise FormatError(f"the complete event of {activities[i]!r} in case {cases[i]!r} is before its start",
                          file=file, line=int(rows[i]))
    problems = [RowProblem(reason, len(at), tuple(at[:5])) for reason, at in skipped.items()]
    frame = pd.DataFrame({"case": pd.Series(cases, dtype=object), "activity": pd.Series(activities, dtype=object),
                          "time": time, "start": start, "row": rows})
    return EvidenceTable(frame, file, "XES event log", "events", len(frame) + sum(p.count for p in problems),
                         problems)


def read_event_log(path: str | Path, **options: object) -> EvidenceTable:
    r"""Read an event log, XES (``.xes``) or CSV (anything else).

    Examples
    --------
    >>> from cxgraph.io.evidence import read_event_log
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = p.write_text("Case ID,Activity,Complete Timestamp\nc1,Apply,2024-01-01 10:00\n")
    >>> read_event_log(p).format
    'event log (CSV)'
    """
    if Path(path).suffix.lower() == ".xes":
        return read_xes(path, max_bytes=options.get("max_bytes"))  # type: ignore[arg-type]
    options.pop("max_bytes", None)
    return read_event_log_csv(path, **options)  # type: ignore[arg-type]
