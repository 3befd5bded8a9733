"""ServiceNow exports: incidents (the ``incident`` table) and outage records (``cmdb_ci_outage``).

Both are read from CSV as ServiceNow writes it (UTF-8 with or without a byte order mark,
quoted fields holding commas and newlines), columnar. The result is an
:class:`~cxgraph.io.evidence.EvidenceTable` whose frame has one row per record:
``subject`` (the CI named), ``start`` and ``end`` (float seconds since the epoch, UTC),
``weight`` (1 for an outage, the degradation weight for a degradation, 0 for an incident
that is not an outage) and ``row`` (the row in the file, the header being row 1).

Any other CSV of incidents reads the same way with its columns named:
``columns={"ci": "Service", "opened": "Start", "resolved": "End", "priority": "Sev"}``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import FormatError
from ._common import EvidenceTable, columns_option, find_column, read_csv_text, read_text, row_problems, seconds

__all__ = ["read_servicenow_incidents", "read_servicenow_outages"]

INCIDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "ci": ("cmdb_ci", "configuration item", "cmdb_ci.name", "business_service", "service"),
    "priority": ("priority",),
    "opened": ("opened_at", "opened", "sys_created_on"),
    "resolved": ("resolved_at", "resolved", "closed_at"),
    "number": ("number",),
}
OUTAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ci": ("cmdb_ci", "configuration item"),
    "type": ("type",),
    "begin": ("begin", "start"),
    "end": ("end", "finish"),
}
_PRIORITY = re.compile(r"^\s*[Pp]?(\d+)")


def _priorities(cells: pd.Series) -> np.ndarray:
    """Leading integer of each priority ('1 - Critical', 'P2', '3'); -1 where blank, -2 where unreadable."""
    codes, uniques = pd.factorize(cells, sort=False)
    values = np.empty(len(uniques), dtype=np.int64)
    for i, text in enumerate(uniques):
        found = _PRIORITY.match(str(text))
        values[i] = int(found.group(1)) if found else (-1 if not str(text).strip() else -2)
    return values[codes]


def _wanted(roles: dict[str, tuple[str, ...]], given: Mapping[str, str] | None) -> set[str]:
    """Every column name a reader may use: the known names of each role and the names given."""
    return {name for names in roles.values() for name in names} | set((given or {}).values())


def _columns(frame: pd.DataFrame, roles: dict[str, tuple[str, ...]], given: Mapping[str, str] | None,
             file: str, what: str, optional: Collection[str] = ()) -> dict[str, str | None]:
    named = columns_option(given, list(roles), what)
    found: dict[str, str | None] = {}
    for role, names in roles.items():
        candidates = (named[role],) if role in named else names
        found[role] = find_column(frame, candidates, file, f"the {role} column of {what}", option=role,
                                  required=role not in optional or role in named)
    return found


def _times(frame: pd.DataFrame, start_col: str, end_col: str, file: str, rows: np.ndarray,
           dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
    start = seconds(frame[start_col], file=file, column=start_col, rows=rows, dayfirst=dayfirst)
    end = seconds(frame[end_col], file=file, column=end_col, rows=rows, dayfirst=dayfirst)
    backwards = end < start
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise FormatError(f"row {int(rows[i])}: {end_col} ({frame[end_col].iloc[i].strip()}) is before "
                          f"{start_col} ({frame[start_col].iloc[i].strip()})", file=file)
    return start, end


def read_servicenow_incidents(path: str | Path, *, columns: Mapping[str, str] | None = None,
                              outage_priorities: Collection[int] | None = (1, 2),
                              dayfirst: bool = False) -> EvidenceTable:
    r"""Read a ServiceNow incident export (CSV), or any incident CSV with its columns named.

    Parameters
    ----------
    path
        The CSV file (columns ``number``, ``cmdb_ci``, ``priority`` such as "1 - Critical",
        ``opened_at``, ``resolved_at``).
    columns
        Other column names, by role: ``ci``, ``priority``, ``opened``, ``resolved``, ``number``.
    outage_priorities
        Priorities that count as outages (the leading number of the priority); ``None``:
        every incident counts, and no priority column is needed.
    dayfirst
        Read ambiguous dates such as ``01/03/2024`` as 1 March.

    Returns
    -------
    EvidenceTable
        Incidents with a CI and both times; open incidents (no resolution time) and
        incidents without a CI are counted among the problems.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_servicenow_incidents
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "incident.csv"
    >>> _ = p.write_text('number,cmdb_ci,priority,opened_at,resolved_at\n'
    ...                  'INC001,CRM,1 - Critical,2024-01-01 10:00:00,2024-01-01 12:00:00\n'
    ...                  'INC002,CRM,4 - Low,2024-01-02 10:00:00,\n', encoding="utf-8")
    >>> t = read_servicenow_incidents(p)
    >>> t.frame[["subject", "weight"]].values.tolist(), [str(p) for p in t.problems]
    ([['CRM', 1.0]], ['no resolved_at (still open): 1 row (rows 3)'])
    """
    file = str(path)
    what = "a ServiceNow incident export"
    frame = read_csv_text(read_text(path, what), file, what, keep=_wanted(INCIDENT_COLUMNS, columns))
    optional = ("number", "priority") if outage_priorities is None else ("number",)
    cols = _columns(frame, INCIDENT_COLUMNS, columns, file, what, optional)
    rows = np.arange(2, len(frame) + 2)
    start, end = _times(frame, cols["opened"], cols["resolved"], file, rows, dayfirst)  # type: ignore[arg-type]
    subject = frame[cols["ci"]].astype(str).str.strip()
    weight = np.ones(len(frame))
    problems = []
    if outage_priorities is not None and cols["priority"] is not None:
        prio = _priorities(frame[cols["priority"]])
        weight = np.isin(prio, list(outage_priorities)).astype(float)
        problems += row_problems(f"no {cols['priority']}", prio == -1, rows)
        problems += row_problems(f"{cols['priority']} without a leading number", prio == -2, rows)
    no_ci = (subject == "").to_numpy()
    open_ = np.isnan(end) & ~no_ci
    no_start = np.isnan(start) & ~no_ci & ~open_
    problems += row_problems(f"no {cols['ci']}", no_ci, rows)
    problems += row_problems(f"no {cols['resolved']} (still open)", open_, rows)
    problems += row_problems(f"no {cols['opened']}", no_start, rows)
    keep = ~(no_ci | open_ | no_start)
    out = pd.DataFrame({"subject": subject.to_numpy()[keep], "start": start[keep], "end": end[keep],
                        "weight": weight[keep], "row": rows[keep]})
    fmt = "ServiceNow incident export" if columns is None else "incident CSV"
    return EvidenceTable(out, file, fmt, "incidents", len(frame), problems)


def read_servicenow_outages(path: str | Path, *, columns: Mapping[str, str] | None = None,
                            include_planned: bool = False, degradation_weight: float = 0.0,
                            dayfirst: bool = False) -> EvidenceTable:
    r"""Read ServiceNow outage records (``cmdb_ci_outage`` as CSV: ``cmdb_ci``, ``type``, ``begin``, ``end``).

    ``type`` is ``Outage``, ``Degradation`` or ``Planned``. An outage weighs 1; a degradation
    weighs ``degradation_weight`` (0 by default: counted in the report, not in the estimates);
    a planned outage is left out (counted) unless ``include_planned``.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_servicenow_outages
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "outage.csv"
    >>> _ = p.write_text('cmdb_ci,type,begin,end\n'
    ...                  'CRM,Outage,2024-01-01 10:00:00,2024-01-01 12:00:00\n'
    ...                  'CRM,Planned,2024-01-05 22:00:00,2024-01-05 23:00:00\n', encoding="utf-8")
    >>> t = read_servicenow_outages(p)
    >>> t.frame["weight"].tolist(), [str(p) for p in t.problems]
    ([1.0], ['planned outage (left out; include_planned=True counts it): 1 row (rows 3)'])
    """
    if not 0 <= degradation_weight <= 1:
        raise ValueError(f"degradation_weight must be between 0 and 1, got {degradation_weight!r}")
    file = str(path)
    what = "ServiceNow outage records"
    frame = read_csv_text(read_text(path, what), file, what, keep=_wanted(OUTAGE_COLUMNS, columns))
    cols = _columns(frame, OUTAGE_COLUMNS, columns, file, what)
    rows = np.arange(2, len(frame) + 2)
    start, end = _times(frame, cols["begin"], cols["end"], file, rows, dayfirst)  # type: ignore[arg-type]
    subject = frame[cols["ci"]].astype(str).str.strip()
    kind = frame[cols["type"]].astype(str).str.strip().str.lower().to_numpy()  # type: ignore[index]
    weight = np.select([kind == "outage", kind == "degradation", kind == "planned"],
                       [1.0, degradation_weight, 1.0], default=np.nan)
    no_ci = (subject == "").to_numpy()
    unknown = np.isnan(weight) & ~no_ci
    planned = (kind == "planned") & (not include_planned) & ~no_ci
    open_ = np.isnan(end) & ~no_ci & ~unknown & ~planned
    no_start = np.isnan(start) & ~no_ci & ~unknown & ~planned & ~open_
    problems = [*row_problems(f"no {cols['ci']}", no_ci, rows),
                *row_problems(f"{cols['type']} not Outage, Degradation or Planned", unknown, rows),
                *row_problems("planned outage (left out; include_planned=True counts it)", planned, rows),
                *row_problems(f"no {cols['end']} (still going on)", open_, rows),
                *row_problems(f"no {cols['begin']}", no_start, rows)]
    keep = ~(no_ci | unknown | planned | open_ | no_start)
    out = pd.DataFrame({"subject": subject.to_numpy()[keep], "start": start[keep], "end": end[keep],
                        "weight": weight[keep], "row": rows[keep]})
    return EvidenceTable(out, file, "ServiceNow outage records", "outages", len(frame), problems)
