"""Commands that write files for other tools and for people: ``export`` and ``report``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._files import refuse_same_file, write_text
from ..errors import FormatError
from ._common import EXIT_OK, EXIT_USAGE, add_force, add_measure, add_model, load_model, run

__all__ = ["register"]



def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser(
        "export", help="write the model as Mermaid, DOT, GraphML, Cytoscape.js or node-link JSON",
        description="Write the model's dependency graph for another tool. The format comes from the extension of "
                    "OUT: .mmd (Mermaid), .dot or .gv (Graphviz), .graphml, .cyjs (Cytoscape.js), .json "
                    "(node-link); or give --to, and OUT '-' for standard output. Every node carries its kind and "
                    "its customer impact (unless --no-impact).")
    add_model(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write, or '-' for standard output")
    p.add_argument("--to", choices=("mermaid", "dot", "graphml", "cyjs", "json"),
                   help="format (default: from the extension of OUT)")
    add_measure(p)
    p.add_argument("--no-impact", action="store_true", help="leave impact out (kinds and structure only)")
    add_force(p)
    p.set_defaults(run=lambda a: run(_export, a))

    p = sub.add_parser(
        "report", help="write a self-contained HTML report (impact, failures, priorities, plan, diagrams)",
        description="Write one self-contained HTML file: headline numbers, top capabilities and elements, single "
                    "points of failure, priorities and the plan when the model has initiatives, the blueprint of "
                    "each journey and the capability map. It needs no network to open.")
    add_model(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="HTML file to write (e.g. report.html)")
    add_measure(p)
    p.add_argument("--budget", type=float, metavar="AMOUNT",
                   help="budget of the plan (default: half the cost of all initiatives)")
    add_force(p)
    p.set_defaults(run=lambda a: run(_report, a))


def _export(args: argparse.Namespace) -> int:
    from .. import export
    from ..io.exporters import EXTENSIONS

    if args.to is None and args.output != "-" and Path(args.output).suffix.lower() not in EXTENSIONS:
        raise FormatError(f"cannot tell the export format from {Path(args.output).name!r}: use one of "
                          f"{', '.join(EXTENSIONS)}, or give --to", file=args.output)
    refuse_same_file(args.output, [args.file], force=args.force)
    model = load_model(args.file)
    result = None
    if not args.no_impact:
        from .. import impact

        result = impact(model, measure=args.measure)
    if args.output == "-":
        if args.to is None:
            print("cxgraph: error: writing to standard output needs --to FORMAT", file=sys.stderr)
            return EXIT_USAGE
        sys.stdout.write(export(model, args.to, result))
        return EXIT_OK
    target = args.output
    if args.to is not None:
        text = export(model, args.to, result)
        write_text(target, text)
        fmt = args.to
    else:
        export(model, target, result)
        fmt = EXTENSIONS[Path(target).suffix.lower()]
    print(f"wrote {target} ({fmt})")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from .. import report

    refuse_same_file(args.output, [args.file], force=args.force)
    path = report(load_model(args.file), args.output, measure=args.measure, budget=args.budget)
    print(f"wrote {path}")
    return EXIT_OK
