"""The calibration report: what was read, matched and unmatched, the window, every value written."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import pandas as pd

from ..analysis._result import Result, jsonable
from ..io.evidence import RowProblem
from .matching import Match

__all__ = ["CalibrationReport", "Change", "Source"]


@dataclass(frozen=True)
class Source:
    """One file of evidence: its format, how many records it held and used, the rows left out.

    Examples
    --------
    >>> from cxgraph.calibrate import Source
    >>> Source("incidents.csv", "ServiceNow incident export", "incidents", 10, 9).used
    9
    """

    file: str
    format: str
    kind: str
    rows: int
    used: int
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True)
class Change:
    """One value written into the model: where, before and after, and the evidence behind it.

    Examples
    --------
    >>> from cxgraph.calibrate import Change
    >>> str(Change("crm", "CRM", "element", "failures_per_year", None, 2.0, 2, "incidents.csv", "2 outages"))
    'crm.failures_per_year: (none) -> 2 (2 records: 2 outages; incidents.csv)'
    """

    id: str
    name: str
    type: str
    field: str
    before: Any
    after: Any
    evidence: int
    source: str
    how: str

    def __str__(self) -> str:
        return (f"{self.id}.{self.field}: {show(self.before)} -> {show(self.after)} "
                f"({self.evidence} records: {self.how}; {self.source})")


def show(value: Any) -> str:
    """Format a model value for a table: a number, a ``low–mode–high`` range, or ``(none)``.

    Examples
    --------
    >>> from cxgraph.calibrate.report import show
    >>> show(cx.Uncertain(low=1, mode=2.5, high=4)), show(None), show(0.125)
    ('2.5 [1–4]', '(none)', '0.125')
    """
    if value is None:
        return "(none)"
    if hasattr(value, "low") and hasattr(value, "high"):
        mode = value.mode if value.mode is not None else value.value
        return f"{mode:.4g} [{value.low:.4g}–{value.high:.4g}]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_none=True)
    return value


@dataclass
class CalibrationReport(Result):
    r"""What :func:`cxgraph.calibrate` read, matched and wrote; see there.

    Attributes
    ----------
    model_name : str
        Name of the model calibrated.
    window : tuple of str or None
        Start and end (UTC) of the window incidents and outages were counted over.
    sources : list of Source
        Every file read, with its rows used and left out.
    matches : list of Match
        Every distinct name in the evidence and what it matched (or why not).
    changes : list of Change
        Every value written, before and after.
    distributions : pandas.DataFrame
        Turnaround percentiles per step and journey (hours), and the number of cases.
    notes : list of str
        What the reader should know (values set for want of evidence, targets left to set).
    written : bool
        False for a dry run.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
    >>> _ = p.write_text("touchpoint,csat\nmp-send,5\nmp-send,4\nBranch queue,2\n")
    >>> _, report = cx.calibrate(cx.examples.load("retail-bank"), surveys=p)
    >>> report.to_frame()[["id", "field", "before", "after", "evidence"]].values.tolist()
    [['m-csat-payment', 'actual', '4.3', '4.5 [1.343–5]', 2]]
    >>> [str(m) for m in report.unmatched]
    ["'Branch queue': unmatched, 1 records"]
    """

    model_name: str
    window: tuple[str, str] | None = None
    window_days: float | None = None
    sources: list[Source] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    distributions: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    written: bool = True

    title = "Calibration"

    @property
    def unmatched(self) -> list[Match]:
        """Names that matched nothing or more than one item (see the class example)."""
        return [m for m in self.matches if m.status != "matched"]

    def to_frame(self) -> pd.DataFrame:
        """Return every value written: item, field, before, after, evidence count, source.

        Examples
        --------
        >>> from cxgraph.calibrate import CalibrationReport
        >>> list(CalibrationReport("Bank").to_frame().columns)
        ['id', 'name', 'type', 'field', 'before', 'after', 'evidence', 'source', 'how']
        """
        rows = [{"id": c.id, "name": c.name, "type": c.type, "field": c.field, "before": show(c.before),
                 "after": show(c.after), "evidence": c.evidence, "source": c.source, "how": c.how}
                for c in self.changes]
        return pd.DataFrame(rows, columns=["id", "name", "type", "field", "before", "after", "evidence", "source",
                                           "how"])

    def matches_frame(self) -> pd.DataFrame:
        """Return every distinct name read and what became of it (unmatched and ambiguous first).

        Examples
        --------
        >>> from cxgraph.calibrate import CalibrationReport, Match
        >>> r = CalibrationReport("Bank", matches=[Match("SAP", "i.csv", 4, "unmatched")])
        >>> r.matches_frame()[["name", "records", "status"]].values.tolist()
        [['SAP', 4, 'unmatched']]
        """
        return pd.DataFrame([{"name": m.name, "source": m.source, "records": m.records, "status": m.status,
                              "id": m.id, "by": m.by, "did_you_mean": ", ".join(m.candidates)}
                             for m in self.matches],
                            columns=["name", "source", "records", "status", "id", "by", "did_you_mean"])

    def sources_frame(self) -> pd.DataFrame:
        """Return every file read: format, rows read and used, rows left out and why.

        Examples
        --------
        >>> from cxgraph.calibrate import CalibrationReport, Source
        >>> r = CalibrationReport("Bank", sources=[Source("i.csv", "incident CSV", "incidents", 3, 3)])
        >>> r.sources_frame()[["file", "rows", "used"]].values.tolist()
        [['i.csv', 3, 3]]
        """
        return pd.DataFrame([{"file": s.file, "format": s.format, "kind": s.kind, "rows": s.rows, "used": s.used,
                              "left_out": "; ".join(str(p) for p in s.problems)} for s in self.sources],
                            columns=["file", "format", "kind", "rows", "used", "left_out"])

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data in the result envelope (``cxgraph_result``, ``analysis``, ...).

        Examples
        --------
        >>> from cxgraph.calibrate import CalibrationReport
        >>> sorted(CalibrationReport("Bank").to_dict())[:4]
        ['analysis', 'change_items', 'cxgraph_result', 'distribution_items']
        """
        return jsonable({
            "cxgraph_result": 1, "analysis": "calibrate", "model": self.model_name, "measure": None, "unit": None,
            "notes": list(self.notes), "written": self.written,
            "window": None if self.window is None else {"start": self.window[0], "end": self.window[1],
                                                        "days": self.window_days},
            "source_items": [{"id": s.file, "name": s.file, "type": s.kind, "format": s.format, "n_rows": s.rows,
                              "n_used": s.used, "problems": [{"reason": p.reason, "n_rows": p.count,
                                                              "row_ids": list(p.rows)} for p in s.problems]}
                             for s in self.sources],
            "match_items": [{"id": m.id, "name": m.name, "type": m.type, "status": m.status, "source": m.source,
                             "n_records": m.records, "by": m.by, "candidate_ids": list(m.candidates)}
                            for m in self.matches],
            "change_items": [{"id": c.id, "name": c.name, "type": c.type, "field": c.field,
                              "before": _plain(c.before), "after": _plain(c.after), "n_evidence": c.evidence,
                              "source": c.source, "how": c.how} for c in self.changes],
            "distribution_items": self.distributions,
        })

    def to_text(self, *, max_rows: int = 200) -> str:
        """Return the report as plain text: the window, sources, unmatched names, values written, notes.

        At most ``max_rows`` values written are listed (the JSON and :meth:`to_frame` hold them all).

        Examples
        --------
        >>> from cxgraph.calibrate import CalibrationReport
        >>> print(CalibrationReport("Bank", written=False).to_text())
        Calibration of 'Bank' (dry run: nothing written)
        values written: none
        """
        head = f"Calibration of {self.model_name!r}" + ("" if self.written else " (dry run: nothing written)")
        lines = [head]
        if self.window is not None:
            lines.append(f"window: {self.window[0]} to {self.window[1]} ({self.window_days:.6g} days)")
        for s in self.sources:
            lines.append(f"read {s.file} ({s.format}): {s.rows} rows, {s.used} used")
            lines += [f"  left out: {p}" for p in s.problems]
        matched = [m for m in self.matches if m.status == "matched"]
        if self.matches:
            lines.append(f"names: {len(matched)} matched, {len(self.unmatched)} unmatched or ambiguous")
            lines += [f"  {m}" for m in self.unmatched]
        lines.append("values written:" + ("" if self.changes else " none"))
        with pd.option_context("display.width", 160, "display.max_colwidth", 60, "display.max_rows", 1000):
            if self.changes:
                frame = self.to_frame().drop(columns=["name", "type"])
                frame["source"] = [", ".join(PurePath(f).name for f in s.split(", ")) for s in frame["source"]]
                lines.append(frame.head(max_rows).to_string(index=False))
                if len(frame) > max_rows:
                    lines.append(f"... and {len(frame) - max_rows} more (all of them in the JSON: --format json "
                                 f"or --report FILE)")
        if len(self.distributions):
            lines.append("turnarounds (percentiles, with the events and cases used):")
            shown = self.distributions[["kind", "id", "n", "cases", "p10", "p50", "p90", "unit"]]
            with pd.option_context("display.width", 160, "display.max_rows", 1000):
                lines.append(shown.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        parts = [f"<div><strong>{html.escape(self.title)} of {html.escape(self.model_name)}</strong>"]
        if self.window is not None:
            parts.append(f"<p>Window: {self.window[0]} to {self.window[1]} ({self.window_days:.6g} days)</p>")
        for title, frame in (("Values written", self.to_frame()), ("Sources", self.sources_frame()),
                             ("Unmatched and ambiguous names", self.matches_frame().query("status != 'matched'"))):
            if len(frame):
                parts.append(f"<h4>{title}</h4>" + frame.to_html(index=False, border=0))
        parts += [f"<p>{html.escape(n)}</p>" for n in self.notes]
        return "".join(parts) + "</div>"
