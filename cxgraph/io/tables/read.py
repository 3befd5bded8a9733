"""Turning the cells of the spreadsheet tables into a model document, every problem at its sheet, row and column.

The document goes through :func:`cxgraph.io.validate.model_from_document`, so tables get the
same checks as YAML and JSON files; each problem found there is moved back to the cell it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ModelError, Problem, closest
from ...model import Model, format_path
from ..validate import model_from_document
from .cells import CellError, as_text, decode, parse_list, parse_needs, parse_number
from .files import RawSheet
from .layout import IGNORED_SHEETS, PROP_PREFIX, SHEETS, Column, Sheet

__all__ = ["build_model", "in_sheet_order"]

_ORDER = {s.name: i for i, s in enumerate(SHEETS)}
_LAST = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")
_ELEMENT = re.compile(r"elements\[\d+\]")
_DOC_PATH = re.compile(r"\b(?:journeys|elements|capabilities|metrics|initiatives)\[\d+\](?:\.\w+\[\d+\])*")


@dataclass(frozen=True)
class _Cell:
    """Where a value came from: the sheet (or file), the row as the user sees it, the column."""

    file: str
    row: int | None = None
    column: str = ""
    index: int | None = None


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    cells: dict[str, _Cell]
    at: _Cell


class _Tables:
    """Reads every sheet's header and rows, then assembles the model document."""

    def __init__(self, raw: list[RawSheet], source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.reported: set[tuple[str, int | None, str]] = set()
        self.missing: set[tuple[str, str]] = set()
        self.where: dict[str, _Cell] = {}
        self.rows: dict[str, list[_Row]] = {s.name: [] for s in SHEETS}
        self.files: dict[str, str] = {}
        self.placeholder: str | None = None  # the journey that holds rows whose own journey is unknown
        known = {s.name: s for s in SHEETS}
        for sheet in raw:
            key = sheet.name.strip().lower()
            if key.startswith("_") or key in IGNORED_SHEETS:
                continue
            if key not in known:
                hint = closest(key, known, n=1)
                tip = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.problem(_Cell(sheet.file), f"unknown sheet {sheet.name!r}{tip}: the sheets are "
                             f"{', '.join(known)}; start a name with '_' for notes the reader skips")
            elif key in self.files:
                self.problem(_Cell(sheet.file), f"a second {key!r} sheet (the first is {self.files[key]})")
            else:
                self.files[key] = sheet.file
                self.rows[key] = self.read_sheet(known[key], sheet)

    # ----------------------------------------------------------------------------------- cells
    def problem(self, cell: _Cell, message: str) -> None:
        self.problems.append(Problem(cell.column, message, file=cell.file, line=cell.row, column=cell.index))
        self.reported.add((cell.file, cell.row, cell.column))

    def header(self, spec: Sheet, sheet: RawSheet) -> list[tuple[int, Column | str]]:
        """Return (index, column or property key) for every used column of the header."""
        head = sheet.rows[0] if sheet.rows else []
        columns: list[tuple[int, Column | str]] = []
        seen: dict[str, int] = {}
        by_name = {c.name: c for c in spec.columns}
        for i, raw in enumerate(head):
            at = _Cell(sheet.file, 1, "", i + 1)
            try:
                value = decode(raw)
            except CellError as err:
                self.problem(at, str(err))
                continue
            escaped = isinstance(raw, str) and raw.strip().startswith("!!")
            text = None if value is None else as_text(value)
            if text is None:
                if any(i < len(r) and _decode_quiet(r[i]) is not None for r in sheet.rows[1:]):
                    self.problem(at, f"column {i + 1} has values but no name in row 1")
                continue
            lower = text.lower()
            if spec.properties and lower.startswith(PROP_PREFIX):
                rest = text[len(PROP_PREFIX):]
                name: str = PROP_PREFIX + (rest if escaped else rest.strip())
                entry: Column | str = name[len(PROP_PREFIX):]
            elif lower in by_name:
                name, entry = lower, by_name[lower]
            else:
                hint = closest(lower, by_name, n=1)
                tip = f" (did you mean {hint[0]!r}?)" if hint else f" (expected {', '.join(by_name)})"
                extra = f"; name extra columns {PROP_PREFIX}<key> for free properties" if spec.properties else ""
                self.problem(_Cell(sheet.file, 1, text, i + 1), f"unknown column {text!r}{tip}{extra}")
                continue
            if name in seen:
                self.problem(_Cell(sheet.file, 1, name, i + 1), f"column {name!r} appears twice (first in column "
                                                                   f"{seen[name] + 1})")
                continue
            seen[name] = i
            columns.append((i, entry))
        for column in spec.columns:
            if column.required and column.name not in seen and len(sheet.rows) > 1:
                self.problem(_Cell(sheet.file, 1, column.name), f"missing column {column.name!r} (required)")
                self.missing.add((sheet.file, column.name))
        return columns

    def read_sheet(self, spec: Sheet, sheet: RawSheet) -> list[_Row]:
        columns = self.header(spec, sheet)
        rows = []
        for number, raw in enumerate(sheet.rows[1:], start=2):
            first = raw[0] if raw else None
            if isinstance(first, str) and first.strip().startswith("#"):
                continue  # a comment row
            if all(_decode_quiet(v) is None for v in raw):
                continue
            row = _Row(number, {}, {}, _Cell(sheet.file, number))
            for i, entry in columns:
                name = entry.name if isinstance(entry, Column) else PROP_PREFIX + entry
                at = _Cell(sheet.file, number, name, i + 1)
                row.cells[name] = at
                cell = raw[i] if i < len(raw) else None
                try:
                    value = _value(entry, cell)
                except CellError as err:
                    self.problem(at, str(err))
                    continue
                if value is not None or (isinstance(entry, str) and _is_null(cell)):
                    row.values[name] = value
            rows.append(row)
        return rows

    # ------------------------------------------------------------------------------- document
    def item(self, row: _Row, path: tuple[str | int, ...], spec: Sheet, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """Return the document item of a row, recording where each of its fields came from."""
        if path:
            self.where[format_path(path)] = row.at
        item: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        for name, cell in row.cells.items():
            if name.startswith(PROP_PREFIX):
                key = name[len(PROP_PREFIX):]
                self.where[format_path((*path, "properties", key))] = cell
                if name in row.values:
                    properties[key] = row.values[name]
                continue
            column = spec.column(name)
            if column.name in skip:
                continue
            keys = column.key.split(".")  # "tolerance.hours": a field of a nested mapping
            self.where[format_path((*path, *keys))] = cell
            if name in row.values:
                target = item
                for key in keys[:-1]:
                    target = target.setdefault(key, {})
                target[keys[-1]] = row.values[name]
        for column in spec.columns:  # a column the sheet lacks: its problems point at the row
            if column.name not in row.cells and column.name not in skip:
                keys = column.key.split(".")
                self.where[format_path((*path, *keys))] = _Cell(row.at.file, row.number, column.name)
        if properties:
            item["properties"] = properties
        return item

    def document(self, default_name: str) -> dict[str, Any]:
        doc: dict[str, Any] = {"cxgraph": "1", "name": default_name}
        model_rows = self.rows["model"]
        for extra in model_rows[1:]:
            self.problem(extra.at, "the model sheet has one row (the model as a whole)")
        if model_rows:
            doc.update(self.item(model_rows[0], (), SHEETS[0]))
        journeys = self.collection(doc, "journeys")
        for sheet in ("stages", "touchpoints"):
            for row in self.rows[sheet]:
                at = self.parent(row, "journey", journeys, "journey")
                skip: tuple[str, ...] = ("journey",)
                if at is None:  # still check the row's cells, in a journey of its own (stages cannot be judged)
                    if self.placeholder is None:
                        self.placeholder = format_path(("journeys", len(doc["journeys"])))
                        doc["journeys"].append({"name": "", "customers": 0})
                    at, skip = len(doc["journeys"]) - 1, ("journey", "stage")
                items = doc["journeys"][at].setdefault(sheet, [])
                items.append(self.item(row, ("journeys", at, sheet, len(items)), _sheet(sheet), skip))
        for name in ("elements", "capabilities", "metrics", "scenarios"):
            self.collection(doc, name)
        if not doc["scenarios"]:
            del doc["scenarios"]
        initiatives = self.collection(doc, "initiatives")
        owners: dict[str, tuple[str | int, ...]] = {}
        for ji, journey in enumerate(doc["journeys"]):
            for ti, tp in enumerate(journey.get("touchpoints", [])):
                owners.setdefault(str(tp.get("id")), ("journeys", ji, "touchpoints", ti))
        for ei, element in enumerate(doc["elements"]):
            owners.setdefault(str(element.get("id")), ("elements", ei))
        for row in self.rows["dependencies"]:
            path = self.owner(row, owners, doc)
            if path is not None:
                owner = _at(doc, path)
                deps = owner.setdefault("depends_on", [])
                deps.append(self.item(row, (*path, "depends_on", len(deps)), _sheet("dependencies"), ("from",)))
        for sheet, field in (("improvements", "improves"), ("settings", "sets")):
            for row in self.rows[sheet]:
                at = self.parent(row, "initiative", initiatives, "initiative")
                if at is not None:
                    items = doc["initiatives"][at].setdefault(field, [])
                    items.append(self.item(row, ("initiatives", at, field, len(items)), _sheet(sheet),
                                           ("initiative",)))
        self.link_changes(doc, initiatives)
        self.added_elements(doc, initiatives)
        return doc

    def link_changes(self, doc: dict[str, Any], initiatives: dict[str, int]) -> None:
        """Put each row of ``link_changes`` into its initiative's ``adds.links`` or ``removes``."""
        for row in self.rows["link_changes"]:
            at = self.parent(row, "initiative", initiatives, "initiative")
            change = row.values.get("change")
            if change not in ("add", "remove"):
                if change is not None or ("change" in row.cells):
                    self.problem(row.cells.get("change", row.at), f"expected add or remove, got {change!r}")
                continue
            if at is None:
                continue
            initiative = doc["initiatives"][at]
            if change == "add":
                links = initiative.setdefault("adds", {}).setdefault("links", [])
                path: tuple[str | int, ...] = ("initiatives", at, "adds", "links", len(links))
                links.append(self.item(row, path, _sheet("link_changes"), ("initiative", "change")))
            else:
                for column in ("strength", "group"):
                    if column in row.values:
                        self.problem(row.cells[column], f"a removed link has no {column}: leave it empty")
                removes = initiative.setdefault("removes", [])
                removes.append(self.item(row, ("initiatives", at, "removes", len(removes)), _sheet("link_changes"),
                                         ("initiative", "change", "strength", "group")))

    def added_elements(self, doc: dict[str, Any], initiatives: dict[str, int]) -> None:
        """Move the elements with an ``added_by`` initiative into that initiative's ``adds.elements``."""
        kept: list[dict[str, Any]] = []
        rows = self.rows["elements"]
        moved: dict[str, str] = {}  # where each element's cells are now found (the elements left renumbered)
        for i, element in enumerate(doc["elements"]):
            owner = element.pop("added_by", None)
            if owner is None:
                moved[format_path(("elements", i))] = format_path(("elements", len(kept)))
                kept.append(element)
                continue
            at = self.parent(rows[i], "added_by", initiatives, "initiative")
            if at is None:
                continue
            added = doc["initiatives"][at].setdefault("adds", {}).setdefault("elements", [])
            moved[format_path(("elements", i))] = format_path(("initiatives", at, "adds", "elements", len(added)))
            added.append(element)
        where = {k: v for k, v in self.where.items() if not k.startswith("elements[")}
        for key, cell in self.where.items():
            match = _ELEMENT.match(key)
            if match and match.group() in moved:
                where[moved[match.group()] + key[match.end():]] = cell
        self.where = where
        doc["elements"] = kept

    def collection(self, doc: dict[str, Any], name: str) -> dict[str, int]:
        """Fill ``doc[name]`` from its sheet; return the index of each id (the first, where repeated)."""
        doc[name] = [self.item(row, (name, i), _sheet(name)) for i, row in enumerate(self.rows[name])]
        index: dict[str, int] = {}
        for i, item in enumerate(doc[name]):
            index.setdefault(str(item.get("id")), i)
        return index

    def parent(self, row: _Row, column: str, index: dict[str, int], what: str) -> int | None:
        value = row.values.get(column)
        cell = row.cells.get(column, _Cell(row.at.file, row.number, column))
        if value is None:
            if (cell.file, column) not in self.missing:
                self.problem(cell, f"required: the id of the {what} this row belongs to")
        elif value not in index:
            hint = closest(value, index)
            tip = " (did you mean " + ", ".join(repr(h) for h in hint) + "?)" if hint else ""
            self.problem(cell, f"unknown {what} {value!r}{tip}")
        else:
            return index[value]
        return None

    def owner(self, row: _Row, owners: dict[str, tuple[str | int, ...]], doc: dict[str, Any]
              ) -> tuple[str | int, ...] | None:
        value = row.values.get("from")
        if value is not None and value not in owners and self.category(doc, value):
            self.problem(row.cells["from"], f"{value!r} is a {self.category(doc, value)}: a dependency goes from "
                                            "a touchpoint or an element")
            return None
        return owners[value] if value in owners else self.parent(row, "from", owners, "touchpoint or element")

    @staticmethod
    def category(doc: dict[str, Any], value: str) -> str | None:
        for journey in doc["journeys"]:
            if journey.get("id") == value:
                return "journey"
            if any(s.get("id") == value for s in journey.get("stages", [])):
                return "stage"
        for name in ("capabilities", "metrics", "initiatives"):
            if any(i.get("id") == value for i in doc.get(name, [])):
                return {"capabilities": "capability"}.get(name, name[:-1])
        return None

    # -------------------------------------------------------------------------------- problems
    def locate(self, problem: Problem) -> Problem | None:
        """Move a problem found in the document to its cell; ``None`` where it repeats one already reported."""
        path = problem.path
        while path and path not in self.where:
            shorter = _LAST.sub("", path)
            path = shorter if shorter != path else ""
        cell = self.where.get(path) if path else None
        message = _DOC_PATH.sub(self.describe, problem.message)
        if cell is None and self.placeholder and problem.path.startswith(self.placeholder):
            return None  # the stand-in journey itself (it has no id)
        if cell is None:
            return Problem(problem.path, message, file=self.source)
        if (cell.file, cell.row, cell.column) in self.reported:
            return None
        if (cell.file, cell.column) in self.missing and problem.message == "required field missing":
            return None
        return Problem(cell.column, message, file=cell.file, line=cell.row, column=cell.index)

    def describe(self, match: re.Match[str]) -> str:
        cell = self.where.get(match.group())
        return f"{Path(cell.file).name} row {cell.row}" if cell is not None and cell.row else match.group()


def _decode_quiet(value: Any) -> Any:
    """Like :func:`decode`, but a malformed tagged value counts as a value (not as empty)."""
    try:
        return decode(value)
    except CellError:
        return value


def _value(entry: Column | str, raw: Any) -> Any:
    value = decode(raw)
    if value is None:
        return None
    if isinstance(entry, str):  # a property: text as written, tagged values as tagged
        if not (isinstance(raw, str) and raw.strip().startswith("!!")):
            return as_text(value)
        if isinstance(value, list | dict):
            raise CellError("a property holds one value (text, !!int, !!float, !!bool or !!null), not a list")
        return value
    kind = entry.type
    if kind == "number":
        return parse_number(value)
    if kind in ("ids", "tags"):
        return parse_list(value, ids=kind == "ids")
    if kind == "needs":
        return parse_needs(value)
    if kind == "flag":
        return _flag(value)
    if kind == "hours":
        hours = parse_needs(value, key="id", value_name="hours", example="core-db=6")
        return {k: parse_number(v) for k, v in hours.items()}
    if kind == "values":
        return parse_needs(value, key="key", value_name="value", example="site=north")
    return as_text(value) if not isinstance(value, list | dict) else value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise CellError(f"expected true or false, got {as_text(value)!r}")


def _is_null(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip() == "!!null"


def _sheet(name: str) -> Sheet:
    return SHEETS[_ORDER[name]]


def _at(doc: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    node: Any = doc
    for part in path:
        node = node[part]
    return node


def build_model(raw: list[RawSheet], *, source: str, default_name: str) -> Model:
    """Return the model held in the raw sheets, or raise :class:`ModelError` with every problem located."""
    tables = _Tables(raw, source)
    doc = tables.document(default_name)
    problems = list(tables.problems)
    model: Model | None = None
    try:
        model = model_from_document(doc, file=source)
    except ModelError as err:
        problems += [p for p in map(tables.locate, err.problems) if p is not None]
    if problems:
        raise ModelError(in_sheet_order(problems, source))
    assert model is not None
    model._source = source
    return model


def in_sheet_order(problems: list[Problem], source: str) -> list[Problem]:
    """Return the problems once each, by sheet (in :data:`SHEETS` order), row and column."""
    return sorted(dict.fromkeys(problems), key=lambda p: (
        p.file != source, _ORDER.get(_sheet_key(p.file), len(_ORDER)), p.line or 0, p.column or 0, p.path))


def _sheet_key(file: str | None) -> str:
    if not file:
        return ""
    match = re.search(r"\[([^\]]+)\]$", file)
    return (match.group(1) if match else Path(file).stem).lower()
