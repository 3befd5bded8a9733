r"""Reading spreadsheet tables straight into an :class:`~cxgraph.Estate`: the elements sheet as a table.

The sheets are read cell by cell as :func:`cxgraph.io.read_tables` reads them; the rows of the
``elements`` sheet (but those an initiative adds) become the estate's elements table, and the
``dependencies`` rows from those elements its links table, with no pydantic object per element
or link. Everything else (journeys, touchpoints and their dependencies, capabilities, metrics,
initiatives, scenarios) goes into the estate's model part. Every problem is reported at its
sheet (or CSV file), row and column, as :func:`~cxgraph.io.read_tables` reports it.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "journeys.csv").write_text("id,name,customers\nbuy,Buy,1000\n")
>>> _ = (folder / "touchpoints.csv").write_text("journey,id,name\nbuy,pay,Pay\n")
>>> _ = (folder / "elements.csv").write_text("id,name,kind,availability\nshop,Shop,system,0.99..0.995..0.999\n"
...                                           "db,DB,data,\n")
>>> _ = (folder / "dependencies.csv").write_text("from,to,strength\npay,shop,\nshop,db,0.5\n")
>>> estate = cx.io.read_tables_estate(folder)
>>> estate.elements[["id", "availability", "availability_low", "availability_high"]].values.tolist()
[['shop', 0.995, 0.99, 0.999], ['db', nan, nan, nan]]
>>> estate.links[["source", "target", "strength"]].values.tolist()
[['shop', 'db', 0.5]]
>>> cx.impact(estate).impact["db"]
500.0
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from ...errors import ModelError, Problem, closest
from ...model import Uncertain, format_path
from ...model.estate import Estate
from ...model.items import _parse_number
from .._estates import build_estate
from ..validate import _message
from .api import _source
from .files import read_csv_folder, read_workbook
from .read import _Cell, _Tables, in_sheet_order

__all__ = ["read_tables_estate"]

_BOUNDS = {"availability": (0.0, 1.0), "failures_per_year": (0.0, None), "recovery_hours": (0.0, None),
           "strength": (0.0, 1.0)}
_PARTS = ("low", "mode", "high")
_INT = TypeAdapter(int)
_LINK = re.compile(r"links\[(\d+)\]")


def read_tables_estate(source: str | Path) -> Estate:
    r"""Read spreadsheet tables (a folder of CSV files or an ``.xlsx`` workbook) into an :class:`~cxgraph.Estate`.

    Takes the same argument and reads the same way as :func:`cxgraph.io.read_tables`: the
    estate's ``to_model()`` equals the model that function returns. The elements sheet becomes
    the elements table and the dependencies of its elements the links table (ranges such as
    ``0.99..0.999`` kept in the range columns); an element an initiative adds (``added_by``)
    stays with its initiative in the model part.

    Raises
    ------
    ModelError
        Listing every problem, each with ``file`` the sheet (``bank.xlsx[elements]``) or CSV file,
        ``line`` the row as the user sees it (the header is row 1), ``column`` the column number and
        ``path`` the column name.
    MissingDependencyError
        For a workbook, when openpyxl is not installed (``pip install 'cxgraph[excel]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "elements.csv").write_text("id,name,kind\ngateway,Gateway,system\nlb,LB,sytem\n")
    >>> cx.io.read_tables_estate(folder)
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 1 problem in the model:
      ...elements.csv:3:3: kind: unknown kind 'sytem' (expected one of ...); did you mean 'system'?
    >>> _ = (folder / "elements.csv").write_text("id,name,kind\ngateway,Gateway,system\n")
    >>> cx.io.read_tables_estate(folder).to_model() == cx.io.read_tables(folder)
    True
    """
    path, excel = _source(source, writing=False)
    raw = read_workbook(path) if excel else read_csv_folder(path)
    name = str(path)
    tables = _Tables(raw, name)
    doc = tables.document(path.stem if excel else path.name)
    columns = _Columns(tables)
    elements, links = columns.build(doc.pop("elements"))
    try:
        return build_estate(elements, links, doc, file=name, locate=columns.locate, problems=list(tables.problems))
    except ModelError as err:
        raise ModelError(in_sheet_order(err.problems, name)) from None


class _Columns:
    """Turns the element items of a spreadsheet document into columns, each problem reported at its cell."""

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.origin: list[tuple[int, int]] = []  # the element and dependency of each link row
        self.unread = set(tables.reported)  # cells that could not be read: nothing more is said of them

    def cell(self, *path: str | int) -> _Cell:
        key = format_path(path)
        while key not in self.tables.where and "." in key:
            key = key.rsplit(".", 1)[0]
        return self.tables.where.get(key, _Cell(self.tables.source))

    def problem(self, path: tuple[str | int, ...], message: str) -> None:
        cell = self.cell(*path)
        if (cell.file, cell.row, cell.column) not in self.unread:
            self.tables.problem(cell, message)

    def number(self, value: Any, path: tuple[str | int, ...], field: str) -> tuple[float, float, float, float]:
        """Return ``(point, low, mode, high)`` of a number cell (NaN: not given), or NaNs after reporting it."""
        none = (math.nan,) * 4
        if value is None:
            return none
        try:
            parsed = _range(value) or _parse_number(value)
        except ValueError as err:
            self.problem(path, str(err))
            return none
        low, high = _BOUNDS[field]
        if isinstance(parsed, dict | Uncertain):
            parts = parsed if isinstance(parsed, dict) else parsed.model_dump(exclude_none=True)
            lo, mo, hi = (float(parts[p]) if parts.get(p) is not None else math.nan for p in _PARTS)
            shown: Any = "{" + ", ".join(f"{p}: {parts[p]:g}" for p in _PARTS if parts.get(p) is not None) + "}"
            if not lo <= (lo if math.isnan(mo) else mo) <= hi:
                self.problem(path, "expected low <= mode <= high" if "mode" in parts else "expected low <= high")
                return none
            point, smallest, largest = (mo if not math.isnan(mo) else (lo + hi) / 2.0), lo, hi
        else:
            point = smallest = largest = float(parsed)
            lo = mo = hi = math.nan
            shown = parsed
        if smallest < low or (high is not None and largest > high):
            self.problem(path, f"must not be negative, got {shown}" if high is None else
                         f"must be between {low:g} and {high:g}, got {shown}")
            return none
        return point, lo, mo, hi

    def build(self, items: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return the elements and links tables of the element items; problems go to the reader's list."""
        cols: dict[str, list[Any]] = {c: [] for c in ("id", "name", "kind", "owner", "description", "tags",
                                                         "properties")}
        numbers: dict[str, list[tuple[float, float, float, float]]] = {f: [] for f in _BOUNDS if f != "strength"}
        links: dict[str, list[Any]] = {c: [] for c in ("source", "target", "group", "needs")}
        strengths: list[tuple[float, float, float, float]] = []
        for i, item in enumerate(items):
            for key in ("id", "name", "kind"):
                if item.get(key) is None:
                    self.problem(("elements", i, key), "required field missing")
            for key in ("id", "name", "kind", "owner", "description"):
                cols[key].append(item.get(key))
            cols["tags"].append(item.get("tags") or None)
            cols["properties"].append(json.dumps(item["properties"]) if item.get("properties") else None)
            for field, values in numbers.items():
                values.append(self.number(item.get(field), ("elements", i, field), field))
            needs = self.needs(item, i)
            for d, dep in enumerate(item.get("depends_on", [])):
                if dep.get("element") is None:
                    self.problem(("elements", i, "depends_on", d, "element"), "required field missing")
                links["source"].append(item.get("id"))
                links["target"].append(dep.get("element"))
                strengths.append(self.number(dep.get("strength"), ("elements", i, "depends_on", d, "strength"),
                                             "strength"))
                links["group"].append(dep.get("group"))
                links["needs"].append(needs.get(dep["group"], math.nan) if dep.get("group") is not None else math.nan)
                self.origin.append((i, d))
        elements = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in cols.items()})
        for key in ("description", "tags", "properties"):
            if elements[key].isna().all():
                del elements[key]
        for field, values in numbers.items():
            _put(elements, field, values)
        table = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in links.items()})
        table["needs"] = table["needs"].astype(np.float64)
        _put(table, "strength", strengths)
        return elements, table

    def needs(self, item: dict[str, Any], i: int) -> dict[str, float]:
        """Return an element's needs as numbers, reporting what the model would (unknown groups, too many)."""
        needs = item.get("needs") or {}
        groups: dict[str, int] = {}
        for dep in item.get("depends_on", []):
            if dep.get("group") is not None:
                groups[dep["group"]] = groups.get(dep["group"], 0) + 1
        out = {}
        for group, value in needs.items():
            path = ("elements", i, "needs", group)
            try:
                k = _INT.validate_python(value)
            except ValidationError as err:
                self.problem(path, _message(dict(err.errors()[0]), path))
                continue
            if group not in groups:
                hint = closest(str(group), groups)
                tip = " (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""
                self.problem(path, f"needs names group {group!r} but no dependency is in that group{tip}")
            elif k < 1:
                self.problem(("elements", i, "needs"), f"needs for group {group!r} must be at least 1, got {k}")
            elif k > groups[group]:
                self.problem(path, f"needs {k} of group {group!r} but the group has only {groups[group]} link"
                             + ("s" if groups[group] != 1 else ""))
            else:
                out[group] = float(k)
        return out

    def locate(self, problem: Problem) -> Problem | None:
        """Move a problem of the tables (``links[3].strength``) or the model part to its sheet, row and column."""
        path = problem.path
        table, _, rest = path.partition("[")
        if table in ("elements", "links") and rest:
            row, _, column = rest.partition("].")
            field = re.sub(r"_(low|mode|high)$", "", column)
            if table == "elements":
                doc: tuple[str | int, ...] = ("elements", int(row), field)
            else:
                i, d = self.origin[int(row)]
                doc = {"needs": ("elements", i, "needs"), "source": ("elements", i, "depends_on", d),
                       "target": ("elements", i, "depends_on", d, "element")}.get(
                           field, ("elements", i, "depends_on", d, field))
            path = format_path(doc)
        message = _LINK.sub(lambda m: self.row_of(int(m.group(1))), problem.message)
        return self.tables.locate(Problem(path, message, file=problem.file))

    def row_of(self, link: int) -> str:
        i, d = self.origin[link]
        cell = self.cell("elements", i, "depends_on", d)
        return f"{Path(cell.file).name} row {cell.row}" if cell.row else f"links[{link}]"


def _range(value: Any) -> dict[str, float] | None:
    """Return a range cell (``{low, high}`` or ``{low, mode, high}`` of numbers) as it is, else ``None``."""
    if not isinstance(value, dict) or set(value) not in ({"low", "high"}, {"low", "mode", "high"}):
        return None
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value.values())
    return value if numbers else None


def _put(frame: pd.DataFrame, field: str, values: list[tuple[float, float, float, float]]) -> None:
    """Add a number column and, where some row holds a range, its low, mode and high columns."""
    arr = np.array(values, dtype=np.float64).reshape(len(values), 4)
    frame[field] = arr[:, 0]
    if not np.isnan(arr[:, 1]).all():
        for j, part in enumerate(_PARTS, start=1):
            frame[f"{field}_{part}"] = arr[:, j]
