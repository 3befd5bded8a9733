"""``cxgraph diagram``: write the blueprint, the capability map or a ranking as SVG, PNG or PDF."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from .. import limits
from .._files import refuse_same_file
from ..errors import AnalysisInputError, FormatError
from ._common import EXIT_OK, add_force, add_measure, add_model, load_model, run

__all__ = ["register"]

FORMATS = (".svg", ".png", ".pdf")
KINDS = ("blueprint", "capabilities", "ranking", "journeys")


def register(sub: Any) -> None:
    """Register ``diagram`` on the subparsers object."""
    p = sub.add_parser(
        "diagram", help="draw the service blueprint, capability map or ranking (SVG, PNG or PDF)",
        description="Draw a figure of the model, coloured by customer impact, and write it to OUT; the format "
                    "comes from the extension (.svg, .png, .pdf). The same model always gives the same SVG bytes.")
    add_model(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write: .svg, .png or .pdf")
    p.add_argument("--kind", choices=KINDS, default="blueprint",
                   help="blueprint (default), capabilities (capability map), ranking (top elements), "
                        "journeys (customer weight at risk per touchpoint)")
    p.add_argument("--journey", metavar="J", help="draw only this journey (blueprint, journeys)")
    p.add_argument("--focus", metavar="X", help="blueprint of one element's blast radius: what fails with it")
    p.add_argument("--top", type=int, metavar="N",
                   help="most elements to show (blueprint: default 40; ranking: default 15)")
    p.add_argument("--all", action="store_true", help="show every element in the blueprint (no top-N cut)")
    p.add_argument("--by", choices=("impact", "priority"), default="impact",
                   help="what colours the capability map (default: impact)")
    add_measure(p)
    p.add_argument("--dpi", type=float, default=150, help="resolution of a PNG (default: 150)")
    add_force(p)
    p.set_defaults(run=lambda a: run(_diagram, a))


def _diagram(args: argparse.Namespace) -> int:
    from .. import draw, impact

    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise FormatError(f"cannot tell the figure format from {out.name!r}: use .svg, .png or .pdf",
                          file=args.output)
    if args.kind != "blueprint" and args.focus:
        raise AnalysisInputError("--focus draws a blueprint: leave out --kind or use --kind blueprint")
    if args.top is not None and args.top < 1:
        raise AnalysisInputError(f"--top must be at least 1, got {args.top}")
    if not (math.isfinite(args.dpi) and args.dpi > 0):
        raise AnalysisInputError(f"--dpi must be a number > 0, got {args.dpi}")
    refuse_same_file(args.output, [args.file], force=args.force)
    model = load_model(args.file)
    result = impact(model, measure=args.measure)
    if args.kind == "blueprint":
        top = None if args.all else (args.top or draw.blueprint.__kwdefaults__["top"])
        figure = draw.blueprint(model, result, journey=args.journey, focus=args.focus, top=top)
    elif args.kind == "capabilities":
        figure = draw.capability_map(model, None if args.by == "priority" else result, by=args.by)
    elif args.kind == "journeys":
        figure = draw.journey_risk(model, result, journey=args.journey)
    else:
        figure = draw.ranking(result, top=args.top or 15)
    if out.suffix.lower() == ".png":
        width, height = figure.get_size_inches()
        limits.check(f"the PNG's pixels at --dpi {args.dpi:g}", width * height * args.dpi ** 2, "MAX_PIXELS")
    figure.savefig(out, dpi=args.dpi if out.suffix.lower() == ".png" else None)
    print(f"wrote {out}")
    return EXIT_OK
