"""Reading and writing the raw cells of a CSV folder or an Excel workbook (``.xlsx``).

Excel needs the optional package openpyxl (``pip install 'cxgraph[excel]'``); CSV needs nothing.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ... import limits
from ..._files import atomic_path, write_text
from ...errors import FormatError, MissingDependencyError
from ..csvsafe import neutralise, restore

__all__ = ["EXCEL_SUFFIXES", "RawSheet", "SheetOut", "openpyxl", "read_csv_folder", "read_workbook",
           "write_csv_folder", "write_workbook"]

EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds: longer text is refused, never cut."""

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
"""Workbook extensions read and written through openpyxl."""


@dataclass
class RawSheet:
    """The cells of one sheet or CSV file: ``rows[i]`` is the row the user sees as row ``i + 1``."""

    name: str
    file: str
    rows: list[list[Any]]


@dataclass
class SheetOut:
    """A sheet to write: its header, its rows, and (for the template) how to dress it."""

    name: str
    header: list[str]
    rows: list[list[Any]]
    text_columns: list[int] = field(default_factory=list)
    choices: dict[int, Sequence[str]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)


def openpyxl(feature: str = "reading Excel files") -> ModuleType:
    """Return the openpyxl module, or raise :class:`MissingDependencyError` with the pip command."""
    try:
        import openpyxl as module
    except ImportError:
        raise MissingDependencyError("openpyxl", "excel", feature) from None
    return module


def _delimiter(header_line: str) -> str:
    return next((d for d in (",", ";", "\t") if d in header_line), ",")


def read_csv_folder(folder: Path) -> list[RawSheet]:
    """Return every ``.csv`` file of ``folder`` (sorted by name) as a :class:`RawSheet`.

    The separator is ``,``; where the header line has none, ``;`` (as Excel writes in some
    languages) or a tab. A UTF-8 byte order mark (as Excel writes) is skipped.
    """
    sheets = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file()):
        limits.check("the file's size in bytes", path.stat().st_size, "MAX_MODEL_BYTES", file=str(path))
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:  # newlines inside quoted cells kept as written
                text = handle.read()
        except UnicodeDecodeError as err:
            raise FormatError(f"not a UTF-8 text file ({err.reason}): save it as 'CSV UTF-8'", file=str(path)) from None
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long description is one field
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.partition("\n")[0]))
        try:
            rows = []
            for row in reader:
                rows.append([restore(cell) for cell in row])
                if len(rows) > limits.MAX_ROWS:
                    limits.check("the number of rows", len(rows), "MAX_ROWS", file=str(path))
        except csv.Error as err:
            raise FormatError(f"malformed CSV: {err}", file=str(path), line=reader.line_num) from None
        _stray_cells(rows, str(path))
        sheets.append(RawSheet(path.stem, str(path), rows))
    if not sheets:
        raise FormatError("no CSV tables in this folder: expected journeys.csv, touchpoints.csv, elements.csv, ...",
                          file=str(folder))
    return sheets


def _stray_cells(rows: list[list[Any]], file: str) -> None:
    """Refuse a value right of the header's last named column: it would be read as nothing."""
    header = next((r for r in rows if any(_filled(c) for c in r)), None)
    if header is None:
        return
    width = max((i + 1 for i, c in enumerate(header) if _filled(c)), default=0)
    for line, row in enumerate(rows, start=1):
        if row and isinstance(row[0], str) and row[0].startswith("#"):
            continue  # a comment row
        stray = next((i for i in range(width, len(row)) if _filled(row[i])), None)
        if stray is not None:
            raise FormatError(f"a value in column {stray + 1}, right of the header's last column ({width}): "
                              "every value needs a column name", file=file, line=line)


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def write_csv_folder(folder: Path, sheets: Sequence[SheetOut]) -> list[Path]:
    """Write each sheet to ``folder/<name>.csv`` (UTF-8 with a byte order mark, so Excel opens it right)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in sheets:
        path = folder / f"{sheet.name}.csv"
        handle = io.StringIO(newline="")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(sheet.header)
        writer.writerows([neutralise("" if v is None else str(v)) for v in row] for row in sheet.rows)
        write_text(path, handle.getvalue(), encoding="utf-8-sig")
        written.append(path)
    return written


def read_workbook(path: Path) -> list[RawSheet]:
    """Return every sheet of an Excel workbook as a :class:`RawSheet` (cached values of formulas)."""
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    try:
        _check_inflated(path)
        sheets, formulas = _sheets(path, data_only=False)
        return _with_formulas(path, formulas) if formulas else sheets
    except (BadZipFile, KeyError, OSError, ValueError, ParseError, EOFError) as err:
        if isinstance(err, FileNotFoundError | PermissionError | FormatError):
            raise
        reason = " ".join(str(err).split("\n")[0].split())  # openpyxl's own words, first line only
        raise FormatError(f"not an Excel workbook (.xlsx), or a damaged one: {reason}", file=str(path)) from None


def _check_inflated(path: Path) -> None:
    import zipfile

    from ..xmlsafe import MAX_BYTES

    with zipfile.ZipFile(path) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_BYTES:
        from ...errors import UnsafeInputError

        raise UnsafeInputError(f"refused: the workbook inflates to {inflated:,} bytes, over the limit of "
                               f"{MAX_BYTES:,} (set cxgraph.io.xmlsafe.MAX_BYTES to change it)", file=str(path))


def _sheets(path: Path, *, data_only: bool) -> tuple[list[RawSheet], set[tuple[str, int, int]]]:
    """Read every sheet's values; with ``data_only=False``, also where the formula cells are."""
    book = openpyxl().load_workbook(path, read_only=True, data_only=data_only)
    sheets: list[Any] = []
    formulas: set[Any] = set()
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()  # some writers record wrong dimensions; read every row there is
            rows = []
            for r, row in enumerate(ws.iter_rows(), start=1):
                rows.append([getattr(cell, "value", None) for cell in row])
                if not data_only:
                    formulas.update((ws.title, r, c) for c, cell in enumerate(row, start=1)
                                    if getattr(cell, "data_type", None) == "f")
                if len(rows) > limits.MAX_ROWS:
                    limits.check("the number of rows", len(rows), "MAX_ROWS", file=f"{path}[{ws.title}]")
            _stray_cells(rows, f"{path}[{ws.title}]")
            sheets.append(RawSheet(ws.title, f"{path}[{ws.title}]", rows))
    finally:
        book.close()
    return sheets, formulas


