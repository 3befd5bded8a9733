"""Spreadsheets: a model as one table per sheet (Excel) or per CSV file, as an architect fills it in.

The sheets are ``model``, ``journeys``, ``stages``, ``touchpoints``, ``elements``,
``dependencies``, ``capabilities``, ``metrics``, ``initiatives``, ``improvements``, ``settings``,
``link_changes`` and ``scenarios``; their columns are listed in :data:`cxgraph.io.tables.layout.SHEETS`
and in ``docs/spreadsheets.md``.
Row 1 is the header; a row whose first cell starts with ``#`` is a comment; rows keep their
order (the touchpoints of a journey in the order the customer meets them). Every problem is
reported at once, each with its sheet (or file), row and column.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "bank"
>>> model = cx.examples.load("retail-bank")
>>> _ = cx.io.write_tables(model, folder)
>>> cx.io.read_tables(folder) == model
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...model import ELEMENT_KINDS, Model
from .cells import encode_list, encode_needs, encode_number, encode_scalar, encode_text
from .files import EXCEL_SUFFIXES, SheetOut, read_csv_folder, read_workbook, write_csv_folder, write_workbook
from .layout import PROP_PREFIX, SHEETS, Column, Sheet
from .read import build_model

__all__ = ["read_tables", "write_tables", "write_template"]


def _source(path: str | Path, *, writing: bool) -> tuple[Path, bool]:
    """Return the path and whether it is an Excel workbook (else a folder of CSV files)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return path, True
    if suffix == ".xls":
        raise ValueError(f"{path}: old-style .xls workbooks are not supported: save it as .xlsx")
    if path.is_dir() or (writing and not path.exists() and not suffix):
        return path, False
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    raise ValueError(f"{path}: expected a folder of CSV files or an Excel workbook (.xlsx), got {suffix or 'a file'}")


def read_tables(source: str | Path) -> Model:
    r"""Read a model from spreadsheet tables: a folder of CSV files or one Excel workbook (``.xlsx``).

    Parameters
    ----------
    source
        A folder holding ``journeys.csv``, ``touchpoints.csv``, ``elements.csv``, ... or a workbook
        with sheets of those names. Missing sheets are empty; the ``model`` sheet is optional (the
        model is then named after the folder or workbook).

    Raises
    ------
    ModelError
        Listing every problem, each with ``file`` the sheet (``bank.xlsx[touchpoints]``) or CSV file,
        ``line`` the row as the user sees it (the header is row 1), ``column`` the column number and
        ``path`` the column name.
    MissingDependencyError
        For a workbook, when openpyxl is not installed (``pip install 'cxgraph[excel]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "journeys.csv").write_text("id,name,customers\nbuy,Buy,1000..1500\n")
    >>> _ = (folder / "touchpoints.csv").write_text("journey,id,name,channel\nbuy,pay,Pay,web\n")
    >>> model = cx.io.read_tables(folder)
    >>> model.journeys[0].customers, model.journeys[0].touchpoints[0].channel
    (Uncertain(low=1000.0, mode=None, high=1500.0), 'web')
    >>> _ = (folder / "elements.csv").write_text("id,name,kind\ngateway,Gateway,sytem\n")
    >>> cx.io.read_tables(folder)
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      ...elements.csv:2:3: kind: unknown kind 'sytem' (expected one of ...); did you mean 'system'?
    """
    path, excel = _source(source, writing=False)
    raw = read_workbook(path) if excel else read_csv_folder(path)
    return build_model(raw, source=str(path), default_name=path.stem if excel else path.name)


# ---------------------------------------------------------------------------------------------- writing
def _rows(model: Model, sheet: Sheet) -> list[tuple[dict[str, Any], Any]]:
    """Return the rows of a sheet, each as (values of the linking columns, the item)."""
    name = sheet.name
    if name == "model":
        return [({"cxgraph": "1"}, model)]
    added = [(ini.id, e) for ini in model.initiatives if ini.adds is not None for e in ini.adds.elements]
    if name == "elements":
        return [({}, item) for item in model.elements] + [({"added_by": by}, e) for by, e in added]
    if name in ("journeys", "capabilities", "metrics", "initiatives", "scenarios"):
        return [({}, item) for item in getattr(model, name)]
    if name in ("stages", "touchpoints"):
        return [({"journey": j.id}, item) for j in model.journeys for item in getattr(j, name)]
    if name == "dependencies":
        return [({"from": owner.id}, dep) for owner in [*model.touchpoints, *model.elements, *(e for _, e in added)]
                for dep in owner.depends_on]
    if name == "settings":
        return [({"initiative": ini.id}, s) for ini in model.initiatives for s in ini.sets]
    if name == "link_changes":
        rows: list[tuple[dict[str, Any], Any]] = []
        for ini in model.initiatives:
            rows += [({"initiative": ini.id, "change": "remove", "from": r.source}, r) for r in ini.removes]
            links = ini.adds.links if ini.adds is not None else []
            rows += [({"initiative": ini.id, "change": "add", "from": k.source}, k) for k in links]
        return rows
    return [({"initiative": ini.id}, imp) for ini in model.initiatives for imp in ini.improves]


def _field(item: Any, key: str) -> Any:
    """Return field ``key`` of an item; ``a.b`` is field ``b`` of field ``a`` (``None`` where missing)."""
    for part in key.split("."):
        item = getattr(item, part, None)
        if item is None:
            return None
    return item


