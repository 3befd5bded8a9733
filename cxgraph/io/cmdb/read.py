r"""Reading a ServiceNow CMDB export (``cmdb_ci`` and ``cmdb_rel_ci``) into a model of the IT estate.

Every configuration item becomes an element whose kind comes from its class
(:mod:`cxgraph.io.cmdb.classes`), except retired items (``operational_status`` 6 or
"Retired", or ``install_status`` 7 or "Retired"), items whose class is left out, and a
``sys_id`` seen twice: these are counted in the import log with the reason. Every
relationship becomes a dependency link or an owner, or is kept aside with the reason. The
work is done on whole columns, so 100,000 items and 500,000 relationships read in seconds.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "cmdb_ci.csv").write_text(
...     "sys_id,name,sys_class_name,operational_status\n"
...     "a1,Mobile app,cmdb_ci_service_auto,1\nb2,lnx-01,cmdb_ci_linux_server,1\nc3,lnx-00,cmdb_ci_linux_server,6\n")
>>> _ = (folder / "cmdb_rel_ci.csv").write_text("parent,child,type\na1,b2,Runs on::Runs\na1,c3,Runs on::Runs\n")
>>> model, report = cx.io.read_servicenow(folder)
>>> [(e.id, e.kind, [d.element for d in e.depends_on]) for e in model.elements]
[('mobile-app', 'service', ['lnx-01']), ('lnx-01', 'infrastructure', [])]
>>> report.counts()["elements_kept"], report.kept_relationships[0].outcome
(1, "touches a retired item ('lnx-00')")
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...errors import FormatError, ModelError, Problem
from ...model import Model
from ...model.estate import Estate
from .._sources import NO_JOURNEYS, build_model
from ..importlog import ImportEntry, ImportLog
from .classes import CLASS_KINDS, LEFT_OUT, kinds_of
from .relations import map_relationships
from .tables import Table, read_table

__all__ = ["find_exports", "read_servicenow", "read_servicenow_estate"]

_KINDS = {"system", "service", "infrastructure", "data", "process", "team", "vendor"}
_RETIRED_OPERATIONAL = {"6", "retired"}
_RETIRED_INSTALL = {"7", "retired"}


def find_exports(path: str | os.PathLike[str]) -> tuple[Path, Path | None]:
    """Return the ``cmdb_ci`` file and the ``cmdb_rel_ci`` file beside it (``None`` if there is none).

    ``path`` is a folder holding ``cmdb_ci.csv`` (or ``.json``) or the ``cmdb_ci`` file itself.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph.io.cmdb import find_exports
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cmdb_ci.json").write_text("[]")
    >>> [p.name if p else p for p in find_exports(folder)]
    ['cmdb_ci.json', None]
    """
    path = Path(path)
    if path.is_dir():
        found = [path / f"cmdb_ci{s}" for s in (".csv", ".json") if (path / f"cmdb_ci{s}").is_file()]
        if not found:
            raise FormatError("no cmdb_ci.csv or cmdb_ci.json in this folder", file=str(path))
        cis = found[0]
    elif path.is_file():
        cis = path
    else:
        raise FileNotFoundError(2, "No such file or directory", str(path))
    stem = cis.stem.replace("cmdb_ci", "cmdb_rel_ci", 1) if "cmdb_ci" in cis.stem else "cmdb_rel_ci"
    rels = [cis.with_name(stem + s) for s in (cis.suffix, ".csv", ".json")]
    return cis, next((r for r in rels if r.is_file() and r != cis), None)


def read_servicenow(path: str | os.PathLike[str], relationships: str | os.PathLike[str] | None = None, *,
                    kinds: Mapping[str, str | None] | None = None,
                    relations: Mapping[str, str | None] | None = None,
                    ids: Literal["names", "sys_id"] = "names") -> tuple[Model, ImportLog]:
    """Read a ServiceNow CMDB export into a model of elements and their dependencies, and an import log.

    Parameters
    ----------
    path
        A folder holding ``cmdb_ci.csv`` and ``cmdb_rel_ci.csv`` (or ``.json``), or the ``cmdb_ci``
        file (``sys_id``, ``name``, ``sys_class_name``, ``operational_status``).
    relationships
        The ``cmdb_rel_ci`` file (``parent``, ``child``, ``type``), if not beside the items.
        Parents and children are matched by ``sys_id``, else by a name no other item has.
    kinds
        Kinds for CMDB classes, before the built-in table (``None``: leave the class out).
    relations
        How to read relationship types, before the built-in rules: ``"parent"`` (the parent
        depends on the child), ``"child"``, ``"members"`` (the parent depends on its children as
        redundant alternatives), ``"owner"`` (the child owns the parent), ``None`` (keep aside).
    ids
        ``"names"``: ids made from the names (``lnx-app-01``); ``"sys_id"``: the ``sys_id`` itself.

    Returns
    -------
    tuple[Model, ImportLog]
        The model (elements only: journeys come from a journeys model, see :func:`cxgraph.merge`)
        and what became of every item and relationship read.

    Raises
    ------
    FormatError
        A missing column, a malformed file, with the file (and line).
    ModelError
        Rows without a ``sys_id``, unknown kinds in ``kinds``, each with its file, line and column.

    Examples
    --------
    >>> model, report = cx.io.read_servicenow(cx.examples.path("retail-bank").parent / "nowhere")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] No such file or directory: '.../nowhere'
    """
    _check_options(kinds, relations)
    read = _read(path, relationships, kinds, relations, ids, arrays=False)
    frame, deps, owners = read.frame, read.deps, read.owners
    mapped = frame.index[frame["mapped"]].to_numpy()
    ids_, names, kinds_ = frame["id"].to_numpy(), frame["name"].to_numpy(), frame["kind"].to_numpy()
    sys_ids, classes = frame["sys_id"].to_numpy(), frame["sys_class_name"].to_numpy()
    status = frame["operational_status"].to_numpy() if "operational_status" in frame else None
    elements: list[dict[str, Any]] = []
    for i in mapped.tolist():
        props = {"servicenow:sys_id": sys_ids[i], "servicenow:class": classes[i]}
        if status is not None and status[i]:
            props["servicenow:operational_status"] = status[i]
        doc: dict[str, Any] = {"id": ids_[i], "name": names[i], "kind": kinds_[i], "properties": props}
        if i in owners:
            doc["owner"] = ids_[owners[i]]
        if i in deps:
            doc["depends_on"] = deps[i]
        elements.append(doc)
    model = build_model({"cxgraph": 1, "name": read.name, "elements": elements}, str(read.ci_path))
    return model, read.report


def read_servicenow_estate(path: str | os.PathLike[str], relationships: str | os.PathLike[str] | None = None, *,
                           kinds: Mapping[str, str | None] | None = None,
                           relations: Mapping[str, str | None] | None = None,
                           ids: Literal["names", "sys_id"] = "names") -> tuple[Estate, ImportLog]:
    r"""Read a ServiceNow CMDB export into an :class:`~cxgraph.Estate` (tables, no object per item), and an import log.

    Takes the same arguments and reads the same way as :func:`read_servicenow`: the estate's
    ``to_model()`` equals the model that function returns. For exports of a million items,
    where one pydantic object per item would not fit; journeys go into ``estate.model``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cmdb_ci.csv").write_text(
    ...     "sys_id,name,sys_class_name\na1,Mobile app,cmdb_ci_service_auto\nb2,lnx-01,cmdb_ci_linux_server\n")
    >>> _ = (folder / "cmdb_rel_ci.csv").write_text("parent,child,type\na1,b2,Runs on::Runs\n")
    >>> estate, report = cx.io.read_servicenow_estate(folder)
    >>> estate.links[["source", "target"]].values.tolist()
    [['mobile-app', 'lnx-01']]
    """
    _check_options(kinds, relations)
    read = _read(path, relationships, kinds, relations, ids, arrays=True)
    frame, owners = read.frame, read.owners
    mapped = frame["mapped"].to_numpy()
    ids_ = frame["id"].to_numpy(dtype=object)
    owner = np.full(len(frame), None, dtype=object)
    if owners:
        rows = np.fromiter(owners, np.int64, count=len(owners))
        owner[rows] = ids_[np.fromiter(owners.values(), np.int64, count=len(owners))]
    props = pd.DataFrame({"servicenow:sys_id": frame["sys_id"], "servicenow:class": frame["sys_class_name"]})
    if "operational_status" in frame:
        props["servicenow:operational_status"] = frame["operational_status"]
    keys = list(props.columns)
    text = [json.dumps({k: v for k, v in zip(keys, row, strict=True) if v or k != "servicenow:operational_status"})
            for row in props[mapped].itertuples(index=False, name=None)]
    elements = pd.DataFrame({"id": frame["id"][mapped].to_numpy(), "name": frame["name"][mapped].to_numpy(),
                             "kind": frame["kind"][mapped].to_numpy(), "owner": owner[mapped],
                             "properties": text})
    dependent, provider, member = read.deps
    links = pd.DataFrame({"source": ids_[dependent], "target": ids_[provider],
                          "strength": np.ones(len(dependent)),
                          "group": pd.Series(np.where(member, "members", ""), dtype=object).replace("", None)})
    estate = Estate.from_tables(elements, links, Model(name=read.name), source=str(read.ci_path))
    return estate, read.report


class _Read:
    def __init__(self, **parts: Any) -> None:
        self.__dict__.update(parts)


def _read(path: str | os.PathLike[str], relationships: str | os.PathLike[str] | None,
          kinds: Mapping[str, str | None] | None, relations: Mapping[str, str | None] | None, ids: str, *,
          arrays: bool) -> Any:
    """Read both exports: the items, the relationships mapped, the owners and the import log."""
    ci_path, rel_path = find_exports(path)
    if relationships is not None:
        rel_path = Path(relationships)
    cis = read_table(ci_path, required=("sys_id", "name", "sys_class_name"))
    rels = read_table(rel_path, required=("parent", "child", "type")) if rel_path is not None else None
    items = _items(cis, kinds or {}, ids)
    notes: list[str] = []
    if rels is not None:
        report_rels, deps, owners = map_relationships(rels.frame, rels.lines, rels.file, items.frame, relations or {},
                                                      arrays=arrays)
        unknown = Counter(e.type for e in report_rels if e.outcome.startswith("unknown relationship type"))
        if unknown:
            notes.append("relationship types without a rule, kept aside: "
                         + ", ".join(f"{t} ({n})" for t, n in sorted(unknown.items())))
    else:
        empty = np.zeros(0, np.int64)
        report_rels, deps, owners = [], ((empty, empty, np.zeros(0, bool)) if arrays else {}), {}
        notes.append("no cmdb_rel_ci file beside the items: no dependencies read")
    report = ImportLog(
        source=str(ci_path) + (f" + {rel_path.name}" if rel_path is not None else ""),
        format="ServiceNow CMDB " + ("JSON" if ci_path.suffix.lower() == ".json" else "CSV"),
        elements=tuple(items.entries), relationships=tuple(report_rels), notes=(*items.notes, *notes, NO_JOURNEYS))
    return _Read(frame=items.frame, deps=deps, owners=owners, report=report, ci_path=ci_path,
                 name=f"ServiceNow CMDB ({ci_path.parent.name or ci_path.name})")


def _check_options(kinds: Mapping[str, str | None] | None, relations: Mapping[str, str | None] | None) -> None:
    problems = [Problem(f"kinds[{k!r}]", f"unknown kind {v!r} (expected one of {', '.join(sorted(_KINDS))}, "
                                         "or None to leave the class out)")
                for k, v in (kinds or {}).items() if v is not None and v not in _KINDS]
    problems += [Problem(f"relations[{k!r}]", f"unknown rule {v!r} (expected parent, child, members, owner or None)")
                 for k, v in (relations or {}).items() if v not in (None, "parent", "child", "members", "owner")]
    if problems:
        raise ModelError(problems)


class _Items:
    def __init__(self, frame: pd.DataFrame, entries: list[ImportEntry], notes: list[str]) -> None:
        self.frame, self.entries, self.notes = frame, entries, notes


def _items(table: Table, kinds: Mapping[str, str | None], ids: str) -> _Items:
    frame = table.frame.copy()
    for column in ("sys_id", "name", "sys_class_name"):
        frame[column] = frame[column].str.strip()
    empty = frame.index[frame["sys_id"] == ""].tolist()
    if empty:
        raise ModelError([Problem(f"{table.where(i)[1]}, column sys_id", "empty sys_id: every item needs one",
                                  file=table.file, line=table.where(i)[0]) for i in empty])
    frame["name"] = frame["name"].where(frame["name"] != "", frame["sys_id"])
    frame["kind"] = kinds_of(frame["sys_class_name"], {k: (v if v is not None else LEFT_OUT) for k, v in kinds.items()})
    retired = pd.Series(False, index=frame.index)
    for column, values in (("operational_status", _RETIRED_OPERATIONAL), ("install_status", _RETIRED_INSTALL)):
        if column in frame:
            retired |= frame[column].str.strip().str.lower().isin(values)
    duplicate = frame["sys_id"].duplicated()
    left_out = frame["kind"] == LEFT_OUT
    frame["retired"], frame["left_out"], frame["duplicate"] = retired, left_out, duplicate
    frame["mapped"] = ~(retired | left_out | duplicate)
    frame["id"] = _ids(frame, ids)
    outcome = np.where(duplicate, "same sys_id as an earlier row: left out",
                       np.where(retired, "retired: left out",
                                np.where(left_out, frame["sys_class_name"] + ": not an element", frame["kind"])))
    lines = table.lines or [None] * len(frame)
    entries = [ImportEntry(s, c, n, "mapped" if m else "kept", o, item=i if m else None, line=ln)
               for s, c, n, m, o, i, ln in zip(frame["sys_id"].tolist(), frame["sys_class_name"].tolist(),
                                               frame["name"].tolist(), frame["mapped"].tolist(), outcome.tolist(),
                                               frame["id"].tolist(), lines, strict=True)]
    notes = []
    if retired.any():
        notes.append(f"{int(retired.sum())} retired item{'s' if retired.sum() > 1 else ''} left out")
    defaulted = frame.loc[frame["mapped"] & ~frame["sys_class_name"].isin(_known(kinds)), "sys_class_name"]
    if len(defaulted):
        counts = defaulted.value_counts().sort_index()
        notes.append("classes without a kind of their own, mapped by the class-name rules: " + ", ".join(
            f"{c} ({n}, as {kinds_of(pd.Series([c])).iloc[0]})" for c, n in counts.items()))
    return _Items(frame, entries, notes)


def _known(kinds: Mapping[str, str | None]) -> set[str]:
    return set(CLASS_KINDS) | set(kinds)


def _ids(frame: pd.DataFrame, ids: str) -> pd.Series:
    if ids == "sys_id":
        base = frame["sys_id"].str.replace(r"[^A-Za-z0-9_.\-]", "_", regex=True)
    elif ids == "names":
        base = frame["name"].str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
        base = base.where(base != "", "ci")
    else:
        raise ValueError(f"ids must be 'names' or 'sys_id', got {ids!r}")
    n = base.groupby(base).cumcount()
    out = base.where(n == 0, base + "-" + (n + 1).astype(str))
    clash = out.duplicated(keep="first")
    if clash.any():  # a made-up "name-2" that another item was already called: number on
        taken = set(out[~clash])
        for i in out.index[clash]:
            k = 2
            while f"{base[i]}-{k}" in taken:
                k += 1
            out[i] = f"{base[i]}-{k}"
            taken.add(out[i])
    return out

