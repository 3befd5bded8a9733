"""The report's "Evidence" section: which numbers came from evidence, and what the evidence was.

Values written by :func:`cxgraph.calibrate` carry their provenance in the item's
``evidence`` property, so the section appears for any calibrated model; given the
:class:`~cxgraph.CalibrationReport` too, it adds the window, the files read and the names
that matched nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..model import Model
from ._page import Column, esc, section, table

__all__ = ["evidence_section"]


def _show(value: Any) -> str:
    from ..calibrate.report import show

    return show(value)


def _rows(model: Model) -> pd.DataFrame:
    rows = []
    for e in model.elements:
        if "evidence" in e.properties:
            parts = [f"failures per year {_show(e.failures_per_year)}" if e.failures_per_year is not None else "",
                     f"recovery {_show(e.recovery_hours)} h" if e.recovery_hours is not None else ""]
            rows.append({"name": e.name, "id": e.id, "what": "element",
                         "values": ", ".join(p for p in parts if p), "evidence": e.properties["evidence"]})
    for m in model.metrics:
        if "evidence" in m.properties:
            unit = f" {m.unit}" if m.unit else ""
            rows.append({"name": m.name, "id": m.id, "what": f"metric of {m.of}",
                         "values": f"actual {_show(m.actual)}{unit}, target {_show(m.target)}{unit}",
                         "evidence": m.properties["evidence"]})
    return pd.DataFrame(rows, columns=["name", "id", "what", "values", "evidence"])


def evidence_section(model: Model, calibration: Any = None) -> str:
    """Return the "Evidence" section ("" when no value in the model came from evidence).

    Examples
    --------
    >>> from cxgraph.report.evidence import evidence_section
    >>> evidence_section(cx.examples.load("retail-bank"))
    ''
    >>> m = cx.examples.load("retail-bank")
    >>> m.metrics[0].properties["evidence"] = "mean of 40 responses (survey.csv)"
    >>> "mean of 40 responses" in evidence_section(m)
    True
    """
    frame = _rows(model)
    parts = []
    if calibration is not None:
        if calibration.window is not None:
            parts.append(f"<p>Incidents and outages counted from {esc(calibration.window[0])} to "
                         f"{esc(calibration.window[1])} UTC ({calibration.window_days:.6g} days).</p>")
        sources = calibration.sources_frame()
        if len(sources):
            parts.append(table(sources, [Column("file", "File", css="name"), Column("format", "Format"),
                                         Column("rows", "Rows", numeric=True), Column("used", "Used", numeric=True),
                                         Column("left_out", "Left out")], caption="Evidence read"))
        unmatched = calibration.matches_frame().query("status != 'matched'")
        if len(unmatched):
            parts.append(table(unmatched, [Column("name", "Name in the evidence", css="name"),
                                           Column("source", "File"), Column("records", "Records", numeric=True),
                                           Column("status", "Status"), Column("did_you_mean", "Did you mean")],
                               caption="Names that matched nothing, or more than one item"))
    if len(frame):
        parts.append(table(frame, [Column("name", "Item", sub="id", css="name"), Column("what", "What"),
                                   Column("values", "Values now"), Column("evidence", "Evidence")],
                           caption="Values that came from evidence"))
    if not parts:
        return ""
    note = ("Numbers written from incident history, SLOs, event logs and surveys by cxgraph calibrate, "
            "each with the evidence behind it.")
    return section("evidence", "Evidence", note, "".join(parts))
