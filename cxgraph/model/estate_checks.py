"""Checking an estate's tables on whole columns: the checks of :meth:`Model.check`, each problem at its row and column.

A problem is located as ``elements[12].kind`` or ``links[40].strength``: the table, the row
(0-based, in table order) and the column. Where one check fails on many rows, the first
:data:`SHOWN` are listed and one more problem counts the rest.

A number that is a range (``availability``, ``failures_per_year``, ``recovery_hours`` of an
element, ``strength`` of a link) has three more columns, ``<field>_low``, ``<field>_mode`` and
``<field>_high``: low and high come together, ``low <= mode <= high``, each within the field's
bounds, and the point column, where given, holds the range's point value (its mode, or the
midpoint where no mode is given).
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import Problem, closest
from .checks import check_document, format_path
from .items import ELEMENT_KINDS

if TYPE_CHECKING:
    from .model import Model

__all__ = ["ELEMENT_COLUMNS", "ELEMENT_RANGES", "LINK_COLUMNS", "LINK_RANGES", "RANGE_PARTS", "SHOWN", "Lookup",
           "changes_links", "check_tables", "element_stubs", "normalise", "range_columns", "range_point",
           "referenced_stubs"]

ELEMENT_COLUMNS = ("id", "name", "kind", "owner", "availability", "failures_per_year", "recovery_hours",
                   "description", "tags", "properties")
"""The columns an elements table may have (``id`` and ``kind`` required), besides the range columns."""

LINK_COLUMNS = ("source", "target", "strength", "group", "needs")
"""The columns a links table may have (``source`` and ``target`` required), besides the range columns."""

ELEMENT_RANGES = ("availability", "failures_per_year", "recovery_hours")
"""The element columns that may hold a range, in ``<field>_low``, ``<field>_mode`` and ``<field>_high``."""

LINK_RANGES = ("strength",)
"""The link columns that may hold a range."""

RANGE_PARTS = ("low", "mode", "high")
"""The parts of a range, each a column ``<field>_<part>``."""


def range_columns(fields: tuple[str, ...]) -> tuple[str, ...]:
    """Return the range columns of ``fields``: ``<field>_low``, ``<field>_mode``, ``<field>_high`` for each.

    Examples
    --------
    >>> from cxgraph.model.estate_checks import range_columns
    >>> range_columns(("strength",))
    ('strength_low', 'strength_mode', 'strength_high')
    """
    return tuple(f"{f}_{p}" for f in fields for p in RANGE_PARTS)


def range_point(low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Return the point value of each range: its mode, or the midpoint where no mode is given (NaN: no range).

    The same value :attr:`cxgraph.Uncertain.value` gives, bit for bit.

    Examples
    --------
    >>> import numpy as np
    >>> from cxgraph.model.estate_checks import range_point
    >>> range_point(np.array([0.9, 0.9, np.nan]), np.array([0.95, np.nan, np.nan]), np.array([1.0, 1.0, np.nan]))
    array([0.95, 0.95,  nan])
    """
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(low) | np.isnan(high), np.nan, np.where(np.isnan(mode), (low + high) / 2.0, mode))

SHOWN = 20
"""How many rows one check lists before counting the rest."""

_NUMBERS = {"availability": (0.0, 1.0), "failures_per_year": (0.0, math.inf), "recovery_hours": (0.0, math.inf)}
_ID = r"^[A-Za-z0-9_.\-]+$"
_OWNER_KINDS = ("team", "vendor")


class _Found:
    def __init__(self, file: str | None) -> None:
        self.problems: list[Problem] = []
        self.file = file

    def rows(self, table: str, column: str, rows: np.ndarray, message: Any) -> None:
        """One problem per row in ``rows`` (``message(row)`` says it), at most :data:`SHOWN`, then a count."""
        rows = np.asarray(rows)
        for r in rows[:SHOWN].tolist():
            self.problems.append(Problem(f"{table}[{r}].{column}", message(r), file=self.file))
        if len(rows) > SHOWN:
            self.problems.append(Problem(f"{table}[{int(rows[SHOWN])}].{column}",
                                         f"... and {len(rows) - SHOWN:,} more rows with the same problem",
                                         file=self.file))

    def table(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, file=self.file))