def _with_formulas(path: Path, formulas: set[tuple[str, int, int]]) -> list[RawSheet]:
    """Return the cached values; a formula whose value was never saved is an error, never a blank."""
    from openpyxl.utils import get_column_letter

    sheets = _sheets(path, data_only=True)[0]
    by_title = {s.name: s for s in sheets}
    for title, r, c in sorted(formulas):
        rows = by_title[title].rows
        if r <= len(rows) and c <= len(rows[r - 1]) and rows[r - 1][c - 1] is None:
            raise FormatError(f"cell {get_column_letter(c)}{r} holds a formula without a saved value: open the "
                              "workbook in Excel (or LibreOffice) and save it, so that its values are stored",
                              file=f"{path}[{title}]", line=r)
    return sheets


def _exact(value: Any) -> Any:
    """Return the text of a number that a workbook cannot hold exactly.

    openpyxl keeps 16 digits of a float, and Excel holds every number as a double, exact for
    integers up to 2**53 only.
    """
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


def write_workbook(path: Path, sheets: Sequence[SheetOut], *, notes: SheetOut | None = None) -> Path:
    """Write the sheets to one Excel workbook; ``notes`` (if given) comes first.

    The header is bold and frozen, text columns are formatted as text (so that Excel keeps an id
    such as ``1.10`` as typed), and a column that takes one of a few values offers a drop-down list.
    """
    xl = openpyxl("writing Excel files")
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = xl.Workbook()
    book.remove(book.active)
    for sheet in ([notes] if notes else []) + list(sheets):
        ws = book.create_sheet(sheet.name)
        ws.append(sheet.header)
        for r, row in enumerate(sheet.rows, start=2):
            long = next((i for i, v in enumerate(row) if isinstance(v, str) and len(v) > EXCEL_CELL_CHARS), None)
            if long is not None:
                raise FormatError(f"row {r}, column {sheet.header[long]!r} holds {len(row[long]):,} characters; an "
                                  f"Excel cell holds at most {EXCEL_CELL_CHARS:,}: write CSV tables or a YAML file "
                                  "instead", file=f"{path}[{sheet.name}]", line=r)
            ws.append([_exact(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, name in enumerate(sheet.header):
            letter = get_column_letter(i + 1)
            ws.column_dimensions[letter].width = sheet.widths.get(i, max(10, min(40, len(str(name)) + 4)))
            if i in sheet.text_columns:  # typed ids such as 1.10 stay text in Excel
                ws.column_dimensions[letter].number_format = "@"
            if i in sheet.choices:
                rule = DataValidation(type="list", formula1='"' + ",".join(sheet.choices[i]) + '"', allow_blank=True)
                rule.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(rule)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a text starting with '=' is text, never a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        _save_reproducibly(book, tmp)
    return path


def _save_reproducibly(book: Any, path: Path) -> None:
    """Save a workbook with fixed dates (document properties and zip entries): the same model, the same bytes."""
    import datetime
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    fixed = datetime.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed

    def dated(name: Any) -> Any:
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            name.compress_type = zipfile.ZIP_DEFLATED
        return name

    class _FixedZip(zipfile.ZipFile):
        def writestr(self, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]  # same call, a fixed date
            super().writestr(dated(name), data, *args, **kwargs)

        def open(self, name: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            return super().open(dated(name) if mode == "w" else name, mode, *args, **kwargs)  # type: ignore[arg-type]

        def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
            with open(filename, "rb") as handle:  # a sheet openpyxl wrote to a file: its time left out
                self.writestr(arcname or os.path.basename(filename), handle.read())

    with _FixedZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
