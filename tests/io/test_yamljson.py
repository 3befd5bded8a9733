"""Reading and writing YAML and JSON: text stays text, round trips lose nothing, errors are located."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cxgraph as cx


def test_yaml_surprises_do_not_apply_to_text() -> None:
    m = cx.loads("""
cxgraph: 1
name: 1.10
properties: {flag: yes, version: 1.10, count: 3, empty: null, quoted: 'on'}
elements:
  - {id: no, name: on, kind: system, tags: [off, 2020-01-01]}
  - {id: 'on', name: '0x10', kind: team}
""")
    assert m.name == "1.10"
    assert m.properties == {"flag": "yes", "version": "1.10", "count": "3", "empty": None, "quoted": "on"}
    assert [e.id for e in m.elements] == ["no", "on"]
    assert m.elements[0].name == "on"
    assert m.elements[0].tags == ["off", "2020-01-01"]
    assert m.elements[1].name == "0x10"


def test_numbers_where_numbers_are_expected() -> None:
    m = cx.loads("""
cxgraph: 1
journeys:
  - id: j
    name: J
    customers: 12_000
    revenue: 1.5e3
    touchpoints: [{id: t, name: T, reach: 0.8, importance: {low: 1, mode: 2, high: 4}, needs: {g: 2}, depends_on: [
      {element: a, group: g}, {element: b, group: g, strength: 0.5}]}]
elements: [{id: a, name: A, kind: system}, {id: b, name: B, kind: system}]
""")
    j = m.journeys[0]
    assert (j.customers, j.revenue) == (12000, 1500.0)
    tp = j.touchpoints[0]
    assert tp.reach == 0.8 and tp.needs == {"g": 2}
    assert tp.importance == cx.Uncertain(low=1, mode=2, high=4)
    assert tp.importance.value == 2.0
    assert tp.depends_on[1].strength == 0.5 and tp.depends_on[1].group == "g"


def test_dependency_shorthand_round_trips() -> None:
    text = ("cxgraph: 1\nelements:\n- id: a\n  name: A\n  depends_on:\n  - b\n"
            "  - element: c\n    strength: 0.3\n  kind: system\n")
    doc = cx.loads(text + "- {id: b, name: B, kind: data}\n- {id: c, name: C, kind: data}\n").to_dict()
    assert doc["elements"][0]["depends_on"] == ["b", {"element": "c", "strength": 0.3}]


@pytest.mark.parametrize("name", cx.examples.names())
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_examples_round_trip(name: str, fmt: str, tmp_path: Path) -> None:
    model = cx.examples.load(name)
    path = tmp_path / f"m.{fmt}"
    model.save(path)
    again = cx.load(path)
    assert again == model
    assert again.dumps(fmt) == model.dumps(fmt)


def test_json_keeps_property_types_and_yaml_writes_them_tagged() -> None:
    m = cx.loads('{"cxgraph": 1, "properties": {"n": 3, "x": 1.5, "b": true, "s": "3", "z": null}}', format="json")
    assert m.properties == {"n": 3, "x": 1.5, "b": True, "s": "3", "z": None}
    assert cx.loads(m.dumps("yaml")) == m
    assert json.loads(m.dumps("json"))["properties"] == m.properties


def test_format_from_extension_and_bad_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot tell the format"):
        cx.Model().save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        cx.loads("cxgraph: 1", format="xml")  # type: ignore[arg-type]


def test_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        cx.load(tmp_path / "absent.yaml")


def test_aliases_are_shared_not_expanded() -> None:
    # A "billion laughs" in YAML: each level refers to the previous one ten times.
    lines = ["cxgraph: 1", "properties: {}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(cx.ModelError) as info:
        cx.loads("\n".join(lines))
    assert [p.path for p in info.value.problems][:2] == ["a0", "a1"]
    assert "unknown field 'a0'" in info.value.problems[0].message


# ---------------------------------------------------------------- properties (hypothesis)

_ID = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=8)
# Text that YAML 1.1 would read as something else, plus arbitrary printable text.
_TRICKY = st.sampled_from(["no", "on", "off", "yes", "null", "~", "1.10", "0x10", "1e3", "-", ":", "'", '"',
                           "#x", "a: b", "[1]", "{}", "2020-01-01", "", " lead", "trail ", "multi\nline"])
_TEXT = st.one_of(_TRICKY, st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12))
_SCALAR = st.one_of(_TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                    st.booleans(), st.none())
_NUMBER = st.one_of(st.integers(0, 10**6), st.floats(0, 1e6), st.builds(
    lambda a, b: cx.Uncertain(low=min(a, b), high=max(a, b)), st.floats(0, 1e6), st.floats(0, 1e6)))
_FRACTION = st.one_of(st.sampled_from([0, 1, 0.5]), st.floats(0, 1))


@st.composite
def models(draw: st.DrawFn) -> cx.Model:
    ids = draw(st.lists(_ID, min_size=4, max_size=10, unique=True))
    m = cx.Model(name=draw(_TEXT), description=draw(st.none() | _TEXT),
                 properties=draw(st.dictionaries(_TEXT, _SCALAR, max_size=4)))
    elements = ids[2:]
    for eid in elements:
        deps = draw(st.lists(st.sampled_from(elements), unique=True, max_size=3))
        m.add_element(eid, draw(_TEXT), kind=draw(st.sampled_from(cx.model.ELEMENT_KINDS)),
                      tags=draw(st.lists(_TEXT, max_size=2)),
                      properties=draw(st.dictionaries(_TEXT, _SCALAR, max_size=3)),
                      depends_on=[cx.Dependency(element=d, strength=draw(_FRACTION),
                                                group=draw(st.none() | st.just("g"))) for d in deps])
    journey = m.add_journey(ids[0], draw(_TEXT), customers=draw(_NUMBER), segment=draw(st.none() | _TEXT),
                            revenue=draw(st.none() | _NUMBER))
    journey.add_touchpoint(ids[1], draw(_TEXT), reach=draw(_FRACTION), channel=draw(st.none() | _TEXT),
                           depends_on=[elements[0]])
    return m


@given(models(), st.sampled_from(["yaml", "json"]))
def test_any_model_survives_dump_and_load(model: cx.Model, fmt: str) -> None:
    again = cx.loads(model.dumps(fmt), format=fmt)  # type: ignore[arg-type]
    assert again == model
    assert again.dumps(fmt) == model.dumps(fmt)  # type: ignore[arg-type]
