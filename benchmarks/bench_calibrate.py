"""Benchmark calibration: a 1,000,000-row incident export and a 1,000,000-event log calibrate the M model.

    python benchmarks/bench_calibrate.py [--rows 1000000] [--events 1000000] [--plain-sample 200000]

Writes the two files (ServiceNow incident export layout; event log CSV) into a temporary
folder, then times ``cx.calibrate(model, incidents=..., events=...)`` end to end (reading,
matching, estimating, writing the values into a copy of the model and checking it) and its
parts. The plain way is measured in the same run on the same files: Python's ``csv``
module and ``datetime.strptime``, one loop iteration per row, dictionaries for the
matching, outages merged and turnarounds taken per element and per case in Python,
percentiles with ``statistics.quantiles``. Where ``--plain-sample`` is smaller than a file,
the plain way reads the first rows only and its time is scaled up (the output says so).
Both ways are checked to agree on a few elements and touchpoints.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cxgraph as cx
from benchmarks.generate import generate
from cxgraph.io.evidence import read_event_log_csv, read_servicenow_incidents

START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
YEAR = 365.25 * 86400
PRIORITIES = np.array(["1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"])


def _stamp(seconds: np.ndarray) -> np.ndarray:
    return np.array(pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S"), dtype=object)


def write_incidents(model: cx.Model, rows: int, path: Path, rng: np.random.Generator) -> None:
    names = [e.name for e in model.elements if e.kind not in ("team", "vendor")]
    names = np.array([*names[:5], "Legacy mainframe", *names[5:]])   # a CI the model does not know
    ci = names[rng.zipf(1.3, rows) % len(names)]
    opened = START + rng.uniform(0, YEAR, rows)
    resolved = opened + rng.lognormal(np.log(2 * 3600), 1.0, rows)
    resolved_text = _stamp(resolved)
    resolved_text[rng.random(rows) < 0.002] = ""          # still open
    frame = pd.DataFrame({
        "number": [f"INC{i:07d}" for i in range(rows)], "opened_at": _stamp(opened),
        "short_description": "Users report errors, see the monitoring alert",
        "priority": PRIORITIES[rng.choice(5, rows, p=[0.03, 0.12, 0.45, 0.35, 0.05])],
        "state": "Closed", "cmdb_ci": ci, "resolved_at": resolved_text})
    frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL, encoding="utf-8-sig")


def write_events(model: cx.Model, events: int, path: Path, rng: np.random.Generator) -> None:
    journeys = [[t.name for t in j.touchpoints] for j in model.journeys]
    per_case = 10
    cases = events // per_case
    journey = rng.integers(len(journeys), size=cases)
    case_ids = np.repeat([f"C{i:07d}" for i in range(cases)], per_case)
    steps = np.array([np.array(journeys[j])[np.sort(rng.choice(len(journeys[j]), per_case, replace=False))]
                      for j in journey]).ravel()
    gaps = rng.lognormal(np.log(3600), 1.2, cases * per_case).reshape(cases, per_case)
    times = (START + rng.uniform(0, YEAR, cases))[:, None] + np.cumsum(gaps, axis=1)
    frame = pd.DataFrame({"case_id": case_ids, "activity": steps, "timestamp": _stamp(times.ravel())})
    frame.to_csv(path, index=False)


# ---------------------------------------------------------------- the plain way
def _parse(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()


def plain_way(model: cx.Model, incidents: Path, events: Path, limit: int | None) -> tuple[dict, dict]:
    by_name = {e.name: e.id for e in model.elements} | {e.id: e.id for e in model.elements}
    spans: dict[str, list[tuple[float, float]]] = {}
    with incidents.open(encoding="utf-8-sig", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if limit is not None and i >= limit:
                break
            eid = by_name.get(row["cmdb_ci"])
            if eid is None or not row["resolved_at"] or row["priority"][:1] not in ("1", "2"):
                continue
            spans.setdefault(eid, []).append((_parse(row["opened_at"]), _parse(row["resolved_at"])))
    reliability = {}
    for eid, intervals in spans.items():
        intervals.sort()
        merged = [list(intervals[0])]
        for s, e in intervals[1:]:
            if s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        hours = [(e - s) / 3600 for s, e in merged]
        reliability[eid] = (len(merged), sum(hours) / len(hours))
    tp_of = {t.name: t.id for t in model.touchpoints}
    last: dict[str, float] = {}
    waits: dict[str, list[float]] = {}
    with events.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if limit is not None and i >= limit:
                break
            t = _parse(row["timestamp"])
            previous = last.get(row["case_id"])
            last[row["case_id"]] = t
            tp = tp_of.get(row["activity"])
            if tp is not None and previous is not None:
                waits.setdefault(tp, []).append((t - previous) / 3600)
    turnaround = {tp: statistics.median(w) for tp, w in waits.items()}
    return reliability, turnaround


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--plain-sample", type=int, default=None, help="rows the plain way reads (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    t = time.perf_counter()
    model = generate("M", args.seed)
    print(f"M model: {len(model.elements):,} elements, {len(model.touchpoints):,} touchpoints "
          f"(generated in {time.perf_counter() - t:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        incidents, events = Path(tmp) / "incident.csv", Path(tmp) / "events.csv"
        t = time.perf_counter()
        write_incidents(model, args.rows, incidents, rng)
        write_events(model, args.events, events, rng)
        print(f"files: {args.rows:,} incidents ({incidents.stat().st_size / 1e6:.0f} MB), {args.events:,} events "
              f"({events.stat().st_size / 1e6:.0f} MB), written in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        read_servicenow_incidents(incidents)
        t_inc = time.perf_counter() - t
        t = time.perf_counter()
        read_event_log_csv(events)
        t_ev = time.perf_counter() - t
        t = time.perf_counter()
        cpu = time.process_time()
        calibrated, report = cx.calibrate(model, incidents=incidents, events=events,
                                          window=("2024-01-01", "2025-01-15"))
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"read the incident export: {t_inc:.2f} s; read the event log: {t_ev:.2f} s")
        print(f"cx.calibrate end to end: {wall:.2f} s wall ({cpu:.2f} s CPU); "
              f"{len(report.changes):,} values written, {len(report.unmatched)} names unmatched  (target <= 60 s)")

        limit = args.plain_sample
        t = time.perf_counter()
        reliability, turnaround = plain_way(model, incidents, events, limit)
        plain = time.perf_counter() - t
        scale = 1.0 if limit is None or limit >= max(args.rows, args.events) else max(args.rows, args.events) / limit
        note = "" if scale == 1 else f" (first {limit:,} rows of each file, scaled x{scale:.1f})"
        print(f"the plain way (csv module, a Python loop per row): {plain * scale:.1f} s{note}")
        print(f"speed-up: {plain * scale / wall:.1f} x")
        if scale == 1:
            est = {e.id: e for e in calibrated.elements}
            worst = max(abs(est[eid].recovery_hours.mode - rh) / rh for eid, (_n, rh) in reliability.items())
            tps = {m.of: m for m in calibrated.metrics if m.id.startswith("turnaround-")}
            worst_t = max(abs(tps[tp].actual.mode - v) / v for tp, v in turnaround.items())
            print(f"agreement: recovery hours to {worst:.1e}, median turnarounds to {worst_t:.1e} (relative; the "
                  f"model keeps 6 significant digits)")


if __name__ == "__main__":
    main()
