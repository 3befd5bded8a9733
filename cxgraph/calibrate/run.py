"""``cx.calibrate``: read the evidence, match it to the model, estimate, and write the values into a copy."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisInputError
from ..io.evidence import EvidenceTable, RowProblem
from ..model import Model
from .matching import Match, Matcher
from .reliability import Window, estimate_reliability
from .report import CalibrationReport, Source
from .sources import read_sources, window_from
from .targets import write_events, write_slos, write_surveys
from .writing import Writer, uncertain

__all__ = ["calibrate"]


def _reliability(writer: Writer, tables: list[EvidenceTable], matcher: Matcher, window: Any,
                 matches: list[Match], extra: dict[str, list[RowProblem]]) -> Window | None:
    if not tables:
        return None
    frames = []
    for table in tables:
        ids, found = matcher.match(table.frame["subject"].to_numpy(dtype=object), table.file)
        matches += found
        frames.append((table, ids))
    starts = [float(np.nanmin(t.frame["start"])) for t, _ in frames if len(t.frame)]
    ends = [float(np.nanmax(t.frame["end"])) for t, _ in frames if len(t.frame)]
    span = window_from(window, starts, ends)
    if span is None:
        raise AnalysisInputError("no usable incident or outage record: no window to count outages over "
                                 f"(read: {', '.join(t.file for t in tables)})")
    item, start, end, weight = [], [], [], []
    files_of: dict[str, list[str]] = {}
    for table, ids in frames:
        for iid in pd.unique(ids[pd.notna(ids)]):
            files_of.setdefault(iid, []).append(table.file)
        f = table.frame
        outside = ~span.holds(f["start"].to_numpy(), f["end"].to_numpy())
        extra.setdefault(table.file, []).extend(
            [RowProblem("outside the window", int(outside.sum()), tuple(int(r) for r in f["row"][outside][:5]))]
            if outside.any() else [])
        keep = pd.notna(ids)
        item.append(ids[keep])
        start.append(f["start"].to_numpy()[keep])
        end.append(f["end"].to_numpy()[keep])
        weight.append(f["weight"].to_numpy()[keep])
    est = estimate_reliability(np.concatenate(item), np.concatenate(start), np.concatenate(end),
                               np.concatenate(weight), span)
    elements = {e.id: e for e in writer.model.elements}
    for row in est.itertuples(index=False):
        element = elements[row.id]
        n = int(row.records)
        source = ", ".join(dict.fromkeys(files_of[row.id]))
        if row.outages > 0:
            plural = "" if row.outages == 1 else "s"
            how = (f"{row.outages:g} outage{plural} ({row.downtime_hours:.4g} h down) in {span.days:.6g} days; "
                   f"rate: Gamma posterior, Jeffreys prior, 5-95 %; recovery: exponential mean, 5-95 %")
            writer.element(element, {
                "failures_per_year": uncertain(row.fpy_low, row.failures_per_year, row.fpy_high),
                "recovery_hours": uncertain(row.rh_low, row.recovery_hours, row.rh_high)},
                evidence=n, source=source, how=how)
        elif getattr(element, "recovery_hours", None) is not None:
            how = f"no outage in {span.days:.6g} days; rate: Gamma posterior, Jeffreys prior, 5-95 %"
            writer.element(element, {"failures_per_year": uncertain(0.0, 0.0, row.fpy_high)},
                           evidence=n, source=source, how=how)
        else:
            writer.notes.append(f"{row.id}: {n} incident records but no outage in the window; nothing written "
                                f"(no recovery time to go with a failure rate of 0)")
    return span


def calibrate(model: Model, *, incidents: Any = None, outages: Any = None, slos: Any = None, events: Any = None,
              surveys: Any = None, window: float | Sequence[Any] | None = None,
              match_property: str | Sequence[str] = (),
              outage_priorities: Collection[int] | None = (1, 2), include_planned: bool = False,
              degradation_weight: float = 0.0, percentile: float = 50, turnaround_unit: str = "hours",
              turnaround_target: float | None = None, survey_scale: str | None = None,
              survey_target: float | None = None, incident_columns: Mapping[str, str] | None = None,
              outage_columns: Mapping[str, str] | None = None, event_columns: Mapping[str, str] | None = None,
              survey_columns: Mapping[str, str] | None = None, dayfirst: bool = False,
              ) -> tuple[Model, CalibrationReport]:
    r"""Read evidence (incidents, outages, SLOs, event logs, surveys) and write its numbers into a copy of ``model``.

    ``model`` is never changed: the result is a new model, and a run that fails changes
    nothing. Every source is a file path, a list of paths, or a table read by
    :mod:`cxgraph.io.evidence`. See the docs page "Calibrate from evidence" for every rule.

    Parameters
    ----------
    model
        The model to calibrate.
    incidents
        ServiceNow incident exports (CSV), PagerDuty incident exports (``.json``) or any
        incident CSV with ``incident_columns`` naming its columns. Incidents whose
        priority is in ``outage_priorities`` are outages; overlapping outages of one
        element are one. They give each matched element ``failures_per_year`` and
        ``recovery_hours``, uncertain (5–95 % ranges).
    outages
        ServiceNow outage records (CSV: ``cmdb_ci``, ``type``, ``begin``, ``end``).
    slos
        OpenSLO v1 files: each objective becomes or updates a metric of the matched element.
    events
        Event logs (CSV or XES): each activity matched to a touchpoint gets its turnaround
        metric, each journey its end-to-end time (median, or ``percentile``; range 10th–90th).
    surveys
        Survey responses (CSV or a Qualtrics export): NPS, CSAT mean or top-two-box per
        touchpoint or journey (``survey_scale``: ``"nps"``, ``"csat"``, ``"top2"``; guessed
        from the score column when not given).
    window
        ``(start, end)``, or a number of days ending at the last record; by default the span
        of the incident and outage records.
    match_property
        Property keys whose values name items too (after ids and names), e.g. ``"servicenow_ci"``.
    outage_priorities, include_planned, degradation_weight
        Which incidents count as outages; whether planned outages count; how much a
        degradation record counts (0: not at all, 1: as an outage).
    percentile, turnaround_unit, turnaround_target
        The turnaround percentile written (default the median), the unit of new turnaround
        metrics, and their target (by default the target is left for you: set to the actual).
    survey_scale, survey_target
        The survey scale and the target of new survey metrics (by default set to the actual).
    incident_columns, outage_columns, event_columns, survey_columns
        Column names by role, for files whose columns are named otherwise.
    dayfirst
        Read ambiguous dates such as ``01/03/2024`` as 1 March.

    Returns
    -------
    (Model, CalibrationReport)
        The calibrated copy, and what was read, matched, unmatched and written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "incident.csv"
    >>> _ = p.write_text("number,cmdb_ci,priority,opened_at,resolved_at\n"
    ...                  "INC1,Core banking system,1 - Critical,2024-03-01 10:00:00,2024-03-01 14:00:00\n"
    ...                  "INC2,CRM,3 - Moderate,2024-06-01 10:00:00,2024-06-01 11:00:00\n")
    >>> bank = cx.examples.load("retail-bank")
    >>> calibrated, report = cx.calibrate(bank, incidents=p, window=("2024-01-01", "2025-01-01"))
    >>> calibrated.get("core-banking").recovery_hours.mode
    4.0
    >>> [m.name for m in report.unmatched]
    ['CRM']
    >>> bank.get("core-banking").failures_per_year is None   # the model passed in is unchanged
    True
    """
    if not 0 <= percentile <= 100:
        raise AnalysisInputError(f"percentile must be between 0 and 100, got {percentile!r}")
    model.check()
    properties = [match_property] if isinstance(match_property, str) else list(match_property)
    read = {"outage_priorities": outage_priorities, "include_planned": include_planned,
            "degradation_weight": degradation_weight, "dayfirst": dayfirst}
    tables = {
        "incidents": read_sources("incidents", incidents, columns=incident_columns, **read),
        "outages": read_sources("outages", outages, columns=outage_columns, **read),
        "slos": read_sources("slos", slos),
        "events": read_sources("events", events, columns=event_columns, dayfirst=dayfirst),
        "surveys": read_sources("surveys", surveys, columns=survey_columns),
    }
    writer = Writer(model.model_copy(deep=True))
    matches: list[Match] = []
    extra: dict[str, list[RowProblem]] = {}
    elements = Matcher(model, ["element"], properties)
    span = _reliability(writer, tables["incidents"] + tables["outages"], elements, window, matches, extra)
    distributions = []
    for table in tables["slos"]:
        write_slos(writer, table, elements, matches)
    touchpoints = Matcher(model, ["touchpoint"], properties)
    for table in tables["events"]:
        distributions.append(write_events(writer, table, touchpoints, percentile=percentile, unit=turnaround_unit,
                                          target=turnaround_target, matches=matches))
    either = Matcher(model, ["touchpoint", "journey"], properties)
    for table in tables["surveys"]:
        write_surveys(writer, table, either, scale=survey_scale, target=survey_target, matches=matches,
                      extra=extra)
    calibrated = writer.model
    calibrated.check()
    sources = [Source(t.file, t.format, t.kind, t.rows, t.used, (*t.problems, *extra.get(t.file, ())))
               for kind in tables.values() for t in kind]
    report = CalibrationReport(
        model.name, window=None if span is None else (Window.text(span.start), Window.text(span.end)),
        window_days=None if span is None else span.days, sources=sources, matches=matches,
        changes=writer.changes, distributions=pd.concat(distributions, ignore_index=True) if distributions
        else pd.DataFrame(), notes=writer.notes)
    return calibrated, report
