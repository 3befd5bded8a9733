"""The ``calibrate`` command: write numbers from evidence (incidents, SLOs, event logs, surveys) into a model."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..errors import AnalysisInputError
from ._common import EXIT_OK, EXIT_USAGE, add_model, load_model, run

__all__ = ["parse_columns", "register"]


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "calibrate", help="write failure rates, SLO targets, turnarounds and survey scores from evidence",
        description="Read incident and outage history (ServiceNow CSV, PagerDuty JSON), SLOs (OpenSLO), journey "
                    "event logs (CSV, XES) and survey responses (CSV, Qualtrics), match what they name to the "
                    "model's elements and touchpoints, and write failures per year, recovery hours, metric "
                    "targets, turnarounds and scores (with ranges) into a new model file. The report lists what "
                    "was read, matched and unmatched, and every value written. MODEL is never overwritten unless "
                    "-o names it.")
    add_model(p, "model")
    p.add_argument("-o", "--output", metavar="OUT", help="the calibrated model file to write (.yaml, .json)")
    p.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    for name, what in (("incidents", "incident export: ServiceNow CSV, PagerDuty JSON, or CSV with --incident-columns"),
                       ("outages", "ServiceNow outage records (CSV)"), ("slos", "OpenSLO v1 file (YAML)"),
                       ("events", "event log (CSV or .xes)"), ("surveys", "survey responses (CSV or Qualtrics)")):
        p.add_argument(f"--{name}", action="append", default=[], metavar="F", help=f"{what}; may be repeated")
    p.add_argument("--window-days", type=float, metavar="N",
                   help="count incidents over the N days up to the last record (default: the records' span)")
    p.add_argument("--window", nargs=2, metavar=("START", "END"), help="count incidents from START to END (UTC)")
    p.add_argument("--match-property", action="append", default=[], metavar="KEY",
                   help="a property whose values also name items (after ids and names), e.g. servicenow_ci")
    p.add_argument("--outage-priorities", default="1,2", metavar="P,...",
                   help="incident priorities that count as outages (default: 1,2); 'all' for every incident")
    p.add_argument("--include-planned", action="store_true", help="count planned outages too")
    p.add_argument("--degradation-weight", type=float, default=0.0, metavar="W",
                   help="how much a degradation record counts, 0-1 (default: 0)")
    p.add_argument("--percentile", type=float, default=50, metavar="P",
                   help="turnaround percentile written (default: 50, the median)")
    p.add_argument("--turnaround-unit", default="hours", metavar="UNIT",
                   help="unit of new turnaround metrics: minutes, hours, days, weeks (default: hours)")
    p.add_argument("--turnaround-target", type=float, metavar="T", help="target of new turnaround metrics")
    p.add_argument("--survey-scale", choices=("nps", "csat", "top2"), help="survey scale (default: guessed)")
    p.add_argument("--survey-target", type=float, metavar="T", help="target of new survey metrics")
    for name in ("incident", "outage", "event", "survey"):
        p.add_argument(f"--{name}-columns", metavar="ROLE=COLUMN,...",
                       help=f"column names of the {name} files by role (see the docs)")
    p.add_argument("--dayfirst", action="store_true", help="read 01/03/2024 as 1 March")
    p.add_argument("--format", choices=("table", "json"), default="table", help="report format (default: table)")
    p.add_argument("--report", metavar="FILE", help="also write the report as JSON to FILE")
    p.set_defaults(run=lambda a: run(_calibrate, a))


def parse_columns(text: str | None, option: str) -> dict[str, str] | None:
    """Read ``role=column,role=column`` (column names may hold spaces).

    Examples
    --------
    >>> from cxgraph.cli.calibrate_cmds import parse_columns
    >>> parse_columns("ci=Service name,opened=Start", "--incident-columns")
    {'ci': 'Service name', 'opened': 'Start'}
    """
    if not text:
        return None
    out = {}
    for part in text.split(","):
        role, eq, column = part.partition("=")
        if not eq or not role.strip() or not column.strip():
            raise AnalysisInputError(f"{option}: expected ROLE=COLUMN pairs separated by commas, got {part!r}")
        out[role.strip()] = column.strip()
    return out


def _priorities(text: str) -> list[int] | None:
    if text.strip().lower() == "all":
        return None
    try:
        return [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise AnalysisInputError(f"--outage-priorities: expected numbers separated by commas, or 'all', "
                                 f"got {text!r}") from None


def _calibrate(args: argparse.Namespace) -> int:
    from ..calibrate import calibrate
    from ..io import save

    if not args.dry_run and not args.output:
        print("cxgraph: error: give -o OUT for the calibrated model, or --dry-run", file=sys.stderr)
        return EXIT_USAGE
    if not any((args.incidents, args.outages, args.slos, args.events, args.surveys)):
        print("cxgraph: error: no evidence given: use --incidents, --outages, --slos, --events or --surveys",
              file=sys.stderr)
        return EXIT_USAGE
    window: Any = tuple(args.window) if args.window else args.window_days
    model = load_model(args.model)
    calibrated, report = calibrate(
        model, incidents=args.incidents, outages=args.outages, slos=args.slos, events=args.events,
        surveys=args.surveys, window=window, match_property=args.match_property,
        outage_priorities=_priorities(args.outage_priorities), include_planned=args.include_planned,
        degradation_weight=args.degradation_weight, percentile=args.percentile,
        turnaround_unit=args.turnaround_unit, turnaround_target=args.turnaround_target,
        survey_scale=args.survey_scale, survey_target=args.survey_target,
        incident_columns=parse_columns(args.incident_columns, "--incident-columns"),
        outage_columns=parse_columns(args.outage_columns, "--outage-columns"),
        event_columns=parse_columns(args.event_columns, "--event-columns"),
        survey_columns=parse_columns(args.survey_columns, "--survey-columns"), dayfirst=args.dayfirst)
    report.written = not args.dry_run
    if not args.dry_run:
        save(calibrated, args.output)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        print(report.to_text())
    if args.report:
        from .._files import write_text

        write_text(args.report, report.to_json(indent=2) + "\n")
    if not args.dry_run:
        print(f"wrote {args.output}", file=sys.stderr if args.format == "json" else sys.stdout)
    return EXIT_OK
