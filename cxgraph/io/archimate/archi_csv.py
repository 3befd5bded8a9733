r"""Archi's CSV trio: ``elements.csv``, ``relations.csv`` and ``properties.csv``.

Archi exports a model as three CSV files (File > Export > Model to CSV) and
imports them back, into a new model or into an existing one, where rows whose ID
matches an existing concept update it. The files may share a prefix
(``bank-elements.csv``); the reader takes a folder or a path prefix.

The columns are Archi's: elements ``ID, Type, Name, Documentation, Specialization``
(the first row of type ``ArchimateModel`` is the model itself), relations
``ID, Type, Name, Documentation, Source, Target, Specialization`` and properties
``ID, Key, Value``. The properties ``Access_Type``, ``Directed``,
``Influence_Strength`` and ``Junction_Type`` carry relationship and junction details,
as Archi writes them. Files are UTF-8 (with or without a byte-order mark; Windows-1252
is read too), separated by commas, semicolons or tabs.

Examples
--------
>>> import tempfile, pathlib
>>> from cxgraph.io.archimate.archi_csv import parse_csv, write_csv
>>> from cxgraph.io.archimate.concepts import ArchiModel, Concept
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_csv(ArchiModel(name="Tiny", id="m", elements=[Concept("a", "Node", "Server")]), folder)
>>> print((folder / "elements.csv").read_text().replace("\r", ""), end="")
"ID","Type","Name","Documentation","Specialization"
"m","ArchimateModel","Tiny","",""
"a","Node","Server","",""
>>> [c.name for c in parse_csv(folder).elements]
['Server']
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path as FsPath

from ..._files import write_text
from ...errors import FormatError
from ..csvsafe import neutralise, restore
from ..xmlsafe import read_limited
from .concepts import RELATIONSHIP_TYPES, ArchiModel, Concept, canonical_type
from .unmap import _ELEMENT_TYPES

__all__ = ["csv_files", "parse_csv", "write_csv"]

_HEADERS = {
    "elements": ("ID", "Type", "Name", "Documentation"),
    "relations": ("ID", "Type", "Name", "Documentation", "Source", "Target"),
    "properties": ("ID", "Key", "Value"),
}
_SPECIAL = {"Access_Type": "accessType", "Directed": "isDirected", "Influence_Strength": "modifier"}
_SPECIALIZATION = "archimate:specialization"


def csv_files(folder_or_prefix: str | os.PathLike[str]) -> dict[str, FsPath]:
    """Return the paths of the three files for a folder or a path prefix (``out/bank-``).

    Examples
    --------
    >>> from cxgraph.io.archimate.archi_csv import csv_files
    >>> sorted(p.name for p in csv_files("exports/bank-").values())
    ['bank-elements.csv', 'bank-properties.csv', 'bank-relations.csv']
    """
    path = FsPath(folder_or_prefix)
    if path.is_dir():
        return {name: path / f"{name}.csv" for name in _HEADERS}
    return {name: path.with_name(f"{path.name}{name}.csv") for name in _HEADERS}


def _decode(data: bytes, file: str, notes: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{file} is not UTF-8: read as Windows-1252 (ANSI)")
        return data.decode("cp1252", errors="replace")


def _rows(path: FsPath, name: str, max_bytes: int | None, notes: list[str]) -> list[tuple[int, dict[str, str]]]:
    text = _decode(read_limited(path, max_bytes=max_bytes), str(path), notes)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long documentation is one field
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = [h.strip() for h in record]
                lowered = {h.lower(): h for h in header}
                missing = [h for h in _HEADERS[name] if h.lower() not in lowered]
                if missing:
                    raise FormatError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                      f"(the header has {', '.join(header) or 'nothing'})", file=str(path), line=1)
                continue
            if not any(cell.strip() for cell in record):
                continue
            stray = [i for i in range(len(header), len(record)) if record[i].strip()]
            if stray:
                raise FormatError(f"a cell in column {stray[0] + 1}, right of the header's last column "
                                  f"({len(header)}): every value needs a column name", file=str(path), line=line)
            record = [restore(cell) for cell in record]
            cells = {h.lower(): (record[i] if i < len(record) else "") for i, h in enumerate(header)}
            rows.append((line, {h: cells.get(h.lower(), "") for h in (*_HEADERS[name], "Specialization")}))
    except csv.Error as err:
        raise FormatError(f"malformed CSV: {err}", file=str(path), line=reader.line_num) from None
    return rows


def parse_csv(folder_or_prefix: str | os.PathLike[str], *, max_bytes: int | None = None) -> ArchiModel:
    """Read Archi's CSV trio into an :class:`ArchiModel` (``relations.csv`` and ``properties.csv`` are optional).

    Examples
    --------
    >>> from cxgraph.io.archimate.archi_csv import parse_csv
    >>> parse_csv("/nowhere/at-all-")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] no Archi CSV export here: '/nowhere/at-all-elements.csv'
    """
    files = csv_files(folder_or_prefix)
    if not files["elements"].is_file():
        raise FileNotFoundError(2, "no Archi CSV export here", str(files["elements"]))
    model = ArchiModel(format="Archi CSV", file=str(folder_or_prefix))
    notes: list[str] = []
    by_id: dict[str, Concept] = {}
    for line, row in _rows(files["elements"], "elements", max_bytes, notes):
        where = {"file": str(files["elements"]), "line": line}
        if row["Type"] == "ArchimateModel":
            model.id, model.name, model.documentation = row["ID"] or None, row["Name"], row["Documentation"] or None
            continue
        kind = canonical_type(row["Type"])
        if kind == "AndJunction" or kind in _ELEMENT_TYPES:
            concept = Concept(row["ID"] or f"elements-{line}", kind, row["Name"], row["Documentation"] or None,
                              line=line)
        else:
            raise FormatError(f"unknown element type {row['Type']!r}", **where)
        _add(concept, row, by_id, model.elements, where)
    if files["relations"].is_file():
        for line, row in _rows(files["relations"], "relations", max_bytes, notes):
            where = {"file": str(files["relations"]), "line": line}
            kind = canonical_type(row["Type"])
            if kind not in RELATIONSHIP_TYPES:
                raise FormatError(f"unknown relationship type {row['Type']!r}", **where)
            concept = Concept(row["ID"] or f"relations-{line}", kind, row["Name"], row["Documentation"] or None,
                              source=row["Source"], target=row["Target"], line=line)
            _add(concept, row, by_id, model.relationships, where)
        for rel in model.relationships:
            for end in (rel.source, rel.target):
                if end not in by_id:
                    raise FormatError(f"relationship {rel.id!r} refers to {end!r}, which elements.csv and "
                                      "relations.csv do not define", file=str(files["relations"]), line=rel.line)
    if files["properties"].is_file():
        for line, row in _rows(files["properties"], "properties", max_bytes, notes):
            _property(model, by_id, row, str(files["properties"]), line)
    return model


def _add(concept: Concept, row: dict[str, str], by_id: dict[str, Concept], into: list[Concept],
         where: dict[str, object]) -> None:
    if concept.id in by_id:
        raise FormatError(f"ID {concept.id!r} is used twice (first at line {by_id[concept.id].line})",
                          **where)  # type: ignore[arg-type]
    if row.get("Specialization"):
        concept.properties.append((_SPECIALIZATION, row["Specialization"]))
    by_id[concept.id] = concept
    into.append(concept)


def _property(model: ArchiModel, by_id: dict[str, Concept], row: dict[str, str], file: str, line: int) -> None:
    key, value, owner = row["Key"], row["Value"], row["ID"]
    if owner == model.id:
        model.properties.append((key, value))
        return
    concept = by_id.get(owner)
    if concept is None:
        raise FormatError(f"a property of {owner!r}, which elements.csv and relations.csv do not define",
                          file=file, line=line)
    if concept.is_relationship and key in _SPECIAL:
        concept.attrs[_SPECIAL[key]] = value.lower() if key == "Directed" else value
    elif concept.type == "AndJunction" and key == "Junction_Type":
        concept.type = "OrJunction" if value.strip().lower() == "or" else "AndJunction"
    else:
        concept.properties.append((key, value))


def _write(path: FsPath, header: tuple[str, ...], rows: list[list[str]]) -> None:
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    write_text(path, handle.getvalue())


def write_csv(archi: ArchiModel, folder: str | os.PathLike[str], *, prefix: str = "") -> None:
    """Write an :class:`ArchiModel` as Archi's CSV trio in ``folder`` (created if needed), names prefixed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io.archimate.archi_csv import write_csv
    >>> from cxgraph.io.archimate.concepts import ArchiModel
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_csv(ArchiModel(name="Tiny"), folder, prefix="tiny-")
    >>> sorted(p.name for p in folder.iterdir())
    ['tiny-elements.csv', 'tiny-properties.csv', 'tiny-relations.csv']
    """
    folder = FsPath(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model_id = archi.id or "cxgraph-model"

    def split(c: Concept) -> tuple[str, list[tuple[str, str]]]:
        special = next((v for k, v in c.properties if k == _SPECIALIZATION), "")
        return special, [(k, v) for k, v in c.properties if k != _SPECIALIZATION]

    elements = [[model_id, "ArchimateModel", archi.name, archi.documentation or "", ""]]
    relations = []
    properties = [[model_id, k, v] for k, v in archi.properties]
    for c in archi.elements:
        special, props = split(c)
        kind = "Junction" if c.type in ("AndJunction", "OrJunction") else c.type
        elements.append([c.id, kind, c.name, c.documentation or "", special])
        if kind == "Junction":
            properties.append([c.id, "Junction_Type", "Or" if c.type == "OrJunction" else "And"])
        properties.extend([c.id, k, v] for k, v in props)
    for c in archi.relationships:
        special, props = split(c)
        relations.append([c.id, f"{c.type}Relationship", c.name, c.documentation or "", c.source or "",
                          c.target or "", special])
        names = {v: k for k, v in _SPECIAL.items()}
        properties.extend([c.id, names[k], v] for k, v in c.attrs.items() if k in names)
        properties.extend([c.id, k, v] for k, v in props)
    _write(folder / f"{prefix}elements.csv", (*_HEADERS["elements"], "Specialization"), elements)
    _write(folder / f"{prefix}relations.csv", (*_HEADERS["relations"], "Specialization"), relations)
    _write(folder / f"{prefix}properties.csv", _HEADERS["properties"], properties)
