"""Jaeger and Zipkin dependency links: services, links, call shares as strengths, bad input located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cxgraph as cx


def test_jaeger_links_with_repeats_self_calls_and_idle_links(data_dir: Path) -> None:
    model, report = cx.io.read_traces(data_dir / "traces" / "jaeger-dependencies.json")
    assert [(e.id, e.kind, [(d.element, d.strength) for d in e.depends_on]) for e in model.elements] == [
        ("frontend", "system", [("customer", 1), ("driver", 1), ("route", 1)]),
        ("customer", "system", [("mysql", 1)]),
        ("driver", "system", [("redis-manual", 1)]),
        ("route", "system", []), ("mysql", "system", []), ("redis-manual", "system", []), ("cache", "system", []),
    ]
    assert report.format == "Jaeger dependencies"
    assert report.counts()["relationships_read"] == 8
    assert [(r.id, r.outcome) for r in report.relationships[5:]] == [
        ("data[5]", "a service calling itself"), ("data[6]", "dependency (calls added to data[4])"),
        ("data[7]", "no calls in the period")]


def test_call_shares_become_strengths(data_dir: Path) -> None:
    model, _ = cx.io.read_traces(data_dir / "traces" / "jaeger-dependencies.json", strengths="calls")
    # frontend makes 40 + 40 + 400 = 480 calls (its 12 calls to itself do not count)
    assert [(d.element, d.strength) for d in model.get("frontend").depends_on] == [
        ("customer", 40 / 480), ("driver", 40 / 480), ("route", 400 / 480)]
    # driver -> redis-manual listed twice (588 + 12 calls): one link, all of driver's calls
    assert [(d.element, d.strength) for d in model.get("driver").depends_on] == [("redis-manual", 1.0)]


def test_zipkin_links_keep_their_error_counts(data_dir: Path) -> None:
    model, report = cx.io.read_traces(data_dir / "traces" / "zipkin-dependencies.json", strengths="calls",
                                      kind="service")
    assert [(d.element, d.strength) for d in model.get("backend").depends_on] == [("postgres", 0.75), ("kafka", 0.25)]
    assert {e.kind for e in model.elements} == {"service"}
    assert report.relationships[3].properties == (("callCount", "40"), ("errorCount", "8"))
    assert report.format == "Zipkin dependency links"


@pytest.mark.parametrize(("content", "error", "message"), [
    ('{"data": [{"parent": "a"}]}', cx.FormatError, "not service dependency links"),
    ('[{"parent": "a", "child": 3, "callCount": 1.5}]', cx.ModelError, r"\[0\].child: expected a service name"),
    ('{"data": [{"parent": "a", "child": "b", "callCount": true}]}', cx.ModelError,
     r"data\[0\].callCount: expected a whole number >= 0, got True"),
    ('[{"parent": "a", "child": "b"', cx.FormatError, r"deps.json:1: malformed JSON"),
])
def test_bad_input_is_located(tmp_path: Path, content: str, error: type[Exception], message: str) -> None:
    (tmp_path / "deps.json").write_text(content)
    with pytest.raises(error, match=message):
        cx.io.read_traces(tmp_path / "deps.json")


def test_options_are_checked(tmp_path: Path) -> None:
    (tmp_path / "deps.json").write_text(json.dumps([{"parent": "a", "child": "b", "callCount": 1}]))
    with pytest.raises(ValueError, match="strengths must be 'none' or 'calls'"):
        cx.io.read_traces(tmp_path / "deps.json", strengths="share")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind must be one of"):
        cx.io.read_traces(tmp_path / "deps.json", kind="sytem")


def test_problems_give_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "deps.json").write_text('[\n  {"parent": "a", "child": "b", "callCount": 1},\n'
                                        '  {"parent": "a", "child": "c", "callCount": -2}\n]')
    with pytest.raises(cx.ModelError) as err:
        cx.io.read_traces(tmp_path / "deps.json")
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.path) == (3, 46, "[1].callCount")
