"""Commands about the model itself: ``validate``, ``schema``, ``summary``, ``demo``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._common import EXIT_OK, add_format, add_model, emit, load_model, run

__all__ = ["register"]


def register(sub: Any) -> None:
    """Register this module's commands on the subparsers object."""
    p = sub.add_parser("validate", help="check a model file; print every problem as FILE:LINE:COL: path: message",

                       description="Check a model file. Prints every problem, one per line, as "
                                   "FILE:LINE:COL: path: message. "
                                   "Exit code 0 when valid, 1 when not, 2 on usage errors. With --format json: "
                                   "{valid, counts, problems: [{file, line, column, path, message}]}.")
    add_model(p)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text lines (default) or one JSON object with every problem")
    p.set_defaults(run=lambda a: _validate_json(a) if a.format == "json" else run(_validate, a))

    p = sub.add_parser("schema", help="print the JSON Schema of the model file format, or of a result",
                       description="Print the JSON Schema of the model file format, or with --result NAME of that "
                                   "analysis's JSON output (both generated from typed classes).")
    p.add_argument("--result", metavar="NAME", default=None,
                   help="the result of this analysis (impact, what_if, single_points_of_failure, explain, pain, "
                        "gaps, priorities, scorecard, compare, plan, plan_frontier, sensitivity, risk)")
    p.set_defaults(run=lambda a: run(_schema, a))

    p = sub.add_parser("summary", help="counts per kind, journeys, and gaps in the model (orphans, no owner, ...)",
                       description="Summarise a model: counts per kind, journeys, touchpoints with no IT dependency, "
                                   "elements with no owner, capabilities realised by nothing.")
    add_model(p)
    add_format(p)
    p.set_defaults(run=lambda a: run(_summary, a))


def _validate(args: argparse.Namespace) -> int:
    model = load_model(args.file)
    print(f"{args.file}: valid ({', '.join(f'{n} {k}' for k, n in model.counts().items())})")
    return EXIT_OK


def _validate_json(args: argparse.Namespace) -> int:
    """Print ``{valid, file, counts, problems}``; problems as objects (file, line, column, path, message)."""
    from ..errors import ModelError

    problems: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    try:
        counts = load_model(args.file).counts()
    except ModelError as err:
        problems = [{"file": p.file, "line": p.line, "column": p.column, "path": p.path, "message": p.message}
                    for p in err.problems]
    except FileNotFoundError as err:
        problems = [{"file": err.filename, "line": None, "column": None, "path": "", "message": "no such file"}]
    print(json.dumps({"valid": not problems, "file": args.file, "counts": counts, "problems": problems}, indent=2,
                     ensure_ascii=False))
    return EXIT_OK if not problems else 1


def _schema(args: argparse.Namespace) -> int:
    if args.result is not None:
        from ..analysis.schemas import result_schema

        print(json.dumps(result_schema(args.result), indent=2))
        return EXIT_OK
    from ..schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    from ..summary import summarize

    summary = summarize(load_model(args.file))
    if args.format == "json":
        emit(None, summary.to_dict(), "json")
    elif args.format == "csv":
        emit(summary.to_frame(), None, "csv")
    else:
        sys.stdout.write(summary.to_text() + "\n")
    return EXIT_OK
