"""Commands about customer impact: ``impact``, ``what-if``, ``spof`` and ``explain``."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ._common import (
    EXIT_OK,
    add_format,
    add_measure,
    add_model,
    emit,
    load_model,
    load_model_or_estate,
    names_of,
    positive_int,
    run,
    say_more,
)

__all__ = ["register"]

TABLE_TOP = 20


def _level(text: str) -> tuple[str, float]:
    """Parse ``ID=LEVEL`` for ``--degrade``."""
    key, sep, value = text.rpartition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected ID=LEVEL (e.g. crm=0.5), got {text!r}")
    try:
        level = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number after '=' in {text!r}") from None
    return key, level


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "impact", help="customer impact of every element, touchpoint and capability, ranked",
        description="Rank elements and capabilities by customer impact: the loss per period if each one failed, "
                    "in customer interactions (default), customers who cannot complete their journey, or revenue. "
                    "JSON covers every element (touchpoints included, kind "
                    "'touchpoint') and every capability at full precision.")
    add_model(p)
    p.add_argument("--top", type=positive_int, default=None,
                   help=f"show only the N highest of each list (default: {TABLE_TOP} in a table, all otherwise)")
    add_measure(p)
    add_format(p)
    p.add_argument("--no-progress", action="store_true",
                   help="never show the progress bar (shown on a terminal for models of 10,000 nodes or more)")
    p.set_defaults(run=lambda a: run(_impact, a))

    p = sub.add_parser(
        "what-if", help="what fails and who is hit when elements fail or degrade",
        description="Propagate a scenario: elements, touchpoints or capabilities that fail (--fail) or degrade "
                    "(--degrade ID=LEVEL, LEVEL in [0, 1]); print the customers lost per journey, revenue at "
                    "risk and the touchpoints fully lost.")
    add_model(p)
    p.add_argument("--fail", action="append", default=[], metavar="ID", help="an id that fails (repeatable)")
    p.add_argument("--degrade", action="append", default=[], type=_level, metavar="ID=LEVEL",
                   help="an id degraded to LEVEL in [0, 1] (repeatable)")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_what_if, a), parser=p)

    p = sub.add_parser(
        "spof", help="single points of failure, and pairs that are one together",
        description="List the elements whose failure alone fully loses a touchpoint (redundancy respected), "
                    "and the pairs of elements that together lose a touchpoint neither loses alone.")
    add_model(p)
    p.add_argument("--max-pair-elements", type=int, default=None, metavar="N",
                   help="search pairs only in models with at most N elements (default 2000)")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_spof, a))

    p = sub.add_parser(
        "explain", help="why an element or capability has its impact: touchpoints, journeys, paths",
        description="Explain an impact: the touchpoints and journeys it comes from (shares sum to the impact) "
                    "and the strongest dependency path to each touchpoint.")
    add_model(p)
    p.add_argument("id", metavar="ID", help="id of an element, touchpoint or capability")
    p.add_argument("--top", type=positive_int, default=None,
                   help=f"show only the N strongest paths (default: {TABLE_TOP} in a table, all otherwise); "
                        "the output says how many it leaves out")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_explain, a))


def _number(value: float) -> str:
    from ..formatting import number

    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else number(value)


def _table(title: str, frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    shown = frame.copy()
    for col in numeric:
        shown[col] = shown[col].map(_number)
    body = shown.to_string(index=False) if len(shown) else "  (none)"
    return f"{title}\n{body}\n"


def _impact(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.impact import impact

    model = load_model_or_estate(args.file)
    result = impact(model, measure=args.measure, progress=False if args.no_progress else None)
    say_more(model, result.notes)
    frame = result.to_frame()
    limit = args.top
    if args.format == "json":
        data = result.to_dict()
        if limit is not None:
            data = {**data, "items": data["items"][:limit], "capability_items": data["capability_items"][:limit]}
        emit(None, jsonable(data), "json")
    elif args.format == "csv":
        if limit is not None:
            frame = frame.groupby("type", sort=False).head(limit)
        emit(frame, None, "csv")
    else:
        n = limit or TABLE_TOP
        cols = ["rank", "id", "name", "kind", "impact", "journeys", "touchpoints"]
        out = [f"{result.model_name}: customer impact ({result.unit})", ""]
        elements = result.elements()
        out.append(_table(f"Elements (top {min(n, len(elements))} of {len(elements)})", elements[cols].head(n),
                          ("impact",)))
        caps = result.capabilities()
        out.append(_table(f"Capabilities (top {min(n, len(caps))} of {len(caps)})",
                          caps[[c for c in cols if c != "kind"]].head(n), ("impact",)))
        sys.stdout.write("\n".join(out))
    return EXIT_OK


def _what_if(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.whatif import what_if

    if not args.fail and not args.degrade:
        args.parser.error("give at least one --fail ID or --degrade ID=LEVEL")
    degrade: dict[str, float] = {}
    for key, level in args.degrade:
        if not 0.0 <= level <= 1.0:  # as the API refuses it; also refuses nan, which max() would drop
            raise AnalysisInputError(f"degradation level of {key!r} must be between 0 and 1, got {level!r}")
        degrade[key] = max(degrade.get(key, 0.0), level)
    model = load_model_or_estate(args.file)
    result = what_if(model, fail=args.fail, degrade=degrade, measure=args.measure)
    names = names_of(model)
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
    elif args.format == "csv":
        emit(result.to_frame(), None, "csv")
    else:
        journeys = result.journeys
        journeys["share_lost"] = journeys["share_lost"].map(lambda x: f"{100 * x:.1f}%")
        period = result.unit.rpartition("/ ")[2]
        scenario = ", ".join(f"{k}={v:g}" for k, v in result.scenario.items())
        out = [f"{result.model_name}: what if {scenario}", "",
               f"loss ({result.measure}): {_number(result.loss)} {result.unit}",
               f"customer interactions lost: {_number(result.interactions_lost)} / {period}",
               f"customers who cannot complete their journey: {_number(result.customers_lost)} / {period}",
               f"revenue at risk: {_number(result.revenue_at_risk)} / {period}", ""]
        out.append(_table("Journeys", journeys[["journey", "name", "segment", "share_lost", "interactions_lost",
                                                "customers_lost", "revenue_at_risk"]],
                          ("interactions_lost", "customers_lost", "revenue_at_risk")))
        lost = result.lost_touchpoints
        shown = [names.get(t, t) for t in lost]
        out.append(f"Touchpoints fully lost ({len(lost)}): " + (", ".join(shown) if lost else "none") + "\n")
        degraded = result.to_frame()
        degraded = degraded[(degraded["degradation"] > 0) & (degraded["type"] == "element")]
        out.append(f"Elements degraded: {len(degraded)}\n")
        sys.stdout.write("\n".join(out))
    return EXIT_OK


def _spof(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.spof import MAX_PAIR_ELEMENTS, single_points_of_failure

    limit = MAX_PAIR_ELEMENTS if args.max_pair_elements is None else args.max_pair_elements
    model = load_model(args.file)
    result = single_points_of_failure(model, max_pair_elements=limit, measure=args.measure)
    names = names_of(model)
    frame = result.to_frame()
    if args.format == "json":
        emit(None, jsonable(result.to_dict()), "json")
    elif args.format == "csv":
        frame["touchpoints"] = frame["touchpoints"].map(";".join)
        emit(frame, None, "csv")
    else:
        frame["touchpoints"] = frame["touchpoints"].map(len)
        frame["owner"] = frame["owner"].map(lambda o: names.get(o, o) if isinstance(o, str) else "-")
        pairs = result.pairs
        for end in ("first", "second"):
            pairs[end] = pairs[end].map(lambda x: names.get(x, x))
        pairs["touchpoints"] = pairs["touchpoints"].map(lambda ts: "; ".join(names.get(t, t) for t in ts))
        out = [f"{result.model_name}: single points of failure ({result.unit})", "",
               _table(f"Elements that alone fully lose a touchpoint ({len(frame)})", frame, ("loss",)),
               _table(f"Pairs that together lose a touchpoint neither loses alone ({len(pairs)})", pairs,
                      ("loss",)),
               result.note + "\n"]
        sys.stdout.write("\n".join(out))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.explain import explain

    model = load_model(args.file)
    result = explain(model, args.id, measure=args.measure)
    names = names_of(model)
    if args.format == "json":
        data = result.to_dict()
        if args.top is not None and len(data["path_items"]) > args.top:
            left = len(data["path_items"]) - args.top
            data = {**data, "path_items": data["path_items"][:args.top],
                    "notes": [*data.get("notes", []), f"{left} more paths left out (--top {args.top})"]}
        emit(None, jsonable(data), "json")
    elif args.format == "csv":
        emit(result.to_frame(), None, "csv")
    else:
        tps = result.touchpoints
        tps["touchpoint"] = tps["touchpoint"].map(lambda t: names.get(t, t))
        tps["journey"] = tps["journey"].map(lambda j: names.get(j, j))
        tps["fraction"] = tps["fraction"].map(lambda x: f"{100 * x:.1f}%")
        journeys = result.journeys
        journeys["fraction"] = journeys["fraction"].map(lambda x: f"{100 * x:.1f}%")
        limit = args.top or TABLE_TOP
        paths = result.paths.head(limit)
        lines = [f"  {row.strength:.3g}  " + " -> ".join(names.get(p, p) for p in row.path)
                 for row in paths.itertuples()]
        if len(result.paths) > len(paths):
            left = len(result.paths) - len(paths)
            lines.append(f"  ... and {left} more path{'s' if left != 1 else ''} left out "
                         f"(--top {len(result.paths)} shows all)")
        out = [f"{result.model_name}: {result.type} {result.id} ({result.name})",
               f"impact: {_number(result.impact)} {result.unit}", "",
               _table("Journeys", journeys, ("share",)),
               _table("Touchpoints", tps[["touchpoint", "journey", "weight", "degradation", "share", "fraction"]],
                      ("weight", "share")),
               f"Strongest dependency paths (strength, touchpoint -> ... -> {result.name})",
               *(lines or ["  (none)"]), ""]
        sys.stdout.write("\n".join(out))
    return EXIT_OK
