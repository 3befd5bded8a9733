"""What every evidence reader shares: reading CSV columnar, finding columns, reading timestamps.

Times are kept as float seconds since 1970-01-01 UTC (``NaN`` where a cell is empty): a
timestamp with an offset is converted to UTC, one without is taken as UTC.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import FormatError

__all__ = ["EvidenceTable", "RowProblem", "find_column", "read_csv_text", "read_text", "row_problems",
           "seconds", "text_column"]

_SNIFF = 8192


@dataclass(frozen=True)
class RowProblem:
    """Rows of one file left out for one reason: how many, and the first few row numbers.

    Row numbers count records as a spreadsheet shows them: the header is row 1, the first
    record row 2 (a record whose quoted text spans several lines is one row).

    Examples
    --------
    >>> from cxgraph.io.evidence import RowProblem
    >>> str(RowProblem("no resolved_at (still open)", 3, (5, 9, 12)))
    'no resolved_at (still open): 3 rows (rows 5, 9, 12)'
    """

    reason: str
    count: int
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        shown = ", ".join(str(r) for r in self.rows)
        more = ", …" if self.count > len(self.rows) else ""
        where = f" (rows {shown}{more})" if self.rows else ""
        return f"{self.reason}: {self.count} row{'s' if self.count != 1 else ''}{where}"


@dataclass
class EvidenceTable:
    """What a reader got from one file: its records as a table, and the rows it could not use.

    Parameters
    ----------
    frame
        One record per row; the columns depend on the kind of evidence (see each reader).
    file
        The file read.
    format
        The format recognised, in words (``"ServiceNow incident export"``).
    kind
        ``"incidents"``, ``"outages"``, ``"slos"``, ``"events"`` or ``"surveys"``.
    rows
        Records read from the file (every row, used or not).
    problems
        Rows left out, by reason, each counted.

    Examples
    --------
    >>> from cxgraph.io.evidence import EvidenceTable
    >>> import pandas as pd
    >>> t = EvidenceTable(pd.DataFrame({"subject": ["crm"]}), "x.csv", "CSV", "incidents", 1)
    >>> t.used
    1
    """

    frame: pd.DataFrame
    file: str
    format: str
    kind: str
    rows: int
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def used(self) -> int:
        """Records kept (rows read less rows left out)."""
        return len(self.frame)


def row_problems(reason: str, mask: np.ndarray, rows: np.ndarray) -> list[RowProblem]:
    """Return ``[RowProblem]`` for the rows where ``mask`` holds (none if it never does).

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.io.evidence._common import row_problems
    >>> row_problems("empty cmdb_ci", np.array([False, True]), np.array([2, 3]))
    [RowProblem(reason='empty cmdb_ci', count=1, rows=(3,))]
    """
    count = int(np.count_nonzero(mask))
    if not count:
        return []
    return [RowProblem(reason, count, tuple(int(r) for r in rows[mask][:5]))]


def read_text(path: str | Path, what: str) -> str:
    r"""Return a text file's content (UTF-8, a byte order mark skipped), refusing binary files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    >>> cx.io.evidence._common.read_text(p, "a CSV file")
    'a,b\n1,2\n'
    """
    data = Path(path).read_bytes()
    if b"\x00" in data[:_SNIFF]:
        raise FormatError(f"not a text file (it holds binary data): expected {what}", file=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FormatError(f"not UTF-8 text ({err.reason} at byte {err.start}): expected {what} saved as UTF-8",
                          file=str(path), line=line) from None


def read_csv_text(text: str, file: str, what: str, *, keep: Collection[str] | None = None) -> pd.DataFrame:
    r"""Read CSV text into a table of strings ('' for empty cells), columnar (pandas' C reader).

    Quoted fields may hold commas and newlines. The separator is ``,``, or ``;`` or a tab
    where the header line has no comma. With ``keep`` (lower-case names), only those
    columns are read (much faster for wide exports); ``frame.attrs["columns_found"]`` lists
    every column of the file either way.

    Examples
    --------
    >>> from cxgraph.io.evidence._common import read_csv_text
    >>> read_csv_text('a,b\n"x, y","two\nlines"\n', "x.csv", "CSV").iloc[0].tolist()
    ['x, y', 'two\nlines']
    """
    header = text.partition("\n")[0]
    if not header.strip():
        raise FormatError(f"the file is empty or its first line is blank: expected {what}", file=file, line=1)
    sep = next((d for d in (",", ";", "\t") if d in header), ",")
    wanted = None if keep is None else {k.lower() for k in keep}
    try:
        found = [str(c).strip() for c in pd.read_csv(io.StringIO(text), sep=sep, nrows=0, engine="c").columns]
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                            engine="c", usecols=None if wanted is None else
                            (lambda c: str(c).strip().lower() in wanted))  # type: ignore[operator]
    except (pd.errors.ParserError, ValueError) as err:
        raise FormatError(f"malformed CSV ({err}): expected {what}", file=file) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs["columns_found"] = found
    return frame


def find_column(frame: pd.DataFrame, names: Sequence[str], file: str, what: str, *,
                option: str | None = None, required: bool = True) -> str | None:
    """Return the first of ``names`` that is a column of ``frame`` (case-insensitive).

    A missing required column is an error naming it and listing the columns found.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.io.evidence._common import find_column
    >>> find_column(pd.DataFrame(columns=["Number", "CMDB_CI"]), ["cmdb_ci"], "x.csv", "the CI")
    'CMDB_CI'
    >>> find_column(pd.DataFrame(columns=["a"]), ["cmdb_ci"], "x.csv", "the CI", option="ci")
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: x.csv:1: missing column 'cmdb_ci' (the CI; name another with ci=...): ...
    """
    lower = {str(c).lower(): str(c) for c in frame.columns}
    for name in names:
        if name.lower() in lower:
            return lower[name.lower()]
    if not required:
        return None
    found = ", ".join(repr(str(c)) for c in frame.attrs.get("columns_found", frame.columns)) or "none"
    hint = f"; name another with {option}=..." if option else ""
    raise FormatError(f"missing column {names[0]!r} ({what}{hint}): the columns found are {found}",
                      file=file, line=1)


def text_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column's cells as an object array of stripped strings."""
    return frame[column].astype(str).str.strip().to_numpy(dtype=object)


def seconds(cells: pd.Series, *, file: str, column: str, rows: np.ndarray, dayfirst: bool = False) -> np.ndarray:
    """Read timestamps into float seconds since the epoch (UTC); empty cells give ``NaN``.

    ISO 8601 (``2024-03-01 14:22:10``, ``2024-03-01T14:22:10Z``, with an offset) is read
    columnar; other layouts are tried as pandas reads mixed dates (``dayfirst`` for
    ``01/03/2024`` meaning 1 March). A cell that is neither is an error naming its row and
    column.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cxgraph.io.evidence._common import seconds
    >>> seconds(pd.Series(["1970-01-01 01:00:00", "", "1970-01-01T02:00:00+01:00"]),
    ...         file="x.csv", column="opened_at", rows=np.array([2, 3, 4])).tolist()
    [3600.0, nan, 3600.0]
    >>> seconds(pd.Series(["soon"]), file="x.csv", column="opened_at", rows=np.array([2]))
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: x.csv: row 2, column 'opened_at': cannot read 'soon' as a date and time
    """
    text = cells.astype(str).str.strip()
    empty = (text == "").to_numpy()
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    bad = parsed.isna().to_numpy() & ~empty
    if bad.any():
        retry = pd.to_datetime(text[bad], format="mixed", dayfirst=dayfirst, utc=True, errors="coerce")
        parsed = parsed.copy()
        parsed[bad] = retry
        bad = parsed.isna().to_numpy() & ~empty
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise FormatError(f"row {int(rows[first])}, column {column!r}: cannot read {text.iloc[first]!r} as a date "
                          f"and time", file=file)
    values = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[us]").astype("int64").astype(float) / 1e6
    values[empty] = np.nan
    return values


def columns_option(given: Mapping[str, str] | None, known: Sequence[str], what: str) -> dict[str, str]:
    """Check a ``{role: column name}`` option against the roles a reader knows.

    Examples
    --------
    >>> from cxgraph.io.evidence._common import columns_option
    >>> columns_option({"ci": "Service"}, ["ci", "start"], "incident")
    {'ci': 'Service'}
    """
    given = dict(given or {})
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"unknown {what} column role {unknown[0]!r}: use {', '.join(known)}")
    return given