def _cell(column: Column, value: Any) -> Any:
    if value is None or (column.type in ("ids", "tags", "needs", "hours", "values") and not value):
        return None
    if column.type == "number":
        return encode_number(value)
    if column.type in ("ids", "tags"):
        return encode_list(value)
    if column.type == "hours":  # numbers, ranges written low..high as in a number cell
        return encode_needs({k: _number_text(encode_number(v)) for k, v in value.items()})
    if column.type in ("needs", "values"):
        return encode_needs(value)
    if column.type == "flag":
        return None if value else "false"  # true is the default
    return encode_text(str(value))


def _number_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) and not value.is_integer() else str(
        int(value) if isinstance(value, float) else value)


def _sheet_out(model: Model, sheet: Sheet) -> SheetOut:
    rows = _rows(model, sheet)
    keys = list(dict.fromkeys(k for _, item in rows for k in getattr(item, "properties", {}))) \
        if sheet.properties else []
    out = []
    for links, item in rows:
        cells = [_cell(c, links[c.name] if c.name in links else _field(item, c.key)) for c in sheet.columns]
        props = item.properties if sheet.properties else {}
        cells += [encode_scalar(props[k]) if k in props else None for k in keys]
        out.append(cells)
    header = sheet.names + [_prop_header(k) for k in keys]
    return _dress(sheet, SheetOut(sheet.name, header, out))


def _prop_header(key: str) -> str:
    # the reader trims a property name unless the header is tagged
    return encode_text(PROP_PREFIX + key, tag=key != key.strip())


def _dress(sheet: Sheet, out: SheetOut) -> SheetOut:
    """Format text columns as text, offer drop-downs for kind and better, size columns (Excel only)."""
    for i, column in enumerate(sheet.columns):
        if column.type != "number":
            out.text_columns.append(i)
        if column.name == "kind":
            out.choices[i] = ELEMENT_KINDS
        elif column.name == "better":
            out.choices[i] = ("higher", "lower")
        elif column.name == "change":
            out.choices[i] = ("add", "remove")
        elif column.type == "flag":
            out.choices[i] = ("true", "false")
        out.widths[i] = 40 if column.name in ("name", "description") else max(10, len(column.name) + 4)
    return out


def write_tables(model: Model, target: str | Path) -> list[Path]:
    """Write a model as spreadsheet tables: a folder of CSV files, or one workbook if ``target`` ends in .xlsx.

    :func:`read_tables` reads the result back to an equal model: properties, uncertain numbers
    (``8000..12000..15000``) and text ids such as ``no`` or ``1.10`` survive. Every sheet is
    written, with its header, even where it has no rows. Returns the files written. A model with
    problems raises :class:`~cxgraph.ModelError` and nothing is written, as with every other format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "bank.xlsx"
    >>> cx.io.write_tables(cx.examples.load("retail-bank"), target) == [target]
    True
    >>> cx.io.read_tables(target).name
    'Retail bank'
    """
    path, excel = _source(target, writing=True)
    model.check()
    sheets = [_sheet_out(model, sheet) for sheet in SHEETS]
    return [write_workbook(path, sheets)] if excel else write_csv_folder(path, sheets)


# --------------------------------------------------------------------------------------------- template
def _instructions() -> SheetOut:
    rows: list[list[Any]] = [
        ["*", "", "", "Row 1 holds the column names; every other row is one item. Rows keep their order.", ""],
        ["*", "", "", "A row whose first cell starts with # is a comment (delete the # to use an example row).", ""],
        ["*", "", "", "A number may be uncertain: low..high or low..mode..high.", "8000..12000..15000"],
        ["*", "prop:<key>", "", "Extra columns named prop:<key> hold free properties (text as written).",
         "prop:tier"],
    ]
    for sheet in SHEETS:
        for column in sheet.columns:
            rows.append([sheet.name, column.name, "yes" if column.required else "", column.meaning, column.example])
    return SheetOut("instructions", ["sheet", "column", "required", "meaning", "example"], rows,
                    widths={0: 14, 1: 14, 2: 10, 3: 90, 4: 30})


def _example(column: Column) -> Any:
    if column.type == "number" and column.example and ".." not in column.example:  # a number, as a person types it
        number = float(column.example)
        return int(number) if number.is_integer() else number
    return column.example or None


def write_template(target: str | Path) -> list[Path]:
    """Write an empty set of tables to fill in, with an example row and instructions.

    Every sheet gets its header and one example row, commented out with ``#``; an ``instructions``
    sheet (or CSV file) describes every column.

    Uncommented, the example rows form a valid model. Returns the files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "template"
    >>> sorted(p.name for p in cx.io.write_template(folder))[:3]
    ['capabilities.csv', 'dependencies.csv', 'elements.csv']
    >>> (folder / "journeys.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    '# open-account,Open an account,retail,9000..12000..15000,90000,2,4,0.2,,acquisition; digital-first'
    >>> cx.io.read_tables(folder).counts()["journeys"]
    0
    """
    path, excel = _source(target, writing=True)
    sheets = []
    for sheet in SHEETS:
        example = [_example(c) for c in sheet.columns]
        example[0] = f"# {example[0] or ''}".rstrip()
        sheets.append(_dress(sheet, SheetOut(sheet.name, sheet.names, [example])))
    if excel:
        return [write_workbook(path, sheets, notes=_instructions())]
    return write_csv_folder(path, [*sheets, _instructions()])
