"""``cxgraph merge``: a journeys model meets the IT estate imported from elsewhere.

Examples
--------
>>> from cxgraph.cli import main
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "journeys.yaml").write_text('''cxgraph: 1
... name: Shop
... journeys:
...   - id: buy
...     name: Buy
...     customers: 100
...     touchpoints: [{id: pay, name: Pay, depends_on: [Payments]}]
... ''')
>>> _ = (folder / "deps.json").write_text('[{"parent": "payments", "child": "ledger", "callCount": 9}]')
>>> main(["merge", str(folder / "journeys.yaml"), str(folder / "deps.json"), "-o", str(folder / "out.yaml")])
/.../deps.json (Zipkin dependency links)
  elements: ...
merged Shop: 1 references matched in the estate, 0 unmatched, 0 conflicts
  note: 2 estate elements added
wrote /.../out.yaml (yaml: 1 journeys, 1 touchpoints, 2 elements, ...)
0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ._common import EXIT_OK, run

__all__ = ["register"]


def register(sub: Any) -> None:
    """Register ``merge`` on the subparsers object."""
    p = sub.add_parser(
        "merge", help="merge a journeys model with the IT estate (CMDB, Backstage, Structurizr, traces, a model)",
        description="Read a journeys model (YAML or JSON; its dependencies may name elements only the estate "
                    "defines) and an estate (any input 'convert' reads), resolve every reference to the estate's "
                    "elements, and write the merged model. Unmatched references are listed with the closest "
                    "candidates; fields both sides define differently are conflicts, refused unless --prefer "
                    "says which side wins.")
    p.add_argument("journeys", metavar="JOURNEYS", help="the journeys model (.yaml, .yml, .json)")
    p.add_argument("estate", metavar="ESTATE", help="the estate: a file or folder in any format convert reads")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the merged model (.yaml, .yml or .json), or '-' for YAML on standard output")
    p.add_argument("--match", default="name", metavar="KEY",
                   help="how names in the journeys model find estate elements: name (default), id, or "
                        "property:KEY (e.g. property:servicenow:sys_id)")
    p.add_argument("--prefer", choices=("journeys", "estate"),
                   help="which side wins where both define a field differently (default: refuse)")
    p.set_defaults(run=lambda a: run(_merge, a))


def _merge(args: argparse.Namespace) -> int:
    from .. import merge
    from ..io import dumps, save
    from ..io.formats import read_any

    out = Path(args.output)
    if args.output != "-" and out.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise FormatError(f"the merged model is written as YAML or JSON: give OUT a .yaml, .yml or .json name, "
                          f"got {out.name!r}")
    log = sys.stderr if args.output == "-" else sys.stdout
    estate, report = read_any(args.estate)
    if report is not None:
        print(report.summary(), file=log)
    result = merge(args.journeys, estate, match=args.match, prefer=args.prefer)
    print(result.summary(), file=log)
    if args.output == "-":
        sys.stdout.write(dumps(result.model))
    else:
        save(result.model, out)
        counts = ", ".join(f"{n} {k}" for k, n in result.model.counts().items())
        print(f"wrote {args.output} ({'json' if out.suffix.lower() == '.json' else 'yaml'}: {counts})", file=log)
    return EXIT_OK
