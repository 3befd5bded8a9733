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

from ...errors import FormatError, ModelError, Problem
from ...model import Model
from .._sources import NO_JOURNEYS, IdMaker, build_model, json_position, read_json
from ..importlog import ImportEntry, ImportLog

__all__ = ["read_traces", "trace_layout"]

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
    ids = IdMaker()
    services: dict[str, str] = {}
    for _, parent, child, _, _ in rows:
        for name in (parent, child):
            if name not in services:
                services[name] = ids.make(name)
    first: dict[tuple[str, str], int] = {}
    calls: dict[tuple[str, str], int] = {}
    outcomes: list[tuple[str, str]] = []
    for i, (_, parent, child, count, _) in enumerate(rows):
        pair = (parent, child)
        if parent == child:
            outcomes.append(("kept", "a service calling itself"))
        elif count == 0 and pair not in first:
            outcomes.append(("kept", "no calls in the period"))
        elif pair in first:
            calls[pair] += count
            outcomes.append(("mapped", f"dependency (calls added to {rows[first[pair]][0]})"))
        else:
            first[pair], calls[pair] = i, count
            outcomes.append(("mapped", "dependency"))
    out_calls: dict[str, int] = {}
    for (parent, _), count in calls.items():
        out_calls[parent] = out_calls.get(parent, 0) + count
    depends: dict[str, list[Any]] = {}
    for (parent, child), count in calls.items():
        share = count / out_calls[parent] if out_calls[parent] else 1.0
        depends.setdefault(parent, []).append(
            services[child] if strengths == "none" else {"element": services[child], "strength": share})
    elements = [{"id": sid, "name": name, "kind": kind, "properties": {"traces:service": name},
                 **({"depends_on": depends[name]} if name in depends else {})} for name, sid in services.items()]
    model = build_model({"cxgraph": 1, "name": f"Service dependencies ({path.name})", "elements": elements}, str(path))
    label = "Jaeger dependencies" if layout == "jaeger" else "Zipkin dependency links"
    report = ImportLog(
        source=str(path), format=label,
        elements=tuple(ImportEntry(name, "service", name, "mapped", kind, item=sid) for name, sid in services.items()),
        relationships=tuple(
            ImportEntry(where, "dependency link", "", status, outcome,  # type: ignore[arg-type]
                        item=services[parent] if status == "mapped" else None, source=parent, target=child,
                        properties=(("callCount", str(count)),) + ((("errorCount", str(errors)),)
                                                                   if errors is not None else ()))
            for (where, parent, child, count, errors), (status, outcome) in zip(rows, outcomes, strict=True)),
        notes=(NO_JOURNEYS,))
    return model, report
