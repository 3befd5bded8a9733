"""Jaeger and Zipkin dependency links: services, links, call shares as strengths, bad input located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxgraph as cx
from tests.strategies import dependency_links, json_values


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


# ------------------------------------------------------------------------------------------ estates
@pytest.mark.parametrize("strengths", ["none", "calls"])
@pytest.mark.parametrize("name", ["jaeger-dependencies.json", "zipkin-dependencies.json"])
def test_estate_reader_gives_the_model_readers_model(data_dir: Path, name: str, strengths: str) -> None:
    model, report = cx.io.read_traces(data_dir / "traces" / name, strengths=strengths)  # type: ignore[arg-type]
    estate, estate_report = cx.io.read_traces_estate(data_dir / "traces" / name,
                                                     strengths=strengths)  # type: ignore[arg-type]
    assert estate.to_model() == model
    assert estate_report == report
    assert len(estate.elements) == len(model.elements) and len(estate.links) == sum(
        len(e.depends_on) for e in model.elements)


def test_estate_reader_tables_worked_by_hand(data_dir: Path) -> None:
    estate, _ = cx.io.read_traces_estate(data_dir / "traces" / "jaeger-dependencies.json", strengths="calls")
    assert estate.elements["id"].tolist() == ["frontend", "customer", "driver", "route", "mysql", "redis-manual",
                                              "cache"]
    assert estate.elements["properties"].tolist()[0] == '{"traces:service": "frontend"}'
    # frontend: 40, 40 and 400 of its 480 calls (not the 12 to itself); driver: 588 + 12 calls, all of its calls
    assert [tuple(r) for r in estate.links[["source", "target", "strength"]].values.tolist()] == [
        ("frontend", "customer", 40 / 480), ("frontend", "driver", 40 / 480), ("frontend", "route", 400 / 480),
        ("customer", "mysql", 1.0), ("driver", "redis-manual", 1.0)]
    journeys = cx.Model.model_validate({"journeys": [{"id": "ride", "name": "Ride", "customers": 480, "touchpoints": [
        {"id": "book", "name": "Book", "depends_on": ["frontend"]}]}]})
    merged = cx.Estate.from_tables(estate.elements, estate.links, journeys)
    assert cx.impact(merged).impact["route"] == 400.0  # 480 interactions x 400/480


def test_estate_reader_locates_bad_input_as_the_model_reader(tmp_path: Path) -> None:
    (tmp_path / "deps.json").write_text('[\n  {"parent": "a", "child": "b", "callCount": 1},\n'
                                        '  {"parent": "a", "child": "", "callCount": -2}\n]')
    with pytest.raises(cx.ModelError) as ours:
        cx.io.read_traces_estate(tmp_path / "deps.json")
    with pytest.raises(cx.ModelError) as theirs:
        cx.io.read_traces(tmp_path / "deps.json")
    assert ours.value.problems == theirs.value.problems
    assert [(p.path, p.line) for p in ours.value.problems] == [("[1].child", 3), ("[1].callCount", 3)]


def _same_reading(path: Path, strengths: str) -> None:
    try:
        model, report = cx.io.read_traces(path, strengths=strengths)  # type: ignore[arg-type]
    except (cx.FormatError, cx.ModelError) as err:
        with pytest.raises(type(err)) as again:
            cx.io.read_traces_estate(path, strengths=strengths)  # type: ignore[arg-type]
        assert str(again.value) == str(err)
        return
    estate, estate_report = cx.io.read_traces_estate(path, strengths=strengths)  # type: ignore[arg-type]
    assert estate.to_model() == model
    assert estate_report == report


@settings(max_examples=150, deadline=None)
@given(dependency_links(), st.sampled_from(["none", "calls"]))
def test_estate_reader_reads_any_links_as_the_model_reader(tmp_path_factory: pytest.TempPathFactory, data: object,
                                                           strengths: str) -> None:
    path = tmp_path_factory.mktemp("links") / "deps.json"
    path.write_text(json.dumps(data))
    _same_reading(path, strengths)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_estate_reader_reads_any_json_as_the_model_reader(tmp_path_factory: pytest.TempPathFactory,
                                                          data: object) -> None:
    path = tmp_path_factory.mktemp("json") / "deps.json"
    path.write_text(json.dumps(data))
    _same_reading(path, "calls")
