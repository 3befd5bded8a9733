"""OpenSLO v1 files: service level objectives (``kind: SLO``), one or many YAML documents.

Every objective of every SLO becomes one row of the frame: ``subject`` (``spec.service``),
``slo`` (``metadata.name``), ``title`` (the SLO's display name, or its name),
``objective`` (the objective's display name, or ``objective N``), ``indicator`` (the
indicator's name), ``ratio`` (whether the indicator is a ratio of good to total events),
``op`` (``lt``, ``lte``, ``gt``, ``gte`` or ``""``), ``value`` (the threshold, NaN where
none: ratio objectives such as the OpenSLO examples' ``op: gt, target: 0.995`` compare the
ratio itself), ``target`` (the share of good events or time slices, 0–1; ``targetPercent`` is
divided by 100), ``window`` (the time window, e.g. ``28d``) and ``row`` (the document, from
1). Indicators given by ``indicatorRef`` are looked up among the file's ``kind: SLI``
documents. Other kinds (Service, SLI, DataSource, AlertPolicy) are read and skipped.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ...errors import FormatError
from ._common import EvidenceTable, RowProblem, read_text

__all__ = ["read_openslo"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OPS = ("lt", "lte", "gt", "gte")


def _documents(path: str | Path) -> list[Any]:
    file = str(path)
    text = read_text(path, "an OpenSLO file (YAML)")
    try:
        return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise FormatError(f"not YAML ({getattr(err, 'problem', None) or err}): expected an OpenSLO file",
                          file=file, line=line) from None


def _number(value: Any, where: str, file: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FormatError(f"{where}: expected a number, got {value!r}", file=file)
    return float(value)


def _is_ratio(indicator: Any) -> bool:
    spec = indicator.get("spec") if isinstance(indicator, dict) else None
    return isinstance(spec, dict) and "ratioMetric" in spec


def _objective(slo: dict[str, Any], i: int, obj: Any, where: str, file: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise FormatError(f"{where}: expected an objective (a mapping), got {type(obj).__name__}", file=file)
    if "target" in obj:
        target = _number(obj["target"], f"{where}.target", file)
    elif "targetPercent" in obj:
        target = _number(obj["targetPercent"], f"{where}.targetPercent", file) / 100
    else:
        raise FormatError(f"{where}: an objective needs 'target' (0-1) or 'targetPercent'", file=file)
    if not 0 < target <= 1:
        raise FormatError(f"{where}.target: expected a share of good events in (0, 1], got {target:g}", file=file)
    op = str(obj.get("op", "") or "")
    if op and op not in OPS:
        raise FormatError(f"{where}.op: expected one of {', '.join(OPS)}, got {op!r}", file=file)
    value = _number(obj["value"], f"{where}.value", file) if "value" in obj else math.nan
    return {"objective": str(obj.get("displayName") or obj.get("name") or f"objective {i + 1}"),
            "op": op, "value": value, "target": target}


def read_openslo(path: str | Path) -> EvidenceTable:
    """Read the SLOs of an OpenSLO v1 file (YAML, one or several documents) into one row per objective.

    Examples
    --------
    >>> from cxgraph.io.evidence import read_openslo
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "slo.yaml"
    >>> _ = p.write_text('''apiVersion: openslo/v1
    ... kind: SLO
    ... metadata: {name: search-slo, displayName: Searching time}
    ... spec:
    ...   service: web-shop
    ...   indicator: {metadata: {name: search-latency}, spec: {thresholdMetric: {}}}
    ...   timeWindow: [{duration: 2w, isRolling: true}]
    ...   budgetingMethod: Occurrences
    ...   objectives: [{displayName: Good experience, op: lt, value: 500, target: 0.99}]
    ... ''')
    >>> read_openslo(p).frame[["subject", "op", "value", "target", "window"]].values.tolist()
    [['web-shop', 'lt', 500.0, 0.99, '2w']]
    """
    file = str(path)
    docs = _documents(path)
    if not docs or not all(isinstance(d, dict) for d in docs):
        raise FormatError("not an OpenSLO file: expected YAML documents that are mappings", file=file)
    versions = {str(d.get("apiVersion")) for d in docs}
    if "openslo/v1" not in versions:
        found = ", ".join(sorted(versions))
        raise FormatError(f"not an OpenSLO v1 file: no document has 'apiVersion: openslo/v1' (found {found})",
                          file=file)
    slis = {str((d.get("metadata") or {}).get("name")): d.get("spec") for d in docs if d.get("kind") == "SLI"}
    rows: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    for n, doc in enumerate(docs, start=1):
        if doc.get("kind") != "SLO":
            continue
        meta = doc.get("metadata") or {}
        spec = doc.get("spec")
        where = f"document {n} (SLO {meta.get('name')!r})"
        if doc.get("apiVersion") != "openslo/v1":
            problems.append(RowProblem(f"apiVersion {doc.get('apiVersion')!r} (only openslo/v1 is read)", 1, (n,)))
            continue
        if not isinstance(spec, dict) or not str(spec.get("service") or "").strip():
            raise FormatError(f"{where}: spec.service is missing: an SLO names the service it is about", file=file)
        indicator = spec.get("indicator")
        if indicator is None and spec.get("indicatorRef") is not None:
            ref = str(spec["indicatorRef"])
            if ref not in slis:
                raise FormatError(f"{where}: spec.indicatorRef {ref!r} names no SLI in this file", file=file)
            indicator = {"metadata": {"name": ref}, "spec": slis[ref]}
        objectives = spec.get("objectives")
        if not isinstance(objectives, list) or not objectives:
            raise FormatError(f"{where}: spec.objectives is missing or empty", file=file)
        windows = spec.get("timeWindow") or [{}]
        window = str((windows[0] if isinstance(windows, list) and windows else {}).get("duration") or "")
        name = str(meta.get("name") or f"slo-{n}")
        for i, obj in enumerate(objectives):
            row = _objective(spec, i, obj, f"{where}: spec.objectives[{i}]", file)
            rows.append({"subject": str(spec["service"]).strip(), "slo": name,
                         "title": str(meta.get("displayName") or name),
                         "indicator": str(((indicator or {}).get("metadata") or {}).get("name") or ""),
                         "ratio": _is_ratio(indicator), **row, "window": window, "row": n})
    columns = ["subject", "slo", "title", "indicator", "ratio", "objective", "op", "value", "target", "window", "row"]
    frame = pd.DataFrame(rows, columns=columns)
    return EvidenceTable(frame, file, "OpenSLO v1", "slos", sum(d.get("kind") == "SLO" for d in docs), problems)
