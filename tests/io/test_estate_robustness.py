"""Whatever an export holds, the estate readers give a model or a located error, never a traceback."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given

import cxgraph as cx
from tests.strategies import cmdb_exports, json_values

ERRORS = (cx.FormatError, cx.ModelError)


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@given(cmdb_exports())
def test_any_cmdb_export_reads_or_fails_with_a_location(tables: tuple[list[list[str]], list[list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder / "cmdb_ci.csv", tables[0])
        _write(folder / "cmdb_rel_ci.csv", tables[1])
        try:
            model, report = cx.io.read_servicenow(folder)
        except ERRORS as err:
            assert "cmdb_ci.csv" in str(err) or "cmdb_rel_ci.csv" in str(err)
            return
        assert report.elements_read == len(tables[0]) - 1 == report.elements_mapped + report.elements_kept
        assert report.relationships_read == len(tables[1]) - 1
        assert len(model.elements) == report.elements_mapped


@given(json_values)
def test_any_json_reads_or_fails_with_a_location(data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        path.write_text(json.dumps(data))
        for reader in (cx.io.read_structurizr, cx.io.read_traces):
            try:
                reader(path)
            except ERRORS as err:
                assert "in.json" in str(err)


@given(json_values, json_values)
def test_any_catalog_document_reads_or_fails_with_a_location(spec: Any, metadata: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog-info.yaml"
        docs = [{"kind": kind, "metadata": metadata, "spec": spec} for kind in ("Component", "System", "Group")]
        path.write_text(yaml.safe_dump_all([*docs, {"kind": "API", "metadata": {"name": "a"}, "spec": spec}]))
        try:
            _, report = cx.io.read_backstage(path)
        except ERRORS as err:
            assert "catalog-info.yaml" in str(err)
            return
        assert report.elements_read == 4
