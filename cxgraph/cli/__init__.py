"""The ``cxgraph`` command line: thin wrappers that call the public API and print.

Each command lives in a module of this package with a ``register(subparsers)`` function;
:data:`COMMAND_MODULES` lists them in the order ``--help`` shows them.

Examples
--------
>>> from cxgraph.cli import main
>>> main(["validate", "example:retail-bank"])
example:retail-bank: valid (...)
0
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

COMMAND_MODULES: tuple[str, ...] = (
    "demo_cmds",
    "model_cmds",
    "impact_cmds",
    "risk_cmds",
    "export_cmds",
    "priority_cmds",
    "plan_cmds",
    "resilience_cmds",
    "convert_cmds",
    "merge_cmds",
    "draw_cmds",
    "calibrate_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command registered.

    Examples
    --------
    >>> from cxgraph.cli import build_parser
    >>> "validate" in build_parser().format_help()
    True
    """
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="cxgraph",
        description="Which IT systems, processes and teams your customers' journeys rest on, and what to fix first.",
    )
    parser.add_argument("--version", action="version", version=f"cxgraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 invalid input, 2 usage error).

    Examples
    --------
    >>> from cxgraph.cli import main
    >>> main(["schema"]) == 0
    {...
    True
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args.run(args))


def entry() -> None:  # pragma: no cover - the console script
    """Console-script entry point."""
    sys.exit(main())
