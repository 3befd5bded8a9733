"""``cxgraph convert`` between every format that holds a model, and ``cxgraph template`` for spreadsheets.

The formats, and how an input's format is told from its name or content, are listed in
:mod:`cxgraph.io.formats`.

Examples
--------
>>> from cxgraph.cli import main
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "bank.xlsx"
>>> main(["convert", "example:retail-bank", "-o", str(out)])
wrote .../bank.xlsx (xlsx: 4 journeys, ... touchpoints, ... elements, ... initiatives)
0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._files import refuse_same_file
from ..errors import FormatError
from ..io.formats import FORMATS, Format, input_format, listing
from ..model import Model
from ._common import EXIT_OK, add_force, load_model, run, say_notes

__all__ = ["output_format", "register"]


_FLAGS = {"journeys": "--journeys/--journey", "customers": "--customers", "customer_roles": "--customer-role",
          "ids": "--ids"}
_DIAGRAMS = (".mmd", ".mermaid", ".dot", ".gv", ".graphml", ".cyjs")


def output_format(spec: str, to: str | None) -> Format:
    """Return the format to write ``spec`` in (``to``, else from the extension; no extension: a folder of tables).

    Examples
    --------
    >>> from cxgraph.cli.convert_cmds import output_format
    >>> output_format("out/", None).name, output_format("bank.xml", None).name
    ('tables', 'archimate')
    """
    if to is not None:
        fmt = FORMATS[to]
    else:
        path = Path(spec)
        suffix = path.suffix.lower()
        fmt = next((f for f in FORMATS.values() if suffix in f.suffixes), None)  # type: ignore[assignment]
        if fmt is None:
            if suffix in _DIAGRAMS:
                raise FormatError(f"{path.name!r} is a diagram or graph format: write it with "
                                  f"'cxgraph export MODEL -o {spec}'")
            if suffix == ".csv":
                raise FormatError(f"a model is several tables, not one CSV file: give a folder ('-o {path.stem}/') "
                                  "for spreadsheet tables, or add --to archi-csv for Archi's CSV files")
            if suffix and not spec.endswith(("/", "\\")) and not path.is_dir():
                raise FormatError(f"cannot tell the output format from {path.name!r}: {listing(writing=True)}; "
                                  "or give --to")
            fmt = FORMATS["tables"]
    if not fmt.writable:
        raise FormatError(f"cxgraph reads {fmt.name} ({fmt.what}) but does not write it: write an ArchiMate "
                          "exchange file (.xml), which Archi opens with File > Import > Open Exchange File, or "
                          f"Archi CSV (--to archi-csv); {listing(writing=True)}")
    return fmt


# ------------------------------------------------------------------------------------------- reading
def _archimate_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.journeys is not None and args.journey:
        raise FormatError("give either --journeys or --journey, not both")
    if args.journeys is not None:
        text = args.journeys.strip()
        named = text in ("auto", "none", "customer-facing") or text.startswith(("view:", "role:"))
        options["journeys"] = text if named else _steps(text)
    elif args.journey:
        plans = {}
        for entry in args.journey:
            name, eq, steps = entry.partition("=")
            if not eq or not name.strip():
                raise FormatError(f"--journey takes NAME=STEP; STEP; ..., got {entry!r}")
            plans[name.strip()] = _steps(steps)
        options["journeys"] = plans
    if args.customers:
        options["customers"] = _customers(args.customers)
    if args.customer_role:
        options["customer_roles"] = tuple(args.customer_role)
    if args.ids is not None:
        options["ids"] = args.ids
    return options


def _estate_options(args: argparse.Namespace, fmt: Format) -> dict[str, Any]:
    given = {"environment": args.environment, "staff": tuple(args.staff) or None, "strengths": args.strengths}
    given = {k: v for k, v in given.items() if v is not None}
    refused = [k for k in given if k not in fmt.options]
    if refused:
        raise FormatError(f"{', '.join('--' + k for k in refused)} do not apply to {fmt.name} inputs")
    return given


def _steps(text: str) -> list[str]:
    return [s.strip() for s in text.split(";") if s.strip()]


def _customers(values: list[str]) -> float | dict[str, float]:
    def number(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise FormatError(f"--customers takes a number or JOURNEY=NUMBER, got {text!r}") from None

    if len(values) == 1 and "=" not in values[0]:
        return number(values[0])
    out = {}
    for value in values:
        journey, eq, n = value.rpartition("=")
        if not eq or not journey.strip():
            raise FormatError(f"several --customers take JOURNEY=NUMBER each, got {value!r}")
        out[journey.strip()] = number(n)
    return out


def _read(fmt: Format, path: Path, options: dict[str, Any]) -> tuple[Model, Any]:
    from ..io.formats import read_any

    return read_any(path, format=fmt.name, **options)


def _write(model: Model, fmt: Format, target: str, result: Any) -> None:
    from .. import io

    if fmt.name == "archimate":
        io.write_archimate(model, target, result=result)
    elif fmt.name == "archi-csv":
        io.write_archi_csv(model, target, result=result)
    elif fmt.name in ("xlsx", "tables"):
        io.write_tables(model, target)
    elif target == "-":
        sys.stdout.write(io.dumps(model, format=fmt.name))  # type: ignore[arg-type]
    else:
        io.save(model, target, format=fmt.name)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ commands
def register(sub: Any) -> None:
    """Register ``convert`` and ``template`` on the subparsers object."""
    p = sub.add_parser(
        "convert", help="convert a model between YAML, JSON, spreadsheets, ArchiMate exchange and Archi files",
        description="Read a model in one format and write it in another. Formats come from the extensions: "
                    ".yaml/.yml and .json (model files), .xlsx (spreadsheet tables), a folder (spreadsheet tables "
                    "as CSV files; Archi CSV when it holds relations.csv), .xml (ArchiMate Model Exchange File), "
                    ".archimate (Archi, read only), a coArchi repository (read only). The IT estate is read (only) "
                    "from Backstage catalogs, ServiceNow CMDB exports (a folder with cmdb_ci.csv or .json), "
                    "Structurizr workspaces and Jaeger or Zipkin dependency links, told by their content. Imports "
                    "print their import log: what "
                    "was read, mapped and kept aside.")
    p.add_argument("input", metavar="IN", help="model to read: a file, a folder, or example:NAME")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="where to write: a file, a folder (ending in / or without extension), or '-' with --to "
                        "yaml or json for standard output")
    p.add_argument("--from", dest="source", choices=[f.name for f in FORMATS.values() if f.readable],
                   help="format of IN (default: from its extension or content)")
    p.add_argument("--to", choices=[f.name for f in FORMATS.values() if f.writable],
                   help="format of OUT (default: from its extension; a folder is spreadsheet tables)")
    g = p.add_argument_group("ArchiMate and Archi imports")
    g.add_argument("--journeys", metavar="SPEC",
                   help="which business behaviour the customer meets: 'auto' (default: the view or customer role "
                        "giving the most touchpoints with IT behind them; the import log lists the others), "
                        "'view:NAME', 'customer-facing', 'role:NAME', 'none', or step names separated by ';' (one "
                        "journey, in that order)")
    g.add_argument("--journey", action="append", default=[], metavar="NAME=STEPS",
                   help="a journey and its steps separated by ';' (repeat for several journeys)")
    g.add_argument("--customers", action="append", default=[], metavar="N|JOURNEY=N",
                   help="customers per period of journeys the file gives none for (repeat JOURNEY=N per journey)")
    g.add_argument("--customer-role", action="append", default=[], metavar="ROLE",
                   help="a business role or actor that is a customer, for --journeys customer-facing "
                        "(default: Customer)")
    g.add_argument("--ids", choices=("archimate", "names"),
                   help="ids from the ArchiMate identifiers (default) or made from the names")
    g = p.add_argument_group("estate imports (Structurizr, Jaeger, Zipkin; --customers applies to Structurizr)")
    g.add_argument("--environment", metavar="NAME",
                   help="Structurizr: the deployment environment read (default: Live, Production or the first)")
    g.add_argument("--staff", action="append", default=[], metavar="PERSON",
                   help="Structurizr: a person who is staff, not a customer (besides location Internal)")
    g.add_argument("--strengths", choices=("none", "calls"),
                   help="Jaeger and Zipkin: 'calls' turns each link's share of its caller's calls into its strength")
    g = p.add_argument_group("ArchiMate and Archi CSV exports")
    g.add_argument("--impact", choices=("interactions", "customers", "revenue"),
                   help="add each item's customer impact and rank as properties (cxgraph:impact, "
                        "cxgraph:impact-rank) that Archi can colour views by")
    g.add_argument("--into", metavar="ORIGINAL.xml",
                   help="write the results (the impact, in the --impact measure; default interactions) into a copy of "
                        "the original exchange file, keeping its views and organisation; OUT is that copy")
    add_force(p)
    p.set_defaults(run=lambda a: run(_convert, a))

    p = sub.add_parser(
        "template", help="write an empty spreadsheet to fill in (.xlsx workbook, or a folder of CSV files)",
        description="Write every spreadsheet table with its header, one example row commented out with #, and "
                    "an instructions sheet describing every column. Fill it in, then read it with "
                    "'cxgraph convert OUT -o model.yaml' or cx.io.read_tables.")
    p.add_argument("output", metavar="OUT", help="a workbook (.xlsx) or a folder (ending in / or without extension)")
    p.set_defaults(run=lambda a: run(_template, a))


def _convert(args: argparse.Namespace) -> int:
    out = output_format(args.output, args.to)
    if args.output == "-" and out.name not in ("yaml", "json"):
        raise FormatError("standard output ('-o -') takes --to yaml or --to json")
    if args.impact and not out.archimate:
        raise FormatError(f"--impact adds properties to ArchiMate exchange and Archi CSV files, not to {out.name}")
    if args.into and out.name != "archimate":
        raise FormatError(f"--into writes into an ArchiMate exchange file: give OUT as a .xml file, not {out.name}")
    if args.into and not Path(args.into).is_file():
        raise FileNotFoundError(2, "No such file or directory", args.into)
    options = _archimate_options(args)
    example = args.input.startswith("example:")
    fmt, path = (FORMATS["yaml"], None) if example else (
        (FORMATS[args.source], Path(args.input)) if args.source else input_format(args.input))
    refused = [k for k in options if not fmt.archimate and k not in fmt.options]
    if refused:
        shown = ", ".join(_FLAGS[k] for k in refused)
        raise FormatError(f"{shown} apply to ArchiMate and Archi inputs, not to {fmt.name}")
    options.update(_estate_options(args, fmt))
    if path is None:
        model, imported = load_model(args.input, quiet=True), None
    else:
        refuse_same_file(args.output, [path], force=args.force)
        model, imported = _read(fmt, path, options)
    log = sys.stderr if args.output == "-" else sys.stdout
    if imported is not None:
        print("\n".join(line for line in imported.summary().splitlines() if not line.startswith("  note: ")),
              file=log)
    say_notes(model, imported)
    result = None
    if args.impact or args.into:
        from .. import impact

        result = impact(model, measure=args.impact or "interactions")
    if args.into:
        from ..io import write_archimate

        write_archimate(model, args.output, result=result, base=args.into)
    else:
        _write(model, out, args.output, result)
    counts = ", ".join(f"{n} {k}" for k, n in model.counts().items())
    print(f"wrote {args.output} ({out.name}: {counts})" if args.output != "-" else f"read {args.input}: {counts}",
          file=log)
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from ..io import write_template

    written = write_template(args.output)
    print(f"wrote {args.output}" + (f" ({len(written)} files)" if len(written) > 1 else ""))
    return EXIT_OK
