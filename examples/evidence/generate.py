"""Write the retail bank's evidence: incidents, outage records, SLOs, an event log and a survey (seeded).

    python examples/evidence/generate.py [--seed 12] [--out examples/evidence]

The files have the layout of the tools that export them: a ServiceNow incident export
(``incidents.csv``), ServiceNow outage records (``outages.csv``), an OpenSLO v1 file
(``slos.yaml``), a journey event log (``events.csv``: case id, activity, timestamp, start,
end) and survey responses (``survey.csv``: touchpoint and a 1-5 CSAT score). They name the
bank's systems and touchpoints as the tools would, by display name, with a few names the
model does not know. The same seed writes the same files.
"""

from __future__ import annotations

import argparse
import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
YEAR_START = datetime(2024, 1, 1)

# Outages (priority 1 or 2) per year of the bank's CIs, and the median hours to restore them.
OUTAGES = {
    "Core banking system": (3, 3.0), "Mobile banking app": (7, 1.2), "Identity and login service": (5, 1.5),
    "Payments hub": (2, 2.5), "Know-your-customer check": (6, 4.0),
    "Private cloud platform": (2, 2.0), "Payment gateway A (in-house)": (2, 1.5),
}
# CIs with tickets of priority 3 to 5 only (and two the model does not know).
OTHER_CIS = ["SAP ERP", "HR portal", "Branch teller system", "Fraud detection engine", "Document store",
             "API gateway", "Card management system", "Contact centre platform", "Loan origination system",
             "Customer relationship management", "Online banking portal"]
DESCRIPTIONS = ["Customers report errors, see the monitoring alert", "Service unavailable for some users",
                "Slow responses, timeouts in the logs", "Batch job failed, \"retry\" did not help",
                "Login loop after the release,\nrolled back at 10:40"]
GROUPS = {"Core banking system": "Core Banking Platform", "Mobile banking app": "Digital Channels",
          "Online banking portal": "Digital Channels", "Identity and login service": "Identity and Security"}


def _t(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def incidents(rng: np.random.Generator, out: Path) -> None:
    rows = []
    for ci, (rate, hours) in OUTAGES.items():
        for _ in range(int(rng.poisson(rate))):
            opened = YEAR_START + timedelta(days=float(rng.uniform(0, 366)))
            length = timedelta(hours=float(rng.lognormal(np.log(hours), 0.6)))
            rows.append((ci, "1 - Critical" if rng.random() < 0.4 else "2 - High", opened, opened + length))
            if rng.random() < 0.35:   # a second ticket for the same outage, raised while it was going on
                later = opened + length * float(rng.uniform(0.1, 0.6))
                rows.append((ci, "2 - High", later, later + length * float(rng.uniform(0.3, 0.8))))
    for ci in [*OUTAGES, *OTHER_CIS]:
        for _ in range(int(rng.poisson(40))):
            opened = YEAR_START + timedelta(days=float(rng.uniform(0, 366)))
            priority = str(rng.choice(["3 - Moderate", "4 - Low", "5 - Planning"], p=[0.5, 0.4, 0.1]))
            rows.append((ci, priority, opened, opened + timedelta(hours=float(rng.lognormal(np.log(20), 1)))))
    rows.append(("SAP ERP", "1 - Critical", datetime(2024, 8, 12, 9, 10), datetime(2024, 8, 12, 15, 10)))
    rows.sort(key=lambda r: r[2])
    with (out / "incidents.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["number", "opened_at", "short_description", "priority", "state", "assignment_group",
                         "cmdb_ci", "resolved_at", "close_code"])
        for i, (ci, priority, opened, resolved) in enumerate(rows):
            still_open = resolved > datetime(2024, 12, 31, 23, 59)
            writer.writerow([f"INC{10_000 + i:07d}", _t(opened), DESCRIPTIONS[i % len(DESCRIPTIONS)], priority,
                             "In Progress" if still_open else "Closed", GROUPS.get(ci, "IT Operations"), ci,
                             "" if still_open else _t(resolved), "" if still_open else "Solved (Permanently)"])


