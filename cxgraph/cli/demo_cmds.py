"""``cxgraph demo``: the main job on a bundled example, for a first look."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import EXIT_OK, positive_int, run

__all__ = ["register"]


def register(sub: Any) -> None:
    """Register ``demo`` on the subparsers object."""
    p = sub.add_parser(
        "demo", help="run the main job on a bundled example: top customer-impacting IT, and an impact diagram",
        description="Load a bundled example model, print its summary and the IT elements and capabilities with "
                    "the greatest customer impact, and write its service-blueprint impact diagram.")
    p.add_argument("--example", default="retail-bank", help="bundled example (default: retail-bank)")
    p.add_argument("--top", type=positive_int, default=10,
                   help="how many elements and capabilities to list (default: 10)")
    p.add_argument("-o", "--output", default="impact.svg", help="where to write the diagram (default: impact.svg)")
    p.set_defaults(run=lambda a: run(_demo, a))


def _demo(args: argparse.Namespace) -> int:
    from matplotlib.figure import Figure

    from .. import draw, examples, impact, summarize

    model = examples.load(args.example)
    print(summarize(model).to_text())
    result = impact(model)
    tables = (("IT elements", result.top(args.top, type="element")),
              ("capabilities", result.top(args.top, type="capability")))
    width = max((len(n) for _, frame in tables for n in frame["name"]), default=0)
    for title, frame in tables:
        print(f"\nTop {len(frame)} {title} by customer impact ({result.unit}):")
        for row in frame.itertuples():
            print(f"  {row.rank:>3}. {row.name:<{width}}  {row.impact:>14,.0f}  {row.journeys} journeys, "
                  f"{row.touchpoints} touchpoints")
    drawn = draw.blueprint(model, result)
    figure = drawn if isinstance(drawn, Figure) else drawn.figure
    figure.savefig(args.output)
    print(f"\nwrote {args.output}")
    return EXIT_OK
