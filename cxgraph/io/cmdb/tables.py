r"""Reading one ServiceNow table export (CSV or JSON) into a data frame of texts, with the line of every row.

CSV is read as ServiceNow exports it (a byte-order mark, every field quoted, commas and line
breaks inside quotes). JSON may be the JSONv2 export (``{"records": [...]}``), the Table API
answer (``{"result": [...]}``) or a plain list; a reference or choice field given as an object
(``{"value": ..., "display_value": ...}``) is read as its value, except the relationship ``type``,
read as its display value (``Depends on::Used by``).

Examples
--------
>>> import tempfile, pathlib
>>> from cxgraph.io.cmdb.tables import read_table
>>> p = pathlib.Path(tempfile.mkdtemp()) / "cmdb_ci.csv"
>>> _ = p.write_text('"sys_id","name"\n"a1","Web, portal"\n"b2","Core\nbanking"\n')
>>> table = read_table(p, required=("sys_id", "name"))
>>> table.frame["name"].tolist(), table.lines
(['Web, portal', 'Core\nbanking'], [2, 3])
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import FormatError
from .._sources import read_json, read_text

__all__ = ["Table", "read_table"]

_DISPLAYED = {"type"}  # reference fields read by their display value


@dataclass
class Table:
    """A table read from a file: its rows as texts, and where each row starts.

    Parameters
    ----------
    file
        The file read.
    frame
        One row per record, every column as text ("" where empty).
    lines
        The line each row starts at (CSV), or ``None`` (JSON).
    key
        For JSON, the key holding the records (``records``, ``result``) or "" for a plain list.
    """

    file: str
    frame: pd.DataFrame
    lines: list[int] | None
    key: str = ""

    def where(self, row: int) -> tuple[int | None, str]:
        """Return the line of a row (CSV) and its path (``row 3`` or ``result[2]``).

        Examples
        --------
        >>> import pandas as pd
        >>> from cxgraph.io.cmdb.tables import Table
        >>> Table("x.json", pd.DataFrame(), None, "result").where(2)
        (None, 'result[2]')
        """
        if self.lines is not None:
            return self.lines[row], f"row {row + 1}"
        return None, f"{self.key}[{row}]" if self.key else f"[{row}]"


def read_table(path: Path, *, required: Sequence[str]) -> Table:
    """Read a CSV or JSON export; a missing column is an error naming the file and the columns found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io.cmdb.tables import read_table
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cmdb_rel_ci.json"
    >>> _ = p.write_text('{"records": [{"parent": "a", "child": "b", "type": "Runs on::Runs"}]}')
    >>> read_table(p, required=("parent", "child", "type")).frame.loc[0, "type"]
    'Runs on::Runs'
    >>> read_table(p, required=("parent", "kid"))
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: ...cmdb_rel_ci.json: missing column 'kid' (found: parent, child, type)
    """
    table = _read_json(path) if path.suffix.lower() == ".json" else _read_csv(path)
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        found = ", ".join(map(str, table.frame.columns)) or "no columns"
        raise FormatError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))} "
                          f"(found: {found})", file=str(path), line=1 if table.lines is not None else None)
    return table


def _read_csv(path: Path) -> Table:
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise FormatError("the file is empty: expected a header row and one row per record", file=str(path),
                          line=1) from None
    except pd.errors.ParserError as err:
        raise FormatError(f"malformed CSV: {err}".rstrip(), file=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    n = len(frame)
    newlines = text.count("\n") + (0 if text.endswith("\n") else 1)
    # without line breaks inside fields, row i is on line i + 2
    lines = list(range(2, n + 2)) if newlines == n + 1 else _record_lines(text)[:n]
    return Table(str(path), frame, lines)


def _record_lines(text: str) -> list[int]:
    """Return the line each CSV record starts at (data records only), following quoted line breaks."""
    reader = csv.reader(io.StringIO(text))
    starts, previous_end = [], 0
    for _ in reader:
        starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts[1:]


def _read_json(path: Path) -> Table:
    data = read_json(path)
    key = ""
    if isinstance(data, dict):
        key = next((k for k in ("records", "result") if isinstance(data.get(k), list)), "")
        if not key:
            raise FormatError("expected a list of records, or an object with 'records' (JSONv2 export) or "
                              f"'result' (Table API), found the keys {', '.join(map(repr, list(data)[:8]))}",
                              file=str(path))
        data = data[key]
    if not isinstance(data, list):
        raise FormatError("expected a list of records", file=str(path))
    bad = next((i for i, r in enumerate(data) if not isinstance(r, dict)), None)
    if bad is not None:
        raise FormatError(f"{key}[{bad}]: expected a record (an object), found {type(data[bad]).__name__}",
                          file=str(path))
    frame = pd.DataFrame.from_records(data) if data else pd.DataFrame()
    for column in frame.columns:
        frame[column] = _texts(frame[column], displayed=column in _DISPLAYED)
    return Table(str(path), frame, None, key)


def _texts(values: pd.Series, *, displayed: bool) -> pd.Series:
    def text(v: Any) -> str:
        if isinstance(v, dict):
            v = (v.get("display_value") or v.get("value")) if displayed else v.get("value", v.get("display_value"))
        if v is None or (isinstance(v, float) and v != v):
            return ""
        return str(v)

    if values.map(type).eq(str).all():
        return values
    return values.map(text).astype(object)
