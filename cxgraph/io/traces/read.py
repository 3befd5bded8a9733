"""Reading the service dependency graph of a tracing system (Jaeger, Zipkin) into elements and links.

===========================================  ===================================================
dependency JSON                              cxgraph
===========================================  ===================================================
a service named as ``parent`` or ``child``   element (kind ``system`` unless ``kind=`` says)
a link ``parent`` → ``child``                the parent depends on the child
``callCount``                                with ``strengths="calls"``, the strength: the share
                                             of the parent's calls that go to this child
the same link listed again                   one link, its calls added up
``errorCount`` (Zipkin)                      kept in the report entry (``errors``)
===========================================  ===================================================

Kept aside: a service calling itself, a link with no calls in the period.

Jaeger's query service answers ``GET /api/dependencies`` with
``{"data": [{"parent", "child", "callCount"}], ...}``; Zipkin answers ``GET /api/v2/dependencies``
with a list of ``{"parent", "child", "callCount", "errorCount"}``. Both are read.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "dependencies.json"
>>> _ = path.write_text('[{"parent": "web", "child": "api", "callCount": 30},'
...                     ' {"parent": "web", "child": "auth", "callCount": 10}]')
>>> model, report = cx.io.read_traces(path, strengths="calls")
>>> [(d.element, d.strength) for d in model.elements[0].depends_on]
[('api', 0.75), ('auth', 0.25)]
>>> report.format
'Zipkin dependency links'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...errors import FormatError, ModelError, Problem
from ...model import Model
from .._sources import NO_JOURNEYS, IdMaker, build_model, json_position, read_json
from ..importlog import ImportEntry, ImportLog

__all__ = ["Links", "read_links", "read_traces", "trace_layout"]

_KINDS = ("system", "service", "infrastructure", "data", "process", "team", "vendor")


def trace_layout(data: Any) -> str | None:
    """Return ``"jaeger"`` or ``"zipkin"`` for parsed dependency JSON, or ``None`` if it is neither.

    Examples
    --------
    >>> from cxgraph.io.traces import trace_layout
    >>> trace_layout({"data": [], "total": 0}), trace_layout([{"parent": "a", "child": "b"}]), trace_layout({})
    ('jaeger', 'zipkin', None)
    """
    def links(rows: Any) -> bool:
        return isinstance(rows, list) and all(isinstance(r, dict) and "parent" in r and "child" in r for r in rows)

    if isinstance(data, dict) and links(data.get("data")):
        return "jaeger"
    if isinstance(data, list) and links(data) and data:
        return "zipkin"
    return None


def _rows(data: Any, layout: str, file: str) -> list[tuple[str, str, str, int, int | None]]:
    rows = data["data"] if layout == "jaeger" else data
    key = "data" if layout == "jaeger" else ""
    out, problems = [], []
    for i, row in enumerate(rows):
        where = f"{key}[{i}]"
        ends = [row.get(k) for k in ("parent", "child")]
        bad = [k for k, v in zip(("parent", "child"), ends, strict=True) if not isinstance(v, str) or not v.strip()]
        problems += [Problem(f"{where}.{k}", "expected a service name", file=file) for k in bad]
        counts = []
        for k in ("callCount", "errorCount"):
            v = row.get(k)
            if v is None:
                counts.append(0 if k == "callCount" else None)
            elif isinstance(v, bool) or not isinstance(v, int) or v < 0:
                problems.append(Problem(f"{where}.{k}", f"expected a whole number >= 0, got {v!r}", file=file))
                counts.append(0)
            else:
                counts.append(v)
        if not bad:
            out.append((where, ends[0].strip(), ends[1].strip(), counts[0] or 0, counts[1]))
    if problems:
        raise ModelError([Problem(p.path, p.message, file=p.file, line=line, column=col)
                          for p in problems for line, col in [json_position(Path(file), p.path)]])
    return out


def read_traces(path: str | os.PathLike[str], *, strengths: Literal["none", "calls"] = "none",
                kind: str = "system") -> tuple[Model, ImportLog]:
    """Read Jaeger or Zipkin dependency links (JSON) into a model of services and their dependencies.

    Parameters
    ----------
    path
        The JSON answer of Jaeger's ``/api/dependencies`` or Zipkin's ``/api/v2/dependencies``.
    strengths
        ``"none"``: every link has strength 1 (a service is lost when anything it calls is lost);
        ``"calls"``: a link's strength is the share of the parent's calls that go to the child,
        a rough measure of how much of the parent's work needs the child.
    kind
        The kind of the elements (default ``system``).

    Returns
    -------
    tuple[Model, ImportLog]
        The model (elements only) and what became of every service and link read.

    Raises
    ------
    FormatError
        Malformed JSON (with its line), or JSON in neither layout.
    ModelError
        A link without a parent or child, or with a call count that is not a whole number >= 0,
        each with its place (``data[3].callCount``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "deps.json"
    >>> _ = path.write_text('{"data": [{"parent": "web", "child": "", "callCount": -1}]}')
    >>> cx.io.read_traces(path)
    Traceback (most recent call last):
    ...
    cxgraph.errors.ModelError: 2 problems in the model:
      .../deps.json:1:38: data[0].child: expected a service name
      .../deps.json:1:55: data[0].callCount: expected a whole number >= 0, got -1
    """
    read = read_links(path, strengths=strengths, kind=kind)
    depends: dict[str, list[Any]] = {}
    for parent, child, strength in read.links[["parent", "child", "strength"]].itertuples(index=False, name=None):
        dep = child if strengths == "none" else {"element": child, "strength": strength}
        depends.setdefault(parent, []).append(dep)
    elements = [{"id": sid, "name": name, "kind": kind, "properties": {"traces:service": name},
                 **({"depends_on": depends[sid]} if sid in depends else {})}
                for name, sid in zip(read.services, read.ids, strict=True)]
    model = build_model({"cxgraph": 1, "name": read.name, "elements": elements}, str(read.path))
    return model, read.report


class Links:
    """Dependency links as read: the services (names and ids, in order of appearance), the links, the log."""

    def __init__(self, path: Path, name: str, services: list[str], ids: list[str], links: pd.DataFrame,
                 report: ImportLog) -> None:
        self.path, self.name, self.services, self.ids = path, name, services, ids
        self.links, self.report = links, report


def read_links(path: str | os.PathLike[str], *, strengths: str, kind: str) -> Links:
    """Read dependency links on whole columns: the services, one row per link kept and the import log.

    ``links`` has the columns ``parent`` and ``child`` (element ids) and ``strength``, in the
    order each link was first seen with calls; a link listed again has its calls added up.
    """
    if strengths not in ("none", "calls"):
        raise ValueError(f"strengths must be 'none' or 'calls', got {strengths!r}")
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {', '.join(_KINDS)}, got {kind!r}")
    path = Path(path)
    data = read_json(path)
    layout = trace_layout(data)
    if layout is None:
        raise FormatError("not service dependency links: expected Jaeger's {\"data\": [{\"parent\", \"child\", "
                          "\"callCount\"}, ...]} or Zipkin's [{\"parent\", \"child\", \"callCount\"}, ...]",
                          file=str(path))
    rows = _rows(data, layout, str(path))
    where = [r[0] for r in rows]
    parent = pd.Series([r[1] for r in rows], dtype=object)
    child = pd.Series([r[2] for r in rows], dtype=object)
    counts = [r[3] for r in rows]
    # call counts as whole numbers: int64 while every sum stays exact in a float, Python ints beyond
    calls = pd.Series(counts, dtype=np.int64 if sum(counts) < 2**53 else object)
    services = pd.unique(np.column_stack([parent.to_numpy(), child.to_numpy()]).ravel()).tolist() if rows else []
    made = IdMaker()
    ids = [made.make(name) for name in services]
    sid = dict(zip(services, ids, strict=True))
    # a link is kept from the first row of its pair with calls; rows before it (no calls) are kept aside
    pair = pd.Series(list(zip(parent, child, strict=True)), dtype=object)
    counted = (parent != child) & (calls > 0)
    first = pd.Series(np.arange(len(rows)))[counted.to_numpy()].groupby(pair[counted].to_numpy(), sort=False).first()
    at = pair.map(first).to_numpy(dtype=np.float64) if len(first) else np.full(len(rows), np.nan)
    self_call = (parent == child).to_numpy()
    index = np.arange(len(rows))
    later = ~self_call & ~np.isnan(at) & (index > at)
    outcomes = np.where(self_call, "a service calling itself",
                        np.where(later, "dependency (calls added to ", np.where(index == at, "dependency",
                                                                                 "no calls in the period")))
    mapped = ~self_call & ~np.isnan(at) & (index >= at)
    text = [o + where[int(a)] + ")" if o.endswith("to ") else str(o)
            for o, a in zip(outcomes.tolist(), np.nan_to_num(at).tolist(), strict=True)]
    keep = pd.DataFrame({"pair": pair[mapped].to_numpy(), "calls": calls[mapped].to_numpy()})
    total = keep.groupby("pair", sort=False)["calls"].sum()
    kept = pd.DataFrame({"parent": [p for p, _ in total.index], "child": [c for _, c in total.index],
                         "calls": total.to_numpy()})
    kept = kept.iloc[np.argsort(first.loc[total.index].to_numpy(), kind="stable")].reset_index(drop=True) \
        if len(kept) else kept
    out_calls = kept.groupby("parent", sort=False)["calls"].transform("sum")
    share = kept["calls"] / out_calls if strengths == "calls" else pd.Series(np.ones(len(kept)))
    links = pd.DataFrame({"parent": kept["parent"].map(sid), "child": kept["child"].map(sid),
                          "strength": share.astype(np.float64) if len(kept) else np.ones(0)})
    label = "Jaeger dependencies" if layout == "jaeger" else "Zipkin dependency links"
    report = ImportLog(
        source=str(path), format=label,
        elements=tuple(ImportEntry(name, "service", name, "mapped", kind, item=i) for name, i in sid.items()),
        relationships=tuple(
            ImportEntry(w, "dependency link", "", "mapped" if m else "kept", o, item=sid[p] if m else None,
                        source=p, target=c, properties=(("callCount", str(n)),) + ((("errorCount", str(e)),)
                                                                                  if e is not None else ()))
            for (w, p, c, n, e), m, o in zip(rows, mapped.tolist(), text, strict=True)),
        notes=(NO_JOURNEYS,))
    return Links(path, f"Service dependencies ({path.name})", services, ids, links, report)
