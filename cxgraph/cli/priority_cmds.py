"""Commands about what to fix first: ``priorities``, ``scorecard``, ``compare``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import pandas as pd

from ..errors import AnalysisInputError
from ._common import EXIT_OK, add_format, add_measure, add_model, emit, load_model, run

__all__ = ["register"]


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "priorities", help="rank capabilities (and elements) by priority score, with the reason for each",
        description="Rank capabilities (with --elements, also elements) by the priority score "
                    "(impact_share + risk_share + pain_share + own_gap) / effort, each part shown, with a "
                    "one-line reason naming the largest part and the journeys it comes from. Only the leaves of "
                    "the capability tree compete unless --level says otherwise.")
    add_model(p)
    p.add_argument("--elements", action="store_true", help="also rank elements")
    p.add_argument("--level", default="leaf", metavar="L",
                   help="which capabilities compete: leaf (default: those without children), all, or a level "
                        "number (1 = the top of the tree)")
    p.add_argument("--weights", metavar="K=V,...", default=None,
                   help="weights of the score's parts, e.g. impact=2,risk=1,pain=1,gap=0 (default: 1 each)")
    add_measure(p)
    p.add_argument("--top", type=int, default=None, metavar="N", help="show only the first N of each type")
    add_format(p)
    p.set_defaults(run=lambda a: run(_priorities, a))

    p = sub.add_parser(
        "scorecard", help="per team or vendor (or capability, or journey): impact, pain, metrics, top risks",
        description="A scorecard per owner (team or vendor), capability or journey: the customer impact and "
                    "pain of what it owns, its metrics with gaps, and its single points of failure.")
    add_model(p)
    p.add_argument("--by", choices=("owner", "capability", "journey"), default="owner",
                   help="one row per owner (default), capability or journey")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_scorecard, a))

    p = sub.add_parser(
        "compare", help="two versions of a model side by side: impact, pain, rank and single points of failure",
        description="Compare two versions of a model (as-is A, to-be B): the change in impact, pain, rank and "
                    "single points of failure per element, capability and journey, and what was added or removed.")
    add_model(p, "before")
    p.add_argument("after", metavar="AFTER", nargs="?", default=None,
                   help="the model after the change (a file or example:NAME); or give --initiatives")
    p.add_argument("--initiatives", metavar="ID,...", default=None,
                   help="instead of AFTER: initiatives of BEFORE to apply (removes, adds, sets, improves)")
    p.add_argument("--all", action="store_true", help="list unchanged items too (table and csv)")
    add_measure(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_compare, a))


def parse_weights(text: str | None) -> dict[str, float] | None:
    """Parse ``impact=2,pain=1,gap=0`` into a dict; raise :class:`AnalysisInputError` when malformed.

    Examples
    --------
    >>> from cxgraph.cli.priority_cmds import parse_weights
    >>> parse_weights("impact=2, gap=0")
    {'impact': 2.0, 'gap': 0.0}
    """
    if text is None:
        return None
    out: dict[str, float] = {}
    for part in filter(None, (s.strip() for s in text.split(","))):
        key, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            out[key.strip()] = float(value)
        except ValueError:
            raise AnalysisInputError(f"--weights expects KEY=NUMBER pairs such as impact=2,pain=1,gap=0; "
                                     f"got {part!r}") from None
    return out


def _show(frame: pd.DataFrame) -> pd.DataFrame:
    """Make lists readable and numbers short for the table and CSV outputs."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, list)).any():
            frame[col] = frame[col].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
    return frame


def _emit(result: Any, frame: pd.DataFrame, args: argparse.Namespace, payload: Any = None) -> int:
    if args.format == "json":
        emit(None, payload if payload is not None else result.to_dict(), "json")
        return EXIT_OK
    frame = _show(frame)
    if args.format == "table":
        frame = frame.round(4)
        for col in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[col]):
                text = frame[col].map(lambda v: "-" if v is None or (isinstance(v, float) and v != v) else str(v))
                frame[col] = text.str.ljust(int(text.str.len().max())) if col == frame.columns[-1] else text
    if args.format == "table":
        with pd.option_context("display.width", 250, "display.max_colwidth", 250, "display.max_rows", 1000):
            text = frame.to_string(index=False)
        sys.stdout.write("\n".join(line.rstrip() for line in text.splitlines()) + "\n")
    else:
        emit(frame, None, args.format)
    notes = list(getattr(result, "notes", ()))
    out = sys.stdout if args.format == "table" else sys.stderr
    for note in notes:
        print(f"note: {note}", file=out)
    return EXIT_OK


def _priorities(args: argparse.Namespace) -> int:
    from ..analysis.priorities import priorities

    if args.top is not None and args.top < 0:
        raise AnalysisInputError(f"--top must be >= 0, got {args.top}")
    level: str | int = args.level
    if level not in ("leaf", "all"):
        try:
            level = int(level)
        except ValueError:
            raise AnalysisInputError(f"--level must be leaf, all or a level number >= 1, got {args.level!r}") from None
    result = priorities(load_model(args.file), elements=args.elements, weights=parse_weights(args.weights),
                        measure=args.measure, level=level)
    frame = result.to_frame()
    if args.top is not None:
        frame = frame.groupby("type", sort=False).head(args.top).reset_index(drop=True)
    if args.format == "table":
        frame = frame[["rank", "id", "type", "score", "impact_share", "risk_share", "pain_share", "own_gap", "effort",
                       "why"]]
        print(f"{result.formula}   (impact and risk in {result.unit}; expected loss {result.expected_loss:,.0f})")
    return _emit(result, frame, args)


def _scorecard(args: argparse.Namespace) -> int:
    from ..analysis.scorecard import scorecard

    result = scorecard(load_model(args.file), by=args.by, measure=args.measure)
    frame = result.to_frame()
    if args.format == "table":
        frame = frame.drop(columns=["name"])
        print(f"Scorecard by {result.by}   (impact and pain in {result.unit})")
    return _emit(result, frame, args)


def _compare(args: argparse.Namespace) -> int:
    from ..analysis.compare import compare

    if (args.after is None) == (args.initiatives is None):
        raise AnalysisInputError("give the model after the change (AFTER) or --initiatives ID,..., one of the two")
    before = load_model(args.before)
    if args.initiatives is not None:
        ids = [i.strip() for i in args.initiatives.split(",") if i.strip()]
        result = compare(before, initiatives=ids, measure=args.measure)
    else:
        result = compare(before, load_model(args.after), measure=args.measure)
    frame = result.to_frame() if args.all else result.changed()
    if args.format == "table":
        before, after = result.total_pain_before, result.total_pain_after
        print(f"total pain: {float(before):,.1f} -> {float(after):,.1f} ({float(after) - float(before):+,.1f}; "
              f"customer {before.customer:,.1f} -> {after.customer:,.1f}, IT {before.it:,.1f} -> {after.it:,.1f})")
        for label, ids in (("added", result.added), ("removed", result.removed)):
            listed = [f"{t} {', '.join(v)}" for t, v in ids.items() if v]
            print(f"{label}: {'; '.join(listed) if listed else 'nothing'}")
        print(f"new single points of failure: {', '.join(result.new_spofs) or 'none'}; "
              f"resolved: {', '.join(result.resolved_spofs) or 'none'}")
        if frame.empty:
            print("no element, capability or journey changed")
            for note in result.notes:
                print(f"note: {note}")
            return EXIT_OK
        frame = frame.drop(columns=["name"])
    return _emit(result, frame, args)