def normalise(frame: Any, table: str, columns: tuple[str, ...], required: tuple[str, ...],
              found: _Found, ranges: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return ``frame`` as a DataFrame with a fresh row index, reporting unknown or missing columns.

    ``columns`` are the table's columns and ``ranges`` the fields among them that may hold a range
    (their ``<field>_low``, ``<field>_mode`` and ``<field>_high`` columns are allowed too).
    """
    if not isinstance(frame, pd.DataFrame):
        try:
            frame = frame.to_pandas() if hasattr(frame, "to_pandas") else pd.DataFrame(frame)
        except (TypeError, ValueError) as exc:
            found.table(table, f"expected a table (pandas DataFrame or pyarrow Table), got {type(frame).__name__}: "
                               f"{exc}")
            return pd.DataFrame({c: [] for c in required})
    allowed = (*columns, *range_columns(ranges))
    ranged = f"; a range as <field>_low, <field>_mode, <field>_high for {', '.join(ranges)}" if ranges else ""
    for col in frame.columns:
        if col not in allowed:
            hint = closest(str(col), allowed, n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            found.table(f"{table}.{col}", f"unknown column {col!r} (expected {', '.join(columns)}{ranged}){tip}")
    for col in required:
        if col not in frame.columns:
            found.table(f"{table}.{col}", f"the {table} table needs a column {col!r}")
    return frame.reset_index(drop=True)


class Lookup:
    """Row of each id in a column of ids (the first row where an id repeats); -1 for an unknown id.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.model.estate_checks import Lookup
    >>> Lookup(pd.Series(["a", "b", "a"])).rows(pd.Series(["b", "x", "a"], dtype="category")).tolist()
    [1, -1, 0]
    """

    def __init__(self, ids: pd.Series) -> None:
        ids = pd.Series(ids).reset_index(drop=True)
        dup = ids.duplicated(keep="first").to_numpy() | ids.isna().to_numpy()
        self.index = pd.Index(ids[~dup])
        self.first = np.flatnonzero(~dup)
        self.ids = ids
        self.n = len(ids)

    def rows(self, column: pd.Series) -> np.ndarray:
        """Return the row of every value of ``column`` (-1 where it is no id of the table)."""
        if isinstance(column.dtype, pd.CategoricalDtype):
            at = self._rows(pd.Index(column.cat.categories))
            codes = column.cat.codes.to_numpy()
            return np.where(codes >= 0, at[np.maximum(codes, 0)] if len(at) else -1, -1)
        return self._rows(column)

    def _rows(self, values: Any) -> np.ndarray:
        at = self.index.get_indexer(values)
        return np.where(at >= 0, self.first[np.maximum(at, 0)] if len(self.first) else -1, -1).astype(np.int64)


def _text(series: pd.Series) -> pd.Series:
    """Text cells as str (missing: NA); numbers and other values are turned into NA as well."""
    if series.dtype == object:  # a column of missing values only maps to floats: test each cell instead
        is_text = np.fromiter((isinstance(v, str) for v in series.to_numpy()), bool, count=len(series))
    else:
        is_text = series.notna().to_numpy()
    return series.where(is_text).astype("string")


def _number(series: pd.Series, table: str, column: str, found: _Found) -> pd.Series:
    """Cells as float64 (missing: NaN), reporting cells that are not numbers."""
    if pd.api.types.is_bool_dtype(series.dtype):
        values = pd.Series(np.full(len(series), np.nan))
        found.rows(table, column, np.arange(len(series)), lambda r: "expected a number, got a true/false value")
        return values
    values = pd.to_numeric(series, errors="coerce").astype(np.float64)
    bad = np.flatnonzero(values.isna().to_numpy() & series.notna().to_numpy())
    found.rows(table, column, bad, lambda r: f"expected a number, got {series.iloc[r]!r}")
    return values


def check_tables(elements: pd.DataFrame, links: pd.DataFrame, model: Model, *, file: str | None = None,
                 found: _Found | None = None) -> list[Problem]:
    """Return every problem in an estate's two tables and its model, each at its table, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> from cxgraph.model.estate_checks import check_tables
    >>> els = pd.DataFrame({"id": ["a", "b", "a"], "kind": ["system", "sytem", "data"]})
    >>> lnk = pd.DataFrame({"source": ["a"], "target": ["c"], "strength": [1.5]})
    >>> for p in check_tables(els, lnk, cx.Model()):
    ...     print(p)
    <model>: elements[2].id: duplicate id 'a' (first defined at elements[0])
    <model>: elements[1].kind: unknown kind 'sytem' (expected one of system, ...); did you mean 'system'?
    <model>: links[0].target: unknown element 'c'
    <model>: links[0].strength: expected a number between 0 and 1, got 1.5
    """
    found = found or _Found(file)
    if model.elements:
        found.table("elements", "the model part of an estate holds no elements: they belong in the elements table")
    ids = _check_elements(elements, model, found)
    _check_links(links, ids, model, found)
    _check_model(elements, links, model, ids, found)
    return found.problems


def _check_elements(frame: pd.DataFrame, model: Model, found: _Found) -> Lookup:
    if "id" not in frame.columns:
        return Lookup(pd.Series([], dtype=object))
    ids = _text(frame["id"])
    missing = np.flatnonzero(ids.isna().to_numpy())
    found.rows("elements", "id", missing, lambda r: "missing id (text)")
    bad = np.flatnonzero((~ids.str.fullmatch(_ID).fillna(True)).to_numpy())
    found.rows("elements", "id", bad,
               lambda r: f"invalid id {ids.iloc[r]!r}: use only letters, digits, '-', '_' and '.'")
    dup = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    if dup.any():
        first = pd.Series(np.arange(len(ids)), index=pd.Index(ids)).groupby(level=0).first()
        found.rows("elements", "id", np.flatnonzero(dup),
                   lambda r: f"duplicate id {ids.iloc[r]!r} (first defined at elements[{int(first[ids.iloc[r]])}])")
    small = {item.id: kind for kind, items in (("journey", model.journeys), ("touchpoint", model.touchpoints),
                                               ("capability", model.capabilities), ("metric", model.metrics),
                                               ("initiative", model.initiatives), ("scenario", model.scenarios))
             for item in items}
    small.update({s.id: "stage" for j in model.journeys for s in j.stages})
    clash = np.flatnonzero(ids.isin(list(small)).to_numpy())
    found.rows("elements", "id", clash, lambda r: f"duplicate id {ids.iloc[r]!r} (also a {small[ids.iloc[r]]} "
                                                  "in the model)")
    for col in ("name", "description"):
        if col in frame.columns and frame[col].dtype == object:
            cells = frame[col]
            bad = np.flatnonzero(np.fromiter((not isinstance(v, str) and _present(v) for v in cells.to_numpy()), bool,
                                             count=len(cells)))
            found.rows("elements", col, bad, lambda r, cells=cells: f"expected text, got {_shown(cells.iloc[r])}")
    if "kind" in frame.columns:
        kinds = frame["kind"]
        bad = np.flatnonzero(~kinds.isin(ELEMENT_KINDS).to_numpy())

        def unknown_kind(r: int) -> str:
            value = kinds.iloc[r]
            hint = closest(str(value), ELEMENT_KINDS, n=1) if isinstance(value, str) else []
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            return f"unknown kind {value!r} (expected one of {', '.join(ELEMENT_KINDS)}){tip}"

        found.rows("elements", "kind", bad, unknown_kind)
    numbers = {}
    for col, (low, high) in _NUMBERS.items():
        values = _bounded(frame, "elements", col, low, high, found)
        given = _check_range(frame, "elements", col, low, high, values, found)
        if given is not None:
            numbers[col] = given
    if "availability" in numbers and "failures_per_year" in numbers:
        both = np.flatnonzero((numbers["availability"].notna() & numbers["failures_per_year"].notna()).to_numpy())
        found.rows("elements", "failures_per_year", both, lambda r: "give either availability or failures_per_year "
                   "(with recovery_hours), not both")
    if "failures_per_year" in numbers:
        hours = numbers.get("recovery_hours", pd.Series(np.full(len(frame), np.nan), index=frame.index))
        alone = np.flatnonzero((numbers["failures_per_year"].notna() & hours.isna()).to_numpy())
        found.rows("elements", "failures_per_year", alone, lambda r: "failures_per_year needs recovery_hours (the "
                   "mean time to restore, in hours) to give an unavailability")
    if "properties" in frame.columns:
        cells = frame["properties"]
        bad = np.flatnonzero(cells.map(_bad_properties, na_action="ignore").fillna(False).astype(bool).to_numpy())
        found.rows("elements", "properties", bad, lambda r: "expected a JSON object of text keys and scalar values, "
                   f"got {cells.iloc[r]!r}")
    if "tags" in frame.columns:
        cells = frame["tags"]
        bad = np.flatnonzero(cells.map(_bad_tags, na_action="ignore").fillna(False).astype(bool).to_numpy())
        found.rows("elements", "tags", bad, lambda r: f"expected a list of texts, got {cells.iloc[r]!r}")
    index = Lookup(ids)
    if "owner" in frame.columns and "kind" in frame.columns:
        owners = frame["owner"]
        at = index.rows(owners)
        given = owners.notna().to_numpy()
        kinds_arr = frame["kind"].to_numpy()
        unknown = np.flatnonzero(given & (at < 0))
        found.rows("elements", "owner", unknown, lambda r: f"unknown owner {owners.iloc[r]!r}")
        wrong = np.flatnonzero(given & (at >= 0) & ~np.isin(kinds_arr[np.maximum(at, 0)], _OWNER_KINDS))
        found.rows("elements", "owner", wrong, lambda r: f"owner {owners.iloc[r]!r} is a "
                   f"{kinds_arr[at[r]]}: an owner must be a team or vendor")
    return index


def _bounded(frame: pd.DataFrame, table: str, col: str, low: float, high: float, found: _Found) -> pd.Series | None:
    """Return the column as numbers (``None``: no such column), reporting cells that are no number in bounds."""
    if col not in frame.columns:
        return None
    values = _number(frame[col], table, col, found)
    arr = values.to_numpy()
    out = np.flatnonzero(~np.isnan(arr) & ~((arr >= low) & (arr <= high)))
    what = "between 0 and 1" if high == 1.0 else "of at least 0 (finite)"
    found.rows(table, col, out, lambda r: f"expected a number {what}, got {float(arr[r])!r}")
    return values


def _check_range(frame: pd.DataFrame, table: str, field: str, low: float, high: float, point: pd.Series | None,
                 found: _Found) -> pd.Series | None:
    """Check the range columns of ``field``; return where the field is given (point or range; ``None``: nowhere).

    Low and high come together, a mode only with them, ``low <= mode <= high``, each part within
    ``[low, high]``, and a point value beside a range must be the range's point value.
    """
    cols = [f"{field}_{p}" for p in RANGE_PARTS]
    if not any(c in frame.columns for c in cols):
        return point
    n = len(frame)
    lo, mo, hi = (v.to_numpy() if v is not None else np.full(n, np.nan)
                  for v in (_bounded(frame, table, c, low, high, found) for c in cols))
    has_lo, has_mo, has_hi = ~np.isnan(lo), ~np.isnan(mo), ~np.isnan(hi)
    found.rows(table, cols[2], np.flatnonzero(has_lo & ~has_hi),
               lambda r: f"a range needs {cols[2]} beside {cols[0]} (or neither)")
    found.rows(table, cols[0], np.flatnonzero(has_hi & ~has_lo),
               lambda r: f"a range needs {cols[0]} beside {cols[2]} (or neither)")
    found.rows(table, cols[1], np.flatnonzero(has_mo & ~has_lo & ~has_hi),
               lambda r: f"{cols[1]} is given without {cols[0]} and {cols[2]}")
    full = has_lo & has_hi
    with np.errstate(invalid="ignore"):
        ordered = (lo <= np.where(has_mo, mo, lo)) & (np.where(has_mo, mo, hi) <= hi)
    bad = np.flatnonzero(full & ~ordered)

    def disorder(r: int) -> str:
        if has_mo[r]:
            return f"expected {cols[0]} <= {cols[1]} <= {cols[2]}, got {float(lo[r])!r}, {float(mo[r])!r}, " \
                   f"{float(hi[r])!r}"
        return f"expected {cols[0]} <= {cols[2]}, got {float(lo[r])!r} and {float(hi[r])!r}"

    found.rows(table, cols[0], bad, disorder)
    value = range_point(lo, mo, hi)
    if point is not None:
        given = point.to_numpy()
        clash = np.flatnonzero(full & ordered & ~np.isnan(given) & (given != value))
        found.rows(table, field, clash, lambda r: f"expected the range's point value {float(value[r])!r} (its mode, "
                   f"or the midpoint where no mode is given) or nothing, got {float(given[r])!r}")
        return pd.Series(np.where(full, value, given), index=frame.index)
    return pd.Series(np.where(full, value, np.nan), index=frame.index)


def _bad_properties(cell: Any) -> bool:
    if not isinstance(cell, str):
        return True
    try:
        value = json.loads(cell)
    except ValueError:
        return True
    return not isinstance(value, dict) or not all(
        isinstance(v, str | int | float | bool) or v is None for v in value.values())


def _bad_tags(cell: Any) -> bool:
    return not isinstance(cell, list | tuple | np.ndarray) or not all(isinstance(t, str) for t in cell)


def _check_links(frame: pd.DataFrame, ids: Lookup, model: Model, found: _Found) -> None:
    if "source" not in frame.columns or "target" not in frame.columns:
        return
    touchpoints = {tp.id for tp in model.touchpoints}
    src_at = ids.rows(frame["source"])
    dst_at = ids.rows(frame["target"])
    for col, at in (("source", src_at), ("target", dst_at)):
        column = frame[col]
        bad = np.flatnonzero(at < 0)

        def unknown(r: int, column: pd.Series = column, col: str = col) -> str:
            value = column.iloc[r]
            if isinstance(value, str) and value in touchpoints:
                return (f"{value!r} is a touchpoint: its links belong to the touchpoint in the model"
                        if col == "source" else f"{value!r} is a touchpoint: dependencies must point at elements")
            return f"unknown element {value!r}" if isinstance(value, str) else f"expected an element id, got {value!r}"

        found.rows("links", col, bad, unknown)
    _check_range(frame, "links", "strength", 0.0, 1.0, _bounded(frame, "links", "strength", 0.0, 1.0, found), found)
    known = (src_at >= 0) & (dst_at >= 0)
    pair = pd.Series(np.where(known, src_at.astype(np.int64) * max(ids.n, 1) + dst_at, -1 - np.arange(len(frame))))
    dup = np.flatnonzero(pair.duplicated(keep="first").to_numpy())
    if dup.size:
        first = pd.Series(np.arange(len(pair)), index=pair.to_numpy()).groupby(level=0).first()
        found.rows("links", "target", dup, lambda r: f"{frame['source'].iloc[r]!r} depends on "
                   f"{frame['target'].iloc[r]!r} twice (first at links[{int(first[pair.iloc[r]])}]): merge the two "
                   "links into one")
    group = _text(frame["group"]) if "group" in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="string")
    if "needs" in frame.columns:
        needs = _number(frame["needs"], "links", "needs", found).to_numpy()
        given = ~np.isnan(needs)
        bad = np.flatnonzero(given & ((needs < 1) | (needs != np.floor(needs)) | (needs > 2**31 - 1)))
        found.rows("links", "needs", bad,
                   lambda r: f"needs must be a whole number, at least 1, got {float(needs[r])!r}")
        loose = np.flatnonzero(given & group.isna().to_numpy() & (needs != 1))
        found.rows("links", "needs", loose, lambda r: "needs is given but the link is in no group")
        grouped = group.notna().to_numpy()
        if grouped.any():
            g = pd.DataFrame({"s": src_at[grouped], "g": group[grouped].to_numpy(), "k": needs[grouped]})
            stats = g.groupby(["s", "g"], sort=False)["k"].agg(["size", "min", "max"])
            rows = np.flatnonzero(grouped)
            per = stats.reindex(pd.MultiIndex.from_arrays([g["s"], g["g"]])).to_numpy()
            clash = rows[~np.isnan(per[:, 1]) & (per[:, 1] != per[:, 2])]
            found.rows("links", "needs", clash, lambda r: f"the links of group {group.iloc[r]!r} of "
                       f"{frame['source'].iloc[r]!r} give different needs")
            over = rows[(per[:, 2] > per[:, 0]) & (g["k"].to_numpy() == per[:, 2])]
            found.rows("links", "needs", over, lambda r: f"needs {int(needs[r])} of group {group.iloc[r]!r} but the "
                       "group has fewer links")


def _check_model(elements: pd.DataFrame, links: pd.DataFrame, model: Model, ids: Lookup, found: _Found) -> None:
    """Check the model part as a document holding the estate elements it refers to (and their links)."""
    doc = model.to_dict()
    doc.pop("elements", None)
    doc["elements"] = referenced_stubs(doc, elements, links, ids, model)
    for path, message in check_document(doc):
        if path and path[0] == "elements":
            continue  # the elements themselves are checked as table rows
        found.table(format_path(path), message)


def referenced_stubs(doc: Any, elements: pd.DataFrame, links: pd.DataFrame, ids: Lookup,
                     model: Model) -> list[dict[str, Any]]:
    """Return the stubs (:func:`element_stubs`) of the estate elements a model document names, anywhere in it.

    Every text in ``doc``, keys included (a scenario's ``hours`` maps element ids), is looked up
    among the estate's ids; a scenario failing elements by a condition (``fail_where``) needs them all.
    ``model`` is the document's initiatives and scenarios, read.
    """
    referenced: set[str] = set()
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            stack.extend(k for k in node if isinstance(k, str))
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            referenced.add(node)
    rows = ids.rows(pd.Series(sorted(referenced), dtype=object))
    rows = rows[rows >= 0]
    everything = any(s.fail_where is not None for s in model.scenarios)
    if everything:
        rows = ids.first
    return element_stubs(elements, links, ids, rows, with_links=changes_links(model), with_owners=everything)


def changes_links(model: Model) -> bool:
    """Whether an initiative of ``model`` adds or removes links (its checks then need the links it touches)."""
    return any(i.removes or (i.adds is not None and i.adds.links) for i in model.initiatives)


def element_stubs(elements: pd.DataFrame, links: pd.DataFrame, ids: Lookup, rows: np.ndarray, *,
                  with_links: bool = True, with_owners: bool = False) -> list[dict[str, Any]]:
    """Plain documents of the elements at ``rows``, with their links and the elements those reach.

    The model part of an estate is checked as a document holding these: what it refers to,
    with just enough (kind, recovery hours, tags, owners and links where asked) for its checks.
    """
    if not len(rows) or "kind" not in elements.columns:
        return []
    chosen = set(rows.tolist())
    deps: dict[int, list[Any]] = {}
    if with_links and "source" in links.columns and "target" in links.columns:
        src = ids.rows(links["source"])
        dst = ids.rows(links["target"])
        mine = np.flatnonzero(np.isin(src, rows) & (dst >= 0))
        for r in mine.tolist():
            deps.setdefault(int(src[r]), []).append(str(ids.ids.iloc[dst[r]]))
            chosen.add(int(dst[r]))
    out = []
    sub = elements.iloc[sorted(chosen)]
    for r, rec in zip(sorted(chosen), sub.to_dict(orient="records"), strict=True):
        stub: dict[str, Any] = {"id": str(rec["id"]), "name": str(rec["id"]), "kind": rec["kind"]}
        if not _present(rec.get("recovery_hours")) and _present(rec.get("recovery_hours_low")):
            rec["recovery_hours"] = rec["recovery_hours_low"]  # given as a range: its checks need only that it is
        for col in ("owner", "recovery_hours") if with_owners else ("recovery_hours",):
            value = rec.get(col)
            if value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA:
                stub[col] = value
        if isinstance(rec.get("tags"), list | np.ndarray):
            stub["tags"] = [str(t) for t in rec["tags"]]
        if isinstance(rec.get("properties"), str):
            with contextlib.suppress(ValueError):  # reported on the row by the properties check
                stub["properties"] = json.loads(rec["properties"])
        if r in deps:
            stub["depends_on"] = deps[r]
        out.append(stub)
    return out


def _present(value: Any) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def _shown(value: Any) -> str:
    """Return a cell as a message shows it: texts and numbers as written, other values by their type."""
    if isinstance(value, str | int | float | bool):
        return repr(value)
    name = {list: "a list", tuple: "a list", np.ndarray: "a list", dict: "a mapping"}.get(type(value))
    return name or f"a {type(value).__name__}"
