from __future__ import annotations

import math
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io.evidence import read_openslo

DATA = Path(__file__).parents[2] / "data" / "evidence"


def test_public_examples_read() -> None:
    """The OpenSLO project's own examples (Apache-2.0, see tests/data/evidence/openslo/README.md)."""
    occ = read_openslo(DATA / "openslo" / "occurences-slo.yaml").frame
    assert occ[["subject", "slo", "title", "indicator", "ratio", "objective", "op", "value", "target", "window"]
               ].values.tolist() == [["web-shop", "search-slo", "Searching time", "search-latency", False,
                                      "Good experience", "lt", 500.0, 0.99, "2w"]]
    ts = read_openslo(DATA / "openslo" / "timeslices-slo.yaml").frame
    assert ts["objective"].tolist() == ["Internal objective", "SLA"]
    assert ts["target"].tolist() == [0.995, 0.99] and ts["ratio"].all()
    assert ts["op"].tolist() == ["gt", ""] and all(math.isnan(v) for v in ts["value"])
    ratio = read_openslo(DATA / "openslo" / "ratio-timeslices.yaml").frame
    assert ratio[["subject", "ratio", "target"]].values.tolist() == [["web-shop", True, 0.99]]


def test_multi_document_file_with_indicator_ref() -> None:
    t = read_openslo(DATA / "bank-slos.yaml")
    assert t.rows == 3
    assert t.frame[["subject", "slo", "indicator", "ratio", "row"]].values.tolist() == [
        ["core-banking", "core-availability", "core-postings-success", True, 3],
        ["Mobile banking app", "app-latency", "api-latency-ms", False, 4],
        ["mainframe-batch", "batch-window", "batch-done", True, 5]]


def test_bad_files(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("cxgraph: 1\nname: a model\n")
    with pytest.raises(cx.FormatError, match="not an OpenSLO v1 file"):
        read_openslo(p)
    p.write_text("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec: {service: a, objectives: []}\n")
    with pytest.raises(cx.FormatError, match=r"document 1 \(SLO 's'\): spec.objectives is missing or empty"):
        read_openslo(p)
    p.write_text("apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\n"
                 "spec: {service: a, objectives: [{target: 1.5}]}\n")
    with pytest.raises(cx.FormatError, match=r"spec.objectives\[0\].target: expected a share"):
        read_openslo(p)
    p.write_text("a: [1,\n")
    with pytest.raises(cx.FormatError, match="not YAML"):
        read_openslo(p)
