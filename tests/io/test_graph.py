"""The networkx view of a model."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given

import cxgraph as cx
from tests.io.test_yamljson import models


@pytest.mark.parametrize("name", cx.examples.names())
def test_one_node_per_touchpoint_and_element_one_edge_per_dependency(name: str) -> None:
    m = cx.examples.load(name)
    g = m.to_networkx()
    assert isinstance(g, nx.DiGraph)
    assert g.number_of_nodes() == len(m.touchpoints) + len(m.elements)
    assert g.number_of_edges() == sum(len(i.depends_on) for i in [*m.touchpoints, *m.elements])


@given(models())
def test_graph_mirrors_dependencies(model: cx.Model) -> None:
    g = model.to_networkx()
    items = [*model.touchpoints, *model.elements]
    assert g.number_of_nodes() == len(items)
    for item in items:
        for dep in item.depends_on:
            assert g.edges[item.id, dep.element]["group"] == dep.group
            assert g.edges[item.id, dep.element]["strength"] == cx.model.point(dep.strength)


def test_node_attributes() -> None:
    m = cx.examples.load("retail-bank")
    g = m.to_networkx()
    tp = m.journeys[0].touchpoints[0]
    attrs = g.nodes[tp.id]
    assert attrs["type"] == "touchpoint" and attrs["journey"] == m.journeys[0].id
    assert attrs["customers"] == cx.model.point(m.journeys[0].customers)
    e = m.elements[0]
    assert g.nodes[e.id]["kind"] == e.kind and g.nodes[e.id]["owner"] == e.owner
