"""Which format a path holds, and reading a model from any of them.

=============  ==========================================  ====  =====
format         file                                        read  write
=============  ==========================================  ====  =====
``yaml``       ``.yaml``, ``.yml``                          yes   yes
``json``       ``.json``                                    yes   yes
``xlsx``       ``.xlsx``, ``.xlsm`` (spreadsheet tables)    yes   yes
``tables``     a folder of CSV files (spreadsheet tables)   yes   yes
``archimate``  ``.xml`` (ArchiMate Model Exchange File)     yes   yes
``archi``      ``.archimate`` (Archi's own file)            yes   --
``archi-csv``  a folder with Archi's ``relations.csv``      yes   yes
``coarchi``    a coArchi repository (``model/folder.xml``)  yes   --
``backstage``  Backstage catalog files, or a folder         yes   --
``servicenow`` a folder with ``cmdb_ci.csv`` (or ``.json``)  yes   --
``structurizr`` Structurizr workspace ``.json``             yes   --
``jaeger``     Jaeger ``/api/dependencies`` ``.json``       yes   --
``zipkin``     Zipkin dependency links ``.json``            yes   --
=============  ==========================================  ====  =====

The estate sources (Backstage, ServiceNow, Structurizr, Jaeger, Zipkin) are told by their
content or file names (:func:`cxgraph.io._sources.detect_source`) before the extension.

A folder is Archi CSV when it holds ``relations.csv`` (or ``<prefix>relations.csv``, as Archi
names its export files); a coArchi repository when it holds ``model/folder.xml``; otherwise it
is cxgraph's spreadsheet tables, which have no relations table (a folder without any CSV file
is refused, saying what it could have been). A file with another extension is recognised by its content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FormatError
from ..model import Model
from ._sources import detect_source

__all__ = ["FORMATS", "Format", "input_format", "listing", "read_any"]


@dataclass(frozen=True)
class Format:
    """A format ``convert`` reads and/or writes."""

    name: str
    what: str
    suffixes: tuple[str, ...] = ()
    folder: bool = False
    archimate: bool = False  # takes the ArchiMate import options, and results as properties on output
    readable: bool = True
    writable: bool = True
    options: tuple[str, ...] = ()  # the import options its reader takes (besides the ArchiMate ones)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("yaml", "cxgraph model file", (".yaml", ".yml")),
    Format("json", "cxgraph model file", (".json",)),
    Format("xlsx", "spreadsheet tables, one sheet each", (".xlsx", ".xlsm")),
    Format("tables", "spreadsheet tables, a folder of CSV files", folder=True),
    Format("archimate", "ArchiMate Model Exchange File", (".xml",), archimate=True),
    Format("archi", "Archi model file", (".archimate",), archimate=True, writable=False),
    Format("archi-csv", "Archi CSV export: elements.csv, relations.csv, properties.csv", folder=True, archimate=True),
    Format("coarchi", "coArchi repository: model/folder.xml and one XML file per object", folder=True,
           archimate=True, writable=False),
    Format("backstage", "Backstage catalog: catalog-info.yaml, or a folder of catalog files", folder=True,
           writable=False),
    Format("servicenow", "ServiceNow CMDB export: cmdb_ci and cmdb_rel_ci, CSV or JSON", folder=True, writable=False,
           options=("kinds", "relations", "ids")),
    Format("structurizr", "Structurizr workspace JSON", writable=False,
           options=("customers", "environment", "staff", "parts")),
    Format("jaeger", "Jaeger service dependencies JSON", writable=False, options=("strengths", "kind")),
    Format("zipkin", "Zipkin dependency links JSON", writable=False, options=("strengths", "kind")),
)}
"""Every format, by name."""

def listing(*, writing: bool) -> str:
    """Say which formats are read (or written), for error messages.

    Examples
    --------
    >>> cx.io.formats.listing(writing=False).startswith("it reads yaml")
    True
    """
    shown = [f"{f.name} ({', '.join(f.suffixes) if f.suffixes else 'a folder' if f.folder else 'by content'})"
             for f in FORMATS.values()
             if (f.writable if writing else f.readable)]
    return ("it writes " if writing else "it reads ") + ", ".join(shown)


def _archi_csv_prefix(folder: Path) -> Path | None:
    """Return the folder (or ``folder/<prefix>``) of an Archi CSV export in ``folder``, if there is one."""
    if (folder / "relations.csv").is_file():
        return folder
    prefixes = sorted(p.name[: -len("relations.csv")] for p in folder.glob("*relations.csv") if p.is_file())
    if len(prefixes) > 1:
        raise FormatError(f"several Archi CSV exports here ({', '.join(p + 'relations.csv' for p in prefixes)}): "
                          "give the prefix, e.g. " + str(folder / prefixes[0]), file=str(folder))
    return folder / prefixes[0] if prefixes else None


def input_format(spec: str) -> tuple[Format, Path]:
    """Return the format of an input and the path to read (a folder, a file, or an Archi CSV prefix).

    Examples
    --------
    >>> cx.io.input_format("bank.archimate")[0].name
    'archi'
    """
    path = Path(spec)
    source = detect_source(path)
    if source is not None:
        return FORMATS[source], path
    if path.is_dir():
        from .archimate.coarchi import coarchi_folder

        prefix = _archi_csv_prefix(path)
        if prefix is not None:
            return FORMATS["archi-csv"], prefix
        if coarchi_folder(path) is not None:
            return FORMATS["coarchi"], path
        if not any(p.suffix.lower() == ".csv" for p in path.iterdir()):
            raise FormatError("a folder with no CSV file: it is neither spreadsheet tables (journeys.csv, "
                              "elements.csv, ...), nor an Archi CSV export (elements.csv, relations.csv, "
                              "properties.csv), nor a coArchi repository (model/folder.xml)", file=str(path))
        return FORMATS["tables"], path
    if not path.exists() and path.with_name(path.name + "relations.csv").is_file():
        return FORMATS["archi-csv"], path  # an Archi CSV prefix such as exports/bank-
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt, path
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", spec)
    return _sniff(path), path


_ESTATE = ("backstage", "servicenow", "structurizr", "jaeger", "zipkin")


def _estate_reader(name: str) -> Callable[..., Any]:
    from . import backstage, cmdb, structurizr, traces

    return {"backstage": backstage.read_backstage, "servicenow": cmdb.read_servicenow,
            "structurizr": structurizr.read_structurizr, "jaeger": traces.read_traces,
            "zipkin": traces.read_traces}[name]


def _sniff(path: Path) -> Format:
    with path.open("rb") as handle:
        head = handle.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        return FORMATS["xlsx"] if "xl/workbook.xml" in names else FORMATS["archi"]
    if head.startswith(b"<"):
        return FORMATS["archimate"]  # the exchange reader also reads Archi's own XML
    if head.startswith((b"{", b"[")):
        return FORMATS["json"]
    if head.startswith(b"cxgraph:") or b"\ncxgraph:" in head:
        return FORMATS["yaml"]
    raise FormatError(f"cannot tell the format of {path.name!r} from its extension or content: give --from "
                      f"({listing(writing=False)})", file=str(path))


def read_any(path: str | Path, *, format: str | None = None, **options: Any) -> tuple[Model, Any]:
    """Read a model from a file or folder in any supported format; return it with the import log.

    The import log is ``None`` for formats that map one to one (YAML, JSON, spreadsheet tables).
    ``options`` go to the ArchiMate readers (journeys, customers, ...).

    Examples
    --------
    >>> model, log = cx.io.read_any(cx.examples.path("telecom"))
    >>> model.name, log
    ('Telecom operator', None)
    """
    from . import archimate, tables, yamljson

    fmt, target = (FORMATS[format], Path(path)) if format else input_format(str(path))
    readers: dict[str, Callable[..., Any]] = {
        "archimate": archimate.read_archimate, "archi": archimate.read_archi, "archi-csv": archimate.read_archi_csv,
        "coarchi": archimate.read_coarchi,
    }
    if fmt.archimate:
        return readers[fmt.name](target, **options)
    if fmt.name in _ESTATE:
        unknown = sorted(set(options) - set(fmt.options))
        if unknown:
            raise FormatError(f"import options {', '.join(unknown)} do not apply to {fmt.name} (it takes "
                              f"{', '.join(fmt.options) or 'none'})", file=str(path))
        return _estate_reader(fmt.name)(target, **options)
    if options:
        raise FormatError(f"import options ({', '.join(sorted(options))}) apply to ArchiMate and Archi inputs only, "
                          f"not to {fmt.name}", file=str(path))
    if fmt.name in ("xlsx", "tables"):
        return tables.read_tables(target), None
    return yamljson.load(target, format=fmt.name), None  # type: ignore[arg-type]
