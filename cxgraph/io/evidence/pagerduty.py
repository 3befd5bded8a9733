"""PagerDuty incidents as its REST API and export return them (JSON).

The file is the response of ``GET /incidents`` (``{"incidents": [...], "limit": ..., ...}``),
several such pages in a list, or a bare list of incident objects. Each incident names its
service (``service.summary``); it starts at ``created_at`` and ends at ``resolved_at``
(or, for a resolved incident without it, ``last_status_change_at``).

An incident counts as an outage when its priority (``priority.summary`` such as "P1") is
one of the outage priorities; an incident without a priority counts when its ``urgency``
is ``high``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import FormatError
from ._common import EvidenceTable, read_text, row_problems, seconds
from .servicenow import _priorities

__all__ = ["read_pagerduty"]


def _incidents(data: Any, file: str) -> list[Any]:
    pages = data if isinstance(data, list) else [data]
    out: list[Any] = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("incidents"), list):
            out += page["incidents"]
        elif isinstance(page, dict) and page.get("type") == "incident":
            out.append(page)
        else:
            keys = ", ".join(sorted(page)[:8]) if isinstance(page, dict) else type(page).__name__
            raise FormatError(f"not a PagerDuty incidents export: expected an object with an 'incidents' list "
                              f"(or incident objects), found {keys or 'an empty object'}", file=file)
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _ref(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("summary") or value.get("name"))
    return _text(value)


def read_pagerduty(path: str | Path, *, outage_priorities: Collection[int] | None = (1, 2)) -> EvidenceTable:
    """Read a PagerDuty incidents export (JSON) into incident records.

    Parameters
    ----------
    path
        The JSON file.
    outage_priorities
        Priorities (``P1`` is 1) that count as outages; incidents without a priority count
        when their urgency is high. ``None``: every incident counts.

    Returns
    -------
    EvidenceTable
        Frame columns ``subject`` (the service), ``start``, ``end``, ``weight`` and ``row``
        (the incident's place in the file, from 1); unresolved incidents are counted among
        the problems.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_pagerduty
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "incidents.json"
    >>> _ = p.write_text(json.dumps({"incidents": [
    ...     {"id": "PT4KHLK", "type": "incident", "status": "resolved", "urgency": "high",
    ...      "created_at": "2024-01-01T10:00:00Z", "resolved_at": "2024-01-01T11:30:00Z",
    ...      "service": {"id": "PIJ90N7", "type": "service_reference", "summary": "Payments hub"},
    ...      "priority": {"id": "P53ZZH5", "type": "priority_reference", "summary": "P2"}}]}))
    >>> t = read_pagerduty(p)
    >>> t.frame[["subject", "weight"]].values.tolist(), (t.frame.end - t.frame.start).tolist()
    ([['Payments hub', 1.0]], [5400.0])
    """
    file = str(path)
    text = read_text(path, "a PagerDuty incidents export (JSON)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FormatError(f"not JSON ({err.msg}, column {err.colno}): expected a PagerDuty incidents export",
                          file=file, line=err.lineno) from None
    incidents = _incidents(data, file)
    bad = next((i for i, inc in enumerate(incidents) if not isinstance(inc, dict)), None)
    if bad is not None:
        raise FormatError(f"incident {bad + 1}: expected an incident object, found {type(incidents[bad]).__name__}",
                          file=file)
    rows = np.arange(1, len(incidents) + 1)
    subject = pd.Series([_ref(inc.get("service")) for inc in incidents], dtype=object)
    status = np.array([_text(inc.get("status")).lower() for inc in incidents], dtype=object)
    created = pd.Series([_text(inc.get("created_at")) for inc in incidents], dtype=object)
    resolved = pd.Series([_text(inc.get("resolved_at")) or
                          (_text(inc.get("last_status_change_at")) if _text(inc.get("status")) == "resolved" else "")
                          for inc in incidents], dtype=object)
    start = seconds(created, file=file, column="created_at", rows=rows)
    end = seconds(resolved, file=file, column="resolved_at", rows=rows)
    backwards = end < start
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise FormatError(f"incident {int(rows[i])} ({_text(incidents[i].get('id'))}): resolved_at is before "
                          f"created_at", file=file)
    weight = np.ones(len(incidents))
    if outage_priorities is not None and incidents:
        prio = _priorities(pd.Series([_ref(inc.get("priority")) for inc in incidents], dtype=object))
        high = np.array([_text(inc.get("urgency")).lower() == "high" for inc in incidents])
        weight = np.where(prio >= 0, np.isin(prio, list(outage_priorities)), high).astype(float)
    no_service = (subject == "").to_numpy()
    open_ = (np.isnan(end) | ((status != "") & (status != "resolved"))) & ~no_service
    no_start = np.isnan(start) & ~no_service & ~open_
    problems = [*row_problems("no service", no_service, rows),
                *row_problems("not resolved", open_, rows),
                *row_problems("no created_at", no_start, rows)]
    keep = ~(no_service | open_ | no_start)
    out = pd.DataFrame({"subject": subject.to_numpy()[keep], "start": start[keep], "end": end[keep],
                        "weight": weight[keep], "row": rows[keep]})
    return EvidenceTable(out, file, "PagerDuty incidents (JSON)", "incidents", len(incidents), problems)
