"""The ``risk`` command: expected loss, and the unavailability and risk of every element and capability."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import pandas as pd

from ._common import EXIT_OK, add_format, add_measure, add_model, emit, load_model, run

__all__ = ["register"]

TABLE_TOP = 20


def _count(text: str, least: int) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < least:
        raise argparse.ArgumentTypeError(f"expected a number >= {least}, got {n}")
    return n


def register(sub: Any) -> None:
    """Register the ``risk`` command on the subparsers object."""
    p = sub.add_parser(
        "risk", help="expected loss, and the risk of every element and capability",
        description="The loss per period to expect from elements that fail as often as their availability (or "
                    "failures_per_year and recovery_hours) says, and each element's and capability's risk: what "
                    "would no longer be lost if it never failed. Exact where the model allows; otherwise an "
                    "estimate with its method and a 95 % interval.")
    add_model(p)
    add_measure(p)
    p.add_argument("--samples", type=lambda t: _count(t, 2), default=None, metavar="N",
                   help="failure sets to draw where enumerating is not possible (default: enough for a 95 %% "
                        "interval within 1 %%); giving N always samples")
    p.add_argument("--seed", type=lambda t: _count(t, 0), default=0, metavar="S", help="seed of the draws (default 0)")
    p.add_argument("--top", type=lambda t: _count(t, 1), default=None, metavar="N",
                   help=f"show only the N highest of each list (default: {TABLE_TOP} in a table, all otherwise)")
    add_format(p)
    p.set_defaults(run=lambda a: run(_risk, a))


def _number(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.1f}"


def _risk(args: argparse.Namespace) -> int:
    from ..analysis import jsonable
    from ..analysis.risk import risk

    result = risk(load_model(args.file), measure=args.measure, samples=args.samples, seed=args.seed)
    frame = result.to_frame()
    limit = args.top
    if args.format == "json":
        data = result.to_dict()
        if limit is not None:
            data["items"] = [r for r in data["items"] if r["type"] == "element"][:limit] + \
                            [r for r in data["items"] if r["type"] == "capability"][:limit]
        emit(None, jsonable(data), "json")
        return EXIT_OK
    if args.format == "csv":
        if limit is not None:
            frame = frame.groupby("type", sort=False).head(limit)
        emit(frame, None, "csv")
        return EXIT_OK
    n = limit or TABLE_TOP
    interval = f" ± {_number(result.interval)} (95 %)" if result.interval else ""
    out = [f"{result.model_name}: expected loss {_number(result.expected_loss)} {result.unit}{interval}",
           f"method: {result.method}"]
    if result.lacking:
        shown = ", ".join(result.lacking[:10]) + (", ..." if len(result.lacking) > 10 else "")
        out.append(f"lacking reliability data ({len(result.lacking)}, counted as never failing): {shown}")
    out.append("")
    for kind, title in (("element", "Elements"), ("capability", "Capabilities")):
        rows = frame[frame["type"] == kind].reset_index(drop=True)
        cols = ["id", "name", "q", "risk", "impact"] + (["risk_interval"] if result.interval else [])
        top = rows[cols].head(n).copy()
        top.insert(0, "rank", range(1, len(top) + 1))
        for col in ("q",):
            top[col] = top[col].map(lambda x: f"{x:.4g}")
        for col in ("risk", "impact", "risk_interval"):
            if col in top:
                top[col] = top[col].map(_number)
        body = top.to_string(index=False) if len(top) else "  (none)"
        out.append(f"{title} by risk (top {min(n, len(rows))} of {len(rows)})\n{body}\n")
    for note in result.notes:
        out.append(f"note: {note}")
    with pd.option_context("display.width", 160):
        sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
