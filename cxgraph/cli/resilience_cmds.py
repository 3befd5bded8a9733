"""Commands about operational resilience: ``resilience`` (disruption against tolerances) and ``resilience-map``."""

from __future__ import annotations

import argparse
import math
from typing import Any

import pandas as pd

from ._common import add_format, add_measure, add_model, emit, load_model, run

__all__ = ["register"]


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "resilience", help="how long each journey stays disrupted under each scenario, against its tolerance",
        description="For every disruption scenario and journey: how many hours the journey stays disrupted "
                    "(its journey loss above the tolerance's loss), whether that breaches the journey's impact "
                    "tolerance, the customers harmed, and which element's recovery ends the disruption. "
                    "Scenarios come from the model file (scenarios:), or are generated (--plausible).")
    add_model(p)
    p.add_argument("--scenario", action="append", default=[], metavar="ID",
                   help="only this scenario of the model (repeatable; default: every scenario)")
    p.add_argument("--plausible", action="store_true",
                   help="generate severe-but-plausible scenarios: each site, vendor, shared platform and "
                        "single point of failure")
    p.add_argument("--by", action="append", default=None, metavar="tag:PREFIX|property:KEY",
                   help="with --plausible: where sites are named (default: tag:site and property:site)")
    p.add_argument("--breaches", action="store_true", help="show only the breaches of a tolerance")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_resilience, a))

    p = sub.add_parser(
        "resilience-map", help="what each journey with a tolerance rests on, by kind, and vendor concentration",
        description="For each journey with an impact tolerance: every element it rests on (a touchpoint is "
                    "degraded when that element fails), grouped by kind, with its recovery time and whether that "
                    "alone exceeds the tolerance. Then each vendor with the journeys and customers resting on it.")
    add_model(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_map, a))


def _hours(value: Any) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.4g} h"


def _num(value: Any) -> str:
    return f"{value:,.1f}" if isinstance(value, float | int) and math.isfinite(value) else "-"


def _resilience(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.resilience import resilience

    if args.plausible and args.scenario:
        raise ValueError("give either --scenario or --plausible, not both")
    if args.by and not args.plausible:
        raise ValueError("--by applies only with --plausible")
    scenarios: Any = "plausible" if args.plausible else (args.scenario or None)
    result = resilience(load_model(args.file), scenarios=scenarios, measure=args.measure,
                        by=args.by if args.plausible else None)
    frame = result.breaches() if args.breaches else result.to_frame()
    if args.format == "json":
        data = result.to_dict()
        if args.breaches:
            data["items"] = [row for row in data["items"] if row["breach"]]
        emit(None, jsonable(data), "json")
        return 0
    if args.format == "csv":
        emit(frame.assign(ended_by_ids=[";".join(x) for x in frame["ended_by_ids"]]), None, "csv")
        return 0
    scen = result.scenarios
    n_breaches = int(result.to_frame()["breach"].sum())
    out = [f"{result.model_name}: {len(scen)} scenario{'s' * (len(scen) != 1)}, {n_breaches} "
           f"breach{'es' * (n_breaches != 1)} of an impact tolerance", ""]
    for s in scen.to_dict(orient="records"):
        rows = frame[frame["scenario"] == s["id"]]
        if args.breaches and rows.empty:
            continue
        out.append(f"{s['name']} ({s['id']}): fails {len(s['element_ids'])} element"
                   f"{'s' * (len(s['element_ids']) != 1)}" + (f" - {s['reason']}" if s["reason"] else ""))
        shown = pd.DataFrame({
            "journey": rows["id"], "tolerance": rows["tolerance_hours"].map(_hours),
            "disrupted": rows["disruption_hours"].map(_hours), "breach": rows["breach"].map({True: "BREACH",
                                                                                              False: ""}),
            "customers_harmed": rows["customers_harmed"].map(_num),
            "ends_when_restored": [", ".join(x) or "-" for x in rows["ended_by_ids"]]})
        out.append(shown.to_string(index=False) if len(shown) else "  (no journeys)")
        out.append("")
    for row in frame[frame["breach"]].to_dict(orient="records"):
        out.append(f"{row['scenario']}: {row['message']}")
    if scen.empty:
        out.append("note: the model has no scenarios: add `scenarios:` to the model file, or use --plausible")
    print("\n".join(out).rstrip())
    return 0


def _map(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.resilience_map import resilience_map

    result = resilience_map(load_model(args.file))
    frame = result.to_frame()
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
        return 0
    if args.format == "csv":
        emit(frame, None, "csv")
        return 0
    out = [f"{result.model_name}: what each journey with an impact tolerance rests on", ""]
    for jid, rows in frame.groupby("journey", sort=False):
        first = rows.iloc[0]
        out.append(f"{first['journey_name']} ({jid}), tolerance {_hours(first['tolerance_hours'])}")
        shown = pd.DataFrame({
            "group": rows["group"], "id": rows["id"], "name": rows["name"],
            "recovery": rows["recovery_hours"].map(_hours),
            "exceeds_tolerance": rows["exceeds_tolerance"].map({True: "yes", False: "no", None: "-"})})
        out += [shown.to_string(index=False), ""]
    for note in result.notes:
        out += [note, ""]
    vendors = result.vendors
    out.append("Vendor concentration")
    if vendors.empty:
        out.append("  (no vendors)")
    else:
        shown = pd.DataFrame({"vendor": vendors["id"], "journeys": vendors["n_journeys"],
                              f"customers / {result.period}": vendors["customers"].map(_num),
                              "customers_lost": vendors["customers_lost"].map(_num)})
        out.append(shown.to_string(index=False))
    print("\n".join(out).rstrip())
    return 0