def outages(rng: np.random.Generator, out: Path) -> None:
    with (out / "outages.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "cmdb_ci", "type", "begin", "end", "short_description"])
        n = 0
        for month in range(1, 13):   # monthly patching of core banking, planned
            begin = datetime(2024, month, 7, 1, 0)
            n += 1
            writer.writerow([f"OUT{n:07d}", "Core banking system", "Planned", _t(begin),
                             _t(begin + timedelta(hours=2)), "Monthly patching window"])
        for _ in range(6):             # the payments hub slows down now and then
            begin = YEAR_START + timedelta(days=float(rng.uniform(0, 366)))
            n += 1
            writer.writerow([f"OUT{n:07d}", "Payments hub", "Degradation", _t(begin),
                             _t(begin + timedelta(hours=float(rng.uniform(2, 8)))), "Confirmations delayed"])
        n += 1
        writer.writerow([f"OUT{n:07d}", "Payment gateway A (in-house)", "Outage", "2024-10-01 10:00:00",
                         "2024-10-01 12:00:00", "Card authorisations failing"])


SLOS = """\
# OpenSLO v1: the bank's service level objectives.
apiVersion: openslo/v1
kind: SLO
metadata: {name: core-availability, displayName: Core banking availability}
spec:
  service: Core banking system
  indicator:
    metadata: {name: postings-ok}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(postings_total{outcome="ok"}[5m]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(postings_total[5m]))'}}}
  timeWindow: [{duration: 28d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{displayName: Availability, target: 0.9995}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: app-availability, displayName: Mobile app availability}
spec:
  service: Mobile banking app
  indicator:
    metadata: {name: app-requests-ok}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total{code!~"5.."}[5m]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total[5m]))'}}}
  timeWindow: [{duration: 28d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{displayName: Availability, target: 0.999}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: portal-latency, displayName: Online banking page load}
spec:
  service: Online banking portal
  indicator:
    metadata: {name: page-load-ms}
    spec:
      thresholdMetric:
        metricSource: {type: Prometheus, spec: {query: 'histogram_quantile(0.95, page_load_ms_bucket)'}}
  timeWindow: [{duration: 1M, calendar: {startTime: '2024-01-01 00:00:00', timeZone: Europe/London}}]
  budgetingMethod: Timeslices
  objectives: [{displayName: Fast pages, op: lte, value: 2000, target: 0.95, timeSliceTarget: 0.95,
                timeSliceWindow: 5m}]
"""

# Journey steps in order: (activity as the event log names it, median hours since the previous step,
# spread, whether the log gives the step's own start and end).
JOURNEYS = {
    "open-account": (260, [("Compare current accounts online", 0.2, 0.5, True),
                           ("Fill in the application in the app", 0.3, 0.4, True),
                           ("Verify identity with ID scan and selfie", 0.4, 1.6, False),
                           ("Receive account details by email", 70.0, 0.6, False),
                           ("Debit card arrives by post", 108.0, 0.25, False),
                           ("First login and set-up in the app", 20.0, 0.8, False)]),
    "apply-mortgage": (120, [("Submit the application and documents", 1.0, 0.5, True),
                             ("Receive a decision in principle", 150.0, 0.5, False),
                             ("Review and e-sign the mortgage offer", 340.0, 0.4, False),
                             ("Funds released on completion day", 700.0, 0.3, False)]),
}


def events(rng: np.random.Generator, out: Path) -> None:
    with (out / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "activity", "timestamp", "start", "end", "channel"])
        case = 0
        for prefix, (cases, steps) in JOURNEYS.items():
            for _ in range(cases):
                case += 1
                now = YEAR_START + timedelta(days=float(rng.uniform(0, 330)))
                for k, (activity, median, spread, timed) in enumerate(steps):
                    if k == 0 and prefix == "open-account" and rng.random() < 0.25:
                        continue   # not every customer compares first
                    length = timedelta(hours=float(rng.lognormal(np.log(median), spread)))
                    start, now = now, now + length
                    writer.writerow([f"{prefix[:2].upper()}-{case:05d}", activity, _t(now),
                                     _t(start) if timed else "", _t(now) if timed else "", "app"])


SURVEY = {"oa-verify-id": (2.7, 60), "Send the payment": (4.55, 120), "Call the card helpline": (2.9, 80),
          "Speak to a mortgage adviser": (4.45, 40), "Compare current accounts online": (3.9, 70),
          "Branch queue": (3.0, 15)}


def survey(rng: np.random.Generator, out: Path) -> None:
    with (out / "survey.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "submitted_at", "touchpoint", "csat", "comment"])
        n = 0
        for touchpoint, (mean, count) in SURVEY.items():
            p = np.exp(-0.9 * (np.arange(1, 6) - mean) ** 2)
            for _ in range(count):
                n += 1
                when = YEAR_START + timedelta(days=float(rng.uniform(0, 366)))
                writer.writerow([f"R{n:05d}", _t(when), touchpoint, int(rng.choice(np.arange(1, 6), p=p / p.sum())),
                                 ""])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the retail bank's evidence files.")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    incidents(rng, args.out)
    outages(rng, args.out)
    (args.out / "slos.yaml").write_text(SLOS, encoding="utf-8")
    events(rng, args.out)
    survey(rng, args.out)


if __name__ == "__main__":
    main()
