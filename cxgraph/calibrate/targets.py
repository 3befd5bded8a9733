"""Writing metrics from evidence: SLO objectives, turnarounds from event logs, survey scores.

Which metric a value goes to:

- **SLO objective** of an element: the metric with id ``slo-<slo>-<objective>``; for a
  ratio objective (no threshold), the element's availability metric (unit ``%``, a name
  that says "availability") when it has exactly one; otherwise a new metric.
- **Step turnaround** of a touchpoint: its first metric whose unit is a unit of time and
  lower is better (converted to that unit), else ``turnaround-<touchpoint>``.
- **Journey end-to-end time**: ``e2e-<journey>``, a metric of the journey's last touchpoint
  (a metric is of a touchpoint or an element; the end-to-end time is felt at the end).
- **Survey score** of a touchpoint: its metric of the same unit (``NPS``, ``1-5``), else
  ``<scale>-<touchpoint>``; of a journey: the last of its touchpoints with such a metric,
  else ``<scale>-<journey>`` on its last touchpoint.

A new metric without a target from the caller gets the actual as its target (gap 0): the
target is left for the user, and the report says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..io.evidence import EvidenceTable, RowProblem
from ..model import Metric
from .matching import Match, Matcher
from .surveys import SCALES, guess_scale, score_surveys
from .turnaround import PERCENTILES, case_durations, step_turnarounds, summarise
from .writing import Writer, rounded, slug, time_unit, uncertain

__all__ = ["write_events", "write_slos", "write_surveys"]


def _ideal(value: float) -> dict[str, float]:
    return {"ideal": value}


def _metrics_of(writer: Writer, of: str) -> list[Metric]:
    return [writer.metrics[i] for i in writer.ids_of.get(of, ())]


def write_slos(writer: Writer, table: EvidenceTable, matcher: Matcher, matches: list[Match]) -> None:
    """Write every objective of the SLO table to a metric of its matched element."""
    f = table.frame
    ids, found = matcher.match(f["subject"].to_numpy(dtype=object), table.file)
    matches += found
    for row, element in zip(f.itertuples(index=False), ids, strict=True):
        if element is None:
            continue
        where = f"OpenSLO {row.slo!r}, objective {row.objective!r}"
        threshold = row.op in ("lt", "lte") and not np.isnan(row.value)
        if threshold:
            values: dict[str, Any] = {"target": row.value, "better": "lower", **_ideal(0.0)}
            unit, how = None, f"{where}: {row.indicator or 'indicator'} {row.op} {row.value:g} for {row.target:.4g}"
        else:
            values = {"target": rounded(100 * row.target), "better": "higher", **_ideal(100.0)}
            unit = "%"
            what = f"events {row.op} {row.value:g}" if row.op and not np.isnan(row.value) else "good events"
            how = f"{where}: {100 * row.target:.6g} % of {what}"
        if row.window:
            how += f" over {row.window}"
        mid = f"slo-{slug(row.slo)}-{slug(row.objective)}"
        existing = [m for m in _metrics_of(writer, element) if m.id == mid]
        if not existing and not threshold:
            existing = [m for m in _metrics_of(writer, element) if (m.unit or "").strip() == "%"
                        and "availab" in m.name.lower() and m.better == "higher"]
        if len(existing) == 1:
            writer.metric(existing[0].id, of=element, new={}, values=values, evidence=1, source=table.file, how=how)
            continue
        name = f"{row.title}: {row.objective}" + ("" if threshold else f" (% of {what})")
        writer.metric(mid, of=element, new={"name": name, "unit": unit}, values={**values, "actual": values["target"]},
                      evidence=1, source=table.file, how=how)
        writer.notes.append(f"{mid}: new metric from an SLO; an SLO file holds no measurement, so its actual is "
                            f"set to the target until measured")


def _time_metric(writer: Writer, of: str) -> Metric | None:
    return next((m for m in _metrics_of(writer, of) if m.better == "lower" and time_unit(m.unit)), None)


def _turnaround(writer: Writer, mid: str, of: str, name: str, row: Any, unit: str, target: float | None,
                source: str, how: str) -> None:
    seconds = time_unit(unit) or 3600.0
    actual = uncertain(row.low / seconds, row.value / seconds, row.high / seconds)
    existing = writer.metrics.get(mid)
    if existing is not None:
        writer.metric(mid, of=of, new={}, values={"actual": actual}, evidence=int(row.n), source=source, how=how)
        return
    chosen = rounded(actual.value) if target is None else target
    writer.metric(mid, of=of, new={"name": name, "unit": unit, "better": "lower", **_ideal(0.0)},
                  values={"actual": actual, "target": chosen}, evidence=int(row.n), source=source, how=how)
    if target is None:
        writer.notes.append(f"{mid}: new turnaround metric; its target is left for you (set to the actual, "
                            f"so its gap is 0 until you set one)")


def write_events(writer: Writer, table: EvidenceTable, matcher: Matcher, *, percentile: float, unit: str,
                 target: float | None, matches: list[Match]) -> pd.DataFrame:
    """Write step turnarounds and journey end-to-end times; return their distributions (in ``unit``)."""
    if time_unit(unit) is None:
        raise ValueError(f"turnaround unit {unit!r} is not a unit of time (use minutes, hours, days or weeks)")
    f = table.frame
    case, time, start = f["case"].to_numpy(dtype=object), f["time"].to_numpy(), f["start"].to_numpy()
    ids, found = matcher.match(f["activity"].to_numpy(dtype=object), table.file)
    matches += found
    turn = step_turnarounds(case, time, start)
    first = int(np.count_nonzero(pd.notna(ids) & np.isnan(turn)))
    if first:
        writer.notes.append(f"{table.file}: {first} matched events open their case and have no start time: "
                            f"no turnaround for them")
    model = writer.model
    tps = {t.id: t for t in model.touchpoints}
    journey_of = {t.id: j.id for j in model.journeys for t in j.touchpoints}
    what = "median" if percentile == 50 else f"{percentile:g}th percentile"
    steps = summarise(ids, turn, case, percentile)
    for row in steps.itertuples(index=False):
        tp = tps[row.id]
        existing = _time_metric(writer, tp.id)
        mid = existing.id if existing is not None else f"turnaround-{tp.id}"
        how = f"{what} step turnaround of {row.cases} cases, range 10th-90th percentile"
        _turnaround(writer, mid, tp.id, f"Turnaround of {tp.name}", row,
                    existing.unit if existing is not None else unit, target, table.file, how)  # type: ignore[arg-type]
    jids = pd.Series(ids, dtype=object).map(journey_of).to_numpy(dtype=object)
    order = {j.id: n for n, j in enumerate(model.journeys)}
    spans = case_durations(case, time, start, jids, order)
    journeys = summarise(spans["journey"].to_numpy(dtype=object), spans["duration"].to_numpy(),
                         spans["case"].to_numpy(dtype=object), percentile)
    by_id = {j.id: j for j in model.journeys}
    for row in journeys.itertuples(index=False):
        journey = by_id[row.id]
        if not journey.touchpoints:
            continue
        how = f"{what} end-to-end time of {row.cases} cases, range 10th-90th percentile"
        mid = f"e2e-{journey.id}"
        existing = writer.metrics.get(mid)
        _turnaround(writer, mid, journey.touchpoints[-1].id, f"End-to-end time of {journey.name}", row,
                    existing.unit if existing is not None and existing.unit else unit, target, table.file, how)
    seconds = time_unit(unit) or 3600.0
    out = pd.concat([steps.assign(kind="step"), journeys.assign(kind="journey")], ignore_index=True)
    for col in [*(f"p{p}" for p in PERCENTILES), "value", "low", "high"]:
        out[col] = out[col].astype(float) / seconds
    out["unit"] = unit
    out["source"] = table.file
    return out[["kind", "id", "n", "cases", *(f"p{p}" for p in PERCENTILES), "value", "unit", "source"]]


def _survey_target(writer: Writer, tp_ids: list[str], scale: str) -> Metric | None:
    unit = SCALES[scale].unit.lower()
    if scale == "top2":
        return None
    found = [m for t in tp_ids for m in _metrics_of(writer, t) if (m.unit or "").strip().lower() == unit]
    return found[-1] if found else None


def write_surveys(writer: Writer, table: EvidenceTable, matcher: Matcher, *, scale: str | None,
                  target: float | None, matches: list[Match], extra: dict[str, list[RowProblem]]) -> None:
    """Write the survey score of every matched touchpoint or journey to its metric."""
    f = table.frame
    ids, found = matcher.match(f["subject"].to_numpy(dtype=object), table.file)
    matches += found
    score = f["score"].to_numpy(dtype=float)
    chosen = scale or guess_scale(str(f.attrs.get("column", "")), score)
    if chosen not in SCALES:
        raise ValueError(f"unknown survey scale {chosen!r}: use {', '.join(SCALES)}")
    spec = SCALES[chosen]
    keep = pd.notna(ids)
    scores, off = score_surveys(ids[keep], score[keep], chosen)
    if off.any():
        rows = f["row"].to_numpy()[keep][off]
        extra.setdefault(table.file, []).append(
            RowProblem(f"score outside the {spec.name} scale ({spec.low:g}-{spec.high:g})", int(off.sum()),
                       tuple(int(r) for r in rows[:5])))
    model = writer.model
    journeys = {j.id: j for j in model.journeys}
    tps = {t.id: t for t in model.touchpoints}
    for row in scores.itertuples(index=False):
        journey = journeys.get(row.id)
        tp_ids = [t.id for t in journey.touchpoints] if journey is not None else [row.id]
        if not tp_ids:
            continue
        existing = _survey_target(writer, tp_ids, chosen)
        actual = uncertain(row.low, row.value, row.high)
        how = f"{spec.name} of {row.n} responses, 90 % sampling interval"
        if existing is not None:
            writer.metric(existing.id, of=existing.of, new={}, values={"actual": actual}, evidence=int(row.n),
                          source=table.file, how=how)
            continue
        of = tp_ids[-1]
        mid = f"{chosen}-{row.id}"
        name = f"{spec.name} of {journey.name}" if journey is not None else f"{spec.name} at {tps[row.id].name}"
        goal = rounded(actual.value) if target is None else target
        writer.metric(mid, of=of, new={"name": name, "unit": spec.unit, "better": "higher", **_ideal(spec.ideal)},
                      values={"actual": actual, "target": goal}, evidence=int(row.n), source=table.file, how=how)
        if target is None:
            writer.notes.append(f"{mid}: new survey metric; its target is left for you (set to the actual)")
