"""Compiling a model: layout, caching, checks."""

from __future__ import annotations

import numpy as np
import pytest

import cxgraph as cx
from cxgraph.engine import compile_model, fingerprint


def small() -> cx.Model:
    return cx.loads("""
cxgraph: 1
name: Small
journeys:
  - id: j1
    name: J1
    segment: retail
    customers: 100
    revenue: 5000
    touchpoints:
      - {id: t1, name: T1, reach: 0.5, depends_on: [a, {element: b, strength: 0.3}]}
  - id: j2
    name: J2
    customers: {low: 10, high: 30}
    touchpoints:
      - {id: t2, name: T2, importance: 2, needs: {g: 2},
         depends_on: [{element: a, group: g}, {element: b, group: g}, {element: c, group: g}]}
elements:
  - {id: a, name: A, kind: system, depends_on: [b]}
  - {id: b, name: B, kind: data, depends_on: [{element: c, strength: 0.5}]}
  - {id: c, name: C, kind: infrastructure, depends_on: [{element: b, strength: 0.5}]}
  - {id: lonely, name: Lonely, kind: team}
capabilities:
  - {id: top, name: Top, realized_by: [a]}
  - {id: child, name: Child, parent: top, realized_by: [c]}
  - {id: grandchild, name: Grandchild, parent: child, realized_by: [lonely, a]}
""")


def test_nodes_are_touchpoints_then_elements() -> None:
    c = compile_model(small())
    assert c.ids == ["t1", "t2", "a", "b", "c", "lonely"]
    assert (c.n_touchpoints, c.n_elements, c.n_links) == (2, 4, 8)
    assert c.kinds == ["touchpoint", "touchpoint", "system", "data", "infrastructure", "team"]
    assert c.node("b") == 3


def test_groups_needs_and_strengths() -> None:
    c = compile_model(small())
    t2 = c.node("t2")
    groups = range(c.node_groups[t2], c.node_groups[t2 + 1])
    assert [c.group_names[g] for g in groups] == ["g"]
    g = groups[0]
    assert c.group_needs[g] == 2
    assert [c.ids[v] for v in c.link_target[c.group_links[g]: c.group_links[g + 1]]] == ["a", "b", "c"]
    t1 = c.node("t1")
    # two links without a group: two groups of one, k = 1
    assert list(c.group_needs[c.node_groups[t1]: c.node_groups[t1 + 1]]) == [1, 1]
    assert c.link_strength[c.group_links[c.node_groups[t1] + 1]] == 0.3


def test_cycles_are_components_evaluated_after_their_dependencies() -> None:
    c = compile_model(small())
    b, cc, a = c.node("b"), c.node("c"), c.node("a")
    assert c.component[b] == c.component[cc]
    assert c.cyclic[c.component[b]]
    assert not c.cyclic[c.component[a]]
    assert c.position[a] > max(c.position[b], c.position[cc])          # a depends on the cycle
    assert c.position[c.node("t1")] > c.position[a]


def test_self_loop_is_a_cycle() -> None:
    m = cx.Model()
    m.add_element("a", "A", kind="system", depends_on=[{"element": "a", "strength": 0.5}])
    c = compile_model(m)
    assert c.cyclic[c.component[0]]


def test_weights_segments_and_revenue() -> None:
    c = compile_model(small())
    w, unit = c.weights()
    assert w.tolist() == [50.0, 40.0]          # 100 x 0.5 x 1; midpoint 20 x 1 x 2
    assert unit == "interactions / month"
    assert c.segment_names == ["retail", "(no segment)"]
    assert np.isnan(c.journey_revenue[1])
    with pytest.raises(cx.AnalysisInputError, match="no revenue on: j2"):
        c.weights("revenue")


def test_capabilities_include_their_descendants() -> None:
    c = compile_model(small())
    assert [c.ids[i] for i in c.members("top")] == ["a", "c", "lonely"]
    assert [c.ids[i] for i in c.members("grandchild")] == ["a", "lonely"]
    with pytest.raises(cx.UnknownIdError, match="did you mean 'child'"):
        c.members("chld")


def test_resolve_names_the_closest_ids() -> None:
    c = compile_model(small())
    assert c.resolve(["top", "b"]) == [c.node("a"), c.node("c"), c.node("lonely"), c.node("b")]
    with pytest.raises(cx.UnknownIdError) as info:
        c.resolve(["lonley"])
    assert "did you mean 'lonely'" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_compiled_once_and_again_after_an_edit() -> None:
    model = small()
    first = compile_model(model)
    assert compile_model(model) is first
    model.elements[1].depends_on[0].strength = 0.9          # an edit deep inside
    second = compile_model(model)
    assert second is not first
    assert second.link_strength[second.group_links[second.node_groups[second.node("b")]]] == 0.9
    assert compile_model(second) is second


def test_compiling_leaves_the_model_as_it_was() -> None:
    model = small()
    before = model.to_dict()
    key = fingerprint(model)
    compile_model(model)
    assert model.to_dict() == before
    assert fingerprint(model) == key
    assert model == small()


def test_invalid_models_are_refused() -> None:
    m = cx.Model()
    m.add_element("a", "A", kind="system", needs={"g": 1})
    with pytest.raises(cx.ModelError, match="needs names group 'g'"):
        compile_model(m)
    with pytest.raises(cx.AnalysisInputError, match="expected a cxgraph Model"):
        compile_model({"elements": []})  # type: ignore[arg-type]


def test_empty_model_compiles() -> None:
    c = compile_model(cx.Model())
    assert c.n_nodes == 0
    assert cx.impact(cx.Model()).impact == {}


def test_edits_to_lists_and_dicts_are_seen() -> None:
    model = small()
    first = compile_model(model)
    model.capabilities[0].realized_by.append("b")                       # a list inside an item
    second = compile_model(model)
    assert second is not first and [second.ids[i] for i in second.members("top")] == ["a", "b", "c", "lonely"]
    model.journeys[1].touchpoints[0].needs["g"] = 3                     # a dict inside an item
    third = compile_model(model)
    assert third is not second and third.group_needs[third.node_groups[third.node("t2")]] == 3
    model.elements.append(cx.Element(id="new", name="New", kind="system"))
    assert compile_model(model).ids[-1] == "new"
